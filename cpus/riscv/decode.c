/* cpus/riscv/decode.c — the encoding table made into a decoder (see decode.h).
 *
 * Words are looked up in small buckets built once from the table: 32-bit words by
 * opcode[6:2] and funct3, compressed ones by funct3 and quadrant. Inside a bucket entries keep
 * table order, so that the more specific of two overlapping entries (c.jr before c.mv) wins
 * when both masks match; format constraints then reject reserved encodings. */
#include "cpus/riscv/decode.h"

#include <glib.h>
#include <string.h>

const RvInsnInfo rv_insn_info[RV_OP_COUNT] = {
	[RV_OP_ILLEGAL] = { "illegal", 0, 0, RV_FMT_NONE, RV_XLB, RV_EXT_I, RV_OP_ILLEGAL },
#define RV_INSN(id, nm, mt, mk, fm, xl, ex, exe) \
	[RV_OP_##id] = { nm, mt, mk, RV_FMT_##fm, xl, RV_EXT_##ex, RV_OP_##exe },
#include "cpus/riscv/insns.def"
#undef RV_INSN
};

#define BUCKET_MAX 16

typedef struct {
	uint8_t n;
	uint8_t ids[BUCKET_MAX];
} Bucket;

static Bucket wide_buckets[256];    /* opcode[6:2] << 3 | funct3 */
static Bucket short_buckets[32];    /* funct3 << 2 | quadrant */

static void bucket_add(Bucket *b, unsigned id)
{
	g_assert(b->n < BUCKET_MAX);
	b->ids[b->n++] = (uint8_t)id;
}

static void build_buckets(void)
{
	G_STATIC_ASSERT(RV_OP_COUNT <= 256);
	for (unsigned id = 1; id < RV_OP_COUNT; id++) {
		const RvInsnInfo *e = &rv_insn_info[id];
		if ((e->match & 3) != 3) {
			/* Compressed masks always cover funct3 and the quadrant. */
			bucket_add(&short_buckets[((e->match >> 13) & 7) << 2 | (e->match & 3)], id);
			continue;
		}
		for (unsigned f3 = 0; f3 < 8; f3++) {
			if ((e->mask & 0x7000) && ((e->match >> 12) & 7) != f3)
				continue;
			bucket_add(&wide_buckets[((e->match >> 2) & 0x1f) << 3 | f3], id);
		}
	}
}

static void ensure_buckets(void)
{
	static gsize done;
	if (g_once_init_enter(&done)) {
		build_buckets();
		g_once_init_leave(&done, 1);
	}
}

/* ---- field extraction -------------------------------------------------------------------- */

static inline int32_t sext(uint32_t v, unsigned bits)
{
	return (int32_t)(v << (32 - bits)) >> (32 - bits);
}

#define RD(w)   (((w) >> 7) & 31)
#define RS1(w)  (((w) >> 15) & 31)
#define RS2(w)  (((w) >> 20) & 31)
#define CRDP(h) (8 + (((h) >> 2) & 7))     /* rd' / rs2' in bits 4:2 */
#define CRS1P(h) (8 + (((h) >> 7) & 7))    /* rs1' / rd' in bits 9:7 */
#define CRS2(h) (((h) >> 2) & 31)

static int32_t imm_b(uint32_t w)
{
	return sext(((w >> 19) & 0x1000) | ((w << 4) & 0x800) | ((w >> 20) & 0x7e0) | ((w >> 7) & 0x1e), 13);
}

static int32_t imm_j(uint32_t w)
{
	return sext(((w >> 11) & 0x100000) | (w & 0xff000) | ((w >> 9) & 0x800) | ((w >> 20) & 0x7fe), 21);
}

static int32_t cimm6(uint32_t h)
{
	return sext(((h >> 7) & 0x20) | ((h >> 2) & 0x1f), 6);
}

static uint32_t cshamt(uint32_t h)
{
	return ((h >> 7) & 0x20) | ((h >> 2) & 0x1f);
}

/* Fill the operands of `d` for entry `id`; false when a format constraint rejects the word. */
static bool extract(unsigned id, uint32_t w, RvDecoded *d)
{
	uint32_t h = w & 0xffff;

	d->rd = d->rs1 = d->rs2 = 0;
	d->imm = 0;
	d->zimm = 0;
	switch ((RvFormat)rv_insn_info[id].fmt) {
	case RV_FMT_NONE:
	case RV_FMT_SYS:
	case RV_FMT_CNONE:
		return true;
	case RV_FMT_R:
		d->rd = RD(w); d->rs1 = RS1(w); d->rs2 = RS2(w);
		return true;
	case RV_FMT_I:
		d->rd = RD(w); d->rs1 = RS1(w); d->imm = (int32_t)w >> 20;
		return true;
	case RV_FMT_ISH5:
		d->rd = RD(w); d->rs1 = RS1(w); d->imm = (w >> 20) & 31;
		return true;
	case RV_FMT_ISH6:
		d->rd = RD(w); d->rs1 = RS1(w); d->imm = (w >> 20) & 63;
		return true;
	case RV_FMT_S:
		d->rs1 = RS1(w); d->rs2 = RS2(w);
		d->imm = ((int32_t)(w & 0xfe000000) >> 20) | (int32_t)((w >> 7) & 0x1f);
		return true;
	case RV_FMT_B:
		d->rs1 = RS1(w); d->rs2 = RS2(w); d->imm = imm_b(w);
		return true;
	case RV_FMT_U:
		d->rd = RD(w); d->imm = (int32_t)(w & 0xfffff000);
		return true;
	case RV_FMT_J:
		d->rd = RD(w); d->imm = imm_j(w);
		return true;
	case RV_FMT_CSR:
	case RV_FMT_FENCE:
		d->rd = RD(w); d->rs1 = RS1(w); d->imm = (int32_t)(w >> 20);
		return true;
	case RV_FMT_CSRI:
		d->rd = RD(w); d->rs1 = RS1(w); d->zimm = RS1(w); d->imm = (int32_t)(w >> 20);
		return true;
	case RV_FMT_SFENCE:
		d->rs1 = RS1(w); d->rs2 = RS2(w);
		return true;
	case RV_FMT_AMO:
		d->rd = RD(w); d->rs1 = RS1(w); d->rs2 = RS2(w); d->imm = (w >> 25) & 3;
		return true;
	case RV_FMT_LR:
		d->rd = RD(w); d->rs1 = RS1(w); d->imm = (w >> 25) & 3;
		return true;

	case RV_FMT_CIW:
		d->rd = CRDP(h); d->rs1 = 2;
		d->imm = ((h >> 7) & 0x30) | ((h >> 1) & 0x3c0) | ((h >> 4) & 0x4) | ((h >> 2) & 0x8);
		return d->imm != 0;
	case RV_FMT_CLW:
		d->rd = CRDP(h); d->rs1 = CRS1P(h);
		d->imm = ((h >> 7) & 0x38) | ((h >> 4) & 0x4) | ((h << 1) & 0x40);
		return true;
	case RV_FMT_CLD:
		d->rd = CRDP(h); d->rs1 = CRS1P(h);
		d->imm = ((h >> 7) & 0x38) | ((h << 1) & 0xc0);
		return true;
	case RV_FMT_CSW:
		d->rs2 = CRDP(h); d->rs1 = CRS1P(h);
		d->imm = ((h >> 7) & 0x38) | ((h >> 4) & 0x4) | ((h << 1) & 0x40);
		return true;
	case RV_FMT_CSD:
		d->rs2 = CRDP(h); d->rs1 = CRS1P(h);
		d->imm = ((h >> 7) & 0x38) | ((h << 1) & 0xc0);
		return true;
	case RV_FMT_CI:
		d->rd = d->rs1 = RD(h); d->imm = cimm6(h);
		return true;
	case RV_FMT_CIW64:
		d->rd = d->rs1 = RD(h); d->imm = cimm6(h);
		return d->rd != 0;
	case RV_FMT_CLI:
		d->rd = RD(h); d->rs1 = 0; d->imm = cimm6(h);
		return true;
	case RV_FMT_C16SP:
		d->rd = d->rs1 = 2;
		d->imm = sext(((h >> 3) & 0x200) | ((h >> 2) & 0x10) | ((h << 1) & 0x40) |
		              ((h << 4) & 0x180) | ((h << 3) & 0x20), 10);
		return d->imm != 0;
	case RV_FMT_CLUI:
		d->rd = RD(h);
		d->imm = sext(((h << 5) & 0x20000) | ((h << 10) & 0x1f000), 18);
		return d->imm != 0 && d->rd != 2;
	case RV_FMT_CSRXI:
		d->rd = d->rs1 = CRS1P(h); d->imm = (int32_t)cshamt(h);
		return true;
	case RV_FMT_CANDI:
		d->rd = d->rs1 = CRS1P(h); d->imm = cimm6(h);
		return true;
	case RV_FMT_CA:
		d->rd = d->rs1 = CRS1P(h); d->rs2 = CRDP(h);
		return true;
	case RV_FMT_CJ:
	case RV_FMT_CJAL:
		d->rd = rv_insn_info[id].fmt == RV_FMT_CJAL ? 1 : 0;
		d->imm = sext(((h >> 1) & 0x800) | ((h >> 7) & 0x10) | ((h >> 1) & 0x300) | ((h << 2) & 0x400) |
		              ((h >> 1) & 0x40) | ((h << 1) & 0x80) | ((h >> 2) & 0xe) | ((h << 3) & 0x20), 12);
		return true;
	case RV_FMT_CB:
		d->rs1 = CRS1P(h); d->rs2 = 0;
		d->imm = sext(((h >> 4) & 0x100) | ((h >> 7) & 0x18) | ((h << 1) & 0xc0) | ((h >> 2) & 0x6) |
		              ((h << 3) & 0x20), 9);
		return true;
	case RV_FMT_CSLLI:
		d->rd = d->rs1 = RD(h); d->imm = (int32_t)cshamt(h);
		return true;
	case RV_FMT_CLWSP:
		d->rd = RD(h); d->rs1 = 2;
		d->imm = ((h >> 7) & 0x20) | ((h >> 2) & 0x1c) | ((h << 4) & 0xc0);
		return d->rd != 0;
	case RV_FMT_CLDSP:
		d->rd = RD(h); d->rs1 = 2;
		d->imm = ((h >> 7) & 0x20) | ((h >> 2) & 0x18) | ((h << 4) & 0x1c0);
		return d->rd != 0;
	case RV_FMT_CJR:
	case RV_FMT_CJALR:
		d->rd = rv_insn_info[id].fmt == RV_FMT_CJALR ? 1 : 0;
		d->rs1 = RD(h);
		return d->rs1 != 0;
	case RV_FMT_CMV:
		d->rd = RD(h); d->rs1 = 0; d->rs2 = CRS2(h);
		return d->rs2 != 0;
	case RV_FMT_CADD:
		d->rd = d->rs1 = RD(h); d->rs2 = CRS2(h);
		return d->rs2 != 0;
	case RV_FMT_CSWSP:
		d->rs1 = 2; d->rs2 = CRS2(h);
		d->imm = ((h >> 7) & 0x3c) | ((h >> 1) & 0xc0);
		return true;
	case RV_FMT_CSDSP:
		d->rs1 = 2; d->rs2 = CRS2(h);
		d->imm = ((h >> 7) & 0x38) | ((h >> 1) & 0x1c0);
		return true;
	}
	return false;
}

static inline bool xlen_ok(const RvInsnInfo *e, unsigned xlen)
{
	return (e->xlen & (xlen == 64 ? RV_XL64 : RV_XL32)) != 0;
}

bool rv_entry_accepts(unsigned id, uint32_t raw, unsigned xlen)
{
	RvDecoded d;
	const RvInsnInfo *e;

	if (id == RV_OP_ILLEGAL || id >= RV_OP_COUNT)
		return false;
	e = &rv_insn_info[id];
	if ((e->match & 3) != 3)
		raw &= 0xffff;
	return (raw & e->mask) == e->match && xlen_ok(e, xlen) && extract(id, raw, &d);
}

bool rv_decode(uint32_t raw, unsigned xlen, unsigned ext, RvDecoded *d)
{
	const Bucket *b;

	ensure_buckets();
	if ((raw & 3) != 3) {
		raw &= 0xffff;
		d->len = 2;
		b = &short_buckets[((raw >> 13) & 7) << 2 | (raw & 3)];
	} else {
		d->len = 4;
		b = &wide_buckets[((raw >> 2) & 0x1f) << 3 | ((raw >> 12) & 7)];
	}
	d->raw = raw;
	for (unsigned i = 0; i < b->n; i++) {
		unsigned id = b->ids[i];
		const RvInsnInfo *e = &rv_insn_info[id];
		if ((raw & e->mask) != e->match || !xlen_ok(e, xlen) || !(e->ext & ext))
			continue;
		if (!extract(id, raw, d))
			continue;
		d->id = (uint16_t)id;
		d->exec = e->exec;
		return true;
	}
	d->id = d->exec = RV_OP_ILLEGAL;
	d->rd = d->rs1 = d->rs2 = 0;
	d->imm = 0;
	d->zimm = 0;
	return false;
}
