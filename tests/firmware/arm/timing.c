/* tests/firmware/arm/timing.c — SysTick (counting, COUNTFLAG, reload, interrupts), DWT.CYCCNT,
 * WFI and WFE sleep with their wake-ups, and sleep-on-exit. socemu retires one instruction
 * per cycle, so counts are checked exactly where the model says and with margins where the
 * compiler decides the code. */
#include "rt.h"

static volatile unsigned ticks;
static volatile bool soe_mode;

static void h_tick(rt_frame *f, uint32_t er)
{
	(void)f;
	(void)er;
	ticks++;
	/* Sleep-on-exit test: sleep between the first and the third tick. */
	if (soe_mode && ticks == 1)
		SCR |= 1u << 1;
	if (soe_mode && ticks == 3)
		SCR &= ~(1u << 1);
}

static void nops16(void)
{
	__asm__ volatile("nop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\t"
	                 "nop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop");
}

static void test_counter(void)
{
	uint32_t a, b;
	rt_eq(SYST_CALIB >> 30, 3, "SysTick CALIB: no reference clock (NOREF, SKEW)");
	SYST_CSR = 0;
	SYST_RVR = 0xFFFFFF;
	SYST_CVR = 12345;
	rt_eq(SYST_CVR, 0, "a write to CVR clears it");
	SYST_CSR = 5;                           /* enable, core clock, no interrupt */
	a = SYST_CVR;
	nops16();
	b = SYST_CVR;
	rt_ok(a - b >= 16 && a - b < 40, "CVR counts down the core clock (%lu cycles over 16 nops)",
	      (unsigned long)(a - b));
	rt_eq(SYST_CSR & (1u << 16), 0, "COUNTFLAG clear before a wrap");
	SYST_CSR = 0;
	SYST_RVR = 2000;
	SYST_CVR = 0;
	SYST_CSR = 5;
	for (volatile int k = 0; k < 1000; k++)
		;
	a = SYST_CSR;
	b = SYST_CSR;
	rt_eq(a & (1u << 16), 1u << 16, "COUNTFLAG set after a wrap");
	rt_eq(b & (1u << 16), 0, "and cleared by reading CSR");
	a = SYST_CVR;
	rt_ok(a <= 2000, "CVR stays within RVR (%lu)", (unsigned long)a);
	SYST_CSR = 0;
	a = SYST_CVR;
	nops16();
	rt_eq(SYST_CVR, a, "a disabled SysTick does not count");
}

static void test_interrupts(void)
{
	ticks = 0;
	rt_set_handler(EXC_SYSTICK, h_tick);
	SYST_RVR = 2499;                        /* 100 us at 25 MHz */
	SYST_CVR = 0;
	SYST_CSR = 7;
	while (ticks < 3)
		;
	rt_eq(ticks, 3, "SysTick interrupts while the core runs");
	while (ticks < 8)
		__asm__ volatile("wfi");
	rt_eq(ticks, 8, "WFI sleeps until the next SysTick interrupt");
	SYST_CSR = 0;
	ICSR = 1u << 25;                        /* PENDSTCLR */
}

static void test_cyccnt(void)
{
#if __ARM_ARCH >= 7
	uint32_t a, b, t0;
	DEMCR |= 1u << 24;
	DWT_CYCCNT = 0;
	DWT_CTRL |= 1;
	a = DWT_CYCCNT;
	nops16();
	b = DWT_CYCCNT;
	rt_ok(b - a >= 16 && b - a < 40, "DWT.CYCCNT counts cycles (%lu over 16 nops)", (unsigned long)(b - a));
	/* Sleeping cycles are not counted: four ticks of 2500 cycles mostly asleep. */
	ticks = 0;
	SYST_RVR = 2499;
	SYST_CVR = 0;
	SYST_CSR = 7;
	t0 = DWT_CYCCNT;
	while (ticks < 4)
		__asm__ volatile("wfi");
	b = DWT_CYCCNT - t0;
	SYST_CSR = 0;
	rt_ok(b < 2000, "CYCCNT does not count while asleep (%lu cycles awake over 4 ticks)", (unsigned long)b);
	DWT_CTRL &= ~1u;
	a = DWT_CYCCNT;
	nops16();
	rt_eq(DWT_CYCCNT, a, "CYCCNT stops with CYCCNTENA clear");
#endif
}

static void test_sleep_on_exit(void)
{
	ticks = 0;
	soe_mode = true;
	rt_set_handler(EXC_SYSTICK, h_tick);
	SYST_RVR = 2499;
	SYST_CVR = 0;
	SYST_CSR = 7;
	/* Tick 1 wakes the WFI; its handler sets SLEEPONEXIT, so returning sleeps again until the
	 * third tick's handler clears it: thread code runs again only then. */
	__asm__ volatile("wfi");
	rt_eq(ticks, 3, "sleep-on-exit: thread mode resumes only after SLEEPONEXIT is cleared");
	SYST_CSR = 0;
	soe_mode = false;
	SCR = 0;
}

static void test_wfe_sev(void)
{
	__asm__ volatile("sev\n\twfe");     /* the event register is set: WFE returns at once */
	rt_ok(true, "SEV then WFE does not sleep");
	ticks = 0;
	SYST_RVR = 2499;
	SYST_CVR = 0;
	SYST_CSR = 7;
	__asm__ volatile("wfe");            /* the exception entry/return events */
	while (ticks < 2)
		__asm__ volatile("wfe");
	rt_ok(ticks >= 2, "WFE wakes on SysTick interrupts (%u)", ticks);
	SYST_CSR = 0;
}

int main(void)
{
	test_counter();
	test_interrupts();
	test_cyccnt();
	test_sleep_on_exit();
	test_wfe_sev();
	return rt_done();
}
