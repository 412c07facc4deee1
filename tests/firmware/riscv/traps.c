/* tests/firmware/riscv/traps.c — every synchronous exception an M-mode hart with C can raise,
 * each checked for mcause, mepc and mtval (privileged architecture 1.12, 3.1.15-3.1.16):
 * instruction access faults (unmapped memory, a device, an instruction whose second half is
 * past the end of RAM), illegal instructions (reserved and foreign encodings, 16-bit ones with
 * a 16-bit mtval), breakpoints (ebreak, c.ebreak, near-misses of the semihosting sequence),
 * load and store/AMO access faults, misaligned AMO/LR/SC, ecall from M; misaligned loads
 * and stores, which may be done or trapped; mstatus across a trap and in vectored mode.
 * Misaligned instruction addresses need a hart without C: misaligned-noc.c. */
#include "rt.h"

/* Runs `insn` at label 1 with t0 = addr, t1 = data and t2 = 0 (32-bit encodings only);
 * returns its address and leaves t2 in t2v. */
static uintptr_t t2v;
#define AT_D(insn, addr, data) ({ \
	uintptr_t at_, v_; \
	rt_clear(); \
	__asm__ volatile(".option push\n\t.option norvc\n\t" \
	                 "mv t0, %2\n\t" \
	                 "mv t1, %3\n\t" \
	                 "li t2, 0\n\t" \
	                 "lla %0, 1f\n" \
	                 "1:\t" insn "\n\t" \
	                 ".option pop\n\t" \
	                 "mv %1, t2" : "=&r"(at_), "=&r"(v_) \
	                 : "r"((uintptr_t)(addr)), "r"((uintptr_t)(data)) : "t0", "t1", "t2", "memory"); \
	t2v = v_; \
	at_; })
#define AT(insn, addr) AT_D(insn, addr, 0x5a)
/* The same for compressed forms (registers x8-x15): a5 = addr, a4 = 0x5a. */
#define AT_C(insn, addr) ({ \
	uintptr_t at_; \
	rt_clear(); \
	__asm__ volatile("mv a5, %1\n\t" \
	                 "li a4, 0x5a\n\t" \
	                 "lla %0, 1f\n" \
	                 "1:\t" insn : "=&r"(at_) : "r"((uintptr_t)(addr)) : "a4", "a5", "memory"); \
	at_; })

/* An illegal 32-bit word or 16-bit halfword: cause 2, mtval its bits (or 0). */
#define ILLEGAL32(word, desc) do { \
	uintptr_t at_ = AT(".4byte " #word, 0); \
	rt_check_trap(CAUSE_ILLEGAL, at_, (word), 0, desc " (0x%08lx)", (unsigned long)(word)); \
} while (0)
#define ILLEGAL16(half, desc) do { \
	uintptr_t at_ = AT(".2byte " #half, 0); \
	rt_check_trap(CAUSE_ILLEGAL, at_, (half), 0, desc " (0x%04lx): mtval holds 16 bits", \
	              (unsigned long)(half)); \
} while (0)

static volatile uint8_t buf[64] __attribute__((aligned(64)));
static volatile uint8_t pages[4096 + 64] __attribute__((aligned(4096)));

/* Jumps to `target` with jalr ra: an instruction access fault resumes at ra. */
static uintptr_t jump_to(uintptr_t target)
{
	uintptr_t r = 0;
	rt_clear();
	__asm__ volatile("mv t0, %1\n\tjalr ra, 0(t0)" : "+r"(r) : "r"(target) : "t0", "ra", "memory");
	return r;
}

static void fetch_faults(void)
{
	jump_to(RT_UNMAPPED);
	rt_check_trap(CAUSE_INSN_ACCESS, RT_UNMAPPED, RT_UNMAPPED, RT_UNMAPPED,
	              "instruction access fault: jump to unmapped 0x%lx", RT_UNMAPPED);
	jump_to(RT_UNMAPPED + 0x802);
	rt_check_trap(CAUSE_INSN_ACCESS, RT_UNMAPPED + 0x802, RT_UNMAPPED + 0x802, RT_UNMAPPED + 0x802,
	              "instruction access fault at a 2-byte aligned unmapped address");
	jump_to(RT_CLINT + 0x4000);
	rt_check_trap(CAUSE_INSN_ACCESS, RT_CLINT + 0x4000, RT_CLINT + 0x4000, RT_CLINT + 0x4000,
	              "instruction access fault: jump into the CLINT's registers");
#if XLEN == 64
	{
		/* The first half of addi a0, zero, 0 in the last halfword of RAM. */
		uintptr_t last = RT_RAM_BASE + RT_RAM_SIZE - 2;
		*(volatile uint16_t *)last = 0x0513;
		__asm__ volatile("fence.i" ::: "memory");
		jump_to(last);
		rt_check_trap(CAUSE_INSN_ACCESS, last, last, last + 2,
		              "instruction access fault: a 4-byte instruction whose second half is past RAM "
		              "(mepc at its start)");
		*(volatile uint16_t *)last = 0x0001;        /* c.nop, then the end of RAM */
		__asm__ volatile("fence.i" ::: "memory");
		jump_to(last);
		rt_check_trap(CAUSE_INSN_ACCESS, last + 2, last + 2, last + 2,
		              "c.nop in RAM's last halfword runs; the next fetch faults");
	}
#else
	tap_skip("the last halfword of riscv32-mcu's SRAM is the initial stack",
	         "a c.nop in RAM's last halfword runs; the next fetch faults");
	tap_skip("the last halfword of riscv32-mcu's SRAM is the initial stack",
	         "instruction access fault: a 4-byte instruction whose second half is past RAM");
#endif
}

static void illegal_instructions(void)
{
	ILLEGAL16(0x0000, "the all-zero halfword is illegal");
	ILLEGAL16(0x0004, "c.addi4spn with a zero immediate is reserved");
	ILLEGAL16(0x4002, "c.lwsp with rd = x0 is reserved");
	ILLEGAL16(0x6501, "c.lui with a zero immediate is reserved");
	ILLEGAL16(0x6101, "c.addi16sp with a zero immediate is reserved");
	ILLEGAL16(0x8002, "c.jr with rs1 = x0 is reserved");
	ILLEGAL32(0x00000053, "fadd.s without F");
	ILLEGAL32(0x60055513, "srai with a reserved funct6");
	ILLEGAL32(0x0600c533, "an OP encoding with an unassigned funct7 (0000011)");
	ILLEGAL32(0x10200073, "sret without S-mode");
	ILLEGAL32(0x12000073, "sfence.vma without S-mode");
	ILLEGAL32(0x7b200073, "dret outside debug mode");
	ILLEGAL32(0x0000000b, "the custom-0 opcode, not implemented");
#if XLEN == 32
	ILLEGAL16(0x1502, "c.slli with shamt[5] = 1 on RV32");
	ILLEGAL32(0x02051513, "slli with shamt[5] = 1 on RV32");
	ILLEGAL32(0x0005051b, "addiw (RV64 only) on RV32");
	ILLEGAL32(0x00053503, "ld (RV64 only) on RV32");
#else
	{
		uintptr_t r;
		rt_clear();
		__asm__ volatile("li a0, 1\n\t.2byte 0x1502\n\tmv %0, a0" : "=r"(r) :: "a0");
		tap_ok(rt_ntraps == 0 && r == 0x100000000ull, "c.slli a0, 32 (0x1502) is legal on RV64");
		rt_clear();
		__asm__ volatile("li a0, 1\n\t.4byte 0x02051513\n\tmv %0, a0" : "=r"(r) :: "a0");
		tap_ok(rt_ntraps == 0 && r == 0x100000000ull, "slli a0, a0, 32 (0x02051513) is legal on RV64");
		ILLEGAL32(0x0000003b | (1u << 30) | (1u << 25), "an OP-32 encoding with an unassigned funct7");
		ILLEGAL32(0x0000101b | (1u << 25), "slliw with shamt[5] = 1 (reserved)");
	}
#endif
}

static void breakpoints(void)
{
	uintptr_t at;

	at = AT("ebreak", 0);
	rt_check_trap(CAUSE_BREAKPOINT, at, at, 0, "ebreak: breakpoint, mtval 0 or its address");
	at = AT_C("c.ebreak", 0);
	rt_check_trap(CAUSE_BREAKPOINT, at, at, 0, "c.ebreak: breakpoint, resumed 2 bytes later");
	at = AT("ebreak\n\tsrai zero, zero, 7", 0);
	rt_check_trap(CAUSE_BREAKPOINT, at, at, 0, "ebreak followed by srai x0 but not after slli x0 is a breakpoint");
	rt_clear();
	__asm__ volatile(".option push\n\t.option norvc\n\t"
	                 "slli zero, zero, 0x1f\n\t"
	                 "lla %0, 1f\n"
	                 "1:\tebreak\n\t"
	                 "nop\n\t"
	                 ".option pop" : "=&r"(at) :: "memory");
	rt_check_trap(CAUSE_BREAKPOINT, at, at, 0, "ebreak after slli x0 but not before srai x0 is a breakpoint");
	rt_clear();
	__asm__ volatile(".option push\n\t.option norvc\n\t"
	                 "lla %0, 1f\n\t"
	                 "slli zero, zero, 0x1f\n\t"
	                 ".option pop\n"
	                 "1:\tc.ebreak\n\t"
	                 "c.nop\n\t"
	                 ".option push\n\t.option norvc\n\t"
	                 "srai zero, zero, 7\n\t"
	                 ".option pop" : "=&r"(at) :: "memory");
	rt_check_trap(CAUSE_BREAKPOINT, at, at, 0, "c.ebreak inside the sequence is not semihosting");
}

static void data_faults(void)
{
	uintptr_t u = RT_UNMAPPED + 0x40, at;

#define LOAD_FAULT(insn) \
	at = AT(insn " t2, 0(t0)", u); \
	rt_check_trap(CAUSE_LOAD_ACCESS, at, u, u, insn " from unmapped memory: load access fault, mtval the address");
#define STORE_FAULT(insn) \
	at = AT(insn " t1, 0(t0)", u); \
	rt_check_trap(CAUSE_STORE_ACCESS, at, u, u, insn " to unmapped memory: store access fault, mtval the address");
	LOAD_FAULT("lb")
	LOAD_FAULT("lbu")
	LOAD_FAULT("lh")
	LOAD_FAULT("lhu")
	LOAD_FAULT("lw")
	STORE_FAULT("sb")
	STORE_FAULT("sh")
	STORE_FAULT("sw")
#if XLEN == 64
	LOAD_FAULT("lwu")
	LOAD_FAULT("ld")
	STORE_FAULT("sd")
#endif
	at = AT_C("c.lw a3, 4(a5)", u);
	rt_check_trap(CAUSE_LOAD_ACCESS, at, u + 4, u + 4, "c.lw from unmapped memory");
	at = AT_C("c.sw a4, 8(a5)", u);
	rt_check_trap(CAUSE_STORE_ACCESS, at, u + 8, u + 8, "c.sw to unmapped memory");
	at = AT("lw t2, -4(t0)", u);
	rt_check_trap(CAUSE_LOAD_ACCESS, at, u - 4, u - 4, "mtval is the effective address (negative offset)");
	at = AT("amoadd.w t2, t1, (t0)", u);
	rt_check_trap(CAUSE_STORE_ACCESS, at, u, u, "amoadd.w on unmapped memory: store/AMO access fault");
	at = AT("amoswap.w t2, t1, (t0)", u);
	rt_check_trap(CAUSE_STORE_ACCESS, at, u, u, "amoswap.w on unmapped memory: store/AMO access fault");
	at = AT("lr.w t2, (t0)", u);
	rt_check_trap(CAUSE_LOAD_ACCESS, at, u, u, "lr.w from unmapped memory: load access fault");
	/* Zalrsc: "No SC shall retire unless it passes memory permission checks", even one that
	 * fails for want of a reservation; a failed SC may be treated like a store. */
	at = AT("sc.w t2, t1, (t0)", u);
	rt_check_trap(CAUSE_STORE_ACCESS, at, u, u, "sc.w to unmapped memory without a reservation: store access fault");
}

/* Misaligned AMO, LR and SC trap: address-misaligned or access fault (the A extension allows
 * either), mtval the address. */
static void check_mis(bool store, uintptr_t at, uintptr_t addr, const char *what)
{
	unsigned mis = store ? CAUSE_STORE_MISALIGNED : CAUSE_LOAD_MISALIGNED;
	unsigned acc = store ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS;
	bool ok = rt_ntraps == 1 && (rt_last.cause == mis || rt_last.cause == acc) && rt_last.epc == at &&
	          rt_last.tval == addr;

	tap_ok(ok, "%s: %s address misaligned (or access fault), mtval the address", what,
	       store ? "store/AMO" : "load");
	if (!ok)
		tap_diag("  %u trap(s), cause %lu, epc 0x%lx (expected 0x%lx), mtval 0x%lx (expected 0x%lx)",
		         rt_ntraps, (unsigned long)rt_last.cause, (unsigned long)rt_last.epc, (unsigned long)at,
		         (unsigned long)rt_last.tval, (unsigned long)addr);
}

static void misaligned_atomics(void)
{
	uintptr_t a = (uintptr_t)buf, at;

#define MIS_AMO(insn, off) \
	at = AT(insn " t2, t1, (t0)", a + (off)); \
	check_mis(true, at, a + (off), insn " at +" #off);
	MIS_AMO("amoadd.w", 1)
	MIS_AMO("amoswap.w", 2)
	MIS_AMO("amoor.w", 3)
	MIS_AMO("amomaxu.w", 2)
	at = AT("lr.w t2, (t0)", a + 2);
	check_mis(false, at, a + 2, "lr.w at +2");
	at = AT("lr.w t2, (t0)\n\taddi t0, t0, 1\n\tsc.w t2, t1, (t0)", a);
	check_mis(true, at + 4 + 4, a + 1, "sc.w at +1 after an lr.w");
#if XLEN == 64
	MIS_AMO("amoadd.d", 4)
	MIS_AMO("amoswap.d", 1)
	at = AT("lr.d t2, (t0)", a + 4);
	check_mis(false, at, a + 4, "lr.d at +4");
	at = AT("sc.d t2, t1, (t0)", a + 4);
	check_mis(true, at, a + 4, "sc.d at +4");
#endif
	tap_ok(buf[0] == 0 && buf[1] == 1 && buf[2] == 2 && buf[3] == 3 && buf[4] == 4,
	       "no misaligned atomic changed memory");
}

/* A misaligned load or store may be done (in hardware or by the execution environment) or
 * raise address-misaligned or access fault with mtval = the address. */
static void either(const char *what, uintptr_t at, uintptr_t addr, bool store, bool value_ok)
{
	unsigned mis = store ? CAUSE_STORE_MISALIGNED : CAUSE_LOAD_MISALIGNED;
	unsigned acc = store ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS;

	if (rt_ntraps == 0) {
		tap_ok(value_ok, "%s: done, with the right value", what);
		return;
	}
	tap_ok(rt_ntraps == 1 && (rt_last.cause == mis || rt_last.cause == acc) && rt_last.epc == at &&
	       rt_last.tval == addr, "%s: trapped (cause %lu, mtval 0x%lx)", what,
	       (unsigned long)rt_last.cause, (unsigned long)rt_last.tval);
}

static void misaligned_plain(void)
{
	uintptr_t a = (uintptr_t)buf, p = (uintptr_t)pages + 4094, at;

	at = AT("lw t2, 0(t0)", a + 1);
	either("lw at +1 in RAM", at, a + 1, false, (uint32_t)t2v == 0x04030201u);
	at = AT("lhu t2, 0(t0)", a + 3);
	either("lhu at +3 in RAM", at, a + 3, false, t2v == 0x0403);
	at = AT("lh t2, 0(t0)", p);
	either("lh across a 4 KiB page boundary", at, p, false, t2v == (uintptr_t)(intptr_t)(int16_t)0xb4b3);
	at = AT("lw t2, 0(t0)", p);
	either("lw across a 4 KiB page boundary", at, p, false, (uint32_t)t2v == 0xa5a5b4b3u);
	at = AT_D("sw t1, 0(t0)", a + 33, 0x44332211);
	either("sw at +1 in RAM", at, a + 33, true,
	       buf[33] == 0x11 && buf[34] == 0x22 && buf[35] == 0x33 && buf[36] == 0x44 && buf[32] == 32 &&
	       buf[37] == 37);
	at = AT_D("sh t1, 0(t0)", p, 0x7788);
	either("sh across a 4 KiB page boundary", at, p, true, pages[4094] == 0x88 && pages[4095] == 0x77);
#if XLEN == 64
	at = AT("ld t2, 0(t0)", a + 3);
	either("ld at +3 in RAM", at, a + 3, false, t2v == 0x0a09080706050403ull);
#endif
	at = AT("lw t2, 0(t0)", RT_CLINT_MTIME + 2);
	tap_ok(rt_ntraps == 1 && (rt_last.cause == CAUSE_LOAD_MISALIGNED || rt_last.cause == CAUSE_LOAD_ACCESS) &&
	       rt_last.epc == at && rt_last.tval == RT_CLINT_MTIME + 2,
	       "lw at a misaligned CLINT address traps (misaligned or access fault, cause %lu)",
	       (unsigned long)rt_last.cause);
}

static void trap_state(void)
{
	uintptr_t at, st;

	csr_write(mie, 0);
	csr_set(mstatus, MSTATUS_MIE);
	at = AT("ecall", 0);
	st = csr_read(mstatus);
	csr_clear(mstatus, MSTATUS_MIE);
	rt_check_trap(CAUSE_ECALL_M, at, 0, 0, "ecall from M: cause 11, mtval 0");
	tap_ok((rt_last.status & MSTATUS_MPP) == MSTATUS_MPP && (rt_last.status & MSTATUS_MPIE) &&
	       !(rt_last.status & MSTATUS_MIE),
	       "in the handler: MPP = M, MPIE = the old MIE (1), MIE = 0 (mstatus 0x%lx)",
	       (unsigned long)rt_last.status);
	tap_ok((st & MSTATUS_MIE) && (st & MSTATUS_MPIE) && (st & MSTATUS_MPP) == MSTATUS_MPP,
	       "after mret: MIE = 1 again, MPIE = 1, MPP = M, the only mode (mstatus 0x%lx)", (unsigned long)st);
	tap_eq(rt_last.vector, 0, "direct mode: the exception entered at mtvec's base");
	rt_set_vectored(true);
	at = AT("ecall", 0);
	rt_set_vectored(false);
	rt_check_trap(CAUSE_ECALL_M, at, 0, 0, "ecall with mtvec in vectored mode");
	tap_eq(rt_last.vector, 1, "vectored mode: exceptions still enter at the base (slot 0)");
	rt_clear();
	for (unsigned i = 0; i < 3; i++)
		__asm__ volatile("ecall" ::: "memory");
	tap_eq(rt_ntraps, 3, "three ecalls, three traps, each resumed after the ecall");
}

int main(void)
{
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	pages[4094] = 0xb3;
	pages[4095] = 0xb4;
	pages[4096] = 0xa5;
	pages[4097] = 0xa5;
	tap_plan(5 + 17 + 5 + 15 + 7 + 7 + 7 + (XLEN == 64 ? 3 + 4 + 1 : 0));
	rt_init();
	fetch_faults();
	illegal_instructions();
	breakpoints();
	data_faults();
	misaligned_atomics();
	misaligned_plain();
	trap_state();
	return tap_done();
}
