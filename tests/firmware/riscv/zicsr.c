/* tests/firmware/riscv/zicsr.c — Zicsr and the machine-mode CSRs of a hart with M-mode only
 * (the boards' default harts): the six CSR instructions and which of them write (rs1 = x0 and
 * uimm = 0 do not, a zero in another register does), illegal accesses (writes to read-only
 * CSRs, CSRs that do not exist: custom, debug, F, S and H ones), the WARL fields of mstatus,
 * misa, mtvec, mepc, mie, mip, the counters (exact instret, writes, mcountinhibit, time against
 * the CLINT's mtime) and the PMP registers. */
#include "rt.h"

#define MIE_M_BITS (MIP_MSIP | MIP_MTIP | MIP_MEIP)

/* One instruction that must raise illegal instruction: cause 2, mepc at it, mtval its bits
 * (or 0, which the privileged spec also allows). */
#define ILLEGAL(insn, desc) do { \
	uintptr_t at_; \
	rt_clear(); \
	__asm__ volatile(".option push\n\t.option norvc\n\t" \
	                 "li t1, 0\n\t" \
	                 "lla %0, 1f\n" \
	                 "1:\t" insn "\n\t" \
	                 ".option pop" : "=&r"(at_) :: "t0", "t1", "memory"); \
	rt_check_trap(CAUSE_ILLEGAL, at_, *(volatile uint32_t *)at_, 0, "%s", desc); \
} while (0)

/* The CSR instruction forms on mscratch. */
static void csr_forms(void)
{
	uintptr_t old, v, t;

	csr_write(mscratch, 0x1234);
	__asm__ volatile("csrrw %0, mscratch, %1" : "=&r"(old) : "r"(0xf0f0) : "memory");
	v = csr_read(mscratch);
	tap_ok(old == 0x1234 && v == 0xf0f0, "csrrw returns the old value and writes the new one");
	__asm__ volatile("csrrs %0, mscratch, %1" : "=&r"(old) : "r"(0x0f00) : "memory");
	v = csr_read(mscratch);
	tap_ok(old == 0xf0f0 && v == 0xfff0, "csrrs sets the bits of rs1");
	__asm__ volatile("csrrc %0, mscratch, %1" : "=&r"(old) : "r"(0x00ff) : "memory");
	v = csr_read(mscratch);
	tap_ok(old == 0xfff0 && v == 0xff00, "csrrc clears the bits of rs1");
	__asm__ volatile("csrrwi %0, mscratch, 31" : "=&r"(old) :: "memory");
	v = csr_read(mscratch);
	tap_ok(old == 0xff00 && v == 31, "csrrwi writes the zero-extended 5-bit immediate");
	__asm__ volatile("csrrsi %0, mscratch, 0x10\n\tcsrrci zero, mscratch, 1" : "=&r"(old) :: "memory");
	v = csr_read(mscratch);
	tap_ok(old == 31 && v == 30, "csrrsi and csrrci");
	t = 0x77;
	__asm__ volatile("csrrw %0, mscratch, %0" : "+r"(t) :: "memory");
	tap_ok(t == 30 && csr_read(mscratch) == 0x77, "csrrw with rd = rs1 swaps");
	csr_write(mscratch, ONES);
	tap_eq(csr_read(mscratch), ONES, "mscratch holds all XLEN bits");
	csr_write(mscratch, 0);
}

static void read_only_csrs(void)
{
	uintptr_t v;

	rt_clear();
	__asm__ volatile("csrrs %0, mhartid, zero\n\tcsrrsi %0, mhartid, 0\n\tcsrrc %0, mhartid, zero\n\t"
	                 "csrrci %0, mvendorid, 0" : "=r"(v) :: "memory");
	rt_check_no_trap("csrrs/csrrc with rs1 = x0 and csrrsi/csrrci with 0 read a read-only CSR without writing");
	ILLEGAL("csrrs t0, mhartid, t1", "csrrs of a read-only CSR with a zero in rs1 != x0 still writes: illegal");
	ILLEGAL("csrrw zero, mhartid, t1", "csrrw of mhartid is illegal");
	ILLEGAL("csrrc t0, mvendorid, t1", "csrrc of mvendorid with rs1 != x0 is illegal");
	ILLEGAL("csrrwi zero, marchid, 0", "csrrwi of marchid is illegal, even with 0");
	ILLEGAL("csrw cycle, t1", "a write to the read-only cycle is illegal");
	ILLEGAL("csrw time, t1", "a write to the read-only time is illegal");
}

static void missing_csrs(void)
{
	ILLEGAL("csrr t0, 0x7c0", "a custom CSR (0x7c0) that is not implemented is illegal");
	ILLEGAL("csrr t0, 0x7b0", "dcsr (debug mode only) is illegal in M-mode");
	ILLEGAL("csrr t0, 0x001", "fflags does not exist without F");
	ILLEGAL("csrr t0, 0x003", "fcsr does not exist without F");
	ILLEGAL("csrr t0, 0x180", "satp does not exist without S-mode");
	ILLEGAL("csrr t0, 0x100", "sstatus does not exist without S-mode");
	ILLEGAL("csrr t0, 0x302", "medeleg does not exist without S-mode");
	ILLEGAL("csrr t0, 0x303", "mideleg does not exist without S-mode");
	ILLEGAL("csrr t0, 0x600", "hstatus does not exist without H");
	ILLEGAL("csrr t0, 0x306", "mcounteren does not exist without U-mode");
#if XLEN == 64
	ILLEGAL("csrr t0, 0x310", "mstatush does not exist on RV64");
	ILLEGAL("csrr t0, 0x3a1", "pmpcfg1 does not exist on RV64");
	ILLEGAL("csrr t0, 0xc80", "cycleh does not exist on RV64");
#else
	rt_clear();
	tap_eq(csr_read(0x310), 0, "mstatush reads 0 (little-endian M-mode)");
	rt_check_no_trap("mstatush, pmpcfg1, cycleh exist on RV32");
	(void)csr_read(0x3a1);
	(void)csr_read(0xc80);
	tap_ok(rt_ntraps == 0, "pmpcfg1 and cycleh read without a trap");
#endif
}

static void machine_info(void)
{
	uintptr_t misa = csr_read(misa), mxl = misa >> (XLEN - 2);
	uintptr_t ext = misa & ((1ul << 26) - 1);
	uintptr_t want = (1ul << ('I' - 'A')) | (1ul << ('M' - 'A')) | (1ul << ('A' - 'A')) |
	                 (1ul << ('C' - 'A'));
	uintptr_t v;

	rt_clear();
	tap_eq(mxl, XLEN == 32 ? 1 : 2, "misa.MXL says XLEN %d", XLEN);
	tap_eq(ext & ~((1ul << ('S' - 'A')) | (1ul << ('U' - 'A'))), want, "misa lists I, M, A, C and no other letter but S/U");
	tap_eq(ext & ((1ul << ('S' - 'A')) | (1ul << ('U' - 'A'))), 0, "misa: no S or U on this hart");
	csr_write(misa, 0);
	tap_eq(csr_read(misa), misa, "misa is not changed by a write of 0 (no extension can be turned off here)");
	tap_eq(csr_read(mhartid), 0, "mhartid of hart 0");
	(void)csr_read(mvendorid);
	(void)csr_read(marchid);
	(void)csr_read(mimpid);
	(void)csr_read(0xf15);
	rt_check_no_trap("mvendorid, marchid, mimpid, mconfigptr can be read");
	v = csr_read(mstatus);
	tap_eq(v & (MSTATUS_FS | MSTATUS_XS), 0, "mstatus.FS and XS are 0 without F or extensions");
	tap_eq(v >> (XLEN - 1), 0, "mstatus.SD is 0");
}

static void mstatus_warl(void)
{
	uintptr_t v;
	uintptr_t lower = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MPRV | MSTATUS_SUM |
	                  MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_FS;

	csr_clear(mstatus, MSTATUS_MPP);
	tap_eq(csr_read(mstatus) & MSTATUS_MPP, MSTATUS_MPP, "mstatus.MPP stays M when only M-mode exists");
	csr_set(mstatus, lower);
	v = csr_read(mstatus);
	tap_eq(v & lower, 0, "mstatus fields of absent modes and F (SIE SPIE SPP MPRV SUM MXR TVM TW TSR FS) are read-only 0");
#if XLEN == 64
	tap_eq(v >> 32 & 0xf, 0, "mstatus.UXL and SXL are 0 without U and S");
#endif
	csr_set(mstatus, MSTATUS_MPIE);
	csr_clear(mstatus, MSTATUS_MIE);
	v = csr_read(mstatus);
	csr_clear(mstatus, MSTATUS_MPIE);
	tap_ok((v & MSTATUS_MPIE) && !(v & MSTATUS_MIE) && !(csr_read(mstatus) & MSTATUS_MPIE),
	       "mstatus.MPIE is writable");
}

static void trap_csrs(void)
{
	extern char rt_trap_entry[];
	uintptr_t base = (uintptr_t)rt_trap_entry, v;

	csr_write(mtvec, 0x80000100ul | 1);
	v = csr_read(mtvec);
	csr_write(mtvec, 0x80000100ul | 2);
	tap_eq(v, 0x80000101ul, "mtvec keeps a vectored base");
	v = csr_read(mtvec);
	tap_ok((v & 3) < 2, "mtvec's reserved MODE 2 is not kept (WARL), reads 0x%lx", (unsigned long)v);
	csr_write(mtvec, base);
	tap_eq(csr_read(mtvec), base, "mtvec direct");
	csr_write(mepc, 0x80000003ul);
	tap_eq(csr_read(mepc), 0x80000002ul, "mepc bit 0 reads 0 (bit 1 kept: IALIGN 16 with C)");
	csr_write(mcause, 0x5);
	tap_eq(csr_read(mcause), 5, "mcause holds an exception code");
	csr_write(mcause, RT_INTR | 7);
	tap_eq(csr_read(mcause), RT_INTR | 7, "mcause holds an interrupt code");
	csr_write(mtval, 0x12345678);
	tap_eq(csr_read(mtval), 0x12345678, "mtval is writable");
	csr_write(mie, ONES);
	v = csr_read(mie);
	csr_write(mie, 0);
	tap_eq(v & 0xffff, MIE_M_BITS, "mie: only MSIE, MTIE, MEIE exist on an M-only hart");
	csr_write(mip, ONES);
	tap_eq(csr_read(mip) & 0xffff, 0, "mip: MSIP, MTIP, MEIP are read-only, nothing pending");
}

static void counters(void)
{
	uintptr_t a, b, c0, c1, t0, t, t1, h;

	__asm__ volatile(".option push\n\t.option norvc\n\t"
	                 "csrr %0, minstret\n\t"
	                 "nop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\t"
	                 "csrr %1, minstret\n\t"
	                 ".option pop" : "=&r"(a), "=&r"(b));
	tap_eq(b - a, 11, "minstret counts exactly the 11 instructions between two reads");
	__asm__ volatile("csrr %0, instret\n\tnop\n\tcsrr %1, instret" : "=&r"(a), "=&r"(b));
	tap_eq(b - a, 2, "instret (the user shadow) counts in M-mode");
	__asm__ volatile("csrr %0, mcycle\n\tnop\n\tnop\n\tnop\n\tcsrr %1, mcycle" : "=&r"(c0), "=&r"(c1));
	tap_ok(c1 - c0 >= 4, "mcycle advances at least one cycle per instruction (%lu for 4)",
	       (unsigned long)(c1 - c0));
	__asm__ volatile("csrr %0, cycle\n\tcsrr %1, mcycle" : "=&r"(c0), "=&r"(c1));
	tap_ok(c1 - c0 >= 1 && c1 - c0 < 100, "cycle shadows mcycle");
	__asm__ volatile("csrw minstret, %2\n\tcsrr %0, minstret\n\tcsrr %1, minstret"
	                 : "=&r"(a), "=&r"(b) : "r"(1000));
	tap_ok(a == 1000 && b == 1001, "a minstret write is what the next instruction reads (%lu, %lu)",
	       (unsigned long)a, (unsigned long)b);
	__asm__ volatile("csrw mcycle, %1\n\tcsrr %0, mcycle" : "=&r"(a) : "r"(5000));
	tap_ok(a >= 5000 && a < 5100, "mcycle is writable (%lu after writing 5000)", (unsigned long)a);
#if XLEN == 32
	__asm__ volatile("csrw minstreth, %2\n\tcsrr %0, minstreth\n\tcsrr %1, instreth"
	                 : "=&r"(h), "=&r"(a) : "r"(7));
	tap_ok(h == 7 && a == 7, "minstreth is writable and instreth shadows it");
#else
	(void)h;
	__asm__ volatile("csrw minstret, %1\n\tcsrr %0, minstret" : "=&r"(a) : "r"(0x700000000ull));
	tap_eq(a, 0x700000000ull, "minstret has 64 bits");
#endif
	csr_write(mcountinhibit, 4);
	__asm__ volatile("csrr %0, minstret\n\tnop\n\tnop\n\tcsrr %1, minstret" : "=&r"(a), "=&r"(b));
	csr_write(mcountinhibit, 0);
	tap_eq(b - a, 0, "mcountinhibit.IR stops minstret");
	csr_write(mcountinhibit, 1);
	__asm__ volatile("csrr %0, mcycle\n\tnop\n\tnop\n\tcsrr %1, mcycle" : "=&r"(a), "=&r"(b));
	csr_write(mcountinhibit, 0);
	tap_eq(b - a, 0, "mcountinhibit.CY stops mcycle");
	__asm__ volatile("csrr %0, mcycle\n\tnop\n\tnop\n\tcsrr %1, mcycle" : "=&r"(a), "=&r"(b));
	tap_ok(b - a >= 3, "mcycle counts again after mcountinhibit.CY is cleared");
	csr_write(mcountinhibit, 2);
	tap_eq(csr_read(mcountinhibit) & 2, 0, "mcountinhibit bit 1 (time) is read-only 0");
	rt_clear();
	(void)csr_read(mhpmcounter3);
	csr_write(mhpmevent3, 0);
	(void)csr_read(hpmcounter31);
	(void)csr_read(mhpmcounter31);
	rt_check_no_trap("mhpmcounter3-31, mhpmevent3 and hpmcounter31 exist (Zihpm)");
	t0 = (uintptr_t)rt_mtime();
	__asm__ volatile("csrr %0, time" : "=r"(t));
	t1 = (uintptr_t)rt_mtime();
	tap_ok(t0 <= t && t <= t1, "time (%lu) lies between two reads of the CLINT's mtime (%lu, %lu)",
	       (unsigned long)t, (unsigned long)t0, (unsigned long)t1);
}

static void pmp_csrs(void)
{
	uintptr_t v;

	csr_write(pmpaddr0, ONES);
	v = csr_read(pmpaddr0);
	csr_write(pmpaddr0, 0);
#if XLEN == 64
	tap_eq(v, (1ull << 54) - 1, "pmpaddr0 holds address bits 55:2 (54 bits)");
#else
	tap_eq(v, ONES, "pmpaddr0 holds address bits 33:2 (32 bits)");
#endif
	csr_write(pmpaddr15, 0x123);
	tap_eq(csr_read(pmpaddr15), 0x123, "pmpaddr15 exists (16 entries)");
	csr_write(pmpaddr15, 0);
	csr_write(pmpcfg0, 0x0d0b);         /* entry 0: TOR R W; entry 1: TOR R X (both empty) */
	v = csr_read(pmpcfg0);
	csr_write(pmpcfg0, 0);
	tap_eq(v & 0xffff, 0x0d0b, "pmpcfg0 keeps the A and permission fields of entries 0 and 1");
	/* Entry 0: the first 4 KiB of RAM, NAPOT, no permission, not locked. */
	csr_write(pmpaddr0, (RT_RAM_BASE >> 2) | 0x1ff);
	csr_write(pmpcfg0, 0x18);
	rt_clear();
	__asm__ volatile("lw %0, 0(%1)\n\tsw %0, 0(%1)" : "=&r"(v) : "r"(RT_RAM_BASE) : "memory");
	csr_write(pmpcfg0, 0);
	csr_write(pmpaddr0, 0);
	rt_check_no_trap("M-mode is not restricted by an unlocked PMP entry without permissions");
}

int main(void)
{
	tap_plan(7 + 7 + 13 + 8 + 3 + (XLEN == 64) + 9 + 13 + 4);
	rt_init();
	csr_forms();
	read_only_csrs();
	missing_csrs();
	machine_info();
	mstatus_warl();
	trap_csrs();
	counters();
	pmp_csrs();
	return tap_done();
}
