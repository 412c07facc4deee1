/* cpus/arm/exec.c — the integer instruction handlers, the run loop and the pages of decoded
 * code (see arm-internal.h for how they fit together).
 *
 * Handler rules: read every operand first, do the accesses that can fault, then write
 * registers and finally move pc. A handler whose access faulted returns at once: pc still
 * names the instruction (the fault's return address) and no register changed. */
#include "cpus/arm/arm-internal.h"
#include "cpus/arm/exec-inl.h"
#include "core/semihost.h"
#include "core/machine.h"

#include <stdio.h>

#define NEXT(c, i) ((c)->pc += (i)->len)

extern const ArmExecFn arm_spw_inner[];
extern const unsigned arm_spw_inner_n;

/* ---- simple instructions: the bodies of exec-inl.h, then pc -------------------------------- */

#define SIMPLE_HANDLER(name)                                                                      \
	void arm_x_##name(ArmCpu *c, const ArmInsn *i)                                            \
	{                                                                                          \
		arm_b_##name(c, i);                                                                \
		NEXT(c, i);                                                                        \
	}
ARM_SIMPLE_OPS(SIMPLE_HANDLER)

/* ---- other data processing ------------------------------------------------------------------ */

/* Instructions that write SP: run the operation, then mask bits [1:0] and apply the stack
 * limit; on a violation the instruction has no effect. */
void arm_x_spw(ArmCpu *c, const ArmInsn *i)
{
	uint32_t old_sp = c->r[13], old_pc = c->pc, nf = c->nf, zf = c->zf, cf = c->cf, vf = c->vf, v;

	arm_spw_inner[i->x](c, i);
	if (c->pc == old_pc)
		return;                     /* the inner operation faulted */
	v = c->r[13] & ~3u;
	c->r[13] = old_sp;
	if (ARM_IS_V8M(c) && !arm_check_sp_limit(c, v)) {
		c->pc = old_pc;
		c->nf = nf;
		c->zf = zf;
		c->cf = cf;
		c->vf = vf;
		return;
	}
	c->r[13] = v;
}

/* ADD PC, Rm and MOV PC, Rm: branches without interworking (bit 0 ignored). */
void arm_x_add_pc(ArmCpu *c, const ArmInsn *i)
{
	c->pc = (c->r[15] + c->r[i->rm]) & ~1u;
}

void arm_x_mov_pc(ArmCpu *c, const ArmInsn *i)
{
	c->pc = c->r[i->rm] & ~1u;
}

void arm_x_sdiv(ArmCpu *c, const ArmInsn *i)
{
	int32_t n = (int32_t)c->r[i->rn], m = (int32_t)c->r[i->rm];
	uint32_t r;
	if (m == 0) {
		if (c->ccr & ARM_CCR_DIV_0_TRP) {
			arm_fault(c, ARM_F_DIVBYZERO, 0);
			return;
		}
		r = 0;
	} else if (n == INT32_MIN && m == -1) {
		r = (uint32_t)INT32_MIN;
	} else {
		r = (uint32_t)(n / m);
	}
	c->r[i->rd] = r;
	NEXT(c, i);
}

void arm_x_udiv(ArmCpu *c, const ArmInsn *i)
{
	uint32_t m = c->r[i->rm];
	if (m == 0 && (c->ccr & ARM_CCR_DIV_0_TRP)) {
		arm_fault(c, ARM_F_DIVBYZERO, 0);
		return;
	}
	c->r[i->rd] = m ? c->r[i->rn] / m : 0;
	NEXT(c, i);
}


/* ---- loads and stores ----------------------------------------------------------------------- */

static inline void write_base(ArmCpu *c, unsigned rn, uint32_t v)
{
	if (ARM_UNLIKELY(rn == 13))
		c->r[13] = v & ~3u;
	else
		c->r[rn] = v;
}

/* Armv8-M: an update of SP below its limit faults before the access. */
static inline bool sp_base_ok(ArmCpu *c, const ArmInsn *i, uint32_t newsp)
{
	if (ARM_LIKELY(i->rn != 13) || !ARM_IS_V8M(c))
		return true;
	return arm_check_sp_limit(c, newsp);
}

#define EXT_NONE(v) (v)
#define EXT_SB(v) ((uint32_t)(int32_t)(int8_t)(v))
#define EXT_SH(v) ((uint32_t)(int32_t)(int16_t)(v))

#define LOAD_FNS(name, LD, EXT)                                                                   \
	void arm_x_##name##_i(ArmCpu *c, const ArmInsn *i)                                        \
	{                                                                                          \
		uint32_t v;                                                                        \
		if (!LD(c, c->r[i->rn] + i->imm, &v))                                              \
			return;                                                                    \
		c->r[i->rd] = EXT(v);                                                              \
		NEXT(c, i);                                                                        \
	}                                                                                          \
	void arm_x_##name##_pre(ArmCpu *c, const ArmInsn *i)                                      \
	{                                                                                          \
		uint32_t v, a = c->r[i->rn] + i->imm;                                              \
		if (!sp_base_ok(c, i, a) || !LD(c, a, &v))                                         \
			return;                                                                    \
		c->r[i->rd] = EXT(v);                                                              \
		write_base(c, i->rn, a);                                                           \
		NEXT(c, i);                                                                        \
	}                                                                                          \
	void arm_x_##name##_post(ArmCpu *c, const ArmInsn *i)                                     \
	{                                                                                          \
		uint32_t v, a = c->r[i->rn];                                                       \
		if (!sp_base_ok(c, i, a + i->imm) || !LD(c, a, &v))                                \
			return;                                                                    \
		c->r[i->rd] = EXT(v);                                                              \
		write_base(c, i->rn, a + i->imm);                                                  \
		NEXT(c, i);                                                                        \
	}                                                                                          \
	void arm_x_##name##_r(ArmCpu *c, const ArmInsn *i)                                        \
	{                                                                                          \
		uint32_t v;                                                                        \
		if (!LD(c, c->r[i->rn] + (c->r[i->rm] << i->amt), &v))                             \
			return;                                                                    \
		c->r[i->rd] = EXT(v);                                                              \
		NEXT(c, i);                                                                        \
	}                                                                                          \
	void arm_x_##name##_lit(ArmCpu *c, const ArmInsn *i)                                      \
	{                                                                                          \
		uint32_t v;                                                                        \
		if (!LD(c, i->imm, &v))                                                            \
			return;                                                                    \
		c->r[i->rd] = EXT(v);                                                              \
		NEXT(c, i);                                                                        \
	}

LOAD_FNS(ldr, arm_ld32, EXT_NONE)
LOAD_FNS(ldrb, arm_ld8, EXT_NONE)
LOAD_FNS(ldrsb, arm_ld8, EXT_SB)
LOAD_FNS(ldrh, arm_ld16, EXT_NONE)
LOAD_FNS(ldrsh, arm_ld16, EXT_SH)

#define STORE_FNS(name, ST)                                                                       \
	void arm_x_##name##_i(ArmCpu *c, const ArmInsn *i)                                        \
	{                                                                                          \
		if (!ST(c, c->r[i->rn] + i->imm, c->r[i->rd]))                                     \
			return;                                                                    \
		NEXT(c, i);                                                                        \
	}                                                                                          \
	void arm_x_##name##_pre(ArmCpu *c, const ArmInsn *i)                                      \
	{                                                                                          \
		uint32_t a = c->r[i->rn] + i->imm;                                                 \
		if (!sp_base_ok(c, i, a) || !ST(c, a, c->r[i->rd]))                                \
			return;                                                                    \
		write_base(c, i->rn, a);                                                           \
		NEXT(c, i);                                                                        \
	}                                                                                          \
	void arm_x_##name##_post(ArmCpu *c, const ArmInsn *i)                                     \
	{                                                                                          \
		uint32_t a = c->r[i->rn];                                                          \
		if (!sp_base_ok(c, i, a + i->imm) || !ST(c, a, c->r[i->rd]))                       \
			return;                                                                    \
		write_base(c, i->rn, a + i->imm);                                                  \
		NEXT(c, i);                                                                        \
	}                                                                                          \
	void arm_x_##name##_r(ArmCpu *c, const ArmInsn *i)                                        \
	{                                                                                          \
		if (!ST(c, c->r[i->rn] + (c->r[i->rm] << i->amt), c->r[i->rd]))                    \
			return;                                                                    \
		NEXT(c, i);                                                                        \
	}                                                                                          \
	void arm_x_##name##_lit(ArmCpu *c, const ArmInsn *i)                                      \
	{                                                                                          \
		if (!ST(c, i->imm, c->r[i->rd]))                                                   \
			return;                                                                    \
		NEXT(c, i);                                                                        \
	}

STORE_FNS(str, arm_st32)
STORE_FNS(strb, arm_st8)
STORE_FNS(strh, arm_st16)

/* LDR to pc, any addressing mode (x: 0 offset, 1 pre, 2 post, 3 register, 4 literal). */
void arm_x_ldr_pc(ArmCpu *c, const ArmInsn *i)
{
	uint32_t base = c->r[i->rn], a, wbv = 0, v;
	switch (i->x) {
	case 0: a = base + i->imm; break;
	case 1: a = wbv = base + i->imm; break;
	case 2: a = base; wbv = base + i->imm; break;
	case 3: a = base + (c->r[i->rm] << i->amt); break;
	default: a = i->imm; break;
	}
	if ((i->flags & ARM_IF_WBACK) && !sp_base_ok(c, i, wbv))
		return;
	if (!arm_ld32(c, a, &v))
		return;
	if (i->flags & ARM_IF_WBACK)
		write_base(c, i->rn, wbv);
	arm_bx_write_pc(c, v);
}

/* LDRT/STRT family: accesses with unprivileged permissions. */
void arm_x_ldrt(ArmCpu *c, const ArmInsn *i)
{
	uint32_t a = c->r[i->rn] + i->imm, v;
	unsigned size = i->x;
	if (size > 1 && (a & (size - 1)) && (ARM_IS_V6M(c) || (c->ccr & ARM_CCR_UNALIGN_TRP))) {
		arm_unaligned_fault(c);
		return;
	}
	if (!arm_ld_slow(c, a, size, &v, ARM_ACC_UNPRIV))
		return;
	if (i->flags & ARM_IF_X)
		v = size == 1 ? EXT_SB(v) : EXT_SH(v);
	c->r[i->rd] = v;
	NEXT(c, i);
}

void arm_x_strt(ArmCpu *c, const ArmInsn *i)
{
	uint32_t a = c->r[i->rn] + i->imm;
	unsigned size = i->x;
	if (size > 1 && (a & (size - 1)) && (ARM_IS_V6M(c) || (c->ccr & ARM_CCR_UNALIGN_TRP))) {
		arm_unaligned_fault(c);
		return;
	}
	if (!arm_st_slow(c, a, size, c->r[i->rd], ARM_ACC_UNPRIV))
		return;
	NEXT(c, i);
}

static inline uint32_t dual_address(ArmCpu *c, const ArmInsn *i, uint32_t *wbv)
{
	uint32_t base, off;
	if (i->flags & ARM_IF_X) {
		*wbv = 0;
		return i->imm;              /* literal */
	}
	base = c->r[i->rn];
	off = (i->flags & ARM_IF_ADD) ? base + i->imm : base - i->imm;
	*wbv = off;
	return (i->flags & ARM_IF_INDEX) ? off : base;
}

void arm_x_ldrd(ArmCpu *c, const ArmInsn *i)
{
	uint32_t wbv, a = dual_address(c, i, &wbv), v1, v2;
	if ((i->flags & ARM_IF_WBACK) && !sp_base_ok(c, i, wbv))
		return;
	if (!arm_ld32a(c, a, &v1) || !arm_ld32a(c, a + 4, &v2))
		return;
	c->r[i->rd] = v1;
	c->r[i->ra] = v2;
	if (i->flags & ARM_IF_WBACK)
		write_base(c, i->rn, wbv);
	NEXT(c, i);
}

void arm_x_strd(ArmCpu *c, const ArmInsn *i)
{
	uint32_t wbv, a = dual_address(c, i, &wbv);
	if ((i->flags & ARM_IF_WBACK) && !sp_base_ok(c, i, wbv))
		return;
	if (!arm_st32a(c, a, c->r[i->rd]) || !arm_st32a(c, a + 4, c->r[i->ra]))
		return;
	if (i->flags & ARM_IF_WBACK)
		write_base(c, i->rn, wbv);
	NEXT(c, i);
}

/* Multiple loads read everything before writing any register, so that a fault leaves the
 * registers as they were (the architecture allows either). */
static bool load_multiple(ArmCpu *c, uint32_t a, uint32_t list, uint32_t *vals)
{
	for (unsigned r = 0; r < 16; r++) {
		if (list >> r & 1) {
			if (!arm_ld32a(c, a, &vals[r]))
				return false;
			a += 4;
		}
	}
	return true;
}

static void finish_load_multiple(ArmCpu *c, uint32_t list, const uint32_t *vals)
{
	for (unsigned r = 0; r < 15; r++)
		if (list >> r & 1)
			c->r[r] = r == 13 ? vals[r] & ~3u : vals[r];
}

void arm_x_ldm(ArmCpu *c, const ArmInsn *i)
{
	uint32_t list = i->imm, vals[16], base = c->r[i->rn], n = (uint32_t)__builtin_popcount(list);
	if (!load_multiple(c, base, list, vals))
		return;
	finish_load_multiple(c, list, vals);
	if (i->flags & ARM_IF_WBACK)
		write_base(c, i->rn, base + 4 * n);
	if (list & 0x8000)
		arm_bx_write_pc(c, vals[15]);
	else
		NEXT(c, i);
}

void arm_x_ldmdb(ArmCpu *c, const ArmInsn *i)
{
	uint32_t list = i->imm, vals[16], n = (uint32_t)__builtin_popcount(list);
	uint32_t a = c->r[i->rn] - 4 * n;
	if ((i->flags & ARM_IF_WBACK) && !sp_base_ok(c, i, a))
		return;
	if (!load_multiple(c, a, list, vals))
		return;
	finish_load_multiple(c, list, vals);
	if (i->flags & ARM_IF_WBACK)
		write_base(c, i->rn, a);
	if (list & 0x8000)
		arm_bx_write_pc(c, vals[15]);
	else
		NEXT(c, i);
}

static bool store_multiple(ArmCpu *c, uint32_t a, uint32_t list)
{
	for (unsigned r = 0; r < 16; r++) {
		if (list >> r & 1) {
			if (!arm_st32a(c, a, c->r[r]))
				return false;
			a += 4;
		}
	}
	return true;
}

void arm_x_stm(ArmCpu *c, const ArmInsn *i)
{
	uint32_t base = c->r[i->rn], n = (uint32_t)__builtin_popcount(i->imm);
	if (!store_multiple(c, base, i->imm))
		return;
	if (i->flags & ARM_IF_WBACK)
		write_base(c, i->rn, base + 4 * n);
	NEXT(c, i);
}

void arm_x_stmdb(ArmCpu *c, const ArmInsn *i)
{
	uint32_t n = (uint32_t)__builtin_popcount(i->imm), a = c->r[i->rn] - 4 * n;
	if ((i->flags & ARM_IF_WBACK) && !sp_base_ok(c, i, a))
		return;
	if (!store_multiple(c, a, i->imm))
		return;
	if (i->flags & ARM_IF_WBACK)
		write_base(c, i->rn, a);
	NEXT(c, i);
}

void arm_x_push(ArmCpu *c, const ArmInsn *i)
{
	uint32_t n = (uint32_t)__builtin_popcount(i->imm), a = c->r[13] - 4 * n;
	if (ARM_IS_V8M(c) && !arm_check_sp_limit(c, a))
		return;
	if (!store_multiple(c, a, i->imm))
		return;
	c->r[13] = a;
	NEXT(c, i);
}

void arm_x_pop(ArmCpu *c, const ArmInsn *i)
{
	uint32_t list = i->imm, vals[16], sp = c->r[13], n = (uint32_t)__builtin_popcount(list);
	if (!load_multiple(c, sp, list, vals))
		return;
	finish_load_multiple(c, list, vals);
	c->r[13] = (sp + 4 * n) & ~3u;
	if (list & 0x8000)
		arm_bx_write_pc(c, vals[15]);
	else
		NEXT(c, i);
}

/* Exclusives: one local monitor. Like QEMU, a store-exclusive also fails when the memory no
 * longer holds the value the load-exclusive read (a store by this core to the address clears
 * the monitor, which the architecture leaves to the implementation). */
static bool excl_load(ArmCpu *c, uint32_t a, unsigned size, uint32_t *v)
{
	if (a & (size - 1))
		return arm_unaligned_fault(c);
	switch (size) {
	case 1: return arm_ld8(c, a, v);
	case 2: return arm_ld16(c, a, v);
	default: return arm_ld32a(c, a, v);
	}
}

static bool excl_store(ArmCpu *c, uint32_t a, unsigned size, uint32_t v)
{
	if (a & (size - 1))
		return arm_unaligned_fault(c);
	switch (size) {
	case 1: return arm_st8(c, a, v);
	case 2: return arm_st16(c, a, v);
	default: return arm_st32a(c, a, v);
	}
}

void arm_x_ldrex(ArmCpu *c, const ArmInsn *i)
{
	uint32_t a = c->r[i->rn] + i->imm, v;
	if (!excl_load(c, a, i->x, &v))
		return;
	c->excl_valid = true;
	c->excl_addr = a;
	c->excl_val = v;
	c->r[i->rd] = v;
	NEXT(c, i);
}

void arm_x_strex(ArmCpu *c, const ArmInsn *i)
{
	uint32_t a = c->r[i->rn] + i->imm, cur;
	bool ok;
	if (a & (i->x - 1)) {
		arm_unaligned_fault(c);
		return;
	}
	ok = c->excl_valid && c->excl_addr == a;
	if (ok) {
		if (!excl_load(c, a, i->x, &cur))
			return;
		ok = cur == c->excl_val;
	}
	if (ok && !excl_store(c, a, i->x, c->r[i->ra]))
		return;
	c->excl_valid = false;
	c->r[i->rd] = ok ? 0 : 1;
	NEXT(c, i);
}

void arm_x_clrex(ArmCpu *c, const ArmInsn *i)
{
	c->excl_valid = false;
	NEXT(c, i);
}

void arm_x_lda(ArmCpu *c, const ArmInsn *i)
{
	uint32_t v;
	if (!excl_load(c, c->r[i->rn], i->x, &v))
		return;
	c->r[i->rd] = v;
	NEXT(c, i);
}

void arm_x_stl(ArmCpu *c, const ArmInsn *i)
{
	if (!excl_store(c, c->r[i->rn], i->x, c->r[i->ra]))
		return;
	NEXT(c, i);
}

void arm_x_tbb(ArmCpu *c, const ArmInsn *i)
{
	uint32_t v;
	if (!arm_ld8(c, c->r[i->rn] + c->r[i->rm], &v))
		return;
	c->pc = c->r[15] + 2 * v;
}

void arm_x_tbh(ArmCpu *c, const ArmInsn *i)
{
	uint32_t v;
	if (!arm_ld16(c, c->r[i->rn] + (c->r[i->rm] << 1), &v))
		return;
	c->pc = c->r[15] + 2 * v;
}

/* ---- branches ------------------------------------------------------------------------------- */

void arm_x_b(ArmCpu *c, const ArmInsn *i)
{
	c->pc = i->imm;
}

void arm_x_bcc(ArmCpu *c, const ArmInsn *i)
{
	if (arm_cond(c, i->sh))
		c->pc = i->imm;
	else
		NEXT(c, i);
}

/* The common conditions get their own handlers: no switch on the condition at run time. */
#define BCOND(name, COND)                                                                          \
	void arm_x_##name(ArmCpu *c, const ArmInsn *i)                                            \
	{                                                                                          \
		if (COND)                                                                          \
			c->pc = i->imm;                                                            \
		else                                                                               \
			NEXT(c, i);                                                                \
	}
BCOND(beq, c->zf == 0)
BCOND(bne, c->zf != 0)
BCOND(bhs, c->cf != 0)
BCOND(blo, c->cf == 0)
BCOND(bmi, (int32_t)c->nf < 0)
BCOND(bpl, (int32_t)c->nf >= 0)
BCOND(bhi, c->cf && c->zf != 0)
BCOND(bls, !c->cf || c->zf == 0)
BCOND(bge, (int32_t)(c->nf ^ c->vf) >= 0)
BCOND(blt, (int32_t)(c->nf ^ c->vf) < 0)
BCOND(bgt, c->zf != 0 && (int32_t)(c->nf ^ c->vf) >= 0)
BCOND(ble, c->zf == 0 || (int32_t)(c->nf ^ c->vf) < 0)

void arm_x_bl(ArmCpu *c, const ArmInsn *i)
{
	c->r[14] = (c->pc + 4) | 1;
	c->pc = i->imm;
}

void arm_x_bx(ArmCpu *c, const ArmInsn *i)
{
	arm_bx_write_pc(c, c->r[i->rm]);
}

void arm_x_blx(ArmCpu *c, const ArmInsn *i)
{
	uint32_t target = c->r[i->rm];
	c->r[14] = (c->pc + 2) | 1;
	arm_bx_write_pc(c, target);
}

void arm_x_cbz(ArmCpu *c, const ArmInsn *i)
{
	if (c->r[i->rn] == 0)
		c->pc = i->imm;
	else
		NEXT(c, i);
}

void arm_x_cbnz(ArmCpu *c, const ArmInsn *i)
{
	if (c->r[i->rn] != 0)
		c->pc = i->imm;
	else
		NEXT(c, i);
}

void arm_x_it(ArmCpu *c, const ArmInsn *i)
{
	c->it_pc = c->pc;
	arm_set_itstate(c, i->imm);
	NEXT(c, i);
}

void arm_set_itstate(ArmCpu *c, uint32_t it)
{
	it &= 0xFF;
	if (!(it & 0xF))
		it = 0;
	c->itstate = it;
	if (it)
		c->slow |= ARM_SLOW_IT;
	else
		c->slow &= ~ARM_SLOW_IT;
}

/* BXWritePC / LoadWritePC: interworking branch; in handler mode an EXC_RETURN value
 * returns from the exception. */
void arm_bx_write_pc(ArmCpu *c, uint32_t target)
{
	if (arm_handler_mode(c) && (target >> 28) == 0xF) {
		arm_exception_return(c, target);
		return;
	}
	c->pc = target & ~1u;
	if (!(target & 1)) {
		/* EPSR.T = 0: the next instruction raises INVSTATE. */
		c->tbit = false;
		c->slow |= ARM_SLOW_TBIT;
	}
}

void arm_write_sp(ArmCpu *c, uint32_t v)
{
	c->r[13] = v & ~3u;
}

uint32_t arm_sp_limit(const ArmCpu *c, bool process)
{
	return process ? c->psplim : c->msplim;
}

bool arm_check_sp_limit(ArmCpu *c, uint32_t newsp)
{
	bool process = !arm_handler_mode(c) && (c->control & ARM_CONTROL_SPSEL);
	if (!ARM_IS_V8M(c) || newsp >= arm_sp_limit(c, process))
		return true;
	/* STKOFHFNMIGN: handlers at priority -1 and -2 may ignore the violation. */
	if (c->exec_prio < 0 && (c->ccr & ARM_CCR_STKOFHFNMIGN))
		return true;
	arm_fault(c, ARM_F_STKOF, 0);
	return false;
}

/* ---- miscellaneous -------------------------------------------------------------------------- */

void arm_x_isb(ArmCpu *c, const ArmInsn *i)
{
	NEXT(c, i);
}

void arm_x_wfi(ArmCpu *c, const ArmInsn *i)
{
	NEXT(c, i);
	arm_wfi(c);
}

void arm_x_wfe(ArmCpu *c, const ArmInsn *i)
{
	NEXT(c, i);
	arm_wfe(c);
}

void arm_x_sev(ArmCpu *c, const ArmInsn *i)
{
	NEXT(c, i);
	arm_sev(c);
}

void arm_x_undef(ArmCpu *c, const ArmInsn *i)
{
	(void)i;
	arm_fault(c, ARM_F_UNDEFINSTR, 0);
}

void arm_x_unpred(ArmCpu *c, const ArmInsn *i)
{
	(void)i;
	arm_fault(c, ARM_F_UNDEFINSTR, 0);
}

void arm_x_nocp(ArmCpu *c, const ArmInsn *i)
{
	(void)i;
	arm_fault(c, ARM_F_NOCP, 0);
}

void arm_x_svc(ArmCpu *c, const ArmInsn *i)
{
	NEXT(c, i);
	arm_svc(c);
}

void arm_x_bkpt(ArmCpu *c, const ArmInsn *i)
{
	SocSemihost *sh = c->cpu.machine ? soc_machine_semihost(c->cpu.machine) : NULL;
	if (i->imm == 0xAB && sh) {
		c->r[0] = (uint32_t)soc_semihost_call(sh, &c->cpu, 4, c->r[0], c->r[1]);
		NEXT(c, i);
		return;
	}
	arm_bkpt(c, i->imm);
}

void arm_x_cps(ArmCpu *c, const ArmInsn *i)
{
	bool disable = i->flags & ARM_IF_X;
	if (arm_privileged(c)) {
		if (i->imm & 2)
			c->primask = disable ? 1 : 0;
		if (i->imm & 1) {
			if (!disable)
				c->faultmask = 0;
			else if (c->exec_prio > -1)
				c->faultmask = 1;
		}
		arm_update_irq(c);
		arm_set_mpu_ctx(c);
	}
	NEXT(c, i);
}

void arm_x_mrs(ArmCpu *c, const ArmInsn *i)
{
	unsigned sysm = i->imm;
	uint32_t v = 0;
	bool fp = (c->feat & ARM_FT_FP) != 0;

	switch (sysm >> 3) {
	case 0:
		if (sysm & 1)
			v |= c->ipsr;
		if (!(sysm & 4))
			v |= arm_get_apsr(c) & ((c->feat & ARM_FT_DSP) ? 0xF80F0000u : 0xF8000000u);
		break;
	case 1:
		if (arm_privileged(c)) {
			bool psp_cur = !arm_handler_mode(c) && (c->control & ARM_CONTROL_SPSEL);
			switch (sysm & 7) {
			case 0: v = psp_cur ? c->sp_other : c->r[13]; break;
			case 1: v = psp_cur ? c->r[13] : c->sp_other; break;
			case 2: v = c->msplim; break;
			case 3: v = c->psplim; break;
			default: break;
			}
		}
		break;
	default:
		switch (sysm & 7) {
		case 0: v = c->primask; break;
		case 1: case 2: v = c->basepri; break;
		case 3: v = c->faultmask; break;
		case 4: v = c->control & (fp ? 7u : 3u); break;
		default: break;
		}
		break;
	}
	c->r[i->rd] = v;
	NEXT(c, i);
}

static void write_control(ArmCpu *c, uint32_t v)
{
	bool old_psp = !arm_handler_mode(c) && (c->control & ARM_CONTROL_SPSEL), new_psp;
	uint32_t keep = c->control;

	if (c->model->mpu_regions || !ARM_IS_V6M(c))
		keep = (keep & ~ARM_CONTROL_NPRIV) | (v & ARM_CONTROL_NPRIV);
	if (!arm_handler_mode(c))
		keep = (keep & ~ARM_CONTROL_SPSEL) | (v & ARM_CONTROL_SPSEL);
	if (c->feat & ARM_FT_FP)
		keep = (keep & ~ARM_CONTROL_FPCA) | (v & ARM_CONTROL_FPCA);
	c->control = keep;
	new_psp = !arm_handler_mode(c) && (c->control & ARM_CONTROL_SPSEL);
	if (new_psp != old_psp) {
		uint32_t t = c->r[13];
		c->r[13] = c->sp_other;
		c->sp_other = t;
	}
	arm_set_mpu_ctx(c);
	arm_fp_update_ready(c);
}

void arm_x_msr(ArmCpu *c, const ArmInsn *i)
{
	unsigned sysm = i->imm;
	uint32_t v = c->r[i->rn];
	bool priv = arm_privileged(c);

	switch (sysm >> 3) {
	case 0:
		if (!(sysm & 4)) {
			if (i->sh & 1)
				c->ge = (v >> 16) & 15;
			if (i->sh & 2) {
				uint32_t ge = c->ge;
				arm_set_nzcvq(c, v);
				c->ge = ge;
			}
		}
		break;
	case 1:
		if (priv) {
			bool psp_cur = !arm_handler_mode(c) && (c->control & ARM_CONTROL_SPSEL);
			switch (sysm & 7) {
			case 0:
				if (psp_cur)
					c->sp_other = v & ~3u;
				else
					c->r[13] = v & ~3u;
				break;
			case 1:
				if (psp_cur)
					c->r[13] = v & ~3u;
				else
					c->sp_other = v & ~3u;
				break;
			case 2: c->msplim = v & ~7u; break;
			case 3: c->psplim = v & ~7u; break;
			default: break;
			}
		}
		break;
	default:
		if (!priv)
			break;
		switch (sysm & 7) {
		case 0: c->primask = v & 1; break;
		case 1: c->basepri = v & c->prio_mask; break;
		case 2:
			v &= c->prio_mask;
			if (v && (v < c->basepri || !c->basepri))
				c->basepri = v;
			break;
		case 3:
			if (c->exec_prio > -1)
				c->faultmask = v & 1;
			break;
		case 4:
			write_control(c, v);
			break;
		default:
			break;
		}
		arm_update_irq(c);
		arm_set_mpu_ctx(c);
		break;
	}
	NEXT(c, i);
}

/* TT: the MPU region and access rights for an address (no Security Extension). */
void arm_x_tt(ArmCpu *c, const ArmInsn *i)
{
	uint32_t a = c->r[i->rn], resp = 0;
	bool unpriv = (i->flags & ARM_IF_X) || !arm_privileged(c);
	unsigned ctx = unpriv ? ARM_CTX_UNPRIV : ARM_CTX_PRIV, perm;
	int region = -1, matches = 0;

	if (c->mpu_ctrl & 1) {
		for (unsigned r = 0; r < c->mpu_nregions; r++) {
			const ArmMpuRegion *m = &c->mpu[r];
			if ((m->rasr & 1) && a >= (m->rbar & ~31u) && a <= (m->rasr | 31u)) {
				region = (int)r;
				matches++;
			}
		}
		if (matches == 1)
			resp |= (uint32_t)region | 1u << 16;
		perm = arm_mpu_perm(c, a, ctx);
	} else {
		perm = ARM_PERM_R | ARM_PERM_W;
	}
	if (matches <= 1) {
		if (perm & ARM_PERM_R)
			resp |= 1u << 18;
		if ((perm & ARM_PERM_R) && (perm & ARM_PERM_W))
			resp |= 1u << 19;
	}
	c->r[i->rd] = resp;
	NEXT(c, i);
}

/* ---- pages of decoded code ------------------------------------------------------------------- */

#define PCACHE_BITS 6
#define PCACHE_SIZE (1u << PCACHE_BITS)

static void init_slots(ArmInsn *s)
{
	for (unsigned k = 0; k < ARM_PAGE_SLOTS; k++) {
		s[k].fn = arm_x_decode;
		s[k].len = 2;
		s[k].op = ARM_OP_DECODE;
	}
}

ArmPage *arm_page_get(ArmCpu *c, uint32_t addr)
{
	ArmPage *p = g_hash_table_lookup(c->pages, GUINT_TO_POINTER(addr));
	if (!p) {
		p = g_malloc(sizeof(*p));
		p->addr = addr;
		p->it = NULL;
		p->blocks = NULL;
		init_slots(p->slots);
		g_hash_table_insert(c->pages, GUINT_TO_POINTER(addr), p);
	}
	return p;
}

static void page_free(gpointer data)
{
	ArmPage *p = data;
	g_free(p->it);
	g_free(p);
}

static void invalidate_range(ArmCpu *c, uint32_t lo, uint32_t hi)
{
	/* A 32-bit instruction may start two bytes before the range. */
	lo = lo >= 2 ? lo - 2 : 0;
	/* The block being executed may be one of those: leave it after this instruction. */
	c->slow |= ARM_SLOW_FLUSH;
	for (uint32_t page = lo & ~ARM_PAGE_MASK; ; page += ARM_PAGE_SIZE) {
		ArmPage *p = g_hash_table_lookup(c->pages, GUINT_TO_POINTER(page));
		if (p) {
			uint32_t a = MAX(lo, page), b = MIN(hi, page + ARM_PAGE_MASK);
			for (uint32_t k = (a & ARM_PAGE_MASK) >> 1; k <= (b & ARM_PAGE_MASK) >> 1; k++) {
				p->slots[k].fn = arm_x_decode;
				if (p->it)
					p->it[k].fn = arm_x_decode;
			}
			arm_blocks_invalidate(c, p, a, b);
		}
		if (page >= (hi & ~ARM_PAGE_MASK) || page + ARM_PAGE_SIZE == 0)
			break;
	}
}

/* A write reached bytes we decoded: find every guest address of those bytes. */
static void code_written(void *opaque, SocRamBlock *block, uint64_t offset, uint64_t len)
{
	ArmCpu *c = opaque;
	unsigned n = soc_as_window_count(c->cpu.as);

	for (unsigned k = 0; k < n; k++) {
		const SocWindow *w = soc_as_window(c->cpu.as, k);
		uint64_t lo, hi;
		if (w->ram != block || w->base > UINT32_MAX)
			continue;
		lo = MAX(offset, w->ram_offset);
		hi = MIN(offset + len, w->ram_offset + w->size);
		if (lo >= hi)
			continue;
		lo = w->base + (lo - w->ram_offset);
		hi = w->base + (hi - w->ram_offset) - 1;
		if (lo > UINT32_MAX)
			continue;
		invalidate_range(c, (uint32_t)lo, (uint32_t)MIN(hi, (uint64_t)UINT32_MAX));
	}
}

/* A page of the block got code (decoded by any CPU, of any family): stop writing it through
 * a fast pointer, so that the write reaches the code listeners. */
static void page_gained_code(void *opaque, SocRamBlock *b, uint64_t page)
{
	arm_tlb_flush_writes(opaque);
}

void arm_listen_block(ArmCpu *c, SocRamBlock *b)
{
	for (guint k = 0; k < c->listened->len; k++)
		if (c->listened->pdata[k] == b)
			return;
	soc_ram_add_code_listener(b, code_written, c);
	soc_ram_add_page_listener(b, page_gained_code, c);
	g_ptr_array_add(c->listened, soc_ram_ref(b));
}

void arm_code_init(ArmCpu *c)
{
	c->pages = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, page_free);
	c->listened = g_ptr_array_new();
	c->cur_page = NULL;
	c->cur_page_addr = 1;
	arm_blocks_init(c);
}

void arm_code_destroy(ArmCpu *c)
{
	arm_blocks_destroy(c);
	if (c->listened) {
		for (guint k = 0; k < c->listened->len; k++) {
			soc_ram_remove_code_listener(c->listened->pdata[k], code_written, c);
			soc_ram_remove_page_listener(c->listened->pdata[k], page_gained_code, c);
			soc_ram_unref(c->listened->pdata[k]);
		}
		g_ptr_array_free(c->listened, TRUE);
		c->listened = NULL;
	}
	if (c->pages) {
		g_hash_table_destroy(c->pages);
		c->pages = NULL;
	}
}

void arm_code_flush(ArmCpu *c)
{
	c->cur_page = NULL;
	c->cur_page_addr = 1;
	arm_blocks_flush_chains(c);
}

/* Read the bytes of an instruction from RAM/ROM and mark them as code. */
static bool fetch_halfword(ArmCpu *c, uint32_t a, uint16_t *hw)
{
	uint64_t avail, off;
	SocRamBlock *blk;
	uint8_t *p = soc_as_ram_ptr(c->cpu.as, a, &avail, &blk, &off);
	bool fresh;
	if (!p || avail < 2)
		return false;
	memcpy(hw, p, 2);
	arm_listen_block(c, blk);
	fresh = !soc_ram_page_has_code(blk, off);
	soc_ram_mark_code(blk, off, 2);
	if (fresh)
		arm_tlb_flush_writes(c);   /* a fast write pointer may exist for this page */
	return true;
}

bool arm_fetch_literal(ArmCpu *c, uint32_t a, uint32_t *v)
{
	uint16_t lo, hi;
	if (!fetch_halfword(c, a, &lo) || !fetch_halfword(c, a + 2, &hi))
		return false;
	*v = (uint32_t)hi << 16 | lo;
	return true;
}

bool arm_exec_allowed(ArmCpu *c, uint32_t pc, bool *uniform)
{
	uint32_t page = pc & ~ARM_PAGE_MASK;
	uint64_t avail;

	*uniform = true;
	if (arm_default_xn(pc) && (c->mpu_ctx == ARM_CTX_DEFAULT || !(c->mpu_ctrl & 1))) {
		arm_fault(c, ARM_F_IACCVIOL, pc);
		return false;
	}
	if (c->mpu_ctx != ARM_CTX_DEFAULT) {
		int pp = arm_mpu_page_perm(c, page, c->mpu_ctx);
		if (pp < 0) {
			*uniform = false;
			if (!(arm_mpu_perm(c, pc, c->mpu_ctx) & ARM_PERM_X)) {
				arm_fault(c, ARM_F_IACCVIOL, pc);
				return false;
			}
		} else if (!(pp & ARM_PERM_X)) {
			arm_fault(c, ARM_F_IACCVIOL, pc);
			return false;
		}
	}
	if (!soc_as_ram_ptr(c->cpu.as, pc, &avail, NULL, NULL)) {
		arm_fault(c, ARM_F_IBUSERR, pc);
		return false;
	}
	if (avail < ARM_PAGE_SIZE - (pc & ARM_PAGE_MASK) ||
	    !soc_as_ram_ptr(c->cpu.as, page, &avail, NULL, NULL))
		*uniform = false;
	return true;
}

/* The slot for pc in the normal (or IT-context) slots, entering the page if needed. */
static ArmInsn *slot_for(ArmCpu *c, bool it)
{
	uint32_t pc = c->pc, page = pc & ~ARM_PAGE_MASK;
	ArmPage *p;
	bool uniform;

	if (ARM_LIKELY(page == c->cur_page_addr)) {
		p = c->cur_page;
	} else {
		if (!arm_exec_allowed(c, pc, &uniform))
			return NULL;
		p = arm_page_get(c, page);
		if (uniform) {
			c->cur_page = p;
			c->cur_page_addr = page;
		} else {
			c->cur_page_addr = 1;
		}
	}
	if (it)
		return arm_it_slot(p, pc);
	return &p->slots[(pc & ARM_PAGE_MASK) >> 1];
}

ArmInsn *arm_it_slot(ArmPage *p, uint32_t pc)
{
	if (!p->it) {
		p->it = g_new(ArmInsn, ARM_PAGE_SLOTS);
		init_slots(p->it);
	}
	return &p->it[(pc & ARM_PAGE_MASK) >> 1];
}

bool arm_decode_at(ArmCpu *c, uint32_t pc, ArmInsn *slot, bool in_it, bool raise)
{
	ArmDecodeCtx x = { .pc = pc, .feat = c->feat, .in_it = in_it,
	                   .last_in_it = in_it };   /* permissive: the position in a block may vary */
	uint16_t hw1, hw2;
	uint32_t w;
	unsigned size = 16;

	if (!fetch_halfword(c, pc, &hw1)) {
		if (raise)
			arm_fault(c, ARM_F_IBUSERR, pc);
		return false;
	}
	w = hw1;
	if (arm_is_32bit(hw1)) {
		if (!fetch_halfword(c, pc + 2, &hw2)) {
			if (raise)
				arm_fault(c, ARM_F_IBUSERR, pc + 2);
			return false;
		}
		w = (uint32_t)hw1 << 16 | hw2;
		size = 32;
	}
	arm_decode(&x, w, size, slot);
	return true;
}

static bool slot_in_it(ArmCpu *c, const ArmInsn *slot)
{
	ArmPage *p = g_hash_table_lookup(c->pages, GUINT_TO_POINTER(c->pc & ~ARM_PAGE_MASK));
	return p && p->it && slot >= p->it && slot < p->it + ARM_PAGE_SLOTS;
}

/* The handler of an undecoded slot: decode, store, execute. */
void arm_x_decode(ArmCpu *c, const ArmInsn *i)
{
	ArmInsn *slot = (ArmInsn *)i;
	if (!arm_decode_at(c, c->pc, slot, slot_in_it(c, slot), true))
		return;
	slot->fn(c, slot);
}

/* ---- the run loop ---------------------------------------------------------------------------- */

/* One instruction inside an IT block: ITSTATE advances first (a fault puts it back). */
static void it_step(ArmCpu *c, bool trace)
{
	uint32_t old_it = c->itstate, old_pc = c->pc, it = old_it;
	ArmInsn *i = slot_for(c, true);
	bool pass;

	if (!i)
		return;
	if (i->fn == arm_x_decode && !arm_decode_at(c, c->pc, i, true, true))
		return;
	if (trace)
		arm_trace_insn(c, i);
	pass = arm_cond(c, old_it >> 4);
	it = (it & 7) ? ((it & 0xE0) | ((it << 1) & 0x1F)) : 0;
	arm_set_itstate(c, it);
	c->r[15] = c->pc + 4;
	if (pass || i->fn == arm_x_bkpt) {
		i->fn(c, i);
		if (c->pc == old_pc && c->itstate == it)
			arm_set_itstate(c, old_it);
	} else {
		c->pc += i->len;
	}
}

/* What the fast loop left to us. Returns false to leave run(). */
static bool slow_step(ArmCpu *c, bool trace)
{
	c->slow &= ~ARM_SLOW_FLUSH;
	if (c->slow & ARM_SLOW_STOP)
		return false;
	if (c->slow & ARM_SLOW_IRQ) {
		c->slow &= ~ARM_SLOW_IRQ;
		if (arm_take_pending(c))
			return true;
	}
	if (c->slow & ARM_SLOW_TBIT) {
		if (c->tbit) {
			c->slow &= ~ARM_SLOW_TBIT;
			return true;
		}
		arm_fault(c, ARM_F_INVSTATE, 0);
		c->cpu.insns++;
		return true;
	}
	if (c->slow & ARM_SLOW_IT) {
		it_step(c, trace);
		c->cpu.insns++;
		return true;
	}
	return true;
}

/* Blocks (block.c) between the slow steps. */
static void run_fast(ArmCpu *c)
{
	while (c->cpu.insns < c->cpu.stop_at) {
		if (ARM_UNLIKELY(c->slow)) {
			if (!slow_step(c, false))
				return;
			continue;
		}
		arm_blocks_run(c);
	}
}

static void run_trace(ArmCpu *c)
{
	while (c->cpu.insns < c->cpu.stop_at) {
		ArmInsn *i;
		if (c->slow) {
			if (!slow_step(c, true))
				return;
			continue;
		}
		i = slot_for(c, false);
		if (i && (i->fn != arm_x_decode || arm_decode_at(c, c->pc, i, false, true))) {
			arm_trace_insn(c, i);
			c->r[15] = c->pc + 4;
			i->fn(c, i);
		}
		c->cpu.insns++;
	}
}

void arm_run(SocCpu *cpu)
{
	ArmCpu *c = arm_cpu(cpu);

	if (c->reset_fetch_pending)
		arm_reset_fetch(c);
	if (cpu->state == SOC_CPU_SLEEPING)
		arm_wake_check(c);
	if (cpu->state != SOC_CPU_RUNNING)
		return;
	c->slow &= ~ARM_SLOW_STOP;
	if (ARM_UNLIKELY(soc_log_enabled(cpu->log, SOC_LOG_EXEC)))
		run_trace(c);
	else
		run_fast(c);
}

void arm_step(ArmCpu *c)
{
	uint64_t target = c->cpu.insns + 1;
	/* Pending exceptions and IT bookkeeping do not count; one real instruction does. */
	for (int guard = 0; guard < 8 && c->cpu.insns < target; guard++) {
		c->cpu.stop_at = target;
		arm_run(&c->cpu);
		if (c->cpu.state != SOC_CPU_RUNNING)
			break;
	}
}
