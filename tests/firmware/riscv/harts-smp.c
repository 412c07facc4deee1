/* tests/firmware/riscv/harts-smp.c — two harts of one cluster (the name ends in -smp for
 * run-elf.sh, which keeps riscv-virt's second hart; on riscv32-mcu
 * tests/data/riscv32-mcu-smp.dtso adds one, with its CLINT lines and PLIC context): hart 1 is
 * woken through its MSIP and runs on its own stack; both harts add to one counter with
 * amoadd.w and with LR/SC loops and no increment is lost; an SC fails when the other hart
 * stored to (or did an AMO on) the reserved word between its LR and SC; hart 1 interrupts
 * hart 0 through hart 0's MSIP; each hart has its own mtimecmp; the PLIC routes the UART's
 * interrupt to hart 1's M-mode context alone. */
#include "rt.h"

#define NEVER UINT64_MAX
#define PLIC_PRIO(id) (RT_PLIC + 4ul * (id))
#define PLIC_ENABLE(c, w) (RT_PLIC + 0x2000ul + 0x80ul * (c) + 4ul * (w))
#define PLIC_THRESHOLD(c) (RT_PLIC + 0x200000ul + 0x1000ul * (c))
#define PLIC_CLAIM(c) (PLIC_THRESHOLD(c) + 4)
#define SRC RT_UART_IRQ
#if XLEN == 64
#define HART1_CTX 2             /* riscv-virt: hart 0 M, hart 0 S, hart 1 M, hart 1 S */

static void uart_raise(void)
{
	mmio_write8(RT_UART + 4, 0x10);         /* MCR: loopback */
	mmio_write8(RT_UART + 1, 0x01);         /* IER: received data */
	mmio_write8(RT_UART + 0, 'A');
}

static void uart_quiet(void)
{
	mmio_write8(RT_UART + 1, 0);
	while (mmio_read8(RT_UART + 5) & 1)
		(void)mmio_read8(RT_UART + 0);
	mmio_write8(RT_UART + 4, 0);
}
#else
#define HART1_CTX 1             /* riscv32-mcu + the overlay: hart 0 M, hart 1 M */

static void uart_raise(void)
{
	mmio_write32(RT_UART + 0x08, 1 | 1u << 16);     /* txctrl: txen, watermark 1 */
	mmio_write32(RT_UART + 0x10, 1);                /* ie: txwm */
}

static void uart_quiet(void)
{
	mmio_write32(RT_UART + 0x10, 0);
	mmio_write32(RT_UART + 0x08, 1);
}
#endif

#define N 20000
#define WAIT RT_TIMEBASE                /* one second of mtime */

static volatile uint32_t counter_amo, counter_lrsc, word, flag1, flag2;

static uintptr_t whoami(uintptr_t x)
{
	volatile uintptr_t on_stack = x;
	return csr_read(mhartid) * 100 + on_stack;
}

static uintptr_t amo_loop(uintptr_t n)
{
	for (uintptr_t i = 0; i < n; i++)
		__asm__ volatile("amoadd.w zero, %0, (%1)" :: "r"(1), "r"(&counter_amo) : "memory");
	return n;
}

static uintptr_t lrsc_loop(uintptr_t n)
{
	uintptr_t tmp, fail;
	for (uintptr_t i = 0; i < n; i++)
		__asm__ volatile("1:\tlr.w %0, (%2)\n\t"
		                 "addi %0, %0, 1\n\t"
		                 "sc.w %1, %0, (%2)\n\t"
		                 "bnez %1, 1b" : "=&r"(tmp), "=&r"(fail) : "r"(&counter_lrsc) : "memory");
	return n;
}

/* Waits for flag1, stores to `word` (x = 0) or swaps it with an AMO (x = 1), sets flag2. */
static uintptr_t interferer(uintptr_t x)
{
	while (!flag1)
		;
	if (x)
		__asm__ volatile("amoswap.w zero, %0, (%1)" :: "r"(77), "r"(&word) : "memory");
	else
		word = 99;
	__asm__ volatile("fence rw, rw" ::: "memory");
	flag2 = 1;
	return 0;
}

/* LR on hart 0, the other hart writes the word, SC on hart 0: its result. */
static uintptr_t broken_reservation(uintptr_t how)
{
	uintptr_t v, fail;

	word = 1;
	flag1 = flag2 = 0;
	rt_smp_start(1, interferer, how);
	__asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"(&word) : "memory");
	flag1 = 1;
	while (!flag2)
		;
	__asm__ volatile("sc.w %0, %2, (%1)" : "=&r"(fail) : "r"(&word), "r"(2) : "memory");
	(void)rt_smp_wait(1, WAIT);
	return fail;
}

/* The other way round: hart 1 holds the reservation, hart 0 stores. */
static uintptr_t reserving(uintptr_t x)
{
	uintptr_t v, fail;
	(void)x;
	__asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"(&word) : "memory");
	flag1 = 1;
	while (!flag2)
		;
	__asm__ volatile("sc.w %0, %2, (%1)" : "=&r"(fail) : "r"(&word), "r"(3) : "memory");
	return fail;
}

static uintptr_t send_ipi(uintptr_t x)
{
	mmio_write32(RT_CLINT_MSIP(0), 1);
	return x;
}

static void quiet_msi(unsigned cause)
{
	if (cause == IRQ_MSI)
		mmio_write32(RT_CLINT_MSIP(0), 0);
	else
		csr_clear(mie, 1ul << cause);
}

/* Hart 1 sleeps until its own mtimecmp: 1 when it woke at or after the deadline. */
static uintptr_t own_timer(uintptr_t ticks)
{
	uint64_t deadline = rt_mtime() + ticks, t;

	rt_set_mtimecmp(1, deadline);
	csr_write(mie, MIP_MTIP);
	while (!(csr_read(mip) & MIP_MTIP))
		__asm__ volatile("wfi");
	t = rt_mtime();
	rt_set_mtimecmp(1, NEVER);
	csr_write(mie, MIP_MSIP);
	return t >= deadline;
}

/* Hart 1 waits for its external interrupt, claims it from its own context, completes it. */
static uintptr_t claim_on_hart1(uintptr_t x)
{
	uint64_t end = rt_mtime() + RT_TIMEBASE / 10;
	uint32_t id = 0;

	(void)x;
	csr_write(mie, MIP_MEIP);
	while (!(csr_read(mip) & MIP_MEIP) && rt_mtime() < end)
		__asm__ volatile("wfi");
	if (csr_read(mip) & MIP_MEIP) {
		id = mmio_read32(PLIC_CLAIM(HART1_CTX));
		uart_quiet();
		mmio_write32(PLIC_CLAIM(HART1_CTX), id);
	}
	csr_write(mie, MIP_MSIP);
	return id;
}

int main(void)
{
	uintptr_t r, fail;

	tap_plan(12);
	rt_init();

	rt_smp_start(1, whoami, 7);
	r = rt_smp_wait(1, WAIT);
	tap_eq(r, 107, "hart 1 wakes on its MSIP and runs a function (mhartid 1, its own stack)");

	counter_amo = 0;
	rt_smp_start(1, amo_loop, N);
	amo_loop(N);
	r = rt_smp_wait(1, WAIT);
	tap_ok(r == N && counter_amo == 2 * N, "amoadd.w from two harts: %lu of %u increments",
	       (unsigned long)counter_amo, 2 * N);

	counter_lrsc = 0;
	rt_smp_start(1, lrsc_loop, N);
	lrsc_loop(N);
	r = rt_smp_wait(1, WAIT);
	tap_ok(r == N && counter_lrsc == 2 * N, "LR/SC increment loops on two harts: %lu of %u",
	       (unsigned long)counter_lrsc, 2 * N);

	counter_amo = 0;
	counter_lrsc = 0;
	rt_smp_start(1, amo_loop, N);
	lrsc_loop(N);
	r = rt_smp_wait(1, WAIT);
	tap_ok(r == N && counter_lrsc == N && counter_amo == N, "hart 0's LR/SC and hart 1's AMOs on different words");

	fail = broken_reservation(0);
	tap_eq(fail, 1, "sc.w fails after the other hart stored to the reserved word");
	tap_eq(word, 99, "... and the other hart's value stays");
	fail = broken_reservation(1);
	tap_ok(fail == 1 && word == 77, "sc.w fails after the other hart's amoswap.w on the reserved word");

	word = 5;
	flag1 = flag2 = 0;
	rt_smp_start(1, reserving, 0);
	while (!flag1)
		;
	word = 6;
	__asm__ volatile("fence rw, rw" ::: "memory");
	flag2 = 1;
	r = rt_smp_wait(1, WAIT);
	tap_ok(r == 1 && word == 6, "hart 1's sc.w fails after hart 0's store (sc %ld, word %lu)", (long)r,
	       (unsigned long)word);

	/* Hart 1 -> hart 0 software interrupt. */
	rt_irq_hook = quiet_msi;
	csr_write(mie, MIP_MSIP);
	csr_set(mstatus, MSTATUS_MIE);
	rt_smp_start(1, send_ipi, 0);
	(void)rt_smp_wait(1, WAIT);
	for (uint64_t end = rt_mtime() + WAIT / 10; rt_nirqs == 0 && rt_mtime() < end;)
		;
	csr_clear(mstatus, MSTATUS_MIE);
	csr_write(mie, 0);
	tap_ok(rt_nirqs == 1 && rt_irq_count[IRQ_MSI] == 1, "hart 1 writes hart 0's msip: hart 0 takes a software interrupt");

	rt_set_mtimecmp(0, NEVER);
	rt_smp_start(1, own_timer, RT_TIMEBASE / 100);
	r = rt_smp_wait(1, WAIT);
	tap_ok(r == 1 && !(csr_read(mip) & MIP_MTIP), "hart 1's own mtimecmp wakes it; hart 0's MTIP stays clear");

	mmio_write32(PLIC_PRIO(SRC), 1);
	mmio_write32(PLIC_ENABLE(0, SRC / 32), 0);
	mmio_write32(PLIC_ENABLE(HART1_CTX, SRC / 32), 1u << (SRC % 32));
	mmio_write32(PLIC_THRESHOLD(HART1_CTX), 0);
	rt_smp_start(1, claim_on_hart1, 0);
	uart_raise();
	fail = (csr_read(mip) & MIP_MEIP) != 0;
	r = rt_smp_wait(1, WAIT);
	uart_quiet();
	mmio_write32(PLIC_ENABLE(HART1_CTX, SRC / 32), 0);
	tap_ok(r == SRC && !fail, "the PLIC routes source %d to hart 1's context %d alone (claimed %ld)", SRC,
	       HART1_CTX, (long)r);

	rt_smp_start(1, whoami, 0);
	tap_eq(rt_smp_wait(1, WAIT), 100, "hart 1 still answers afterwards");
	return tap_done();
}
