/* tests/firmware/riscv/priv-su.c — a hart with S and U modes (run-elf.sh: "su" in riscv,isa on
 * rv32, an mmu-type on rv64): ecall from U and from S, CSR and xRET privilege checks, WFI in
 * U, counter gating by mcounteren/scounteren, delegation of exceptions (medeleg) and
 * interrupts (mideleg) to an S-mode handler, M interrupts taken from U whatever mstatus.MIE
 * says, sret's effect on sstatus, TVM and TSR, the sstatus/sie/sip views, and PMP: U and S
 * need a matching entry, MPRV makes M's loads U's, a locked entry binds M too. */
#include "rt.h"

extern char rt_strap_entry[];

static volatile uint32_t guard[1024] __attribute__((aligned(4096)));
static volatile uint32_t locked[1024] __attribute__((aligned(4096)));

#define NAPOT(base, size) (((uintptr_t)(base) >> 2) | (((size) >> 3) - 1))

RT_PROBE(p_ecall, "ecall")
RT_PROBE(p_ebreak, "ebreak")
RT_PROBE(p_mstatus, "csrr t1, mstatus")
RT_PROBE(p_sstatus, "csrr t1, sstatus")
RT_PROBE(p_satp, "csrr t1, satp")
RT_PROBE(p_mret, "mret")
RT_PROBE(p_sret, "sret")
RT_PROBE(p_wfi, "wfi")
RT_PROBE(p_sfence, "sfence.vma")
RT_PROBE(p_cycle, "csrr t1, cycle")
RT_PROBE(p_time, "csrr t1, time")
RT_PROBE(p_load, "lw t1, 0(t0)")
RT_PROBE(p_store, "sw t1, 0(t0)")
RT_PROBE(p_jump, "jalr ra, 0(t0)")
RT_PROBE(p_mscratch_write, "csrw mscratch, t0")

static uintptr_t spin(uintptr_t x)
{
	for (volatile int i = 0; i < 50; i++)
		;
	return x;
}

static uintptr_t plus_one(uintptr_t x)
{
	return x + 1;
}

/* In S: sret to U (SPP = U, SPIE = 1, SIE = 0), where an ecall traps to M. */
static uintptr_t s_sret_to_u(uintptr_t x)
{
	uintptr_t at;
	__asm__ volatile("lla t0, 2f\n\t"
	                 "csrw sepc, t0\n\t"
	                 "li t0, 0x100\n\t"
	                 "csrc sstatus, t0\n\t"
	                 "li t0, 0x20\n\t"
	                 "csrs sstatus, t0\n\t"
	                 "csrci sstatus, 2\n\t"
	                 "sret\n"
	                 "2:\tlla %0, 3f\n"
	                 "3:\tecall" : "=&r"(at) :: "t0", "memory");
	rt_at = at;
	return x;
}

#define RUN(priv, fn) (rt_clear(), rt_run(priv, fn, 0))
#define ILLEGAL_IN(priv, fn, desc) do { \
	RUN(priv, fn); \
	rt_expect_m(CAUSE_ILLEGAL, priv, rt_insn_at(rt_at), 0, desc); \
} while (0)

static void sirq(unsigned cause)
{
	csr_clear(sip, 1ul << cause);
}

static void mirq(unsigned cause)
{
	if (cause == IRQ_MSI)
		mmio_write32(RT_CLINT_MSIP(0), 0);
	else
		csr_clear(mie, 1ul << cause);
}

static void modes_and_calls(void)
{
	uintptr_t misa = csr_read(misa), r;

	tap_ok((misa >> ('S' - 'A') & 1) && (misa >> ('U' - 'A') & 1), "misa has S and U");
#if XLEN == 64
	tap_eq(csr_read(mstatus) >> 32 & 0xf, 0xa, "mstatus.UXL = SXL = 2 (64-bit)");
#else
	tap_ok(true, "mstatus has no UXL/SXL on RV32");
#endif
	rt_clear();
	r = rt_run(PRIV_U, plus_one, 41);
	tap_ok(r == 42 && rt_ntraps == 0, "a function runs in U-mode and returns");
	RUN(PRIV_U, p_ecall);
	rt_expect_m(CAUSE_ECALL_U, PRIV_U, 0, 0, "ecall from U: cause 8, MPP = U");
	RUN(PRIV_S, p_ecall);
	rt_expect_m(CAUSE_ECALL_S, PRIV_S, 0, 0, "ecall from S: cause 9, MPP = S");
	csr_set(mstatus, MSTATUS_MPRV);
	RUN(PRIV_U, plus_one);
	tap_eq(csr_read(mstatus) & MSTATUS_MPRV, 0, "an mret to U cleared MPRV");
	{
		uintptr_t st;
		csr_set(mstatus, MSTATUS_MPP);
		__asm__ volatile("lla t0, 1f\n\tcsrw mepc, t0\n\tmret\n1:\tcsrr %0, mstatus" : "=r"(st) :: "t0");
		tap_eq(st & MSTATUS_MPP, 0, "mret leaves MPP = U, the least-privileged mode");
	}
	RUN(PRIV_S, s_sret_to_u);
	rt_expect_m(CAUSE_ECALL_U, PRIV_U, 0, 0, "sret from S to U (SPP = U): the ecall comes from U");
	tap_ok((rt_last.status & MSTATUS_SIE) && (rt_last.status & MSTATUS_SPIE) && !(rt_last.status & MSTATUS_SPP),
	       "sret set SIE = SPIE (1), SPIE = 1, SPP = U (mstatus 0x%lx)", (unsigned long)rt_last.status);
}

static void privilege_checks(void)
{
	ILLEGAL_IN(PRIV_U, p_mstatus, "U reading mstatus: illegal");
	ILLEGAL_IN(PRIV_U, p_sstatus, "U reading sstatus: illegal");
	ILLEGAL_IN(PRIV_S, p_mstatus, "S reading mstatus: illegal");
	ILLEGAL_IN(PRIV_S, p_mscratch_write, "S writing mscratch: illegal");
	RUN(PRIV_S, p_sstatus);
	tap_eq(rt_ntraps, 0, "S reads sstatus");
	RUN(PRIV_S, p_satp);
	tap_eq(rt_ntraps, 0, "S reads satp");
	ILLEGAL_IN(PRIV_S, p_mret, "mret in S: illegal");
	ILLEGAL_IN(PRIV_U, p_mret, "mret in U: illegal");
	ILLEGAL_IN(PRIV_U, p_sret, "sret in U: illegal");
	ILLEGAL_IN(PRIV_U, p_wfi, "wfi in U with S-mode present: illegal");
	ILLEGAL_IN(PRIV_U, p_sfence, "sfence.vma in U: illegal");
	RUN(PRIV_S, p_sfence);
	tap_eq(rt_ntraps, 0, "sfence.vma in S");
	csr_set(mstatus, MSTATUS_TW);
	ILLEGAL_IN(PRIV_S, p_wfi, "wfi in S with mstatus.TW: illegal");
	csr_clear(mstatus, MSTATUS_TW);
	csr_set(mstatus, MSTATUS_TVM);
	ILLEGAL_IN(PRIV_S, p_satp, "satp in S with mstatus.TVM: illegal");
	ILLEGAL_IN(PRIV_S, p_sfence, "sfence.vma in S with mstatus.TVM: illegal");
	csr_clear(mstatus, MSTATUS_TVM);
	csr_set(mstatus, MSTATUS_TSR);
	ILLEGAL_IN(PRIV_S, p_sret, "sret in S with mstatus.TSR: illegal");
	csr_clear(mstatus, MSTATUS_TSR);
}

static void counter_gating(void)
{
	csr_write(mcounteren, 0);
	csr_write(scounteren, 0);
	ILLEGAL_IN(PRIV_S, p_cycle, "cycle in S with mcounteren.CY clear: illegal");
	ILLEGAL_IN(PRIV_U, p_time, "time in U with mcounteren.TM clear: illegal");
	csr_write(mcounteren, 7);
	RUN(PRIV_S, p_cycle);
	tap_eq(rt_ntraps, 0, "cycle in S with mcounteren.CY set");
	ILLEGAL_IN(PRIV_U, p_cycle, "cycle in U with mcounteren.CY set, scounteren.CY clear: illegal");
	csr_write(scounteren, 7);
	RUN(PRIV_U, p_cycle);
	tap_eq(rt_ntraps, 0, "cycle in U with both set");
	RUN(PRIV_U, p_time);
	tap_eq(rt_ntraps, 0, "time in U with both TM bits set");
	csr_write(mcounteren, 0);
	csr_write(scounteren, 0);
}

static void delegation(void)
{
	uintptr_t v;

	csr_write(stvec, (uintptr_t)rt_strap_entry);
	csr_write(medeleg, ONES);
	v = csr_read(medeleg);
	tap_eq(v >> CAUSE_ECALL_M & 1, 0, "medeleg bit 11 (ecall from M) is read-only 0");
	csr_write(medeleg, 1ul << CAUSE_BREAKPOINT | 1ul << CAUSE_ILLEGAL | 1ul << CAUSE_ECALL_U);
	RUN(PRIV_U, p_ebreak);
	rt_expect_s(CAUSE_BREAKPOINT, PRIV_U, "medeleg: ebreak in U goes to the S handler");
	RUN(PRIV_S, p_ebreak);
	rt_expect_s(CAUSE_BREAKPOINT, PRIV_S, "medeleg: ebreak in S goes to the S handler (SPP = S)");
	RUN(PRIV_U, p_ecall);
	rt_expect_s(CAUSE_ECALL_U, PRIV_U, "medeleg: ecall from U goes to the S handler");
	RUN(PRIV_S, p_mstatus);
	rt_expect_s(CAUSE_ILLEGAL, PRIV_S, "medeleg: an illegal instruction in S goes to the S handler");
	RUN(PRIV_S, p_ecall);
	rt_expect_m(CAUSE_ECALL_S, PRIV_S, 0, 0, "ecall from S, not delegated, goes to M");
	rt_clear();
	__asm__ volatile("lla %0, 1f\n1:\tebreak" : "=&r"(v) :: "memory");
	rt_at = v;
	rt_expect_m(CAUSE_BREAKPOINT, PRIV_M, v, 0, "a trap in M is never delegated");
	csr_write(medeleg, 0);

	csr_write(mideleg, ONES);
	v = csr_read(mideleg);
	tap_ok((v & MIP_SSIP) && !(v & (MIP_MSIP | MIP_MTIP | MIP_MEIP)),
	       "mideleg: SSIP delegable, M interrupts not (0x%lx)", (unsigned long)v);
	csr_write(mideleg, MIP_SSIP);
	rt_sirq_hook = sirq;
	csr_write(mie, MIP_SSIP);
	csr_clear(mstatus, MSTATUS_SIE);
	csr_set(mip, MIP_SSIP);
	rt_clear();
	spin(0);
	tap_ok(rt_nstraps == 0 && rt_nirqs == 0, "a delegated S interrupt is not taken in M");
	RUN(PRIV_S, spin);
	tap_ok(rt_nstraps == 0 && (csr_read(mip) & MIP_SSIP), "nor in S with sstatus.SIE clear");
	RUN(PRIV_U, spin);
	tap_ok(rt_nstraps == 1 && rt_slast.cause == (RT_INTR | IRQ_SSI) && rt_slast.from == PRIV_U &&
	       !(csr_read(mip) & MIP_SSIP), "taken in U by the S handler (scause 0x%lx)", (unsigned long)rt_slast.cause);
	csr_write(mideleg, 0);
	csr_write(mie, MIP_SSIP);
	tap_eq(csr_read(sie), 0, "sie shows only delegated interrupts");
	csr_write(mie, 0);
	csr_set(sstatus, MSTATUS_SIE);
	tap_ok(csr_read(mstatus) & MSTATUS_SIE, "sstatus.SIE is mstatus.SIE");
	csr_clear(sstatus, MSTATUS_SIE);

	rt_irq_hook = mirq;
	csr_clear(mstatus, MSTATUS_MIE);
	csr_write(mie, MIP_MSIP);
	mmio_write32(RT_CLINT_MSIP(0), 1);
	RUN(PRIV_U, spin);
	tap_ok(rt_nirqs == 1 && rt_last_irq.cause == (RT_INTR | IRQ_MSI) && rt_last_irq.from == PRIV_U,
	       "an M interrupt is taken from U although mstatus.MIE is clear");
	csr_write(mie, 0);
}

static void pmp(void)
{
	uintptr_t a = (uintptr_t)guard, l = (uintptr_t)locked, v;

	csr_write(pmpcfg0, 0);
	csr_write(pmpaddr0, NAPOT(a, 4096));
	csr_write(pmpcfg0, 0x18);               /* entry 0: NAPOT, no permission */
	rt_addr = a + 8;
	RUN(PRIV_U, p_load);
	rt_expect_m(CAUSE_LOAD_ACCESS, PRIV_U, a + 8, a + 8, "PMP: a U load from a page without R: load access fault");
	RUN(PRIV_S, p_store);
	rt_expect_m(CAUSE_STORE_ACCESS, PRIV_S, a + 8, a + 8, "PMP: an S store to a page without W: store access fault");
	guard[0] = 0x00008067;                  /* ret */
	__asm__ volatile("fence.i" ::: "memory");
	rt_addr = a;
	RUN(PRIV_U, p_jump);
	tap_ok(rt_ntraps == 1 && rt_last.cause == CAUSE_INSN_ACCESS && rt_last.tval == a && rt_last.from == PRIV_U,
	       "PMP: a U jump into a page without X: instruction access fault");
	rt_clear();
	v = guard[2];
	tap_eq(rt_ntraps, 0, "M is not bound by the unlocked entry");
	csr_set(mstatus, MSTATUS_MPRV);
	csr_clear(mstatus, MSTATUS_MPP);        /* MPP = U */
	rt_clear();
	__asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
	csr_clear(mstatus, MSTATUS_MPRV);
	tap_ok(rt_ntraps == 1 && rt_last.cause == CAUSE_LOAD_ACCESS && rt_last.tval == a,
	       "MPRV with MPP = U: M's loads are checked as U's");
	csr_write(pmpcfg0, 0x1c);               /* entry 0: NAPOT, X only */
	rt_addr = a;
	RUN(PRIV_U, p_jump);
	tap_eq(rt_ntraps, 0, "PMP: X only: U can run the code there");
	csr_write(pmpcfg0, 0);

	/* Entry 2: TOR [guard, guard + 16) above entry 1's address; entry 3: NA4 at guard + 64;
	 * both without permissions. */
	csr_write(pmpaddr1, a >> 2);
	csr_write(pmpaddr2, (a + 16) >> 2);
	csr_write(pmpaddr3, (a + 64) >> 2);
	csr_write(pmpcfg0, 0x10ul << 24 | 0x08ul << 16);
	rt_addr = a + 12;
	RUN(PRIV_U, p_load);
	rt_expect_m(CAUSE_LOAD_ACCESS, PRIV_U, a + 12, a + 12, "PMP TOR: the last word below the top is denied");
	rt_addr = a + 16;
	RUN(PRIV_U, p_load);
	tap_eq(rt_ntraps, 0, "PMP TOR: the top address itself is outside the range");
	rt_addr = a + 64;
	RUN(PRIV_U, p_store);
	rt_expect_m(CAUSE_STORE_ACCESS, PRIV_U, a + 64, a + 64, "PMP NA4: the word is denied");
	rt_addr = a + 68;
	RUN(PRIV_U, p_store);
	tap_eq(rt_ntraps, 0, "PMP NA4: the next word is not");
	csr_write(pmpcfg0, 0);
	csr_write(pmpaddr2, 0);
	csr_write(pmpaddr3, 0);

	csr_write(pmpaddr1, NAPOT(l, 4096));
	csr_set(pmpcfg0, 0x99ul << 8);          /* entry 1: locked, NAPOT, R */
	rt_clear();
	v = locked[1];
	tap_eq(rt_ntraps, 0, "a locked entry with R: M loads");
	rt_clear();
	locked[1] = 5;
	tap_ok(rt_ntraps == 1 && rt_last.cause == CAUSE_STORE_ACCESS && rt_last.tval == l + 4,
	       "a locked entry without W binds M: store access fault");
	csr_clear(pmpcfg0, 0xfful << 8);
	csr_write(pmpaddr1, 0);
	tap_ok((csr_read(pmpcfg0) >> 8 & 0xff) == 0x99 && csr_read(pmpaddr1) == NAPOT(l, 4096),
	       "a locked entry ignores writes to its pmpcfg and pmpaddr");
	(void)v;
}

int main(void)
{
	tap_plan(9 + 16 + 6 + 14 + 13);
	rt_init();
	rt_pmp_open();
	modes_and_calls();
	privilege_checks();
	counter_gating();
	delegation();
	pmp();
	return tap_done();
}
