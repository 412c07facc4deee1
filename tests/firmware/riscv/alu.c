/* tests/firmware/riscv/alu.c — the base integer instructions (RV32I / RV64I), each written in
 * assembly so that the compiler cannot fold it: wrap-around, shift amounts at and past XLEN-1,
 * signed against unsigned compares and branches, sign and zero extension of loads, partial
 * stores, x0, jal/jalr links and jalr's cleared bit 0, and the RV64 word instructions. */
#include "rt.h"

#define MIN MIN_X
#define MAX MAX_X

/* 1 when the branch is taken. */
#define BR(insn, a, b) ({ uintptr_t t_; \
	__asm__ volatile("li %0, 1\n\t" insn " %1, %2, 1f\n\tli %0, 0\n1:" \
	                 : "=&r"(t_) : "r"((uintptr_t)(a)), "r"((uintptr_t)(b))); t_; })
#define LOAD(insn, p) ({ uintptr_t r_; \
	__asm__ volatile(insn " %0, 0(%1)" : "=r"(r_) : "r"(p) : "memory"); r_; })

static volatile uint64_t word;

static uintptr_t store_byte(void)
{
	word = 0x11223344;
	__asm__ volatile("sb %0, 1(%1)" :: "r"(0xaa), "r"(&word) : "memory");
	return (uintptr_t)word;
}

static uintptr_t store_half(void)
{
	word = 0x11223344;
	__asm__ volatile("sh %0, 2(%1)" :: "r"(0xbbbb), "r"(&word) : "memory");
	return (uintptr_t)word;
}

static uintptr_t load_from(uint64_t v, uintptr_t (*f)(volatile uint64_t *))
{
	word = v;
	return f(&word);
}

static uintptr_t lb(volatile uint64_t *p) { return LOAD("lb", p); }
static uintptr_t lbu(volatile uint64_t *p) { return LOAD("lbu", p); }
static uintptr_t lh(volatile uint64_t *p) { return LOAD("lh", p); }
static uintptr_t lhu(volatile uint64_t *p) { return LOAD("lhu", p); }
static uintptr_t lw(volatile uint64_t *p) { return LOAD("lw", p); }
#if XLEN == 64
static uintptr_t lwu(volatile uint64_t *p) { return LOAD("lwu", p); }
static uintptr_t ld(volatile uint64_t *p) { return LOAD("ld", p); }
#endif

/* Writes to x0 are dropped: the result reads x0 afterwards. */
static uintptr_t x0_after_writes(void)
{
	uintptr_t r;
	__asm__ volatile("li t0, 7\n\t"
	                 "addi zero, t0, 5\n\t"
	                 "add zero, t0, t0\n\t"
	                 "lui zero, 0x12345\n\t"
	                 "lw zero, 0(%1)\n\t"
	                 "mv %0, zero" : "=r"(r) : "r"(&word) : "t0", "memory");
	return r;
}

/* jal's link is the address after it (4 bytes: norvc). */
static uintptr_t jal_link_offset(void)
{
	uintptr_t link, here;
	__asm__ volatile(".option push\n\t.option norvc\n\t"
	                 "lla %1, 1f\n"
	                 "1:\tjal %0, 2f\n"
	                 "2:\n\t.option pop" : "=r"(link), "=&r"(here));
	return link - here;
}

/* jalr clears bit 0 of the target: jumping to label+1 lands on label. */
static uintptr_t jalr_odd_target(void)
{
	uintptr_t r;
	__asm__ volatile(".option push\n\t.option norvc\n\t"
	                 "lla t1, 1f\n\t"
	                 "addi t1, t1, 1\n\t"
	                 "li %0, 0\n\t"
	                 "jalr t0, 0(t1)\n\t"
	                 "j 2f\n"
	                 "1:\tli %0, 1\n"
	                 "2:\n\t.option pop" : "=&r"(r) :: "t0", "t1");
	return r;
}

/* jalr with rd == rs1: the target comes from rs1 before the link is written. */
static uintptr_t jalr_rd_is_rs1(void)
{
	uintptr_t r;
	__asm__ volatile(".option push\n\t.option norvc\n\t"
	                 "lla t1, 1f\n\t"
	                 "li %0, 0\n\t"
	                 "jalr t1, 0(t1)\n\t"
	                 "j 2f\n"
	                 "1:\tli %0, 1\n"
	                 "2:\n\t.option pop" : "=&r"(r) :: "t1");
	return r;
}

static uintptr_t auipc_offset(void)
{
	uintptr_t a, here;
	__asm__ volatile(".option push\n\t.option norvc\n\t"
	                 "lla %1, 1f\n"
	                 "1:\tauipc %0, 0x1\n\t.option pop" : "=r"(a), "=&r"(here));
	return a - here;
}

static uintptr_t lui_top(void)
{
	uintptr_t r;
	__asm__ volatile("lui %0, 0x80000" : "=r"(r));
	return r;
}

#define CASES(X) \
	X(RR("add", MAX, 1), MIN, "add: most positive + 1 wraps to most negative") \
	X(RR("add", ONES, 1), 0, "add: all ones + 1 wraps to 0") \
	X(RR("sub", MIN, 1), MAX, "sub: most negative - 1 wraps to most positive") \
	X(RR("sub", 0, 1), ONES, "sub: 0 - 1 is all ones") \
	X(RI("addi", 0, -2048), (uintptr_t)-2048, "addi: immediate -2048 is sign-extended") \
	X(RI("addi", MAX, 2047), MIN + 2046, "addi: +2047 wraps past the most positive value") \
	X(RR("slt", ONES, 1), 1, "slt: -1 < 1 signed") \
	X(RR("sltu", ONES, 1), 0, "sltu: all ones is not below 1 unsigned") \
	X(RR("slt", MIN, MAX), 1, "slt: most negative < most positive") \
	X(RR("slt", MAX, MIN), 0, "slt: most positive is not < most negative") \
	X(RR("sltu", MAX, MIN), 1, "sltu: 0x7f..f < 0x80..0 unsigned") \
	X(RR("slt", 5, 5), 0, "slt: equal values are not less") \
	X(RI("slti", 0, -1), 0, "slti: 0 < -1 is false") \
	X(RI("slti", -2, -1), 1, "slti: -2 < -1") \
	X(RI("sltiu", 5, -1), 1, "sltiu: immediate -1 sign-extends to the largest unsigned value") \
	X(RI("sltiu", ONES, -1), 0, "sltiu: all ones is not below itself") \
	X(RI("sltiu", 0, 1), 1, "sltiu x, 1 is seqz (0)") \
	X(RI("sltiu", 2, 1), 0, "sltiu x, 1 is seqz (2)") \
	X(RR("and", ONES - 0xff, 0x1234), 0x1200, "and") \
	X(RR("or", MIN, 1), MIN + 1, "or") \
	X(RR("xor", ONES, 0x0f), ONES - 0x0f, "xor") \
	X(RI("andi", ONES, -16), ONES - 15, "andi: negative immediate keeps the upper bits") \
	X(RI("ori", 0, -1), ONES, "ori: immediate -1 sets every bit") \
	X(RI("xori", 0x5a, -1), ~(uintptr_t)0x5a, "xori x, -1 is not") \
	X(RR("sll", 1, XLEN - 1), MIN, "sll by XLEN-1") \
	X(RR("sll", 1, XLEN), 1, "sll uses only the low log2(XLEN) bits of rs2 (XLEN -> 0)") \
	X(RR("sll", 1, ONES), MIN, "sll by all ones shifts by XLEN-1") \
	X(RR("srl", MIN, XLEN - 1), 1, "srl by XLEN-1 of the most negative value") \
	X(RR("srl", ONES, XLEN), ONES, "srl by XLEN shifts by 0") \
	X(RR("sra", MIN, XLEN - 1), ONES, "sra by XLEN-1 of a negative value is -1") \
	X(RR("sra", MAX, XLEN - 1), 0, "sra by XLEN-1 of a positive value is 0") \
	X(RR("sra", (uintptr_t)-256, 4), (uintptr_t)-16, "sra keeps the sign") \
	X(RI("slli", 3, XLEN - 1), MIN, "slli by XLEN-1") \
	X(RI("srli", ONES, XLEN - 1), 1, "srli by XLEN-1") \
	X(RI("srai", MIN, XLEN - 1), ONES, "srai by XLEN-1") \
	X(RI("srai", MIN >> 1, 3), MIN >> 4, "srai of a positive value is logical") \
	X(lui_top(), (uintptr_t)(intptr_t)(int32_t)0x80000000u, "lui 0x80000 is sign-extended to XLEN") \
	X(auipc_offset(), 4096, "auipc adds its immediate << 12 to its own pc") \
	X(BR("blt", ONES, 1), 1, "blt: -1 < 1 taken") \
	X(BR("bltu", ONES, 1), 0, "bltu: all ones < 1 not taken") \
	X(BR("bge", 1, 1), 1, "bge: equal values taken") \
	X(BR("bge", MIN, MAX), 0, "bge: most negative >= most positive not taken") \
	X(BR("bgeu", MIN, MAX), 1, "bgeu: 0x80..0 >= 0x7f..f taken") \
	X(BR("bgeu", 0, ONES), 0, "bgeu: 0 >= all ones not taken") \
	X(BR("beq", ONES, ONES), 1, "beq taken") \
	X(BR("bne", 0, 0), 0, "bne not taken on equal values") \
	X(BR("bne", MIN, 0), 1, "bne taken") \
	X(BR("beq", MIN, 0), 0, "beq not taken") \
	X(load_from(0x80, lb), (uintptr_t)-128, "lb sign-extends") \
	X(load_from(0x80, lbu), 0x80, "lbu zero-extends") \
	X(load_from(0x8001, lh), (uintptr_t)(intptr_t)(int16_t)0x8001, "lh sign-extends") \
	X(load_from(0x8001, lhu), 0x8001, "lhu zero-extends") \
	X(load_from(0x80000001u, lw), (uintptr_t)(intptr_t)(int32_t)0x80000001u, "lw sign-extends") \
	X(store_byte(), 0x1122aa44, "sb replaces one byte") \
	X(store_half(), 0xbbbb3344, "sh replaces two bytes") \
	X(x0_after_writes(), 0, "x0 stays 0 after addi, add, lui and lw write it") \
	X(jal_link_offset(), 4, "jal links the address after itself") \
	X(jalr_odd_target(), 1, "jalr clears bit 0 of the target address") \
	X(jalr_rd_is_rs1(), 1, "jalr with rd = rs1 jumps to the old rs1")

#if XLEN == 64
#define CASES64(X) \
	X(load_from(0x80000001u, lwu), 0x80000001u, "lwu zero-extends") \
	X(load_from(0x8877665544332211ull, ld), 0x8877665544332211ull, "ld") \
	X(RR("addw", 0x7fffffff, 1), 0xffffffff80000000ull, "addw: 32-bit overflow, result sign-extended") \
	X(RI("addiw", 0x100000000ull, 0), 0, "addiw ignores the upper 32 bits of rs1") \
	X(RI("addiw", 0x80000000ull, 0), 0xffffffff80000000ull, "sext.w (addiw x, 0) sign-extends bit 31") \
	X(RR("subw", 0, 1), ONES, "subw: 0 - 1 is all ones") \
	X(RR("sllw", 1, 31), 0xffffffff80000000ull, "sllw by 31, result sign-extended") \
	X(RR("sllw", 1, 32), 1, "sllw uses only 5 bits of rs2 (32 -> 0)") \
	X(RR("srlw", 0xffffffff80000000ull, 31), 1, "srlw by 31") \
	X(RR("srlw", 0x80000000ull, 0), 0xffffffff80000000ull, "srlw by 0 sign-extends bit 31") \
	X(RR("sraw", 0x80000000ull, 31), ONES, "sraw by 31 of a negative word") \
	X(RR("sraw", 0x7fffffff80000000ull, 4), 0xfffffffff8000000ull, "sraw ignores the upper 32 bits") \
	X(RI("slliw", 1, 31), 0xffffffff80000000ull, "slliw by 31") \
	X(RI("srliw", ONES, 31), 1, "srliw by 31") \
	X(RI("srliw", 0xffffffff00000010ull, 4), 1, "srliw ignores the upper 32 bits") \
	X(RI("sraiw", 0x7fffffff80000000ull, 4), 0xfffffffff8000000ull, "sraiw of a negative word") \
	X(RR("sll", 1, 63), 0x8000000000000000ull, "sll by 63") \
	X(RI("srli", 0x8000000000000000ull, 63), 1, "srli by 63")
#else
#define CASES64(X)
#endif

int main(void)
{
	tap_plan(0 CASES(RT_COUNT) CASES64(RT_COUNT));
	rt_init();
	CASES(RT_RUN_EQ)
	CASES64(RT_RUN_EQ)
	return tap_done();
}
