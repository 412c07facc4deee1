/* tests/firmware/riscv/muldiv.c — the M extension: the four multiplies (low half and the
 * signed, unsigned and signed-by-unsigned high halves) at the extremes, division rounding
 * towards zero, and the results the ISA manual defines without a trap: x/0 = -1 (all ones),
 * x%0 = x, MIN/-1 = MIN, MIN%-1 = 0; on RV64 the word forms, which use only the low 32 bits
 * and sign-extend even the unsigned results. */
#include "rt.h"

#define MIN MIN_X
#define MAX MAX_X
#define HALF (MIN >> 1)         /* 2^(XLEN-2) */

#define CASES(X) \
	X(RR("mul", 7, -3), (uintptr_t)-21, "mul 7 * -3") \
	X(RR("mul", MIN, -1), MIN, "mul MIN * -1 wraps to MIN") \
	X(RR("mul", MAX, MAX), 1, "mul MAX * MAX: low half is 1") \
	X(RR("mul", ONES, ONES), 1, "mul -1 * -1") \
	X(RR("mulh", ONES, ONES), 0, "mulh -1 * -1: high half 0") \
	X(RR("mulh", MIN, MIN), HALF, "mulh MIN * MIN = 2^(XLEN-2)") \
	X(RR("mulh", MIN, MAX), MIN | HALF, "mulh MIN * MAX = -2^(XLEN-2)") \
	X(RR("mulh", MIN, ONES), 0, "mulh MIN * -1: high half 0") \
	X(RR("mulh", 2, MIN), ONES, "mulh 2 * MIN (signed): high half -1") \
	X(RR("mulhu", ONES, ONES), ONES - 1, "mulhu (2^XLEN-1)^2: high half 2^XLEN-2") \
	X(RR("mulhu", MIN, 2), 1, "mulhu 2^(XLEN-1) * 2") \
	X(RR("mulhu", 2, MIN), 1, "mulhu 2 * 2^(XLEN-1) (unsigned)") \
	X(RR("mulhsu", ONES, ONES), ONES, "mulhsu -1 * (2^XLEN-1): high half -1") \
	X(RR("mulhsu", 1, ONES), 0, "mulhsu 1 * (2^XLEN-1): high half 0") \
	X(RR("mulhsu", MIN, ONES), MIN, "mulhsu MIN * (2^XLEN-1)") \
	X(RR("mulhsu", 2, MIN), 1, "mulhsu 2 * 2^(XLEN-1): rs2 is unsigned") \
	X(RR("div", 7, 2), 3, "div 7 / 2") \
	X(RR("div", -7, 2), (uintptr_t)-3, "div -7 / 2 rounds towards zero") \
	X(RR("div", 7, -2), (uintptr_t)-3, "div 7 / -2 rounds towards zero") \
	X(RR("div", -7, -2), 3, "div -7 / -2") \
	X(RR("rem", -7, 2), (uintptr_t)-1, "rem -7 % 2 has the dividend's sign") \
	X(RR("rem", 7, -2), 1, "rem 7 % -2 has the dividend's sign") \
	X(RR("divu", ONES, 2), MAX, "divu (2^XLEN-1) / 2") \
	X(RR("remu", ONES, 2), 1, "remu (2^XLEN-1) % 2") \
	X(RR("divu", MIN, ONES), 0, "divu 2^(XLEN-1) / (2^XLEN-1)") \
	X(RR("remu", MIN, ONES), MIN, "remu 2^(XLEN-1) % (2^XLEN-1)") \
	X(RR("div", 5, 0), ONES, "div by zero gives -1") \
	X(RR("div", -5, 0), ONES, "div of a negative value by zero gives -1") \
	X(RR("divu", 5, 0), ONES, "divu by zero gives 2^XLEN-1") \
	X(RR("rem", 5, 0), 5, "rem by zero gives the dividend") \
	X(RR("rem", -5, 0), (uintptr_t)-5, "rem of a negative value by zero gives the dividend") \
	X(RR("remu", MIN, 0), MIN, "remu by zero gives the dividend") \
	X(RR("div", MIN, -1), MIN, "div MIN / -1 overflows to MIN") \
	X(RR("rem", MIN, -1), 0, "rem MIN % -1 is 0") \
	X(RR("div", MIN, 2), MIN | HALF, "div MIN / 2") \
	X(RR("rem", MIN, 1), 0, "rem MIN % 1")

#if XLEN == 64
#define CASES64(X) \
	X(RR("mulw", 0x7fffffff, 2), 0xfffffffffffffffeull, "mulw: 32-bit product, sign-extended") \
	X(RR("mulw", 0x100000003ull, 0x100000005ull), 15, "mulw ignores the upper halves") \
	X(RR("divw", 0x80000000ull, -1), 0xffffffff80000000ull, "divw INT32_MIN / -1 = INT32_MIN") \
	X(RR("remw", 0x80000000ull, -1), 0, "remw INT32_MIN % -1 = 0") \
	X(RR("divw", 5, 0x100000000ull), ONES, "divw by a zero low word gives -1") \
	X(RR("divuw", 5, 0), ONES, "divuw by zero: 0xffffffff, sign-extended") \
	X(RR("remw", 0x180000000ull, 0), 0xffffffff80000000ull, "remw by zero gives the low word, sign-extended") \
	X(RR("remuw", 0x80000005ull, 0), 0xffffffff80000005ull, "remuw by zero gives the low word, sign-extended") \
	X(RR("divuw", 0xffffffffull, 2), 0x7fffffff, "divuw 0xffffffff / 2") \
	X(RR("divuw", 0x80000000ull, 1), 0xffffffff80000000ull, "divuw: the unsigned quotient is sign-extended") \
	X(RR("divuw", 0x100000006ull, 0x100000003ull), 2, "divuw ignores the upper halves") \
	X(RR("divw", -7, 2), (uintptr_t)-3, "divw -7 / 2 rounds towards zero") \
	X(RR("remw", -7, 2), (uintptr_t)-1, "remw -7 % 2") \
	X(RR("remuw", 0xffffffffull, 0x10), 0xf, "remuw 0xffffffff % 16")
#else
#define CASES64(X)
#endif

int main(void)
{
	tap_plan(0 CASES(RT_COUNT) CASES64(RT_COUNT) + 1);
	rt_init();
	CASES(RT_RUN_EQ)
	CASES64(RT_RUN_EQ)
	rt_check_no_trap("no M instruction trapped, division by zero included");
	return tap_done();
}
