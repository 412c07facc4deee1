/* cpus/arm/jit.c — compiles hot Cortex-M blocks to x86-64 host code.
 *
 * The block executor (block.c) stays the reference and runs everything first. A block entered
 * `jit_threshold` times is compiled here, once, from its ops as built (fused CMP+Bcc, IT
 * groups, flags of dead-flag ops left out, folded literals): each op becomes the host
 * instructions of what its label in arm_exec does, with no dispatch. Guest registers and
 * flags stay in the ArmCpu (r12 points at it) in the executor's representation (N = nf<31>,
 * Z = zf == 0, C = cf 0/1, V = vf<31>; x86's carry after a subtraction is the inverse of
 * Arm's C), so an exit or a handler call needs no flush.
 *
 * Anything the executor does through a handler is done the same way here: bring insns, pc and
 * r[15] up to date, call the instruction's handler, then go on only if pc went straight on,
 * nothing is in `slow` and the block still fits the budget (else leave with the count after
 * it). Loads, stores, PUSH, POP, LDRD, STRD, TBB, TBH and POP {pc} probe the data TLB inline
 * and take that handler path when they miss, cross a page or are misaligned; simple
 * instructions not written out here call their handler directly (they cannot fault).
 *
 * Exits: a direct transfer (B, BL, Bcc, CBZ, fused compare, fall-through) leaves through its
 * exit slot; its site is patched into a jump to the next block's code once that block is
 * compiled and the slot is chained under the current chain tag, which the site carries (any
 * flush bumps the tag, so a site linked before never matches again). Computed transfers look
 * in the jump cache. Every block's code starts by checking that it fits the budget, so that a
 * linked jump needs no other test; compiled code leaves to arm_exec with cpu.insns and pc
 * exact. Code space is only reset (with every block) at the start of arm_blocks_run, where no
 * compiled code runs.
 *
 * Registers: r12 = cpu, r14 = the instruction count at block entry, r15 = jump cache, ebp =
 * chain tag; rax, rcx, rdx, r8-r10 are scratch (everything else of the host is untouched or
 * saved by the callee). */
#include "cpus/arm/exec-inl.h"
#include "cpus/x86-emit.h"

#include <stddef.h>

#if defined(__x86_64__) && defined(__linux__)

#define JIT_BUFFER_SIZE (16u << 20)

typedef struct ArmJit {
	X86Code x;
} ArmJit;

#define OFF(f) ((int32_t)offsetof(ArmCpu, f))
#define OFF_R(n) (OFF(r) + 4 * (int32_t)(n))
#define OFF_INSNS OFF(cpu.insns)
#define OFF_STOP OFF(cpu.stop_at)

typedef struct Cold {
	unsigned kind, i;
	uint8_t *from[4];           /* ends of the jcc rel32s that lead here */
	uint8_t *resume;
	unsigned slot, count;       /* COLD_CHAIN */
	uint32_t target;
} Cold;

enum { COLD_CALL, COLD_CALL_END, COLD_CHAIN };

typedef struct Ctx {
	Emit e;
	ArmCpu *cpu;
	ArmBlock *b;
	ArmJit *jit;
	Cold cold[2 * ARM_BLOCK_MAX + 2];
	unsigned n_cold;
} Ctx;

static Cold *new_cold(Ctx *c, unsigned kind, unsigned i)
{
	Cold *k = &c->cold[c->n_cold++];
	*k = (Cold){ .kind = kind, .i = i };
	return k;
}

static void ret_null(Ctx *c)
{
	alu_rr(&c->e, false, ALU_XOR, RAX, RAX);
	jmp_to(&c->e, c->jit->x.epilogue);
}

/* cpu.insns = base + n */
static void set_insns(Ctx *c, unsigned n)
{
	lea(&c->e, RDX, R14, (int32_t)n);
	st(&c->e, true, RDX, R12, OFF_INSNS);
}

/* Leave after op i with the count after it (pc as its handler left it). */
static void leave_after(Ctx *c, unsigned i)
{
	set_insns(c, c->b->ops[i].idx + 1u);
	ret_null(c);
}

/* L_CALL's first half: exact state, then the handler of op i. */
static void call_handler(Ctx *c, unsigned i)
{
	const ArmOp *op = &c->b->ops[i];
	set_insns(c, op->idx);
	st_i32(&c->e, R12, OFF(pc), op->pc);
	st_i32(&c->e, R12, OFF_R(15), op->pc + 4);
	mov_rr(&c->e, true, RDI, R12);
	mov_ri(&c->e, RSI, (uint64_t)(uintptr_t)&op->in);
	call(&c->e, (const void *)op->in.fn);
}

/* After a handler: go on only if pc went straight on, nothing asks for the slow path and the
 * block still fits the budget. */
static void check_continue(Ctx *c, unsigned i)
{
	const ArmOp *op = &c->b->ops[i];
	uint8_t *out[3], *ok;
	alu_mi(&c->e, false, ALU_CMP, R12, OFF(pc), (int32_t)(op->pc + op->in.len));
	out[0] = jcc(&c->e, CC_NE);
	alu_mi(&c->e, false, ALU_CMP, R12, OFF(slow), 0);
	out[1] = jcc(&c->e, CC_NE);
	ld(&c->e, true, RAX, R12, OFF_STOP);
	alu_rr(&c->e, true, ALU_SUB, RAX, R14);
	alu_ri(&c->e, true, ALU_CMP, RAX, (int32_t)c->b->n);
	out[2] = jcc(&c->e, CC_L);
	ok = jmp(&c->e);
	for (unsigned k = 0; k < 3; k++)
		patch(&c->e, out[k], c->e.p);
	leave_after(c, i);
	patch(&c->e, ok, c->e.p);
}

/* Called by compiled code when an exit is chained to a compiled block but its site still
 * jumps elsewhere: point the site at that block (valid while the chain tag stays the same:
 * the site holds it as a 32-bit immediate, compared with ebp) and return the block's code. */
static const void *link_site(ArmCpu *cpu, ArmExit *ex)
{
	if (ex->site)
		x86_site_link(ex->site, false, cpu->chain_tag, ex->to->jit);
	return ex->to->jit;
}

/* A direct transfer through exit slot `slot` to `target`, `count` instructions of this block
 * retired (the executor's CHAIN). */
static void chain(Ctx *c, unsigned slot, uint32_t target, unsigned count)
{
	ArmExit *ex = &c->b->exits[slot];

	if (count)
		alu_ri(&c->e, true, ALU_ADD, R14, (int32_t)count);
	ex->site = x86_chain_site(&c->e, false, 0);          /* 0: never a chain tag */
	x86_chain_follow(&c->e, ex, false, (int32_t)offsetof(ArmExit, tag),
	                 (int32_t)offsetof(ArmExit, to), (int32_t)offsetof(ArmBlock, jit),
	                 (const void *)link_site);
	st(&c->e, true, R14, R12, OFF_INSNS);
	st_i32(&c->e, R12, OFF(pc), target);
	mov_ri(&c->e, RAX, (uint64_t)(uintptr_t)ex);
	jmp_to(&c->e, c->jit->x.epilogue);
}

/* A computed transfer to eax (r14 already the count after it): through the jump cache to the
 * next block's code when it is compiled (it checks the budget itself), else to the executor's
 * L_jump. */
static void jump(Ctx *c)
{
	uint8_t *out[3];
	G_STATIC_ASSERT(sizeof(ArmJcEntry) == 24);
	mov_rr(&c->e, false, RCX, RAX);
	shift_ri(&c->e, false, SH_SHR, RCX, 1);
	mov_rr(&c->e, false, RDX, RAX);
	shift_ri(&c->e, false, SH_SHR, RDX, ARM_JC_BITS + 1);
	alu_rr(&c->e, false, ALU_XOR, RCX, RDX);
	alu_ri(&c->e, false, ALU_AND, RCX, ARM_JC_SIZE - 1);
	/* lea rcx, [rcx + rcx*2]; lea rcx, [r15 + rcx*8] */
	b1(&c->e, 0x48); b1(&c->e, 0x8d); b1(&c->e, 0x0c); b1(&c->e, 0x49);
	b1(&c->e, 0x49); b1(&c->e, 0x8d); b1(&c->e, 0x0c); b1(&c->e, 0xcf);
	alu_rm(&c->e, false, ALU_CMP, RAX, RCX, (int32_t)offsetof(ArmJcEntry, pc));
	out[0] = jcc(&c->e, CC_NE);
	alu_rm(&c->e, false, ALU_CMP, RBP, RCX, (int32_t)offsetof(ArmJcEntry, tag));
	out[1] = jcc(&c->e, CC_NE);
	ld(&c->e, true, RDX, RCX, (int32_t)offsetof(ArmJcEntry, b));
	ld(&c->e, true, RDX, RDX, (int32_t)offsetof(ArmBlock, jit));
	alu_rr(&c->e, true, ALU_OR, RDX, RDX);
	out[2] = jcc(&c->e, CC_E);
	jmp_reg(&c->e, RDX);
	for (unsigned k = 0; k < 3; k++)
		patch(&c->e, out[k], c->e.p);
	st(&c->e, true, R14, R12, OFF_INSNS);
	st(&c->e, false, RAX, R12, OFF(pc));
	mov_ri(&c->e, RAX, (uint64_t)(uintptr_t)ARM_JIT_JUMP);
	jmp_to(&c->e, c->jit->x.epilogue);
}

/* L_CALL_END: the handler, then the block ends at whatever pc it left. */
static void call_end(Ctx *c, unsigned i)
{
	uint8_t *slow;
	call_handler(c, i);
	alu_ri(&c->e, true, ALU_ADD, R14, (int32_t)(c->b->ops[i].idx + 1u));
	st(&c->e, true, R14, R12, OFF_INSNS);
	alu_mi(&c->e, false, ALU_CMP, R12, OFF(slow), 0);
	slow = jcc(&c->e, CC_NE);
	ld(&c->e, false, RAX, R12, OFF(pc));
	jump(c);
	patch(&c->e, slow, c->e.p);
	ret_null(c);
}

/* ---- flags ---------------------------------------------------------------------------------- */

static void store_nz(Ctx *c, unsigned reg)
{
	st(&c->e, false, reg, R12, OFF(nf));
	st(&c->e, false, reg, R12, OFF(zf));
}

/* After a host add or subtract whose result is in reg: all four flags (`inv`: a subtraction,
 * whose host carry is the inverse of Arm's C). */
static void store_nzcv(Ctx *c, unsigned reg, bool inv)
{
	setcc(&c->e, inv ? CC_AE : CC_B, R8);
	setcc(&c->e, CC_O, R9);
	rm_reg(&c->e, false, 0x0fb6, R8, R8);
	rm_reg(&c->e, false, 0x0fb6, R9, R9);
	shift_ri(&c->e, false, SH_SHL, R9, 31);
	store_nz(c, reg);
	st(&c->e, false, R8, R12, OFF(cf));
	st(&c->e, false, R9, R12, OFF(vf));
}

/* Test Arm condition `cond` on the stored flags; the host condition that means "holds", or
 * -1 for always. */
static int cond_test(Ctx *c, unsigned cond)
{
	static const int8_t simple[8][2] = {   /* field offset index, host cc */
		{ 1, CC_E }, { 1, CC_NE }, { 2, CC_NE }, { 2, CC_E },
		{ 0, CC_L }, { 0, CC_GE }, { 3, CC_L }, { 3, CC_GE },
	};
	const int32_t field[4] = { OFF(nf), OFF(zf), OFF(cf), OFF(vf) };
	cond &= 15;
	if (cond < 8) {
		alu_mi(&c->e, false, ALU_CMP, R12, field[simple[cond][0]], 0);
		return simple[cond][1];
	}
	switch (cond) {
	case 8: case 9:        /* hi, ls: C set and Z clear */
		alu_mi(&c->e, false, ALU_CMP, R12, OFF(cf), 0);
		setcc(&c->e, CC_NE, RAX);
		alu_mi(&c->e, false, ALU_CMP, R12, OFF(zf), 0);
		setcc(&c->e, CC_NE, RDX);
		rm_reg(&c->e, false, 0x84, RDX, RAX);          /* test al, dl */
		return cond == 8 ? CC_NE : CC_E;
	case 10: case 11:      /* ge, lt: N == V */
		ld(&c->e, false, RAX, R12, OFF(nf));
		alu_rm(&c->e, false, ALU_XOR, RAX, R12, OFF(vf));
		return cond == 10 ? CC_NS : CC_S;
	case 12: case 13:      /* gt, le: Z clear and N == V */
		ld(&c->e, false, RAX, R12, OFF(nf));
		alu_rm(&c->e, false, ALU_XOR, RAX, R12, OFF(vf));
		setcc(&c->e, CC_NS, RAX);
		alu_mi(&c->e, false, ALU_CMP, R12, OFF(zf), 0);
		setcc(&c->e, CC_NE, RDX);
		rm_reg(&c->e, false, 0x84, RDX, RAX);
		return cond == 12 ? CC_NE : CC_E;
	default:
		return -1;
	}
}

/* ---- data processing -------------------------------------------------------------------- */

enum { OP_AND, OP_EOR, OP_ORR, OP_ORN, OP_BIC, OP_MOV, OP_MVN, OP_TST, OP_TEQ,
       OP_ADD, OP_ADC, OP_SUB, OP_SBC, OP_RSB, OP_CMP, OP_CMN };
enum { SRC_IMM, SRC_REG, SRC_SHIFT };

typedef struct Dp {
	unsigned op, src, sh, amt;
	bool flags;
} Dp;

/* A data-processing kind as operation, operand 2 and flags; false when it is not one (or its
 * shift is not a known one by 1 to 31). */
static bool dp_decode(unsigned k, const ArmInsn *in, Dp *d)
{
	if (k >= K_and_i && k <= K_cmn_rshs) {
		unsigned form = (k - K_and_i) % 6;   /* i is r rs rsh rshs */
		d->op = (k - K_and_i) / 6;
		d->flags = form & 1;
		d->src = form < 2 ? SRC_IMM : form < 4 ? SRC_REG : SRC_SHIFT;
		d->sh = in->sh;
		d->amt = in->amt;
		if (d->src == SRC_SHIFT) {
			if (in->sh == ARM_SH_LSL && in->amt == 0)
				d->src = SRC_REG;
			else if (in->sh > ARM_SH_ROR || in->amt < 1 || in->amt > 31)
				return false;
		}
		return true;
	}
	if (k >= K_and_rsh_lsl && k < K_add_rsh_lsl) {
		d->op = (k - K_and_rsh_lsl) / 4;
		d->sh = (k - K_and_rsh_lsl) % 4;
		d->flags = false;
	} else if (k >= K_add_rsh_lsl && k < K_SH_END) {
		unsigned j = k - K_add_rsh_lsl;
		d->op = OP_ADD + j / 8;
		d->sh = j % 4;
		d->flags = j % 8 >= 4;
	} else {
		return false;
	}
	d->src = SRC_SHIFT;
	d->amt = in->amt;
	return in->amt >= 1 && in->amt <= 31;
}

static const unsigned host_shift[4] = { SH_SHL, SH_SHR, SH_SAR, SH_ROR };

/* rdx = Rn op operand 2, the flags as the executor sets them, Rd written. eax keeps Rn for a
 * fused compare's branch (cmp eax, ecx). */
static void emit_dp(Ctx *c, const ArmInsn *in, const Dp *d)
{
	bool logic = d->op <= OP_TEQ, shifter_c = logic && d->flags && d->src == SRC_SHIFT;
	bool inv = false;

	if (d->src == SRC_IMM) {
		mov_ri(&c->e, RCX, in->imm);
	} else {
		ld(&c->e, false, RCX, R12, OFF_R(in->rm));
		if (d->src == SRC_SHIFT) {
			shift_ri(&c->e, false, host_shift[d->sh], RCX, d->amt);
			if (shifter_c)
				setcc(&c->e, CC_B, R10);
		}
	}
	if (d->op != OP_MOV && d->op != OP_MVN && d->op != OP_RSB)
		ld(&c->e, false, RAX, R12, OFF_R(in->rn));
	if (d->op == OP_ORN || d->op == OP_BIC || d->op == OP_MVN)
		rm_reg(&c->e, false, 0xf7, 2, RCX);             /* not ecx */
	switch (d->op) {
	case OP_MOV: case OP_MVN:
		mov_rr(&c->e, false, RDX, RCX);
		break;
	case OP_RSB:
		mov_rr(&c->e, false, RDX, RCX);
		alu_rm(&c->e, false, ALU_SUB, RDX, R12, OFF_R(in->rn));
		inv = true;
		break;
	default: {
		static const uint8_t alu[16] = {
			[OP_AND] = ALU_AND, [OP_EOR] = ALU_XOR, [OP_ORR] = ALU_OR, [OP_ORN] = ALU_OR,
			[OP_BIC] = ALU_AND, [OP_TST] = ALU_AND, [OP_TEQ] = ALU_XOR, [OP_ADD] = ALU_ADD,
			[OP_ADC] = ALU_ADC, [OP_SUB] = ALU_SUB, [OP_SBC] = ALU_SBB, [OP_CMP] = ALU_SUB,
			[OP_CMN] = ALU_ADD,
		};
		mov_rr(&c->e, false, RDX, RAX);
		if (d->op == OP_ADC || d->op == OP_SBC) {
			rm_mem(&c->e, false, 0x0fba, 4, R12, OFF(cf));   /* bt dword [cf], 0 */
			b1(&c->e, 0);
			if (d->op == OP_SBC)
				b1(&c->e, 0xf5);                           /* cmc: borrow = !C */
		}
		alu_rr(&c->e, false, alu[d->op], RDX, RCX);
		inv = d->op == OP_SUB || d->op == OP_SBC || d->op == OP_CMP;
		break;
	}
	}
	if (d->flags) {
		if (logic) {
			store_nz(c, RDX);
			if (shifter_c) {
				rm_reg(&c->e, false, 0x0fb6, R10, R10);
				st(&c->e, false, R10, R12, OFF(cf));
			} else if (d->src == SRC_IMM && (in->flags & ARM_IF_CSET)) {
				st_i32(&c->e, R12, OFF(cf), (in->flags & ARM_IF_CVAL) ? 1 : 0);
			}
		} else {
			store_nzcv(c, RDX, inv);
		}
	}
	if (d->op != OP_TST && d->op != OP_TEQ && d->op != OP_CMP && d->op != OP_CMN)
		st(&c->e, false, RDX, R12, OFF_R(in->rd));
}

/* The other simple kinds written out here; false for the rest (their handler is called). */
static bool emit_other_simple(Ctx *c, unsigned k, const ArmInsn *in)
{
	Emit *e = &c->e;
	switch (k) {
	case K_nop:
		return true;
	case K_add_lsl1: case K_add_lsl2: case K_add_lsl3:
		ld(e, false, RCX, R12, OFF_R(in->rm));
		shift_ri(e, false, SH_SHL, RCX, k - K_add_lsl1 + 1u);
		alu_rm(e, false, ALU_ADD, RCX, R12, OFF_R(in->rn));
		st(e, false, RCX, R12, OFF_R(in->rd));
		return true;
	case K_movt:
		rm_mem(e, false, 0x0fb7, RCX, R12, OFF_R(in->rd));   /* movzx ecx, word [rd] */
		alu_ri(e, false, ALU_OR, RCX, (int32_t)(in->imm << 16));
		st(e, false, RCX, R12, OFF_R(in->rd));
		return true;
	case K_mul: case K_muls: case K_mla: case K_mls:
		ld(e, false, RCX, R12, OFF_R(in->rn));
		rm_mem(e, false, 0x0faf, RCX, R12, OFF_R(in->rm));   /* imul ecx, [rm] */
		if (k == K_mla) {
			alu_rm(e, false, ALU_ADD, RCX, R12, OFF_R(in->ra));
		} else if (k == K_mls) {
			ld(e, false, RDX, R12, OFF_R(in->ra));
			alu_rr(e, false, ALU_SUB, RDX, RCX);
			mov_rr(e, false, RCX, RDX);
		}
		st(e, false, RCX, R12, OFF_R(in->rd));
		if (k == K_muls)
			store_nz(c, RCX);
		return true;
	case K_sxtb: case K_sxth: case K_uxtb: case K_uxth: {
		static const unsigned ext[4] = { 0x0fbe, 0x0fbf, 0x0fb6, 0x0fb7 };
		ld(e, false, RCX, R12, OFF_R(in->rm));
		if (in->amt & 31)
			shift_ri(e, false, SH_ROR, RCX, in->amt & 31);
		rm_reg(e, false, ext[k - K_sxtb], RCX, RCX);
		st(e, false, RCX, R12, OFF_R(in->rd));
		return true;
	}
	case K_ubfx: case K_sbfx: {
		unsigned w = in->x;
		if (w == 0 || w >= 32 || in->amt + w > 32)
			return false;
		ld(e, false, RCX, R12, OFF_R(in->rn));
		shift_ri(e, false, SH_SHL, RCX, 32 - in->amt - w);
		if (32 - w)
			shift_ri(e, false, k == K_ubfx ? SH_SHR : SH_SAR, RCX, 32 - w);
		st(e, false, RCX, R12, OFF_R(in->rd));
		return true;
	}
	default:
		return false;
	}
}

static bool is_simple(unsigned k)
{
	return k >= K_and_i && k < K_SIMPLE_END;
}

static void emit_simple(Ctx *c, unsigned k, const ArmOp *op)
{
	Dp d;
	if (dp_decode(k, &op->in, &d)) {
		emit_dp(c, &op->in, &d);
		return;
	}
	if (emit_other_simple(c, k, &op->in))
		return;
	/* Its handler: it cannot fault, and pc is set at every exit. The dead-flag version of a
	 * flag-setting op writes flags that a later op overwrites before anything reads them. */
	mov_rr(&c->e, true, RDI, R12);
	mov_ri(&c->e, RSI, (uint64_t)(uintptr_t)&op->in);
	call(&c->e, (const void *)op->in.fn);
}

/* ---- loads and stores ---------------------------------------------------------------------- */

/* rcx = host address of the guest address in eax for an access of `size` (`write`: the store
 * set), when the TLB holds its page; else to cold. `span` > size: the access covers that
 * many bytes from eax, all in the page. */
static void tlb_probe(Ctx *c, bool write, unsigned size, unsigned span, Cold *cold)
{
	G_STATIC_ASSERT(sizeof(ArmTlbEntry) == 16);
	mov_rr(&c->e, false, RCX, RAX);
	shift_ri(&c->e, false, SH_SHR, RCX, ARM_PAGE_BITS);
	mov_rr(&c->e, false, RDX, RAX);
	shift_ri(&c->e, false, SH_SHR, RDX, ARM_PAGE_BITS + ARM_TLB_BITS);
	alu_rr(&c->e, false, ALU_XOR, RCX, RDX);
	alu_ri(&c->e, false, ALU_AND, RCX, ARM_TLB_SIZE - 1);
	shift_ri(&c->e, false, SH_SHL, RCX, 4);
	alu_rm(&c->e, true, ALU_ADD, RCX, R12, write ? OFF(tlb_wr) : OFF(tlb_rd));
	mov_rr(&c->e, false, RDX, RAX);
	alu_ri(&c->e, false, ALU_AND, RDX, (int32_t)(~ARM_PAGE_MASK | (size - 1u)));
	alu_rm(&c->e, false, ALU_CMP, RDX, RCX, (int32_t)offsetof(ArmTlbEntry, tag));
	cold->from[0] = jcc(&c->e, CC_NE);
	if (span > size) {
		mov_rr(&c->e, false, RDX, RAX);
		alu_ri(&c->e, false, ALU_AND, RDX, ARM_PAGE_MASK);
		alu_ri(&c->e, false, ALU_CMP, RDX, (int32_t)(ARM_PAGE_SIZE - span));
		cold->from[1] = jcc(&c->e, CC_A);
	}
	ld(&c->e, true, RCX, RCX, (int32_t)offsetof(ArmTlbEntry, addend));
	alu_rr(&c->e, true, ALU_ADD, RCX, RAX);
}

static void emit_ldst(Ctx *c, unsigned i, unsigned k)
{
	static const struct {
		uint8_t size;
		bool store;
		uint16_t op;                /* load: extension; store: opcode */
	} acc[8] = {
		{ 4, false, 0x8b }, { 1, false, 0x0fb6 }, { 1, false, 0x0fbe }, { 2, false, 0x0fb7 },
		{ 2, false, 0x0fbf }, { 4, true, 0x89 }, { 1, true, 0x88 }, { 2, true, 0x89 },
	};
	const ArmOp *op = &c->b->ops[i];
	const ArmInsn *in = &op->in;
	unsigned j = k - K_ldr_i, form = j % 5, size = acc[j / 5].size;
	bool store = acc[j / 5].store;
	Cold *cold = new_cold(c, COLD_CALL, i);

	switch (form) {
	case 0: case 1:            /* i, pre */
		ld(&c->e, false, RAX, R12, OFF_R(in->rn));
		if (in->imm)
			alu_ri(&c->e, false, ALU_ADD, RAX, (int32_t)in->imm);
		break;
	case 2:                    /* post */
		ld(&c->e, false, RAX, R12, OFF_R(in->rn));
		break;
	case 3:                    /* r */
		ld(&c->e, false, RAX, R12, OFF_R(in->rm));
		if (in->amt)
			shift_ri(&c->e, false, SH_SHL, RAX, in->amt);
		alu_rm(&c->e, false, ALU_ADD, RAX, R12, OFF_R(in->rn));
		break;
	default:                   /* lit */
		mov_ri(&c->e, RAX, in->imm);
		break;
	}
	tlb_probe(c, store, size, size, cold);
	if (store) {
		ld(&c->e, false, RDX, R12, OFF_R(in->rd));
		if (size == 2)
			b1(&c->e, 0x66);
		rm_mem(&c->e, false, acc[j / 5].op, RDX, RCX, 0);
	} else {
		rm_mem(&c->e, false, acc[j / 5].op, RDX, RCX, 0);
		st(&c->e, false, RDX, R12, OFF_R(in->rd));
	}
	if (form == 1) {
		st(&c->e, false, RAX, R12, OFF_R(in->rn));
	} else if (form == 2) {
		alu_ri(&c->e, false, ALU_ADD, RAX, (int32_t)in->imm);
		st(&c->e, false, RAX, R12, OFF_R(in->rn));
	}
	cold->resume = c->e.p;
}

/* LDRD / STRD without writeback: both words in one page. */
static void emit_ldrd(Ctx *c, unsigned i, bool store)
{
	const ArmOp *op = &c->b->ops[i];
	Cold *cold = new_cold(c, COLD_CALL, i);
	ld(&c->e, false, RAX, R12, OFF_R(op->in.rn));
	if (op->lit)
		alu_ri(&c->e, false, ALU_ADD, RAX, (int32_t)op->lit);
	tlb_probe(c, store, 4, 8, cold);
	if (store) {
		ld(&c->e, false, RDX, R12, OFF_R(op->in.rd));
		st(&c->e, false, RDX, RCX, 0);
		ld(&c->e, false, RDX, R12, OFF_R(op->in.ra));
		st(&c->e, false, RDX, RCX, 4);
	} else {
		ld(&c->e, false, RDX, RCX, 0);
		ld(&c->e, false, R8, RCX, 4);
		st(&c->e, false, RDX, R12, OFF_R(op->in.rd));
		st(&c->e, false, R8, R12, OFF_R(op->in.ra));
	}
	cold->resume = c->e.p;
}

/* The registers of a PUSH/POP list (pc and SP excluded) from/to [rcx]. */
static void transfer_list(Ctx *c, uint32_t list, bool store)
{
	int32_t off = 0;
	for (list &= 0x7FFF; list; list &= list - 1, off += 4) {
		unsigned r = (unsigned)__builtin_ctz(list);
		if (store) {
			ld(&c->e, false, RDX, R12, OFF_R(r));
			st(&c->e, false, RDX, RCX, off);
		} else {
			ld(&c->e, false, RDX, RCX, off);
			st(&c->e, false, RDX, R12, OFF_R(r));
		}
	}
}

static void emit_push_pop(Ctx *c, unsigned i, bool push)
{
	const ArmOp *op = &c->b->ops[i];
	Cold *cold = new_cold(c, COLD_CALL, i);
	ld(&c->e, false, RAX, R12, OFF_R(13));
	if (push)
		alu_ri(&c->e, false, ALU_SUB, RAX, op->aux);
	tlb_probe(c, push, 4, op->aux, cold);
	transfer_list(c, op->in.imm, push);
	if (!push)
		alu_ri(&c->e, false, ALU_ADD, RAX, op->aux);
	st(&c->e, false, RAX, R12, OFF_R(13));
	cold->resume = c->e.p;
}

/* To cold unless the target in reg (not rdx) is a plain Thumb address (PLAIN_TARGET). */
static void plain_target(Ctx *c, unsigned reg, Cold *cold, unsigned n)
{
	uint8_t *ok;
	mov_rr(&c->e, false, RDX, reg);
	alu_ri(&c->e, false, ALU_AND, RDX, 1);
	cold->from[n] = jcc(&c->e, CC_E);
	mov_rr(&c->e, false, RDX, reg);
	shift_ri(&c->e, false, SH_SHR, RDX, 28);
	alu_ri(&c->e, false, ALU_CMP, RDX, 15);
	ok = jcc(&c->e, CC_NE);
	alu_mi(&c->e, false, ALU_CMP, R12, OFF(ipsr), 0);
	cold->from[n + 1] = jcc(&c->e, CC_NE);
	patch(&c->e, ok, c->e.p);
}

/* ---- the block ---------------------------------------------------------------------------- */

static const uint8_t arm_cc_of_cmp[12] = {   /* ARM_CONDS order, after cmp a, b */
	CC_E, CC_NE, CC_AE, CC_B, CC_S, CC_NS, CC_A, CC_BE, CC_GE, CC_L, CC_G, CC_LE,
};
static const uint8_t cond_of_branch[12] = { 0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13 };

/* A conditional direct branch: taken through slot 0 (out of line), else slot 1. */
static void branch(Ctx *c, unsigned i, int cc, unsigned count, uint32_t target, uint32_t next)
{
	if (cc < 0) {
		chain(c, 0, target, count);
		return;
	}
	Cold *k = new_cold(c, COLD_CHAIN, i);
	k->from[0] = jcc(&c->e, (unsigned)cc);
	k->slot = 0;
	k->target = target;
	k->count = count;
	chain(c, 1, next, count);
}

/* One op on the main path; false when it ended the block. */
static bool emit_op(Ctx *c, unsigned i, unsigned k)
{
	const ArmOp *op = &c->b->ops[i];
	const ArmInsn *in = &op->in;
	uint32_t next = op->pc + in->len;

	if (is_simple(k)) {
		emit_simple(c, k, op);
		return true;
	}
	if (k >= K_ldr_i && k <= K_strh_lit) {
		emit_ldst(c, i, k);
		return true;
	}
	if (k >= K_CMPI_eq && k < K_CMPI_eq + 24) {
		unsigned cc = (k - K_CMPI_eq) / 2;
		Dp d = { .op = OP_CMP, .src = (k - K_CMPI_eq) % 2 ? SRC_REG : SRC_IMM, .flags = true };
		emit_dp(c, in, &d);
		alu_rr(&c->e, false, ALU_CMP, RAX, RCX);
		branch(c, i, arm_cc_of_cmp[cc], op->idx + 2u, op[1].in.imm, op[1].pc + op[1].in.len);
		return false;
	}
	if (k >= K_BEQ && k <= K_BLE) {
		branch(c, i, cond_test(c, cond_of_branch[k - K_BEQ]), op->idx + 1u, in->imm, next);
		return false;
	}
	switch (k) {
	case K_END:
		chain(c, 1, op->pc, op->idx);
		return false;
	case K_B:
		chain(c, 0, in->imm, op->idx + 1u);
		return false;
	case K_BL:
		st_i32(&c->e, R12, OFF_R(14), (op->pc + 4) | 1);
		chain(c, 0, in->imm, op->idx + 1u);
		return false;
	case K_BCC:
		branch(c, i, cond_test(c, in->sh), op->idx + 1u, in->imm, next);
		return false;
	case K_CBZ: case K_CBNZ:
		alu_mi(&c->e, false, ALU_CMP, R12, OFF_R(in->rn), 0);
		branch(c, i, k == K_CBZ ? CC_E : CC_NE, op->idx + 1u, in->imm, next);
		return false;
	case K_COND: {
		int cc = cond_test(c, op->cond);
		uint8_t *skip = cc < 0 ? NULL : jcc(&c->e, (unsigned)cc ^ 1);
		if (op->aux == K_B)
			chain(c, 0, in->imm, op->idx + 1u);
		else
			emit_simple(c, op->aux, op);
		patch(&c->e, skip, c->e.p);
		return true;
	}
	case K_LIT: {
		Cold *cold = new_cold(c, COLD_CALL, i);
		alu_mi(&c->e, false, ALU_CMP, R12, OFF(mpu_ctx), ARM_CTX_DEFAULT);
		cold->from[0] = jcc(&c->e, CC_NE);
		st_i32(&c->e, R12, OFF_R(in->rd), op->lit);
		cold->resume = c->e.p;
		return true;
	}
	case K_LDRD: case K_STRD:
		emit_ldrd(c, i, k == K_STRD);
		return true;
	case K_PUSH: case K_POP:
		emit_push_pop(c, i, k == K_PUSH);
		return true;
	case K_CALL:
		call_handler(c, i);
		check_continue(c, i);
		return true;
	case K_CALL_END:
		call_end(c, i);
		return false;
	case K_BX: case K_BLX: {
		Cold *cold = new_cold(c, COLD_CALL_END, i);
		ld(&c->e, false, RAX, R12, OFF_R(in->rm));
		plain_target(c, RAX, cold, 0);
		if (k == K_BLX)
			st_i32(&c->e, R12, OFF_R(14), (op->pc + 2) | 1);
		alu_ri(&c->e, true, ALU_ADD, R14, (int32_t)(op->idx + 1u));
		alu_ri(&c->e, false, ALU_AND, RAX, -2);
		jump(c);
		return false;
	}
	case K_TBB: case K_TBH: {
		Cold *cold = new_cold(c, COLD_CALL_END, i);
		ld(&c->e, false, RAX, R12, OFF_R(in->rm));
		if (k == K_TBH)
			shift_ri(&c->e, false, SH_SHL, RAX, 1);
		if (in->rn == 15)
			alu_ri(&c->e, false, ALU_ADD, RAX, (int32_t)(op->pc + 4));
		else
			alu_rm(&c->e, false, ALU_ADD, RAX, R12, OFF_R(in->rn));
		tlb_probe(c, false, k == K_TBB ? 1 : 2, k == K_TBB ? 1 : 2, cold);
		rm_mem(&c->e, false, k == K_TBB ? 0x0fb6 : 0x0fb7, RAX, RCX, 0);
		alu_rr(&c->e, false, ALU_ADD, RAX, RAX);
		alu_ri(&c->e, false, ALU_ADD, RAX, (int32_t)(op->pc + 4));
		alu_ri(&c->e, true, ALU_ADD, R14, (int32_t)(op->idx + 1u));
		jump(c);
		return false;
	}
	case K_POP_PC: {
		Cold *cold = new_cold(c, COLD_CALL_END, i);
		ld(&c->e, false, RAX, R12, OFF_R(13));
		tlb_probe(c, false, 4, op->aux, cold);
		ld(&c->e, false, R8, RCX, op->aux - 4);
		plain_target(c, R8, cold, 2);
		transfer_list(c, in->imm, false);
		alu_ri(&c->e, false, ALU_ADD, RAX, op->aux);
		st(&c->e, false, RAX, R12, OFF_R(13));
		alu_ri(&c->e, true, ALU_ADD, R14, (int32_t)(op->idx + 1u));
		mov_rr(&c->e, false, RAX, R8);
		alu_ri(&c->e, false, ALU_AND, RAX, -2);
		jump(c);
		return false;
	}
	default:
		return true;   /* not reached: compilable() vetted the block */
	}
}

/* Kinds compiled here (all that a kept block holds but the run_cut stop). */
static bool compilable(unsigned k, const ArmOp *op)
{
	if (k == K_STOP || k >= K_COUNT)
		return false;
	if (k == K_COND)
		return op->aux == K_B || is_simple(op->aux);
	return true;
}

static bool compile(ArmCpu *cpu, ArmJit *jit, ArmBlock *b, const uint16_t *kinds)
{
	Ctx *c = g_new(Ctx, 1);
	uint8_t *start, *nofit;
	bool ok = false;

	for (unsigned i = 0; i <= b->n; i++)
		if (!compilable(kinds[i], &b->ops[i]))
			goto out;
	c->cpu = cpu;
	c->b = b;
	c->jit = jit;
	c->n_cold = 0;
	c->e = x86_code_emit(&jit->x);
	start = c->e.p;
	/* Entry: the block runs only when it fits the budget from the count in r14. */
	ld(&c->e, true, RAX, R12, OFF_STOP);
	alu_rr(&c->e, true, ALU_SUB, RAX, R14);
	alu_ri(&c->e, true, ALU_CMP, RAX, (int32_t)b->n);
	nofit = jcc(&c->e, CC_L);
	for (unsigned i = 0; i <= b->n; i++)
		if (!emit_op(c, i, kinds[i]))
			break;
	patch(&c->e, nofit, c->e.p);
	st(&c->e, true, R14, R12, OFF_INSNS);
	st_i32(&c->e, R12, OFF(pc), b->pc);
	ret_null(c);
	for (unsigned n = 0; n < c->n_cold; n++) {
		const Cold *k = &c->cold[n];
		for (unsigned f = 0; f < 4; f++)
			patch(&c->e, k->from[f], c->e.p);
		if (k->kind == COLD_CHAIN) {
			chain(c, k->slot, k->target, k->count);
		} else if (k->kind == COLD_CALL_END) {
			call_end(c, k->i);
		} else {
			call_handler(c, k->i);
			check_continue(c, k->i);
			jmp_to(&c->e, k->resume);
		}
	}
	if (!x86_code_commit(&jit->x, &c->e, start, cpu->cpu.path ? cpu->cpu.path : "cortex-m",
	                     b->pc)) {
		b->exits[0].site = b->exits[1].site = NULL;
		goto out;
	}
	b->jit = start;
	ok = true;
out:
	g_free(c);
	return ok;
}

/* The fixed registers of compiled code, after r12 = cpu (in rdi). */
static void load_fixed(Emit *e)
{
	ld(e, true, R15, RDI, OFF(jc));
	ld(e, true, R14, RDI, OFF_INSNS);
	/* The chain tag cannot change while compiled code runs without it leaving first (a
	 * flush sets `slow`, which every handler call checks), so it lives in ebp. */
	ld(e, false, RBP, RDI, OFF(chain_tag));
}

static ArmJit *jit_get(ArmCpu *cpu)
{
	if (cpu->jit)
		return cpu->jit;
	cpu->jit = g_new0(ArmJit, 1);
	if (!x86_code_init(&cpu->jit->x, JIT_BUFFER_SIZE, 8, load_fixed)) {
		/* No executable memory (a hardened host): keep to the block executor. */
		g_clear_pointer(&cpu->jit, g_free);
		cpu->jit_threshold = UINT32_MAX;
	}
	return cpu->jit;
}

bool arm_jit_compile(ArmCpu *c, ArmBlock *b, const uint16_t *kinds)
{
	ArmJit *jit;
	if (c->jit_threshold == UINT32_MAX || !(jit = jit_get(c)) || jit->x.full)
		return false;
	return compile(c, jit, b, kinds);
}

ArmExit *arm_jit_run(ArmCpu *c, const ArmBlock *b)
{
	return ((ArmExit *(*)(ArmCpu *, const void *))c->jit->x.enter)(c, b->jit);
}

void arm_jit_set_capacity(ArmCpu *c, size_t bytes)
{
	ArmJit *jit = jit_get(c);
	if (jit)
		x86_code_set_capacity(&jit->x, bytes);
}

bool arm_jit_full(const ArmCpu *c)
{
	return c->jit && c->jit->x.full;
}

void arm_jit_reset(ArmCpu *c)
{
	if (!c->jit)
		return;
	x86_code_reset(&c->jit->x);
}

void arm_jit_destroy(ArmCpu *c)
{
	if (!c->jit)
		return;
	x86_code_destroy(&c->jit->x);
	g_clear_pointer(&c->jit, g_free);
}

uint32_t arm_jit_threshold_from_env(void)
{
	return soc_jit_threshold_from_env(ARM_JIT_DEFAULT_THRESHOLD, true);
}

#else   /* not an x86-64 Linux host: the block executor runs everything */

bool arm_jit_compile(ArmCpu *c, ArmBlock *b, const uint16_t *kinds)
{
	(void)c;
	(void)b;
	(void)kinds;
	return false;
}

ArmExit *arm_jit_run(ArmCpu *c, const ArmBlock *b)
{
	(void)c;
	(void)b;
	return NULL;
}

void arm_jit_set_capacity(ArmCpu *c, size_t bytes)
{
	(void)c;
	(void)bytes;
}

bool arm_jit_full(const ArmCpu *c)
{
	(void)c;
	return false;
}

void arm_jit_reset(ArmCpu *c)
{
	(void)c;
}

void arm_jit_destroy(ArmCpu *c)
{
	(void)c;
}

uint32_t arm_jit_threshold_from_env(void)
{
	return soc_jit_threshold_from_env(ARM_JIT_DEFAULT_THRESHOLD, false);
}

#endif
