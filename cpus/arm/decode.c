/* cpus/arm/decode.c — Thumb decoding through the encoding table (insns.def).
 *
 * The first table entry that matches an encoding and that the core has wins; its dec_*
 * function checks the reserved and UNPREDICTABLE field values of the Architecture Reference
 * Manual (ARMv7-M ARM, ARMv8-M ARM) and fills an ArmInsn. UNPREDICTABLE encodings execute as
 * UNDEFINED (a choice the architecture allows); they are told apart (ARM_DEC_UNPRED) so that
 * the lockstep test can skip them. Values that depend on the instruction's address (branch
 * targets, literal addresses, ADR) are resolved here: decoded instructions are cached by
 * address. */
#include "cpus/arm/arm-internal.h"

const ArmInsnInfo arm_insn_info[ARM_OP_COUNT] = {
	[ARM_OP_UNDEF] = { "undefined", 0, 0, 0, 0 },
#define ARM_INSN(id, nm, sz, mt, mk, ft, dec) [ARM_OP_##id] = { nm, mt, mk, sz, ARM_FT_##ft },
#include "cpus/arm/insns.def"
#undef ARM_INSN
	[ARM_OP_UNPRED] = { "unpredictable", 0, 0, 0, 0 },
	[ARM_OP_DECODE] = { "(decode)", 0, 0, 0, 0 },
};

typedef ArmDecStatus (*ArmDecodeFn)(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d);

#define ARM_INSN(id, nm, sz, mt, mk, ft, dec) \
	static ArmDecStatus dec(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d);
#include "cpus/arm/insns.def"
#undef ARM_INSN

static const ArmDecodeFn decoders[ARM_OP_COUNT] = {
#define ARM_INSN(id, nm, sz, mt, mk, ft, dec) [ARM_OP_##id] = dec,
#include "cpus/arm/insns.def"
#undef ARM_INSN
};

/* Field extraction: bits hi..lo of w. */
#define F(w, hi, lo) (((w) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))
#define BIT(w, n) (((w) >> (n)) & 1u)

static inline bool bad_reg(unsigned r)
{
	return r == 13 || r == 15;
}

static inline uint32_t sext(uint32_t v, unsigned bits)
{
	return (uint32_t)((int32_t)(v << (32 - bits)) >> (32 - bits));
}

/* ---- lookup ----------------------------------------------------------------------------------- */

ArmOpId arm_decode_lookup(uint32_t w, unsigned size, uint32_t feat)
{
	for (unsigned op = 1; op < ARM_OP_UNPRED; op++) {
		const ArmInsnInfo *e = &arm_insn_info[op];
		if (e->size == size && (w & e->mask) == e->match && (e->feat & feat))
			return (ArmOpId)op;
	}
	return ARM_OP_UNDEF;
}

static ArmDecStatus undef(ArmInsn *d)
{
	d->fn = arm_x_undef;
	d->op = ARM_OP_UNDEF;
	return ARM_DEC_UNDEF;
}

static ArmDecStatus unpred(ArmInsn *d)
{
	d->fn = arm_x_unpred;
	d->op = ARM_OP_UNPRED;
	return ARM_DEC_UNPRED;
}

ArmDecStatus arm_decode(const ArmDecodeCtx *x, uint32_t w, unsigned size, ArmInsn *d)
{
	ArmOpId op = ARM_OP_UNDEF;
	ArmDecStatus st;

	memset(d, 0, sizeof(*d));
	d->len = size / 8;
	/* Keep searching past an entry the core lacks: a later, more general one may apply. */
	for (unsigned i = 1; i < ARM_OP_UNPRED; i++) {
		const ArmInsnInfo *e = &arm_insn_info[i];
		if (e->size == size && (w & e->mask) == e->match && (e->feat & x->feat)) {
			op = (ArmOpId)i;
			break;
		}
	}
	if (op == ARM_OP_UNDEF)
		return undef(d);
	d->op = (uint16_t)op;
	st = decoders[op](x, op, w, d);
	if (st == ARM_DEC_UNDEF)
		return undef(d);
	if (st == ARM_DEC_UNPRED)
		return unpred(d);
	if (st == ARM_DEC_NOCP) {
		d->fn = arm_x_nocp;
		return ARM_DEC_NOCP;
	}
	return ARM_DEC_OK;
}

/* ---- shared pieces --------------------------------------------------------------------------- */

enum { DP_AND, DP_EOR, DP_ORR, DP_ORN, DP_BIC, DP_MOV, DP_MVN, DP_ADD, DP_ADC, DP_SUB, DP_SBC,
       DP_RSB, DP_TST, DP_TEQ, DP_CMP, DP_CMN };

#define DP_ROW(o) { arm_x_##o##_i, arm_x_##o##_is, arm_x_##o##_r, arm_x_##o##_rs, arm_x_##o##_rsh, \
                    arm_x_##o##_rshs }
static const ArmExecFn dp_fns[16][6] = {
	DP_ROW(and), DP_ROW(eor), DP_ROW(orr), DP_ROW(orn), DP_ROW(bic), DP_ROW(mov), DP_ROW(mvn),
	DP_ROW(add), DP_ROW(adc), DP_ROW(sub), DP_ROW(sbc), DP_ROW(rsb), DP_ROW(tst), DP_ROW(teq),
	DP_ROW(cmp), DP_ROW(cmn),
};

static bool dp_logical(unsigned dp)
{
	return dp <= DP_MVN || dp == DP_TST || dp == DP_TEQ;
}

/* Handlers the SP-writing wrapper may run (arm_x_spw: ArmInsn.x indexes this list). */
const ArmExecFn arm_spw_inner[] = {
	arm_x_add_i, arm_x_add_is, arm_x_sub_i, arm_x_sub_is, arm_x_add_r, arm_x_add_rs,
	arm_x_add_rsh, arm_x_add_rshs, arm_x_sub_r, arm_x_sub_rs, arm_x_sub_rsh, arm_x_sub_rshs,
	arm_x_mov_r, arm_x_mov_i, arm_x_ldr_i, arm_x_ldr_pre, arm_x_ldr_post, arm_x_ldr_r,
	arm_x_ldr_lit,
};
const unsigned arm_spw_inner_n = G_N_ELEMENTS(arm_spw_inner);

/* Instructions that write SP go through arm_x_spw, which masks bits [1:0] (they are always
 * zero on M-profile) and applies the Armv8-M stack limit. */
static ArmDecStatus via_spw(ArmInsn *d)
{
	for (unsigned k = 0; k < arm_spw_inner_n; k++) {
		if (arm_spw_inner[k] == d->fn) {
			d->x = (uint8_t)k;
			d->fn = arm_x_spw;
			return ARM_DEC_OK;
		}
	}
	return ARM_DEC_UNPRED;
}

/* A data-processing operation with a register operand shifted by (type, amount). */
static ArmDecStatus set_dp_reg(ArmInsn *d, unsigned dp, bool s, unsigned rd, unsigned rn, unsigned rm,
                               unsigned type, unsigned amt)
{
	unsigned kind = (type == ARM_SH_LSL && amt == 0) ? 1 : 2;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->rm = (uint8_t)rm;
	d->sh = (uint8_t)type;
	d->amt = (uint8_t)amt;
	d->fn = dp_fns[dp][kind * 2 + (s ? 1 : 0)];
	if (rd == 13 && dp != DP_TST && dp != DP_TEQ && dp != DP_CMP && dp != DP_CMN)
		return via_spw(d);
	return ARM_DEC_OK;
}

static ArmDecStatus set_dp_imm(ArmInsn *d, unsigned dp, bool s, unsigned rd, unsigned rn, uint32_t imm)
{
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->imm = imm;
	d->fn = dp_fns[dp][s ? 1 : 0];
	if (rd == 13 && dp != DP_TST && dp != DP_TEQ && dp != DP_CMP && dp != DP_CMN)
		return via_spw(d);
	return ARM_DEC_OK;
}

/* DecodeImmShift: type and 5-bit amount to an explicit shift (RRX is its own type). */
static void decode_imm_shift(unsigned type, unsigned imm5, unsigned *t, unsigned *n)
{
	switch (type) {
	case 0: *t = ARM_SH_LSL; *n = imm5; break;
	case 1: *t = ARM_SH_LSR; *n = imm5 ? imm5 : 32; break;
	case 2: *t = ARM_SH_ASR; *n = imm5 ? imm5 : 32; break;
	default:
		if (imm5 == 0) {
			*t = ARM_SH_RRX;
			*n = 1;
		} else {
			*t = ARM_SH_ROR;
			*n = imm5;
		}
		break;
	}
}

/* ThumbExpandImm_C. Returns false for the UNPREDICTABLE zero byte in replicated forms. */
static bool expand_imm(uint32_t imm12, uint32_t *imm, bool *cset, bool *cval)
{
	uint32_t b = imm12 & 0xFF;
	*cset = false;
	*cval = false;
	if (!(imm12 & 0xC00)) {
		switch (F(imm12, 9, 8)) {
		case 0: *imm = b; break;
		case 1: *imm = b << 16 | b; break;
		case 2: *imm = b << 24 | b << 8; break;
		default: *imm = b << 24 | b << 16 | b << 8 | b; break;
		}
		return F(imm12, 9, 8) == 0 || b != 0;
	}
	{
		uint32_t unrot = 0x80 | (imm12 & 0x7F);
		unsigned rot = F(imm12, 11, 7);
		*imm = (unrot >> rot) | (unrot << (32 - rot));
		*cset = true;
		*cval = (*imm >> 31) != 0;
	}
	return true;
}

static uint32_t thumb_pc(const ArmDecodeCtx *x)
{
	return x->pc + 4;
}

static uint32_t align4(uint32_t v)
{
	return v & ~3u;
}

static unsigned popcount16(uint32_t v)
{
	return (unsigned)__builtin_popcount(v & 0xFFFF);
}

/* ---- 16-bit ---------------------------------------------------------------------------------- */

static ArmDecStatus dec16_shift_imm(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned type = F(w, 12, 11), imm5 = F(w, 10, 6), t, n;
	(void)op;
	/* LSLS #0 is MOVS (register), which IT blocks may not hold. */
	if (type == 0 && imm5 == 0 && x->in_it)
		return ARM_DEC_UNPRED;
	decode_imm_shift(type, imm5, &t, &n);
	return set_dp_reg(d, DP_MOV, !x->in_it, F(w, 2, 0), 0, F(w, 5, 3), t, n);
}

static ArmDecStatus dec16_addsub_reg(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	return set_dp_reg(d, op == ARM_OP_ADD_R16 ? DP_ADD : DP_SUB, !x->in_it, F(w, 2, 0), F(w, 5, 3),
	                  F(w, 8, 6), ARM_SH_LSL, 0);
}

static ArmDecStatus dec16_addsub_imm3(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	return set_dp_imm(d, op == ARM_OP_ADD_I3 ? DP_ADD : DP_SUB, !x->in_it, F(w, 2, 0), F(w, 5, 3),
	                  F(w, 8, 6));
}

static ArmDecStatus dec16_imm8(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned r = F(w, 10, 8), imm = F(w, 7, 0);
	switch (op) {
	case ARM_OP_MOV_I8: return set_dp_imm(d, DP_MOV, !x->in_it, r, 0, imm);
	case ARM_OP_CMP_I8: return set_dp_imm(d, DP_CMP, true, 0, r, imm);
	case ARM_OP_ADD_I8: return set_dp_imm(d, DP_ADD, !x->in_it, r, r, imm);
	default: return set_dp_imm(d, DP_SUB, !x->in_it, r, r, imm);
	}
}

static ArmDecStatus dec16_dp(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rdn = F(w, 2, 0), rm = F(w, 5, 3);
	bool s = !x->in_it;

	switch (op) {
	case ARM_OP_AND_R16: return set_dp_reg(d, DP_AND, s, rdn, rdn, rm, ARM_SH_LSL, 0);
	case ARM_OP_EOR_R16: return set_dp_reg(d, DP_EOR, s, rdn, rdn, rm, ARM_SH_LSL, 0);
	case ARM_OP_ADC_R16: return set_dp_reg(d, DP_ADC, s, rdn, rdn, rm, ARM_SH_LSL, 0);
	case ARM_OP_SBC_R16: return set_dp_reg(d, DP_SBC, s, rdn, rdn, rm, ARM_SH_LSL, 0);
	case ARM_OP_TST_R16: return set_dp_reg(d, DP_TST, true, 0, rdn, rm, ARM_SH_LSL, 0);
	case ARM_OP_CMP_R16: return set_dp_reg(d, DP_CMP, true, 0, rdn, rm, ARM_SH_LSL, 0);
	case ARM_OP_CMN_R16: return set_dp_reg(d, DP_CMN, true, 0, rdn, rm, ARM_SH_LSL, 0);
	case ARM_OP_ORR_R16: return set_dp_reg(d, DP_ORR, s, rdn, rdn, rm, ARM_SH_LSL, 0);
	case ARM_OP_BIC_R16: return set_dp_reg(d, DP_BIC, s, rdn, rdn, rm, ARM_SH_LSL, 0);
	case ARM_OP_MVN_R16: return set_dp_reg(d, DP_MVN, s, rdn, 0, rm, ARM_SH_LSL, 0);
	case ARM_OP_RSB_R16: return set_dp_imm(d, DP_RSB, s, rdn, rm, 0);
	case ARM_OP_MUL_R16:
		d->rd = (uint8_t)rdn;
		d->rn = (uint8_t)rm;
		d->rm = (uint8_t)rdn;
		d->fn = s ? arm_x_muls : arm_x_mul;
		return ARM_DEC_OK;
	default:
		/* Shifts by register: Rdn = Rdn shifted by Rm. */
		d->rd = (uint8_t)rdn;
		d->rn = (uint8_t)rdn;
		d->rm = (uint8_t)rm;
		switch (op) {
		case ARM_OP_LSL_R16: d->fn = s ? arm_x_lsl_rrs : arm_x_lsl_rr; break;
		case ARM_OP_LSR_R16: d->fn = s ? arm_x_lsr_rrs : arm_x_lsr_rr; break;
		case ARM_OP_ASR_R16: d->fn = s ? arm_x_asr_rrs : arm_x_asr_rr; break;
		default: d->fn = s ? arm_x_ror_rrs : arm_x_ror_rr; break;
		}
		return ARM_DEC_OK;
	}
}

static ArmDecStatus dec16_add_hi(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rd = F(w, 2, 0) | BIT(w, 7) << 3, rm = F(w, 6, 3);
	(void)op;
	if (rd == 15 && rm == 15)
		return ARM_DEC_UNPRED;
	if (rd == 15) {
		if (x->in_it && !x->last_in_it)
			return ARM_DEC_UNPRED;
		d->rm = (uint8_t)rm;
		d->fn = arm_x_add_pc;
		return ARM_DEC_OK;
	}
	return set_dp_reg(d, DP_ADD, false, rd, rd, rm, ARM_SH_LSL, 0);
}

static ArmDecStatus dec16_cmp_hi(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 2, 0) | BIT(w, 7) << 3, rm = F(w, 6, 3);
	(void)x;
	(void)op;
	if ((rn < 8 && rm < 8) || rn == 15 || rm == 15)
		return ARM_DEC_UNPRED;
	return set_dp_reg(d, DP_CMP, true, 0, rn, rm, ARM_SH_LSL, 0);
}

static ArmDecStatus dec16_mov_hi(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rd = F(w, 2, 0) | BIT(w, 7) << 3, rm = F(w, 6, 3);
	(void)op;
	if (rd == 15) {
		if (x->in_it && !x->last_in_it)
			return ARM_DEC_UNPRED;
		d->rm = (uint8_t)rm;
		d->fn = arm_x_mov_pc;
		return ARM_DEC_OK;
	}
	return set_dp_reg(d, DP_MOV, false, rd, 0, rm, ARM_SH_LSL, 0);
}

static ArmDecStatus dec16_bx(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rm = F(w, 6, 3);
	if (F(w, 2, 0) != 0)
		return ARM_DEC_UNPRED;
	if (x->in_it && !x->last_in_it)
		return ARM_DEC_UNPRED;
	d->rm = (uint8_t)rm;
	if (op == ARM_OP_BLX_R) {
		if (rm == 15)
			return ARM_DEC_UNPRED;
		d->fn = arm_x_blx;
	} else {
		d->fn = arm_x_bx;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_ldr_lit(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)op;
	d->rd = (uint8_t)F(w, 10, 8);
	d->imm = align4(thumb_pc(x)) + F(w, 7, 0) * 4;
	d->fn = arm_x_ldr_lit;
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_ldst_reg(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	d->rd = (uint8_t)F(w, 2, 0);
	d->rn = (uint8_t)F(w, 5, 3);
	d->rm = (uint8_t)F(w, 8, 6);
	switch (op) {
	case ARM_OP_STR_R16: d->fn = arm_x_str_r; break;
	case ARM_OP_STRH_R16: d->fn = arm_x_strh_r; break;
	case ARM_OP_STRB_R16: d->fn = arm_x_strb_r; break;
	case ARM_OP_LDRSB_R16: d->fn = arm_x_ldrsb_r; break;
	case ARM_OP_LDR_R16: d->fn = arm_x_ldr_r; break;
	case ARM_OP_LDRH_R16: d->fn = arm_x_ldrh_r; break;
	case ARM_OP_LDRB_R16: d->fn = arm_x_ldrb_r; break;
	default: d->fn = arm_x_ldrsh_r; break;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_ldst_imm(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned imm5 = F(w, 10, 6);
	(void)x;
	d->rd = (uint8_t)F(w, 2, 0);
	d->rn = (uint8_t)F(w, 5, 3);
	switch (op) {
	case ARM_OP_STR_I16: d->fn = arm_x_str_i; d->imm = imm5 * 4; break;
	case ARM_OP_LDR_I16: d->fn = arm_x_ldr_i; d->imm = imm5 * 4; break;
	case ARM_OP_STRB_I16: d->fn = arm_x_strb_i; d->imm = imm5; break;
	case ARM_OP_LDRB_I16: d->fn = arm_x_ldrb_i; d->imm = imm5; break;
	case ARM_OP_STRH_I16: d->fn = arm_x_strh_i; d->imm = imm5 * 2; break;
	default: d->fn = arm_x_ldrh_i; d->imm = imm5 * 2; break;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_ldst_sp(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	d->rd = (uint8_t)F(w, 10, 8);
	d->rn = 13;
	d->imm = F(w, 7, 0) * 4;
	d->fn = op == ARM_OP_STR_SP16 ? arm_x_str_i : arm_x_ldr_i;
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_adr(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)op;
	return set_dp_imm(d, DP_MOV, false, F(w, 10, 8), 0, align4(thumb_pc(x)) + F(w, 7, 0) * 4);
}

static ArmDecStatus dec16_add_sp_imm8(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	(void)op;
	return set_dp_imm(d, DP_ADD, false, F(w, 10, 8), 13, F(w, 7, 0) * 4);
}

static ArmDecStatus dec16_sp_imm7(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	return set_dp_imm(d, op == ARM_OP_ADD_SP7 ? DP_ADD : DP_SUB, false, 13, 13, F(w, 6, 0) * 4);
}

static ArmDecStatus dec16_cbz(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	if (x->in_it)
		return ARM_DEC_UNPRED;
	d->rn = (uint8_t)F(w, 2, 0);
	d->imm = thumb_pc(x) + (F(w, 7, 3) << 1 | BIT(w, 9) << 6);
	d->fn = op == ARM_OP_CBZ ? arm_x_cbz : arm_x_cbnz;
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_extend(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	d->rd = (uint8_t)F(w, 2, 0);
	d->rm = (uint8_t)F(w, 5, 3);
	switch (op) {
	case ARM_OP_SXTH16: d->fn = arm_x_sxth; break;
	case ARM_OP_SXTB16_16: d->fn = arm_x_sxtb; break;
	case ARM_OP_UXTH16: d->fn = arm_x_uxth; break;
	default: d->fn = arm_x_uxtb; break;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_push(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	(void)op;
	d->imm = F(w, 7, 0) | BIT(w, 8) << 14;
	if (!d->imm)
		return ARM_DEC_UNPRED;
	d->fn = arm_x_push;
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_pop(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)op;
	d->imm = F(w, 7, 0) | BIT(w, 8) << 15;
	if (!d->imm)
		return ARM_DEC_UNPRED;
	if (BIT(w, 8) && x->in_it && !x->last_in_it)
		return ARM_DEC_UNPRED;
	d->fn = arm_x_pop;
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_cps(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)op;
	if (BIT(w, 3) || BIT(w, 2))
		return ARM_DEC_UNPRED;
	if (!(x->feat & ARM_FT_V7M) && (BIT(w, 0) || !BIT(w, 1)))
		return ARM_DEC_UNPRED;
	if (!(w & 3) || x->in_it)
		return ARM_DEC_UNPRED;
	d->imm = w & 3;
	d->flags = BIT(w, 4) ? ARM_IF_X : 0;
	d->fn = arm_x_cps;
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_rev(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	d->rd = (uint8_t)F(w, 2, 0);
	d->rm = (uint8_t)F(w, 5, 3);
	d->fn = op == ARM_OP_REV16_16 ? arm_x_rev : op == ARM_OP_REV1616 ? arm_x_rev16 : arm_x_revsh;
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_bkpt(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	(void)op;
	d->imm = F(w, 7, 0);
	d->fn = arm_x_bkpt;
	return ARM_DEC_OK;
}

static ArmExecFn hint_fn(unsigned hint)
{
	switch (hint) {
	case 2: return arm_x_wfe;
	case 3: return arm_x_wfi;
	case 4: return arm_x_sev;
	default: return arm_x_nop;     /* NOP, YIELD and unallocated hints */
	}
}

static ArmDecStatus dec16_hint(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	(void)op;
	d->fn = hint_fn(F(w, 7, 4));
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_it(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned cond = F(w, 7, 4), mask = F(w, 3, 0);
	(void)op;
	if (cond == 15 || (cond == 14 && popcount16(mask) != 1) || x->in_it)
		return ARM_DEC_UNPRED;
	d->imm = w & 0xFF;
	d->fn = arm_x_it;
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_stm(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 10, 8), list = F(w, 7, 0);
	(void)op;
	if (!list)
		return ARM_DEC_UNPRED;
	/* The base in the list is allowed only as the lowest register (it stores the old value). */
	if ((x->feat & ARM_FT_V7M) && (list >> rn & 1) && (list & ((1u << rn) - 1)))
		return ARM_DEC_UNPRED;
	d->rn = (uint8_t)rn;
	d->imm = list;
	d->flags = ARM_IF_WBACK;
	d->fn = arm_x_stm;
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_ldm(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 10, 8), list = F(w, 7, 0);
	(void)x;
	(void)op;
	if (!list)
		return ARM_DEC_UNPRED;
	d->rn = (uint8_t)rn;
	d->imm = list;
	d->flags = (list >> rn & 1) ? 0 : ARM_IF_WBACK;
	d->fn = arm_x_ldm;
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_udf(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	(void)op;
	(void)w;
	d->fn = arm_x_undef;
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_svc(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	(void)op;
	d->imm = F(w, 7, 0);
	d->fn = arm_x_svc;
	return ARM_DEC_OK;
}

static ArmExecFn bcond_fn(unsigned cond)
{
	static const ArmExecFn fns[14] = {
		arm_x_beq, arm_x_bne, arm_x_bhs, arm_x_blo, arm_x_bmi, arm_x_bpl, arm_x_bcc, arm_x_bcc,
		arm_x_bhi, arm_x_bls, arm_x_bge, arm_x_blt, arm_x_bgt, arm_x_ble,
	};
	return cond < 14 ? fns[cond] : arm_x_bcc;
}

static ArmDecStatus dec16_bcond(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)op;
	if (x->in_it)
		return ARM_DEC_UNPRED;
	d->sh = (uint8_t)F(w, 11, 8);
	d->imm = thumb_pc(x) + sext(F(w, 7, 0) << 1, 9);
	d->fn = bcond_fn(d->sh);
	return ARM_DEC_OK;
}

static ArmDecStatus dec16_b(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)op;
	if (x->in_it && !x->last_in_it)
		return ARM_DEC_UNPRED;
	d->imm = thumb_pc(x) + sext(F(w, 10, 0) << 1, 12);
	d->fn = arm_x_b;
	return ARM_DEC_OK;
}

/* ---- 32-bit: load/store multiple, dual, exclusive --------------------------------------------- */

static ArmDecStatus dec_ldstm(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), list = F(w, 15, 0);
	bool wback = BIT(w, 21), load = op == ARM_OP_LDM_W || op == ARM_OP_LDMDB;

	if (rn == 15 || popcount16(list) < 2 || BIT(list, 13))
		return ARM_DEC_UNPRED;
	if (load) {
		if (BIT(list, 15) && BIT(list, 14))
			return ARM_DEC_UNPRED;
		if (BIT(list, 15) && x->in_it && !x->last_in_it)
			return ARM_DEC_UNPRED;
	} else if (BIT(list, 15)) {
		return ARM_DEC_UNPRED;
	}
	if (wback && BIT(list, rn))
		return ARM_DEC_UNPRED;
	d->rn = (uint8_t)rn;
	d->imm = list;
	d->flags = wback ? ARM_IF_WBACK : 0;
	switch (op) {
	case ARM_OP_STM_W: d->fn = arm_x_stm; break;
	case ARM_OP_LDM_W: d->fn = (rn == 13 && wback) ? arm_x_pop : arm_x_ldm; break;
	case ARM_OP_STMDB: d->fn = (rn == 13 && wback) ? arm_x_push : arm_x_stmdb; break;
	default: d->fn = arm_x_ldmdb; break;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_tt(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rd = F(w, 11, 8);
	(void)x;
	(void)op;
	if (F(w, 5, 0))
		return ARM_DEC_UNPRED;
	if (BIT(w, 7))
		return ARM_DEC_UNDEF;       /* TTA/TTAT: Security Extension only */
	if (bad_reg(rd) || rn == 15)
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->flags = BIT(w, 6) ? ARM_IF_X : 0;
	d->fn = arm_x_tt;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_strex(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rt = F(w, 15, 12), rd = F(w, 11, 8);
	(void)x;
	(void)op;
	if (bad_reg(rd) || bad_reg(rt) || rn == 15 || rd == rn || rd == rt)
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->ra = (uint8_t)rt;
	d->rn = (uint8_t)rn;
	d->imm = F(w, 7, 0) * 4;
	d->x = 4;
	d->fn = arm_x_strex;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_ldrex(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rt = F(w, 15, 12);
	(void)x;
	(void)op;
	if (F(w, 11, 8) != 15)
		return ARM_DEC_UNPRED;
	if (bad_reg(rt) || rn == 15)
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rt;
	d->rn = (uint8_t)rn;
	d->imm = F(w, 7, 0) * 4;
	d->x = 4;
	d->fn = arm_x_ldrex;
	return ARM_DEC_OK;
}

static unsigned excl_size(uint32_t w)
{
	return 1u << F(w, 5, 4);
}

static ArmDecStatus dec_strex_bh(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rt = F(w, 15, 12), rd = F(w, 3, 0);
	(void)x;
	(void)op;
	if (F(w, 11, 8) != 15)
		return ARM_DEC_UNPRED;
	if (bad_reg(rd) || bad_reg(rt) || rn == 15 || rd == rn || rd == rt)
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->ra = (uint8_t)rt;
	d->rn = (uint8_t)rn;
	d->x = (uint8_t)excl_size(w);
	d->fn = arm_x_strex;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_stl(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rt = F(w, 15, 12);
	(void)x;
	(void)op;
	if (F(w, 11, 8) != 15 || F(w, 3, 0) != 15)
		return ARM_DEC_UNPRED;
	if (bad_reg(rt) || rn == 15)
		return ARM_DEC_UNPRED;
	d->ra = (uint8_t)rt;
	d->rn = (uint8_t)rn;
	d->x = (uint8_t)excl_size(w);
	d->fn = arm_x_stl;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_ldrex_bh(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rt = F(w, 15, 12);
	(void)x;
	if (F(w, 11, 8) != 15 || F(w, 3, 0) != 15)
		return ARM_DEC_UNPRED;
	if (bad_reg(rt) || rn == 15)
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rt;
	d->rn = (uint8_t)rn;
	d->x = (uint8_t)excl_size(w);
	d->fn = (op == ARM_OP_LDAB || op == ARM_OP_LDAH || op == ARM_OP_LDA) ? arm_x_lda : arm_x_ldrex;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_tbb(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rm = F(w, 3, 0);
	if (F(w, 15, 8) != 0xF0)
		return ARM_DEC_UNPRED;
	if (rn == 13 || bad_reg(rm))
		return ARM_DEC_UNPRED;
	if (x->in_it && !x->last_in_it)
		return ARM_DEC_UNPRED;
	d->rn = (uint8_t)rn;
	d->rm = (uint8_t)rm;
	d->fn = op == ARM_OP_TBB ? arm_x_tbb : arm_x_tbh;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_ldstd(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rt = F(w, 15, 12), rt2 = F(w, 11, 8);
	bool p = BIT(w, 24), u = BIT(w, 23), wb = BIT(w, 21), load = op == ARM_OP_LDRD;
	uint32_t imm = F(w, 7, 0) * 4;

	if (!p && !wb)
		return ARM_DEC_UNDEF;
	if (wb && (rn == rt || rn == rt2))
		return ARM_DEC_UNPRED;
	if (bad_reg(rt) || bad_reg(rt2))
		return ARM_DEC_UNPRED;
	if (rn == 15 && (wb || !load))
		return ARM_DEC_UNPRED;
	if (load && rt == rt2)
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rt;
	d->ra = (uint8_t)rt2;
	d->rn = (uint8_t)rn;
	d->flags = (u ? ARM_IF_ADD : 0) | (p ? ARM_IF_INDEX : 0) | (wb ? ARM_IF_WBACK : 0);
	if (rn == 15) {
		/* Literal: the address is known now. */
		d->imm = u ? align4(thumb_pc(x)) + imm : align4(thumb_pc(x)) - imm;
		d->flags |= ARM_IF_X;
	} else {
		d->imm = imm;
	}
	d->fn = load ? arm_x_ldrd : arm_x_strd;
	return ARM_DEC_OK;
}

/* ---- 32-bit: data processing ---------------------------------------------------------------- */

static unsigned dp_of(ArmOpId op)
{
	switch (op) {
	case ARM_OP_TST_R: case ARM_OP_TST_I: return DP_TST;
	case ARM_OP_AND_R: case ARM_OP_AND_I: return DP_AND;
	case ARM_OP_BIC_R: case ARM_OP_BIC_I: return DP_BIC;
	case ARM_OP_MOV_R: case ARM_OP_MOV_I: return DP_MOV;
	case ARM_OP_ORR_R: case ARM_OP_ORR_I: return DP_ORR;
	case ARM_OP_MVN_R: case ARM_OP_MVN_I: return DP_MVN;
	case ARM_OP_ORN_R: case ARM_OP_ORN_I: return DP_ORN;
	case ARM_OP_TEQ_R: case ARM_OP_TEQ_I: return DP_TEQ;
	case ARM_OP_EOR_R: case ARM_OP_EOR_I: return DP_EOR;
	case ARM_OP_CMN_R: case ARM_OP_CMN_I: return DP_CMN;
	case ARM_OP_ADD_R: case ARM_OP_ADD_I: return DP_ADD;
	case ARM_OP_ADC_R: case ARM_OP_ADC_I: return DP_ADC;
	case ARM_OP_SBC_R: case ARM_OP_SBC_I: return DP_SBC;
	case ARM_OP_CMP_R: case ARM_OP_CMP_I: return DP_CMP;
	case ARM_OP_SUB_R: case ARM_OP_SUB_I: return DP_SUB;
	default: return DP_RSB;
	}
}

/* The UNPREDICTABLE register choices of the 32-bit data-processing forms. `shifted` is true
 * when a register operand has a shift other than LSL #0..3 (for the SP forms). */
static bool dp_regs_bad(unsigned dp, bool s, unsigned rd, unsigned rn, int rm, bool reg, unsigned sht,
                        unsigned shn)
{
	bool mbad = rm >= 0 && bad_reg((unsigned)rm);

	switch (dp) {
	case DP_TST: case DP_TEQ:
		return bad_reg(rn) || mbad;
	case DP_CMP: case DP_CMN:
		return rn == 15 || mbad;
	case DP_MOV:
		if (!reg)
			return bad_reg(rd);
		if (sht != ARM_SH_LSL || shn != 0 || s)
			return bad_reg(rd) || mbad;
		return rd == 15 || rm == 15 || (rd == 13 && rm == 13);
	case DP_MVN:
		return bad_reg(rd) || mbad;
	case DP_ADD: case DP_SUB:
		if (rn == 13) {
			if (reg && rd == 13 && (sht != ARM_SH_LSL || shn > 3))
				return true;
			if (reg)
				return rd == 15 || mbad;
			return rd == 15 && !s;
		}
		return rd == 13 || (rd == 15 && !s) || rn == 15 || mbad;
	case DP_AND: case DP_EOR:
		return rd == 13 || (rd == 15 && !s) || bad_reg(rn) || mbad;
	case DP_ORR: case DP_ORN:
		return bad_reg(rd) || rn == 13 || mbad;
	default:   /* BIC, ADC, SBC, RSB */
		return bad_reg(rd) || bad_reg(rn) || mbad;
	}
}

static ArmDecStatus dec_dp_reg(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned dp = dp_of(op), rn = F(w, 19, 16), rd = F(w, 11, 8), rm = F(w, 3, 0), t, n;
	bool s = BIT(w, 20);
	(void)x;
	if (BIT(w, 15))
		return ARM_DEC_UNPRED;
	decode_imm_shift(F(w, 5, 4), F(w, 14, 12) << 2 | F(w, 7, 6), &t, &n);
	if (dp_regs_bad(dp, s, rd, rn, (int)rm, true, t, n))
		return ARM_DEC_UNPRED;
	if (dp == DP_TST || dp == DP_TEQ || dp == DP_CMP || dp == DP_CMN)
		rd = 0;
	return set_dp_reg(d, dp, s || dp >= DP_TST, rd, rn, rm, t, n);
}

static ArmDecStatus dec_dp_imm(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned dp = dp_of(op), rn = F(w, 19, 16), rd = F(w, 11, 8);
	uint32_t imm12 = BIT(w, 26) << 11 | F(w, 14, 12) << 8 | F(w, 7, 0), imm;
	bool s = BIT(w, 20), cset, cval;
	ArmDecStatus st;
	(void)x;

	if (!expand_imm(imm12, &imm, &cset, &cval))
		return ARM_DEC_UNPRED;
	if (dp_regs_bad(dp, s, rd, rn, -1, false, 0, 0))
		return ARM_DEC_UNPRED;
	if (dp == DP_TST || dp == DP_TEQ || dp == DP_CMP || dp == DP_CMN) {
		rd = 0;
		s = true;
	}
	st = set_dp_imm(d, dp, s, rd, rn, imm);
	if (dp_logical(dp) && cset)
		d->flags |= ARM_IF_CSET | (cval ? ARM_IF_CVAL : 0);
	return st;
}

static ArmDecStatus dec_addsubw(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rd = F(w, 11, 8);
	uint32_t imm = BIT(w, 26) << 11 | F(w, 14, 12) << 8 | F(w, 7, 0);
	bool add = op == ARM_OP_ADDW;

	if (rn == 15) {
		/* ADR (T2, T3) */
		if (bad_reg(rd))
			return ARM_DEC_UNPRED;
		return set_dp_imm(d, DP_MOV, false, rd, 0,
		                  add ? align4(thumb_pc(x)) + imm : align4(thumb_pc(x)) - imm);
	}
	if (rn == 13 ? rd == 15 : bad_reg(rd))
		return ARM_DEC_UNPRED;
	return set_dp_imm(d, add ? DP_ADD : DP_SUB, false, rd, rn, imm);
}

static ArmDecStatus dec_movwt(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rd = F(w, 11, 8);
	uint32_t imm = F(w, 19, 16) << 12 | BIT(w, 26) << 11 | F(w, 14, 12) << 8 | F(w, 7, 0);
	(void)x;
	if (bad_reg(rd))
		return ARM_DEC_UNPRED;
	if (op == ARM_OP_MOVW)
		return set_dp_imm(d, DP_MOV, false, rd, 0, imm);
	d->rd = (uint8_t)rd;
	d->imm = imm;
	d->fn = arm_x_movt;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_sat(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rd = F(w, 11, 8), imm5 = F(w, 14, 12) << 2 | F(w, 7, 6);
	bool sh = BIT(w, 21);

	if (BIT(w, 26) || BIT(w, 5))
		return ARM_DEC_UNPRED;
	if (sh && imm5 == 0)
		return ARM_DEC_UNDEF;       /* SSAT16/USAT16 without the DSP extension */
	if (bad_reg(rd) || bad_reg(rn))
		return ARM_DEC_UNPRED;
	(void)x;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->sh = sh ? ARM_SH_ASR : ARM_SH_LSL;
	d->amt = (uint8_t)imm5;
	if (op == ARM_OP_SSAT) {
		d->x = (uint8_t)(F(w, 4, 0) + 1);
		d->fn = arm_x_ssat;
	} else {
		d->x = (uint8_t)F(w, 4, 0);
		d->fn = arm_x_usat;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_sat16(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rd = F(w, 11, 8);
	(void)x;
	if (BIT(w, 26) || F(w, 5, 4))
		return ARM_DEC_UNPRED;
	if (bad_reg(rd) || bad_reg(rn))
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	if (op == ARM_OP_SSAT16) {
		d->x = (uint8_t)(F(w, 3, 0) + 1);
		d->fn = arm_x_ssat16;
	} else {
		d->x = (uint8_t)F(w, 3, 0);
		d->fn = arm_x_usat16;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_bitfield(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rd = F(w, 11, 8), lsb = F(w, 14, 12) << 2 | F(w, 7, 6), v = F(w, 4, 0);
	(void)x;
	if (BIT(w, 26) || BIT(w, 5))
		return ARM_DEC_UNPRED;
	if (bad_reg(rd))
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->amt = (uint8_t)lsb;
	switch (op) {
	case ARM_OP_SBFX:
	case ARM_OP_UBFX:
		if (bad_reg(rn) || lsb + v > 31)
			return ARM_DEC_UNPRED;
		d->x = (uint8_t)(v + 1);
		d->fn = op == ARM_OP_SBFX ? arm_x_sbfx : arm_x_ubfx;
		return ARM_DEC_OK;
	case ARM_OP_BFC:
		if (v < lsb)
			return ARM_DEC_UNPRED;
		d->x = (uint8_t)v;
		d->fn = arm_x_bfc;
		return ARM_DEC_OK;
	default:
		if (rn == 13 || v < lsb)
			return ARM_DEC_UNPRED;
		d->x = (uint8_t)v;
		d->fn = arm_x_bfi;
		return ARM_DEC_OK;
	}
}

/* ---- 32-bit: branches and miscellaneous control ------------------------------------------- */

static bool sysm_valid(const ArmDecodeCtx *x, unsigned sysm)
{
	switch (sysm) {
	case 0: case 1: case 2: case 3: case 5: case 6: case 7: case 8: case 9: case 16: case 20:
		return true;
	case 10: case 11:
		return (x->feat & ARM_FT_V8M) != 0;
	case 17: case 18: case 19:
		return (x->feat & ARM_FT_V7M) != 0;
	default:
		return false;
	}
}

static ArmDecStatus dec_msr(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), mask = F(w, 11, 10), sysm = F(w, 7, 0);
	(void)op;
	if (BIT(w, 20) || BIT(w, 13) || F(w, 9, 8))
		return ARM_DEC_UNPRED;
	if (!(x->feat & ARM_FT_V7M) && mask != 2)
		return ARM_DEC_UNPRED;
	if (mask == 0 || (mask != 2 && sysm > 3))
		return ARM_DEC_UNPRED;
	if ((mask & 1) && !(x->feat & ARM_FT_DSP))
		return ARM_DEC_UNPRED;
	if (bad_reg(rn) || !sysm_valid(x, sysm))
		return ARM_DEC_UNPRED;
	d->rn = (uint8_t)rn;
	d->imm = sysm;
	d->sh = (uint8_t)mask;
	d->fn = arm_x_msr;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_mrs(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rd = F(w, 11, 8), sysm = F(w, 7, 0);
	(void)op;
	if (BIT(w, 20) || F(w, 19, 16) != 15 || BIT(w, 13))
		return ARM_DEC_UNPRED;
	if (bad_reg(rd) || !sysm_valid(x, sysm))
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->imm = sysm;
	d->fn = arm_x_mrs;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_hint32(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	(void)op;
	if (F(w, 19, 16) != 15 || BIT(w, 13) || BIT(w, 11))
		return ARM_DEC_UNPRED;
	d->fn = hint_fn(F(w, 7, 0));
	return ARM_DEC_OK;
}

static ArmDecStatus dec_barrier(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)op;
	if (F(w, 19, 16) != 15 || BIT(w, 13) || F(w, 11, 8) != 15)
		return ARM_DEC_UNPRED;
	switch (F(w, 7, 4)) {
	case 2:
		if (!(x->feat & ARM_FT_V7M))
			return ARM_DEC_UNDEF;
		if (F(w, 3, 0) != 15)
			return ARM_DEC_UNPRED;
		d->fn = arm_x_clrex;
		return ARM_DEC_OK;
	case 4: case 5:
		d->fn = arm_x_nop;
		return ARM_DEC_OK;
	case 6:
		d->fn = arm_x_isb;
		return ARM_DEC_OK;
	default:
		return ARM_DEC_UNDEF;
	}
}

static ArmDecStatus dec_udf32(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	(void)op;
	(void)w;
	d->fn = arm_x_undef;
	return ARM_DEC_OK;
}

static uint32_t bl_offset(uint32_t w)
{
	uint32_t s = BIT(w, 26), j1 = BIT(w, 13), j2 = BIT(w, 11);
	uint32_t i1 = !(j1 ^ s), i2 = !(j2 ^ s);
	return sext(s << 24 | i1 << 23 | i2 << 22 | F(w, 25, 16) << 12 | F(w, 10, 0) << 1, 25);
}

static ArmDecStatus dec_bl(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)op;
	if (x->in_it && !x->last_in_it)
		return ARM_DEC_UNPRED;
	d->imm = thumb_pc(x) + bl_offset(w);
	d->fn = arm_x_bl;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_b32(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)op;
	if (x->in_it && !x->last_in_it)
		return ARM_DEC_UNPRED;
	d->imm = thumb_pc(x) + bl_offset(w);
	d->fn = arm_x_b;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_bcond32(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned cond = F(w, 25, 22);
	uint32_t off = sext(BIT(w, 26) << 20 | BIT(w, 11) << 19 | BIT(w, 13) << 18 | F(w, 21, 16) << 12 |
	                    F(w, 10, 0) << 1, 21);
	(void)op;
	if ((cond & 14) == 14)
		return ARM_DEC_UNDEF;
	if (x->in_it)
		return ARM_DEC_UNPRED;
	d->sh = (uint8_t)cond;
	d->imm = thumb_pc(x) + off;
	d->fn = bcond_fn(cond);
	return ARM_DEC_OK;
}

/* ---- 32-bit: single loads and stores ---------------------------------------------------------- */

typedef struct {
	uint8_t load, size, sign, form;     /* form: 0 imm12, 1 imm8, 2 register, 3 literal */
} LdstShape;

static LdstShape ldst_shape(ArmOpId op)
{
	switch (op) {
	case ARM_OP_STRB_I12: return (LdstShape){ 0, 1, 0, 0 };
	case ARM_OP_STRB_I8: return (LdstShape){ 0, 1, 0, 1 };
	case ARM_OP_STRB_R: return (LdstShape){ 0, 1, 0, 2 };
	case ARM_OP_STRH_I12: return (LdstShape){ 0, 2, 0, 0 };
	case ARM_OP_STRH_I8: return (LdstShape){ 0, 2, 0, 1 };
	case ARM_OP_STRH_R: return (LdstShape){ 0, 2, 0, 2 };
	case ARM_OP_STR_I12: return (LdstShape){ 0, 4, 0, 0 };
	case ARM_OP_STR_I8: return (LdstShape){ 0, 4, 0, 1 };
	case ARM_OP_STR_R: return (LdstShape){ 0, 4, 0, 2 };
	case ARM_OP_LDRB_LIT: return (LdstShape){ 1, 1, 0, 3 };
	case ARM_OP_LDRB_I12: return (LdstShape){ 1, 1, 0, 0 };
	case ARM_OP_LDRB_I8: return (LdstShape){ 1, 1, 0, 1 };
	case ARM_OP_LDRB_R: return (LdstShape){ 1, 1, 0, 2 };
	case ARM_OP_LDRSB_LIT: return (LdstShape){ 1, 1, 1, 3 };
	case ARM_OP_LDRSB_I12: return (LdstShape){ 1, 1, 1, 0 };
	case ARM_OP_LDRSB_I8: return (LdstShape){ 1, 1, 1, 1 };
	case ARM_OP_LDRSB_R: return (LdstShape){ 1, 1, 1, 2 };
	case ARM_OP_LDRH_LIT: return (LdstShape){ 1, 2, 0, 3 };
	case ARM_OP_LDRH_I12: return (LdstShape){ 1, 2, 0, 0 };
	case ARM_OP_LDRH_I8: return (LdstShape){ 1, 2, 0, 1 };
	case ARM_OP_LDRH_R: return (LdstShape){ 1, 2, 0, 2 };
	case ARM_OP_LDRSH_LIT: return (LdstShape){ 1, 2, 1, 3 };
	case ARM_OP_LDRSH_I12: return (LdstShape){ 1, 2, 1, 0 };
	case ARM_OP_LDRSH_I8: return (LdstShape){ 1, 2, 1, 1 };
	case ARM_OP_LDRSH_R: return (LdstShape){ 1, 2, 1, 2 };
	case ARM_OP_LDR_LIT: return (LdstShape){ 1, 4, 0, 3 };
	case ARM_OP_LDR_I12: return (LdstShape){ 1, 4, 0, 0 };
	case ARM_OP_LDR_I8: return (LdstShape){ 1, 4, 0, 1 };
	default: return (LdstShape){ 1, 4, 0, 2 };
	}
}

/* Handlers by [load/sign/size kind][form: offset, pre, post, register, literal]. */
#define LDST_ROW(o) { arm_x_##o##_i, arm_x_##o##_pre, arm_x_##o##_post, arm_x_##o##_r, arm_x_##o##_lit }
static const ArmExecFn ldst_fns[8][5] = {
	LDST_ROW(strb), LDST_ROW(strh), LDST_ROW(str), LDST_ROW(ldrb), LDST_ROW(ldrh), LDST_ROW(ldr),
	LDST_ROW(ldrsb), LDST_ROW(ldrsh),
};

static unsigned ldst_row(LdstShape s)
{
	unsigned sz = s.size == 1 ? 0 : s.size == 2 ? 1 : 2;
	if (s.sign)
		return 6 + sz;
	return (s.load ? 3 : 0) + sz;
}

static ArmDecStatus dec_ldst(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	LdstShape s = ldst_shape(op);
	unsigned rn = F(w, 19, 16), rt = F(w, 15, 12), mode = 0;
	bool wback = false, unpriv = false;

	d->rd = (uint8_t)rt;
	d->rn = (uint8_t)rn;
	switch (s.form) {
	case 0:     /* imm12: offset, added */
		if (rn == 15)
			return s.load ? ARM_DEC_UNPRED : ARM_DEC_UNDEF;
		d->imm = F(w, 11, 0);
		mode = 0;
		break;
	case 1: {   /* imm8 with P, U, W */
		bool p = BIT(w, 10), u = BIT(w, 9);
		uint32_t imm = F(w, 7, 0);
		wback = BIT(w, 8);
		if (rn == 15 || (!p && !wback))
			return ARM_DEC_UNDEF;
		if (p && u && !wback) {
			unpriv = true;
		} else {
			mode = !p ? 2 : wback ? 1 : 0;
		}
		d->imm = u ? imm : (uint32_t)-(int32_t)imm;
		if (unpriv)
			d->imm = imm;
		break;
	}
	case 2:     /* register, LSL #0-3 */
		if (rn == 15)
			return ARM_DEC_UNDEF;
		if (bad_reg(F(w, 3, 0)))
			return ARM_DEC_UNPRED;
		d->rm = (uint8_t)F(w, 3, 0);
		d->amt = (uint8_t)F(w, 5, 4);
		mode = 3;
		break;
	default:    /* literal */
		d->imm = BIT(w, 23) ? align4(thumb_pc(x)) + F(w, 11, 0) : align4(thumb_pc(x)) - F(w, 11, 0);
		mode = 4;
		break;
	}
	if (wback && rn == rt)
		return ARM_DEC_UNPRED;

	if (s.load && rt == 15) {
		if (s.size != 4) {
			/* LDRH/LDRSH to pc are unallocated memory hints (NOPs); the byte forms that
			 * are PLD/PLI matched earlier entries, the rest are UNPREDICTABLE. */
			if (s.size == 2 && !unpriv && (s.form != 1 || (!wback && !BIT(w, 9)))) {
				d->fn = arm_x_nop;
				return ARM_DEC_OK;
			}
			return ARM_DEC_UNPRED;
		}
		if (unpriv || (x->in_it && !x->last_in_it))
			return ARM_DEC_UNPRED;
		d->x = (uint8_t)mode;
		d->flags = wback ? ARM_IF_WBACK : 0;
		d->fn = arm_x_ldr_pc;
		return ARM_DEC_OK;
	}
	if (unpriv) {
		if (bad_reg(rt))
			return ARM_DEC_UNPRED;
		d->x = (uint8_t)s.size;
		d->flags = s.sign ? ARM_IF_X : 0;
		d->fn = s.load ? arm_x_ldrt : arm_x_strt;
		return ARM_DEC_OK;
	}
	if (s.load ? (rt == 13 && s.size != 4) : (rt == 15 || (rt == 13 && s.size != 4)))
		return ARM_DEC_UNPRED;
	d->fn = ldst_fns[ldst_row(s)][mode];
	if (s.load && rt == 13)
		return via_spw(d);
	return ARM_DEC_OK;
}

static ArmDecStatus dec_memhint(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)x;
	(void)op;
	/* The register forms may not use SP or pc as the index. */
	if ((op == ARM_OP_PLD_R || op == ARM_OP_PLI_R) && bad_reg(F(w, 3, 0)))
		return ARM_DEC_UNPRED;
	d->fn = arm_x_nop;
	return ARM_DEC_OK;
}

/* ---- 32-bit: data processing (register), multiplies -------------------------------------- */

static ArmDecStatus dec_shift_reg(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rd = F(w, 11, 8), rm = F(w, 3, 0);
	bool s = BIT(w, 20);
	(void)x;
	if (bad_reg(rd) || bad_reg(rn) || bad_reg(rm))
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->rm = (uint8_t)rm;
	switch (op) {
	case ARM_OP_LSL_RR: d->fn = s ? arm_x_lsl_rrs : arm_x_lsl_rr; break;
	case ARM_OP_LSR_RR: d->fn = s ? arm_x_lsr_rrs : arm_x_lsr_rr; break;
	case ARM_OP_ASR_RR: d->fn = s ? arm_x_asr_rrs : arm_x_asr_rr; break;
	default: d->fn = s ? arm_x_ror_rrs : arm_x_ror_rr; break;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_extend(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rd = F(w, 11, 8), rm = F(w, 3, 0);
	(void)x;
	if (BIT(w, 6))
		return ARM_DEC_UNPRED;
	if (bad_reg(rd) || bad_reg(rm) || rn == 13)
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->rm = (uint8_t)rm;
	d->amt = (uint8_t)(F(w, 5, 4) * 8);
	switch (op) {
	case ARM_OP_SXTH_W: d->fn = arm_x_sxth; break;
	case ARM_OP_SXTAH: d->fn = arm_x_sxtah; break;
	case ARM_OP_UXTH_W: d->fn = arm_x_uxth; break;
	case ARM_OP_UXTAH: d->fn = arm_x_uxtah; break;
	case ARM_OP_SXTB16: d->fn = arm_x_sxtb16; break;
	case ARM_OP_SXTAB16: d->fn = arm_x_sxtab16; break;
	case ARM_OP_UXTB16: d->fn = arm_x_uxtb16; break;
	case ARM_OP_UXTAB16: d->fn = arm_x_uxtab16; break;
	case ARM_OP_SXTB_W: d->fn = arm_x_sxtb; break;
	case ARM_OP_SXTAB: d->fn = arm_x_sxtab; break;
	case ARM_OP_UXTB_W: d->fn = arm_x_uxtb; break;
	default: d->fn = arm_x_uxtab; break;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_parallel(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rd = F(w, 11, 8), rm = F(w, 3, 0);
	unsigned op1 = F(w, 22, 20), op2 = F(w, 5, 4);
	(void)x;
	(void)op;
	if (op1 == 3 || op1 == 7 || op2 == 3)
		return ARM_DEC_UNDEF;
	if (bad_reg(rd) || bad_reg(rn) || bad_reg(rm))
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->rm = (uint8_t)rm;
	d->sh = (uint8_t)op1;
	d->amt = (uint8_t)(BIT(w, 6) << 2 | op2);
	d->fn = arm_x_parallel;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_misc_reg(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rd = F(w, 11, 8), rm = F(w, 3, 0);
	(void)x;
	if (bad_reg(rd) || bad_reg(rn) || bad_reg(rm))
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->rm = (uint8_t)rm;
	switch (op) {
	case ARM_OP_QADD: d->fn = arm_x_qadd; return ARM_DEC_OK;
	case ARM_OP_QDADD: d->fn = arm_x_qdadd; return ARM_DEC_OK;
	case ARM_OP_QSUB: d->fn = arm_x_qsub; return ARM_DEC_OK;
	case ARM_OP_QDSUB: d->fn = arm_x_qdsub; return ARM_DEC_OK;
	case ARM_OP_SEL: d->fn = arm_x_sel; return ARM_DEC_OK;
	default: break;
	}
	/* REV, REV16, RBIT, REVSH, CLZ name Rm twice. */
	if (rn != rm)
		return ARM_DEC_UNPRED;
	switch (op) {
	case ARM_OP_REV_W: d->fn = arm_x_rev; break;
	case ARM_OP_REV16_W: d->fn = arm_x_rev16; break;
	case ARM_OP_RBIT: d->fn = arm_x_rbit; break;
	case ARM_OP_REVSH_W: d->fn = arm_x_revsh; break;
	default: d->fn = arm_x_clz; break;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_pkh(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rd = F(w, 11, 8), rm = F(w, 3, 0), imm5 = F(w, 14, 12) << 2 | F(w, 7, 6);
	(void)x;
	(void)op;
	if (BIT(w, 15))
		return ARM_DEC_UNPRED;
	if (BIT(w, 20))
		return ARM_DEC_UNDEF;
	if (bad_reg(rd) || bad_reg(rn) || bad_reg(rm))
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->rm = (uint8_t)rm;
	if (BIT(w, 5)) {
		d->flags = ARM_IF_X;        /* PKHTB: ASR, 0 means 32 */
		d->amt = (uint8_t)(imm5 ? imm5 : 32);
	} else {
		d->amt = (uint8_t)imm5;
	}
	d->fn = arm_x_pkh;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_mul(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), ra = F(w, 15, 12), rd = F(w, 11, 8), rm = F(w, 3, 0);
	bool acc = op == ARM_OP_MLA || op == ARM_OP_MLS || op == ARM_OP_SMLAXY || op == ARM_OP_SMLAD ||
	           op == ARM_OP_SMLAWY || op == ARM_OP_SMLSD || op == ARM_OP_SMMLA || op == ARM_OP_SMMLS ||
	           op == ARM_OP_USADA8;
	(void)x;
	if (bad_reg(rd) || bad_reg(rn) || bad_reg(rm) || (acc && bad_reg(ra)))
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->rm = (uint8_t)rm;
	d->ra = (uint8_t)ra;
	d->sh = acc ? 1 : 0;
	switch (op) {
	case ARM_OP_MUL_W: d->fn = arm_x_mul; break;
	case ARM_OP_MLA: d->fn = arm_x_mla; break;
	case ARM_OP_MLS: d->fn = arm_x_mls; break;
	case ARM_OP_SMULXY: case ARM_OP_SMLAXY:
		d->flags = (BIT(w, 5) ? ARM_IF_X : 0) | (BIT(w, 4) ? ARM_IF_Y : 0);
		d->fn = arm_x_smlaxy;
		break;
	case ARM_OP_SMUAD: case ARM_OP_SMLAD: case ARM_OP_SMUSD: case ARM_OP_SMLSD:
		d->flags = BIT(w, 4) ? ARM_IF_X : 0;
		if (op == ARM_OP_SMUSD || op == ARM_OP_SMLSD)
			d->sh |= 2;
		d->fn = arm_x_smlad;
		break;
	case ARM_OP_SMULWY: case ARM_OP_SMLAWY:
		d->flags = BIT(w, 4) ? ARM_IF_Y : 0;
		d->fn = arm_x_smlawy;
		break;
	case ARM_OP_SMMUL: case ARM_OP_SMMLA: case ARM_OP_SMMLS:
		d->flags = BIT(w, 4) ? ARM_IF_X : 0;
		if (op == ARM_OP_SMMLS)
			d->sh |= 2;
		d->fn = arm_x_smmla;
		break;
	default:
		if (F(w, 7, 4))
			return ARM_DEC_UNDEF;
		d->fn = arm_x_usada8;
		break;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_mull(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), lo = F(w, 15, 12), hi = F(w, 11, 8), rm = F(w, 3, 0);
	(void)x;
	if (bad_reg(lo) || bad_reg(hi) || bad_reg(rn) || bad_reg(rm) || lo == hi)
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)lo;
	d->ra = (uint8_t)hi;
	d->rn = (uint8_t)rn;
	d->rm = (uint8_t)rm;
	switch (op) {
	case ARM_OP_SMULL: d->fn = arm_x_smull; break;
	case ARM_OP_UMULL: d->fn = arm_x_umull; break;
	case ARM_OP_SMLAL: d->fn = arm_x_smlal; break;
	case ARM_OP_UMLAL: d->fn = arm_x_umlal; break;
	case ARM_OP_UMAAL: d->fn = arm_x_umaal; break;
	case ARM_OP_SMLALXY:
		d->flags = (BIT(w, 5) ? ARM_IF_X : 0) | (BIT(w, 4) ? ARM_IF_Y : 0);
		d->fn = arm_x_smlalxy;
		break;
	default:    /* SMLALD, SMLSLD */
		d->flags = BIT(w, 4) ? ARM_IF_X : 0;
		d->sh = op == ARM_OP_SMLSLD ? 2 : 0;
		d->fn = arm_x_smlald;
		break;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_div(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rn = F(w, 19, 16), rd = F(w, 11, 8), rm = F(w, 3, 0);
	(void)x;
	if (F(w, 15, 12) != 15)
		return ARM_DEC_UNPRED;
	if (bad_reg(rd) || bad_reg(rn) || bad_reg(rm))
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->rm = (uint8_t)rm;
	d->fn = op == ARM_OP_SDIV ? arm_x_sdiv : arm_x_udiv;
	return ARM_DEC_OK;
}

/* ---- 32-bit: floating point ---------------------------------------------------------------- */

/* Register numbers: single Vx:b, double b:Vx (D16: b must be 0). */
static bool fp_reg(bool dbl, unsigned v, unsigned b, unsigned *r)
{
	if (dbl) {
		if (b)
			return false;
		*r = v;
	} else {
		*r = v << 1 | b;
	}
	return true;
}

#define FP_D(w, dbl, r) fp_reg(dbl, F(w, 15, 12), BIT(w, 22), r)
#define FP_N(w, dbl, r) fp_reg(dbl, F(w, 19, 16), BIT(w, 7), r)
#define FP_M(w, dbl, r) fp_reg(dbl, F(w, 3, 0), BIT(w, 5), r)

static bool fp_size_ok(const ArmDecodeCtx *x, bool dbl)
{
	return !dbl || (x->feat & ARM_FT_FPDP);
}

static ArmDecStatus dec_fp_3op(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	bool dbl = BIT(w, 8);
	unsigned rd, rn, rm;
	if (!fp_size_ok(x, dbl) || !FP_D(w, dbl, &rd) || !FP_N(w, dbl, &rn) || !FP_M(w, dbl, &rm))
		return ARM_DEC_UNDEF;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->rm = (uint8_t)rm;
	d->x = dbl;
	switch (op) {
	case ARM_OP_VMLA: d->fn = arm_x_vmla; break;
	case ARM_OP_VMLS: d->fn = arm_x_vmls; break;
	case ARM_OP_VNMLS: d->fn = arm_x_vnmls; break;
	case ARM_OP_VNMLA: d->fn = arm_x_vnmla; break;
	case ARM_OP_VMUL: d->fn = arm_x_vmul; break;
	case ARM_OP_VNMUL: d->fn = arm_x_vnmul; break;
	case ARM_OP_VADD: d->fn = arm_x_vadd; break;
	case ARM_OP_VSUB: d->fn = arm_x_vsub; break;
	case ARM_OP_VDIV: d->fn = arm_x_vdiv; break;
	case ARM_OP_VFNMS: d->fn = arm_x_vfnms; break;
	case ARM_OP_VFNMA: d->fn = arm_x_vfnma; break;
	case ARM_OP_VFMA: d->fn = arm_x_vfma; break;
	default: d->fn = arm_x_vfms; break;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_2op(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	bool dbl = BIT(w, 8);
	unsigned rd, rm;
	if (!fp_size_ok(x, dbl) || !FP_D(w, dbl, &rd) || !FP_M(w, dbl, &rm))
		return ARM_DEC_UNDEF;
	d->rd = (uint8_t)rd;
	d->rm = (uint8_t)rm;
	d->x = dbl;
	switch (op) {
	case ARM_OP_VMOV_REG: d->fn = arm_x_vmov_reg; break;
	case ARM_OP_VABS: d->fn = arm_x_vabs; break;
	case ARM_OP_VNEG: d->fn = arm_x_vneg; break;
	case ARM_OP_VSQRT: d->fn = arm_x_vsqrt; break;
	case ARM_OP_VRINTZR:
		d->sh = BIT(w, 7) ? 1 : 0;  /* VRINTZ: toward zero; VRINTR: FPSCR mode */
		d->fn = arm_x_vrint;
		break;
	default:    /* VRINTX */
		d->sh = 0;
		d->flags = ARM_IF_X;
		d->fn = arm_x_vrint;
		break;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_movimm(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	bool dbl = BIT(w, 8);
	unsigned rd, imm8 = F(w, 19, 16) << 4 | F(w, 3, 0), b6 = BIT(imm8, 6);
	(void)op;
	if (!fp_size_ok(x, dbl) || !FP_D(w, dbl, &rd))
		return ARM_DEC_UNDEF;
	d->rd = (uint8_t)rd;
	d->x = dbl;
	/* VFPExpandImm; for doubles imm holds the upper word (the lower one is zero). */
	if (dbl)
		d->imm = BIT(imm8, 7) << 31 | (b6 ? 0u : 1u) << 30 | (b6 ? 0xFFu : 0u) << 22 | F(imm8, 5, 0) << 16;
	else
		d->imm = BIT(imm8, 7) << 31 | (b6 ? 0u : 1u) << 30 | (b6 ? 0x1Fu : 0u) << 25 | F(imm8, 5, 0) << 19;
	d->fn = arm_x_vmov_imm;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_cmp(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	bool dbl = BIT(w, 8);
	unsigned rd, rm = 0;
	if (!fp_size_ok(x, dbl) || !FP_D(w, dbl, &rd))
		return ARM_DEC_UNDEF;
	if (op == ARM_OP_VCMPZ) {
		if (BIT(w, 5) || F(w, 3, 0))
			return ARM_DEC_UNPRED;
		d->flags = ARM_IF_Y;
	} else if (!FP_M(w, dbl, &rm)) {
		return ARM_DEC_UNDEF;
	}
	d->rd = (uint8_t)rd;
	d->rm = (uint8_t)rm;
	d->x = dbl;
	if (BIT(w, 7))
		d->flags |= ARM_IF_X;
	d->fn = arm_x_vcmp;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_cvtds(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	bool dbl = BIT(w, 8);      /* 0: F64 <- F32, 1: F32 <- F64 */
	unsigned rd, rm;
	(void)op;
	if (!(x->feat & ARM_FT_FPDP) || !FP_D(w, !dbl, &rd) || !FP_M(w, dbl, &rm))
		return ARM_DEC_UNDEF;
	d->rd = (uint8_t)rd;
	d->rm = (uint8_t)rm;
	d->x = dbl;
	d->fn = arm_x_vcvt_ds;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_cvtint(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	bool dbl = BIT(w, 8);
	unsigned rd, rm;
	if (!fp_size_ok(x, dbl))
		return ARM_DEC_UNDEF;
	if (op == ARM_OP_VCVT_IF) {
		/* integer (in a single register) to floating point */
		if (!FP_D(w, dbl, &rd) || !FP_M(w, false, &rm))
			return ARM_DEC_UNDEF;
		d->flags = BIT(w, 7) ? ARM_IF_X : 0;
		d->fn = arm_x_vcvt_if;
	} else {
		if (!FP_D(w, false, &rd) || !FP_M(w, dbl, &rm))
			return ARM_DEC_UNDEF;
		d->flags = BIT(w, 16) ? ARM_IF_X : 0;
		d->sh = BIT(w, 7) ? 1 : 0;
		d->fn = arm_x_vcvt_fi;
	}
	d->rd = (uint8_t)rd;
	d->rm = (uint8_t)rm;
	d->x = dbl;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_cvtfix(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	bool dbl = BIT(w, 8), to_fixed = BIT(w, 18), sx = BIT(w, 7);
	unsigned rd, size = sx ? 32 : 16, imm5 = F(w, 3, 0) << 1 | BIT(w, 5);
	(void)op;
	if (!fp_size_ok(x, dbl) || !FP_D(w, dbl, &rd))
		return ARM_DEC_UNDEF;
	if (imm5 > size)
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->x = dbl;
	d->y = (uint8_t)size;
	d->amt = (uint8_t)(size - imm5);
	d->flags = BIT(w, 16) ? ARM_IF_X : 0;   /* unsigned */
	d->fn = to_fixed ? arm_x_vcvt_fx : arm_x_vcvt_xf;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_cvt16(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	bool dbl = BIT(w, 8), to_half = BIT(w, 16);
	unsigned rd, rm;
	(void)op;
	if (dbl && !((x->feat & ARM_FT_FPV5) && (x->feat & ARM_FT_FPDP)))
		return ARM_DEC_UNDEF;
	/* The half-precision side is always a single register. */
	if (!FP_D(w, dbl && !to_half, &rd) || !FP_M(w, dbl && to_half, &rm))
		return ARM_DEC_UNDEF;
	d->rd = (uint8_t)rd;
	d->rm = (uint8_t)rm;
	d->x = dbl;
	d->flags = (BIT(w, 7) ? ARM_IF_X : 0) | (to_half ? ARM_IF_Y : 0);
	d->fn = arm_x_vcvt_bt;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_movsr(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned sn = F(w, 19, 16) << 1 | BIT(w, 7), rt = F(w, 15, 12);
	(void)x;
	(void)op;
	if (F(w, 6, 5) || F(w, 3, 0))
		return ARM_DEC_UNPRED;
	if (bad_reg(rt))
		return ARM_DEC_UNPRED;
	if (BIT(w, 20)) {
		d->rd = (uint8_t)rt;
		d->rn = (uint8_t)sn;
		d->fn = arm_x_vmov_rs;
	} else {
		d->rd = (uint8_t)sn;
		d->rm = (uint8_t)rt;
		d->fn = arm_x_vmov_sr;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_vmsr(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rt = F(w, 15, 12);
	(void)x;
	if (F(w, 7, 5) || F(w, 3, 0))
		return ARM_DEC_UNPRED;
	if (op == ARM_OP_VMSR) {
		if (bad_reg(rt))
			return ARM_DEC_UNPRED;
		d->rm = (uint8_t)rt;
		d->fn = arm_x_vmsr;
	} else {
		if (rt == 13)
			return ARM_DEC_UNPRED;
		d->rd = (uint8_t)rt;
		d->fn = arm_x_vmrs;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_movdr(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rt = F(w, 15, 12), dn;
	(void)x;
	if (F(w, 3, 0))
		return ARM_DEC_UNPRED;
	/* Only the 32-bit scalar forms exist without Advanced SIMD. */
	if (BIT(w, 22) || F(w, 6, 5) || (op == ARM_OP_VMOV_RD && BIT(w, 23)))
		return ARM_DEC_UNDEF;
	if (!fp_reg(true, F(w, 19, 16), BIT(w, 7), &dn))
		return ARM_DEC_UNDEF;
	if (bad_reg(rt))
		return ARM_DEC_UNPRED;
	d->amt = (uint8_t)BIT(w, 21);
	if (op == ARM_OP_VMOV_DR) {
		d->rd = (uint8_t)dn;
		d->rm = (uint8_t)rt;
		d->fn = arm_x_vmov_dr;
	} else {
		d->rd = (uint8_t)rt;
		d->rn = (uint8_t)dn;
		d->fn = arm_x_vmov_rd;
	}
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_mov2(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	unsigned rt = F(w, 15, 12), rt2 = F(w, 19, 16), m;
	bool to_arm = BIT(w, 20);
	(void)x;
	if (bad_reg(rt) || bad_reg(rt2) || (to_arm && rt == rt2))
		return ARM_DEC_UNPRED;
	if (op == ARM_OP_VMOV_2S) {
		m = F(w, 3, 0) << 1 | BIT(w, 5);
		if (m == 31)
			return ARM_DEC_UNPRED;
		d->fn = to_arm ? arm_x_vmov_s2 : arm_x_vmov_2s;
	} else {
		if (!fp_reg(true, F(w, 3, 0), BIT(w, 5), &m))
			return ARM_DEC_UNDEF;
		d->fn = to_arm ? arm_x_vmov_d2 : arm_x_vmov_2d;
	}
	d->rm = (uint8_t)m;
	d->rd = (uint8_t)rt;
	d->ra = (uint8_t)rt2;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_ldst(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	bool dbl = BIT(w, 8), add = BIT(w, 23);
	unsigned rd, rn = F(w, 19, 16);
	uint32_t imm = F(w, 7, 0) * 4;
	if (!FP_D(w, dbl, &rd))
		return ARM_DEC_UNDEF;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->x = dbl;
	if (rn == 15) {
		if (op == ARM_OP_VSTR)
			return ARM_DEC_UNPRED;
		d->imm = add ? align4(thumb_pc(x)) + imm : align4(thumb_pc(x)) - imm;
		d->flags = ARM_IF_X;
	} else {
		d->imm = add ? imm : (uint32_t)-(int32_t)imm;
	}
	d->fn = op == ARM_OP_VLDR ? arm_x_vldr : arm_x_vstr;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_ldstm(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	bool dbl = BIT(w, 8), p = BIT(w, 24), u = BIT(w, 23), wb = BIT(w, 21);
	unsigned rd, rn = F(w, 19, 16), n = F(w, 7, 0);
	(void)x;
	if (p == u || (p && !wb))
		return ARM_DEC_UNDEF;
	if (dbl) {
		if (!fp_reg(true, F(w, 15, 12), BIT(w, 22), &rd))
			return ARM_DEC_UNDEF;
		if (n & 1)
			return ARM_DEC_UNPRED;      /* FLDMX/FSTMX */
		n /= 2;
		if (n == 0 || n > 16 || rd + n > 16)
			return ARM_DEC_UNPRED;
	} else {
		rd = F(w, 15, 12) << 1 | BIT(w, 22);
		if (n == 0 || rd + n > 32)
			return ARM_DEC_UNPRED;
	}
	if (rn == 15)
		return ARM_DEC_UNPRED;
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->imm = n;
	d->x = dbl;
	d->flags = (wb ? ARM_IF_WBACK : 0) | (u ? ARM_IF_ADD : 0);
	d->fn = op == ARM_OP_VLDM ? arm_x_vldm : arm_x_vstm;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_fp_v5(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	bool dbl = BIT(w, 8);
	unsigned rd, rn = 0, rm;
	static const uint8_t rmode[4] = { 2, 3, 4, 5 };   /* A, N, P, M */

	if (x->in_it)
		return ARM_DEC_UNPRED;
	if (!fp_size_ok(x, dbl))
		return ARM_DEC_UNDEF;
	if (op == ARM_OP_VCVTANPM) {
		if (!FP_D(w, false, &rd) || !FP_M(w, dbl, &rm))
			return ARM_DEC_UNDEF;
		d->flags = BIT(w, 7) ? ARM_IF_X : 0;
		d->sh = rmode[F(w, 17, 16)];
		d->fn = arm_x_vcvt_fi;
	} else if (op == ARM_OP_VRINTANPM) {
		if (!FP_D(w, dbl, &rd) || !FP_M(w, dbl, &rm))
			return ARM_DEC_UNDEF;
		d->sh = rmode[F(w, 17, 16)];
		d->fn = arm_x_vrint;
	} else {
		if (!FP_D(w, dbl, &rd) || !FP_N(w, dbl, &rn) || !FP_M(w, dbl, &rm))
			return ARM_DEC_UNDEF;
		if (op == ARM_OP_VSEL) {
			d->sh = (uint8_t)F(w, 21, 20);
			d->fn = arm_x_vsel;
		} else {
			d->fn = op == ARM_OP_VMAXNM ? arm_x_vmaxnm : arm_x_vminnm;
		}
	}
	d->rd = (uint8_t)rd;
	d->rn = (uint8_t)rn;
	d->rm = (uint8_t)rm;
	d->x = dbl;
	return ARM_DEC_OK;
}

static ArmDecStatus dec_coproc(const ArmDecodeCtx *x, ArmOpId op, uint32_t w, ArmInsn *d)
{
	(void)op;
	(void)d;
	/* An FP encoding no entry took is reserved on a core with FP; everything else is an
	 * access to a coprocessor that is not there. */
	if ((F(w, 11, 8) & 14) == 10 && (x->feat & ARM_FT_FP))
		return ARM_DEC_UNDEF;
	return ARM_DEC_NOCP;
}
