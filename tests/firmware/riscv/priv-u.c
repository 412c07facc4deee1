/* tests/firmware/riscv/priv-u.c — a hart with M and U modes but no S (run-elf.sh: "u" in
 * riscv,isa), as microcontrollers have it: ecall from U, U's privilege checks, no S state at
 * all (S CSRs, medeleg/mideleg, sret and S values of MPP), mret leaving MPP = U, TW making
 * wfi in U illegal, mcounteren alone gating U's counters, M interrupts from U, and PMP:
 * without a matching entry U cannot even fetch. */
#include "rt.h"

#define RUN(priv, fn) (rt_clear(), rt_run(priv, fn, 0))
#define ILLEGAL_IN(priv, fn, desc) do { \
	RUN(priv, fn); \
	rt_expect_m(CAUSE_ILLEGAL, priv, rt_insn_at(rt_at), 0, desc); \
} while (0)
/* An instruction illegal in M too. */
#define ILLEGAL_M(insn, desc) do { \
	uintptr_t at_; \
	rt_clear(); \
	__asm__ volatile(".option push\n\t.option norvc\n\tlla %0, 1f\n1:\t" insn "\n\t.option pop" \
	                 : "=&r"(at_) :: "t0", "memory"); \
	rt_at = at_; \
	rt_expect_m(CAUSE_ILLEGAL, PRIV_M, rt_insn_at(at_), 0, desc); \
} while (0)

RT_PROBE(p_ecall, "ecall")
RT_PROBE(p_mstatus, "csrr t1, mstatus")
RT_PROBE(p_mret, "mret")
RT_PROBE(p_sret, "sret")
RT_PROBE(p_wfi, "wfi")
RT_PROBE(p_cycle, "csrr t1, cycle")
RT_PROBE(p_instret, "csrr t1, instret")

static uintptr_t plus_one(uintptr_t x)
{
	return x + 1;
}

static uintptr_t spin(uintptr_t x)
{
	for (volatile int i = 0; i < 50; i++)
		;
	return x;
}

static void mirq(unsigned cause)
{
	if (cause == IRQ_MSI)
		mmio_write32(RT_CLINT_MSIP(0), 0);
	else
		csr_clear(mie, 1ul << cause);
}

int main(void)
{
	uintptr_t misa = csr_read(misa), st, r;

	tap_plan(20);
	rt_init();
	rt_pmp_open();

	tap_ok((misa >> ('U' - 'A') & 1) && !(misa >> ('S' - 'A') & 1), "misa has U and no S");
#if XLEN == 64
	tap_eq(csr_read(mstatus) >> 32 & 0xf, 0x2, "mstatus.UXL = 2, SXL = 0");
#else
	tap_ok(true, "mstatus has no UXL/SXL on RV32");
#endif
	rt_clear();
	r = rt_run(PRIV_U, plus_one, 1);
	tap_ok(r == 2 && rt_ntraps == 0, "a function runs in U-mode");
	RUN(PRIV_U, p_ecall);
	rt_expect_m(CAUSE_ECALL_U, PRIV_U, 0, 0, "ecall from U: cause 8, MPP = U");
	ILLEGAL_IN(PRIV_U, p_mstatus, "U reading mstatus: illegal");
	ILLEGAL_IN(PRIV_U, p_mret, "mret in U: illegal");
	ILLEGAL_IN(PRIV_U, p_sret, "sret in U without S-mode: illegal");
	ILLEGAL_M("sret", "sret in M without S-mode: illegal");
	ILLEGAL_M("csrr t0, sstatus", "sstatus does not exist");
	ILLEGAL_M("csrr t0, medeleg", "medeleg does not exist without S");
	ILLEGAL_M("csrr t0, 0x106", "scounteren does not exist without S");

	csr_clear(mstatus, MSTATUS_MPP);
	csr_set(mstatus, 1ul << 11);            /* MPP = S, which does not exist */
	st = csr_read(mstatus) & MSTATUS_MPP;
	tap_ok(st == 0 || st == MSTATUS_MPP, "mstatus.MPP never holds S (WARL: 0x%lx)", (unsigned long)st);
	csr_set(mstatus, MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TW);
	__asm__ volatile("lla t0, 1f\n\tcsrw mepc, t0\n\tmret\n1:\tcsrr %0, mstatus" : "=r"(st) :: "t0");
	tap_eq(st & MSTATUS_MPP, 0, "mret leaves MPP = U, the least-privileged mode");
	tap_ok((st & MSTATUS_MPRV) && (st & MSTATUS_TW), "MPRV and TW are writable with U-mode (0x%lx)",
	       (unsigned long)st);
	csr_clear(mstatus, MSTATUS_MPRV);
	ILLEGAL_IN(PRIV_U, p_wfi, "wfi in U with mstatus.TW: illegal");
	csr_clear(mstatus, MSTATUS_TW);

	csr_write(mcounteren, 0);
	ILLEGAL_IN(PRIV_U, p_cycle, "cycle in U with mcounteren.CY clear: illegal");
	csr_write(mcounteren, 4);
	RUN(PRIV_U, p_instret);
	tap_eq(rt_ntraps, 0, "instret in U with mcounteren.IR set (no scounteren without S)");
	csr_write(mcounteren, 0);

	rt_irq_hook = mirq;
	csr_clear(mstatus, MSTATUS_MIE);
	csr_write(mie, MIP_MSIP);
	mmio_write32(RT_CLINT_MSIP(0), 1);
	RUN(PRIV_U, spin);
	tap_ok(rt_nirqs == 1 && rt_last_irq.cause == (RT_INTR | IRQ_MSI) && rt_last_irq.from == PRIV_U,
	       "an M interrupt is taken from U although mstatus.MIE is clear");
	csr_write(mie, 0);

	/* No PMP entry matches: U cannot fetch its first instruction. */
	csr_write(pmpcfg0, 0);
#if XLEN == 64
	csr_write(pmpcfg2, 0);
#else
	csr_write(pmpcfg3, 0);
#endif
	rt_clear();
	rt_resume = (uintptr_t)rt_run_back;
	(void)rt_run(PRIV_U, plus_one, 1);
	tap_ok(rt_ntraps == 1 && rt_last.cause == CAUSE_INSN_ACCESS && rt_last.from == PRIV_U &&
	       rt_last.tval == (uintptr_t)plus_one && rt_last.epc == (uintptr_t)plus_one,
	       "no PMP entry matches: U's fetch is an instruction access fault (mtval 0x%lx)",
	       (unsigned long)rt_last.tval);
	rt_pmp_open();
	rt_clear();
	r = rt_run(PRIV_U, plus_one, 5);
	tap_ok(r == 6 && rt_ntraps == 0, "an entry for everything, R W X: U runs again");
	return tap_done();
}
