/* cpus/arm/exec-inl.h — the semantics of the simple integer instructions, shared by the
 * handlers of exec.c (one function per instruction, used by the single-step, IT and trace
 * paths) and the block executor of block.c (one label per instruction).
 *
 * A simple instruction reads and writes only core registers and flags, cannot fault and moves
 * pc to the next instruction; its body here does everything except that pc update, which each
 * user does its own way. ARM_SIMPLE_OPS lists them all; every entry has a body arm_b_<name>
 * and a handler arm_x_<name>. Included by cpus/arm/ files only. */
#ifndef SOC_ARM_EXEC_INL_H
#define SOC_ARM_EXEC_INL_H

#include "cpus/arm/arm-internal.h"

#define ARM_INL static inline __attribute__((always_inline))

/* ---- shifts and arithmetic ----------------------------------------------------------------- */

ARM_INL uint32_t arm_ror32(uint32_t v, unsigned n)
{
	n &= 31;
	return n ? (v >> n) | (v << (32 - n)) : v;
}

/* Shift with carry out; n may be anything from 0 to 255 (register shifts). */
ARM_INL uint32_t arm_shift_c(uint32_t v, unsigned type, unsigned n, uint32_t cin, uint32_t *cout)
{
	switch (type) {
	case ARM_SH_LSL:
		if (n == 0) { *cout = cin; return v; }
		if (n < 32) { *cout = (v >> (32 - n)) & 1; return v << n; }
		*cout = n == 32 ? (v & 1) : 0;
		return 0;
	case ARM_SH_LSR:
		if (n == 0) { *cout = cin; return v; }
		if (n < 32) { *cout = (v >> (n - 1)) & 1; return v >> n; }
		*cout = n == 32 ? (v >> 31) : 0;
		return 0;
	case ARM_SH_ASR:
		if (n == 0) { *cout = cin; return v; }
		if (n < 32) { *cout = (v >> (n - 1)) & 1; return (uint32_t)((int32_t)v >> n); }
		*cout = v >> 31;
		return (uint32_t)((int32_t)v >> 31);
	case ARM_SH_ROR:
		if (n == 0) { *cout = cin; return v; }
		v = arm_ror32(v, n);
		*cout = v >> 31;
		return v;
	default:    /* RRX */
		*cout = v & 1;
		return (cin << 31) | (v >> 1);
	}
}

ARM_INL uint32_t arm_shift_n(uint32_t v, unsigned type, unsigned n, uint32_t cin)
{
	uint32_t dummy;
	return arm_shift_c(v, type, n, cin, &dummy);
}

ARM_INL uint32_t arm_add_with_carry(ArmCpu *c, uint32_t a, uint32_t b, uint32_t cin)
{
	uint64_t r64 = (uint64_t)a + b + cin;
	uint32_t r = (uint32_t)r64;
	c->nf = c->zf = r;
	c->cf = (uint32_t)(r64 >> 32);
	c->vf = (a ^ r) & (b ^ r);
	return r;
}

/* ---- data processing: six variants each (immediate, register, shifted register; each
 * without and with flags) ---------------------------------------------------------------------- */

#define ARM_OP2_I (i->imm)
#define ARM_OP2_R (c->r[i->rm])

#define ARM_DP_LOGIC(name, EXPR, WRITE)                                                          \
	ARM_INL void arm_b_##name##_i(ArmCpu *c, const ArmInsn *i)                                \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = ARM_OP2_I, r = (EXPR);                               \
		(void)a;                                                                           \
		if (WRITE) c->r[i->rd] = r;                                                       \
	}                                                                                          \
	ARM_INL void arm_b_##name##_is(ArmCpu *c, const ArmInsn *i)                               \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = ARM_OP2_I, r = (EXPR);                               \
		(void)a;                                                                           \
		if (WRITE) c->r[i->rd] = r;                                                       \
		c->nf = c->zf = r;                                                                 \
		if (i->flags & ARM_IF_CSET)                                                        \
			c->cf = (i->flags & ARM_IF_CVAL) ? 1 : 0;                                  \
	}                                                                                          \
	ARM_INL void arm_b_##name##_r(ArmCpu *c, const ArmInsn *i)                                \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = ARM_OP2_R, r = (EXPR);                               \
		(void)a;                                                                           \
		if (WRITE) c->r[i->rd] = r;                                                       \
	}                                                                                          \
	ARM_INL void arm_b_##name##_rs(ArmCpu *c, const ArmInsn *i)                               \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = ARM_OP2_R, r = (EXPR);                               \
		(void)a;                                                                           \
		if (WRITE) c->r[i->rd] = r;                                                       \
		c->nf = c->zf = r;                                                                 \
	}                                                                                          \
	ARM_INL void arm_b_##name##_rsh(ArmCpu *c, const ArmInsn *i)                              \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = arm_shift_n(c->r[i->rm], i->sh, i->amt, c->cf);      \
		uint32_t r = (EXPR);                                                               \
		(void)a;                                                                           \
		if (WRITE) c->r[i->rd] = r;                                                       \
	}                                                                                          \
	ARM_INL void arm_b_##name##_rshs(ArmCpu *c, const ArmInsn *i)                             \
	{                                                                                          \
		uint32_t carry, a = c->r[i->rn];                                                   \
		uint32_t b = arm_shift_c(c->r[i->rm], i->sh, i->amt, c->cf, &carry);               \
		uint32_t r = (EXPR);                                                               \
		(void)a;                                                                           \
		if (WRITE) c->r[i->rd] = r;                                                       \
		c->nf = c->zf = r;                                                                 \
		c->cf = carry;                                                                     \
	}

/* The logical operations: name, result from a (Rn) and b (operand 2), whether Rd is written. */
#define ARM_DP_LOGIC_LIST(X)                                                                      \
	X(and, a & b, 1) X(eor, a ^ b, 1) X(orr, a | b, 1) X(orn, a | ~b, 1) X(bic, a & ~b, 1)    \
	X(mov, b, 1) X(mvn, ~b, 1) X(tst, a & b, 0) X(teq, a ^ b, 0)
ARM_DP_LOGIC_LIST(ARM_DP_LOGIC)

/* Arithmetic: X = first operand, Y = second, CIN = carry in; with flags through add_with_carry. */
#define ARM_DP_ARITH(name, X, Y, CIN, WRITE)                                                     \
	ARM_INL void arm_b_##name##_i(ArmCpu *c, const ArmInsn *i)                                \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = ARM_OP2_I;                                           \
		uint32_t r = (X) + (Y) + (CIN);                                                    \
		if (WRITE) c->r[i->rd] = r;                                                       \
	}                                                                                          \
	ARM_INL void arm_b_##name##_is(ArmCpu *c, const ArmInsn *i)                               \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = ARM_OP2_I;                                           \
		uint32_t r = arm_add_with_carry(c, (X), (Y), (CIN));                               \
		if (WRITE) c->r[i->rd] = r;                                                       \
	}                                                                                          \
	ARM_INL void arm_b_##name##_r(ArmCpu *c, const ArmInsn *i)                                \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = ARM_OP2_R;                                           \
		uint32_t r = (X) + (Y) + (CIN);                                                    \
		if (WRITE) c->r[i->rd] = r;                                                       \
	}                                                                                          \
	ARM_INL void arm_b_##name##_rs(ArmCpu *c, const ArmInsn *i)                               \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = ARM_OP2_R;                                           \
		uint32_t r = arm_add_with_carry(c, (X), (Y), (CIN));                               \
		if (WRITE) c->r[i->rd] = r;                                                       \
	}                                                                                          \
	ARM_INL void arm_b_##name##_rsh(ArmCpu *c, const ArmInsn *i)                              \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = arm_shift_n(c->r[i->rm], i->sh, i->amt, c->cf);      \
		uint32_t r = (X) + (Y) + (CIN);                                                    \
		if (WRITE) c->r[i->rd] = r;                                                       \
	}                                                                                          \
	ARM_INL void arm_b_##name##_rshs(ArmCpu *c, const ArmInsn *i)                             \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = arm_shift_n(c->r[i->rm], i->sh, i->amt, c->cf);      \
		uint32_t r = arm_add_with_carry(c, (X), (Y), (CIN));                               \
		if (WRITE) c->r[i->rd] = r;                                                       \
	}

/* The arithmetic operations: name, the two addends and the carry in, whether Rd is written. */
#define ARM_DP_ARITH_LIST(X)                                                                      \
	X(add, a, b, 0u, 1) X(adc, a, b, c->cf, 1) X(sub, a, ~b, 1u, 1) X(sbc, a, ~b, c->cf, 1)   \
	X(rsb, ~a, b, 1u, 1) X(cmp, a, ~b, 1u, 0) X(cmn, a, b, 0u, 0)
ARM_DP_ARITH_LIST(ARM_DP_ARITH)

/* Shifted-register forms whose shift is known when decoding (one of the four types by 1 to
 * 31): the block executor gives each its own label instead of arm_shift_n's switch. Logical
 * operations without flags and arithmetic ones with or without (their carry out does not
 * depend on the shifter). */
#define ARM_SH_lsl(v, n) ((v) << (n))
#define ARM_SH_lsr(v, n) ((v) >> (n))
#define ARM_SH_asr(v, n) ((uint32_t)((int32_t)(v) >> (n)))
#define ARM_SH_ror(v, n) (((v) >> (n)) | ((v) << (32 - (n))))
#define ARM_SH_TYPES(X, a1, a2, a3, a4, a5, a6) X(lsl, a1, a2, a3, a4, a5, a6) \
	X(lsr, a1, a2, a3, a4, a5, a6) X(asr, a1, a2, a3, a4, a5, a6) X(ror, a1, a2, a3, a4, a5, a6)

#define ARM_B_LOGIC_SH(T, name, EXPR, WRITE, u1, u2, u3)                                        \
	ARM_INL void arm_b_##name##_rsh_##T(ArmCpu *c, const ArmInsn *i)                          \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = ARM_SH_##T(c->r[i->rm], i->amt), r = (EXPR);         \
		(void)a;                                                                           \
		if (WRITE) c->r[i->rd] = r;                                                       \
	}
#define ARM_B_ARITH_SH(T, name, X, Y, CIN, WRITE, u1)                                            \
	ARM_INL void arm_b_##name##_rsh_##T(ArmCpu *c, const ArmInsn *i)                          \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = ARM_SH_##T(c->r[i->rm], i->amt);                     \
		uint32_t r = (X) + (Y) + (CIN);                                                    \
		if (WRITE) c->r[i->rd] = r;                                                       \
	}                                                                                          \
	ARM_INL void arm_b_##name##_rshs_##T(ArmCpu *c, const ArmInsn *i)                         \
	{                                                                                          \
		uint32_t a = c->r[i->rn], b = ARM_SH_##T(c->r[i->rm], i->amt);                     \
		uint32_t r = arm_add_with_carry(c, (X), (Y), (CIN));                               \
		if (WRITE) c->r[i->rd] = r;                                                       \
	}
#define ARM_B_LOGIC_SH4(name, EXPR, WRITE) ARM_SH_TYPES(ARM_B_LOGIC_SH, name, EXPR, WRITE, _, _, _)
#define ARM_B_ARITH_SH4(name, X, Y, CIN, WRITE) ARM_SH_TYPES(ARM_B_ARITH_SH, name, X, Y, CIN, WRITE, _)
ARM_DP_LOGIC_LIST(ARM_B_LOGIC_SH4)
ARM_DP_ARITH_LIST(ARM_B_ARITH_SH4)

#define ARM_SHIFT_RR(name, TYPE)                                                                 \
	ARM_INL void arm_b_##name##_rr(ArmCpu *c, const ArmInsn *i)                               \
	{                                                                                          \
		c->r[i->rd] = arm_shift_n(c->r[i->rn], TYPE, c->r[i->rm] & 0xFF, c->cf);           \
	}                                                                                          \
	ARM_INL void arm_b_##name##_rrs(ArmCpu *c, const ArmInsn *i)                              \
	{                                                                                          \
		uint32_t carry, r = arm_shift_c(c->r[i->rn], TYPE, c->r[i->rm] & 0xFF, c->cf, &carry); \
		c->r[i->rd] = r;                                                                   \
		c->nf = c->zf = r;                                                                 \
		c->cf = carry;                                                                     \
	}

ARM_SHIFT_RR(lsl, ARM_SH_LSL)
ARM_SHIFT_RR(lsr, ARM_SH_LSR)
ARM_SHIFT_RR(asr, ARM_SH_ASR)
ARM_SHIFT_RR(ror, ARM_SH_ROR)

/* ---- moves, multiplies, extension, reversal, bit fields, saturation ------------------------- */

ARM_INL void arm_b_movt(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = (c->r[i->rd] & 0xFFFF) | i->imm << 16;
}

ARM_INL void arm_b_mul(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = c->r[i->rn] * c->r[i->rm];
}

ARM_INL void arm_b_muls(ArmCpu *c, const ArmInsn *i)
{
	uint32_t r = c->r[i->rn] * c->r[i->rm];
	c->r[i->rd] = r;
	c->nf = c->zf = r;
}

ARM_INL void arm_b_mla(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = c->r[i->rn] * c->r[i->rm] + c->r[i->ra];
}

ARM_INL void arm_b_mls(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = c->r[i->ra] - c->r[i->rn] * c->r[i->rm];
}

/* Long multiplies: rd is RdLo, ra is RdHi. */
ARM_INL void arm_write_pair(ArmCpu *c, const ArmInsn *i, uint64_t v)
{
	c->r[i->rd] = (uint32_t)v;
	c->r[i->ra] = (uint32_t)(v >> 32);
}

ARM_INL uint64_t arm_read_pair(const ArmCpu *c, const ArmInsn *i)
{
	return (uint64_t)c->r[i->ra] << 32 | c->r[i->rd];
}

ARM_INL void arm_b_smull(ArmCpu *c, const ArmInsn *i)
{
	arm_write_pair(c, i, (uint64_t)((int64_t)(int32_t)c->r[i->rn] * (int32_t)c->r[i->rm]));
}

ARM_INL void arm_b_umull(ArmCpu *c, const ArmInsn *i)
{
	arm_write_pair(c, i, (uint64_t)c->r[i->rn] * c->r[i->rm]);
}

ARM_INL void arm_b_smlal(ArmCpu *c, const ArmInsn *i)
{
	arm_write_pair(c, i, arm_read_pair(c, i) + (uint64_t)((int64_t)(int32_t)c->r[i->rn] * (int32_t)c->r[i->rm]));
}

ARM_INL void arm_b_umlal(ArmCpu *c, const ArmInsn *i)
{
	arm_write_pair(c, i, arm_read_pair(c, i) + (uint64_t)c->r[i->rn] * c->r[i->rm]);
}

ARM_INL void arm_b_sxtb(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = (uint32_t)(int32_t)(int8_t)arm_ror32(c->r[i->rm], i->amt);
}

ARM_INL void arm_b_sxth(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = (uint32_t)(int32_t)(int16_t)arm_ror32(c->r[i->rm], i->amt);
}

ARM_INL void arm_b_uxtb(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = arm_ror32(c->r[i->rm], i->amt) & 0xFF;
}

ARM_INL void arm_b_uxth(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = arm_ror32(c->r[i->rm], i->amt) & 0xFFFF;
}

ARM_INL void arm_b_rev(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = __builtin_bswap32(c->r[i->rm]);
}

ARM_INL void arm_b_rev16(ArmCpu *c, const ArmInsn *i)
{
	uint32_t v = c->r[i->rm];
	c->r[i->rd] = ((v & 0x00FF00FFu) << 8) | ((v >> 8) & 0x00FF00FFu);
}

ARM_INL void arm_b_revsh(ArmCpu *c, const ArmInsn *i)
{
	uint32_t v = c->r[i->rm];
	c->r[i->rd] = (uint32_t)(int32_t)(int16_t)(((v & 0xFF) << 8) | ((v >> 8) & 0xFF));
}

ARM_INL void arm_b_rbit(ArmCpu *c, const ArmInsn *i)
{
	uint32_t v = c->r[i->rm];
	v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
	v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
	v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
	c->r[i->rd] = __builtin_bswap32(v);
}

ARM_INL void arm_b_clz(ArmCpu *c, const ArmInsn *i)
{
	uint32_t v = c->r[i->rm];
	c->r[i->rd] = v ? (uint32_t)__builtin_clz(v) : 32;
}

ARM_INL uint32_t arm_field_mask(unsigned lsb, unsigned msb)
{
	return (msb >= 31 ? ~0u : ((1u << (msb + 1)) - 1)) & ~((1u << lsb) - 1);
}

ARM_INL void arm_b_bfc(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] &= ~arm_field_mask(i->amt, i->x);
}

ARM_INL void arm_b_bfi(ArmCpu *c, const ArmInsn *i)
{
	uint32_t m = arm_field_mask(i->amt, i->x);
	c->r[i->rd] = (c->r[i->rd] & ~m) | ((c->r[i->rn] << i->amt) & m);
}

ARM_INL void arm_b_sbfx(ArmCpu *c, const ArmInsn *i)
{
	uint32_t v = c->r[i->rn] >> i->amt;
	unsigned w = i->x;
	c->r[i->rd] = w >= 32 ? v : (uint32_t)((int32_t)(v << (32 - w)) >> (32 - w));
}

ARM_INL void arm_b_ubfx(ArmCpu *c, const ArmInsn *i)
{
	uint32_t v = c->r[i->rn] >> i->amt;
	unsigned w = i->x;
	c->r[i->rd] = w >= 32 ? v : v & ((1u << w) - 1);
}

/* SignedSatQ / UnsignedSatQ on a 64-bit value. */
ARM_INL uint32_t arm_ssat_q(int64_t v, unsigned n, bool *sat)
{
	int64_t hi = ((int64_t)1 << (n - 1)) - 1, lo = -((int64_t)1 << (n - 1));
	if (v > hi) { *sat = true; return (uint32_t)hi; }
	if (v < lo) { *sat = true; return (uint32_t)lo; }
	return (uint32_t)v;
}

ARM_INL uint32_t arm_usat_q(int64_t v, unsigned n, bool *sat)
{
	int64_t hi = ((int64_t)1 << n) - 1;
	if (v > hi) { *sat = true; return (uint32_t)hi; }
	if (v < 0) { *sat = true; return 0; }
	return (uint32_t)v;
}

ARM_INL void arm_b_ssat(ArmCpu *c, const ArmInsn *i)
{
	bool sat = false;
	int32_t v = (int32_t)arm_shift_n(c->r[i->rn], i->sh, i->amt, c->cf);
	c->r[i->rd] = arm_ssat_q(v, i->x, &sat);
	if (sat)
		c->qf = 1;
}

ARM_INL void arm_b_usat(ArmCpu *c, const ArmInsn *i)
{
	bool sat = false;
	int32_t v = (int32_t)arm_shift_n(c->r[i->rn], i->sh, i->amt, c->cf);
	c->r[i->rd] = arm_usat_q(v, i->x, &sat);
	if (sat)
		c->qf = 1;
}

ARM_INL void arm_b_nop(ArmCpu *c, const ArmInsn *i)
{
	(void)c;
	(void)i;
}

/* Every simple instruction (X-macro): X(name) for body arm_b_<name>, handler arm_x_<name>. */
#define ARM_SIMPLE_DP(X, op) X(op##_i) X(op##_is) X(op##_r) X(op##_rs) X(op##_rsh) X(op##_rshs)
#define ARM_SIMPLE_OPS(X)                                                                         \
	ARM_SIMPLE_DP(X, and) ARM_SIMPLE_DP(X, eor) ARM_SIMPLE_DP(X, orr) ARM_SIMPLE_DP(X, orn)   \
	ARM_SIMPLE_DP(X, bic) ARM_SIMPLE_DP(X, mov) ARM_SIMPLE_DP(X, mvn) ARM_SIMPLE_DP(X, tst)   \
	ARM_SIMPLE_DP(X, teq) ARM_SIMPLE_DP(X, add) ARM_SIMPLE_DP(X, adc) ARM_SIMPLE_DP(X, sub)   \
	ARM_SIMPLE_DP(X, sbc) ARM_SIMPLE_DP(X, rsb) ARM_SIMPLE_DP(X, cmp) ARM_SIMPLE_DP(X, cmn)   \
	X(lsl_rr) X(lsl_rrs) X(lsr_rr) X(lsr_rrs) X(asr_rr) X(asr_rrs) X(ror_rr) X(ror_rrs)       \
	X(movt) X(mul) X(muls) X(mla) X(mls) X(smull) X(umull) X(smlal) X(umlal)                  \
	X(sxtb) X(sxth) X(uxtb) X(uxth) X(rev) X(rev16) X(revsh) X(rbit) X(clz)                   \
	X(bfc) X(bfi) X(sbfx) X(ubfx) X(ssat) X(usat) X(nop)

#endif
