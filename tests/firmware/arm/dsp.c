/* tests/firmware/arm/dsp.c — the Armv7E-M DSP extension (Cortex-M4, M7, M33): SIMD adds and
 * subtracts with GE and SEL, saturating and halving forms, Q-flag arithmetic, the 16-bit and
 * dual multiplies, SMMLA, USAD8, packing and extend-and-add. Expected values come from small
 * C models of the Architecture Reference Manual's pseudocode, over a set of operands. */
#include "rt.h"

static uint32_t hide(uint32_t v)
{
	volatile uint32_t x = v;
	return x;
}

static const uint32_t ops[] = { 0, 1, 0x7FFF7FFF, 0x80008000, 0xFFFFFFFF, 0x12345678, 0x8000FFFF,
                                0x7F80017F, 0xFF01FE02, 0x00010001, 0x40004000, 0xC000C000 };
#define N_OPS (sizeof(ops) / sizeof(ops[0]))

static int32_t s16(uint32_t v, int hi) { return (int16_t)(hi ? v >> 16 : v); }
static int32_t s8(uint32_t v, int k) { return (int8_t)(v >> (8 * k)); }
static int64_t sat(int64_t v, int bits)
{
	int64_t hi = ((int64_t)1 << (bits - 1)) - 1, lo = -hi - 1;
	return v > hi ? hi : v < lo ? lo : v;
}
static int64_t usat(int64_t v, int bits)
{
	int64_t hi = ((int64_t)1 << bits) - 1;
	return v > hi ? hi : v < 0 ? 0 : v;
}

static uint32_t get_ge(void)
{
	uint32_t v;
	__asm__ volatile("mrs %0, apsr" : "=r"(v));
	return (v >> 16) & 15;
}

static uint32_t get_q_and_clear(void)
{
	uint32_t v, z = 0;
	__asm__ volatile("mrs %0, apsr" : "=r"(v));
	__asm__ volatile("msr apsr_nzcvq, %0" : : "r"(z));
	return (v >> 27) & 1;
}

#define ASM2(insn, a, b, r) __asm__ volatile(insn " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b))
#define ASM3(insn, a, b, c, r) __asm__ volatile(insn " %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c))

static void test_simd(void)
{
	unsigned bad_sadd16 = 0, bad_ge = 0, bad_uqsub8 = 0, bad_shasx = 0, bad_sel = 0, bad_usub8 = 0;
	unsigned bad_qadd16 = 0, bad_uhadd8 = 0;
	for (unsigned i = 0; i < N_OPS; i++) {
		for (unsigned j = 0; j < N_OPS; j++) {
			uint32_t a = hide(ops[i]), b = hide(ops[j]), r, want, ge_want = 0, sel;
			int32_t lo, hi;
			/* SADD16 and its GE bits */
			ASM2("sadd16", a, b, r);
			lo = s16(a, 0) + s16(b, 0);
			hi = s16(a, 1) + s16(b, 1);
			want = (uint16_t)lo | (uint32_t)(uint16_t)hi << 16;
			ge_want = (lo >= 0 ? 3 : 0) | (hi >= 0 ? 12 : 0);
			bad_sadd16 += r != want;
			bad_ge += get_ge() != ge_want;
			ASM2("sel", a, b, sel);
			want = 0;
			for (int k = 0; k < 4; k++)
				want |= ((ge_want >> k) & 1 ? a : b) & (0xFFu << (8 * k));
			bad_sel += sel != want;
			/* USUB8 (GE: no borrow) */
			ASM2("usub8", a, b, r);
			want = 0;
			ge_want = 0;
			for (int k = 0; k < 4; k++) {
				int32_t d = (int32_t)((a >> (8 * k)) & 0xFF) - (int32_t)((b >> (8 * k)) & 0xFF);
				want |= (uint32_t)(d & 0xFF) << (8 * k);
				if (d >= 0)
					ge_want |= 1u << k;
			}
			bad_usub8 += r != want || get_ge() != ge_want;
			/* UQSUB8 */
			ASM2("uqsub8", a, b, r);
			want = 0;
			for (int k = 0; k < 4; k++)
				want |= (uint32_t)usat((int64_t)((a >> (8 * k)) & 0xFF) - ((b >> (8 * k)) & 0xFF), 8) << (8 * k);
			bad_uqsub8 += r != want;
			/* QADD16 */
			ASM2("qadd16", a, b, r);
			want = (uint16_t)sat(s16(a, 0) + s16(b, 0), 16) | (uint32_t)(uint16_t)sat(s16(a, 1) + s16(b, 1), 16) << 16;
			bad_qadd16 += r != want;
			/* SHASX: low = (a.lo - b.hi) / 2, high = (a.hi + b.lo) / 2 */
			ASM2("shasx", a, b, r);
			want = (uint16_t)((s16(a, 0) - s16(b, 1)) >> 1) | (uint32_t)(uint16_t)((s16(a, 1) + s16(b, 0)) >> 1) << 16;
			bad_shasx += r != want;
			/* UHADD8 */
			ASM2("uhadd8", a, b, r);
			want = 0;
			for (int k = 0; k < 4; k++)
				want |= (((a >> (8 * k)) & 0xFF) + ((b >> (8 * k)) & 0xFF)) >> 1 << (8 * k);
			bad_uhadd8 += r != want;
		}
	}
	rt_ok(!bad_sadd16, "SADD16 (%u wrong)", bad_sadd16);
	rt_ok(!bad_ge, "SADD16 sets GE (%u wrong)", bad_ge);
	rt_ok(!bad_sel, "SEL picks bytes by GE (%u wrong)", bad_sel);
	rt_ok(!bad_usub8, "USUB8 and GE (%u wrong)", bad_usub8);
	rt_ok(!bad_uqsub8, "UQSUB8 (%u wrong)", bad_uqsub8);
	rt_ok(!bad_qadd16, "QADD16 (%u wrong)", bad_qadd16);
	rt_ok(!bad_shasx, "SHASX (%u wrong)", bad_shasx);
	rt_ok(!bad_uhadd8, "UHADD8 (%u wrong)", bad_uhadd8);
	(void)s8;
}

static void test_saturating(void)
{
	uint32_t r;
	get_q_and_clear();
	ASM2("qadd", hide(0x7FFFFFF0), hide(0x100), r);
	rt_eq(r, 0x7FFFFFFF, "QADD saturates");
	rt_eq(get_q_and_clear(), 1, "and sets Q");
	ASM2("qsub", hide(0x80000010), hide(0x100), r);
	rt_eq(r, 0x80000000, "QSUB saturates");
	ASM2("qdadd", hide(1), hide(0x40000000), r);
	rt_eq(r, 0x7FFFFFFF, "QDADD saturates the doubling");
	rt_eq(get_q_and_clear(), 1, "and sets Q");
	ASM2("qadd", hide(5), hide(7), r);
	rt_eq(r, 12, "QADD in range");
	rt_eq(get_q_and_clear(), 0, "leaves Q clear");
	__asm__ volatile("ssat16 %0, #4, %1" : "=r"(r) : "r"(hide(0x0009FFF0)));
	rt_eq(r, 0x0007FFF8, "SSAT16");
	__asm__ volatile("usat16 %0, #4, %1" : "=r"(r) : "r"(hide(0x0009FFF0)));
	rt_eq(r, 0x00090000, "USAT16");
	rt_eq(get_q_and_clear(), 1, "Q set by the 16-bit saturations");
}

static void test_multiply(void)
{
	uint32_t r, lo, hi, a = hide(0x80007FFF), b = hide(0x7FFF8000), acc = hide(0x10);
	int64_t w;

	ASM3("smlabb", a, b, acc, r);
	rt_eq(r, (uint32_t)((int32_t)0x7FFF * (int16_t)0x8000 + 0x10), "SMLABB");
	ASM3("smlatt", a, b, acc, r);
	rt_eq(r, (uint32_t)((int16_t)0x8000 * 0x7FFF + 0x10), "SMLATT");
	ASM2("smulbt", a, b, r);
	rt_eq(r, (uint32_t)(0x7FFF * 0x7FFF), "SMULBT");
	ASM3("smlawb", hide(0x40000000), hide(0x00000004), acc, r);
	rt_eq(r, 0x10 + (uint32_t)(((int64_t)0x40000000 * 4) >> 16), "SMLAWB");
	ASM3("smlad", a, b, acc, r);
	rt_eq(r, (uint32_t)(s16(a, 0) * s16(b, 0) + s16(a, 1) * s16(b, 1) + 0x10), "SMLAD");
	ASM3("smlsdx", a, b, acc, r);
	rt_eq(r, (uint32_t)(s16(a, 0) * s16(b, 1) - s16(a, 1) * s16(b, 0) + 0x10), "SMLSDX");
	ASM2("smuad", hide(0x80008000), hide(0x80008000), r);
	rt_eq(r, 0x80000000, "SMUAD of (-32768)^2 twice wraps");
	rt_eq(get_q_and_clear(), 1, "and sets Q");
	ASM3("smmla", hide(0x40000000), hide(0x40000000), hide(1), r);
	rt_eq(r, 0x10000001, "SMMLA");
	ASM2("smmulr", hide(0x7FFFFFFF), hide(0x00000003), r);
	rt_eq(r, (uint32_t)((((int64_t)0x7FFFFFFF * 3) + 0x80000000) >> 32), "SMMULR rounds");
	lo = hide(0xFFFFFFFF);
	hi = hide(0);
	__asm__ volatile("smlalbb %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(a), "r"(b));
	w = (int64_t)0xFFFFFFFF + (int64_t)0x7FFF * (int16_t)0x8000;
	rt_eq(((uint64_t)hi << 32) | lo, (uint64_t)w, "SMLALBB");
	lo = hide(0);
	hi = hide(0);
	__asm__ volatile("smlald %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(a), "r"(b));
	w = (int64_t)s16(a, 0) * s16(b, 0) + (int64_t)s16(a, 1) * s16(b, 1);
	rt_eq(((uint64_t)hi << 32) | lo, (uint64_t)w, "SMLALD");
	lo = hide(0xFFFFFFFF);
	hi = hide(0xFFFFFFFF);
	__asm__ volatile("umaal %0, %1, %2, %3" : "+r"(lo), "+r"(hi) : "r"(hide(0xFFFFFFFF)), "r"(hide(0xFFFFFFFF)));
	rt_eq(((uint64_t)hi << 32) | lo, 0xFFFFFFFFFFFFFFFFull, "UMAAL cannot overflow");
	ASM3("usada8", hide(0x01FF1080), hide(0x02001010), hide(100), r);
	rt_eq(r, 100 + 1 + 255 + 0 + 0x70, "USADA8");
}

static void test_pack_extend(void)
{
	uint32_t r;
	__asm__ volatile("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(hide(0x11112222)), "r"(hide(0x33334444)));
	rt_eq(r, 0x44442222, "PKHBT");
	__asm__ volatile("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(hide(0x11112222)), "r"(hide(0x83334444)));
	rt_eq(r, 0x11118333, "PKHTB");
	ASM2("sxtab16", hide(0x00100010), hide(0x80FF7F01), r);
	rt_eq(r, 0x000F0011, "SXTAB16");
	__asm__ volatile("uxtab %0, %1, %2, ror #8" : "=r"(r) : "r"(hide(0x100)), "r"(hide(0x0000AB00)));
	rt_eq(r, 0x1AB, "UXTAB with rotation");
	__asm__ volatile("sxtah %0, %1, %2" : "=r"(r) : "r"(hide(0x10)), "r"(hide(0xFFFF8000)));
	rt_eq(r, (uint32_t)(0x10 - 0x8000), "SXTAH");
	__asm__ volatile("uxtb16 %0, %1" : "=r"(r) : "r"(hide(0x12345678)));
	rt_eq(r, 0x00340078, "UXTB16");
}

int main(void)
{
	test_simd();
	test_saturating();
	test_multiply();
	test_pack_extend();
	return rt_done();
}
