/* The RISC-V platform device models (riscv,cpu-intc, CLINT, ACLINT MSWI/MTIMER/SSWI, PLIC,
 * sifive,uart0), driven through the address space of a machine built from
 * tests/data/riscv-devices.dts, with virtual time advanced by hand. Irq levels are read on the
 * devices' own signals, so the tests do not need a RISC-V CPU model. */
#include "core/irq.h"
#include "tests/unit/device-harness.h"

#include <string.h>

#define TB 3000000ULL                /* /cpus timebase-frequency of the test tree */

#define CLINT 0x2000000
#define CLINT_CMP (CLINT + 0x4000)
#define CLINT_TIME (CLINT + 0xbff8)
#define MSWI 0x3000000
#define MT_TIME 0x300bff8
#define MT_CMP 0x3004000
#define SSWI 0x3010000
#define MT2 0x3020000
#define PLIC 0xc000000
#define PLIC2 0x10000000
#define U16550 0x20000000
#define SUART 0x20010000

#define PRIO(id) (PLIC + 4 * (id))
#define PENDING(w) (PLIC + 0x1000 + 4 * (w))
#define ENABLE(ctx, w) (PLIC + 0x2000 + 0x80 * (ctx) + 4 * (w))
#define THRESHOLD(ctx) (PLIC + 0x200000 + 0x1000 * (ctx))
#define CLAIM(ctx) (PLIC + 0x200004 + 0x1000 * (ctx))

enum { TXDATA = 0x00, RXDATA = 0x04, TXCTRL = 0x08, RXCTRL = 0x0c, IE = 0x10, IP = 0x14, DIV = 0x18 };

typedef struct {
	SocTestMachine tm;
	SocIrq *src[64];                 /* test-driven PLIC sources, by source id */
	unsigned edges;                  /* rising edges seen by edge_counter */
	SocIrq *counter;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
	memset(f, 0, sizeof *f);
	soc_tm_init(&f->tm);
	soc_tm_add_uart(&f->tm, "/serial@20010000", data);
	soc_tm_build(&f->tm, "riscv-devices");
}

static void teardown(Fixture *f, gconstpointer data)
{
	for (unsigned i = 0; i < G_N_ELEMENTS(f->src); i++)
		soc_irq_free(f->src[i]);
	soc_irq_free(f->counter);
	soc_tm_free(&f->tm);
}

/* A test-driven level on PLIC source `id`. */
static void source(Fixture *f, unsigned id, int level)
{
	SocDevice *plic = soc_tm_device(&f->tm, "/interrupt-controller@c000000");
	if (!f->src[id]) {
		g_autofree char *name = g_strdup_printf("test:src%u", id);
		f->src[id] = soc_irq_new_output(name);
		soc_irq_connect(f->src[id], plic->irq_in[id]);
	}
	soc_irq_set(f->src[id], level);
}

#define INTC0 "/cpus/cpu@0/interrupt-controller"
#define INTC1 "/cpus/cpu@1/interrupt-controller"
#define CLINT_PATH "/clint@2000000"
#define PLIC_PATH "/interrupt-controller@c000000"
#define PLIC2_PATH "/interrupt-controller@10000000"

/* ---- riscv,cpu-intc ------------------------------------------------------------------------ */

static void test_intc_shape_and_routing(Fixture *f, gconstpointer data)
{
	SocDevice *i0 = soc_tm_device(&f->tm, INTC0);
	g_assert_cmpuint(i0->n_irq_in, ==, 17);
	g_assert_cmpuint(i0->n_irq_out, ==, 16);
	g_assert_cmpstr(soc_irq_name(i0->irq_out[11]), ==, INTC0 ":irq11");
	/* The CLINT's MSIP of hart 1 reaches hart 1's controller only. */
	soc_tm_wr(&f->tm, CLINT + 4, 4, 1);
	g_assert_cmpint(soc_tm_irq_in_level(&f->tm, INTC1, 3), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC1, 3), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC0, 3), ==, 0);
	for (unsigned i = 0; i < 16; i++)
		if (i != 3)
			g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC1, i), ==, 0);
	/* Two drivers of one line (CLINT and MSWI MSIP of hart 1) are OR-ed at the input. */
	soc_tm_wr(&f->tm, MSWI + 4, 4, 1);
	soc_tm_wr(&f->tm, CLINT + 4, 4, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC1, 3), ==, 1);
	soc_tm_wr(&f->tm, MSWI + 4, 4, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC1, 3), ==, 0);
}

static void test_intc_unwired_context(Fixture *f, gconstpointer data)
{
	SocDevice *p2 = soc_tm_device(&f->tm, PLIC2_PATH);
	SocDevice *i0 = soc_tm_device(&f->tm, INTC0);
	/* plic2 context 0 is <&intc0 0xffffffff>: it drives in16, which goes nowhere. */
	g_assert_cmpuint(soc_irq_peer_count(p2->irq_out[0]), ==, 1);
	g_assert_true(soc_irq_peer(p2->irq_out[0], 0) == i0->irq_in[16]);
	g_assert_cmpint(p2->n_irq_in, ==, 3);
	{
		SocIrq *s = soc_irq_new_output("test:p2src1");
		soc_irq_connect(s, p2->irq_in[1]);
		soc_tm_wr(&f->tm, PLIC2 + 4, 4, 1);
		soc_tm_wr(&f->tm, PLIC2 + 0x2000, 4, 0x2);
		soc_irq_raise(s);
		g_assert_cmpint(soc_irq_level(p2->irq_out[0]), ==, 1);
		for (unsigned i = 0; i < 16; i++)
			g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC0, i), ==, 0);
		soc_irq_free(s);
	}
}

/* ---- CLINT ----------------------------------------------------------------------------------- */

static void test_clint_msip(Fixture *f, gconstpointer data)
{
	g_assert_cmphex(soc_tm_rd(&f->tm, CLINT, 4), ==, 0);
	soc_tm_wr(&f->tm, CLINT, 4, 0xffffffff);         /* WARL: only bit 0 exists */
	g_assert_cmphex(soc_tm_rd(&f->tm, CLINT, 4), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 0), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 2), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC0, 3), ==, 1);
	soc_tm_wr(&f->tm, CLINT, 4, 2);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 0), ==, 0);
	/* One 8-byte access covers the MSIP of both harts. */
	soc_tm_wr(&f->tm, CLINT, 8, 0x0000000100000001ULL);
	g_assert_cmphex(soc_tm_rd(&f->tm, CLINT, 8), ==, 0x0000000100000001ULL);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 0), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 2), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC1, 3), ==, 1);
	/* Hart 2 does not exist. */
	g_assert_cmphex(soc_tm_rd(&f->tm, CLINT + 8, 4), ==, 0);
	g_assert_true(soc_tm_log_has(&f->tm, CLINT_PATH ": read at offset 0x8: no register there (2 harts)"));
}

static void test_clint_mtime_follows_time(Fixture *f, gconstpointer data)
{
	static const SocTime times[] = { 0, 1, 333333, 333334, 999999999, 1000000000000ULL + 7 };
	for (unsigned i = 0; i < G_N_ELEMENTS(times); i++) {
		uint64_t expect = soc_time_to_cycles(times[i], TB);
		soc_tm_run_to(&f->tm, times[i]);
		g_assert_cmpuint(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, expect);
		g_assert_cmphex(soc_tm_rd(&f->tm, CLINT_TIME, 4), ==, expect & 0xffffffff);
		g_assert_cmphex(soc_tm_rd(&f->tm, CLINT_TIME + 4, 4), ==, expect >> 32);
	}
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, 3000000); /* 1 s at 3 MHz */
}

static void test_clint_mtip_exact(Fixture *f, gconstpointer data)
{
	SocTime deadline = soc_tm_first_ps(1000, TB);

	g_assert_cmpuint(deadline, ==, 333333334);
	g_assert_cmphex(soc_tm_rd(&f->tm, CLINT_CMP, 8), ==, UINT64_MAX); /* reset value */
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 0);
	/* Two halves, low first: the intermediate 0xffffffff000003e8 keeps MTIP low. */
	soc_tm_wr(&f->tm, CLINT_CMP, 4, 1000);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 0);
	soc_tm_wr(&f->tm, CLINT_CMP + 4, 4, 0);
	g_assert_cmphex(soc_tm_rd(&f->tm, CLINT_CMP, 8), ==, 1000);
	g_assert_cmphex(soc_tm_rd(&f->tm, CLINT_CMP + 4, 4), ==, 0);
	g_assert_cmpuint(soc_events_next(soc_machine_events(f->tm.m)), ==, deadline);
	soc_tm_run_to(&f->tm, deadline - 1);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, 999);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 0);
	g_assert_cmpint(soc_tm_irq_in_level(&f->tm, INTC0, 7), ==, 0);
	soc_tm_run_to(&f->tm, deadline);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, 1000);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC0, 7), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 3), ==, 0); /* hart 1 untouched */
	/* Moving MTIMECMP ahead lowers MTIP at once; equal to MTIME raises it. */
	soc_tm_wr(&f->tm, CLINT_CMP, 8, 1001);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 0);
	soc_tm_wr(&f->tm, CLINT_CMP, 8, 1000);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 1);
	soc_tm_wr(&f->tm, CLINT_CMP, 8, UINT64_MAX);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 0);
	/* Hart 1's comparator, in the past: immediate. */
	soc_tm_wr(&f->tm, CLINT_CMP + 8, 8, 5);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 3), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC1, 7), ==, 1);
}

static void test_clint_mtime_write(Fixture *f, gconstpointer data)
{
	SocTime t0 = 5000000000ULL;                 /* 5 ms: 15000 ticks */
	SocTime deadline;

	soc_tm_run_to(&f->tm, t0);
	soc_tm_wr(&f->tm, CLINT_TIME, 8, 100);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, 100);
	soc_tm_wr(&f->tm, CLINT_CMP, 8, 130);
	deadline = soc_tm_first_ps(15000 + 30, TB);
	g_assert_cmpuint(deadline, ==, 5010000000ULL);
	soc_tm_run_to(&f->tm, deadline - 1);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, 129);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 0);
	soc_tm_run_to(&f->tm, deadline);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 1);
	/* Setting MTIME back lowers MTIP and moves the deadline with it. */
	soc_tm_wr(&f->tm, CLINT_TIME, 8, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 0);
	deadline = soc_tm_first_ps(15030 + 130, TB);
	soc_tm_run_to(&f->tm, deadline - 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 0);
	soc_tm_run_to(&f->tm, deadline);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 1);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, 130);
	/* A 32-bit write changes one half only. */
	soc_tm_wr(&f->tm, CLINT_TIME + 4, 4, 7);
	g_assert_cmphex(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, (7ULL << 32) | 130);
	soc_tm_wr(&f->tm, CLINT_TIME, 4, 5);
	g_assert_cmphex(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, (7ULL << 32) | 5);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 1);
	/* The platform has one MTIME (the harts' time CSR shadows it): timers counting the
	 * platform timebase all follow the write. */
	g_assert_cmphex(soc_tm_rd(&f->tm, MT_TIME, 8), ==, soc_tm_rd(&f->tm, CLINT_TIME, 8));
}

static void test_clint_mtime_wrap(Fixture *f, gconstpointer data)
{
	/* MTIP is MTIME >= MTIMECMP, unsigned: it falls again when MTIME wraps to 0. */
	soc_tm_wr(&f->tm, CLINT_TIME, 8, UINT64_MAX - 5);
	soc_tm_wr(&f->tm, CLINT_CMP, 8, UINT64_MAX - 2);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 0);
	soc_tm_run_to(&f->tm, soc_tm_first_ps(3, TB) - 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 0);
	soc_tm_run_to(&f->tm, soc_tm_first_ps(3, TB));
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 1);
	soc_tm_run_to(&f->tm, soc_tm_first_ps(6, TB) - 1);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, UINT64_MAX);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 1);
	soc_tm_run_to(&f->tm, soc_tm_first_ps(6, TB));
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 0);
	/* MTIMECMP = 0 is always reached. */
	soc_tm_wr(&f->tm, CLINT_CMP, 8, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 1);
}

static void test_clint_access_sizes(Fixture *f, gconstpointer data)
{
	uint64_t v;
	g_assert_cmpint(soc_as_read(f->tm.as, CLINT, 2, &v, NULL), ==, SOC_MEM_BAD_SIZE);
	g_assert_cmpint(soc_as_read(f->tm.as, CLINT_TIME + 4, 8, &v, NULL), ==, SOC_MEM_BAD_SIZE);
	g_assert_cmpint(soc_as_write(f->tm.as, CLINT_CMP + 2, 4, 1, NULL), ==, SOC_MEM_BAD_SIZE);
	/* Between the MSIP and MTIMECMP blocks: a guest error, not a crash. */
	soc_tm_wr(&f->tm, CLINT + 0x3ff8, 8, 1);
	g_assert_true(soc_tm_log_has(&f->tm, CLINT_PATH ": write of 0x1 at offset 0x3ff8: no register there"));
}

/* ---- ACLINT ---------------------------------------------------------------------------------- */

static void test_mswi(Fixture *f, gconstpointer data)
{
	soc_tm_wr(&f->tm, MSWI + 4, 4, 3);
	g_assert_cmphex(soc_tm_rd(&f->tm, MSWI + 4, 4), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, "/mswi@3000000", 1), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, "/mswi@3000000", 0), ==, 0);
	g_assert_cmpint(soc_tm_irq_in_level(&f->tm, INTC1, 3), ==, 1);
	soc_tm_wr(&f->tm, MSWI + 4, 4, 0);
	g_assert_cmpint(soc_tm_irq_in_level(&f->tm, INTC1, 3), ==, 0);
	g_assert_cmphex(soc_tm_rd(&f->tm, MSWI + 8, 4), ==, 0);
	g_assert_true(soc_tm_log_has(&f->tm, "/mswi@3000000: read at offset 0x8: no register there (2 harts)"));
}

static void test_mtimer_two_entries(Fixture *f, gconstpointer data)
{
	const char *p = "/mtimer@3004000";
	SocTime deadline;
	soc_tm_run_to(&f->tm, 123456789);
	g_assert_cmpuint(soc_tm_rd(&f->tm, MT_TIME, 8), ==, soc_time_to_cycles(soc_tm_now(&f->tm), TB));
	g_assert_cmpuint(soc_tm_rd(&f->tm, MT_TIME, 8), ==, 370);
	g_assert_cmphex(soc_tm_rd(&f->tm, MT_CMP + 8, 8), ==, UINT64_MAX);
	soc_tm_wr(&f->tm, MT_CMP + 8, 4, 377);
	soc_tm_wr(&f->tm, MT_CMP + 12, 4, 0);
	deadline = soc_tm_first_ps(377, TB);
	soc_tm_run_to(&f->tm, deadline - 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, p, 1), ==, 0);
	soc_tm_run_to(&f->tm, deadline);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, p, 1), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, p, 0), ==, 0);
	g_assert_cmpint(soc_tm_irq_in_level(&f->tm, INTC1, 7), ==, 1);
	/* One MTIME for the platform timebase: writing it moves the CLINT's too. */
	soc_tm_wr(&f->tm, MT_TIME, 8, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, p, 1), ==, 0);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, 1);
	/* Beyond the two MTIMECMP registers. */
	g_assert_cmphex(soc_tm_rd(&f->tm, MT_CMP + 16, 8), ==, 0);
	g_assert_true(soc_tm_log_has(&f->tm, "/mtimer@3004000: read at offset 0x10: no register there"));
}

static void test_mtimer_one_entry(Fixture *f, gconstpointer data)
{
	const char *p = "/mtimer@3020000";
	/* Its own 1 MHz clock; MTIME at 0x7ff8 of its single window. */
	soc_tm_run_to(&f->tm, 2500000);
	g_assert_cmpuint(soc_tm_rd(&f->tm, MT2 + 0x7ff8, 8), ==, 2);
	soc_tm_wr(&f->tm, MT2, 8, 3);
	soc_tm_run_to(&f->tm, 2999999);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, p, 0), ==, 0);
	soc_tm_run_to(&f->tm, 3000000);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, p, 0), ==, 1);
	g_assert_cmpint(soc_tm_irq_in_level(&f->tm, INTC1, 7), ==, 1);
}

static void edge_counter(void *opaque, unsigned n, int level)
{
	Fixture *f = opaque;
	if (level)
		f->edges++;
}

static void test_sswi_edge(Fixture *f, gconstpointer data)
{
	SocDevice *s = soc_tm_device(&f->tm, "/sswi@3010000");
	f->counter = soc_irq_new_input("test:ssip", edge_counter, f, 0);
	soc_irq_connect(s->irq_out[1], f->counter);
	soc_tm_wr(&f->tm, SSWI + 4, 4, 0);
	g_assert_cmpuint(f->edges, ==, 0);
	soc_tm_wr(&f->tm, SSWI + 4, 4, 1);
	g_assert_cmpuint(f->edges, ==, 1);
	g_assert_cmpint(soc_irq_level(s->irq_out[1]), ==, 1);    /* the line rests high */
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC1, 1), ==, 1);
	g_assert_cmphex(soc_tm_rd(&f->tm, SSWI + 4, 4), ==, 0);
	soc_tm_wr(&f->tm, SSWI + 4, 4, 0xffffffff);               /* every write is a new edge */
	g_assert_cmpuint(f->edges, ==, 2);
	soc_tm_wr(&f->tm, SSWI + 4, 4, 2);                        /* bit 0 clear: nothing */
	g_assert_cmpuint(f->edges, ==, 2);
	soc_tm_wr(&f->tm, SSWI, 4, 1);                            /* hart 0's line is another */
	g_assert_cmpuint(f->edges, ==, 2);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC0, 1), ==, 1);
	soc_machine_reset(f->tm.m);
	g_assert_cmpint(soc_irq_level(s->irq_out[1]), ==, 0);
}

/* ---- PLIC ------------------------------------------------------------------------------------ */

static void test_plic_registers(Fixture *f, gconstpointer data)
{
	soc_tm_wr(&f->tm, PRIO(1), 4, 0xffffffff);
	g_assert_cmphex(soc_tm_rd(&f->tm, PRIO(1), 4), ==, 7);   /* 3 priority bits by default */
	soc_tm_wr(&f->tm, PLIC2 + 4, 4, 0xffffffff);
	g_assert_cmphex(soc_tm_rd(&f->tm, PLIC2 + 4, 4), ==, 3);  /* socemu,priority-bits = <2> */
	soc_tm_wr(&f->tm, THRESHOLD(1), 4, 0xff);
	g_assert_cmphex(soc_tm_rd(&f->tm, THRESHOLD(1), 4), ==, 7);
	/* Enable bits of sources that do not exist (0, 41..) are hardwired to 0. */
	soc_tm_wr(&f->tm, ENABLE(3, 0), 4, 0xffffffff);
	g_assert_cmphex(soc_tm_rd(&f->tm, ENABLE(3, 0), 4), ==, 0xfffffffe);
	soc_tm_wr(&f->tm, ENABLE(3, 1), 4, 0xffffffff);
	g_assert_cmphex(soc_tm_rd(&f->tm, ENABLE(3, 1), 4), ==, 0x1ff);
	soc_tm_wr(&f->tm, ENABLE(3, 2), 4, 0xffffffff);
	g_assert_cmphex(soc_tm_rd(&f->tm, ENABLE(3, 2), 4), ==, 0);
	g_assert_cmphex(soc_tm_rd(&f->tm, ENABLE(2, 0), 4), ==, 0); /* contexts are separate */
	/* Pending bits are read-only. */
	soc_tm_wr(&f->tm, PENDING(0), 4, 0xffffffff);
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 0);
	g_assert_true(soc_tm_log_has(&f->tm, "read-only pending bits"));
}

static void test_plic_claim_order(Fixture *f, gconstpointer data)
{
	soc_tm_wr(&f->tm, PRIO(1), 4, 1);
	soc_tm_wr(&f->tm, PRIO(2), 4, 5);
	soc_tm_wr(&f->tm, PRIO(3), 4, 5);
	soc_tm_wr(&f->tm, PRIO(33), 4, 7);
	source(f, 1, 1);
	source(f, 2, 1);
	source(f, 3, 1);
	source(f, 33, 1);
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 0xe);
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(1), 4), ==, 0x2);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 0); /* nothing enabled yet */
	soc_tm_wr(&f->tm, ENABLE(0, 0), 4, 0xe);
	soc_tm_wr(&f->tm, ENABLE(0, 1), 4, 0x2);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC0, 11), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 1), ==, 0); /* S-mode context of hart 0 */
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC0, 9), ==, 0);
	/* Highest priority first; 2 and 3 tie, the lower id wins. */
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(0), 4), ==, 33);
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(1), 4), ==, 0);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(0), 4), ==, 2);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(0), 4), ==, 3);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(0), 4), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 0); /* all in service */
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(0), 4), ==, 0);  /* nothing left */
	/* In service, still high: no new request until the completion... */
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 0);
	soc_tm_wr(&f->tm, CLAIM(0), 4, 2);
	/* ...which re-opens the gateway, and the level is still there. */
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 0x4);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 1);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(0), 4), ==, 2);
	source(f, 2, 0);
	soc_tm_wr(&f->tm, CLAIM(0), 4, 2);
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 0);
}

static void test_plic_threshold(Fixture *f, gconstpointer data)
{
	soc_tm_wr(&f->tm, PRIO(1), 4, 3);
	soc_tm_wr(&f->tm, ENABLE(0, 0), 4, 0x2);
	soc_tm_wr(&f->tm, THRESHOLD(0), 4, 3);
	source(f, 1, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 0); /* priority must exceed it */
	soc_tm_wr(&f->tm, THRESHOLD(0), 4, 2);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 1);
	soc_tm_wr(&f->tm, THRESHOLD(0), 4, 7);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 0);
	/* A claim ignores the threshold (spec: polling with notifications masked). */
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(0), 4), ==, 1);
	soc_tm_wr(&f->tm, CLAIM(0), 4, 1);
	/* Priority 0 means never: not notified, not claimed. */
	soc_tm_wr(&f->tm, THRESHOLD(0), 4, 0);
	soc_tm_wr(&f->tm, PRIO(1), 4, 0);
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 0x2);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 0);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(0), 4), ==, 0);
	soc_tm_wr(&f->tm, PRIO(1), 4, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 1);
}

static void test_plic_contexts(Fixture *f, gconstpointer data)
{
	soc_tm_wr(&f->tm, PRIO(3), 4, 1);
	soc_tm_wr(&f->tm, ENABLE(2, 0), 4, 0x8);                  /* hart 1 M-mode only */
	source(f, 3, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 2), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC1, 11), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 3), ==, 0);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(0), 4), ==, 0);  /* not enabled there */
	/* Both M contexts enabled: both notified, the first claim wins. */
	soc_tm_wr(&f->tm, ENABLE(0, 0), 4, 0x8);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 1);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(2), 4), ==, 3);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 0);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(0), 4), ==, 0);
	/* A completion from a context the source is not enabled for is ignored. */
	soc_tm_wr(&f->tm, ENABLE(0, 0), 4, 0);
	soc_tm_wr(&f->tm, CLAIM(0), 4, 3);
	g_assert_true(soc_tm_log_has(&f->tm, "context 0: completion of source 3, which is not enabled for it"));
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 0);
	soc_tm_wr(&f->tm, CLAIM(2), 4, 3);
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 0x8);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 2), ==, 1);
}

static void test_plic_level_falls_while_pending(Fixture *f, gconstpointer data)
{
	soc_tm_wr(&f->tm, PRIO(5), 4, 2);
	soc_tm_wr(&f->tm, ENABLE(1, 0), 4, 0x20);
	source(f, 5, 1);
	source(f, 5, 0);
	/* The gateway cannot retract a request. */
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 0x20);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 1), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC0, 9), ==, 1);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(1), 4), ==, 5);
	soc_tm_wr(&f->tm, CLAIM(1), 4, 5);
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 1), ==, 0);
	/* The last source and the second word. */
	soc_tm_wr(&f->tm, PRIO(40), 4, 1);
	soc_tm_wr(&f->tm, ENABLE(1, 1), 4, 1u << 8);
	source(f, 40, 1);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(1), 4), ==, 40);
}

static void test_plic_bad_offsets(Fixture *f, gconstpointer data)
{
	static const uint64_t bad[] = {
		PLIC + 0,                        /* priority of source 0 */
		PRIO(41),                        /* beyond riscv,ndev */
		PLIC + 0x1080,                   /* between pending and enables */
		ENABLE(4, 0),                    /* context 4 does not exist */
		THRESHOLD(0) + 8,                /* reserved word in a context */
		THRESHOLD(4),
		CLAIM(4),
		PLIC + 0x3fffffc,                /* the last word of the window */
	};
	unsigned before = soc_log_guest_error_count(f->tm.log);
	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_assert_cmphex(soc_tm_rd(&f->tm, bad[i], 4), ==, 0);
		soc_tm_wr(&f->tm, bad[i], 4, 0xffffffff);
	}
	g_assert_cmpuint(soc_log_guest_error_count(f->tm.log), ==, before + 2 * G_N_ELEMENTS(bad));
	soc_tm_wr(&f->tm, CLAIM(0), 4, 0);
	soc_tm_wr(&f->tm, CLAIM(0), 4, 41);
	g_assert_true(soc_tm_log_has(&f->tm, PLIC_PATH ": context 0: completion of source 41, "
	                                     "which does not exist (1..40)"));
	g_assert_true(soc_tm_log_has(&f->tm, PLIC_PATH ": read at offset 0x200008: no register there "
	                                     "(40 sources, 4 contexts)"));
	{
		uint64_t v;
		g_assert_cmpint(soc_as_read(f->tm.as, PLIC, 8, &v, NULL), ==, SOC_MEM_BAD_SIZE);
		g_assert_cmpint(soc_as_read(f->tm.as, PLIC, 1, &v, NULL), ==, SOC_MEM_BAD_SIZE);
	}
}

static void test_plic_from_ns16550a(Fixture *f, gconstpointer data)
{
	/* The 16550's THR-empty interrupt arrives as PLIC source 10, through interrupt-parent. */
	soc_tm_wr(&f->tm, U16550 + 1, 1, 0x02);
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 1u << 10);
	soc_tm_wr(&f->tm, PRIO(10), 4, 1);
	soc_tm_wr(&f->tm, ENABLE(0, 0), 4, 1u << 10);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC0, 11), ==, 1);
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLAIM(0), 4), ==, 10);
	g_assert_cmphex(soc_tm_rd(&f->tm, U16550 + 2, 1), ==, 0x02); /* acknowledge at the UART */
	soc_tm_wr(&f->tm, CLAIM(0), 4, 10);
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, INTC0, 11), ==, 0);
}

/* ---- sifive,uart0 ---------------------------------------------------------------------------- */

static void test_sifive_uart_transmit(Fixture *f, gconstpointer data)
{
	g_autofree char *out = NULL;
	const char *p = "/serial@20010000";

	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + TXCTRL, 4), ==, 0);
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + IP, 4), ==, 0);
	/* With txen clear, bytes wait in the 8-byte FIFO. */
	for (const char *c = "abcdefgh"; *c; c++) {
		g_assert_cmphex(soc_tm_rd(&f->tm, SUART + TXDATA, 4), ==, 0);
		soc_tm_wr(&f->tm, SUART + TXDATA, 4, (uint8_t)*c);
	}
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + TXDATA, 4), ==, 0x80000000);
	soc_tm_wr(&f->tm, SUART + TXDATA, 4, 'X');                 /* dropped */
	g_assert_true(soc_tm_log_has(&f->tm, "transmit FIFO is full"));
	/* txwm: level (8) < txcnt. */
	soc_tm_wr(&f->tm, SUART + TXCTRL, 4, 7 << 16);
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + IP, 4) & 1, ==, 0);
	soc_tm_wr(&f->tm, SUART + IE, 4, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, p, 0), ==, 0);
	/* txen drains it; now the level is 0 < 7. */
	soc_tm_wr(&f->tm, SUART + TXCTRL, 4, 0xffffffff);
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + TXCTRL, 4), ==, 0x00070003);
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + IP, 4) & 1, ==, 1);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, p, 0), ==, 1);
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 1u << 4); /* PLIC source 4 */
	soc_tm_wr(&f->tm, SUART + TXDATA, 4, 0x121);               /* only bits 7:0 */
	soc_tm_wr(&f->tm, SUART + TXCTRL, 4, 1);                   /* txcnt 0: never below */
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + IP, 4) & 1, ==, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, p, 0), ==, 0);
	soc_tm_wr(&f->tm, SUART + DIV, 4, 0x12345678);
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + DIV, 4), ==, 0x5678);
	soc_tm_wr(&f->tm, SUART + IP, 4, 3);
	g_assert_true(soc_tm_log_has(&f->tm, "read-only register ip"));
	out = soc_tm_uart_output(&f->tm, 0);                       /* freeing flushes the file */
	g_assert_cmpstr(out, ==, "abcdefgh!");
}

static void test_sifive_uart_receive(Fixture *f, gconstpointer data)
{
	const char *p = "/serial@20010000";
	GString *got = g_string_new(NULL);

	/* Receiver off: the backend holds the input. */
	soc_tm_pump(&f->tm);
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + RXDATA, 4), ==, 0x80000000);
	/* On, watermark 7: rxwm when more than 7 bytes wait. */
	soc_tm_wr(&f->tm, SUART + RXCTRL, 4, 0xffffffff);
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + RXCTRL, 4), ==, 0x00070001);
	soc_tm_wr(&f->tm, SUART + IE, 4, 2);
	soc_tm_pump(&f->tm);
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + IP, 4), ==, 2);  /* 8 bytes: the FIFO is full */
	g_assert_cmpint(soc_tm_irq_level(&f->tm, p, 0), ==, 1);
	g_string_append_c(got, (char)soc_tm_rd(&f->tm, SUART + RXDATA, 4));
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + IP, 4), ==, 0);  /* 7 > 7 is false */
	g_assert_cmpint(soc_tm_irq_level(&f->tm, p, 0), ==, 0);
	soc_tm_wr(&f->tm, SUART + RXCTRL, 4, 1);                   /* rxcnt 0: any byte */
	for (int round = 0; round < 100 && got->len < strlen(data); round++) {
		uint32_t v;
		soc_tm_pump(&f->tm);
		while (!((v = (uint32_t)soc_tm_rd(&f->tm, SUART + RXDATA, 4)) & 0x80000000))
			g_string_append_c(got, (char)v);
	}
	g_assert_cmpstr(got->str, ==, data);
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + IP, 4), ==, 0);
	g_string_free(got, TRUE);
}

/* ---- robustness ------------------------------------------------------------------------------ */

/* Deterministic random accesses of every size all over the register windows, with time moving
 * on: every access is answered (or refused for its size), nothing crashes (run under valgrind
 * or ASan for out-of-bounds). */
static void test_random_accesses(Fixture *f, gconstpointer data)
{
	static const struct { uint64_t base, size; } win[] = {
		{ CLINT, 0x10000 }, { MSWI, 0x4000 }, { MT_TIME, 8 }, { MT_CMP, 0x7ff8 },
		{ SSWI, 0x4000 }, { MT2, 0x8000 }, { PLIC, 0x3000 }, { PLIC + 0x1ff000, 0x6000 },
		{ PLIC + 0x3fff000, 0x1000 }, { PLIC2, 0x400000 }, { SUART, 0x1000 },
	};
	GRand *r = g_rand_new_with_seed(20240601);
	for (unsigned i = 0; i < 20000; i++) {
		unsigned w = (unsigned)g_rand_int_range(r, 0, G_N_ELEMENTS(win));
		unsigned size = 1u << g_rand_int_range(r, 0, 4);
		uint64_t off = (uint64_t)g_rand_int_range(r, 0, (gint32)win[w].size) & ~(uint64_t)(size - 1);
		uint64_t v = ((uint64_t)g_rand_int(r) << 32) | g_rand_int(r);
		SocMemStatus st;
		if (off + size > win[w].size)
			continue;
		if (g_rand_boolean(r))
			st = soc_as_write(f->tm.as, win[w].base + off, size, v, NULL);
		else
			st = soc_as_read(f->tm.as, win[w].base + off, size, &v, NULL);
		g_assert_true(st == SOC_MEM_OK || st == SOC_MEM_BAD_SIZE);
		if (i % 64 == 0)
			soc_tm_run_to(&f->tm, soc_tm_now(&f->tm) + (SocTime)g_rand_int_range(r, 0, 1000000));
	}
	g_rand_free(r);
}

/* ---- reset and bad trees --------------------------------------------------------------------- */

static void test_reset(Fixture *f, gconstpointer data)
{
	soc_tm_run_to(&f->tm, 1000000000);
	soc_tm_wr(&f->tm, CLINT, 4, 1);
	soc_tm_wr(&f->tm, CLINT_CMP, 8, 0);
	soc_tm_wr(&f->tm, CLINT_TIME, 8, 5);
	soc_tm_wr(&f->tm, PRIO(1), 4, 3);
	soc_tm_wr(&f->tm, ENABLE(0, 0), 4, 2);
	source(f, 1, 1);
	soc_tm_wr(&f->tm, SUART + TXCTRL, 4, 0x10001);
	soc_machine_reset(f->tm.m);
	g_assert_cmphex(soc_tm_rd(&f->tm, CLINT, 4), ==, 0);
	g_assert_cmphex(soc_tm_rd(&f->tm, CLINT_CMP, 8), ==, UINT64_MAX);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 0), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, CLINT_PATH, 1), ==, 0);
	/* MTIME counts from power-on again, as the harts' time CSR does. */
	g_assert_cmpuint(soc_tm_rd(&f->tm, CLINT_TIME, 8), ==, soc_time_to_cycles(soc_tm_now(&f->tm), TB));
	g_assert_cmphex(soc_tm_rd(&f->tm, PRIO(1), 4), ==, 0);
	g_assert_cmphex(soc_tm_rd(&f->tm, ENABLE(0, 0), 4), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(&f->tm, PLIC_PATH, 0), ==, 0);
	/* A level still high across the reset is requested again. */
	g_assert_cmphex(soc_tm_rd(&f->tm, PENDING(0), 4), ==, 0x2);
	g_assert_cmphex(soc_tm_rd(&f->tm, SUART + TXCTRL, 4), ==, 0);
}

/* Build the test tree after one -set edit; the build must fail with `expect` in the message. */
static void check_bad_edit(const char *assignment, const char *expect)
{
	soc_tm_expect_bad_edit("riscv-devices", assignment, expect);
}

static void test_bad_trees(void)
{
	check_bad_edit("/clint@2000000:interrupts-extended=<&intc0 3>, <&intc0 7>, <&intc1 3>",
	               "/clint@2000000: interrupts-extended has 3 entries; a CLINT needs two per hart");
	check_bad_edit("/clint@2000000:reg=<0x2000000 0xbff8>",
	               "/clint@2000000: reg entry 0 is 0xbff8 bytes, too small for the CLINT registers");
	check_bad_edit("/mtimer@3004000:reg=<0x300bff8 0x8>, <0x3004000 0x8>, <0x3005000 0x8>",
	               "/mtimer@3004000: reg has 3 entries, expected 1 (MTIMECMP) or 2 (MTIME, MTIMECMP)");
	check_bad_edit("/mtimer@3004000:reg=<0x300bff8 0x8>, <0x3004000 0x8>",
	               "/mtimer@3004000: reg entry 1 is 0x8 bytes, too small for one MTIMECMP register per hart");
	check_bad_edit("/sswi@3010000:interrupts-extended=<>",
	               "/sswi@3010000: interrupts-extended names no hart");
	check_bad_edit("/interrupt-controller@c000000:riscv,ndev=<0>",
	               "/interrupt-controller@c000000:riscv,ndev: value 0 is out of range");
	check_bad_edit("/interrupt-controller@c000000:riscv,ndev=<1024>",
	               "riscv,ndev: value 1024 is out of range");
	check_bad_edit("/interrupt-controller@c000000:reg=<0xc000000 0x203000>",
	               "/interrupt-controller@c000000: reg must be one entry of at least 0x203008 bytes");
	check_bad_edit("/interrupt-controller@10000000:socemu,priority-bits=<33>",
	               "socemu,priority-bits: value 33 is out of range");
	check_bad_edit("/serial@20000000:interrupts=<41>",
	               "/serial@20000000: interrupt 0: " PLIC_PATH ": interrupt source 41 does not exist");
	check_bad_edit("/mswi@3000000:interrupts-extended=<&intc0 3>, <&intc1 99>",
	               INTC1 ": interrupt 99 is not a local interrupt");
	check_bad_edit("/interrupt-controller@c000000:interrupts-extended=<>",
	               "/interrupt-controller@c000000: interrupts-extended must list the contexts");
}

/* The bad-*.dts fixtures of this model set (also run by tests/integration/bad-input.sh). */
static void test_bad_fixtures(void)
{
	static const char *const names[] = {
		"bad-plic-source", "bad-plic-source-zero", "bad-intc-cause", "bad-clint-no-timebase",
	};
	for (unsigned i = 0; i < G_N_ELEMENTS(names); i++)
		soc_tm_expect_bad_tree(names[i]);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define FT(name, fn, data) g_test_add("/riscv-devices/" name, Fixture, data, setup, fn, teardown)
	FT("intc/shape-and-routing", test_intc_shape_and_routing, NULL);
	FT("intc/unwired-context", test_intc_unwired_context, NULL);
	FT("clint/msip", test_clint_msip, NULL);
	FT("clint/mtime-follows-time", test_clint_mtime_follows_time, NULL);
	FT("clint/mtip-exact", test_clint_mtip_exact, NULL);
	FT("clint/mtime-write", test_clint_mtime_write, NULL);
	FT("clint/mtime-wrap", test_clint_mtime_wrap, NULL);
	FT("clint/access-sizes", test_clint_access_sizes, NULL);
	FT("aclint/mswi", test_mswi, NULL);
	FT("aclint/mtimer-two-entries", test_mtimer_two_entries, NULL);
	FT("aclint/mtimer-one-entry", test_mtimer_one_entry, NULL);
	FT("aclint/sswi-edge", test_sswi_edge, NULL);
	FT("plic/registers", test_plic_registers, NULL);
	FT("plic/claim-order", test_plic_claim_order, NULL);
	FT("plic/threshold", test_plic_threshold, NULL);
	FT("plic/contexts", test_plic_contexts, NULL);
	FT("plic/level-falls-while-pending", test_plic_level_falls_while_pending, NULL);
	FT("plic/bad-offsets", test_plic_bad_offsets, NULL);
	FT("plic/from-ns16550a", test_plic_from_ns16550a, NULL);
	FT("sifive-uart/transmit", test_sifive_uart_transmit, NULL);
	FT("sifive-uart/receive", test_sifive_uart_receive, "hello, sifive uart: twenty-nine+");
	FT("random-accesses", test_random_accesses, NULL);
	FT("reset", test_reset, NULL);
	g_test_add_func("/riscv-devices/bad-trees", test_bad_trees);
	g_test_add_func("/riscv-devices/bad-fixtures", test_bad_fixtures);
	return g_test_run();
}
