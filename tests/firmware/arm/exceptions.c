/* tests/firmware/arm/exceptions.c — the exception model, from the guest's side: SVCall,
 * PendSV, NMI, external interrupts through the NVIC (priorities, preemption, tail-chaining,
 * PRIMASK/BASEPRI/FAULTMASK, PRIGROUP), EXC_RETURN values, the process stack and
 * unprivileged thread mode, VTOR, and every synchronous fault with its status bits and its
 * escalation to HardFault. Armv6-M runs the subset it has (every fault is a HardFault). */
#include "rt.h"

#include <stdlib.h>
#include <string.h>

static volatile unsigned order[16], n_order;
static volatile uint32_t last_exc_return, last_cfsr, last_hfsr, last_bfar, last_mmfar;
static volatile unsigned hits[RT_VECTORS];

static void log_exc(unsigned exc)
{
	if (n_order < 16)
		order[n_order++] = exc;
}

static void reset_log(void)
{
	n_order = 0;
	memset((void *)hits, 0, sizeof(hits));
}

static bool order_is(const unsigned *want, unsigned n)
{
	if (n_order != n)
		return false;
	for (unsigned k = 0; k < n; k++)
		if (order[k] != want[k])
			return false;
	return true;
}

static void set_irq_prio(unsigned irq, uint8_t prio)
{
	/* Armv6-M only takes word accesses to the priority registers. */
	uint32_t v = NVIC_IPR(irq / 4);
	v &= ~(0xFFu << (8 * (irq % 4)));
	v |= (uint32_t)prio << (8 * (irq % 4));
	NVIC_IPR(irq / 4) = v;
}

static void enable_irq(unsigned irq)
{
	NVIC_ISER(irq / 32) = 1u << (irq % 32);
}

static void pend_irq(unsigned irq)
{
	NVIC_ISPR(irq / 32) = 1u << (irq % 32);
	rt_barrier();
}

/* ---- handlers --------------------------------------------------------------------------------- */

static void h_record(rt_frame *f, uint32_t er)
{
	uint32_t ipsr;
	(void)f;
	__asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
	last_exc_return = er;
	hits[ipsr & 0x3F]++;
	log_exc(ipsr & 0x1FF);
}

static void h_svc(rt_frame *f, uint32_t er)
{
	uint8_t imm = *(volatile uint8_t *)(f->pc - 2);
	h_record(f, er);
	f->r0 = 0x5500u | imm;
	/* svc #7 asks to become privileged again (see the unprivileged test) */
	if (imm == 7)
		rt_set_control(rt_get_control() & ~1u);
}

/* IRQ 4 pends the higher-priority IRQ 5 (preemption) and the equal-priority IRQ 6. */
static void h_irq4(rt_frame *f, uint32_t er)
{
	h_record(f, er);
	pend_irq(5);
	pend_irq(6);
	log_exc(100);                /* IRQ 4 resumes here */
}

static void h_irq5(rt_frame *f, uint32_t er)
{
	h_record(f, er);
}

/* Faults: record the status and skip the faulting instruction. */
static void h_fault_skip(rt_frame *f, uint32_t er)
{
	h_record(f, er);
	if (!rt_is_v6m()) {
		last_cfsr = CFSR;
		last_hfsr = HFSR;
		last_bfar = BFAR;
		last_mmfar = MMFAR;
		CFSR = last_cfsr;        /* write-one-to-clear */
		HFSR = last_hfsr;
	}
	f->pc += rt_insn_len(f->pc);
}

/* SVC escalated to HardFault: SVC has completed, the stacked pc is already past it. */
static void h_fault_keep(rt_frame *f, uint32_t er)
{
	h_record(f, er);
	if (!rt_is_v6m()) {
		last_cfsr = CFSR;
		last_hfsr = HFSR;
		CFSR = last_cfsr;
		HFSR = last_hfsr;
	}
}

/* Faults of a branch target (execute-never, T bit clear): resume at the caller. */
static void h_fault_return(rt_frame *f, uint32_t er)
{
	h_record(f, er);
	if (!rt_is_v6m()) {
		last_cfsr = CFSR;
		last_hfsr = HFSR;
		CFSR = last_cfsr;
		HFSR = last_hfsr;
	}
	f->pc = f->lr & ~1u;
	f->xpsr |= 1u << 24;
}

/* ---- tests --------------------------------------------------------------------------------- */

static void test_cpuid(void)
{
	uint32_t part = (CPUID >> 4) & 0xFFF;
	rt_ok(part == 0xC20 || part == 0xC60 || part == 0xC23 || part == 0xC24 || part == 0xC27 || part == 0xD21,
	      "CPUID 0x%08lx names a Cortex-M core", (unsigned long)CPUID);
	rt_eq(AIRCR >> 16, 0xFA05, "AIRCR reads VECTKEYSTAT 0xFA05");
}

static uint32_t do_svc5(void)
{
	register uint32_t r0 __asm__("r0") = 0;
	__asm__ volatile("svc #5" : "+r"(r0) : : "memory");
	return r0;
}

static void test_svc(void)
{
	reset_log();
	rt_set_handler(EXC_SVCALL, h_svc);
	rt_eq(do_svc5(), 0x5505, "SVC #5 runs the SVCall handler, which returns a value in r0");
	rt_eq(hits[EXC_SVCALL], 1, "SVCall taken once");
	if (rt_is_v8m())
		rt_eq(last_exc_return & 0xFFFFFFAF, 0xFFFFFFA8, "EXC_RETURN: thread mode, main stack (Armv8-M)");
	else
		rt_eq(last_exc_return & 0xFFFFFFEF, 0xFFFFFFE9, "EXC_RETURN: thread mode, main stack");
}

static void test_pendsv_nmi(void)
{
	reset_log();
	rt_set_handler(EXC_PENDSV, h_record);
	ICSR = 1u << 28;
	rt_barrier();
	rt_eq(hits[EXC_PENDSV], 1, "ICSR.PENDSVSET pends PendSV, taken at once");
	rt_set_handler(EXC_NMI, h_record);
	ICSR = 1u << 31;
	rt_barrier();
	rt_eq(hits[EXC_NMI], 1, "ICSR.NMIPENDSET pends NMI, taken at once");
	rt_eq(ICSR & ((1u << 31) | (1u << 28)), 0, "nothing left pending in ICSR");
}

static void test_irq_basic(void)
{
	reset_log();
	rt_set_handler(EXC_IRQ0 + 3, h_record);
	set_irq_prio(3, 0x80);
	pend_irq(3);
	rt_eq(hits[EXC_IRQ0 + 3], 0, "a pending interrupt that is not enabled is not taken");
	rt_eq(NVIC_ISPR(0) & (1u << 3), 1u << 3, "ISPR shows it pending");
	enable_irq(3);
	rt_barrier();
	rt_eq(hits[EXC_IRQ0 + 3], 1, "enabling it takes it");
	rt_eq(NVIC_ISPR(0) & (1u << 3), 0, "and it is no longer pending");
	NVIC_ICER(0) = 1u << 3;
}

static void test_preemption(void)
{
	static const unsigned want[] = { EXC_IRQ0 + 4, EXC_IRQ0 + 5, 100, EXC_IRQ0 + 6 };
	reset_log();
	rt_set_handler(EXC_IRQ0 + 4, h_irq4);
	rt_set_handler(EXC_IRQ0 + 5, h_irq5);
	rt_set_handler(EXC_IRQ0 + 6, h_record);
	set_irq_prio(4, 0xC0);
	set_irq_prio(5, 0x40);
	set_irq_prio(6, 0xC0);
	enable_irq(4);
	enable_irq(5);
	enable_irq(6);
	pend_irq(4);
	rt_ok(order_is(want, 4), "a higher priority preempts at once, an equal one waits for the tail-chain "
	      "(order %u %u %u %u, %u entries)", order[0], order[1], order[2], order[3], n_order);
	NVIC_ICER(0) = 0x70;
}

static void test_priority_order(void)
{
	static const unsigned want[] = { EXC_IRQ0 + 8, EXC_IRQ0 + 9, EXC_IRQ0 + 7 };
	reset_log();
	for (unsigned irq = 7; irq <= 9; irq++)
		rt_set_handler(EXC_IRQ0 + irq, h_record);
	set_irq_prio(7, 0xC0);
	set_irq_prio(8, 0x40);
	set_irq_prio(9, 0x40);
	__asm__ volatile("cpsid i" : : : "memory");
	for (unsigned irq = 7; irq <= 9; irq++) {
		enable_irq(irq);
		pend_irq(irq);
	}
	rt_eq(n_order, 0, "PRIMASK holds every interrupt back");
	rt_eq(ICSR & (1u << 22), 1u << 22, "ICSR.ISRPENDING is set");
	rt_eq((ICSR >> 12) & 0x1FF, EXC_IRQ0 + 8, "ICSR.VECTPENDING names the highest-priority one");
	__asm__ volatile("cpsie i" : : : "memory");
	rt_barrier();
	rt_ok(order_is(want, 3), "released: by priority, then by number (order %u %u %u)", order[0], order[1],
	      order[2]);
	NVIC_ICER(0) = 0x380;
}

#if __ARM_ARCH >= 7
static void test_basepri_faultmask(void)
{
	uint32_t v;
	reset_log();
	rt_set_handler(EXC_IRQ0 + 10, h_record);
	rt_set_handler(EXC_IRQ0 + 11, h_record);
	set_irq_prio(10, 0x80);
	set_irq_prio(11, 0x40);
	enable_irq(10);
	enable_irq(11);
	v = 0x80;
	__asm__ volatile("msr basepri, %0" : : "r"(v) : "memory");
	pend_irq(10);
	rt_eq(hits[EXC_IRQ0 + 10], 0, "BASEPRI 0x80 masks priority 0x80");
	pend_irq(11);
	rt_eq(hits[EXC_IRQ0 + 11], 1, "but not priority 0x40");
	v = 0xA0;
	__asm__ volatile("msr basepri_max, %0" : : "r"(v) : "memory");
	__asm__ volatile("mrs %0, basepri" : "=r"(v));
	rt_eq(v, 0x80, "BASEPRI_MAX only raises the mask");
	v = 0;
	__asm__ volatile("msr basepri, %0" : : "r"(v) : "memory");
	rt_barrier();
	rt_eq(hits[EXC_IRQ0 + 10], 1, "clearing BASEPRI lets it in");

	__asm__ volatile("cpsid f" : : : "memory");
	pend_irq(11);
	rt_eq(hits[EXC_IRQ0 + 11], 1, "FAULTMASK holds back priority 0x40");
	__asm__ volatile("cpsie f" : : : "memory");
	rt_barrier();
	rt_eq(hits[EXC_IRQ0 + 11], 2, "released by CPSIE f");
	NVIC_ICER(0) = 3u << 10;
}

/* PRIGROUP: with group priority in bit 7 only, 0x40 cannot preempt 0x60. */
static void h_irq12(rt_frame *f, uint32_t er)
{
	h_record(f, er);
	pend_irq(13);
	log_exc(101);
}

static void test_prigroup(void)
{
	static const unsigned want_split[] = { EXC_IRQ0 + 12, EXC_IRQ0 + 13, 101 };
	static const unsigned want_group[] = { EXC_IRQ0 + 12, 101, EXC_IRQ0 + 13 };
	rt_set_handler(EXC_IRQ0 + 12, h_irq12);
	rt_set_handler(EXC_IRQ0 + 13, h_record);
	set_irq_prio(12, 0x60);
	set_irq_prio(13, 0x40);
	enable_irq(12);
	enable_irq(13);
	reset_log();
	pend_irq(12);
	rt_ok(order_is(want_split, 3), "PRIGROUP 0: priority 0x40 preempts 0x60");
	AIRCR = 0x05FA0000u | 6u << 8;
	rt_eq((AIRCR >> 8) & 7, 6, "PRIGROUP reads back 6");
	reset_log();
	pend_irq(12);
	rt_ok(order_is(want_group, 3), "PRIGROUP 6: 0x40 and 0x60 share a group: no preemption");
	AIRCR = 0x05FA0000u;
	NVIC_ICER(0) = 3u << 12;
}

#endif

static void h_irq14(rt_frame *f, uint32_t er)
{
	h_record(f, er);
	pend_irq(15);
	log_exc(102);
}

static void test_nested_exc_return(void)
{
	static const unsigned want[] = { EXC_IRQ0 + 14, EXC_IRQ0 + 15, 102 };
	rt_set_handler(EXC_IRQ0 + 14, h_irq14);
	rt_set_handler(EXC_IRQ0 + 15, h_record);
	set_irq_prio(14, 0xC0);
	set_irq_prio(15, 0x00);
	enable_irq(14);
	enable_irq(15);
	reset_log();
	pend_irq(14);
	rt_ok(order_is(want, 3), "nested interrupt taken inside the handler");
	if (rt_is_v8m())
		rt_eq(last_exc_return & 0xFFFFFFAF, 0xFFFFFFA0, "EXC_RETURN of a nested exception: handler mode");
	else
		rt_eq(last_exc_return & 0xFFFFFFEF, 0xFFFFFFE1, "EXC_RETURN of a nested exception: handler mode");
	NVIC_ICER(0) = 3u << 14;
}

static uint32_t psp_stack[256] __attribute__((aligned(8)));

static void test_process_stack(void)
{
	uint32_t sp, psp;
	psp = (uint32_t)&psp_stack[256];
	__asm__ volatile("msr psp, %0" : : "r"(psp));
	rt_set_control(2);
	__asm__ volatile("mov %0, sp" : "=r"(sp));
	rt_ok(sp >= (uint32_t)psp_stack && sp <= psp, "CONTROL.SPSEL = 1: thread mode runs on PSP");
	reset_log();
	do_svc5();
	if (rt_is_v8m())
		rt_eq(last_exc_return & 0xFFFFFFAF, 0xFFFFFFAC, "EXC_RETURN: thread mode, process stack");
	else
		rt_eq(last_exc_return & 0xFFFFFFEF, 0xFFFFFFED, "EXC_RETURN: thread mode, process stack");
	if (!rt_is_v6m() || (CPUID & 0xFFF0) == 0xC600) {
		/* Unprivileged thread mode: SCS writes fault, MSR CONTROL is ignored, SVC returns. */
		if (!rt_is_v6m()) {
			rt_set_handler(EXC_BUSFAULT, h_fault_skip);
			SHCSR |= 1u << 17;
		}
		rt_set_control(3);
		rt_eq(rt_get_control() & 3, 3, "CONTROL.nPRIV = 1: unprivileged");
		rt_set_control(2);
		rt_eq(rt_get_control() & 1, 1, "unprivileged code cannot clear nPRIV");
		if (!rt_is_v6m()) {
			reset_log();
			ICSR = 1u << 28;       /* a PPB store: BusFault when unprivileged */
			rt_eq(hits[EXC_BUSFAULT], 1, "an unprivileged store to the SCS is a BusFault");
			rt_eq(hits[EXC_PENDSV], 0, "and does nothing");
		}
		__asm__ volatile("svc #7" : : : "r0", "memory");
		rt_eq(rt_get_control() & 1, 0, "SVC handler makes thread mode privileged again");
		if (!rt_is_v6m())
			SHCSR &= ~(1u << 17);
	}
	rt_set_control(0);
	__asm__ volatile("mov %0, sp" : "=r"(sp));
	rt_ok(sp < (uint32_t)psp_stack || sp > (uint32_t)&psp_stack[256], "back on MSP");
}

static const void *ram_vectors[RT_VECTORS] __attribute__((aligned(256)));

static void test_vtor(void)
{
	extern const void *const __interrupt_vector[RT_VECTORS];
	if ((CPUID & 0xFFF0) == 0xC200) {
		rt_eq(VTOR, 0, "Cortex-M0: VTOR reads as zero");
		return;
	}
	memcpy(ram_vectors, __interrupt_vector, sizeof(ram_vectors));
	VTOR = (uint32_t)ram_vectors;
	rt_barrier();
	rt_eq(VTOR, (uint32_t)ram_vectors, "VTOR moved to a table in RAM");
	reset_log();
	rt_eq(do_svc5(), 0x5505, "SVC through the relocated table");
	VTOR = 0;
	rt_barrier();
}

/* ---- faults -------------------------------------------------------------------------------- */

#if __ARM_ARCH < 7
static void test_faults_v6m(void)
{
	volatile uint32_t x;
	rt_set_handler(EXC_HARDFAULT, h_fault_skip);
	reset_log();
	__asm__ volatile(".short 0xde00" : : : "memory");      /* UDF */
	rt_eq(hits[EXC_HARDFAULT], 1, "Armv6-M: UDF is a HardFault");
	reset_log();
	/* unaligned (in assembly: the compiler would split a load it knows is unaligned) */
	__asm__ volatile("ldr %0, [%1]" : "=r"(x) : "r"(0x20000002u) : "memory");
	(void)x;
	rt_eq(hits[EXC_HARDFAULT], 1, "Armv6-M: an unaligned load is a HardFault");
	reset_log();
	x = *(volatile uint32_t *)0x60000000;                   /* nothing there */
	rt_eq(hits[EXC_HARDFAULT], 1, "Armv6-M: a bus error is a HardFault");
	reset_log();
	rt_set_handler(EXC_HARDFAULT, h_fault_keep);
	__asm__ volatile("cpsid i\n\tsvc #1\n\tcpsie i" : : : "r0", "memory");
	rt_eq(hits[EXC_HARDFAULT], 1, "Armv6-M: SVC with PRIMASK set escalates to HardFault");
	rt_eq(rt_get_primask(), 0, "and returns after the SVC");
	rt_set_handler(EXC_HARDFAULT, h_fault_return);
	reset_log();
	{
		void (*fn)(void) = (void (*)(void))0x20000000u;   /* even: T bit clear */
		fn();
	}
	rt_eq(hits[EXC_HARDFAULT], 1, "Armv6-M: a branch that clears T faults");
}
#endif

#if __ARM_ARCH >= 7
static void h_irq16(rt_frame *f, uint32_t er)
{
	h_record(f, er);
	__asm__ volatile(".short 0xde00" : : : "memory");
}

static void test_faults_v7m(void)
{
	volatile uint32_t x;
	uint32_t one = 1, zero = 0, q;

	rt_set_handler(EXC_USAGEFAULT, h_fault_skip);
	rt_set_handler(EXC_BUSFAULT, h_fault_skip);
	rt_set_handler(EXC_MEMMANAGE, h_fault_return);
	rt_set_handler(EXC_HARDFAULT, h_fault_skip);
	SHCSR |= 7u << 16;
	rt_eq(SHCSR & (7u << 16), 7u << 16, "SHCSR enables MemManage, BusFault, UsageFault");

	reset_log();
	__asm__ volatile(".short 0xde00" : : : "memory");
	rt_eq(hits[EXC_USAGEFAULT], 1, "UDF: UsageFault");
	rt_eq(last_cfsr, 1u << 16, "CFSR.UNDEFINSTR");

	reset_log();
	__asm__ volatile("mov r1, %0\n\tldm r1, {r2, r3}" : : "r"(0x20000002u) : "r1", "r2", "r3", "memory");
	rt_eq(hits[EXC_USAGEFAULT], 1, "LDM from an unaligned address: UsageFault");
	rt_eq(last_cfsr, 1u << 24, "CFSR.UNALIGNED");

	reset_log();
	__asm__ volatile("ldr %0, [%1]" : "=r"(x) : "r"(0x20000002u) : "memory");
	rt_eq(hits[EXC_USAGEFAULT], 0, "an unaligned LDR is allowed");
	CCR |= 1u << 3;
	__asm__ volatile("ldr %0, [%1]" : "=r"(x) : "r"(0x20000002u) : "memory");
	rt_eq(hits[EXC_USAGEFAULT], 1, "with CCR.UNALIGN_TRP it faults");
	CCR &= ~(1u << 3);

	reset_log();
	__asm__ volatile("udiv %0, %1, %2" : "=r"(q) : "r"(one), "r"(zero));
	rt_eq(q, 0, "division by zero gives 0");
	CCR |= 1u << 4;
	__asm__ volatile("udiv %0, %1, %2" : "=r"(q) : "r"(one), "r"(zero));
	rt_eq(last_cfsr, 1u << 25, "with CCR.DIV_0_TRP: UsageFault DIVBYZERO");
	CCR &= ~(1u << 4);

	reset_log();
	x = *(volatile uint32_t *)0x60000000;
	(void)x;
	rt_eq(hits[EXC_BUSFAULT], 1, "a load from nothing: BusFault");
	rt_eq(last_cfsr, (1u << 9) | (1u << 15), "CFSR.PRECISERR and BFARVALID");
	rt_eq(last_bfar, 0x60000000, "BFAR holds the address");

	reset_log();
	{
		void (*fn)(void) = (void (*)(void))0x40010001u;   /* peripheral region: execute-never */
		fn();
	}
	rt_eq(hits[EXC_MEMMANAGE], 1, "executing from execute-never memory: MemManage");
	rt_eq(last_cfsr, 1u << 0, "CFSR.IACCVIOL");

	rt_set_handler(EXC_USAGEFAULT, h_fault_return);
	reset_log();
	{
		void (*fn)(void) = (void (*)(void))0x20000000u;   /* even: T bit clear */
		fn();
	}
	rt_eq(hits[EXC_USAGEFAULT], 1, "a branch that clears T: UsageFault");
	rt_eq(last_cfsr, 1u << 17, "CFSR.INVSTATE");
	rt_set_handler(EXC_USAGEFAULT, h_fault_skip);

	/* Escalation */
	SHCSR &= ~(1u << 18);
	reset_log();
	__asm__ volatile(".short 0xde00" : : : "memory");
	rt_eq(hits[EXC_HARDFAULT], 1, "UsageFault disabled: escalated to HardFault");
	rt_eq(last_hfsr, 1u << 30, "HFSR.FORCED");
	rt_eq(last_cfsr, 1u << 16, "CFSR still says UNDEFINSTR");
	SHCSR |= 1u << 18;

	reset_log();
	rt_set_handler(EXC_HARDFAULT, h_fault_keep);
	__asm__ volatile("cpsid i\n\tsvc #1\n\tcpsie i" : : : "r0", "memory");
	rt_eq(hits[EXC_HARDFAULT], 1, "SVC with PRIMASK set: escalated to HardFault");
	rt_eq(last_hfsr, 1u << 30, "HFSR.FORCED");
	rt_eq(rt_get_primask(), 0, "and returns after the SVC");
	rt_set_handler(EXC_HARDFAULT, h_fault_skip);

	reset_log();
	__asm__ volatile("bkpt #1" : : : "memory");
	rt_eq(hits[EXC_HARDFAULT], 1, "BKPT with no debugger: HardFault");
	rt_eq(last_hfsr, 1u << 31, "HFSR.DEBUGEVT");

	/* A UsageFault of the same priority as the running handler escalates too. */
	SHPR1 = 0x40u << 16;     /* UsageFault priority 0x40 */
	rt_set_handler(EXC_IRQ0 + 16, h_irq16);
	set_irq_prio(16, 0x20);
	enable_irq(16);
	reset_log();
	pend_irq(16);
	rt_eq(hits[EXC_HARDFAULT], 1, "UDF in a handler more urgent than UsageFault: HardFault");
	SHPR1 = 0;
	NVIC_ICER(0) = 1u << 16;
	SHCSR &= ~(7u << 16);
}
#endif

int main(void)
{
	test_cpuid();
	test_svc();
	test_pendsv_nmi();
	test_irq_basic();
	test_preemption();
	test_priority_order();
#if __ARM_ARCH >= 7
	test_basepri_faultmask();
	test_prigroup();
#endif
	test_nested_exc_return();
	test_process_stack();
	test_vtor();
#if __ARM_ARCH >= 7
	test_faults_v7m();
#else
	test_faults_v6m();
#endif
	return rt_done();
}
