/* cpus/arm/fp.c — the floating-point extension: FPv4-SP (Cortex-M4F), FPv5 single precision
 * (Cortex-M33) and FPv5 double precision (Cortex-M7).
 *
 * Arithmetic runs on the host's IEEE 754 unit in the FPSCR rounding mode, with the host's
 * exception flags collected around each operation; what differs on Arm is done here: NaN
 * operands (propagation order, quieting, default NaN mode), flush-to-zero (inputs flushed with
 * IDC, tiny results flushed with UFC and no IXC), underflow detected before rounding, the
 * Arm default NaN for invalid operations, and saturating conversions to integers. Half
 * precision (VCVTB/VCVTT, with the alternative format) is done in software.
 *
 * Every FP instruction first runs the prologue (CPACR check -> NOCP, lazy preservation of the
 * context stacked at FPCAR, CONTROL.FPCA with FPSCR from FPDSCR) unless `fp_ready` says there
 * is nothing to do. */
#include "cpus/arm/arm-internal.h"

#include <fenv.h>
#include <math.h>

#define NEXT(c, i) ((c)->pc += (i)->len)
#define FP_CHECK(c) do { if (!(c)->fp_ready && !arm_fp_prologue(c)) return; } while (0)

/* ---- prologue and lazy stacking --------------------------------------------------------------- */

static bool fp_access_ok(const ArmCpu *c)
{
	unsigned cp10 = (c->cpacr >> 20) & 3;
	return cp10 == 3 || (cp10 == 1 && arm_privileged(c));
}

void arm_fp_update_ready(ArmCpu *c)
{
	c->fp_ready = (c->feat & ARM_FT_FP) && fp_access_ok(c) && !(c->fpccr & ARM_FPCCR_LSPACT) &&
	              ((c->control & ARM_CONTROL_FPCA) || !(c->fpccr & ARM_FPCCR_ASPEN));
}

bool arm_fp_lazy_save(ArmCpu *c)
{
	unsigned acc = ARM_ACC_WRITE | ((c->fpccr & ARM_FPCCR_USER) ? ARM_ACC_UNPRIV : ARM_ACC_PRIV);
	for (unsigned k = 0; k < 17; k++) {
		uint32_t v = k < 16 ? c->fp.s[k] : c->fpscr;
		ArmMemResult r = arm_mem_access(c, c->fpcar + 4 * k, 4, &v, acc);
		if (r != ARM_MEM_OK) {
			arm_fault(c, r == ARM_MEM_MPU ? ARM_F_MLSPERR : ARM_F_LSPERR, 0);
			return false;
		}
	}
	c->fpccr &= ~ARM_FPCCR_LSPACT;
	return true;
}

bool arm_fp_prologue(ArmCpu *c)
{
	if (!fp_access_ok(c)) {
		arm_fault(c, ARM_F_NOCP, 0);
		return false;
	}
	if ((c->fpccr & ARM_FPCCR_LSPACT) && !arm_fp_lazy_save(c))
		return false;
	if ((c->fpccr & ARM_FPCCR_ASPEN) && !(c->control & ARM_CONTROL_FPCA)) {
		c->fpscr = (c->fpscr & ~0x07C00000u) | (c->fpdscr & 0x07C00000u);
		c->control |= ARM_CONTROL_FPCA;
	}
	arm_fp_update_ready(c);
	return true;
}

/* ---- bit patterns ---------------------------------------------------------------------------- */

static inline float f32_of(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static inline uint32_t bits32(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }
static inline double f64_of(uint64_t b) { double f; memcpy(&f, &b, 8); return f; }
static inline uint64_t bits64(double f) { uint64_t b; memcpy(&b, &f, 8); return b; }

#define F32_DNAN 0x7FC00000u
#define F64_DNAN 0x7FF8000000000000ull

static inline bool nan32(uint32_t a) { return (a & 0x7FFFFFFFu) > 0x7F800000u; }
static inline bool snan32(uint32_t a) { return nan32(a) && !(a & 0x00400000u); }
static inline bool denorm32(uint32_t a) { return !(a & 0x7F800000u) && (a & 0x007FFFFFu); }
static inline bool inf32(uint32_t a) { return (a & 0x7FFFFFFFu) == 0x7F800000u; }
static inline bool zero32(uint32_t a) { return !(a & 0x7FFFFFFFu); }
static inline bool nan64(uint64_t a) { return (a & 0x7FFFFFFFFFFFFFFFull) > 0x7FF0000000000000ull; }
static inline bool snan64(uint64_t a) { return nan64(a) && !(a & 0x0008000000000000ull); }
static inline bool denorm64(uint64_t a) { return !(a & 0x7FF0000000000000ull) && (a & 0x000FFFFFFFFFFFFFull); }
static inline bool inf64(uint64_t a) { return (a & 0x7FFFFFFFFFFFFFFFull) == 0x7FF0000000000000ull; }
static inline bool zero64(uint64_t a) { return !(a & 0x7FFFFFFFFFFFFFFFull); }

/* ---- FPSCR helpers --------------------------------------------------------------------------- */

static inline unsigned rmode(const ArmCpu *c)
{
	return (c->fpscr >> 22) & 3;
}

static const int host_round[4] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };

static inline void host_enter(unsigned rm)
{
	feclearexcept(FE_ALL_EXCEPT);
	if (rm)
		fesetround(host_round[rm]);
}

static inline int host_leave(unsigned rm)
{
	int f = fetestexcept(FE_ALL_EXCEPT);
	if (rm)
		fesetround(FE_TONEAREST);
	return f;
}

static inline uint32_t flush32(ArmCpu *c, uint32_t a)
{
	if ((c->fpscr & ARM_FPSCR_FZ) && denorm32(a)) {
		c->fpscr |= ARM_FPSCR_IDC;
		return a & 0x80000000u;
	}
	return a;
}

static inline uint64_t flush64(ArmCpu *c, uint64_t a)
{
	if ((c->fpscr & ARM_FPSCR_FZ) && denorm64(a)) {
		c->fpscr |= ARM_FPSCR_IDC;
		return a & 0x8000000000000000ull;
	}
	return a;
}

/* FPProcessNaN: quiet a signalling NaN (IOC), default NaN mode. */
static uint32_t pnan32(ArmCpu *c, uint32_t a)
{
	if (snan32(a)) {
		c->fpscr |= ARM_FPSCR_IOC;
		a |= 0x00400000u;
	}
	return (c->fpscr & ARM_FPSCR_DN) ? F32_DNAN : a;
}

static uint64_t pnan64(ArmCpu *c, uint64_t a)
{
	if (snan64(a)) {
		c->fpscr |= ARM_FPSCR_IOC;
		a |= 0x0008000000000000ull;
	}
	return (c->fpscr & ARM_FPSCR_DN) ? F64_DNAN : a;
}

/* FPProcessNaNs / FPProcessNaNs3: signalling NaNs first, in operand order. */
static bool nans32(ArmCpu *c, uint32_t *r, unsigned n, const uint32_t *ops)
{
	for (unsigned k = 0; k < n; k++)
		if (snan32(ops[k])) { *r = pnan32(c, ops[k]); return true; }
	for (unsigned k = 0; k < n; k++)
		if (nan32(ops[k])) { *r = pnan32(c, ops[k]); return true; }
	return false;
}

static bool nans64(ArmCpu *c, uint64_t *r, unsigned n, const uint64_t *ops)
{
	for (unsigned k = 0; k < n; k++)
		if (snan64(ops[k])) { *r = pnan64(c, ops[k]); return true; }
	for (unsigned k = 0; k < n; k++)
		if (nan64(ops[k])) { *r = pnan64(c, ops[k]); return true; }
	return false;
}

/* The Arm view of a host result: default NaN for invalid operations, underflow detected
 * before rounding (`tiny` computed by the caller), flush-to-zero of tiny results. */
static uint32_t finish32(ArmCpu *c, uint32_t r, int fl, bool tiny)
{
	if (fl & FE_INVALID)
		c->fpscr |= ARM_FPSCR_IOC;
	if (fl & FE_DIVBYZERO)
		c->fpscr |= ARM_FPSCR_DZC;
	if (nan32(r))
		return F32_DNAN;
	if (tiny && (c->fpscr & ARM_FPSCR_FZ)) {
		c->fpscr |= ARM_FPSCR_UFC;
		return r & 0x80000000u;
	}
	if (fl & FE_OVERFLOW)
		c->fpscr |= ARM_FPSCR_OFC;
	if (fl & FE_INEXACT) {
		c->fpscr |= ARM_FPSCR_IXC;
		if (tiny)
			c->fpscr |= ARM_FPSCR_UFC;
	}
	return r;
}

static uint64_t finish64(ArmCpu *c, uint64_t r, int fl, bool tiny)
{
	if (fl & FE_INVALID)
		c->fpscr |= ARM_FPSCR_IOC;
	if (fl & FE_DIVBYZERO)
		c->fpscr |= ARM_FPSCR_DZC;
	if (nan64(r))
		return F64_DNAN;
	if (tiny && (c->fpscr & ARM_FPSCR_FZ)) {
		c->fpscr |= ARM_FPSCR_UFC;
		return r & 0x8000000000000000ull;
	}
	if (fl & FE_OVERFLOW)
		c->fpscr |= ARM_FPSCR_OFC;
	if (fl & FE_INEXACT) {
		c->fpscr |= ARM_FPSCR_IXC;
		if (tiny)
			c->fpscr |= ARM_FPSCR_UFC;
	}
	return r;
}

/* Was the exact result tiny (non-zero and below the smallest normal)? The rounded result
 * decides, except at zero (tiny when inexact) and at exactly the smallest normal, where a
 * wider computation tells. */
static bool tiny32(uint32_t r, double exact, bool inexact)
{
	uint32_t m = r & 0x7FFFFFFFu;
	if (m == 0)
		return inexact;
	if (m < 0x00800000u)
		return true;
	return m == 0x00800000u && inexact && fabs(exact) < 0x1p-126;
}

static bool tiny64(uint64_t r, long double exact, bool inexact)
{
	uint64_t m = r & 0x7FFFFFFFFFFFFFFFull;
	if (m == 0)
		return inexact;
	if (m < 0x0010000000000000ull)
		return true;
	return m == 0x0010000000000000ull && inexact && fabsl(exact) < 0x1p-1022L;
}

/* ---- arithmetic ----------------------------------------------------------------------------- */

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV };

/* One operation rounded toward zero, in a wider format: |rz(x)| < 2^-126 exactly when
 * |x| < 2^-126, since rounding toward zero is monotonic and the bound is representable.
 * Used only when the rounded result is the smallest normal. */
static double rz_op(int op, double a, double b)
{
	volatile double va = a, vb = b, vr;
	fesetround(FE_TOWARDZERO);
	switch (op) {
	case OP_ADD: vr = va + vb; break;
	case OP_SUB: vr = va - vb; break;
	case OP_MUL: vr = va * vb; break;
	default: vr = va / vb; break;
	}
	fesetround(FE_TONEAREST);
	return vr;
}

static long double rz_opl(int op, long double a, long double b)
{
	volatile long double va = a, vb = b, vr;
	fesetround(FE_TOWARDZERO);
	switch (op) {
	case OP_ADD: vr = va + vb; break;
	case OP_SUB: vr = va - vb; break;
	case OP_MUL: vr = va * vb; break;
	default: vr = va / vb; break;
	}
	fesetround(FE_TONEAREST);
	return vr;
}

static uint32_t op32(ArmCpu *c, int op, uint32_t a, uint32_t b)
{
	uint32_t ops[2], r;
	unsigned rm = rmode(c);
	volatile float va, vb, vr;
	double exact = 0;
	int fl;

	a = flush32(c, a);
	b = flush32(c, b);
	ops[0] = a;
	ops[1] = b;
	if (nans32(c, &r, 2, ops))
		return r;
	va = f32_of(a);
	vb = f32_of(b);
	host_enter(rm);
	switch (op) {
	case OP_ADD: vr = va + vb; break;
	case OP_SUB: vr = va - vb; break;
	case OP_MUL: vr = va * vb; break;
	default: vr = va / vb; break;
	}
	fl = host_leave(rm);
	r = bits32(vr);
	if ((r & 0x7FFFFFFFu) == 0x00800000u)
		exact = rz_op(op, f32_of(a), f32_of(b));
	return finish32(c, r, fl, tiny32(r, exact, (fl & FE_INEXACT) != 0));
}

static uint64_t op64(ArmCpu *c, int op, uint64_t a, uint64_t b)
{
	uint64_t ops[2], r;
	unsigned rm = rmode(c);
	volatile double va, vb, vr;
	long double exact = 0;
	int fl;

	a = flush64(c, a);
	b = flush64(c, b);
	ops[0] = a;
	ops[1] = b;
	if (nans64(c, &r, 2, ops))
		return r;
	va = f64_of(a);
	vb = f64_of(b);
	host_enter(rm);
	switch (op) {
	case OP_ADD: vr = va + vb; break;
	case OP_SUB: vr = va - vb; break;
	case OP_MUL: vr = va * vb; break;
	default: vr = va / vb; break;
	}
	fl = host_leave(rm);
	r = bits64(vr);
	if ((r & 0x7FFFFFFFFFFFFFFFull) == 0x0010000000000000ull)
		exact = rz_opl(op, f64_of(a), f64_of(b));
	return finish64(c, r, fl, tiny64(r, exact, (fl & FE_INEXACT) != 0));
}

/* FPMulAdd: addend + op1 * op2 with one rounding. */
static uint32_t fma32(ArmCpu *c, uint32_t addend, uint32_t a, uint32_t b)
{
	uint32_t ops[3], r;
	unsigned rm = rmode(c);
	volatile float vd, va, vb, vr;
	double exact;
	int fl;

	addend = flush32(c, addend);
	a = flush32(c, a);
	b = flush32(c, b);
	/* A quiet NaN addend with an infinite times zero product is the default NaN. */
	if (nan32(addend) && !snan32(addend) && ((inf32(a) && zero32(b)) || (zero32(a) && inf32(b)))) {
		c->fpscr |= ARM_FPSCR_IOC;
		return F32_DNAN;
	}
	ops[0] = addend;
	ops[1] = a;
	ops[2] = b;
	if (nans32(c, &r, 3, ops))
		return r;
	vd = f32_of(addend);
	va = f32_of(a);
	vb = f32_of(b);
	host_enter(rm);
	vr = fmaf(va, vb, vd);
	fl = host_leave(rm);
	r = bits32(vr);
	/* The product is exact in double: one rounding toward zero keeps the comparison. */
	exact = 0;
	if ((r & 0x7FFFFFFFu) == 0x00800000u)
		exact = rz_op(OP_ADD, f32_of(addend), (double)f32_of(a) * (double)f32_of(b));
	return finish32(c, r, fl, tiny32(r, exact, (fl & FE_INEXACT) != 0));
}

static uint64_t fma64(ArmCpu *c, uint64_t addend, uint64_t a, uint64_t b)
{
	uint64_t ops[3], r;
	unsigned rm = rmode(c);
	volatile double vd, va, vb, vr;
	long double exact;
	int fl;

	addend = flush64(c, addend);
	a = flush64(c, a);
	b = flush64(c, b);
	if (nan64(addend) && !snan64(addend) && ((inf64(a) && zero64(b)) || (zero64(a) && inf64(b)))) {
		c->fpscr |= ARM_FPSCR_IOC;
		return F64_DNAN;
	}
	ops[0] = addend;
	ops[1] = a;
	ops[2] = b;
	if (nans64(c, &r, 3, ops))
		return r;
	vd = f64_of(addend);
	va = f64_of(a);
	vb = f64_of(b);
	host_enter(rm);
	vr = fma(va, vb, vd);
	fl = host_leave(rm);
	r = bits64(vr);
	exact = 0;
	if ((r & 0x7FFFFFFFFFFFFFFFull) == 0x0010000000000000ull)
		exact = rz_opl(OP_ADD, f64_of(addend), rz_opl(OP_MUL, f64_of(a), f64_of(b)));
	return finish64(c, r, fl, tiny64(r, exact, (fl & FE_INEXACT) != 0));
}

static uint32_t sqrt32(ArmCpu *c, uint32_t a)
{
	unsigned rm = rmode(c);
	volatile float va, vr;
	int fl;
	a = flush32(c, a);
	if (nan32(a))
		return pnan32(c, a);
	va = f32_of(a);
	host_enter(rm);
	vr = sqrtf(va);
	fl = host_leave(rm);
	return finish32(c, bits32(vr), fl, false);
}

static uint64_t sqrt64(ArmCpu *c, uint64_t a)
{
	unsigned rm = rmode(c);
	volatile double va, vr;
	int fl;
	a = flush64(c, a);
	if (nan64(a))
		return pnan64(c, a);
	va = f64_of(a);
	host_enter(rm);
	vr = sqrt(va);
	fl = host_leave(rm);
	return finish64(c, bits64(vr), fl, false);
}

/* ---- register access -------------------------------------------------------------------------- */

static inline uint32_t S(const ArmCpu *c, unsigned n) { return c->fp.s[n]; }
static inline uint64_t D(const ArmCpu *c, unsigned n) { return c->fp.d[n]; }
static inline void setS(ArmCpu *c, unsigned n, uint32_t v) { c->fp.s[n] = v; }
static inline void setD(ArmCpu *c, unsigned n, uint64_t v) { c->fp.d[n] = v; }

#define NEG32(v) ((v) ^ 0x80000000u)
#define NEG64(v) ((v) ^ 0x8000000000000000ull)

/* Two-operand arithmetic: d = op(n, m). */
#define FP_BINOP(name, OP)                                                                         \
	void arm_x_##name(ArmCpu *c, const ArmInsn *i)                                            \
	{                                                                                          \
		FP_CHECK(c);                                                                       \
		if (i->x)                                                                          \
			setD(c, i->rd, op64(c, OP, D(c, i->rn), D(c, i->rm)));                    \
		else                                                                               \
			setS(c, i->rd, op32(c, OP, S(c, i->rn), S(c, i->rm)));                    \
		NEXT(c, i);                                                                        \
	}

FP_BINOP(vadd, OP_ADD)
FP_BINOP(vsub, OP_SUB)
FP_BINOP(vmul, OP_MUL)
FP_BINOP(vdiv, OP_DIV)

void arm_x_vnmul(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	if (i->x)
		setD(c, i->rd, NEG64(op64(c, OP_MUL, D(c, i->rn), D(c, i->rm))));
	else
		setS(c, i->rd, NEG32(op32(c, OP_MUL, S(c, i->rn), S(c, i->rm))));
	NEXT(c, i);
}

/* VMLA family: two roundings. neg_d negates the accumulator, neg_p the product. */
static void mla(ArmCpu *c, const ArmInsn *i, bool neg_d, bool neg_p)
{
	if (i->x) {
		uint64_t p = op64(c, OP_MUL, D(c, i->rn), D(c, i->rm)), d = D(c, i->rd);
		setD(c, i->rd, op64(c, OP_ADD, neg_d ? NEG64(d) : d, neg_p ? NEG64(p) : p));
	} else {
		uint32_t p = op32(c, OP_MUL, S(c, i->rn), S(c, i->rm)), d = S(c, i->rd);
		setS(c, i->rd, op32(c, OP_ADD, neg_d ? NEG32(d) : d, neg_p ? NEG32(p) : p));
	}
	NEXT(c, i);
}

void arm_x_vmla(ArmCpu *c, const ArmInsn *i) { FP_CHECK(c); mla(c, i, false, false); }
void arm_x_vmls(ArmCpu *c, const ArmInsn *i) { FP_CHECK(c); mla(c, i, false, true); }
void arm_x_vnmla(ArmCpu *c, const ArmInsn *i) { FP_CHECK(c); mla(c, i, true, true); }
void arm_x_vnmls(ArmCpu *c, const ArmInsn *i) { FP_CHECK(c); mla(c, i, true, false); }

/* Fused: d = (neg_d ? -d : d) + (neg_n ? -n : n) * m. */
static void fused(ArmCpu *c, const ArmInsn *i, bool neg_d, bool neg_n)
{
	if (i->x) {
		uint64_t d = D(c, i->rd), n = D(c, i->rn);
		setD(c, i->rd, fma64(c, neg_d ? NEG64(d) : d, neg_n ? NEG64(n) : n, D(c, i->rm)));
	} else {
		uint32_t d = S(c, i->rd), n = S(c, i->rn);
		setS(c, i->rd, fma32(c, neg_d ? NEG32(d) : d, neg_n ? NEG32(n) : n, S(c, i->rm)));
	}
	NEXT(c, i);
}

void arm_x_vfma(ArmCpu *c, const ArmInsn *i) { FP_CHECK(c); fused(c, i, false, false); }
void arm_x_vfms(ArmCpu *c, const ArmInsn *i) { FP_CHECK(c); fused(c, i, false, true); }
void arm_x_vfnma(ArmCpu *c, const ArmInsn *i) { FP_CHECK(c); fused(c, i, true, true); }
void arm_x_vfnms(ArmCpu *c, const ArmInsn *i) { FP_CHECK(c); fused(c, i, true, false); }

void arm_x_vsqrt(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	if (i->x)
		setD(c, i->rd, sqrt64(c, D(c, i->rm)));
	else
		setS(c, i->rd, sqrt32(c, S(c, i->rm)));
	NEXT(c, i);
}

void arm_x_vabs(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	if (i->x)
		setD(c, i->rd, D(c, i->rm) & 0x7FFFFFFFFFFFFFFFull);
	else
		setS(c, i->rd, S(c, i->rm) & 0x7FFFFFFFu);
	NEXT(c, i);
}

void arm_x_vneg(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	if (i->x)
		setD(c, i->rd, NEG64(D(c, i->rm)));
	else
		setS(c, i->rd, NEG32(S(c, i->rm)));
	NEXT(c, i);
}

void arm_x_vmov_reg(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	if (i->x)
		setD(c, i->rd, D(c, i->rm));
	else
		setS(c, i->rd, S(c, i->rm));
	NEXT(c, i);
}

void arm_x_vmov_imm(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	if (i->x)
		setD(c, i->rd, (uint64_t)i->imm << 32);
	else
		setS(c, i->rd, i->imm);
	NEXT(c, i);
}

/* ---- comparison ----------------------------------------------------------------------------- */

void arm_x_vcmp(ArmCpu *c, const ArmInsn *i)
{
	bool quiet_exc = (i->flags & ARM_IF_X) != 0;   /* VCMPE: any NaN is invalid */
	uint32_t nzcv;
	FP_CHECK(c);
	if (i->x) {
		uint64_t a = flush64(c, D(c, i->rd)), b = (i->flags & ARM_IF_Y) ? 0 : flush64(c, D(c, i->rm));
		if (nan64(a) || nan64(b)) {
			nzcv = 0x3;
			if (quiet_exc || snan64(a) || snan64(b))
				c->fpscr |= ARM_FPSCR_IOC;
		} else {
			double x = f64_of(a), y = f64_of(b);
			nzcv = x == y ? 0x6 : x < y ? 0x8 : 0x2;
		}
	} else {
		uint32_t a = flush32(c, S(c, i->rd)), b = (i->flags & ARM_IF_Y) ? 0 : flush32(c, S(c, i->rm));
		if (nan32(a) || nan32(b)) {
			nzcv = 0x3;
			if (quiet_exc || snan32(a) || snan32(b))
				c->fpscr |= ARM_FPSCR_IOC;
		} else {
			float x = f32_of(a), y = f32_of(b);
			nzcv = x == y ? 0x6 : x < y ? 0x8 : 0x2;
		}
	}
	c->fpscr = (c->fpscr & 0x0FFFFFFFu) | nzcv << 28;
	NEXT(c, i);
}

/* ---- conversions ------------------------------------------------------------------------------ */

/* Round a finite value to an integral value in one of the modes of ArmInsn.sh (0 FPSCR,
 * 1 toward zero, 2 ties away, 3 ties even, 4 toward +inf, 5 toward -inf). */
static long double round_mode(const ArmCpu *c, long double v, unsigned mode)
{
	if (mode == 0)
		mode = (unsigned[]){ 3, 4, 5, 1 }[rmode(c)];
	switch (mode) {
	case 1: return truncl(v);
	case 2: return roundl(v);
	case 4: return ceill(v);
	case 5: return floorl(v);
	default: {
		long double f = floorl(v), d = v - f;
		if (d > 0.5L || (d == 0.5L && fmodl(f, 2.0L) != 0))
			return f + 1;
		return f;
	}
	}
}

/* FPToFixed for integers: saturating, NaN -> 0; IOC on saturation, IXC when inexact. */
static uint32_t to_int(ArmCpu *c, long double v, bool is_nan, bool is_unsigned, unsigned mode)
{
	long double r;
	if (is_nan) {
		c->fpscr |= ARM_FPSCR_IOC;
		return 0;
	}
	r = round_mode(c, v, mode);
	if (is_unsigned) {
		if (r > 4294967295.0L) { c->fpscr |= ARM_FPSCR_IOC; return 0xFFFFFFFFu; }
		if (r < 0) { c->fpscr |= ARM_FPSCR_IOC; return 0; }
	} else {
		if (r > 2147483647.0L) { c->fpscr |= ARM_FPSCR_IOC; return 0x7FFFFFFFu; }
		if (r < -2147483648.0L) { c->fpscr |= ARM_FPSCR_IOC; return 0x80000000u; }
	}
	if (r != v)
		c->fpscr |= ARM_FPSCR_IXC;
	return is_unsigned ? (uint32_t)(uint64_t)r : (uint32_t)(int32_t)r;
}

void arm_x_vcvt_fi(ArmCpu *c, const ArmInsn *i)
{
	bool uns = !(i->flags & ARM_IF_X);
	uint32_t r;
	FP_CHECK(c);
	if (i->x) {
		uint64_t a = flush64(c, D(c, i->rm));
		r = to_int(c, f64_of(a), nan64(a), uns, i->sh);
	} else {
		uint32_t a = flush32(c, S(c, i->rm));
		r = to_int(c, f32_of(a), nan32(a), uns, i->sh);
	}
	setS(c, i->rd, r);
	NEXT(c, i);
}

void arm_x_vcvt_if(ArmCpu *c, const ArmInsn *i)
{
	uint32_t v = S(c, i->rm);
	unsigned rm = rmode(c);
	int fl;
	FP_CHECK(c);
	host_enter(rm);
	if (i->x) {
		volatile double r = (i->flags & ARM_IF_X) ? (double)(int32_t)v : (double)v;
		fl = host_leave(rm);
		setD(c, i->rd, bits64(r));
	} else {
		volatile float r = (i->flags & ARM_IF_X) ? (float)(int32_t)v : (float)v;
		fl = host_leave(rm);
		setS(c, i->rd, bits32(r));
	}
	if (fl & FE_INEXACT)
		c->fpscr |= ARM_FPSCR_IXC;
	NEXT(c, i);
}

/* To fixed point: round toward zero, saturate to 16 or 32 bits, extend into the register. */
void arm_x_vcvt_fx(ArmCpu *c, const ArmInsn *i)
{
	bool uns = (i->flags & ARM_IF_X) != 0, is_nan;
	long double v, r;
	int64_t lo, hi, q;
	FP_CHECK(c);
	if (i->x) {
		uint64_t a = flush64(c, D(c, i->rd));
		is_nan = nan64(a);
		v = f64_of(a);
	} else {
		uint32_t a = flush32(c, S(c, i->rd));
		is_nan = nan32(a);
		v = f32_of(a);
	}
	lo = uns ? 0 : -((int64_t)1 << (i->y - 1));
	hi = uns ? ((int64_t)1 << i->y) - 1 : ((int64_t)1 << (i->y - 1)) - 1;
	if (is_nan) {
		c->fpscr |= ARM_FPSCR_IOC;
		q = 0;
	} else {
		v = ldexpl(v, i->amt);
		r = truncl(v);
		if (r > (long double)hi) {
			q = hi;
			c->fpscr |= ARM_FPSCR_IOC;
		} else if (r < (long double)lo) {
			q = lo;
			c->fpscr |= ARM_FPSCR_IOC;
		} else {
			q = (int64_t)r;
			if (r != v)
				c->fpscr |= ARM_FPSCR_IXC;
		}
	}
	if (i->x)
		setD(c, i->rd, uns ? (uint64_t)(uint32_t)q : (uint64_t)(int64_t)(int32_t)q);
	else
		setS(c, i->rd, (uint32_t)q);
	NEXT(c, i);
}

void arm_x_vcvt_xf(ArmCpu *c, const ArmInsn *i)
{
	bool uns = (i->flags & ARM_IF_X) != 0;
	uint32_t raw = (uint32_t)(i->x ? D(c, i->rd) : S(c, i->rd));
	int64_t v;
	unsigned rm = rmode(c);
	int fl;
	FP_CHECK(c);
	if (i->y == 16)
		v = uns ? (int64_t)(raw & 0xFFFF) : (int64_t)(int16_t)raw;
	else
		v = uns ? (int64_t)raw : (int64_t)(int32_t)raw;
	host_enter(rm);
	if (i->x) {
		volatile double r = ldexp((double)v, -(int)i->amt);
		fl = host_leave(rm);
		setD(c, i->rd, bits64(r));
	} else {
		/* v * 2^-frac is exact in double; one rounding to single. */
		volatile double e = ldexp((double)v, -(int)i->amt);
		volatile float r = (float)e;
		fl = host_leave(rm);
		setS(c, i->rd, bits32(r));
	}
	if (fl & FE_INEXACT)
		c->fpscr |= ARM_FPSCR_IXC;
	NEXT(c, i);
}

void arm_x_vcvt_ds(ArmCpu *c, const ArmInsn *i)
{
	unsigned rm = rmode(c);
	int fl;
	FP_CHECK(c);
	if (i->x) {
		/* double -> single */
		uint64_t a = flush64(c, D(c, i->rm));
		uint32_t r;
		if (nan64(a)) {
			if (snan64(a))
				c->fpscr |= ARM_FPSCR_IOC;
			r = (c->fpscr & ARM_FPSCR_DN) ? F32_DNAN
			    : (uint32_t)(a >> 63) << 31 | 0x7FC00000u | (uint32_t)((a >> 29) & 0x003FFFFFu);
		} else {
			volatile double va = f64_of(a);
			volatile float vr;
			host_enter(rm);
			vr = (float)va;
			fl = host_leave(rm);
			r = bits32(vr);
			r = finish32(c, r, fl, tiny32(r, f64_of(a), (fl & FE_INEXACT) != 0));
		}
		setS(c, i->rd, r);
	} else {
		uint32_t a = flush32(c, S(c, i->rm));
		uint64_t r;
		if (nan32(a)) {
			if (snan32(a))
				c->fpscr |= ARM_FPSCR_IOC;
			r = (c->fpscr & ARM_FPSCR_DN) ? F64_DNAN
			    : (uint64_t)(a >> 31) << 63 | 0x7FF8000000000000ull | (uint64_t)(a & 0x003FFFFFu) << 29;
		} else {
			r = bits64((double)f32_of(a));
		}
		setD(c, i->rd, r);
	}
	NEXT(c, i);
}

/* Half precision: round a double-precision value to IEEE (or alternative) half format. */
static uint16_t to_half(ArmCpu *c, uint64_t a, bool is_nan, bool is_snan)
{
	bool ahp = (c->fpscr & ARM_FPSCR_AHP) != 0, neg = (a >> 63) != 0;
	uint16_t sign = neg ? 0x8000 : 0;
	double v = fabs(f64_of(a)), scaled, r;
	int e;
	long double rr;

	if (is_nan) {
		if (ahp) {
			c->fpscr |= ARM_FPSCR_IOC;
			return sign;
		}
		if (is_snan)
			c->fpscr |= ARM_FPSCR_IOC;
		if (c->fpscr & ARM_FPSCR_DN)
			return 0x7E00;
		return sign | 0x7E00 | (uint16_t)((a >> 42) & 0x1FF);
	}
	if (isinf(v)) {
		if (ahp) {
			c->fpscr |= ARM_FPSCR_IOC;
			return sign | 0x7FFF;
		}
		return sign | 0x7C00;
	}
	if (v == 0)
		return sign;
	/* Scale to an integer significand: 11 bits for normals, fixed 2^-24 units for subnormals. */
	frexp(v, &e);                        /* v = f * 2^e, f in [0.5, 1) */
	if (e - 1 < -14)
		scaled = ldexp(v, 24);       /* subnormal: units of 2^-24 */
	else
		scaled = ldexp(v, 10 - (e - 1));
	rr = round_mode(c, neg ? -(long double)scaled : (long double)scaled, 0);
	r = fabs((double)rr);
	if (e - 1 < -14) {
		unsigned m = (unsigned)r;
		if (r != scaled)                 /* tiny before rounding, and inexact */
			c->fpscr |= ARM_FPSCR_UFC | ARM_FPSCR_IXC;
		return sign | (uint16_t)m;       /* m == 0x400 is the smallest normal: same encoding */
	} else {
		int exp = e - 1;
		unsigned m = (unsigned)r;
		if (m >= 0x800) {                /* rounded up to the next binade */
			m >>= 1;
			exp++;
		}
		if (exp > (ahp ? 16 : 15)) {
			if (ahp) {
				c->fpscr |= ARM_FPSCR_IOC;
				return sign | 0x7FFF;
			}
			c->fpscr |= ARM_FPSCR_OFC | ARM_FPSCR_IXC;
			/* Overflow: infinity or the largest normal, by rounding direction. */
			{
				unsigned mode = rmode(c);
				bool to_inf = mode == 0 || (mode == 1 && !neg) || (mode == 2 && neg);
				return to_inf ? (sign | 0x7C00) : (sign | 0x7BFF);
			}
		}
		if (r != scaled)
			c->fpscr |= ARM_FPSCR_IXC;
		return sign | (uint16_t)((exp + 15) << 10) | (uint16_t)(m & 0x3FF);
	}
}

static double from_half(ArmCpu *c, uint16_t h, bool *nan_out, uint64_t *nanbits)
{
	unsigned e = (h >> 10) & 31, m = h & 0x3FF;
	bool neg = h >> 15;
	double v;
	*nan_out = false;
	if (e == 31 && !(c->fpscr & ARM_FPSCR_AHP)) {
		if (m) {
			*nan_out = true;
			if (!(m & 0x200))
				c->fpscr |= ARM_FPSCR_IOC;
			*nanbits = (c->fpscr & ARM_FPSCR_DN) ? F64_DNAN
			           : (uint64_t)neg << 63 | 0x7FF8000000000000ull | (uint64_t)(m & 0x1FF) << 42;
			return 0;
		}
		return neg ? -INFINITY : INFINITY;
	}
	v = e ? ldexp((double)(m | 0x400), (int)e - 25) : ldexp((double)m, -24);
	return neg ? -v : v;
}

void arm_x_vcvt_bt(ArmCpu *c, const ArmInsn *i)
{
	unsigned shift = (i->flags & ARM_IF_X) ? 16 : 0;
	FP_CHECK(c);
	if (i->flags & ARM_IF_Y) {
		/* to half: source single or double, result into one half of Sd */
		uint64_t a;
		bool n, s;
		uint16_t h;
		if (i->x) {
			uint64_t d = flush64(c, D(c, i->rm));
			a = d;
			n = nan64(d);
			s = snan64(d);
		} else {
			uint32_t f = flush32(c, S(c, i->rm));
			n = nan32(f);
			s = snan32(f);
			a = n ? (uint64_t)(f >> 31) << 63 | 0x7FF0000000000000ull | (uint64_t)(f & 0x7FFFFFu) << 29
			      : bits64((double)f32_of(f));
		}
		h = to_half(c, a, n, s);
		setS(c, i->rd, (S(c, i->rd) & ~(0xFFFFu << shift)) | (uint32_t)h << shift);
	} else {
		uint16_t h = (uint16_t)(S(c, i->rm) >> shift);
		bool n;
		uint64_t nb = 0;
		double v = from_half(c, h, &n, &nb);
		if (i->x) {
			setD(c, i->rd, n ? nb : bits64(v));
		} else {
			uint32_t r = n ? ((c->fpscr & ARM_FPSCR_DN) ? F32_DNAN
			                  : (uint32_t)(nb >> 63) << 31 | 0x7FC00000u | (uint32_t)((nb >> 29) & 0x3FFFFFu))
			               : bits32((float)v);
			setS(c, i->rd, r);
		}
	}
	NEXT(c, i);
}

/* ---- FPv5 ------------------------------------------------------------------------------------- */

void arm_x_vrint(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	if (i->x) {
		uint64_t a = flush64(c, D(c, i->rm)), r;
		if (nan64(a)) {
			r = pnan64(c, a);
		} else if (inf64(a) || zero64(a)) {
			r = a;
		} else {
			long double v = f64_of(a), q = round_mode(c, v, i->sh);
			r = bits64((double)q);
			if (q == 0)
				r = a & 0x8000000000000000ull;   /* keeps the sign of the operand */
			if ((i->flags & ARM_IF_X) && q != v)
				c->fpscr |= ARM_FPSCR_IXC;
		}
		setD(c, i->rd, r);
	} else {
		uint32_t a = flush32(c, S(c, i->rm)), r;
		if (nan32(a)) {
			r = pnan32(c, a);
		} else if (inf32(a) || zero32(a)) {
			r = a;
		} else {
			long double v = f32_of(a), q = round_mode(c, v, i->sh);
			r = bits32((float)q);
			if (q == 0)
				r = a & 0x80000000u;
			if ((i->flags & ARM_IF_X) && q != v)
				c->fpscr |= ARM_FPSCR_IXC;
		}
		setS(c, i->rd, r);
	}
	NEXT(c, i);
}

void arm_x_vsel(ArmCpu *c, const ArmInsn *i)
{
	static const uint8_t cond[4] = { 0, 6, 10, 12 };   /* EQ, VS, GE, GT */
	bool take = arm_cond(c, cond[i->sh & 3]);
	FP_CHECK(c);
	if (i->x)
		setD(c, i->rd, take ? D(c, i->rn) : D(c, i->rm));
	else
		setS(c, i->rd, take ? S(c, i->rn) : S(c, i->rm));
	NEXT(c, i);
}

/* maxNum / minNum: a quiet NaN loses to a number. */
static void maxmin(ArmCpu *c, const ArmInsn *i, bool max)
{
	if (i->x) {
		uint64_t a = flush64(c, D(c, i->rn)), b = flush64(c, D(c, i->rm)), r, ops[2] = { a, b };
		if (nan64(a) && !snan64(a) && !nan64(b))
			a = b;
		else if (nan64(b) && !snan64(b) && !nan64(a))
			b = a;
		ops[0] = a;
		ops[1] = b;
		if (!nans64(c, &r, 2, ops)) {
			double x = f64_of(a), y = f64_of(b);
			if (x == y)
				r = max ? (a & b) : (a | b);     /* +0 beats -0 for max */
			else
				r = (max ? x > y : x < y) ? a : b;
		}
		setD(c, i->rd, r);
	} else {
		uint32_t a = flush32(c, S(c, i->rn)), b = flush32(c, S(c, i->rm)), r, ops[2];
		if (nan32(a) && !snan32(a) && !nan32(b))
			a = b;
		else if (nan32(b) && !snan32(b) && !nan32(a))
			b = a;
		ops[0] = a;
		ops[1] = b;
		if (!nans32(c, &r, 2, ops)) {
			float x = f32_of(a), y = f32_of(b);
			if (x == y)
				r = max ? (a & b) : (a | b);
			else
				r = (max ? x > y : x < y) ? a : b;
		}
		setS(c, i->rd, r);
	}
	NEXT(c, i);
}

void arm_x_vmaxnm(ArmCpu *c, const ArmInsn *i) { FP_CHECK(c); maxmin(c, i, true); }
void arm_x_vminnm(ArmCpu *c, const ArmInsn *i) { FP_CHECK(c); maxmin(c, i, false); }

/* ---- transfers ---------------------------------------------------------------------------- */

void arm_x_vmov_sr(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	setS(c, i->rd, c->r[i->rm]);
	NEXT(c, i);
}

void arm_x_vmov_rs(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	c->r[i->rd] = S(c, i->rn);
	NEXT(c, i);
}

void arm_x_vmov_2s(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	setS(c, i->rm, c->r[i->rd]);
	setS(c, i->rm + 1, c->r[i->ra]);
	NEXT(c, i);
}

void arm_x_vmov_s2(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	c->r[i->rd] = S(c, i->rm);
	c->r[i->ra] = S(c, i->rm + 1);
	NEXT(c, i);
}

void arm_x_vmov_2d(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	setD(c, i->rm, (uint64_t)c->r[i->ra] << 32 | c->r[i->rd]);
	NEXT(c, i);
}

void arm_x_vmov_d2(ArmCpu *c, const ArmInsn *i)
{
	uint64_t v;
	FP_CHECK(c);
	v = D(c, i->rm);
	c->r[i->rd] = (uint32_t)v;
	c->r[i->ra] = (uint32_t)(v >> 32);
	NEXT(c, i);
}

void arm_x_vmov_dr(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	setS(c, 2 * i->rd + i->amt, c->r[i->rm]);
	NEXT(c, i);
}

void arm_x_vmov_rd(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	c->r[i->rd] = S(c, 2 * i->rn + i->amt);
	NEXT(c, i);
}

void arm_x_vmrs(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	if (i->rd == 15) {
		uint32_t q = c->qf;
		arm_set_nzcvq(c, c->fpscr & 0xF0000000u);
		c->qf = q;
	} else {
		c->r[i->rd] = c->fpscr;
	}
	NEXT(c, i);
}

void arm_x_vmsr(ArmCpu *c, const ArmInsn *i)
{
	FP_CHECK(c);
	c->fpscr = c->r[i->rm] & ARM_FPSCR_MASK;
	NEXT(c, i);
}

/* ---- loads and stores ------------------------------------------------------------------------- */

static inline uint32_t fp_base(const ArmCpu *c, const ArmInsn *i)
{
	return (i->flags & ARM_IF_X) ? i->imm : c->r[i->rn] + i->imm;
}

void arm_x_vldr(ArmCpu *c, const ArmInsn *i)
{
	uint32_t a, lo, hi;
	FP_CHECK(c);
	a = fp_base(c, i);
	if (!arm_ld32a(c, a, &lo))
		return;
	if (i->x) {
		if (!arm_ld32a(c, a + 4, &hi))
			return;
		setD(c, i->rd, (uint64_t)hi << 32 | lo);
	} else {
		setS(c, i->rd, lo);
	}
	NEXT(c, i);
}

void arm_x_vstr(ArmCpu *c, const ArmInsn *i)
{
	uint32_t a;
	FP_CHECK(c);
	a = fp_base(c, i);
	if (i->x) {
		uint64_t v = D(c, i->rd);
		if (!arm_st32a(c, a, (uint32_t)v) || !arm_st32a(c, a + 4, (uint32_t)(v >> 32)))
			return;
	} else if (!arm_st32a(c, a, S(c, i->rd))) {
		return;
	}
	NEXT(c, i);
}

/* VLDM/VSTM/VPUSH/VPOP: imm registers (single or double) from rd. */
static void fp_multiple(ArmCpu *c, const ArmInsn *i, bool load)
{
	unsigned words = i->x ? 2 * i->imm : i->imm, first = i->x ? 2 * i->rd : i->rd;
	uint32_t base = c->r[i->rn], a = (i->flags & ARM_IF_ADD) ? base : base - 4 * words, vals[64];
	uint32_t wbv = (i->flags & ARM_IF_ADD) ? base + 4 * words : base - 4 * words;

	if ((i->flags & ARM_IF_WBACK) && i->rn == 13 && ARM_IS_V8M(c) && !arm_check_sp_limit(c, wbv))
		return;
	for (unsigned k = 0; k < words; k++) {
		if (load) {
			if (!arm_ld32a(c, a + 4 * k, &vals[k]))
				return;
		} else if (!arm_st32a(c, a + 4 * k, c->fp.s[first + k])) {
			return;
		}
	}
	if (load)
		memcpy(&c->fp.s[first], vals, words * sizeof(uint32_t));
	if (i->flags & ARM_IF_WBACK)
		c->r[i->rn] = i->rn == 13 ? wbv & ~3u : wbv;
	NEXT(c, i);
}

void arm_x_vldm(ArmCpu *c, const ArmInsn *i) { FP_CHECK(c); fp_multiple(c, i, true); }
void arm_x_vstm(ArmCpu *c, const ArmInsn *i) { FP_CHECK(c); fp_multiple(c, i, false); }
