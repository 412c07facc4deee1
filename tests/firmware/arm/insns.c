/* tests/firmware/arm/insns.c — instruction groups checked against the compiler: each case
 * computes an expression twice, once on the emulated core from values the compiler cannot see
 * (read through volatile) and once folded at compile time from the same constants, so the
 * expected value is C's own. Cases the compiler would not emit (saturation, bit reversal,
 * exclusives, table branches, IT blocks with branches) are written in assembly with expected
 * values computed in C. */
#include "rt.h"

#include <string.h>

static volatile uint32_t sink;

static uint32_t hide(uint32_t v)
{
	volatile uint32_t x = v;
	return x;
}

static uint64_t hide64(uint64_t v)
{
	volatile uint64_t x = v;
	return x;
}

#define CASE2(name, a, b, EXPR)                                                                     \
	do {                                                                                        \
		const uint32_t A_ = (a), B_ = (b);                                                  \
		uint32_t x = hide(A_), y = hide(B_);                                                \
		rt_eq((EXPR(x, y)), (EXPR(A_, B_)), name);                                          \
	} while (0)

#define ADD(x, y) ((x) + (y))
#define SUB(x, y) ((x) - (y))
#define RSB(x, y) ((y) - (x))
#define MUL(x, y) ((x) * (y))
#define MLA(x, y) ((x) * (y) + 0x12345u)
#define AND(x, y) ((x) & (y))
#define ORR(x, y) ((x) | (y))
#define EOR(x, y) ((x) ^ (y))
#define BIC(x, y) ((x) & ~(y))
#define ORN(x, y) ((x) | ~(y))
#define LSL(x, y) ((x) << ((y) & 31))
#define LSR(x, y) ((x) >> ((y) & 31))
#define ASR(x, y) ((uint32_t)((int32_t)(x) >> ((y) & 31)))
#define ROR(x, y) (((x) >> ((y) & 31)) | ((x) << ((32 - ((y) & 31)) & 31)))
#define UDIV(x, y) ((y) ? (x) / (y) : 0u)
#define SDIV(x, y) ((y) && !((x) == 0x80000000u && (y) == 0xFFFFFFFFu) ? (uint32_t)((int32_t)(x) / (int32_t)(y)) : 0u)
#define UMULH(x, y) ((uint32_t)(((uint64_t)(x) * (y)) >> 32))
#define SMULH(x, y) ((uint32_t)(((int64_t)(int32_t)(x) * (int32_t)(y)) >> 32))
#define LTU(x, y) ((uint32_t)((x) < (y)))
#define LTS(x, y) ((uint32_t)((int32_t)(x) < (int32_t)(y)))
#define LES(x, y) ((uint32_t)((int32_t)(x) <= (int32_t)(y)))
#define GEU(x, y) ((uint32_t)((x) >= (y)))
#define MAXS(x, y) ((int32_t)(x) > (int32_t)(y) ? (x) : (y))
#define MINU(x, y) ((x) < (y) ? (x) : (y))
#define SEL3(x, y) ((x) == (y) ? 1u : (x) > (y) ? 2u : 3u)
#define SXTB(x, y) ((uint32_t)(int32_t)(int8_t)((x) + (y)))
#define SXTH(x, y) ((uint32_t)(int32_t)(int16_t)((x) ^ (y)))
#define UXTB(x, y) ((uint32_t)(uint8_t)((x) - (y)))
#define UXTH(x, y) ((uint32_t)(uint16_t)((x) | (y)))
#define ADD64(x, y) ((uint32_t)((((uint64_t)(x) << 32 | (y)) + 0xFFFFFFFF00000001ull) >> 16))
#define SUB64(x, y) ((uint32_t)((((uint64_t)(y) << 32 | (x)) - 0x00000001FFFFFFFFull) >> 20))
#define SHL64(x, y) ((uint32_t)((((uint64_t)(x) << 32 | (y)) << ((y) & 63)) >> 32))
#define SHR64(x, y) ((uint32_t)((((uint64_t)(x) << 32 | (y)) >> ((x) & 63))))
#define ASR64(x, y) ((uint32_t)(((int64_t)((uint64_t)(x) << 32 | (y))) >> ((y) & 63)))
#define CLZ(x, y) ((x) ? (uint32_t)__builtin_clz(x) : 32u + (y) * 0)
#define BSWAP(x, y) (__builtin_bswap32(x) + (y) * 0)
#define BSWAP16(x, y) ((uint32_t)__builtin_bswap16((uint16_t)(x)) + (y) * 0)

static const uint32_t vals[] = { 0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x12345678, 0x7FFFFFFF,
                                 0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 31, 32, 0xDEADBEEF };

#define ALL_PAIRS(name, EXPR)                                                                      \
	do {                                                                                        \
		unsigned bad = 0;                                                                   \
		for (unsigned i_ = 0; i_ < G_N(vals); i_++)                                         \
			for (unsigned j_ = 0; j_ < G_N(vals); j_++) {                               \
				uint32_t x = hide(vals[i_]), y = hide(vals[j_]);                    \
				if (EXPR(x, y) != ref_##EXPR(vals[i_], vals[j_]))                   \
					bad++;                                                      \
			}                                                                           \
		rt_ok(bad == 0, "%s over %u operand pairs (%u wrong)", name, G_N(vals) * G_N(vals), bad); \
	} while (0)
#define G_N(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

static void test_alu(void)
{
	CASE2("add", 0x7FFFFFFF, 1, ADD);
	CASE2("add with carry out", 0xFFFFFFFF, 2, ADD);
	CASE2("sub", 5, 7, SUB);
	CASE2("rsb", 0x1234, 0x10000, RSB);
	CASE2("mul", 0x12345678, 0x9ABCDEF, MUL);
	CASE2("mla", 0xFFFF, 0xFFFF, MLA);
	CASE2("and", 0xF0F0F0F0, 0x3C3C3C3C, AND);
	CASE2("orr", 0xF0F0F0F0, 0x3C3C3C3C, ORR);
	CASE2("eor", 0xF0F0F0F0, 0x3C3C3C3C, EOR);
	CASE2("bic", 0xFFFFFFFF, 0x00FF00FF, BIC);
	CASE2("orn", 0x12345678, 0xFFFF0000, ORN);
	CASE2("lsl", 0x80000001, 31, LSL);
	CASE2("lsr", 0x80000001, 31, LSR);
	CASE2("asr", 0x80000001, 31, ASR);
	CASE2("asr by 4", 0xF0000000, 4, ASR);
	CASE2("ror", 0x12345678, 12, ROR);
	CASE2("unsigned less-than", 1, 0xFFFFFFFF, LTU);
	CASE2("signed less-than", 1, 0xFFFFFFFF, LTS);
	CASE2("signed less-or-equal", 0x80000000, 0x80000000, LES);
	CASE2("unsigned greater-or-equal", 0x80000000, 0x7FFFFFFF, GEU);
	CASE2("signed max", 0x80000000, 5, MAXS);
	CASE2("unsigned min", 0x80000000, 5, MINU);
	CASE2("three-way compare", 0x80000000, 5, SEL3);
	CASE2("sign-extend byte", 0x7F, 1, SXTB);
	CASE2("sign-extend halfword", 0x1234, 0x9000, SXTH);
	CASE2("zero-extend byte", 0x100, 1, UXTB);
	CASE2("zero-extend halfword", 0x12340000, 0x8765, UXTH);
	CASE2("64-bit add (carry chain)", 0x12345678, 0xFFFFFFFF, ADD64);
	CASE2("64-bit subtract (borrow chain)", 0, 0x10, SUB64);
	CASE2("64-bit shift left", 0x00000001, 40, SHL64);
	CASE2("64-bit shift right", 36, 0x80000000, SHR64);
	CASE2("64-bit arithmetic shift right", 0x80000000, 33, ASR64);
	CASE2("unsigned 32x32->64 high word", 0xFFFFFFFF, 0xFFFFFFFF, UMULH);
	CASE2("signed 32x32->64 high word", 0x80000000, 0x7FFFFFFF, SMULH);
	CASE2("udiv", 0xFFFFFFFF, 7, UDIV);
	CASE2("sdiv", 0x80000000, 3, SDIV);
	CASE2("sdiv by -1 of INT_MIN", 0x80000000, 0xFFFFFFFF, SDIV);
	CASE2("clz", 0x00010000, 0, CLZ);
	CASE2("clz of 0", 0, 0, CLZ);
	CASE2("byte reverse", 0x12345678, 0, BSWAP);
	CASE2("halfword byte reverse", 0xABCD, 0, BSWAP16);
}

/* Reference versions for the exhaustive pair checks (out of line: not folded with x, y). */
static uint32_t __attribute__((noinline)) ref_ADD(uint32_t a, uint32_t b) { return a + b; }
static uint32_t __attribute__((noinline)) ref_SUB(uint32_t a, uint32_t b) { return a - b; }
static uint32_t __attribute__((noinline)) ref_MUL(uint32_t a, uint32_t b) { return a * b; }
static uint32_t __attribute__((noinline)) ref_UMULH(uint32_t a, uint32_t b) { return (uint32_t)(((uint64_t)a * b) >> 32); }
static uint32_t __attribute__((noinline)) ref_SMULH(uint32_t a, uint32_t b)
{
	int64_t p = (int64_t)(int32_t)a * (int32_t)b;
	return (uint32_t)((uint64_t)p >> 32);
}
static uint32_t __attribute__((noinline)) ref_LTS(uint32_t a, uint32_t b) { return (int32_t)a < (int32_t)b; }
static uint32_t __attribute__((noinline)) ref_LTU(uint32_t a, uint32_t b) { return a < b; }
static uint32_t __attribute__((noinline)) ref_UDIV(uint32_t a, uint32_t b) { return b ? a / b : 0; }
static uint32_t __attribute__((noinline)) ref_LSL(uint32_t a, uint32_t b) { return a << (b & 31); }
static uint32_t __attribute__((noinline)) ref_ASR(uint32_t a, uint32_t b) { return (uint32_t)((int32_t)a >> (b & 31)); }

static void test_pairs(void)
{
	/* The same function bodies as the references, compiled inline, against them out of line:
	 * only consistent if every flag and carry of the core is right. */
	ALL_PAIRS("add", ADD);
	ALL_PAIRS("sub", SUB);
	ALL_PAIRS("mul", MUL);
	ALL_PAIRS("umull high", UMULH);
	ALL_PAIRS("smull high", SMULH);
	ALL_PAIRS("signed compare", LTS);
	ALL_PAIRS("unsigned compare", LTU);
	ALL_PAIRS("udiv", UDIV);
	ALL_PAIRS("lsl", LSL);
	ALL_PAIRS("asr", ASR);
}

struct bits {
	unsigned a : 3, b : 7, c : 12, d : 10;
};

static void test_memory(void)
{
	static int8_t s8[4] = { -1, -128, 127, 5 };
	static int16_t s16[3] = { -1, -32768, 32767 };
	static uint64_t q = 0x0123456789ABCDEFull;
	static uint8_t buf[16] __attribute__((aligned(8)));
	static struct bits bf;
	volatile int8_t *vs8 = s8;
	volatile int16_t *vs16 = s16;
	uint32_t w;

	rt_eq((int32_t)vs8[0] + vs8[1] + vs8[2] + vs8[3], -1 - 128 + 127 + 5, "signed byte loads");
	rt_eq((int32_t)vs16[0] + vs16[1] + vs16[2], -1 - 32768 + 32767, "signed halfword loads");
	rt_eq(hide64(q) >> 8, 0x0123456789ABCDull, "doubleword load");
	for (unsigned k = 0; k < 16; k++)
		buf[k] = (uint8_t)(k * 17);
	memcpy(&w, (const void *)(buf + hide(3)), 4);
	rt_eq(w, 0x66554433u, "unaligned word (memcpy)");
	bf.a = hide(5);
	bf.b = hide(0x55);
	bf.c = hide(0xABC);
	bf.d = hide(0x3FF);
	rt_eq(bf.a + bf.b + bf.c + bf.d, 5 + 0x55 + 0xABC + 0x3FF, "bit-field insert and extract");
	{
		struct { uint32_t v[12]; } s1, s2;
		for (unsigned k = 0; k < 12; k++)
			s1.v[k] = hide(k * 0x01010101u);
		s2 = s1;                              /* LDM/STM */
		sink = s2.v[11];
		rt_eq(s2.v[11] + s2.v[0] + s2.v[5], 11 * 0x01010101u + 5 * 0x01010101u, "block copy");
	}
}

static unsigned dispatch(unsigned k)
{
	/* Dense switch: a table branch on Armv7-M (TBB/TBH), a jump table on Armv6-M. */
	switch (k) {
	case 0: return 10;
	case 1: return 21;
	case 2: return 32;
	case 3: return 43;
	case 4: return 54;
	case 5: return 65;
	case 6: return 76;
	case 7: return 87;
	case 8: return 98;
	case 9: return 109;
	default: return 0;
	}
}

static void test_control(void)
{
	unsigned sum = 0;
	for (unsigned k = 0; k < 12; k++)
		sum += dispatch(hide(k));
	rt_eq(sum, 10 + 21 + 32 + 43 + 54 + 65 + 76 + 87 + 98 + 109, "switch / table branch");
	{
		unsigned n = 0;
		for (uint32_t v = hide(0x80000000); v; v >>= 1)
			n++;
		rt_eq(n, 32, "loop with compare-and-branch");
	}
}

#if __ARM_ARCH >= 7
static void test_v7_asm(void)
{
	uint32_t r, s, a = hide(0x12345678), neg = hide(0xFFFFF000), big = hide(0x7FFFF000);
	uint32_t q;

	__asm__ volatile("rbit %0, %1" : "=r"(r) : "r"(a));
	rt_eq(r, 0x1E6A2C48, "RBIT");
	__asm__ volatile("ssat %0, #12, %1" : "=r"(r) : "r"(big));
	rt_eq(r, 0x7FF, "SSAT to 12 bits, positive");
	__asm__ volatile("ssat %0, #12, %1" : "=r"(r) : "r"(neg));
	rt_eq(r, 0xFFFFF800, "SSAT to 12 bits, negative");
	__asm__ volatile("mrs %0, apsr" : "=r"(q));
	rt_eq(q & (1u << 27), 1u << 27, "saturation sets Q");
	q = 0;
	__asm__ volatile("msr apsr_nzcvq, %0" : : "r"(q));
	__asm__ volatile("usat %0, #8, %1, asr #4" : "=r"(r) : "r"(a));
	rt_eq(r, 0xFF, "USAT to 8 bits with a shift");
	__asm__ volatile("ubfx %0, %1, #4, #12" : "=r"(r) : "r"(a));
	rt_eq(r, 0x567, "UBFX");
	__asm__ volatile("sbfx %0, %1, #8, #8" : "=r"(r) : "r"(hide(0x00008000)));
	rt_eq(r, 0xFFFFFF80, "SBFX");
	r = hide(0xFFFFFFFF);
	__asm__ volatile("bfc %0, #4, #8" : "+r"(r));
	rt_eq(r, 0xFFFFF00F, "BFC");
	r = hide(0);
	__asm__ volatile("bfi %0, %1, #12, #8" : "+r"(r) : "r"(a));
	rt_eq(r, 0x00078000, "BFI");
	__asm__ volatile("movw %0, #0x5678\n\tmovt %0, #0x1234" : "=r"(r));
	rt_eq(r, 0x12345678, "MOVW/MOVT");
	__asm__ volatile("mls %0, %1, %2, %3" : "=r"(r) : "r"(hide(3)), "r"(hide(4)), "r"(hide(100)));
	rt_eq(r, 88, "MLS");

	/* IT blocks with conditional branches and flag-setting 16-bit forms. */
	__asm__ volatile(
		"movs %0, #0\n\t"
		"cmp %1, #5\n\t"
		"itete gt\n\t"
		"addgt %0, %0, #1\n\t"
		"addle %0, %0, #2\n\t"
		"addgt %0, %0, #4\n\t"
		"addle %0, %0, #8\n\t"
		"cmp %1, #100\n\t"
		"it lo\n\t"
		"blo 1f\n\t"
		"adds %0, %0, #64\n"
		"1:"
		: "=&r"(r) : "r"(hide(7)) : "cc");
	rt_eq(r, 5, "IT blocks: then/else, and a branch as the last instruction");

	/* Exclusives */
	{
		static uint32_t lock;
		uint32_t v, st;
		__asm__ volatile("ldrex %0, [%2]\n\tadd %0, %0, #1\n\tstrex %1, %0, [%2]"
		                 : "=&r"(v), "=&r"(st) : "r"(&lock) : "memory");
		rt_eq(st, 0, "STREX after LDREX succeeds");
		__asm__ volatile("ldrex %0, [%2]\n\tclrex\n\tstrex %1, %0, [%2]"
		                 : "=&r"(v), "=&r"(st) : "r"(&lock) : "memory");
		rt_eq(st, 1, "STREX after CLREX fails");
		rt_eq(lock, 1, "the store happened once");
	}
	/* TBH */
	__asm__ volatile(
		"movs %0, #2\n\t"
		"tbh [pc, %0, lsl #1]\n"
		"0:\n\t"
		".short (1f - 0b) / 2, (2f - 0b) / 2, (3f - 0b) / 2\n"
		"1:	movs %0, #11\n\tb 4f\n"
		"2:	movs %0, #22\n\tb 4f\n"
		"3:	movs %0, #33\n"
		"4:"
		: "=&r"(r));
	rt_eq(r, 33, "TBH");
	(void)s;
}
#endif

int main(void)
{
	test_alu();
	test_pairs();
	test_memory();
	test_control();
#if __ARM_ARCH >= 7
	test_v7_asm();
#endif
	return rt_done();
}
