/* The Arm CMSDK timer models (arm,cmsdk-timer, arm,cmsdk-dualtimer, arm,cmsdk-watchdog),
 * driven through the address space of a machine built from tests/data/cmsdk-timers.dts, with
 * virtual time advanced by hand. Irq levels are read on the devices' own output signals;
 * expected times are computed here, independently of the models. */
#include "tests/unit/device-harness.h"

#include <string.h>

#define T0 0x40000000u                /* 25 MHz through clocks: 40000 ps a cycle */
#define T1 0x40001000u                /* 3 MHz clock-frequency: 333333.33 ps a cycle */
#define DT 0x40002000u                /* 1 MHz */
#define WD 0x40008000u                /* 1 MHz */
#define T0_PATH "/timer@40000000"
#define T1_PATH "/timer@40001000"
#define DT_PATH "/timer@40002000"
#define WD_PATH "/watchdog@40008000"

#define US SOC_PS_PER_US
#define T0_CYCLE 40000ULL

enum { CTRL = 0x00, VALUE = 0x04, RELOAD = 0x08, INTSTATUS = 0x0c };
enum { LOAD = 0x00, DVALUE = 0x04, CONTROL = 0x08, INTCLR = 0x0c, RIS = 0x10, MIS = 0x14,
       BGLOAD = 0x18, ITCR = 0xf00, ITOP = 0xf04, LOCK = 0xc00 };
enum { ONESHOT = 0x01, SIZE32 = 0x02, PRE16 = 0x04, PRE256 = 0x08, INTEN = 0x20, PERIODIC = 0x40,
       ENABLE = 0x80 };

static void setup(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	soc_tm_init(f);
	soc_tm_build(f, "cmsdk-timers");
}

/* Every register of these models is a word. */
static uint64_t rd(SocTestMachine *f, uint64_t addr)
{
	return soc_tm_rd(f, addr, 4);
}

static void wr(SocTestMachine *f, uint64_t addr, uint64_t v)
{
	soc_tm_wr(f, addr, 4, v);
}

static bool reset_requested(SocTestMachine *f)
{
	SocShutdownKind kind;
	int status;
	const char *reason = NULL;

	if (!soc_machine_shutdown_requested(f->m, &kind, &status, &reason))
		return false;
	g_assert_cmpint(kind, ==, SOC_SHUTDOWN_RESET);
	g_assert_nonnull(reason);
	g_assert_nonnull(strstr(reason, "watchdog reset"));
	return true;
}

/* ---- arm,cmsdk-timer ------------------------------------------------------------------------ */

static void test_timer_reset_state(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	g_assert_cmphex(rd(f, T0 + CTRL), ==, 0);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 0);
	g_assert_cmphex(rd(f, T0 + RELOAD), ==, 0);
	g_assert_cmphex(rd(f, T0 + INTSTATUS), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, T0_PATH, 0), ==, 0);
	/* Disabled: nothing moves. */
	wr(f, T0 + VALUE, 50);
	soc_tm_run_to(f, 1000 * T0_CYCLE);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 50);
}

static void test_timer_counts_and_wraps(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	wr(f, T0 + RELOAD, 100);                       /* also loads VALUE */
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 100);
	wr(f, T0 + CTRL, 0x9);                         /* enable, interrupt enable */
	soc_tm_run_to(f, 10 * T0_CYCLE);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 90);
	soc_tm_run_to(f, 11 * T0_CYCLE - 1);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 90);
	soc_tm_run_to(f, 100 * T0_CYCLE - 1);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 1);
	g_assert_cmphex(rd(f, T0 + INTSTATUS), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, T0_PATH, 0), ==, 0);
	soc_tm_run_to(f, 100 * T0_CYCLE);               /* arrives at 0: the interrupt, exactly */
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 0);
	g_assert_cmphex(rd(f, T0 + INTSTATUS), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, T0_PATH, 0), ==, 1);
	soc_tm_run_to(f, 101 * T0_CYCLE);               /* reloaded on the next cycle */
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 100);
	wr(f, T0 + INTSTATUS, 1);
	g_assert_cmphex(rd(f, T0 + INTSTATUS), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, T0_PATH, 0), ==, 0);
	/* The next arrival at 0 is a period (RELOAD + 1 cycles) later. */
	soc_tm_run_to(f, 201 * T0_CYCLE - 1);
	g_assert_cmpint(soc_tm_irq_level(f, T0_PATH, 0), ==, 0);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 1);
	soc_tm_run_to(f, 201 * T0_CYCLE);
	g_assert_cmpint(soc_tm_irq_level(f, T0_PATH, 0), ==, 1);
	/* Writing 0 to INTSTATUS clears nothing. */
	wr(f, T0 + INTSTATUS, 0);
	g_assert_cmphex(rd(f, T0 + INTSTATUS), ==, 1);
}

static void test_timer_interrupt_enable(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	wr(f, T0 + RELOAD, 9);
	wr(f, T0 + CTRL, 0x1);                          /* counting, interrupt disabled */
	soc_tm_run_to(f, 9 * T0_CYCLE);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 0);
	g_assert_cmphex(rd(f, T0 + INTSTATUS), ==, 0); /* nothing latched while disabled */
	g_assert_cmpint(soc_tm_irq_level(f, T0_PATH, 0), ==, 0);
	wr(f, T0 + CTRL, 0x9);
	soc_tm_run_to(f, 19 * T0_CYCLE);
	g_assert_cmphex(rd(f, T0 + INTSTATUS), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, T0_PATH, 0), ==, 1);
	/* The line follows the enable; INTSTATUS stays. */
	wr(f, T0 + CTRL, 0x1);
	g_assert_cmpint(soc_tm_irq_level(f, T0_PATH, 0), ==, 0);
	g_assert_cmphex(rd(f, T0 + INTSTATUS), ==, 1);
	wr(f, T0 + CTRL, 0x9);
	g_assert_cmpint(soc_tm_irq_level(f, T0_PATH, 0), ==, 1);
	/* Stopping keeps VALUE where it was. */
	soc_tm_run_to(f, 23 * T0_CYCLE);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 6);
	wr(f, T0 + CTRL, 0x8);
	soc_tm_run_to(f, 500 * T0_CYCLE);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 6);
	wr(f, T0 + CTRL, 0x9);                          /* and resumes from it */
	soc_tm_run_to(f, 506 * T0_CYCLE - 1);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 1);
	wr(f, T0 + INTSTATUS, 1);
	soc_tm_run_to(f, 506 * T0_CYCLE);
	g_assert_cmpint(soc_tm_irq_level(f, T0_PATH, 0), ==, 1);
}

static void test_timer_external_input(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	wr(f, T0 + VALUE, 20);
	wr(f, T0 + CTRL, 0x3);                          /* enable, EXTIN as enable (tied low) */
	soc_tm_run_to(f, 100 * T0_CYCLE);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 20);
	g_assert_true(soc_tm_log_has(f, "external input is not modelled"));
	wr(f, T0 + CTRL, 0x5);                          /* EXTIN as clock */
	soc_tm_run_to(f, 200 * T0_CYCLE);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 20);
	wr(f, T0 + CTRL, 0x1);
	soc_tm_run_to(f, 205 * T0_CYCLE);
	g_assert_cmphex(rd(f, T0 + VALUE), ==, 15);
	wr(f, T0 + CTRL, 0x31);                         /* reserved bits: a guest error */
	g_assert_cmphex(rd(f, T0 + CTRL), ==, 0x1);
	g_assert_true(soc_tm_log_has(f, "reserved bits"));
}

/* At 3 MHz a cycle is not a whole number of picoseconds: arrivals round up. */
static void test_timer_fractional_clock(SocTestMachine *f, gconstpointer data)
{
	const uint64_t hz = 3000000;
	(void)data;

	wr(f, T1 + RELOAD, 3);
	wr(f, T1 + CTRL, 0x9);
	soc_tm_run_to(f, soc_tm_first_ps(3, hz) - 1);
	g_assert_cmphex(rd(f, T1 + VALUE), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, T1_PATH, 0), ==, 0);
	soc_tm_run_to(f, soc_tm_first_ps(3, hz));
	g_assert_cmpint(soc_tm_irq_level(f, T1_PATH, 0), ==, 1);
	wr(f, T1 + INTSTATUS, 1);
	soc_tm_run_to(f, soc_tm_first_ps(7, hz) - 1);   /* 2333333 ps: still 1 */
	g_assert_cmphex(rd(f, T1 + VALUE), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, T1_PATH, 0), ==, 0);
	soc_tm_run_to(f, soc_tm_first_ps(7, hz));       /* 2333334 ps */
	g_assert_cmpuint(soc_tm_first_ps(7, hz), ==, 2333334);
	g_assert_cmpint(soc_tm_irq_level(f, T1_PATH, 0), ==, 1);
	/* Many periods at once: the event re-arms itself exactly. */
	wr(f, T1 + INTSTATUS, 1);
	soc_tm_run_to(f, soc_tm_first_ps(7 + 4 * 1000, hz) - 1);
	g_assert_cmpint(soc_tm_irq_level(f, T1_PATH, 0), ==, 1); /* set again by the earlier arrivals */
	g_assert_cmphex(rd(f, T1 + VALUE), ==, 1);
}

static void test_timer_id_and_bad_access(SocTestMachine *f, gconstpointer data)
{
	static const uint8_t id[12] = { 0x04, 0, 0, 0, 0x22, 0xb8, 0x1b, 0, 0x0d, 0xf0, 0x05, 0xb1 };
	uint64_t v = 0;
	(void)data;

	for (unsigned i = 0; i < 12; i++)
		g_assert_cmphex(rd(f, T0 + 0xfd0 + 4 * i), ==, id[i]);
	g_assert_cmphex(rd(f, T0 + 0x10), ==, 0);
	g_assert_true(soc_tm_log_has(f, "no register there"));
	wr(f, T0 + 0xfe0, 0x55);
	g_assert_cmphex(rd(f, T0 + 0xfe0), ==, 0x22);
	g_assert_true(soc_tm_log_has(f, "read-only"));
	g_assert_cmpint(soc_as_read(f->as, T0 + VALUE, 1, &v, NULL), !=, SOC_MEM_OK);
	g_assert_cmpint(soc_as_write(f->as, T0 + CTRL, 2, 1, NULL), !=, SOC_MEM_OK);
	g_assert_cmphex(rd(f, T0 + CTRL), ==, 0);
}

/* ---- arm,cmsdk-dualtimer -------------------------------------------------------------------- */

static void test_dual_reset_state(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	for (unsigned b = 0; b < 0x40; b += 0x20) {
		g_assert_cmphex(rd(f, DT + b + LOAD), ==, 0);
		g_assert_cmphex(rd(f, DT + b + DVALUE), ==, 0xffff);   /* 16-bit after reset */
		g_assert_cmphex(rd(f, DT + b + CONTROL), ==, 0x20);
		g_assert_cmphex(rd(f, DT + b + RIS), ==, 0);
	}
	g_assert_cmphex(rd(f, DT + 0xfe0), ==, 0x23);
	g_assert_cmphex(rd(f, DT + 0xffc), ==, 0xb1);
	for (unsigned i = 0; i < 3; i++)
		g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, i), ==, 0);
}

static void test_dual_periodic(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	wr(f, DT + LOAD, 10);
	wr(f, DT + CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
	soc_tm_run_to(f, 4 * US);
	g_assert_cmphex(rd(f, DT + DVALUE), ==, 6);
	soc_tm_run_to(f, 10 * US - 1);
	g_assert_cmphex(rd(f, DT + DVALUE), ==, 1);
	g_assert_cmphex(rd(f, DT + RIS), ==, 0);
	soc_tm_run_to(f, 10 * US);
	g_assert_cmphex(rd(f, DT + DVALUE), ==, 0);
	g_assert_cmphex(rd(f, DT + RIS), ==, 1);
	g_assert_cmphex(rd(f, DT + MIS), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 0), ==, 1); /* combined */
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 1), ==, 1); /* timer 1 */
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 2), ==, 0);
	soc_tm_run_to(f, 11 * US);
	g_assert_cmphex(rd(f, DT + DVALUE), ==, 10);
	wr(f, DT + INTCLR, 0);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 0), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 1), ==, 0);
	soc_tm_run_to(f, 21 * US - 1);
	g_assert_cmphex(rd(f, DT + RIS), ==, 0);
	soc_tm_run_to(f, 21 * US);
	g_assert_cmphex(rd(f, DT + RIS), ==, 1);
	/* Masked: RIS stays, MIS and the lines drop. */
	wr(f, DT + CONTROL, ENABLE | PERIODIC | SIZE32);
	g_assert_cmphex(rd(f, DT + RIS), ==, 1);
	g_assert_cmphex(rd(f, DT + MIS), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 0), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 1), ==, 0);
}

static void test_dual_prescale(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	wr(f, DT + LOAD, 2);
	wr(f, DT + CONTROL, ENABLE | PERIODIC | INTEN | SIZE32 | PRE16);
	soc_tm_run_to(f, 16 * US - 1);
	g_assert_cmphex(rd(f, DT + DVALUE), ==, 2);
	soc_tm_run_to(f, 16 * US);
	g_assert_cmphex(rd(f, DT + DVALUE), ==, 1);
	soc_tm_run_to(f, 32 * US - 1);
	g_assert_cmphex(rd(f, DT + RIS), ==, 0);
	soc_tm_run_to(f, 32 * US);
	g_assert_cmphex(rd(f, DT + RIS), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 1), ==, 1);

	/* Timer 2 at /256; the prescaler runs from power-on, so the first tick is at 256 us. */
	wr(f, DT + 0x20 + LOAD, 1);
	wr(f, DT + 0x20 + CONTROL, ENABLE | PERIODIC | INTEN | SIZE32 | PRE256);
	soc_tm_run_to(f, 256 * US - 1);
	g_assert_cmphex(rd(f, DT + 0x20 + DVALUE), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 2), ==, 0);
	soc_tm_run_to(f, 256 * US);
	g_assert_cmphex(rd(f, DT + 0x20 + DVALUE), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 2), ==, 1);
	soc_tm_run_to(f, 512 * US);
	g_assert_cmphex(rd(f, DT + 0x20 + DVALUE), ==, 1);

	/* Prescale 3 is reserved: a guest error, counted as /256. */
	wr(f, DT + 0x20 + CONTROL, ENABLE | PERIODIC | SIZE32 | PRE16 | PRE256);
	g_assert_true(soc_tm_log_has(f, "reserved"));
	soc_tm_run_to(f, 768 * US - 1);
	g_assert_cmphex(rd(f, DT + 0x20 + DVALUE), ==, 1);
	soc_tm_run_to(f, 768 * US);
	g_assert_cmphex(rd(f, DT + 0x20 + DVALUE), ==, 0);
}

static void test_dual_oneshot_and_freerun(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	/* Timer 2 one-shot: reaches 0 once and stays there. */
	wr(f, DT + 0x20 + LOAD, 3);
	wr(f, DT + 0x20 + CONTROL, ENABLE | ONESHOT | INTEN | SIZE32);
	soc_tm_run_to(f, 3 * US - 1);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 2), ==, 0);
	soc_tm_run_to(f, 3 * US);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 2), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 0), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 1), ==, 0);
	wr(f, DT + 0x20 + INTCLR, 1);
	soc_tm_run_to(f, 1000 * US);
	g_assert_cmphex(rd(f, DT + 0x20 + DVALUE), ==, 0);
	g_assert_cmphex(rd(f, DT + 0x20 + RIS), ==, 0);

	/* Timer 1 free-running, 16-bit: after 0 comes 0xffff, not LOAD. */
	wr(f, DT + LOAD, 2);
	wr(f, DT + CONTROL, ENABLE | INTEN);
	soc_tm_run_to(f, 1002 * US);
	g_assert_cmphex(rd(f, DT + DVALUE), ==, 0);
	g_assert_cmphex(rd(f, DT + RIS), ==, 1);
	soc_tm_run_to(f, 1003 * US);
	g_assert_cmphex(rd(f, DT + DVALUE), ==, 0xffff);
	wr(f, DT + INTCLR, 1);
	soc_tm_run_to(f, (1003 + 0xffff) * US - 1);
	g_assert_cmphex(rd(f, DT + RIS), ==, 0);
	soc_tm_run_to(f, (1003 + 0xffff) * US);
	g_assert_cmphex(rd(f, DT + RIS), ==, 1);
	/* 32-bit free-running wraps to 0xffffffff. */
	wr(f, DT + LOAD, 1);
	wr(f, DT + CONTROL, ENABLE | SIZE32);
	soc_tm_run_to(f, (1005 + 0xffff) * US);
	g_assert_cmphex(rd(f, DT + DVALUE), ==, 0xffffffff);
}

static void test_dual_bgload_and_test_mode(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	wr(f, DT + LOAD, 10);
	wr(f, DT + CONTROL, ENABLE | PERIODIC | INTEN | SIZE32);
	soc_tm_run_to(f, 3 * US);
	wr(f, DT + BGLOAD, 4);                          /* VALUE carries on */
	g_assert_cmphex(rd(f, DT + DVALUE), ==, 7);
	g_assert_cmphex(rd(f, DT + LOAD), ==, 4);
	g_assert_cmphex(rd(f, DT + BGLOAD), ==, 4);
	soc_tm_run_to(f, 10 * US);
	g_assert_cmphex(rd(f, DT + RIS), ==, 1);
	soc_tm_run_to(f, 11 * US);
	g_assert_cmphex(rd(f, DT + DVALUE), ==, 4);
	wr(f, DT + INTCLR, 1);

	/* Integration test mode: the lines follow ITOP. */
	wr(f, DT + ITCR, 1);
	wr(f, DT + ITOP, 2);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 0), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 1), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 2), ==, 1);
	wr(f, DT + ITCR, 0);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 0), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, DT_PATH, 2), ==, 0);
	/* Write-only and read-only registers. */
	g_assert_cmphex(rd(f, DT + INTCLR), ==, 0);
	wr(f, DT + DVALUE, 123);
	g_assert_true(soc_tm_log_has(f, "no writable register"));
	g_assert_cmphex(rd(f, DT + DVALUE), !=, 123);
}

/* ---- arm,cmsdk-watchdog --------------------------------------------------------------------- */

static void test_wdog_interrupt_then_reset(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	g_assert_cmphex(rd(f, WD + LOAD), ==, 0xffffffff);
	g_assert_cmphex(rd(f, WD + DVALUE), ==, 0xffffffff);
	g_assert_cmphex(rd(f, WD + LOCK), ==, 0);
	g_assert_cmphex(rd(f, WD + 0xfe0), ==, 0x24);
	soc_tm_run_to(f, 10 * US);                      /* not counting while INTEN is clear */
	g_assert_cmphex(rd(f, WD + DVALUE), ==, 0xffffffff);

	wr(f, WD + LOAD, 100);
	wr(f, WD + CONTROL, 3);                         /* INTEN, RESEN */
	soc_tm_run_to(f, 110 * US - 1);
	g_assert_cmphex(rd(f, WD + DVALUE), ==, 1);
	g_assert_cmphex(rd(f, WD + RIS), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, WD_PATH, 0), ==, 0);
	soc_tm_run_to(f, 110 * US);
	g_assert_cmphex(rd(f, WD + RIS), ==, 1);
	g_assert_cmphex(rd(f, WD + MIS), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, WD_PATH, 0), ==, 1);
	g_assert_false(reset_requested(f));
	soc_tm_run_to(f, 111 * US);
	g_assert_cmphex(rd(f, WD + DVALUE), ==, 100);
	soc_tm_run_to(f, 211 * US - 1);
	g_assert_false(reset_requested(f));
	soc_tm_run_to(f, 211 * US);
	g_assert_true(reset_requested(f));
}

static void test_wdog_cleared_in_time(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	wr(f, WD + LOAD, 100);
	wr(f, WD + CONTROL, 3);
	soc_tm_run_to(f, 100 * US);
	g_assert_cmpint(soc_tm_irq_level(f, WD_PATH, 0), ==, 1);
	soc_tm_run_to(f, 150 * US);
	wr(f, WD + INTCLR, 1);                          /* clears and reloads */
	g_assert_cmpint(soc_tm_irq_level(f, WD_PATH, 0), ==, 0);
	g_assert_cmphex(rd(f, WD + DVALUE), ==, 100);
	soc_tm_run_to(f, 250 * US - 1);
	g_assert_cmphex(rd(f, WD + RIS), ==, 0);
	soc_tm_run_to(f, 250 * US);
	g_assert_cmphex(rd(f, WD + RIS), ==, 1);
	g_assert_false(reset_requested(f));
	/* Without RESEN the second expiry resets nothing. */
	wr(f, WD + CONTROL, 1);
	soc_tm_run_to(f, 1000 * US);
	g_assert_false(reset_requested(f));
	g_assert_cmphex(rd(f, WD + RIS), ==, 1);
	/* Masking the interrupt stops the counter and drops the line. */
	wr(f, WD + CONTROL, 0);
	g_assert_cmpint(soc_tm_irq_level(f, WD_PATH, 0), ==, 0);
	g_assert_cmphex(rd(f, WD + MIS), ==, 0);
}

static void test_wdog_lock(SocTestMachine *f, gconstpointer data)
{
	(void)data;
	wr(f, WD + LOCK, 0);
	g_assert_cmphex(rd(f, WD + LOCK), ==, 1);
	wr(f, WD + LOAD, 5);
	wr(f, WD + CONTROL, 3);
	g_assert_cmphex(rd(f, WD + LOAD), ==, 0xffffffff);
	g_assert_cmphex(rd(f, WD + CONTROL), ==, 0);
	g_assert_true(soc_tm_log_has(f, "while locked"));
	wr(f, WD + LOCK, 0x1acce550);                   /* a near miss locks too */
	g_assert_cmphex(rd(f, WD + LOCK), ==, 1);
	wr(f, WD + LOCK, 0x1acce551);
	g_assert_cmphex(rd(f, WD + LOCK), ==, 0);
	wr(f, WD + LOAD, 5);
	wr(f, WD + CONTROL, 1);
	g_assert_cmphex(rd(f, WD + LOAD), ==, 5);
	wr(f, WD + LOCK, 1);
	soc_tm_run_to(f, 5 * US);
	g_assert_cmpint(soc_tm_irq_level(f, WD_PATH, 0), ==, 1);
	wr(f, WD + INTCLR, 1);                          /* locked: the interrupt stays */
	g_assert_cmpint(soc_tm_irq_level(f, WD_PATH, 0), ==, 1);
	/* Integration test mode drives WDOGINT from ITOP. */
	wr(f, WD + LOCK, 0x1acce551);
	wr(f, WD + INTCLR, 1);
	g_assert_cmpint(soc_tm_irq_level(f, WD_PATH, 0), ==, 0);
	wr(f, WD + ITCR, 1);
	wr(f, WD + ITOP, 2);
	g_assert_cmpint(soc_tm_irq_level(f, WD_PATH, 0), ==, 1);
	wr(f, WD + ITOP, 0);
	g_assert_cmpint(soc_tm_irq_level(f, WD_PATH, 0), ==, 0);
	g_assert_false(reset_requested(f));
}

/* ---- trees ------------------------------------------------------------------------------------ */

static void test_bad_trees(void)
{
	static const char *const names[] = { "bad-cmsdk-timer-no-clock" };

	for (unsigned i = 0; i < G_N_ELEMENTS(names); i++)
		soc_tm_expect_bad_tree(names[i]);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define FT(name, fn) g_test_add("/cmsdk-timers/" name, SocTestMachine, NULL, setup, fn, soc_tm_teardown)
	FT("timer/reset-state", test_timer_reset_state);
	FT("timer/counts-and-wraps", test_timer_counts_and_wraps);
	FT("timer/interrupt-enable", test_timer_interrupt_enable);
	FT("timer/external-input", test_timer_external_input);
	FT("timer/fractional-clock", test_timer_fractional_clock);
	FT("timer/id-and-bad-access", test_timer_id_and_bad_access);
	FT("dualtimer/reset-state", test_dual_reset_state);
	FT("dualtimer/periodic", test_dual_periodic);
	FT("dualtimer/prescale", test_dual_prescale);
	FT("dualtimer/oneshot-and-freerun", test_dual_oneshot_and_freerun);
	FT("dualtimer/bgload-and-test-mode", test_dual_bgload_and_test_mode);
	FT("watchdog/interrupt-then-reset", test_wdog_interrupt_then_reset);
	FT("watchdog/cleared-in-time", test_wdog_cleared_in_time);
	FT("watchdog/lock", test_wdog_lock);
#undef FT
	g_test_add_func("/cmsdk-timers/bad-trees", test_bad_trees);
	return g_test_run();
}
