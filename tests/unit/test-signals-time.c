/* Irq signals (wired-OR, fan-out) and virtual time (ordering, ties, deadline hook). */
#include "core/irq.h"
#include "core/vtime.h"

#include <glib.h>

typedef struct {
	int level;
	unsigned changes;
} Sink;

static void sink_handler(void *opaque, unsigned n, int level)
{
	Sink *s = opaque;
	s->level = level;
	s->changes++;
}

static void test_wired_or_and_fanout(void)
{
	Sink a = { 0 }, b = { 0 };
	SocIrq *o1 = soc_irq_new_output("/dev1:irq0"), *o2 = soc_irq_new_output("/dev2:irq0");
	SocIrq *ia = soc_irq_new_input("/ctl:in1", sink_handler, &a, 1);
	SocIrq *ib = soc_irq_new_input("/ctl2:in1", sink_handler, &b, 1);

	soc_irq_connect(o1, ia);
	soc_irq_connect(o1, ib);          /* fan-out */
	soc_irq_connect(o2, ia);          /* wired-OR */
	soc_irq_connect(o2, ia);          /* idempotent */
	g_assert_cmpuint(soc_irq_peer_count(ia), ==, 2);
	soc_irq_raise(o1);
	g_assert_cmpint(a.level, ==, 1);
	g_assert_cmpint(b.level, ==, 1);
	soc_irq_raise(o2);
	g_assert_cmpuint(a.changes, ==, 1);  /* the OR did not change */
	soc_irq_lower(o1);
	g_assert_cmpint(a.level, ==, 1);
	g_assert_cmpint(b.level, ==, 0);
	soc_irq_lower(o2);
	g_assert_cmpint(a.level, ==, 0);
	g_assert_cmpuint(a.changes, ==, 2);
	soc_irq_set(o2, 5);                  /* any non-zero level is 1 */
	g_assert_cmpint(soc_irq_level(o2), ==, 1);
	/* Connecting a high output makes the input see it at once. */
	{
		Sink c = { 0 };
		SocIrq *ic = soc_irq_new_input("/x:in0", sink_handler, &c, 0);
		soc_irq_connect(o2, ic);
		g_assert_cmpint(c.level, ==, 1);
		soc_irq_free(ic);
	}
	g_assert_cmpstr(soc_irq_name(ia), ==, "/ctl:in1");
	soc_irq_free(o1);
	soc_irq_free(o2);
	g_assert_cmpint(soc_irq_level(ia), ==, 0);
	soc_irq_free(ia);
	soc_irq_free(ib);
}

static GString *order;

static void fire(void *opaque)
{
	g_string_append(order, opaque);
}

static SocTimer *rearm_timer;

static void fire_and_rearm(void *opaque)
{
	g_string_append(order, "r");
	if (order->len < 8)
		soc_timer_arm(rearm_timer, 150);    /* due before `until`: fires in the same call */
}

static SocTime deadline_seen;

static void deadline(void *opaque, SocTime t)
{
	deadline_seen = t;
}

static void test_event_order(void)
{
	SocEventQueue *q = soc_events_new();
	SocTimer *a = soc_timer_new(q, fire, "a"), *b = soc_timer_new(q, fire, "b");
	SocTimer *c = soc_timer_new(q, fire, "c"), *d = soc_timer_new(q, fire, "d");

	order = g_string_new(NULL);
	soc_events_set_deadline_hook(q, deadline, NULL);
	soc_timer_arm(c, 300);
	g_assert_cmpuint(deadline_seen, ==, 300);
	soc_timer_arm(a, 100);
	soc_timer_arm(b, 100);             /* same time: arming order decides */
	soc_timer_arm(d, 50);
	g_assert_cmpuint(deadline_seen, ==, 50);
	soc_timer_arm(d, 400);             /* re-arming moves it */
	g_assert_cmpuint(soc_events_next(q), ==, 100);
	g_assert_cmpuint(soc_events_run_until(q, 99), ==, 0);
	g_assert_cmpuint(soc_events_now(q), ==, 99);
	g_assert_cmpuint(soc_events_run_until(q, 300), ==, 3);
	g_assert_cmpstr(order->str, ==, "abc");
	g_assert_true(soc_timer_armed(d));
	soc_timer_cancel(d);
	g_assert_false(soc_timer_armed(d));
	g_assert_cmpuint(soc_timer_when(d), ==, SOC_TIME_NEVER);
	g_assert_cmpuint(soc_events_next(q), ==, SOC_TIME_NEVER);
	g_assert_cmpuint(soc_events_now(q), ==, 300);
	soc_timer_free(a);
	soc_timer_free(b);
	soc_timer_free(c);
	soc_timer_free(d);
	soc_events_free(q);
	g_string_free(order, TRUE);
}

static void test_rearm_in_callback(void)
{
	SocEventQueue *q = soc_events_new();
	order = g_string_new(NULL);
	rearm_timer = soc_timer_new(q, fire_and_rearm, NULL);
	soc_events_set_now(q, 100);
	soc_timer_arm(rearm_timer, 120);
	soc_events_run_until(q, 200);
	g_assert_cmpstr(order->str, ==, "rrrrrrrr");
	soc_timer_free(rearm_timer);
	soc_events_free(q);
	g_string_free(order, TRUE);
}

/* Many timers at pseudo-random times fire in (time, arming) order. */
static void test_heap_order_random(void)
{
	SocEventQueue *q = soc_events_new();
	SocTimer *t[500];
	GString *seen = g_string_new(NULL);
	GRand *r = g_rand_new_with_seed(1234);
	SocTime last = 0;

	order = seen;
	for (int i = 0; i < 500; i++) {
		t[i] = soc_timer_new(q, fire, "x");
		soc_timer_arm(t[i], g_rand_int_range(r, 0, 1000));
	}
	for (int i = 0; i < 500; i += 3)
		soc_timer_cancel(t[i]);
	while (soc_events_next(q) != SOC_TIME_NEVER) {
		SocTime next = soc_events_next(q);
		g_assert_cmpuint(next, >=, last);
		last = next;
		soc_events_run_until(q, next);
	}
	g_assert_cmpuint(seen->len, ==, 500 - 167);
	for (int i = 0; i < 500; i++)
		soc_timer_free(t[i]);
	soc_events_free(q);
	g_rand_free(r);
	g_string_free(seen, TRUE);
}

static void test_cycle_conversion(void)
{
	g_assert_cmpuint(soc_cycles_to_time(1, 100000000), ==, 10000);        /* 100 MHz: 10 ns */
	g_assert_cmpuint(soc_cycles_to_time(3, 3000000), ==, 1000000);        /* exact for 3 MHz */
	g_assert_cmpuint(soc_time_to_cycles(SOC_PS_PER_SEC, 32768), ==, 32768);
	g_assert_cmpuint(soc_time_to_cycles(999999, 1000000), ==, 0);         /* rounds down */
	g_assert_cmpuint(soc_cycles_to_time(UINT64_MAX, 1), ==, SOC_TIME_NEVER);  /* saturates */
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/irq/wired-or-and-fanout", test_wired_or_and_fanout);
	g_test_add_func("/vtime/event-order", test_event_order);
	g_test_add_func("/vtime/rearm-in-callback", test_rearm_in_callback);
	g_test_add_func("/vtime/heap-order-random", test_heap_order_random);
	g_test_add_func("/vtime/cycle-conversion", test_cycle_conversion);
	return g_test_run();
}
