/* cpus/arm/exec-inl.h — the semantics of the simple integer instructions, shared by the
 * handlers of exec.c (one function per instruction, used by the single-step, IT and trace
 * paths) and the block executor of block.c (one label per instruction).
 *
 * A simple instruction reads and writes only core registers and flags, cannot fault and moves
 * pc to the next instruction; its body here does everything except that pc update, which each
 * user does its own way. ARM_SIMPLE_OPS lists them all; every entry has a body arm_b_<name>
 * and a handler arm_x_<name>. At the end: the decoded blocks and their op kinds, shared by
 * the block executor (block.c) and the block compiler (jit.c). Included by cpus/arm/ files
 * (and their unit tests) only. */
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

/* ---- blocks (block.c; compiled by jit.c) ---------------------------------------------------- */

#define ARM_BLOCK_MAX 64

typedef struct ArmOp {
	const void *h;                /* label in arm_exec */
	ArmInsn in;                   /* the decoded instruction; in.fn is its handler */
	uint32_t pc;
	uint16_t idx;                 /* instructions before it in the block */
	uint16_t aux;                 /* PUSH/POP: bytes transferred; in an IT group: its kind */
	uint8_t cond;                 /* in an IT group: its condition */
	uint8_t it_back;              /* in an IT group: how many ops back its IT is; else 0 */
	uint16_t kind;                /* its kind on its own (not fused with its neighbours) */
	union {
		uint32_t lit;         /* a folded literal load: the word */
		uint32_t kill;        /* flags dead (see mark_dead_flags): the last op that
		                       * overwrites them; else 0 */
	};
} ArmOp;

typedef struct ArmExit {
	uint32_t tag;
	uint32_t n;                   /* to->n, beside the tag: one load less per chain */
	ArmBlock *to;
	uint8_t *site;                /* the compiled exit's patchable jump (jit.c), or NULL */
} ArmExit;

struct ArmBlock {
	uint32_t pc, end;             /* the instructions it was decoded from: [pc, end) */
	uint32_t lo, hi;              /* every byte it depends on (folded literals too): [lo, hi) */
	uint32_t n;                   /* instructions */
	uint32_t heat;                /* entries counted towards compiling it (jit.c) */
	const void *jit;              /* its compiled code, or NULL */
	ArmBlock *next;               /* in its page's list, or in the dead list */
	ArmExit exits[2];             /* 0: branch taken, 1: fall-through */
	ArmOp ops[];                  /* n instructions, then an END op */
};

/* The conditions of conditional branches (handler arm_x_b<cc>), and when each holds after
 * CMP a, b. */
#define ARM_CONDS(X) X(eq) X(ne) X(hs) X(lo) X(mi) X(pl) X(hi) X(ls) X(ge) X(lt) X(gt) X(le)
#define CMP_eq(a, b) ((a) == (b))
#define CMP_ne(a, b) ((a) != (b))
#define CMP_hs(a, b) ((a) >= (b))
#define CMP_lo(a, b) ((a) < (b))
#define CMP_mi(a, b) ((int32_t)((a) - (b)) < 0)
#define CMP_pl(a, b) ((int32_t)((a) - (b)) >= 0)
#define CMP_hi(a, b) ((a) > (b))
#define CMP_ls(a, b) ((a) <= (b))
#define CMP_ge(a, b) ((int32_t)(a) >= (int32_t)(b))
#define CMP_lt(a, b) ((int32_t)(a) < (int32_t)(b))
#define CMP_gt(a, b) ((int32_t)(a) > (int32_t)(b))
#define CMP_le(a, b) ((int32_t)(a) <= (int32_t)(b))

/* What an op does: one label each. */
enum {
	K_CALL,                       /* call the handler; continue when it went straight on */
	K_CALL_END,                   /* call the handler; the block ends here */
	K_END,                        /* fall through to the next block */
	K_STOP,                       /* the budget ends here (patched in by run_cut) */
	K_COND,                       /* an instruction of an IT group: its kind if its condition holds */
	K_BX, K_BLX, K_TBB, K_TBH, K_POP_PC,
	K_B, K_BL, K_BCC, K_CBZ, K_CBNZ,
	K_BEQ, K_BNE, K_BHS, K_BLO, K_BMI, K_BPL, K_BHI, K_BLS, K_BGE, K_BLT, K_BGT, K_BLE,
#define K_LDST(op) K_##op##_i, K_##op##_pre, K_##op##_post, K_##op##_r, K_##op##_lit,
	K_LDST(ldr) K_LDST(ldrb) K_LDST(ldrsb) K_LDST(ldrh) K_LDST(ldrsh)
	K_LDST(str) K_LDST(strb) K_LDST(strh)
#undef K_LDST
	K_PUSH, K_POP,
	K_LDRD, K_STRD,               /* without writeback: lit is the offset */
	K_LIT,                        /* LDR (literal) of a word read when decoding (see build) */
	/* CMP (immediate or register) fused with the conditional branch that follows it. */
#define K_CMPBR(cc) K_CMPI_##cc, K_CMPR_##cc,
	ARM_CONDS(K_CMPBR)
#undef K_CMPBR
#define K_SIMPLE(name) K_##name,
	ARM_SIMPLE_OPS(K_SIMPLE)
#undef K_SIMPLE
	/* Shifted-register forms with a known shift (exec-inl.h), four types in a row each. */
#define K_SH_N(T, name, a1, a2, a3, a4, a5) K_##name##_rsh_##T,
#define K_SH_S(T, name, a1, a2, a3, a4, a5) K_##name##_rshs_##T,
#define K_LSH4(name, EXPR, WRITE) ARM_SH_TYPES(K_SH_N, name, _, _, _, _, _)
#define K_ASH4(name, X, Y, CIN, WRITE) ARM_SH_TYPES(K_SH_N, name, _, _, _, _, _) \
	ARM_SH_TYPES(K_SH_S, name, _, _, _, _, _)
	ARM_DP_LOGIC_LIST(K_LSH4)
	ARM_DP_ARITH_LIST(K_ASH4)
	K_SH_END,
	/* ADD (register) with LSL #1, #2 or #3, mostly array indexing: one host LEA each. */
	K_add_lsl1 = K_SH_END, K_add_lsl2, K_add_lsl3,
	K_SIMPLE_END,                 /* the kinds from K_and_i to here are simple */
	K_COUNT
};

/* jit.c: hot blocks compiled to host code (x86-64 Linux hosts; elsewhere these do nothing).
 * Compile b, whose op i does what kind kinds[i] does (its label: dead flags, fused compares
 * and in-page branches included); false when it cannot be. */
bool arm_jit_compile(ArmCpu *c, ArmBlock *b, const uint16_t *kinds);
/* Run b's compiled code (it fits the budget from cpu.insns): it returns with cpu.insns and pc
 * exact, and NULL (nothing more to follow), ARM_JIT_JUMP (pc is a computed target, to look
 * up in the jump cache) or the exit slot it left through, to be chained by the caller. */
#define ARM_JIT_JUMP ((ArmExit *)1)
ArmExit *arm_jit_run(ArmCpu *c, const ArmBlock *b);

#endif
