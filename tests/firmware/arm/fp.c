/* tests/firmware/arm/fp.c — the floating-point extension (Cortex-M4F, M7, M33): arithmetic,
 * square root and fused multiply-add, conversions (integer, fixed point, half precision),
 * comparisons, the FPSCR exception flags, rounding modes, flush-to-zero and default NaN, and
 * the exception side: lazy stacking of the FP context (FPCCR.LSPACT, FPCAR, the extended
 * frame's EXC_RETURN) and NOCP when CPACR disables the unit. */
#include "rt.h"

#include <math.h>
#include <string.h>

static float hidef(float v)
{
	volatile float x = v;
	return x;
}

static uint32_t bits(float f)
{
	uint32_t b;
	memcpy(&b, &f, 4);
	return b;
}

static float fromb(uint32_t b)
{
	float f;
	memcpy(&f, &b, 4);
	return f;
}

static uint32_t get_fpscr(void)
{
	uint32_t v;
	__asm__ volatile("vmrs %0, fpscr" : "=r"(v));
	return v;
}

static void set_fpscr(uint32_t v)
{
	__asm__ volatile("vmsr fpscr, %0" : : "r"(v) : "memory");
}

static void test_arith(void)
{
	rt_eq(bits(hidef(1.5f) + hidef(2.25f)), bits(3.75f), "VADD");
	rt_eq(bits(hidef(1.5f) - hidef(2.25f)), bits(-0.75f), "VSUB");
	rt_eq(bits(hidef(3.0f) * hidef(-7.0f)), bits(-21.0f), "VMUL");
	rt_eq(bits(hidef(1.0f) / hidef(3.0f)), 0x3EAAAAAB, "VDIV rounds to nearest");
	rt_eq(bits(sqrtf(hidef(2.0f))), 0x3FB504F3, "VSQRT");
	rt_eq(bits(fmaf(hidef(0x1.001p0f), hidef(0x1.001p0f), hidef(-1.0f))), bits(0x1.0008p-11f),
	      "VFMA keeps the low bits a separate multiply would round away");
	rt_eq(bits(-hidef(0.0f)), 0x80000000, "VNEG of +0 is -0");
	rt_eq(bits(fabsf(hidef(-3.0f))), bits(3.0f), "VABS");
}

static void test_conversions(void)
{
	volatile int32_t i;
	volatile uint32_t u;
	i = (int32_t)hidef(-2.75f);
	rt_eq((uint32_t)i, (uint32_t)-2, "float to int rounds toward zero");
	i = (int32_t)hidef(3e9f);
	rt_eq((uint32_t)i, 0x7FFFFFFF, "float to int saturates");
	u = (uint32_t)hidef(-1.0f);
	rt_eq(u, 0, "float to unsigned saturates at 0");
	rt_eq(bits((float)(int32_t)hidef(-7.0f)), bits(-7.0f), "int to float");
	rt_eq(bits((float)(uint32_t)0xFFFFFFFFu * hidef(1.0f)), bits(4294967296.0f), "unsigned to float rounds");
	{
		uint32_t r;
		float f = hidef(1.5f);
		__asm__ volatile("vcvt.s32.f32 %0, %0, #8" : "+t"(f));
		memcpy(&r, &f, 4);
		rt_eq(r, 384, "to fixed point (8 fraction bits)");
		__asm__ volatile("vcvt.f32.s32 %0, %0, #8" : "+t"(f));
		rt_eq(bits(f), bits(1.5f), "and back");
	}
	{
		uint32_t h;
		float f = hidef(1.0f / 3.0f);
		__asm__ volatile("vcvtb.f16.f32 %0, %1" : "=t"(f) : "t"(f));
		memcpy(&h, &f, 4);
		rt_eq(h & 0xFFFF, 0x3555, "VCVTB to half precision");
		__asm__ volatile("vcvtb.f32.f16 %0, %1" : "=t"(f) : "t"(f));
		rt_eq(bits(f), 0x3EAAA000, "VCVTB from half precision");
	}
}

static void test_flags(void)
{
	volatile float r;
	set_fpscr(0);
	r = hidef(1.0f) / hidef(0.0f);
	rt_eq(bits(r), 0x7F800000, "1/0 is +infinity");
	rt_eq(get_fpscr() & 0x9F, 1u << 1, "and sets DZC only");
	set_fpscr(0);
	r = hidef(0.0f) / hidef(0.0f);
	rt_eq(bits(r), 0x7FC00000, "0/0 is the default NaN");
	rt_eq(get_fpscr() & 0x9F, 1u << 0, "and sets IOC");
	set_fpscr(0);
	r = hidef(3e38f) * hidef(10.0f);
	rt_eq(get_fpscr() & 0x9F, (1u << 2) | (1u << 4), "overflow sets OFC and IXC");
	set_fpscr(0);
	r = hidef(1e-30f) * hidef(1e-20f);
	rt_eq(get_fpscr() & 0x9F, (1u << 3) | (1u << 4), "underflow sets UFC and IXC");
	set_fpscr(0);
	r = hidef(1.0f) + hidef(2.0f);
	rt_eq(get_fpscr() & 0x9F, 0, "an exact result sets nothing");
	set_fpscr(0);
	r = fromb(0x7FA00000) + hidef(1.0f);       /* signalling NaN */
	rt_eq(bits(r), 0x7FE00000, "a signalling NaN comes out quiet");
	rt_eq(get_fpscr() & 1, 1, "with IOC");
	set_fpscr(1u << 25);                       /* DN */
	r = fromb(0x7FC12345) * hidef(2.0f);
	rt_eq(bits(r), 0x7FC00000, "default NaN mode replaces NaN results");
	set_fpscr(1u << 24);                       /* FZ */
	r = fromb(0x00000010) + hidef(0.0f);
	rt_eq(bits(r), 0, "flush-to-zero: a denormal input is zero");
	rt_eq(get_fpscr() & 0x80, 0x80, "and sets IDC");
	set_fpscr(1u << 24);
	r = hidef(0x1p-100f) * hidef(0x1p-30f);
	rt_eq(bits(r), 0, "flush-to-zero: a tiny result is zero");
	rt_eq(get_fpscr() & 0x18, 0x08, "with UFC and without IXC");
	set_fpscr(0);
	(void)r;
}

static void test_rounding(void)
{
	volatile float third;
	static const uint32_t want[4] = { 0x3EAAAAAB, 0x3EAAAAAB, 0x3EAAAAAA, 0x3EAAAAAA };
	for (unsigned m = 0; m < 4; m++) {
		set_fpscr(m << 22);
		third = hidef(1.0f) / hidef(3.0f);
		rt_eq(bits(third), want[m], m == 0 ? "1/3 to nearest" : m == 1 ? "1/3 toward +infinity" :
		                            m == 2 ? "1/3 toward -infinity" : "1/3 toward zero");
	}
	set_fpscr(3u << 22);
	third = hidef(-1.0f) / hidef(3.0f);
	rt_eq(bits(third), 0xBEAAAAAA, "-1/3 toward zero");
	set_fpscr(0);
}

static void test_compare(void)
{
	volatile float nan = fromb(0x7FC00000);
	rt_ok(!(nan == nan), "NaN is not equal to itself");
	rt_ok(hidef(-0.0f) == hidef(0.0f), "-0 equals +0");
	rt_ok(hidef(1.0f) < hidef(2.0f) && !(hidef(2.0f) < hidef(1.0f)), "ordered compare");
	rt_ok(!(nan < hidef(1.0f)) && !(nan > hidef(1.0f)), "unordered compare");
}

/* ---- lazy stacking --------------------------------------------------------------------------- */

static volatile uint32_t lsp_fpccr, lsp_fpcar, lsp_exc_return, lsp_sp;
static volatile float handler_result;

static void h_pendsv_fp(rt_frame *f, uint32_t er)
{
	/* FPCCR before this handler's first FP instruction, then use the FP unit. */
	lsp_fpccr = FPCCR;
	lsp_fpcar = FPCAR;
	lsp_exc_return = er;
	lsp_sp = (uint32_t)f;
	handler_result = hidef(2.0f) * hidef(21.0f);
}

static void test_lazy_stacking(void)
{
	uint32_t a, b;
	rt_set_handler(EXC_PENDSV, h_pendsv_fp);
	rt_eq(FPCCR & 0xC0000000u, 0xC0000000u, "FPCCR: ASPEN and LSPEN set at reset");
	/* s0 and s1 live across a PendSV whose handler uses the FP unit. */
	__asm__ volatile("vmov.f32 s0, #1.25\n\t"
	                 "vmov.f32 s1, #-8.5\n\t"
	                 "str %2, [%3]\n\t"
	                 "dsb\n\t"
	                 "isb\n\t"
	                 "vmov %0, s0\n\t"
	                 "vmov %1, s1"
	                 : "=r"(a), "=r"(b) : "r"(1u << 28), "r"(0xE000ED04u) : "s0", "s1", "memory");
	rt_eq(lsp_exc_return & 0x10, 0, "EXC_RETURN.FType = 0: an extended frame");
	rt_eq(lsp_fpccr & 1, 1, "FPCCR.LSPACT set on entry (state not yet saved)");
	rt_eq(lsp_fpcar, lsp_sp + 0x20, "FPCAR points at the frame's FP area");
	rt_eq(FPCCR & 1, 0, "LSPACT clear again after the return");
	rt_eq(bits(handler_result), bits(42.0f), "the handler used the FP unit");
	rt_eq(a, bits(1.25f), "s0 preserved across the exception");
	rt_eq(b, bits(-8.5f), "s1 preserved across the exception");
	rt_eq(rt_get_control() & 4, 4, "CONTROL.FPCA set in thread mode");
}

static volatile unsigned nocp_hits;
static volatile uint32_t nocp_cfsr;

static void h_nocp(rt_frame *f, uint32_t er)
{
	(void)er;
	nocp_hits++;
	nocp_cfsr = CFSR;
	CFSR = nocp_cfsr;
	CPACR |= 0xFu << 20;
	(void)f;                /* retry the instruction with the unit enabled */
}

static void test_nocp(void)
{
	volatile float r;
	rt_set_handler(EXC_USAGEFAULT, h_nocp);
	SHCSR |= 1u << 18;
	CPACR &= ~(0xFu << 20);
	rt_barrier();
	r = hidef(2.0f) + hidef(3.0f);
	rt_eq(nocp_hits, 1, "an FP instruction with CPACR off: UsageFault");
	rt_eq(nocp_cfsr, 1u << 19, "CFSR.NOCP");
	rt_eq(bits(r), bits(5.0f), "and it runs once the handler enables the unit");
	SHCSR &= ~(1u << 18);
}

int main(void)
{
	test_arith();
	test_conversions();
	test_flags();
	test_rounding();
	test_compare();
	test_lazy_stacking();
	test_nocp();
	return rt_done();
}
