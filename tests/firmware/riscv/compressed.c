/* tests/firmware/riscv/compressed.c — the C extension. The whole program is compiled with C
 * (-march=...c), so compressed code runs throughout; here each compressed form is written out
 * (c.* mnemonics, and a few hand-encoded .2byte words checked against objdump) with its
 * immediate extremes: c.li/c.addi/c.andi sign extension, c.lui, c.addi16sp/c.addi4spn,
 * shifts by XLEN-1, loads and stores at their largest offsets, the jumps and the +2 links of
 * c.jal/c.jalr, branches, and 4-byte instructions at addresses that are 2 mod 4. Reserved
 * compressed encodings are illegal instructions: traps.c. */
#include "rt.h"

#define ASM1(body) ({ uintptr_t r_; __asm__ volatile(body : "=&r"(r_) :: "memory"); r_; })
#define ASM2(body, a, b) ({ uintptr_t r_ = (uintptr_t)(a); \
	__asm__ volatile(body : "+r"(r_) : "r"((uintptr_t)(b)) : "memory"); r_; })

static volatile uint32_t words[32];
#if XLEN == 64
static volatile uint64_t dwords[32];
#endif

/* c.mv/c.add need any register, the CL/CS/CB forms one of x8-x15: use a0 and a1. */
static uintptr_t cop(int which, uintptr_t a, uintptr_t b)
{
	register uintptr_t a0 __asm__("a0") = a;
	register uintptr_t a1 __asm__("a1") = b;
	switch (which) {
	case 0: __asm__ volatile("c.sub a0, a1" : "+r"(a0) : "r"(a1)); break;
	case 1: __asm__ volatile("c.xor a0, a1" : "+r"(a0) : "r"(a1)); break;
	case 2: __asm__ volatile("c.or a0, a1" : "+r"(a0) : "r"(a1)); break;
	case 3: __asm__ volatile("c.and a0, a1" : "+r"(a0) : "r"(a1)); break;
	case 4: __asm__ volatile("c.mv a0, a1" : "+r"(a0) : "r"(a1)); break;
	case 5: __asm__ volatile("c.add a0, a1" : "+r"(a0) : "r"(a1)); break;
	case 6: __asm__ volatile("c.srli a0, %1" : "+r"(a0) : "i"(XLEN - 1)); break;
	case 7: __asm__ volatile("c.srai a0, %1" : "+r"(a0) : "i"(XLEN - 1)); break;
	case 8: __asm__ volatile("c.andi a0, -32" : "+r"(a0)); break;
	case 9: __asm__ volatile("c.slli a0, %1" : "+r"(a0) : "i"(XLEN - 1)); break;
	case 10: __asm__ volatile("c.addi a0, -1" : "+r"(a0)); break;
	case 11: __asm__ volatile("c.addi a0, 31" : "+r"(a0)); break;
#if XLEN == 64
	case 12: __asm__ volatile("c.addw a0, a1" : "+r"(a0) : "r"(a1)); break;
	case 13: __asm__ volatile("c.subw a0, a1" : "+r"(a0) : "r"(a1)); break;
	case 14: __asm__ volatile("c.addiw a0, -1" : "+r"(a0)); break;
	case 15: __asm__ volatile("c.addiw a0, 0" : "+r"(a0)); break;
	/* hand-encoded: c.addiw a0, -1 */
	case 16: __asm__ volatile(".2byte 0x357d" : "+r"(a0)); break;
#endif
	/* hand-encoded: c.mv a0, a1; c.add a0, a1; c.slli a0, 4; c.srai a0, 1; c.sub a0, a1 */
	case 20: __asm__ volatile(".2byte 0x852e\n\t.2byte 0x952e" : "+r"(a0) : "r"(a1)); break;
	case 21: __asm__ volatile(".2byte 0x0512\n\t.2byte 0x8505" : "+r"(a0)); break;
	case 22: __asm__ volatile(".2byte 0x8d0d" : "+r"(a0) : "r"(a1)); break;
	}
	return a0;
}

/* hand-encoded: c.li a0, 31; c.addi a0, -1 */
static uintptr_t hand_li_addi(void)
{
	register uintptr_t a0 __asm__("a0");
	__asm__ volatile(".2byte 0x457d\n\t.2byte 0x157d" : "=r"(a0));
	return a0;
}

static uintptr_t addi16sp(void)
{
	uintptr_t d;
	__asm__ volatile("mv t0, sp\n\t"
	                 "c.addi16sp sp, -512\n\t"
	                 "sub %0, t0, sp\n\t"
	                 "c.addi16sp sp, 496\n\t"
	                 "c.addi16sp sp, 16" : "=r"(d) :: "t0", "memory");
	return d;
}

static uintptr_t addi4spn(void)
{
	register uintptr_t a0 __asm__("a0");
	__asm__ volatile("c.addi4spn a0, sp, 1020\n\tsub a0, a0, sp" : "=r"(a0));
	return a0;
}

/* Stores and loads at the largest offsets the CL/CS forms encode. */
static uintptr_t lw_sw_far(void)
{
	register uintptr_t a0 __asm__("a0") = (uintptr_t)words;
	register uintptr_t a1 __asm__("a1") = 0x80000005u;
	register uintptr_t a2 __asm__("a2");
	__asm__ volatile("c.sw a1, 124(a0)\n\tc.lw a2, 124(a0)" : "=r"(a2) : "r"(a0), "r"(a1) : "memory");
	return a2 == (uintptr_t)(intptr_t)(int32_t)0x80000005u && words[31] == 0x80000005u;
}

static uintptr_t lwsp_swsp_far(void)
{
	uintptr_t r;
	__asm__ volatile("addi sp, sp, -256\n\t"
	                 "li t0, 0x5a5a\n\t"
	                 "c.swsp t0, 252(sp)\n\t"
	                 "c.lwsp %0, 252(sp)\n\t"
	                 "lw t1, 252(sp)\n\t"
	                 "addi sp, sp, 256\n\t"
	                 "sub %0, %0, t1\n\t"
	                 "addi %0, %0, 1" : "=&r"(r) :: "t0", "t1", "memory");
	return r;
}

#if XLEN == 64
static uintptr_t ld_sd_far(void)
{
	register uintptr_t a0 __asm__("a0") = (uintptr_t)dwords;
	register uintptr_t a1 __asm__("a1") = 0x8877665544332211ull;
	register uintptr_t a2 __asm__("a2");
	__asm__ volatile("c.sd a1, 248(a0)\n\tc.ld a2, 248(a0)" : "=r"(a2) : "r"(a0), "r"(a1) : "memory");
	return a2 == 0x8877665544332211ull && dwords[31] == 0x8877665544332211ull;
}

static uintptr_t ldsp_sdsp_far(void)
{
	uintptr_t r;
	__asm__ volatile("addi sp, sp, -512\n\t"
	                 "li t0, -3\n\t"
	                 "c.sdsp t0, 504(sp)\n\t"
	                 "c.ldsp %0, 504(sp)\n\t"
	                 "addi sp, sp, 512" : "=&r"(r) :: "t0", "memory");
	return r;
}
#endif

/* c.j over a c.li: 1 when the jump was taken. */
static uintptr_t c_j(void)
{
	return ASM1("c.li %0, 1\n\tc.j 1f\n\tc.li %0, 0\n1:");
}

/* c.jalr links pc + 2: the difference between the link and the instruction's address. */
static uintptr_t c_jalr_link(void)
{
	uintptr_t link, at;
	__asm__ volatile("lla t0, 2f\n\t"
	                 "lla %1, 1f\n"
	                 "1:\tc.jalr t0\n"
	                 "2:\tmv %0, ra" : "=r"(link), "=&r"(at) :: "t0", "ra");
	return link - at;
}

static uintptr_t c_jr(void)
{
	uintptr_t r;
	__asm__ volatile("lla t0, 1f\n\t"
	                 "li %0, 1\n\t"
	                 "c.jr t0\n\t"
	                 "li %0, 0\n"
	                 "1:" : "=&r"(r) :: "t0");
	return r;
}

#if XLEN == 32
static uintptr_t c_jal_link(void)
{
	uintptr_t link, at;
	__asm__ volatile("lla %1, 1f\n"
	                 "1:\tc.jal 2f\n"
	                 "2:\tmv %0, ra" : "=r"(link), "=&r"(at) :: "ra");
	return link - at;
}
#endif

/* c.beqz/c.bnez: 1 when taken. */
static uintptr_t c_branch(bool eq, uintptr_t v)
{
	register uintptr_t a0 __asm__("a0") = v;
	uintptr_t t;
	if (eq)
		__asm__ volatile("li %0, 1\n\tc.beqz a0, 1f\n\tli %0, 0\n1:" : "=&r"(t) : "r"(a0));
	else
		__asm__ volatile("li %0, 1\n\tc.bnez a0, 1f\n\tli %0, 0\n1:" : "=&r"(t) : "r"(a0));
	return t;
}

/* 4-byte instructions at addresses that are 2 mod 4, mixed with 2-byte ones. */
static uintptr_t mixed_alignment(void)
{
	uintptr_t r, at;
	__asm__ volatile(".balign 4\n\t"
	                 "c.li %0, 0\n"
	                 "1:\t.option push\n\t.option norvc\n\t"
	                 "addi %0, %0, 100\n\t"
	                 ".option pop\n\t"
	                 "c.addi %0, 1\n\t"
	                 ".option push\n\t.option norvc\n\t"
	                 "addi %0, %0, 100\n\t"
	                 ".option pop\n\t"
	                 "lla %1, 1b" : "=&r"(r), "=&r"(at));
	return (at & 3) == 2 ? r : 0;
}

#define CASES(X) \
	X(ASM1("c.li %0, -32"), (uintptr_t)-32, "c.li sign-extends its 6-bit immediate (-32)") \
	X(ASM1("c.lui %0, 0xfffe0"), (uintptr_t)(intptr_t)-0x20000, "c.lui sign-extends its immediate (-32 << 12)") \
	X(ASM1("c.lui %0, 0x1f"), 0x1f000, "c.lui 0x1f") \
	X(cop(10, 0, 0), ONES, "c.addi -1") \
	X(cop(11, 1, 0), 32, "c.addi 31") \
	X(cop(8, ONES, 0), ONES - 31, "c.andi sign-extends its immediate (-32)") \
	X(cop(9, 1, 0), MIN_X, "c.slli by XLEN-1") \
	X(cop(6, ONES, 0), 1, "c.srli by XLEN-1") \
	X(cop(7, MIN_X, 0), ONES, "c.srai by XLEN-1") \
	X(cop(0, 5, 7), (uintptr_t)-2, "c.sub") \
	X(cop(1, 0xff, 0x0f), 0xf0, "c.xor") \
	X(cop(2, 0xf0, 0x0f), 0xff, "c.or") \
	X(cop(3, 0xf0, 0x3c), 0x30, "c.and") \
	X(cop(4, 1, 99), 99, "c.mv") \
	X(cop(5, MAX_X, 1), MIN_X, "c.add wraps") \
	X(hand_li_addi(), 30, "hand-encoded c.li a0, 31 (0x457d); c.addi a0, -1 (0x157d)") \
	X(cop(20, 5, 3), 6, "hand-encoded c.mv a0, a1 (0x852e); c.add a0, a1 (0x952e)") \
	X(cop(21, (uintptr_t)-1, 0), (uintptr_t)-8, "hand-encoded c.slli a0, 4 (0x0512); c.srai a0, 1 (0x8505)") \
	X(cop(22, 10, 3), 7, "hand-encoded c.sub a0, a1 (0x8d0d)") \
	X(addi16sp(), 512, "c.addi16sp -512, then back") \
	X(addi4spn(), 1020, "c.addi4spn a0, sp, 1020") \
	X(lw_sw_far(), 1, "c.sw and c.lw at offset 124, sign-extending") \
	X(lwsp_swsp_far(), 1, "c.swsp and c.lwsp at offset 252") \
	X(c_j(), 1, "c.j") \
	X(c_jr(), 1, "c.jr") \
	X(c_jalr_link(), 2, "c.jalr links the address after itself (pc + 2)") \
	X(c_branch(true, 0), 1, "c.beqz taken on 0") \
	X(c_branch(true, MIN_X), 0, "c.beqz not taken on the most negative value") \
	X(c_branch(false, 1), 1, "c.bnez taken") \
	X(c_branch(false, 0), 0, "c.bnez not taken on 0") \
	X(ASM1("li %0, 7\n\tc.nop"), 7, "c.nop") \
	X(mixed_alignment(), 201, "4-byte instructions at pc = 2 mod 4")

#if XLEN == 64
#define CASES_XLEN(X) \
	X(cop(12, 0x7fffffff, 1), 0xffffffff80000000ull, "c.addw: 32-bit result sign-extended") \
	X(cop(13, 0, 1), ONES, "c.subw") \
	X(cop(14, 0x80000000ull, 0), 0x7fffffff, "c.addiw -1 across the 32-bit sign boundary") \
	X(cop(15, 0xffffffff, 0), ONES, "c.addiw a0, 0 (sext.w)") \
	X(cop(16, 0x180000000ull, 0), 0x7fffffff, "hand-encoded c.addiw a0, -1 (0x357d)") \
	X(ld_sd_far(), 1, "c.sd and c.ld at offset 248") \
	X(ldsp_sdsp_far(), (uintptr_t)-3, "c.sdsp and c.ldsp at offset 504")
#else
#define CASES_XLEN(X) \
	X(c_jal_link(), 2, "c.jal (RV32) links pc + 2")
#endif

int main(void)
{
	tap_plan(0 CASES(RT_COUNT) CASES_XLEN(RT_COUNT) + 1);
	rt_init();
	CASES(RT_RUN_EQ)
	CASES_XLEN(RT_RUN_EQ)
	rt_check_no_trap("no compressed instruction trapped");
	return tap_done();
}
