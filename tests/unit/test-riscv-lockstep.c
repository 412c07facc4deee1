/* tests/unit/test-riscv-lockstep.c — socemu's RISC-V harts in lockstep with libunicorn.
 *
 * Random and directed instruction streams (RV32 and RV64; I, M, A, C; user-level integer code
 * with loads and stores confined to a data region) run in unicorn and in a socemu hart built
 * from a cpu node. Phase 1 steps the hart one instruction at a time from unicorn's code hook
 * and compares every register, the pc and the bytes unicorn wrote after every instruction.
 * Phase 2 runs the same stream again on a fresh hart through the normal block path in random
 * budget slices (truncated blocks, chained blocks, loops) and compares the final registers and
 * the whole data region. Seeds are fixed and printed; RV_LOCKSTEP_SEED tries others,
 * RV_LOCKSTEP_INSNS changes the number of instructions per width (default 1000000) and
 * RV_LOCKSTEP_DUMP=1 lists the generated code around a mismatch.
 *
 * Known reference deviations, kept out of the streams (so any mismatch is a real one):
 * - LR/SC: unicorn (QEMU) lets SC succeed when the reserved word still holds the value LR
 *   read; socemu keeps a reservation that other harts' and devices' writes break. Streams
 *   never store between an LR and its SC.
 * - Counters (cycle, time, instret) differ by design and are not read; no CSR or system
 *   instruction is generated (the privileged tests cover those).
 * - Misaligned AMO/LR/SC trap in both, but traps end a unicorn run: they are not generated.
 * - unicorn 2.0.1 (QEMU 5) gets RV64 amomin.w/amomax.w/amominu.w/amomaxu.w wrong: it compares
 *   64-bit values (the memory word zero-extended, rs2 whole) where the spec (and socemu)
 *   compare 32-bit ones. Those four are not generated for RV64; test-riscv-hart checks them
 *   against known answers. */
#include "tests/riscv/harness.h"
#include "tests/riscv/rv-asm.h"
#include "cpus/riscv/decode.h"

#include <glib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#define CODE_BASE 0x10000u
#define CODE_SIZE 0x40000u
#define DATA_BASE 0x80000u
#define DATA_SIZE 0x10000u
#define MEM_BASE CODE_BASE
#define MEM_SIZE (DATA_BASE + DATA_SIZE - CODE_BASE)
#define GROUPS_PER_STREAM 2400
#define DEFAULT_SEED 20240601u

/* Hosts where cpus/riscv/jit.c compiles blocks (elsewhere the compiled run interprets too). */
#if defined(__x86_64__) && defined(__linux__)
static const bool jit_host = true;
#else
static const bool jit_host = false;
#endif

/* ---- stream generation --------------------------------------------------------------------- */

enum { FIX_B, FIX_CB, FIX_J, FIX_CJ, FIX_LI };

typedef struct {
	unsigned kind;
	unsigned insn;          /* index of the instruction to patch (FIX_LI: the lui) */
	unsigned group;         /* target group */
	int32_t imm;            /* FIX_LI: the jalr offset to subtract */
} Fixup;

typedef struct {
	unsigned xlen;
	GRand *r;
	GByteArray *code;
	GArray *insn_off;       /* uint32_t per instruction */
	GArray *group_start;    /* uint32_t instruction index per group */
	GArray *fix;
	uint32_t forbid;        /* registers no instruction may write */
	GArray *alu, *load, *store, *amo, *branch, *jump;   /* table ids usable for this XLEN */
} Gen;

static unsigned rnd(Gen *g, unsigned n)
{
	return n ? (unsigned)g_rand_int_range(g->r, 0, (gint32)n) : 0;
}

static void emit(Gen *g, uint32_t raw)
{
	uint32_t off = g->code->len;
	unsigned len = (raw & 3) == 3 ? 4 : 2;
	g_array_append_val(g->insn_off, off);
	g_byte_array_append(g->code, (const guint8 *)&raw, len);
}

static void group_begin(Gen *g)
{
	uint32_t idx = g->insn_off->len;
	g_array_append_val(g->group_start, idx);
}

static bool is_compressed(unsigned id)
{
	return (rv_insn_info[id].match & 3) != 3;
}

/* A random word accepted by entry `id` whose written register is allowed. */
static bool fill(Gen *g, unsigned id, uint32_t *raw, RvDecoded *d)
{
	const RvInsnInfo *e = &rv_insn_info[id];
	for (unsigned tries = 0; tries < 200; tries++) {
		uint32_t w = (g_rand_int(g->r) & ~e->mask) | e->match;
		if (is_compressed(id))
			w &= 0xffff;
		if (!rv_entry_accepts(id, w, g->xlen) || !rv_decode(w, g->xlen, RV_EXT_ALL, d) || d->id != id)
			continue;
		if (d->rd && (g->forbid & (1u << d->rd)))
			continue;
		*raw = w;
		return true;
	}
	return false;
}

static void emit_li(Gen *g, unsigned rd, uint32_t v)
{
	uint32_t hi = (v + 0x800) >> 12;
	int32_t lo = (int32_t)(v - (hi << 12));
	emit(g, RVA_LUI(rd, hi & 0xfffff));
	emit(g, RVA_ADDI(rd, rd, lo));
}

static unsigned free_reg(Gen *g, bool allow_zero)
{
	for (;;) {
		unsigned r = rnd(g, 32);
		if ((r || allow_zero) && !(g->forbid & (1u << r)))
			return r;
	}
}

static void gen_alu(Gen *g)
{
	uint32_t raw;
	RvDecoded d;
	unsigned id;

	do
		id = g_array_index(g->alu, unsigned, rnd(g, g->alu->len));
	while (!fill(g, id, &raw, &d));
	if (d.exec == RV_OP_FENCE)
		raw = rnd(g, 2) ? 0x0ff0000fu : 0x8330000fu;
	if (d.exec == RV_OP_FENCE_I)
		raw = RVA_FENCE_I;
	emit(g, raw);
}

/* A load, store or AMO whose address lands in the data region. */
static void gen_mem(Gen *g, GArray *ids, bool aligned_only)
{
	for (;;) {
		unsigned id = g_array_index(ids, unsigned, rnd(g, ids->len));
		unsigned size;
		uint32_t raw, off, target;
		RvDecoded d;

		if (!fill(g, id, &raw, &d) || d.rs1 == 0 || (g->forbid & (1u << d.rs1)))
			continue;
		/* See the deviations above: unicorn's RV64 amo{min,max}[u].w are not the spec's. */
		if (g->xlen == 64 && d.exec >= RV_OP_AMOMIN_W && d.exec <= RV_OP_AMOMAXU_W)
			continue;
		switch (d.exec) {
		case RV_OP_LB: case RV_OP_LBU: case RV_OP_SB: size = 1; break;
		case RV_OP_LH: case RV_OP_LHU: case RV_OP_SH: size = 2; break;
		case RV_OP_LD: case RV_OP_SD: size = 8; break;
		default: size = (d.exec >= RV_OP_LR_D && d.exec <= RV_OP_AMOMAXU_D) ? 8 : 4; break;
		}
		off = 64 + rnd(g, DATA_SIZE - 128);
		if (aligned_only || rnd(g, 8))
			off &= ~(size - 1);
		target = DATA_BASE + off;
		/* AMOs carry aq/rl, not an offset, in imm. */
		emit_li(g, d.rs1, target - (rv_insn_info[id].fmt == RV_FMT_AMO ? 0 : (uint32_t)d.imm));
		emit(g, raw);
		return;
	}
}

static void gen_lrsc(Gen *g)
{
	unsigned size = (g->xlen == 64 && rnd(g, 2)) ? 8 : 4;
	unsigned base = free_reg(g, false), rd, rs2;
	uint32_t off = (64 + rnd(g, DATA_SIZE - 128)) & ~(size - 1);
	uint32_t saved = g->forbid;
	uint32_t f3 = size == 8 ? 3 : 2;
	uint32_t aqrl = rnd(g, 4) << 25;

	emit_li(g, base, DATA_BASE + off);
	g->forbid |= 1u << base;
	rd = free_reg(g, true);
	emit(g, rva_r(0x08, 0, base, f3, rd, 0x2f) | aqrl);
	g->forbid |= 1u << base;
	for (unsigned k = rnd(g, 3); k > 0; k--)
		gen_alu(g);
	if (!rnd(g, 5)) {
		uint32_t other = (64 + rnd(g, DATA_SIZE - 128)) & ~(size - 1);
		emit_li(g, base, DATA_BASE + other);
	}
	rs2 = rnd(g, 32);
	rd = free_reg(g, true);
	emit(g, rva_r(0x0c, rs2, base, f3, rd, 0x2f) | ((uint32_t)rnd(g, 4) << 25));
	g->forbid = saved;
}

static void add_fix(Gen *g, unsigned kind, unsigned insn, int32_t imm)
{
	unsigned groups = g->group_start->len;
	Fixup f = { kind, insn, groups + rnd(g, 6), imm };   /* a later group: its start follows */
	g_array_append_val(g->fix, f);
}

static void gen_branch(Gen *g)
{
	unsigned id = g_array_index(g->branch, unsigned, rnd(g, g->branch->len));
	uint32_t raw;
	RvDecoded d;
	while (!fill(g, id, &raw, &d))
		;
	emit(g, raw);
	add_fix(g, is_compressed(id) ? FIX_CB : FIX_B, g->insn_off->len - 1, 0);
}

static void gen_jump(Gen *g)
{
	unsigned id = g_array_index(g->jump, unsigned, rnd(g, g->jump->len));
	uint32_t raw;
	RvDecoded d;

	if (!fill(g, id, &raw, &d))
		return;
	if (d.exec == RV_OP_JAL) {
		emit(g, raw);
		add_fix(g, is_compressed(id) ? FIX_CJ : FIX_J, g->insn_off->len - 1, 0);
		return;
	}
	/* jalr / c.jr / c.jalr: load the target into rs1 first. */
	if (d.rs1 == 0 || (g->forbid & (1u << d.rs1)))
		return;
	emit_li(g, d.rs1, 0);
	emit(g, raw);
	add_fix(g, FIX_LI, g->insn_off->len - 3, d.imm);
}

static const uint32_t specials[] = {
	0, 1, 2, 0xffffffffu, 0x7fffffffu, 0x80000000u, 0x80000001u, 0xfffffffeu, 31, 32, 33, 63, 64,
	0x0000ffffu, 0xffff0000u, 0x12345678u, 0xdeadbeefu,
};

static void gen_special(Gen *g)
{
	unsigned r = free_reg(g, false);
	emit_li(g, r, specials[rnd(g, G_N_ELEMENTS(specials))]);
	if (g->xlen == 64 && rnd(g, 2)) {
		static const unsigned shifts[] = { 1, 16, 31, 32, 33, 62, 63 };
		emit(g, RVA_SLLI(r, r, shifts[rnd(g, G_N_ELEMENTS(shifts))]));
	}
}

/* Corner cases of M and the word operations, on special values. */
static void gen_directed(Gen *g)
{
	static const uint32_t ops64[] = { 0x0200003b, 0x0200403b, 0x0200503b, 0x0200603b, 0x0200703b,
	                                  0x0000003b, 0x4000003b, 0x0000103b, 0x0000503b, 0x4000503b };
	static const uint32_t ops[] = { 0x02000033, 0x02001033, 0x02002033, 0x02003033, 0x02004033,
	                                0x02005033, 0x02006033, 0x02007033, 0x00001033, 0x00005033,
	                                0x40005033, 0x00002033, 0x00003033 };
	unsigned a = free_reg(g, false), b = free_reg(g, true), rd = free_reg(g, true);
	uint32_t op;
	emit_li(g, a, specials[rnd(g, G_N_ELEMENTS(specials))]);
	if (b)
		emit_li(g, b, specials[rnd(g, G_N_ELEMENTS(specials))]);
	if (g->xlen == 64 && rnd(g, 2))
		op = ops64[rnd(g, G_N_ELEMENTS(ops64))];
	else
		op = ops[rnd(g, G_N_ELEMENTS(ops))];
	emit(g, op | (b << 20) | (a << 15) | (rd << 7));
}

static void gen_group(Gen *g, bool in_loop);

/* A counted loop: repeated execution through the block cache and its transfers. */
static void gen_loop(Gen *g)
{
	unsigned rc = free_reg(g, false);
	uint32_t saved = g->forbid, body;
	unsigned n = 2 + rnd(g, 12);

	emit(g, RVA_ADDI(rc, 0, (int32_t)n));
	g->forbid |= 1u << rc;
	body = g->code->len;
	for (unsigned k = 2 + rnd(g, 6); k > 0; k--)
		gen_group(g, true);
	emit(g, RVA_ADDI(rc, rc, -1));
	emit(g, RVA_BNE(rc, 0, (int32_t)body - (int32_t)g->code->len));
	g->forbid = saved;
}

static void gen_group(Gen *g, bool in_loop)
{
	unsigned k = rnd(g, 100);
	if (!in_loop)
		group_begin(g);
	if (k < 45)
		gen_alu(g);
	else if (k < 58)
		gen_mem(g, g->load, false);
	else if (k < 68)
		gen_mem(g, g->store, false);
	else if (k < 73)
		gen_mem(g, g->amo, true);
	else if (k < 76)
		gen_lrsc(g);
	else if (k < 81)
		gen_special(g);
	else if (k < 86)
		gen_directed(g);
	else if (in_loop)
		gen_alu(g);
	else if (k < 93)
		gen_branch(g);
	else if (k < 97)
		gen_jump(g);
	else
		gen_loop(g);
}

static void encode_target(Gen *g, const Fixup *f, uint32_t target_off)
{
	uint32_t at = g_array_index(g->insn_off, uint32_t, f->insn);
	int32_t off = (int32_t)target_off - (int32_t)at;
	uint32_t u = (uint32_t)off, raw = 0;
	uint16_t h;

	switch (f->kind) {
	case FIX_B:
		memcpy(&raw, g->code->data + at, 4);
		raw = (raw & 0x01fff07fu) | (rva_b(off, 0, 0, 0) & ~0x01fff07fu);
		memcpy(g->code->data + at, &raw, 4);
		break;
	case FIX_J:
		memcpy(&raw, g->code->data + at, 4);
		raw = (raw & 0xfffu) | (rva_j(off, 0) & ~0xfffu);
		memcpy(g->code->data + at, &raw, 4);
		break;
	case FIX_CB:
		memcpy(&h, g->code->data + at, 2);
		h = (uint16_t)((h & 0xe383u) | (((u >> 8) & 1) << 12) | (((u >> 3) & 3) << 10) |
		               (((u >> 6) & 3) << 5) | (((u >> 1) & 3) << 3) | (((u >> 5) & 1) << 2));
		memcpy(g->code->data + at, &h, 2);
		break;
	case FIX_CJ:
		memcpy(&h, g->code->data + at, 2);
		h = (uint16_t)((h & 0xe003u) | (((u >> 11) & 1) << 12) | (((u >> 4) & 1) << 11) |
		               (((u >> 8) & 3) << 9) | (((u >> 10) & 1) << 8) | (((u >> 6) & 1) << 7) |
		               (((u >> 7) & 1) << 6) | (((u >> 1) & 7) << 3) | (((u >> 5) & 1) << 2));
		memcpy(g->code->data + at, &h, 2);
		break;
	default: {   /* FIX_LI: lui + addi of the absolute target minus the jalr offset */
		uint32_t v = CODE_BASE + target_off - (uint32_t)f->imm;
		uint32_t hi = (v + 0x800) >> 12, w[2], rd;
		memcpy(&raw, g->code->data + at, 4);
		rd = (raw >> 7) & 31;
		w[0] = RVA_LUI(rd, hi & 0xfffff);
		w[1] = RVA_ADDI(rd, rd, (int32_t)(v - (hi << 12)));
		memcpy(g->code->data + at, w, 8);
		break;
	}
	}
}

static void patch(Gen *g)
{
	for (guint i = 0; i < g->fix->len; i++) {
		Fixup *f = &g_array_index(g->fix, Fixup, i);
		uint32_t at = g_array_index(g->insn_off, uint32_t, f->insn), target;
		uint32_t next = at + (f->kind == FIX_CB || f->kind == FIX_CJ ? 2 : 4);
		int32_t range = f->kind == FIX_CB ? 254 : f->kind == FIX_CJ ? 2046 : 4094;
		RvDecoded d;
		if (f->kind == FIX_LI) {
			uint32_t j = g_array_index(g->insn_off, uint32_t, f->insn + 2);
			next = j + ((g->code->data[j] & 3) == 3 ? 4 : 2);
		}
		target = f->group < g->group_start->len
		         ? g_array_index(g->insn_off, uint32_t, g_array_index(g->group_start, uint32_t, f->group))
		         : g->code->len;
		if (target < next)
			target = next;   /* the group ended up empty: fall through */
		if (f->kind != FIX_LI && (int32_t)(target - at) > range)
			target = next;
		encode_target(g, f, target);
		if (f->kind != FIX_LI) {
			uint32_t raw = 0;
			memcpy(&raw, g->code->data + at, f->kind == FIX_CB || f->kind == FIX_CJ ? 2 : 4);
			g_assert_true(rv_decode(raw, g->xlen, RV_EXT_ALL, &d));
			g_assert_cmpint(d.imm, ==, (int32_t)(target - at));
		}
	}
}

static GArray *ids_where(unsigned xlen, bool (*pred)(unsigned exec, unsigned id))
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(unsigned));
	for (unsigned id = 1; id < RV_OP_COUNT; id++) {
		const RvInsnInfo *e = &rv_insn_info[id];
		if (!(e->xlen & (xlen == 64 ? RV_XL64 : RV_XL32)) || e->exec == RV_OP_ILLEGAL)
			continue;
		if (pred(e->exec, id))
			g_array_append_val(a, id);
	}
	return a;
}

static bool pred_alu(unsigned x, unsigned id)
{
	(void)id;
	return (x >= RV_OP_LUI && x <= RV_OP_AUIPC) || (x >= RV_OP_ADDI && x <= RV_OP_AND) ||
	       (x >= RV_OP_ADDIW && x <= RV_OP_SRAW) || (x >= RV_OP_MUL && x <= RV_OP_REMUW) ||
	       x == RV_OP_FENCE || x == RV_OP_FENCE_I;
}

static bool pred_load(unsigned x, unsigned id)
{
	(void)id;
	return x == RV_OP_LB || x == RV_OP_LH || x == RV_OP_LW || x == RV_OP_LD || x == RV_OP_LBU ||
	       x == RV_OP_LHU || x == RV_OP_LWU;
}

static bool pred_store(unsigned x, unsigned id)
{
	(void)id;
	return x == RV_OP_SB || x == RV_OP_SH || x == RV_OP_SW || x == RV_OP_SD;
}

static bool pred_amo(unsigned x, unsigned id)
{
	(void)id;
	return (x >= RV_OP_AMOSWAP_W && x <= RV_OP_AMOMAXU_W) || (x >= RV_OP_AMOSWAP_D && x <= RV_OP_AMOMAXU_D);
}

static bool pred_branch(unsigned x, unsigned id)
{
	(void)id;
	return x >= RV_OP_BEQ && x <= RV_OP_BGEU;
}

static bool pred_jump(unsigned x, unsigned id)
{
	(void)id;
	return x == RV_OP_JAL || x == RV_OP_JALR;
}

static Gen *gen_new(unsigned xlen, uint32_t seed)
{
	Gen *g = g_new0(Gen, 1);
	g->xlen = xlen;
	g->r = g_rand_new_with_seed(seed);
	g->code = g_byte_array_new();
	g->insn_off = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	g->group_start = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	g->fix = g_array_new(FALSE, FALSE, sizeof(Fixup));
	g->alu = ids_where(xlen, pred_alu);
	g->load = ids_where(xlen, pred_load);
	g->store = ids_where(xlen, pred_store);
	g->amo = ids_where(xlen, pred_amo);
	g->branch = ids_where(xlen, pred_branch);
	g->jump = ids_where(xlen, pred_jump);
	return g;
}

static void gen_free(Gen *g)
{
	g_rand_free(g->r);
	g_byte_array_free(g->code, TRUE);
	g_array_free(g->insn_off, TRUE);
	g_array_free(g->group_start, TRUE);
	g_array_free(g->fix, TRUE);
	g_array_free(g->alu, TRUE);
	g_array_free(g->load, TRUE);
	g_array_free(g->store, TRUE);
	g_array_free(g->amo, TRUE);
	g_array_free(g->branch, TRUE);
	g_array_free(g->jump, TRUE);
	g_free(g);
}

/* ---- lockstep ------------------------------------------------------------------------------- */

typedef struct {
	uint64_t addr;
	unsigned size;
} Write;

typedef struct {
	uc_engine *uc;
	RvtEnv *env;
	SocCpu *cpu;
	unsigned xlen;
	uint64_t count;
	GArray *writes;
	GString *failure;
	uint64_t last_pc;       /* address of the instruction unicorn runs now */
} Lock;

static uint64_t xmask(unsigned xlen)
{
	return xlen == 32 ? 0xffffffffull : UINT64_MAX;
}

static void read_uc_regs(uc_engine *uc, uint64_t r[32])
{
	int ids[32];
	void *ptrs[32];
	for (int i = 0; i < 32; i++) {
		ids[i] = UC_RISCV_REG_X0 + i;
		ptrs[i] = &r[i];
		r[i] = 0;
	}
	g_assert_cmpint(uc_reg_read_batch(uc, ids, ptrs, 32), ==, UC_ERR_OK);
}

static void describe(Lock *l, uint64_t pc)
{
	char text[96] = "?";
	uint32_t raw = 0;
	if (pc >= CODE_BASE && pc + 4 <= CODE_BASE + CODE_SIZE) {
		soc_as_read_bytes(l->env->as, pc, &raw, 4, NULL);
		rv_disas(l->xlen, pc, raw, text, sizeof(text));
	}
	g_string_append_printf(l->failure, " (instruction %" G_GUINT64_FORMAT " at 0x%" G_GINT64_MODIFIER "x: %s)",
	                       l->count, pc, text);
}

/* Compare after socemu ran the instruction unicorn ran before reaching `uc_pc`. */
static bool compare(Lock *l, uint64_t uc_pc, uint64_t prev_pc)
{
	uint64_t r[32], m = xmask(l->xlen);
	uint64_t pc = l->cpu->cls->get_pc(l->cpu);

	read_uc_regs(l->uc, r);
	if (pc != (uc_pc & m)) {
		g_string_append_printf(l->failure, "pc 0x%" G_GINT64_MODIFIER "x, unicorn 0x%" G_GINT64_MODIFIER "x",
		                       pc, uc_pc);
		describe(l, prev_pc);
		return false;
	}
	for (unsigned i = 1; i < 32; i++) {
		uint64_t mine = soc_riscv_get_xreg(l->cpu, i);
		if (mine != (r[i] & m)) {
			g_string_append_printf(l->failure, "x%u 0x%" G_GINT64_MODIFIER "x, unicorn 0x%" G_GINT64_MODIFIER "x",
			                       i, mine, r[i] & m);
			describe(l, prev_pc);
			return false;
		}
	}
	for (guint i = 0; i < l->writes->len; i++) {
		Write *w = &g_array_index(l->writes, Write, i);
		uint8_t a[8] = { 0 }, b[8] = { 0 };
		g_assert_cmpint(uc_mem_read(l->uc, w->addr, a, w->size), ==, UC_ERR_OK);
		g_assert_true(soc_as_read_bytes(l->env->as, w->addr, b, w->size, NULL));
		if (memcmp(a, b, w->size)) {
			uint64_t va = 0, vb = 0;
			memcpy(&va, a, w->size);
			memcpy(&vb, b, w->size);
			g_string_append_printf(l->failure, "memory at 0x%" G_GINT64_MODIFIER "x: 0x%" G_GINT64_MODIFIER
			                       "x, unicorn 0x%" G_GINT64_MODIFIER "x", w->addr, vb, va);
			describe(l, prev_pc);
			return false;
		}
	}
	g_array_set_size(l->writes, 0);
	return true;
}

static void hook_code(uc_engine *uc, uint64_t addr, uint32_t size, void *opaque)
{
	Lock *l = opaque;
	(void)size;
	if (l->failure->len) {
		uc_emu_stop(uc);
		return;
	}
	if (l->count > 0) {
		uint64_t prev = l->cpu->cls->get_pc(l->cpu);
		if (rvt_run(l->cpu, 1) != 1) {
			g_string_append_printf(l->failure, "socemu did not complete the instruction");
			describe(l, prev);
		} else {
			compare(l, addr, prev);
		}
		if (l->failure->len) {
			uc_emu_stop(uc);
			return;
		}
	}
	l->count++;
	l->last_pc = addr;
}

static void hook_write(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void *opaque)
{
	Lock *l = opaque;
	Write w = { addr, (unsigned)size };
	(void)uc; (void)type; (void)value;
	g_array_append_val(l->writes, w);
}

static RvtEnv *make_env(unsigned xlen, const uint8_t *code, size_t code_len, const uint8_t *data,
                        const uint64_t regs[32])
{
	RvtHartSpec spec = {
		.isa = xlen == 64 ? "rv64imac_zicsr_zifencei" : "rv32imac_zicsr_zifencei",
		.reset_vector = CODE_BASE,
	};
	RvtEnv *env = rvt_env_new(MEM_BASE, MEM_SIZE);
	rvt_env_set_harts(env, &spec, 1);
	g_assert_true(soc_as_write_bytes(env->as, CODE_BASE, code, code_len, NULL));
	g_assert_true(soc_as_write_bytes(env->as, DATA_BASE, data, DATA_SIZE, NULL));
	for (unsigned i = 1; i < 32; i++)
		soc_riscv_set_xreg(env->harts[0], i, regs[i]);
	return env;
}

/* One stream; returns the number of instructions compared, 0 after a mismatch. */
static uint64_t run_stream(unsigned xlen, uint32_t seed, unsigned index)
{
	Gen *g = gen_new(xlen, seed);
	uint8_t *data = g_malloc(DATA_SIZE);
	uint64_t regs[32] = { 0 }, r[32];
	uc_engine *uc;
	uc_hook hc, hw;
	uc_err e;
	Lock l = { 0 };
	uint64_t end, executed = 0;
	RvtEnv *env2;

	while (g->group_start->len < GROUPS_PER_STREAM && g->code->len < CODE_SIZE - 4096)
		gen_group(g, false);
	patch(g);
	for (unsigned i = 0; i < DATA_SIZE; i++)
		data[i] = (uint8_t)g_rand_int(g->r);
	for (unsigned i = 1; i < 32; i++)
		regs[i] = ((uint64_t)g_rand_int(g->r) << 32 | g_rand_int(g->r)) & xmask(xlen);
	end = CODE_BASE + g->code->len;

	g_assert_cmpint(uc_open(UC_ARCH_RISCV, xlen == 64 ? UC_MODE_RISCV64 : UC_MODE_RISCV32, &uc), ==, UC_ERR_OK);
	g_assert_cmpint(uc_mem_map(uc, MEM_BASE, MEM_SIZE, UC_PROT_ALL), ==, UC_ERR_OK);
	g_assert_cmpint(uc_mem_write(uc, CODE_BASE, g->code->data, g->code->len), ==, UC_ERR_OK);
	g_assert_cmpint(uc_mem_write(uc, DATA_BASE, data, DATA_SIZE), ==, UC_ERR_OK);
	for (int i = 1; i < 32; i++)
		g_assert_cmpint(uc_reg_write(uc, UC_RISCV_REG_X0 + i, &regs[i]), ==, UC_ERR_OK);

	/* Phase 1: instruction by instruction. */
	l.uc = uc;
	l.xlen = xlen;
	l.env = make_env(xlen, g->code->data, g->code->len, data, regs);
	l.cpu = l.env->harts[0];
	l.writes = g_array_new(FALSE, FALSE, sizeof(Write));
	l.failure = g_string_new(NULL);
	g_assert_cmpint(uc_hook_add(uc, &hc, UC_HOOK_CODE, hook_code, &l, 1, 0), ==, UC_ERR_OK);
	g_assert_cmpint(uc_hook_add(uc, &hw, UC_HOOK_MEM_WRITE, hook_write, &l, 1, 0), ==, UC_ERR_OK);
	e = uc_emu_start(uc, CODE_BASE, end, 0, 0);
	if (!l.failure->len && e != UC_ERR_OK) {
		uint64_t upc = 0;
		uc_reg_read(uc, UC_RISCV_REG_PC, &upc);
		g_string_append_printf(l.failure, "unicorn stopped: %s", uc_strerror(e));
		describe(&l, l.last_pc);
		{
			uint32_t w = 0;
			uc_mem_read(uc, l.last_pc, &w, 4);
			g_string_append_printf(l.failure, ", unicorn pc 0x%" G_GINT64_MODIFIER "x, unicorn's word 0x%08x, generated 0x%08x",
			                       upc, w, *(uint32_t *)(g->code->data + (l.last_pc - CODE_BASE)));
			if (g_getenv("RV_LOCKSTEP_DUMP"))
				for (guint k = 0; k < g->insn_off->len; k++) {
					uint32_t o = g_array_index(g->insn_off, uint32_t, k), raw = 0;
					char t[96];
					if (o + CODE_BASE + 40 < l.last_pc || o + CODE_BASE > l.last_pc + 8)
						continue;
					memcpy(&raw, g->code->data + o, 4);
					rv_disas(xlen, CODE_BASE + o, raw, t, sizeof(t));
					g_test_message("  %05x: %08x %s", CODE_BASE + o, raw, t);
				}
		}
	}
	if (!l.failure->len) {
		uint64_t prev = l.cpu->cls->get_pc(l.cpu);
		if (rvt_run(l.cpu, 1) != 1)
			g_string_append_printf(l.failure, "socemu did not complete the last instruction");
		else
			compare(&l, end, prev);
	}
	executed = l.count;

	/* Phase 2: the same stream through the block cache, in random slices: once interpreted,
	 * once with every block compiled to host code on its first entry (jit.c). */
	for (unsigned mode = 0; mode < 2 && !l.failure->len; mode++) {
		uint64_t left = executed;
		SocCpu *cpu;
		char *logbuf = NULL;
		size_t loglen = 0;
		FILE *logf = open_memstream(&logbuf, &loglen);
		g_setenv("SOCEMU_JIT", mode ? "1" : "off", TRUE);
		env2 = make_env(xlen, g->code->data, g->code->len, data, regs);
		cpu = env2->harts[0];
		soc_log_set_categories(env2->log, "int", NULL);
		soc_log_set_stream(env2->log, logf);
		while (left) {
			uint64_t want = 1 + (uint64_t)g_rand_int_range(g->r, 0, rnd(g, 4) ? 5000 : 7);
			uint64_t slice = MIN(left, want);
			uint64_t done = rvt_run(cpu, slice);
			if (done != slice) {
				uint64_t mcause = 0, mepc = 0, mtval = 0;
				soc_riscv_read_csr(cpu, 0x342, &mcause);
				soc_riscv_read_csr(cpu, 0x341, &mepc);
				soc_riscv_read_csr(cpu, 0x343, &mtval);
				g_string_append_printf(l.failure, "block run: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
				                       " instructions done at pc 0x%" G_GINT64_MODIFIER "x, after %"
				                       G_GUINT64_FORMAT ", mcause %" G_GUINT64_FORMAT " mepc 0x%"
				                       G_GINT64_MODIFIER "x mtval 0x%" G_GINT64_MODIFIER "x",
				                       done, slice, cpu->cls->get_pc(cpu), executed - left, mcause, mepc, mtval);
				describe(&l, mepc);
				if (g_getenv("RV_LOCKSTEP_DUMP")) {
					uint64_t first = 0;
					fflush(logf);
					sscanf(strstr(logbuf ? logbuf : "", "at pc 0x") ? strstr(logbuf, "at pc 0x") + 6 : "0", "%" G_GINT64_MODIFIER "x", &first);
					for (guint k = 0; k < g->insn_off->len; k++) {
						uint32_t o = g_array_index(g->insn_off, uint32_t, k), raw = 0;
						char t[96];
						if (o + CODE_BASE + 60 < first || o + CODE_BASE > first + 8)
							continue;
						memcpy(&raw, g->code->data + o, 4);
						rv_disas(xlen, CODE_BASE + o, raw, t, sizeof(t));
						g_test_message("  %05x: %08x %s", CODE_BASE + o, raw, t);
					}
				}
				break;
			}
			left -= slice;
		}
		read_uc_regs(uc, r);
		if (!l.failure->len && cpu->cls->get_pc(cpu) != end)
			g_string_append_printf(l.failure, "block run ends at 0x%" G_GINT64_MODIFIER "x, not 0x%"
			                       G_GINT64_MODIFIER "x", cpu->cls->get_pc(cpu), end);
		for (unsigned i = 1; i < 32 && !l.failure->len; i++)
			if (soc_riscv_get_xreg(cpu, i) != (r[i] & xmask(xlen)))
				g_string_append_printf(l.failure, "block run: x%u 0x%" G_GINT64_MODIFIER "x, unicorn 0x%"
				                       G_GINT64_MODIFIER "x", i, soc_riscv_get_xreg(cpu, i), r[i] & xmask(xlen));
		if (!l.failure->len) {
			uint8_t *a = g_malloc(DATA_SIZE), *b = g_malloc(DATA_SIZE);
			g_assert_cmpint(uc_mem_read(uc, DATA_BASE, a, DATA_SIZE), ==, UC_ERR_OK);
			g_assert_true(soc_as_read_bytes(env2->as, DATA_BASE, b, DATA_SIZE, NULL));
			if (memcmp(a, b, DATA_SIZE))
				g_string_append_printf(l.failure, "block run: data region differs");
			g_free(a);
			g_free(b);
		}
		if (!l.failure->len && mode == 1 && jit_host && soc_riscv_jit_blocks(cpu) == 0)
			g_string_append_printf(l.failure, "compiled run: no block was compiled");
		if (l.failure->len)
			g_string_append_printf(l.failure, " (%s)", mode ? "compiled blocks" : "interpreted");
		fclose(logf);
		if (l.failure->len && logbuf) {
			char *nl = logbuf;
			for (int k = 0; k < 2 && nl; k++)
				nl = strchr(nl + 1, '\n');
			if (nl)
				*nl = 0;
			g_string_append_printf(l.failure, "; first traps: %s", logbuf);
		}
		free(logbuf);
		rvt_env_free(env2);
		g_unsetenv("SOCEMU_JIT");
	}

	if (l.failure->len) {
		g_test_message("RV%u stream %u (seed %u): MISMATCH: %s", xlen, index, seed, l.failure->str);
		executed = 0;
	}
	uc_close(uc);
	rvt_env_free(l.env);
	g_array_free(l.writes, TRUE);
	g_string_free(l.failure, TRUE);
	g_free(data);
	gen_free(g);
	return executed;
}

static void lockstep(unsigned xlen)
{
	const char *env_seed = g_getenv("RV_LOCKSTEP_SEED");
	uint32_t seed = env_seed ? (uint32_t)g_ascii_strtoull(env_seed, NULL, 0) : DEFAULT_SEED;
	const char *env_min = g_getenv("RV_LOCKSTEP_INSNS");
	uint64_t want = env_min ? g_ascii_strtoull(env_min, NULL, 0) : 1000000, total = 0;
	unsigned streams = 0, bad = 0;

	g_test_message("RV%u lockstep against unicorn, base seed %u (stream i uses seed + i)", xlen, seed);
	while (total < want) {
		uint64_t n = run_stream(xlen, seed + streams, streams);
		if (!n && ++bad >= 5)
			break;
		total += n;
		streams++;
	}
	g_test_message("RV%u: %u streams, %" G_GUINT64_FORMAT " instructions compared, %u mismatching streams",
	               xlen, streams, total, bad);
	g_assert_cmpuint(bad, ==, 0);
	g_assert_cmpuint(total, >=, want);
}

static void test_rv32(void)
{
	lockstep(32);
}

static void test_rv64(void)
{
	lockstep(64);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/riscv/lockstep/rv32", test_rv32);
	g_test_add_func("/riscv/lockstep/rv64", test_rv64);
	return g_test_run();
}
