/* tests/firmware/riscv/clint.c — the CLINT and the hart's interrupt logic (privileged
 * architecture 1.12, 3.1.9 and 3.3.3; the SiFive CLINT / ACLINT layout): MSIP as a register
 * and as the software interrupt, mtimecmp against mtime and the timer interrupt arriving at
 * its deadline, gating by mie and mstatus.MIE, the interrupt taken right after the CSR write
 * that enables it, priorities (MSI before MTI), vectored mode, WFI sleeping until the timer
 * (time passes, almost no instruction does) and not waking for disabled interrupts, and
 * writes to mtime, which the time CSR shadows. */
#include "rt.h"

#define NEVER UINT64_MAX
/* Slack for an interrupt to reach the handler's read of mtime: 500 instructions, in ticks. */
#define SLACK_TICKS (500ull * RT_TIMEBASE / RT_CPU_HZ + 1)

static volatile unsigned order[8], n_order;

static void quiet(unsigned cause)
{
	if (n_order < 8)
		order[n_order++] = cause;
	if (cause == IRQ_MSI)
		mmio_write32(RT_CLINT_MSIP(0), 0);
	else if (cause == IRQ_MTI)
		rt_set_mtimecmp(0, NEVER);
	else
		csr_clear(mie, 1ul << cause);
}

static void reset_irqs(void)
{
	csr_clear(mstatus, MSTATUS_MIE);
	csr_write(mie, 0);
	mmio_write32(RT_CLINT_MSIP(0), 0);
	rt_set_mtimecmp(0, NEVER);
	rt_clear();
	n_order = 0;
}

static void msip_register(void)
{
	uint32_t v;

	reset_irqs();
	mmio_write32(RT_CLINT_MSIP(0), 0xffffffffu);
	v = mmio_read32(RT_CLINT_MSIP(0));
	tap_eq(v, 1, "msip: only bit 0 is kept");
	tap_ok(csr_read(mip) & MIP_MSIP, "mip.MSIP follows the msip register");
	mmio_write32(RT_CLINT_MSIP(0), 0);
	tap_ok(mmio_read32(RT_CLINT_MSIP(0)) == 0 && !(csr_read(mip) & MIP_MSIP), "msip cleared: mip.MSIP clear");
}

static void software_interrupt(void)
{
	uintptr_t next;

	reset_irqs();
	mmio_write32(RT_CLINT_MSIP(0), 1);
	csr_write(mie, MIP_MSIP);
	for (volatile int i = 0; i < 50; i++)
		;
	tap_eq(rt_nirqs, 0, "MSI pending and enabled in mie, mstatus.MIE clear: not taken");
	__asm__ volatile("lla %0, 1f\n\tcsrsi mstatus, 8\n1:" : "=&r"(next) :: "memory");
	tap_ok(rt_nirqs == 1 && rt_last_irq.cause == (RT_INTR | IRQ_MSI),
	       "setting mstatus.MIE takes the software interrupt (mcause 0x%lx)", (unsigned long)rt_last_irq.cause);
	tap_eq(rt_last_irq.epc, next, "... right after the csrs that enabled it (mepc)");
	tap_ok((rt_last_irq.status & MSTATUS_MPIE) && !(rt_last_irq.status & MSTATUS_MIE),
	       "in the handler MIE is clear and MPIE set");
	tap_ok(csr_read(mstatus) & MSTATUS_MIE, "mret set MIE again");
	reset_irqs();
	csr_set(mstatus, MSTATUS_MIE);
	mmio_write32(RT_CLINT_MSIP(0), 1);
	for (volatile int i = 0; i < 50; i++)
		;
	tap_ok(rt_nirqs == 0 && (csr_read(mip) & MIP_MSIP), "MSI pending, MIE set, mie.MSIE clear: not taken");
	__asm__ volatile("lla %0, 1f\n\tcsrs mie, %1\n1:" : "=&r"(next) : "r"(MIP_MSIP) : "memory");
	tap_ok(rt_nirqs == 1 && rt_last_irq.epc == next, "setting mie.MSIE takes it at once");
	/* An mret whose MPIE turns MIE on takes the pending interrupt before its target runs. */
	reset_irqs();
	mmio_write32(RT_CLINT_MSIP(0), 1);
	csr_write(mie, MIP_MSIP);
	csr_set(mstatus, MSTATUS_MPIE | MSTATUS_MPP);
	__asm__ volatile("lla %0, 1f\n\tcsrw mepc, %0\n\tmret\n1:" : "=&r"(next) :: "memory");
	csr_clear(mstatus, MSTATUS_MIE);
	tap_ok(rt_nirqs == 1 && rt_last_irq.epc == next && rt_last_irq.cause == (RT_INTR | IRQ_MSI),
	       "an mret that sets MIE takes the pending interrupt at its target (mepc)");
	reset_irqs();
}

static void timer_compare(void)
{
	uint64_t now;

	reset_irqs();
	tap_ok(!(csr_read(mip) & MIP_MTIP), "mtimecmp all ones: MTIP clear");
	rt_set_mtimecmp(0, 0);
	tap_ok(csr_read(mip) & MIP_MTIP, "mtimecmp 0: MTIP set (mtime >= mtimecmp)");
	now = rt_mtime();
	rt_set_mtimecmp(0, now + 1000000);
	tap_ok(!(csr_read(mip) & MIP_MTIP), "mtimecmp in the future: MTIP clear again");
	rt_set_mtimecmp(0, 0x123456789abcull);
	tap_ok(rt_get_mtimecmp(0) == 0x123456789abcull, "mtimecmp holds 64 bits");
	reset_irqs();
}

static void timer_interrupt(void)
{
	uint64_t deadline, t;
	uint64_t ticks = XLEN == 64 ? 200 : 20;

	reset_irqs();
	rt_irq_hook = quiet;
	deadline = rt_mtime() + ticks;
	rt_set_mtimecmp(0, deadline);
	csr_write(mie, MIP_MTIP);
	csr_set(mstatus, MSTATUS_MIE);
	while (rt_nirqs == 0 && rt_mtime() < deadline + 10 * ticks)
		;
	t = rt_mtime();
	csr_clear(mstatus, MSTATUS_MIE);
	tap_ok(rt_nirqs == 1 && rt_last_irq.cause == (RT_INTR | IRQ_MTI),
	       "the timer interrupt arrives (mcause 0x%lx)", (unsigned long)rt_last_irq.cause);
	tap_ok(rt_irq_mtime >= deadline, "not before the deadline: mtime %lu in the handler, deadline %lu",
	       (unsigned long)rt_irq_mtime, (unsigned long)deadline);
	tap_ok(rt_irq_mtime <= deadline + SLACK_TICKS, "at the deadline: at most %lu ticks late (%lu)",
	       (unsigned long)SLACK_TICKS, (unsigned long)(rt_irq_mtime - deadline));
	tap_ok(t >= deadline, "mtime advanced at least to the deadline");
	tap_ok(!(csr_read(mip) & MIP_MTIP), "the handler's new mtimecmp cleared MTIP");
	reset_irqs();
}

static void priorities_and_vectors(void)
{
	reset_irqs();
	rt_irq_hook = quiet;
	mmio_write32(RT_CLINT_MSIP(0), 1);
	rt_set_mtimecmp(0, 0);
	csr_write(mie, MIP_MSIP | MIP_MTIP);
	csr_set(mstatus, MSTATUS_MIE);
	csr_clear(mstatus, MSTATUS_MIE);
	tap_ok(n_order == 2 && order[0] == IRQ_MSI && order[1] == IRQ_MTI,
	       "MSI and MTI both pending: MSI is taken first (%u taken, first %u)", n_order, order[0]);
	reset_irqs();
	rt_irq_hook = quiet;
	rt_set_vectored(true);
	rt_set_mtimecmp(0, 0);
	csr_write(mie, MIP_MTIP);
	csr_set(mstatus, MSTATUS_MIE);
	csr_clear(mstatus, MSTATUS_MIE);
	tap_ok(rt_nirqs == 1 && rt_last_irq.vector == IRQ_MTI + 1 && rt_last_irq.cause == (RT_INTR | IRQ_MTI),
	       "vectored mode: the timer interrupt enters at base + 4 * 7 (slot %u)", rt_last_irq.vector - 1);
	mmio_write32(RT_CLINT_MSIP(0), 1);
	csr_write(mie, MIP_MSIP);
	csr_set(mstatus, MSTATUS_MIE);
	csr_clear(mstatus, MSTATUS_MIE);
	tap_ok(rt_nirqs == 2 && rt_last_irq.vector == IRQ_MSI + 1, "vectored mode: the software interrupt at base + 4 * 3");
	rt_set_vectored(false);
	reset_irqs();
}

static void wfi_sleeps(void)
{
	uint64_t ticks = XLEN == 64 ? 100000 : 3277, deadline, t0, t1;   /* 10 ms and 100 ms */
	uintptr_t i0, i1, next;

	reset_irqs();
	t0 = rt_mtime();
	deadline = t0 + ticks;
	rt_set_mtimecmp(0, deadline);
	csr_write(mie, MIP_MTIP);
	__asm__ volatile("csrr %0, minstret\n\twfi\n\tcsrr %1, minstret" : "=&r"(i0), "=&r"(i1) :: "memory");
	t1 = rt_mtime();
	tap_ok(t1 >= deadline, "wfi with MIE clear wakes at the timer: mtime %lu, deadline %lu",
	       (unsigned long)t1, (unsigned long)deadline);
	tap_ok(i1 - i0 <= 2, "the hart slept: %lu instructions retired while %lu ticks passed",
	       (unsigned long)(i1 - i0), (unsigned long)(t1 - t0));
	tap_ok(rt_nirqs == 0 && (csr_read(mip) & MIP_MTIP), "no trap was taken; MTIP is pending");

	reset_irqs();
	rt_irq_hook = quiet;
	rt_set_mtimecmp(0, rt_mtime() + ticks / 10);
	csr_write(mie, MIP_MTIP);
	csr_set(mstatus, MSTATUS_MIE);
	__asm__ volatile(".option push\n\t.option norvc\n\t"
	                 "lla %0, 1f\n\t"
	                 "wfi\n"
	                 "1:\t.option pop" : "=&r"(next) :: "memory");
	csr_clear(mstatus, MSTATUS_MIE);
	tap_ok(rt_nirqs == 1 && rt_last_irq.epc == next,
	       "wfi with MIE set: the timer interrupt is taken with mepc = the wfi + 4");

	reset_irqs();
	mmio_write32(RT_CLINT_MSIP(0), 1);
	csr_write(mie, MIP_MSIP);
	t0 = rt_mtime();
	__asm__ volatile("wfi" ::: "memory");
	t1 = rt_mtime();
	tap_ok(t1 - t0 < 10, "wfi with an enabled interrupt already pending returns at once (%lu ticks)",
	       (unsigned long)(t1 - t0));

	reset_irqs();
	mmio_write32(RT_CLINT_MSIP(0), 1);              /* pending, but not enabled in mie */
	t0 = rt_mtime();
	deadline = t0 + ticks / 10;
	rt_set_mtimecmp(0, deadline);
	csr_write(mie, MIP_MTIP);
	__asm__ volatile("wfi" ::: "memory");
	t1 = rt_mtime();
	tap_ok(t1 >= deadline, "a pending interrupt disabled in mie does not wake wfi");
	reset_irqs();
}

static void mtime_writes(void)
{
	uint64_t now = rt_mtime(), set = now + 0x100000000ull, got, cmp;
	uintptr_t t;

	reset_irqs();
#if XLEN == 64
	*(volatile uint64_t *)RT_CLINT_MTIME = set;
#else
	mmio_write32(RT_CLINT_MTIME, 0);
	mmio_write32(RT_CLINT_MTIME + 4, (uint32_t)(set >> 32));
	mmio_write32(RT_CLINT_MTIME, (uint32_t)set);
#endif
	got = rt_mtime();
	tap_ok(got >= set && got - set < 100, "mtime is writable (wrote 0x%lx%08lx, read 0x%lx%08lx)",
	       (unsigned long)(set >> 32), (unsigned long)(uint32_t)set, (unsigned long)(got >> 32),
	       (unsigned long)(uint32_t)got);
	cmp = got + 1000000;
	rt_set_mtimecmp(0, cmp);
	tap_ok(!(csr_read(mip) & MIP_MTIP), "mtimecmp above the new mtime: MTIP clear");
#if XLEN == 64
	*(volatile uint64_t *)RT_CLINT_MTIME = cmp;
#else
	mmio_write32(RT_CLINT_MTIME, 0);
	mmio_write32(RT_CLINT_MTIME + 4, (uint32_t)(cmp >> 32));
	mmio_write32(RT_CLINT_MTIME, (uint32_t)cmp);
#endif
	tap_ok(csr_read(mip) & MIP_MTIP, "writing mtime up to mtimecmp raises MTIP at once");
	rt_set_mtimecmp(0, NEVER);
	got = rt_mtime();
#if XLEN == 64
	__asm__ volatile("csrr %0, time" : "=r"(t));
	tap_ok(t >= got && t - got < 100, "the time CSR shadows the written mtime (time 0x%lx, mtime 0x%lx)",
	       (unsigned long)t, (unsigned long)got);
#else
	__asm__ volatile("csrr %0, timeh" : "=r"(t));
	tap_ok(t == (uintptr_t)(got >> 32), "the timeh CSR shadows the written mtime (timeh 0x%lx, mtime 0x%lx%08lx)",
	       (unsigned long)t, (unsigned long)(got >> 32), (unsigned long)(uint32_t)got);
#endif
}

int main(void)
{
	tap_plan(3 + 8 + 4 + 5 + 3 + 6 + 4);
	rt_init();
	msip_register();
	software_interrupt();
	timer_compare();
	timer_interrupt();
	priorities_and_vectors();
	wfi_sleeps();
	mtime_writes();
	return tap_done();
}
