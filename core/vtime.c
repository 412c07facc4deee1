/* core/vtime.c — virtual time and the event queue (see vtime.h).
 *
 * A binary min-heap ordered by (when, seq): seq is a counter stamped at arming time, so that
 * events due at the same picosecond fire in arming order whatever the heap's shape. */
#include "core/vtime.h"

#include <glib.h>

struct SocTimer {
	SocEventQueue *q;
	SocTimerFn fn;
	void *opaque;
	SocTime when;
	uint64_t seq;
	int heap_index;          /* -1 when not armed */
};

struct SocEventQueue {
	SocTime now;
	uint64_t next_seq;
	GPtrArray *heap;         /* of SocTimer* */
	SocDeadlineFn deadline_fn;
	void *deadline_opaque;
};

SocEventQueue *soc_events_new(void)
{
	SocEventQueue *q = g_new0(SocEventQueue, 1);
	q->heap = g_ptr_array_new();
	return q;
}

void soc_events_free(SocEventQueue *q)
{
	if (!q)
		return;
	/* Timers belong to their creators; detach any still armed so a late free is harmless. */
	for (guint i = 0; i < q->heap->len; i++) {
		SocTimer *t = g_ptr_array_index(q->heap, i);
		t->heap_index = -1;
		t->q = NULL;
	}
	g_ptr_array_free(q->heap, TRUE);
	g_free(q);
}

void soc_events_set_deadline_hook(SocEventQueue *q, SocDeadlineFn fn, void *opaque)
{
	q->deadline_fn = fn;
	q->deadline_opaque = opaque;
}

SocTime soc_events_now(const SocEventQueue *q)
{
	return q->now;
}

void soc_events_set_now(SocEventQueue *q, SocTime now)
{
	q->now = now;
}

static bool earlier(const SocTimer *a, const SocTimer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_place(SocEventQueue *q, guint i, SocTimer *t)
{
	q->heap->pdata[i] = t;
	t->heap_index = (int)i;
}

static void sift_up(SocEventQueue *q, guint i)
{
	SocTimer *t = q->heap->pdata[i];
	while (i > 0) {
		guint parent = (i - 1) / 2;
		SocTimer *p = q->heap->pdata[parent];
		if (!earlier(t, p))
			break;
		heap_place(q, i, p);
		i = parent;
	}
	heap_place(q, i, t);
}

static void sift_down(SocEventQueue *q, guint i)
{
	guint n = q->heap->len;
	SocTimer *t = q->heap->pdata[i];
	for (;;) {
		guint l = 2 * i + 1, r = l + 1, best = i;
		SocTimer *bt = t;
		if (l < n && earlier(q->heap->pdata[l], bt)) {
			best = l;
			bt = q->heap->pdata[l];
		}
		if (r < n && earlier(q->heap->pdata[r], bt)) {
			best = r;
			bt = q->heap->pdata[r];
		}
		if (best == i)
			break;
		heap_place(q, i, bt);
		i = best;
	}
	heap_place(q, i, t);
}

static void heap_remove(SocEventQueue *q, SocTimer *t)
{
	guint i = (guint)t->heap_index;
	SocTimer *last = g_ptr_array_steal_index(q->heap, q->heap->len - 1);
	t->heap_index = -1;
	if (last == t)
		return;
	heap_place(q, i, last);
	sift_down(q, i);
	sift_up(q, (guint)last->heap_index);
}

SocTime soc_events_next(const SocEventQueue *q)
{
	if (q->heap->len == 0)
		return SOC_TIME_NEVER;
	return ((SocTimer *)q->heap->pdata[0])->when;
}

unsigned soc_events_run_until(SocEventQueue *q, SocTime until)
{
	unsigned fired = 0;
	while (q->heap->len) {
		SocTimer *t = q->heap->pdata[0];
		if (t->when > until)
			break;
		heap_remove(q, t);
		if (t->when > q->now)
			q->now = t->when;
		t->fn(t->opaque);
		fired++;
	}
	if (until > q->now)
		q->now = until;
	return fired;
}

SocTimer *soc_timer_new(SocEventQueue *q, SocTimerFn fn, void *opaque)
{
	SocTimer *t = g_new0(SocTimer, 1);
	t->q = q;
	t->fn = fn;
	t->opaque = opaque;
	t->heap_index = -1;
	return t;
}

void soc_timer_free(SocTimer *t)
{
	if (!t)
		return;
	soc_timer_cancel(t);
	g_free(t);
}

void soc_timer_arm(SocTimer *t, SocTime when)
{
	SocEventQueue *q = t->q;
	SocTime before;

	if (!q)
		return;
	before = soc_events_next(q);
	if (t->heap_index >= 0)
		heap_remove(q, t);
	t->when = when;
	t->seq = q->next_seq++;
	g_ptr_array_add(q->heap, t);
	t->heap_index = (int)q->heap->len - 1;
	sift_up(q, (guint)t->heap_index);
	if (when < before && q->deadline_fn)
		q->deadline_fn(q->deadline_opaque, when);
}

void soc_timer_cancel(SocTimer *t)
{
	if (t && t->q && t->heap_index >= 0)
		heap_remove(t->q, t);
}

bool soc_timer_armed(const SocTimer *t)
{
	return t->heap_index >= 0;
}

SocTime soc_timer_when(const SocTimer *t)
{
	return t->heap_index >= 0 ? t->when : SOC_TIME_NEVER;
}

SocTime soc_cycles_to_time(uint64_t cycles, uint64_t hz)
{
	unsigned __int128 ps;
	if (hz == 0)
		return SOC_TIME_NEVER;
	ps = (unsigned __int128)cycles * SOC_PS_PER_SEC / hz;
	return ps > SOC_TIME_NEVER ? SOC_TIME_NEVER : (SocTime)ps;
}

uint64_t soc_time_to_cycles(SocTime t, uint64_t hz)
{
	unsigned __int128 c = (unsigned __int128)t * hz / SOC_PS_PER_SEC;
	return c > UINT64_MAX ? UINT64_MAX : (uint64_t)c;
}

uint64_t soc_time_to_cycles_up(SocTime t, uint64_t hz)
{
	uint64_t cycles = soc_time_to_cycles(t, hz);
	return soc_cycles_to_time(cycles, hz) < t ? cycles + 1 : cycles;
}
