/* cpus/arm/block.c — decoded blocks and the block executor of the Cortex-M cores.
 *
 * A block is a run of up to ARM_BLOCK_MAX instructions inside one 4 KiB page, copied from
 * the page's decoded slots (exec.c) and ended by an instruction that may change the flow (a
 * branch, a write to pc, a system instruction) or by the page end; an unconditional B to
 * the same page does not end it, the block goes on at the target. Each op
 * carries the address of its label in arm_exec (direct threading), its instruction's address
 * and its position in the block. Two rewrites at build time: CMP followed by a conditional
 * branch is one op, and an IT whose instructions are all simple (or end in a branch) becomes
 * a group of ops that each test their own condition, with ITSTATE left at 0 throughout
 * (nothing in the group can fault, so it is never observed).
 *
 * Time and state: while a block runs, cpu.insns holds the count at block entry (`base`) and
 * pc is not kept up to date. Simple instructions (exec-inl.h), branches and the fast paths of
 * loads, stores, PUSH, POP, BX, BLX, TBB and TBH run inline. Everything else, and every
 * access that misses the data TLB, first brings insns, pc and r[15] up to date and calls the
 * instruction's handler (the same one the single-step, IT and trace paths use), so devices see
 * exact time and faults exact state; afterwards the block is left unless pc moved to the next
 * instruction, nothing asks for the slow path (a pending exception, IT, sleep, a code write
 * or a permission change: ARM_SLOW_*) and the rest of the block still fits the budget.
 *
 * Budget: a block is entered only when all of it fits (stop_at); otherwise run_cut runs its
 * first instructions up to the budget. So the count at every exit is exact and run() stops
 * exactly at stop_at, as the one-instruction loop did.
 *
 * Flags: a flag-setting simple instruction whose flags later simple instructions of the same
 * block overwrite before anything reads them runs as its version without flags
 * (mark_dead_flags); run_cut gives it back its flags when the overwriting op is cut off.
 *
 * Chaining: a direct branch or a fall-through follows its block's exit slot once resolved
 * through the jump cache; computed branches look in the jump cache. Exit slots and jump-cache
 * entries carry chain_tag, which arm_blocks_flush_chains bumps whenever execute permissions
 * may have changed (MPU context or regions) or a block was invalidated, so that no stale
 * pointer or permission is ever followed. Invalidated blocks are freed only outside the
 * executor.
 *
 * Compiled code: a block entered jit_threshold times (SOCEMU_JIT) is compiled to host code by
 * jit.c from its ops as they stand (their labels: dead flags, fused compares, in-page
 * branches) and from then on runs compiled whenever it is entered whole (ENTER); compiled code
 * follows its own chains and the jump cache and comes back to L_jit with exact state when it
 * cannot. Blocks and compiled code are dropped together (drop_all), only at the start of
 * arm_blocks_run: when the code space is full or the chain tag wrapped. */
#include "cpus/arm/arm-internal.h"
#include "cpus/arm/exec-inl.h"

#define ARM_BLOCKS_LIMIT 8192     /* cached blocks before the whole cache is dropped */


/* Handlers with an inline version. */
static const struct {
	ArmExecFn fn;
	uint16_t kind;
} inline_kinds[] = {
	{ arm_x_b, K_B }, { arm_x_bl, K_BL }, { arm_x_bcc, K_BCC }, { arm_x_cbz, K_CBZ },
	{ arm_x_cbnz, K_CBNZ }, { arm_x_beq, K_BEQ }, { arm_x_bne, K_BNE }, { arm_x_bhs, K_BHS },
	{ arm_x_blo, K_BLO }, { arm_x_bmi, K_BMI }, { arm_x_bpl, K_BPL }, { arm_x_bhi, K_BHI },
	{ arm_x_bls, K_BLS }, { arm_x_bge, K_BGE }, { arm_x_blt, K_BLT }, { arm_x_bgt, K_BGT },
	{ arm_x_ble, K_BLE },
#define I_LDST(op) { arm_x_##op##_i, K_##op##_i }, { arm_x_##op##_pre, K_##op##_pre }, \
	{ arm_x_##op##_post, K_##op##_post }, { arm_x_##op##_r, K_##op##_r }, \
	{ arm_x_##op##_lit, K_##op##_lit },
	I_LDST(ldr) I_LDST(ldrb) I_LDST(ldrsb) I_LDST(ldrh) I_LDST(ldrsh)
	I_LDST(str) I_LDST(strb) I_LDST(strh)
#undef I_LDST
	{ arm_x_push, K_PUSH }, { arm_x_pop, K_POP }, { arm_x_ldrd, K_LDRD }, { arm_x_strd, K_STRD },
#define I_SIMPLE(name) { arm_x_##name, K_##name },
	ARM_SIMPLE_OPS(I_SIMPLE)
#undef I_SIMPLE
};

/* Handlers after which the block ends: they may branch, change what the next instruction
 * means (IT) or stop the core. */
static const ArmExecFn ending[] = {
	arm_x_bx, arm_x_blx, arm_x_ldr_pc, arm_x_tbb, arm_x_tbh, arm_x_add_pc, arm_x_mov_pc,
	arm_x_svc, arm_x_bkpt, arm_x_undef, arm_x_unpred, arm_x_nocp, arm_x_it, arm_x_wfi,
	arm_x_wfe, arm_x_sev, arm_x_msr, arm_x_cps, arm_x_isb, arm_x_decode,
};

static const void *const *labels;     /* arm_exec's, published by arm_exec(NULL, NULL) */

static void arm_exec(ArmCpu *c, ArmBlock *b);

/* ---- building -------------------------------------------------------------------------------- */

static bool is_branch_kind(unsigned k)
{
	return k >= K_B && k <= K_BLE;
}

static bool is_ldst_kind(unsigned k)
{
	return k >= K_ldr_i && k <= K_strh_lit;
}

static bool is_simple_kind(unsigned k)
{
	return k >= K_and_i && k < K_SIMPLE_END;
}

/* Whether a kind's inline version reads Rn. */
static bool reads_rn(unsigned k)
{
	if ((k >= K_mov_i && k <= K_mov_rshs) || (k >= K_mvn_i && k <= K_mvn_rshs))
		return false;
	return k != K_movt && k != K_sxtb && k != K_sxth && k != K_uxtb && k != K_uxth &&
	       k != K_rev && k != K_rev16 && k != K_revsh && k != K_rbit && k != K_clz && k != K_bfc &&
	       k != K_nop;
}

/* Shifted-register kinds and the first of their four known-shift versions. */
static const struct {
	uint16_t kind, lsl;
} shift_kinds[] = {
#define S_LOGIC(name, EXPR, WRITE) { K_##name##_rsh, K_##name##_rsh_lsl },
#define S_ARITH(name, X, Y, CIN, WRITE) { K_##name##_rsh, K_##name##_rsh_lsl }, \
	{ K_##name##_rshs, K_##name##_rshs_lsl },
	ARM_DP_LOGIC_LIST(S_LOGIC)
	ARM_DP_ARITH_LIST(S_ARITH)
#undef S_LOGIC
#undef S_ARITH
};

/* The label for a decoded instruction, and whether the block ends after it. */
static unsigned kind_of(const ArmCpu *c, const ArmInsn *in, bool *ends)
{
	unsigned kind = K_CALL;

	*ends = false;
	/* Computed branches with an inline fast path (interworking and exception returns take
	 * the handler at run time). */
	if (in->fn == arm_x_bx || in->fn == arm_x_blx) {
		*ends = true;
		return in->rm == 15 ? K_CALL_END : in->fn == arm_x_bx ? K_BX : K_BLX;
	}
	if (in->fn == arm_x_tbb || in->fn == arm_x_tbh) {
		*ends = true;
		return in->rm >= 13 ? K_CALL_END : in->fn == arm_x_tbb ? K_TBB : K_TBH;
	}
	if (in->fn == arm_x_pop && (in->imm & 0x8000)) {
		*ends = true;
		return (in->imm & 0x2000) ? K_CALL_END : K_POP_PC;
	}
	for (unsigned k = 0; k < G_N_ELEMENTS(ending); k++) {
		if (in->fn == ending[k]) {
			*ends = true;
			return K_CALL_END;
		}
	}
	if ((in->fn == arm_x_pop || in->fn == arm_x_ldm || in->fn == arm_x_ldmdb) && (in->imm & 0x8000)) {
		*ends = true;
		return K_CALL_END;
	}
	for (unsigned k = 0; k < G_N_ELEMENTS(inline_kinds); k++) {
		if (in->fn == inline_kinds[k].fn) {
			kind = inline_kinds[k].kind;
			break;
		}
	}
	if (is_branch_kind(kind)) {
		*ends = true;
		return kind;
	}
	if (kind == K_CALL)
		return K_CALL;
	/* The inline versions neither read pc as a register (r[15] is not kept) nor write SP
	 * (bits [1:0], stack limits): those cases take the handler. Rn is 1111 in the 32-bit
	 * encodings that do not read it. */
	if (in->rd == 15 || (in->rn == 15 && reads_rn(kind)) || in->rm == 15 || in->ra == 15 ||
	    in->rd == 13 || in->ra == 13)
		return K_CALL;
	if (is_ldst_kind(kind)) {
		unsigned form = (unsigned)(kind - K_ldr_i) % 5;   /* i, pre, post, r, lit */
		if ((form == 1 || form == 2) && in->rn == 13)
			return K_CALL;
	}
	if (kind == K_PUSH && (ARM_IS_V8M(c) || (in->imm & 0xA000)))
		return K_CALL;
	if (in->sh <= ARM_SH_ROR && in->amt >= 1 && in->amt <= 31) {
		for (unsigned k = 0; k < G_N_ELEMENTS(shift_kinds); k++)
			if (kind == shift_kinds[k].kind) {
				kind = shift_kinds[k].lsl + in->sh;
				if (kind == K_add_rsh_lsl && in->amt <= 3)
					return K_add_lsl1 + in->amt - 1u;
				return kind;
			}
	}
	if (kind == K_POP && (in->imm & 0xA000))
		return K_CALL;
	if ((kind == K_LDRD || kind == K_STRD) && (in->flags & (ARM_IF_WBACK | ARM_IF_X)))
		return K_CALL;
	return kind;
}

/* CMP immediately followed by a conditional branch (the last op of a block) becomes one op
 * that sets the flags and branches on the operands; the branch op stays for run_cut(). */
static void fuse_compare_branch(ArmOp *op)
{
	static const struct {
		ArmExecFn fn;
		uint16_t imm_kind, reg_kind;
	} conds[] = {
#define F_COND(cc) { arm_x_b##cc, K_CMPI_##cc, K_CMPR_##cc },
		ARM_CONDS(F_COND)
#undef F_COND
	};
	bool imm = op[0].h == labels[K_cmp_is], reg = op[0].h == labels[K_cmp_rs];

	if (!imm && !reg)
		return;
	for (unsigned k = 0; k < G_N_ELEMENTS(conds); k++) {
		if (op[1].in.fn == conds[k].fn && op[1].h != labels[K_CALL_END]) {
			op[0].h = labels[imm ? conds[k].imm_kind : conds[k].reg_kind];
			return;
		}
	}
}

/* Flags as bits for mark_dead_flags. */
enum { F_N = 1, F_Z = 2, F_C = 4, F_V = 8, F_ALL = 15 };

/* What a simple kind does with the flags: the ones it always writes (*w) and may read (*r),
 * and its version without flags (0 if none: it writes none). A write that may leave a flag
 * as it was (a register shift by 0, RRX, a shifter's carry) counts as a read, not a write. */
static unsigned flag_use(unsigned k, const ArmInsn *in, unsigned *w, unsigned *r)
{
	*w = 0;
	*r = 0;
	if (k >= K_and_i && k <= K_cmn_rshs) {
		unsigned op = (k - K_and_i) / 6, form = (k - K_and_i) % 6;   /* i is r rs rsh rshs */
		bool logic = op <= (K_teq_i - K_and_i) / 6;
		if (op == (K_adc_i - K_and_i) / 6 || op == (K_sbc_i - K_and_i) / 6 || form >= 4)
			*r = F_C;
		if (!(form & 1))
			return 0;
		*w = !logic ? F_ALL : form == 1 && (in->flags & ARM_IF_CSET) ? F_N | F_Z | F_C : F_N | F_Z;
		return k - 1;
	}
	if (k >= K_lsl_rr && k <= K_ror_rrs) {
		*r = F_C;
		if (!((k - K_lsl_rr) & 1))
			return 0;
		*w = F_N | F_Z;
		return k - 1;
	}
	if (k == K_muls) {
		*w = F_N | F_Z;
		return K_mul;
	}
	if (k == K_ssat || k == K_usat)
		*r = F_C;
	if (k >= K_add_rsh_lsl && k < K_SH_END) {
		unsigned j = k - K_add_rsh_lsl, op = j / 8;
		if (op == (K_adc_rsh_lsl - K_add_rsh_lsl) / 8 || op == (K_sbc_rsh_lsl - K_add_rsh_lsl) / 8)
			*r = F_C;
		if (j % 8 < 4)
			return 0;
		*w = F_ALL;
		return k - 4;
	}
	return 0;
}

/* Flag-setting simple ops whose flags are all overwritten by later simple ops of the block
 * before anything can read or see them become their versions without flags (kill: the op by
 * which the last of them is overwritten, for run_cut). Only simple ops between: they neither
 * call a handler (which could fault and stack xPSR, or be interrupted) nor leave the block,
 * and each op's liveness starts from "all live" at any other op. */
static void mark_dead_flags(ArmBlock *s)
{
	unsigned live = F_ALL, next[4] = { 0, 0, 0, 0 };

	for (unsigned i = s->n; i-- > 0;) {
		ArmOp *op = &s->ops[i];
		unsigned w, r, may, plain, kill = 0;
		if (!is_simple_kind(op->kind) || op->it_back) {
			live = F_ALL;
			continue;
		}
		plain = flag_use(op->kind, &op->in, &w, &r);
		/* The flags it may change: a shifter's carry (counted as a read) is one of them,
		 * and the version without flags would leave C as it was. */
		may = w ? w | (r & F_C) : 0;
		if (w && !(may & live) && plain && op->h == labels[op->kind]) {
			for (unsigned f = 0; f < 4; f++)
				if (may & (1u << f))
					kill = MAX(kill, next[f]);
			op->h = labels[plain];
			op->kill = kill;
		}
		for (unsigned f = 0; f < 4; f++)
			if (w & (1u << f))
				next[f] = i;
		live = (live & ~w) | r;
	}
}

/* An IT instruction (slot, at *pa) and the instructions it makes conditional, as ops n, n+1,
 * ... of the scratch block, when all of them are simple (they cannot fault, so ITSTATE is
 * never seen half-way) or a final branch, and the group fits the page and `max`. The IT
 * itself then does nothing (ITSTATE stays 0) and each instruction tests its own condition. */
static bool fuse_it(ArmCpu *c, ArmPage *p, const ArmInsn *slot, uint32_t *pa, unsigned *pn,
                    unsigned max, bool *ends)
{
	uint32_t it = slot->imm & 0xFF, page = p->addr, a = *pa + slot->len;
	unsigned count, n = *pn;
	ArmOp *ops = c->scratch->ops;

	if (!(it & 0xF))
		return false;
	count = 4 - (unsigned)__builtin_ctz(it & 0xF);
	if (n + 1 + count > max)
		return false;
	*ends = false;
	for (unsigned k = 1; k <= count; k++) {
		ArmOp *op = &ops[n + k];
		ArmInsn *is;
		unsigned kind;
		bool e;
		if (*ends || a - page > ARM_PAGE_SIZE - 4)
			return false;
		is = arm_it_slot(p, a);
		if (is->fn == arm_x_decode && !arm_decode_at(c, a, is, true, false))
			return false;
		kind = kind_of(c, is, &e);
		if (!is_simple_kind(kind) && kind != K_B)
			return false;
		*ends = kind == K_B;
		op->h = labels[K_COND];
		op->in = *is;
		op->pc = a;
		op->idx = (uint16_t)(n + k);
		op->aux = (uint16_t)kind;
		op->cond = (uint8_t)(it >> 4);
		op->it_back = (uint8_t)k;
		op->kind = K_COND;
		op->kill = 0;
		it = (it & 7) ? ((it & 0xE0) | ((it << 1) & 0x1F)) : 0;
		a += is->len;
	}
	ops[n].h = labels[K_nop];
	ops[n].in = *slot;
	ops[n].pc = *pa;
	ops[n].idx = (uint16_t)n;
	ops[n].aux = 0;
	ops[n].cond = 0;
	ops[n].it_back = 0;
	ops[n].kind = K_CALL_END;        /* the IT on its own (see run_cut) */
	ops[n].kill = 0;
	*pa = a;
	*pn = n + 1 + count;
	return true;
}

/* Decode from pc into the scratch block: up to `max` instructions. NULL (the fetch fault
 * raised) when not even the first one can be fetched. */
static ArmBlock *build(ArmCpu *c, uint32_t pc, unsigned max)
{
	uint32_t page = pc & ~ARM_PAGE_MASK, a = pc;
	ArmPage *p = arm_page_get(c, page);
	ArmBlock *s = c->scratch;
	unsigned n = 0;
	ArmOp *op;

	s->lo = pc;
	s->hi = pc;
	while (n < max && a - page < ARM_PAGE_SIZE) {
		uint32_t off = a & ARM_PAGE_MASK;
		ArmInsn *slot = &p->slots[off >> 1];
		bool ends;
		unsigned kind;

		/* An instruction in the last halfword may reach into the next page, whose fetch
		 * may fail: it starts a block of its own. */
		if (n > 0 && off == ARM_PAGE_SIZE - 2)
			break;
		if (slot->fn == arm_x_decode && !arm_decode_at(c, a, slot, false, n == 0)) {
			if (n == 0)
				return NULL;
			break;
		}
		if (slot->fn == arm_x_it && fuse_it(c, p, slot, &a, &n, max, &ends)) {
			if (ends)
				break;
			continue;
		}
		kind = kind_of(c, slot, &ends);
		op = &s->ops[n];
		op->h = labels[kind];
		op->in = *slot;
		op->pc = a;
		op->idx = (uint16_t)n;
		op->aux = (kind == K_PUSH || kind == K_POP || kind == K_POP_PC) ?
		          (uint16_t)(4 * __builtin_popcount(slot->imm)) : 0;
		op->cond = 0;
		op->it_back = 0;
		op->kind = (uint16_t)kind;
		op->kill = 0;
		if (kind == K_LDRD || kind == K_STRD)
			op->lit = !(slot->flags & ARM_IF_INDEX) ? 0 :
			          (slot->flags & ARM_IF_ADD) ? slot->imm : 0u - slot->imm;
		/* A word literal in this page (so the block's own list finds it when it is
		 * written): its value now. It stands only while reads need no MPU check. */
		if (kind == K_ldr_lit && !(slot->imm & 3) && (slot->imm & ~ARM_PAGE_MASK) == page &&
		    arm_fetch_literal(c, slot->imm, &op->lit)) {
			op->h = labels[K_LIT];
			op->kind = K_LIT;
			s->lo = MIN(s->lo, slot->imm);
			s->hi = MAX(s->hi, slot->imm + 4);
		}
		n++;
		/* An unconditional branch within the page: the block goes on at its target (the
		 * branch stays an op, for the count and run_cut). */
		if (kind == K_B && (slot->imm & ~ARM_PAGE_MASK) == page && n < max) {
			op->h = labels[K_nop];
			op->kind = K_nop;
			s->hi = MAX(s->hi, a + slot->len);
			a = slot->imm;
			s->lo = MIN(s->lo, a);
			continue;
		}
		a += slot->len;
		if (ends)
			break;
	}
	if (n >= 2)
		fuse_compare_branch(&s->ops[n - 2]);
	s->n = n;
	mark_dead_flags(s);
	op = &s->ops[n];
	memset(op, 0, sizeof(*op));
	op->h = labels[K_END];
	op->kind = K_END;
	op->pc = a;
	op->idx = (uint16_t)n;
	s->pc = pc;
	s->end = a;
	s->hi = MAX(s->hi, a);
	s->n = n;
	s->next = NULL;
	memset(s->exits, 0, sizeof(s->exits));
	return s;
}

/* Keep the scratch block: a block of its own in the cache and in its page's list. */
static ArmBlock *keep(ArmCpu *c, const ArmBlock *s)
{
	size_t size = sizeof(ArmBlock) + (s->n + 1) * sizeof(ArmOp);
	ArmBlock *b = g_malloc(size);
	ArmPage *p = arm_page_get(c, s->pc & ~ARM_PAGE_MASK);

	memcpy(b, s, size);
	b->heat = 0;
	b->jit = NULL;
	b->next = p->blocks;
	p->blocks = b;
	g_hash_table_insert(c->blocks, GUINT_TO_POINTER(b->pc), b);
	c->n_blocks++;
	return b;
}

/* Run the first n instructions of b (when all of b does not fit the budget): a STOP op is
 * patched in after them for the time of the run. The block cannot be entered again during it
 * (it does not fit), nor freed (invalidated blocks wait for free_dead). */
static void run_cut(ArmCpu *c, ArmBlock *b, unsigned n)
{
	ArmOp *last, *stop;
	const void *last_h, *stop_h, *saved[ARM_BLOCK_MAX];

	/* Never inside an IT group: keep its IT alone, which then runs the group the slow way. */
	if (b->ops[n].it_back)
		n = n - b->ops[n].it_back + 1u;
	last = &b->ops[n - 1];
	stop = &b->ops[n];
	/* Ops whose flags an op cut off overwrites must set them after all. */
	for (unsigned i = 0; i + 1 < n; i++)
		if (is_simple_kind(b->ops[i].kind) && b->ops[i].kill >= n) {
			saved[i] = b->ops[i].h;
			b->ops[i].h = labels[b->ops[i].kind];
		}
	last_h = last->h;
	stop_h = stop->h;
	/* The last op may be a compare fused with the branch cut off, an IT without its group
	 * or an op without flags. */
	if (!last->it_back)
		last->h = labels[last->kind];
	stop->h = labels[K_STOP];
	arm_exec(c, b);
	last->h = last_h;
	stop->h = stop_h;
	for (unsigned i = 0; i + 1 < n; i++)
		if (is_simple_kind(b->ops[i].kind) && b->ops[i].kill >= n)
			b->ops[i].h = saved[i];
}

/* The block at pc, entered from the top (not through a chain): execute permission checked
 * (a fault is raised when fetching is not allowed: NULL). */
static ArmBlock *block_for_pc(ArmCpu *c)
{
	uint32_t pc = c->pc;
	ArmJcEntry *j;
	ArmBlock *b;
	bool uniform;

	if (!arm_exec_allowed(c, pc, &uniform))
		return NULL;
	/* Permissions that vary inside the page: checked before every instruction. */
	if (!uniform)
		return build(c, pc, 1);
	b = g_hash_table_lookup(c->blocks, GUINT_TO_POINTER(pc));
	if (!b) {
		/* Whole blocks even near the end of the budget (run_cut runs their start): a cut
		 * block stops after each handler call, and the blocks from those points on are
		 * wanted again at the end of every time slice. */
		b = build(c, pc, ARM_BLOCK_MAX);
		if (!b)
			return NULL;
		b = keep(c, b);
	}
	j = &c->jc[ARM_JC_IDX(pc)];
	j->pc = pc;
	j->tag = c->chain_tag;
	j->n = b->n;
	j->b = b;
	return b;
}

/* ---- the cache ------------------------------------------------------------------------------- */

static void free_dead(ArmCpu *c)
{
	while (c->dead) {
		ArmBlock *b = c->dead;
		c->dead = b->next;
		g_free(b);
	}
}

static void drop_all(ArmCpu *c)
{
	GHashTableIter it;
	gpointer key, value;

	g_hash_table_iter_init(&it, c->pages);
	while (g_hash_table_iter_next(&it, &key, &value))
		((ArmPage *)value)->blocks = NULL;
	g_hash_table_iter_init(&it, c->blocks);
	while (g_hash_table_iter_next(&it, &key, &value))
		g_free(value);
	g_hash_table_remove_all(c->blocks);
	c->n_blocks = 0;
	arm_blocks_flush_chains(c);
	/* No block is left to refer to compiled code, and none of it is running. */
	arm_jit_reset(c);
	c->jit_drop = false;
}

void arm_blocks_init(ArmCpu *c)
{
	if (!labels)
		arm_exec(NULL, NULL);
	c->blocks = g_hash_table_new(g_direct_hash, g_direct_equal);
	c->n_blocks = 0;
	c->jc = g_new0(ArmJcEntry, ARM_JC_SIZE);
	c->chain_tag = 1;
	c->scratch = g_malloc0(sizeof(ArmBlock) + (ARM_BLOCK_MAX + 1) * sizeof(ArmOp));
	c->dead = NULL;
	c->jit_threshold = arm_jit_threshold_from_env();
}

void arm_blocks_destroy(ArmCpu *c)
{
	if (!c->blocks)
		return;
	drop_all(c);
	free_dead(c);
	g_hash_table_destroy(c->blocks);
	c->blocks = NULL;
	g_clear_pointer(&c->jc, g_free);
	g_clear_pointer(&c->scratch, g_free);
	arm_jit_destroy(c);
}

void arm_blocks_flush_chains(ArmCpu *c)
{
	if (!c->jc)
		return;
	c->slow |= ARM_SLOW_FLUSH;
	if (++c->chain_tag != 0)
		return;
	/* The tag wrapped: no old entry may match again. */
	{
		GHashTableIter it;
		gpointer key, value;
		memset(c->jc, 0, ARM_JC_SIZE * sizeof(ArmJcEntry));
		g_hash_table_iter_init(&it, c->blocks);
		while (g_hash_table_iter_next(&it, &key, &value))
			memset(((ArmBlock *)value)->exits, 0, sizeof(((ArmBlock *)value)->exits));
		c->chain_tag = 1;
		/* Compiled exits linked under old tags could match again: drop all compiled
		 * code before anything runs again. */
		c->jit_drop = true;
	}
}

void arm_blocks_invalidate(ArmCpu *c, ArmPage *p, uint32_t lo, uint32_t hi)
{
	ArmBlock **link = &p->blocks;
	bool any = false;

	while (*link) {
		ArmBlock *b = *link;
		if (b->lo <= hi && b->hi > lo) {
			*link = b->next;
			g_hash_table_remove(c->blocks, GUINT_TO_POINTER(b->pc));
			c->n_blocks--;
			b->next = c->dead;
			c->dead = b;
			any = true;
		} else {
			link = &b->next;
		}
	}
	if (any)
		arm_blocks_flush_chains(c);
}

void arm_blocks_run(ArmCpu *c)
{
	uint64_t budget = c->cpu.stop_at - c->cpu.insns;
	const ArmJcEntry *j = &c->jc[ARM_JC_IDX(c->pc)];
	ArmBlock *b;

	free_dead(c);
	/* Compiled code is only ever dropped here, between blocks, where none of it runs. */
	if (ARM_UNLIKELY(c->n_blocks > ARM_BLOCKS_LIMIT || c->jit_drop || arm_jit_full(c)))
		drop_all(c);
	if (ARM_LIKELY(j->pc == c->pc && j->tag == c->chain_tag)) {
		b = j->b;
	} else {
		b = block_for_pc(c);
		if (!b) {
			c->cpu.insns++;       /* the fetch faulted: as one instruction, like before */
			return;
		}
	}
	c->slow &= ~ARM_SLOW_FLUSH;
	if (b->n > budget)
		run_cut(c, b, (unsigned)budget);
	else
		arm_exec(c, b);
}

/* ---- compiling ------------------------------------------------------------------------------- */

/* Compile b (jit.c) with the kind each op has now: its label says (dead flags, fused compares
 * and in-page branches are only in the labels). Never the scratch block, which is reused. */
static __attribute__((noinline)) bool jit_compile(ArmCpu *c, ArmBlock *b)
{
	uint16_t kinds[ARM_BLOCK_MAX + 1];

	if (b == c->scratch)
		return false;
	for (unsigned i = 0; i <= b->n; i++) {
		unsigned k = 0;
		while (k < K_COUNT && labels[k] != b->ops[i].h)
			k++;
		if (k == K_COUNT)
			return false;
		kinds[i] = (uint16_t)k;
	}
	if (!arm_jit_compile(c, b, kinds))
		return false;
	c->jit_blocks++;
	return true;
}

/* Count an entry into b; true when b has just been compiled (at most once per block). */
static inline bool jit_hot(ArmCpu *c, ArmBlock *b)
{
	return b->heat < c->jit_threshold && ++b->heat == c->jit_threshold && jit_compile(c, b);
}

/* ---- the executor ---------------------------------------------------------------------------- */

#define R (c->r)
#define OPI (op->in)
#define DISPATCH() goto *op->h
#define NEXT() do { op++; DISPATCH(); } while (0)
/* Start block b (it fits the budget): compiled, or dispatched right here. */
#define ENTER() do {                                                                               \
	op = b->ops;                                                                               \
	if (ARM_UNLIKELY(b->jit != NULL) || ARM_UNLIKELY(jit_hot(c, b)))                           \
		goto L_jit;                                                                        \
	DISPATCH();                                                                                \
} while (0)
/* Run op's handler with exact count, pc and r[15]; afterwards the budget may have moved and
 * TLB entries changed (see PAGE_OF). */
#define CALL_HANDLER() do {                                                                        \
	c->cpu.insns = base + op->idx;                                                             \
	c->pc = op->pc;                                                                            \
	R[15] = op->pc + 4;                                                                        \
	OPI.fn(c, &OPI);                                                                           \
	stop = c->cpu.stop_at;                                                                     \
	rkey = lkey = wkey = ARM_TLB_INVALID;                                                      \
} while (0)
/* Room in the budget for a block of n instructions from count `now`. */
#define FITS(now, n) ((int64_t)(stop - (now)) >= (int64_t)(n))
/* Leave through exit slot e to `target` after `count` instructions of this block. */
#define CHAIN(e, target, count) do {                                                               \
	uint64_t now_ = base + (count);                                                            \
	ArmExit *ex_ = &b->exits[e];                                                               \
	if (ARM_LIKELY(ex_->tag == tag) && ARM_LIKELY(FITS(now_, ex_->n))) {                       \
		b = ex_->to;                                                                       \
		base = now_;                                                                       \
		ENTER();                                                                           \
	}                                                                                          \
	npc = (target);                                                                            \
	ex = ex_;                                                                                  \
	base = now_;                                                                               \
	goto L_chain;                                                                              \
} while (0)
#define BRANCH(cond) do {                                                                          \
	if (cond)                                                                                  \
		CHAIN(0, OPI.imm, op->idx + 1u);                                                   \
	CHAIN(1, op->pc + OPI.len, op->idx + 1u);                                                  \
} while (0)

/* Loads and stores: the TLB fast path for aligned accesses, the handler for everything else. */
#define TLB_HIT(t, a, size) ((t)->tag == ((a) & (~ARM_PAGE_MASK | ((size) - 1u))))
/* Each access first tries the last TLB entry its kind used (kept in locals: KEY, ADD), then
 * the TLB (PAGE_OF). The locals are dropped whenever a handler ran, which is the only time TLB
 * entries change while a block runs. */
#define PAGE_OF(TLB, A, K, KEY, ADD) do {                                                          \
	if (ARM_UNLIKELY((K) != KEY)) {                                                            \
		const ArmTlbEntry *t_ = &c->TLB[ARM_TLB_IDX(A)];                                   \
		if (ARM_UNLIKELY(t_->tag != (K)))                                                  \
			goto L_CALL;                                                               \
		KEY = (K);                                                                         \
		ADD = t_->addend;                                                                  \
	}                                                                                          \
} while (0)
#define LOAD(T, SIZE, EXT, ADDR, WB, KEY, ADD) do {                                                \
	uint32_t a_ = (ADDR), k_ = a_ & (~ARM_PAGE_MASK | (SIZE - 1u));                            \
	T v_;                                                                                      \
	PAGE_OF(tlb_rd, a_, k_, KEY, ADD);                                                         \
	memcpy(&v_, (const void *)(ADD + a_), SIZE);                                               \
	R[OPI.rd] = EXT(v_);                                                                       \
	WB;                                                                                        \
	NEXT();                                                                                    \
} while (0)
#define STORE(T, SIZE, ADDR, WB) do {                                                              \
	uint32_t a_ = (ADDR), k_ = a_ & (~ARM_PAGE_MASK | (SIZE - 1u));                            \
	T v_ = (T)R[OPI.rd];                                                                       \
	PAGE_OF(tlb_wr, a_, k_, wkey, wadd);                                                       \
	memcpy((void *)(wadd + a_), &v_, SIZE);                                                    \
	WB;                                                                                        \
	NEXT();                                                                                    \
} while (0)
#define EXT_U(v) ((uint32_t)(v))
#define EXT_S(v) ((uint32_t)(int32_t)(v))
#define NOWB ((void)0)
#define LOAD_OPS(name, T, SIZE, EXT)                                                                \
	L_##name##_i: LOAD(T, SIZE, EXT, R[OPI.rn] + OPI.imm, NOWB, rkey, radd);                   \
	L_##name##_pre: LOAD(T, SIZE, EXT, R[OPI.rn] + OPI.imm, R[OPI.rn] = a_, rkey, radd);       \
	L_##name##_post: LOAD(T, SIZE, EXT, R[OPI.rn], R[OPI.rn] = a_ + OPI.imm, rkey, radd);      \
	L_##name##_r: LOAD(T, SIZE, EXT, R[OPI.rn] + (R[OPI.rm] << OPI.amt), NOWB, rkey, radd);    \
	L_##name##_lit: LOAD(T, SIZE, EXT, OPI.imm, NOWB, lkey, ladd);
#define STORE_OPS(name, T, SIZE)                                                                    \
	L_##name##_i: STORE(T, SIZE, R[OPI.rn] + OPI.imm, NOWB);                                   \
	L_##name##_pre: STORE(T, SIZE, R[OPI.rn] + OPI.imm, R[OPI.rn] = a_);                       \
	L_##name##_post: STORE(T, SIZE, R[OPI.rn], R[OPI.rn] = a_ + OPI.imm);                      \
	L_##name##_r: STORE(T, SIZE, R[OPI.rn] + (R[OPI.rm] << OPI.amt), NOWB);                    \
	L_##name##_lit: STORE(T, SIZE, OPI.imm, NOWB);

/* Each label keeps its own dispatch jump (far better predicted than one shared jump): stop
 * GCC from merging the labels' tails. */
__attribute__((optimize("no-crossjumping", "no-gcse", "no-tree-slp-vectorize")))
static void arm_exec(ArmCpu *c, ArmBlock *b)
{
	static const void *const table[K_COUNT] = {
		[K_CALL] = &&L_CALL, [K_CALL_END] = &&L_CALL_END, [K_END] = &&L_END, [K_STOP] = &&L_STOP,
		[K_COND] = &&L_COND, [K_BX] = &&L_BX, [K_BLX] = &&L_BLX, [K_TBB] = &&L_TBB,
		[K_TBH] = &&L_TBH, [K_POP_PC] = &&L_POP_PC,
		[K_B] = &&L_B, [K_BL] = &&L_BL, [K_BCC] = &&L_BCC, [K_CBZ] = &&L_CBZ,
		[K_CBNZ] = &&L_CBNZ, [K_BEQ] = &&L_BEQ, [K_BNE] = &&L_BNE, [K_BHS] = &&L_BHS,
		[K_BLO] = &&L_BLO, [K_BMI] = &&L_BMI, [K_BPL] = &&L_BPL, [K_BHI] = &&L_BHI,
		[K_BLS] = &&L_BLS, [K_BGE] = &&L_BGE, [K_BLT] = &&L_BLT, [K_BGT] = &&L_BGT,
		[K_BLE] = &&L_BLE,
#define T_LDST(op) [K_##op##_i] = &&L_##op##_i, [K_##op##_pre] = &&L_##op##_pre, \
		[K_##op##_post] = &&L_##op##_post, [K_##op##_r] = &&L_##op##_r, \
		[K_##op##_lit] = &&L_##op##_lit,
		T_LDST(ldr) T_LDST(ldrb) T_LDST(ldrsb) T_LDST(ldrh) T_LDST(ldrsh)
		T_LDST(str) T_LDST(strb) T_LDST(strh)
#undef T_LDST
		[K_PUSH] = &&L_PUSH, [K_POP] = &&L_POP, [K_LIT] = &&L_LIT,
		[K_LDRD] = &&L_LDRD, [K_STRD] = &&L_STRD,
#define T_CMPBR(cc) [K_CMPI_##cc] = &&L_CMPI_##cc, [K_CMPR_##cc] = &&L_CMPR_##cc,
		ARM_CONDS(T_CMPBR)
#undef T_CMPBR
#define T_SIMPLE(name) [K_##name] = &&L_##name,
		ARM_SIMPLE_OPS(T_SIMPLE)
#undef T_SIMPLE
#define T_SH_N(T, name, a1, a2, a3, a4, a5) [K_##name##_rsh_##T] = &&L_##name##_rsh_##T,
#define T_SH_S(T, name, a1, a2, a3, a4, a5) [K_##name##_rshs_##T] = &&L_##name##_rshs_##T,
#define T_LSH4(name, EXPR, WRITE) ARM_SH_TYPES(T_SH_N, name, _, _, _, _, _)
#define T_ASH4(name, X, Y, CIN, WRITE) ARM_SH_TYPES(T_SH_N, name, _, _, _, _, _) \
	ARM_SH_TYPES(T_SH_S, name, _, _, _, _, _)
		ARM_DP_LOGIC_LIST(T_LSH4)
		ARM_DP_ARITH_LIST(T_ASH4)
		[K_add_lsl1] = &&L_add_lsl1, [K_add_lsl2] = &&L_add_lsl2, [K_add_lsl3] = &&L_add_lsl3,
	};
	const ArmOp *op;
	ArmExit *ex;
	uint64_t base, stop;          /* stop: cpu.stop_at, which only a handler call can change */
	uint32_t tag, npc;
	/* The last TLB entries used by data loads, literal loads and stores (see LOAD). */
	uint32_t rkey = ARM_TLB_INVALID, lkey = ARM_TLB_INVALID, wkey = ARM_TLB_INVALID;
	uintptr_t radd = 0, ladd = 0, wadd = 0;

	if (!c) {
		labels = table;
		return;
	}
	tag = c->chain_tag;
	base = c->cpu.insns;
	stop = c->cpu.stop_at;
	if (FITS(base, b->n))
		ENTER();
	op = b->ops;                  /* cut by run_cut: never compiled code */
	DISPATCH();

L_jit: {
	/* Compiled code runs until it leaves through an exit it could not follow itself. */
	ArmExit *r;
	c->cpu.insns = base;
	r = arm_jit_run(c, b);
	stop = c->cpu.stop_at;
	rkey = lkey = wkey = ARM_TLB_INVALID;
	base = c->cpu.insns;
	npc = c->pc;
	if (!r)
		return;
	if (r == ARM_JIT_JUMP)
		goto L_jump;
	ex = r;
	if (ex->tag == tag) {
		/* Chained, but the next block is not compiled yet or does not fit. */
		if (FITS(base, ex->n)) {
			b = ex->to;
			ENTER();
		}
		return;
	}
	goto L_chain;
}

L_chain:
	/* Not chained yet, or the next block does not fit the budget. */
	c->cpu.insns = base;
	c->pc = npc;
	if (b != c->scratch && ex->tag != tag) {
		const ArmJcEntry *j = &c->jc[ARM_JC_IDX(npc)];
		if (j->pc == npc && j->tag == tag) {
			ex->to = j->b;
			ex->n = j->n;
			ex->tag = tag;
			if (FITS(base, j->n)) {
				b = j->b;
				ENTER();
			}
		}
	}
	return;

L_CALL:
	CALL_HANDLER();
	if (ARM_UNLIKELY(c->pc != op->pc + OPI.len || c->slow || !FITS(base, b->n))) {
		c->cpu.insns = base + op->idx + 1;
		return;
	}
	NEXT();

L_CALL_END:
	CALL_HANDLER();
	base = c->cpu.insns = base + op->idx + 1;
	if (c->slow)
		return;
	npc = c->pc;
	goto L_jump;

L_jump: {
	/* A computed target (base and npc set): through the jump cache. */
	const ArmJcEntry *j = &c->jc[ARM_JC_IDX(npc)];
	if (j->pc == npc && j->tag == tag && FITS(base, j->n)) {
		b = j->b;
		ENTER();
	}
	c->cpu.insns = base;
	c->pc = npc;
	return;
}

L_COND:
	if (arm_cond(c, op->cond))
		goto *table[op->aux];
	NEXT();

	/* ---- computed branches: plain Thumb targets inline, the rest through the handler ---- */
#define PLAIN_TARGET(t) (((t) & 1) && ((t) >> 28 != 0xF || !c->ipsr))
L_BX: {
	uint32_t t = R[OPI.rm];
	if (ARM_UNLIKELY(!PLAIN_TARGET(t)))
		goto L_CALL_END;
	base += op->idx + 1u;
	npc = t & ~1u;
	goto L_jump;
}
L_BLX: {
	uint32_t t = R[OPI.rm];
	if (ARM_UNLIKELY(!PLAIN_TARGET(t)))
		goto L_CALL_END;
	R[14] = (op->pc + 2) | 1;
	base += op->idx + 1u;
	npc = t & ~1u;
	goto L_jump;
}
L_TBB: {
	uint32_t a = (OPI.rn == 15 ? op->pc + 4 : R[OPI.rn]) + R[OPI.rm];
	const ArmTlbEntry *t = &c->tlb_rd[ARM_TLB_IDX(a)];
	if (ARM_LIKELY(TLB_HIT(t, a, 1u))) {
		npc = op->pc + 4 + 2u * *(const uint8_t *)(t->addend + a);
		base += op->idx + 1u;
		goto L_jump;
	}
	goto L_CALL_END;
}
L_TBH: {
	uint32_t a = (OPI.rn == 15 ? op->pc + 4 : R[OPI.rn]) + (R[OPI.rm] << 1);
	const ArmTlbEntry *t = &c->tlb_rd[ARM_TLB_IDX(a)];
	if (ARM_LIKELY(TLB_HIT(t, a, 2u))) {
		uint16_t v;
		memcpy(&v, (const void *)(t->addend + a), 2);
		npc = op->pc + 4 + 2u * v;
		base += op->idx + 1u;
		goto L_jump;
	}
	goto L_CALL_END;
}
L_POP_PC: {
	uint32_t a = R[13], target;
	const ArmTlbEntry *t = &c->tlb_rd[ARM_TLB_IDX(a)];
	if (ARM_LIKELY(TLB_HIT(t, a, 4u) && (a & ARM_PAGE_MASK) <= ARM_PAGE_SIZE - op->aux)) {
		const uint8_t *p = (const uint8_t *)(t->addend + a);
		memcpy(&target, p + op->aux - 4, 4);
		if (ARM_UNLIKELY(!PLAIN_TARGET(target)))
			goto L_CALL_END;
		for (uint32_t list = OPI.imm & 0x7FFF; list; list &= list - 1) {
			memcpy(&R[__builtin_ctz(list)], p, 4);
			p += 4;
		}
		R[13] = (a + op->aux) & ~3u;
		base += op->idx + 1u;
		npc = target & ~1u;
		goto L_jump;
	}
	goto L_CALL_END;
}

L_END:
	CHAIN(1, op->pc, op->idx);
L_STOP:
	c->cpu.insns = base + op->idx;
	c->pc = op->pc;
	return;

	/* ---- branches ---- */
L_B:
	CHAIN(0, OPI.imm, op->idx + 1u);
L_BL:
	R[14] = (op->pc + 4) | 1;
	CHAIN(0, OPI.imm, op->idx + 1u);
L_BCC: BRANCH(arm_cond(c, OPI.sh));
L_CBZ: BRANCH(R[OPI.rn] == 0);
L_CBNZ: BRANCH(R[OPI.rn] != 0);
L_BEQ: BRANCH(c->zf == 0);
L_BNE: BRANCH(c->zf != 0);
L_BHS: BRANCH(c->cf != 0);
L_BLO: BRANCH(c->cf == 0);
L_BMI: BRANCH((int32_t)c->nf < 0);
L_BPL: BRANCH((int32_t)c->nf >= 0);
L_BHI: BRANCH(c->cf && c->zf != 0);
L_BLS: BRANCH(!c->cf || c->zf == 0);
L_BGE: BRANCH((int32_t)(c->nf ^ c->vf) >= 0);
L_BLT: BRANCH((int32_t)(c->nf ^ c->vf) < 0);
L_BGT: BRANCH(c->zf != 0 && (int32_t)(c->nf ^ c->vf) >= 0);
L_BLE: BRANCH(c->zf == 0 || (int32_t)(c->nf ^ c->vf) < 0);

	/* ---- loads and stores ---- */
	LOAD_OPS(ldr, uint32_t, 4, EXT_U)
	LOAD_OPS(ldrb, uint8_t, 1, EXT_U)
	LOAD_OPS(ldrsb, int8_t, 1, EXT_S)
	LOAD_OPS(ldrh, uint16_t, 2, EXT_U)
	LOAD_OPS(ldrsh, int16_t, 2, EXT_S)
	STORE_OPS(str, uint32_t, 4)
	STORE_OPS(strb, uint8_t, 1)
	STORE_OPS(strh, uint16_t, 2)

L_LIT:
	if (ARM_LIKELY(c->mpu_ctx == ARM_CTX_DEFAULT)) {
		R[OPI.rd] = op->lit;
		NEXT();
	}
	goto L_ldr_lit;

	/* LDRD and STRD: both words aligned in one page. */
L_LDRD: {
	uint32_t a = R[OPI.rn] + op->lit, k = a & (~ARM_PAGE_MASK | 3u), v1, v2;
	PAGE_OF(tlb_rd, a, k, rkey, radd);
	if (ARM_UNLIKELY((a & ARM_PAGE_MASK) > ARM_PAGE_SIZE - 8))
		goto L_CALL;
	memcpy(&v1, (const void *)(radd + a), 4);
	memcpy(&v2, (const void *)(radd + a + 4), 4);
	R[OPI.rd] = v1;
	R[OPI.ra] = v2;
	NEXT();
}
L_STRD: {
	uint32_t a = R[OPI.rn] + op->lit, k = a & (~ARM_PAGE_MASK | 3u);
	PAGE_OF(tlb_wr, a, k, wkey, wadd);
	if (ARM_UNLIKELY((a & ARM_PAGE_MASK) > ARM_PAGE_SIZE - 8))
		goto L_CALL;
	memcpy((void *)(wadd + a), &R[OPI.rd], 4);
	memcpy((void *)(wadd + a + 4), &R[OPI.ra], 4);
	NEXT();
}

	/* PUSH and POP within one page of the TLB (no SP or pc in the list: see kind_of). */
L_PUSH: {
	uint32_t a = R[13] - op->aux;
	const ArmTlbEntry *t = &c->tlb_wr[ARM_TLB_IDX(a)];
	if (ARM_LIKELY(TLB_HIT(t, a, 4u) && (a & ARM_PAGE_MASK) <= ARM_PAGE_SIZE - op->aux)) {
		uint8_t *p = (uint8_t *)(t->addend + a);
		for (uint32_t list = OPI.imm; list; list &= list - 1) {
			memcpy(p, &R[__builtin_ctz(list)], 4);
			p += 4;
		}
		R[13] = a;
		NEXT();
	}
	goto L_CALL;
}
L_POP: {
	uint32_t a = R[13];
	const ArmTlbEntry *t = &c->tlb_rd[ARM_TLB_IDX(a)];
	if (ARM_LIKELY(TLB_HIT(t, a, 4u) && (a & ARM_PAGE_MASK) <= ARM_PAGE_SIZE - op->aux)) {
		const uint8_t *p = (const uint8_t *)(t->addend + a);
		for (uint32_t list = OPI.imm; list; list &= list - 1) {
			memcpy(&R[__builtin_ctz(list)], p, 4);
			p += 4;
		}
		R[13] = (a + op->aux) & ~3u;
		NEXT();
	}
	goto L_CALL;
}

	/* ---- compare and branch ---- */
#define CMPBR(cc)                                                                                  \
L_CMPI_##cc: {                                                                                      \
	uint32_t x = R[OPI.rn], y = OPI.imm;                                                        \
	arm_b_cmp_is(c, &OPI);                                                                      \
	if (CMP_##cc(x, y))                                                                         \
		CHAIN(0, op[1].in.imm, op->idx + 2u);                                               \
	CHAIN(1, op[1].pc + op[1].in.len, op->idx + 2u);                                            \
}                                                                                                   \
L_CMPR_##cc: {                                                                                      \
	uint32_t x = R[OPI.rn], y = R[OPI.rm];                                                      \
	arm_b_cmp_rs(c, &OPI);                                                                      \
	if (CMP_##cc(x, y))                                                                         \
		CHAIN(0, op[1].in.imm, op->idx + 2u);                                               \
	CHAIN(1, op[1].pc + op[1].in.len, op->idx + 2u);                                            \
}
	ARM_CONDS(CMPBR)
#undef CMPBR

	/* ---- simple instructions ---- */
#define L_SIMPLE(name) L_##name: arm_b_##name(c, &OPI); NEXT();
	ARM_SIMPLE_OPS(L_SIMPLE)
#undef L_SIMPLE
#define L_SH_N(T, name, a1, a2, a3, a4, a5) L_##name##_rsh_##T: arm_b_##name##_rsh_##T(c, &OPI); NEXT();
#define L_SH_S(T, name, a1, a2, a3, a4, a5) L_##name##_rshs_##T: arm_b_##name##_rshs_##T(c, &OPI); NEXT();
#define L_LSH4(name, EXPR, WRITE) ARM_SH_TYPES(L_SH_N, name, _, _, _, _, _)
#define L_ASH4(name, X, Y, CIN, WRITE) ARM_SH_TYPES(L_SH_N, name, _, _, _, _, _) \
	ARM_SH_TYPES(L_SH_S, name, _, _, _, _, _)
	ARM_DP_LOGIC_LIST(L_LSH4)
	ARM_DP_ARITH_LIST(L_ASH4)
L_add_lsl1: R[OPI.rd] = R[OPI.rn] + (R[OPI.rm] << 1); NEXT();
L_add_lsl2: R[OPI.rd] = R[OPI.rn] + (R[OPI.rm] << 2); NEXT();
L_add_lsl3: R[OPI.rd] = R[OPI.rn] + (R[OPI.rm] << 3); NEXT();
}
