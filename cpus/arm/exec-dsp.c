/* cpus/arm/exec-dsp.c — the Armv7E-M DSP extension: SIMD additions and subtractions on
 * halfwords and bytes (modular with GE flags, saturating, halving), saturating arithmetic,
 * SEL, packing, extend-and-add, and the 16-bit and 32x32->64 multiply-accumulate family.
 * Semantics from the ARMv7-M ARM pseudocode; Q is sticky and set only on saturation or on
 * overflow of the accumulations that say so. */
#include "cpus/arm/arm-internal.h"

#define NEXT(c, i) ((c)->pc += (i)->len)

static inline uint32_t ror32(uint32_t v, unsigned n)
{
	n &= 31;
	return n ? (v >> n) | (v << (32 - n)) : v;
}

static inline int32_t lo16(uint32_t v) { return (int16_t)(v & 0xFFFF); }
static inline int32_t hi16(uint32_t v) { return (int16_t)(v >> 16); }
static inline uint32_t ulo16(uint32_t v) { return v & 0xFFFF; }
static inline uint32_t uhi16(uint32_t v) { return v >> 16; }

static inline int64_t sat_s(int64_t v, unsigned n, bool *q)
{
	int64_t hi = ((int64_t)1 << (n - 1)) - 1, lo = -((int64_t)1 << (n - 1));
	if (v > hi) { *q = true; return hi; }
	if (v < lo) { *q = true; return lo; }
	return v;
}

static inline int64_t sat_u(int64_t v, unsigned n, bool *q)
{
	int64_t hi = ((int64_t)1 << n) - 1;
	if (v > hi) { *q = true; return hi; }
	if (v < 0) { *q = true; return 0; }
	return v;
}

/* ---- extend and add ------------------------------------------------------------------------ */

void arm_x_sxtab(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = c->r[i->rn] + (uint32_t)(int32_t)(int8_t)ror32(c->r[i->rm], i->amt);
	NEXT(c, i);
}

void arm_x_sxtah(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = c->r[i->rn] + (uint32_t)(int32_t)(int16_t)ror32(c->r[i->rm], i->amt);
	NEXT(c, i);
}

void arm_x_uxtab(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = c->r[i->rn] + (ror32(c->r[i->rm], i->amt) & 0xFF);
	NEXT(c, i);
}

void arm_x_uxtah(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = c->r[i->rn] + (ror32(c->r[i->rm], i->amt) & 0xFFFF);
	NEXT(c, i);
}

void arm_x_sxtb16(ArmCpu *c, const ArmInsn *i)
{
	uint32_t x = ror32(c->r[i->rm], i->amt);
	c->r[i->rd] = ((uint32_t)(int32_t)(int8_t)x & 0xFFFF) | (uint32_t)(int32_t)(int8_t)(x >> 16) << 16;
	NEXT(c, i);
}

void arm_x_uxtb16(ArmCpu *c, const ArmInsn *i)
{
	c->r[i->rd] = ror32(c->r[i->rm], i->amt) & 0x00FF00FFu;
	NEXT(c, i);
}

void arm_x_sxtab16(ArmCpu *c, const ArmInsn *i)
{
	uint32_t x = ror32(c->r[i->rm], i->amt), n = c->r[i->rn];
	uint32_t lo = (n + (uint32_t)(int32_t)(int8_t)x) & 0xFFFF;
	uint32_t hi = ((n >> 16) + (uint32_t)(int32_t)(int8_t)(x >> 16)) & 0xFFFF;
	c->r[i->rd] = lo | hi << 16;
	NEXT(c, i);
}

void arm_x_uxtab16(ArmCpu *c, const ArmInsn *i)
{
	uint32_t x = ror32(c->r[i->rm], i->amt), n = c->r[i->rn];
	uint32_t lo = (n + (x & 0xFF)) & 0xFFFF, hi = ((n >> 16) + ((x >> 16) & 0xFF)) & 0xFFFF;
	c->r[i->rd] = lo | hi << 16;
	NEXT(c, i);
}

/* ---- parallel add and subtract ------------------------------------------------------------ */

enum { PA_ADD8 = 0, PA_ADD16 = 1, PA_ASX = 2, PA_SUB8 = 4, PA_SUB16 = 5, PA_SAX = 6 };
enum { PK_S = 0, PK_Q = 1, PK_SH = 2, PK_U = 4, PK_UQ = 5, PK_UH = 6 };

/* One lane: a +/- b for `bits`-wide lanes of kind k; *ge receives the GE condition. */
static uint32_t lane(unsigned k, bool sub, uint32_t a, uint32_t b, unsigned bits, bool *ge)
{
	int64_t r;
	bool dummy = false;
	uint32_t mask = (1u << bits) - 1;
	if (k >= PK_U) {
		r = sub ? (int64_t)a - (int64_t)b : (int64_t)a + (int64_t)b;
		*ge = sub ? r >= 0 : r >= ((int64_t)1 << bits);
		switch (k) {
		case PK_UQ: return (uint32_t)sat_u(r, bits, &dummy) & mask;
		case PK_UH: return (uint32_t)(r >> 1) & mask;
		default: return (uint32_t)r & mask;
		}
	}
	{
		int64_t sa = bits == 16 ? (int16_t)a : (int8_t)a, sb = bits == 16 ? (int16_t)b : (int8_t)b;
		r = sub ? sa - sb : sa + sb;
		*ge = r >= 0;
		switch (k) {
		case PK_Q: return (uint32_t)sat_s(r, bits, &dummy) & mask;
		case PK_SH: return (uint32_t)(r >> 1) & mask;
		default: return (uint32_t)r & mask;
		}
	}
}

void arm_x_parallel(ArmCpu *c, const ArmInsn *i)
{
	uint32_t n = c->r[i->rn], m = c->r[i->rm], r = 0, ge = 0;
	unsigned k = i->amt;
	bool g;

	switch (i->sh) {
	case PA_ADD8:
	case PA_SUB8:
		for (unsigned b = 0; b < 4; b++) {
			r |= lane(k, i->sh == PA_SUB8, (n >> (8 * b)) & 0xFF, (m >> (8 * b)) & 0xFF, 8, &g) << (8 * b);
			if (g)
				ge |= 1u << b;
		}
		break;
	case PA_ADD16:
	case PA_SUB16:
		r = lane(k, i->sh == PA_SUB16, ulo16(n), ulo16(m), 16, &g);
		if (g)
			ge |= 3;
		r |= lane(k, i->sh == PA_SUB16, uhi16(n), uhi16(m), 16, &g) << 16;
		if (g)
			ge |= 12;
		break;
	case PA_ASX:
		r = lane(k, true, ulo16(n), uhi16(m), 16, &g);
		if (g)
			ge |= 3;
		r |= lane(k, false, uhi16(n), ulo16(m), 16, &g) << 16;
		if (g)
			ge |= 12;
		break;
	default:    /* SAX */
		r = lane(k, false, ulo16(n), uhi16(m), 16, &g);
		if (g)
			ge |= 3;
		r |= lane(k, true, uhi16(n), ulo16(m), 16, &g) << 16;
		if (g)
			ge |= 12;
		break;
	}
	/* Only the modular forms set GE. */
	if (k == PK_S || k == PK_U)
		c->ge = ge;
	c->r[i->rd] = r;
	NEXT(c, i);
}

/* ---- saturating arithmetic, selection, packing -------------------------------------------------- */

static void sat_result(ArmCpu *c, const ArmInsn *i, int64_t v, bool q)
{
	bool s = false;
	c->r[i->rd] = (uint32_t)sat_s(v, 32, &s);
	if (s || q)
		c->qf = 1;
	NEXT(c, i);
}

void arm_x_qadd(ArmCpu *c, const ArmInsn *i)
{
	sat_result(c, i, (int64_t)(int32_t)c->r[i->rm] + (int32_t)c->r[i->rn], false);
}

void arm_x_qsub(ArmCpu *c, const ArmInsn *i)
{
	sat_result(c, i, (int64_t)(int32_t)c->r[i->rm] - (int32_t)c->r[i->rn], false);
}

void arm_x_qdadd(ArmCpu *c, const ArmInsn *i)
{
	bool q = false;
	int64_t d = sat_s(2 * (int64_t)(int32_t)c->r[i->rn], 32, &q);
	sat_result(c, i, (int64_t)(int32_t)c->r[i->rm] + d, q);
}

void arm_x_qdsub(ArmCpu *c, const ArmInsn *i)
{
	bool q = false;
	int64_t d = sat_s(2 * (int64_t)(int32_t)c->r[i->rn], 32, &q);
	sat_result(c, i, (int64_t)(int32_t)c->r[i->rm] - d, q);
}

void arm_x_sel(ArmCpu *c, const ArmInsn *i)
{
	uint32_t n = c->r[i->rn], m = c->r[i->rm], r = 0;
	for (unsigned b = 0; b < 4; b++)
		r |= ((c->ge >> b) & 1 ? n : m) & (0xFFu << (8 * b));
	c->r[i->rd] = r;
	NEXT(c, i);
}

void arm_x_pkh(ArmCpu *c, const ArmInsn *i)
{
	uint32_t n = c->r[i->rn], m = c->r[i->rm];
	if (i->flags & ARM_IF_X) {
		uint32_t s = i->amt >= 32 ? (uint32_t)((int32_t)m >> 31) : (uint32_t)((int32_t)m >> i->amt);
		c->r[i->rd] = (n & 0xFFFF0000u) | (s & 0xFFFF);
	} else {
		c->r[i->rd] = (n & 0xFFFF) | ((m << i->amt) & 0xFFFF0000u);
	}
	NEXT(c, i);
}

void arm_x_ssat16(ArmCpu *c, const ArmInsn *i)
{
	uint32_t n = c->r[i->rn];
	bool q = false;
	uint32_t lo = (uint32_t)sat_s(lo16(n), i->x, &q) & 0xFFFF, hi = (uint32_t)sat_s(hi16(n), i->x, &q) & 0xFFFF;
	c->r[i->rd] = lo | hi << 16;
	if (q)
		c->qf = 1;
	NEXT(c, i);
}

void arm_x_usat16(ArmCpu *c, const ArmInsn *i)
{
	uint32_t n = c->r[i->rn];
	bool q = false;
	uint32_t lo = (uint32_t)sat_u(lo16(n), i->x, &q) & 0xFFFF, hi = (uint32_t)sat_u(hi16(n), i->x, &q) & 0xFFFF;
	c->r[i->rd] = lo | hi << 16;
	if (q)
		c->qf = 1;
	NEXT(c, i);
}

void arm_x_usada8(ArmCpu *c, const ArmInsn *i)
{
	uint32_t n = c->r[i->rn], m = c->r[i->rm], sum = (i->sh & 1) ? c->r[i->ra] : 0;
	for (unsigned b = 0; b < 4; b++) {
		int d = (int)((n >> (8 * b)) & 0xFF) - (int)((m >> (8 * b)) & 0xFF);
		sum += (uint32_t)(d < 0 ? -d : d);
	}
	c->r[i->rd] = sum;
	NEXT(c, i);
}

/* ---- multiplies ------------------------------------------------------------------------------ */

/* A 32-bit signed accumulation that sets Q when it overflows. */
static uint32_t acc_q(ArmCpu *c, int64_t v)
{
	if (v != (int64_t)(int32_t)v)
		c->qf = 1;
	return (uint32_t)v;
}

void arm_x_smlaxy(ArmCpu *c, const ArmInsn *i)
{
	uint32_t n = c->r[i->rn], m = c->r[i->rm];
	int64_t p = (int64_t)((i->flags & ARM_IF_X) ? hi16(n) : lo16(n)) * ((i->flags & ARM_IF_Y) ? hi16(m) : lo16(m));
	if (i->sh & 1)
		c->r[i->rd] = acc_q(c, p + (int32_t)c->r[i->ra]);
	else
		c->r[i->rd] = (uint32_t)p;
	NEXT(c, i);
}

void arm_x_smlawy(ArmCpu *c, const ArmInsn *i)
{
	uint32_t m = c->r[i->rm];
	int64_t p = ((int64_t)(int32_t)c->r[i->rn] * ((i->flags & ARM_IF_Y) ? hi16(m) : lo16(m))) >> 16;
	if (i->sh & 1)
		c->r[i->rd] = acc_q(c, p + (int32_t)c->r[i->ra]);
	else
		c->r[i->rd] = (uint32_t)p;
	NEXT(c, i);
}

void arm_x_smlad(ArmCpu *c, const ArmInsn *i)
{
	uint32_t n = c->r[i->rn], m = c->r[i->rm];
	int64_t p1, p2, r;
	if (i->flags & ARM_IF_X)
		m = ror32(m, 16);
	p1 = (int64_t)lo16(n) * lo16(m);
	p2 = (int64_t)hi16(n) * hi16(m);
	r = (i->sh & 2) ? p1 - p2 : p1 + p2;
	if (i->sh & 1)
		r += (int32_t)c->r[i->ra];
	c->r[i->rd] = acc_q(c, r);
	NEXT(c, i);
}

void arm_x_smmla(ArmCpu *c, const ArmInsn *i)
{
	int64_t p = (int64_t)(int32_t)c->r[i->rn] * (int32_t)c->r[i->rm];
	uint64_t r;
	if (i->sh & 2)
		r = ((uint64_t)c->r[i->ra] << 32) - (uint64_t)p;
	else if (i->sh & 1)
		r = ((uint64_t)c->r[i->ra] << 32) + (uint64_t)p;
	else
		r = (uint64_t)p;
	if (i->flags & ARM_IF_X)
		r += 0x80000000u;
	c->r[i->rd] = (uint32_t)(r >> 32);
	NEXT(c, i);
}

static inline uint64_t pair(const ArmCpu *c, const ArmInsn *i)
{
	return (uint64_t)c->r[i->ra] << 32 | c->r[i->rd];
}

static inline void set_pair(ArmCpu *c, const ArmInsn *i, uint64_t v)
{
	c->r[i->rd] = (uint32_t)v;
	c->r[i->ra] = (uint32_t)(v >> 32);
}

void arm_x_smlalxy(ArmCpu *c, const ArmInsn *i)
{
	uint32_t n = c->r[i->rn], m = c->r[i->rm];
	int64_t p = (int64_t)((i->flags & ARM_IF_X) ? hi16(n) : lo16(n)) * ((i->flags & ARM_IF_Y) ? hi16(m) : lo16(m));
	set_pair(c, i, pair(c, i) + (uint64_t)p);
	NEXT(c, i);
}

void arm_x_smlald(ArmCpu *c, const ArmInsn *i)
{
	uint32_t n = c->r[i->rn], m = c->r[i->rm];
	int64_t p1, p2;
	if (i->flags & ARM_IF_X)
		m = ror32(m, 16);
	p1 = (int64_t)lo16(n) * lo16(m);
	p2 = (int64_t)hi16(n) * hi16(m);
	set_pair(c, i, pair(c, i) + (uint64_t)((i->sh & 2) ? p1 - p2 : p1 + p2));
	NEXT(c, i);
}

void arm_x_umaal(ArmCpu *c, const ArmInsn *i)
{
	uint64_t r = (uint64_t)c->r[i->rn] * c->r[i->rm] + c->r[i->rd] + c->r[i->ra];
	set_pair(c, i, r);
	NEXT(c, i);
}
