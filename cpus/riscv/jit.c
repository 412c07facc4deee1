/* cpus/riscv/jit.c — compiles hot RISC-V blocks to x86-64 host code.
 *
 * The interpreter (exec.h) stays the reference and runs everything first. A block entered
 * `jit_threshold` times is compiled here, once, from its decoded ops: guest registers stay in
 * the hart's register array (rbx points at it), so each ALU instruction becomes two or three
 * host instructions with no dispatch; loads and stores probe the same software TLB inline and
 * call the interpreter's slow paths (rv_load_slow, rv_store_slow, rv_store_notify) out of
 * line; direct exits follow the same exit slots (RvExit) and jalr the same jump cache as the
 * interpreter, jumping straight into the next block's code when it is compiled, its chain tag
 * is current and it fits the budget. Every exit stores the exact instruction count and pc, so
 * time, traps and the budget behave exactly as in the interpreter.
 *
 * Blocks holding anything else (system instructions, AMOs, LR/SC, the misaligned-target
 * checks of harts without C) are simply not compiled. Compiled code lives in one mapping per
 * hart that is only reset by rv_code_flush (never while compiled code is running); when it is
 * full, the next rv_block_for_pc flushes all decoded code and starts again.
 *
 * Register use inside compiled code: r12 = cpu, r13 = data TLB, r14 = instruction
 * count at block entry, r15 = jump cache, rbp = chain tag; rax, rcx and rdx are scratch,
 * rbx, rsi, rdi and r8-r11 hold copies of guest registers (the pool, see put()). A block's code starts by checking that it fits the budget, so that linked exits
 * (direct jumps patched in by link_site) need no other test than the chain tag. The entry
 * trampoline saves the callee-saved registers and keeps a 16-byte-aligned frame with 24 bytes
 * of scratch at [rsp] (the slow load's result). */
#include "cpus/riscv/internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cpus/x86-emit.h"

#if defined(__x86_64__) && defined(__linux__)

#define JIT_BUFFER_SIZE (32u << 20)

struct RvJit {
	X86Code x;
};

/* ---- block compiler ------------------------------------------------------------------------ */

#define OFF_INSNS ((int32_t)offsetof(RvCpu, common.insns))
#define OFF_STOP ((int32_t)offsetof(RvCpu, common.stop_at))
#define OFF_PC ((int32_t)offsetof(RvCpu, pc))
#define OFF_EXIT_REQ ((int32_t)offsetof(RvCpu, exit_req))
#define OFF_TAG ((int32_t)offsetof(RvCpu, chain_tag))

/* Guest registers are written through to the hart's array at once, and also kept in host
 * registers of this pool while the block runs, so that a value just computed is read back
 * from a register instead of through memory (store-to-load forwarding costs several cycles
 * on every dependent instruction). Nothing is ever only in a register: exits need no flush,
 * and a cold path that called C reloads the pool from the array before resuming. */
#define POOL_N 7
static const unsigned pool[POOL_N] = { RBX, RSI, RDI, R8, R9, R10, R11 };

typedef struct RegCache {
	int8_t guest[POOL_N];       /* guest register held by pool[k], or -1 */
	uint32_t stamp[POOL_N];     /* last use, for eviction */
	uint32_t clock;
} RegCache;

typedef struct Ctx {
	Emit e;
	RvCpu *cpu;
	RvBlock *b;
	RvJit *jit;
	bool w;                     /* RV64 */
	unsigned rsz;               /* bytes per guest register */
	uint64_t mask;
	RegCache rc;
} Ctx;

#define OFF_X ((int32_t)offsetof(RvCpu, x64))
#define XOFF(c, r) (OFF_X + (int32_t)((r) * (c)->rsz))

static void cache_clear(RegCache *rc)
{
	memset(rc->guest, -1, sizeof(rc->guest));
}

/* The pool register holding guest register r, or -1. */
static int cached(Ctx *c, unsigned r)
{
	for (unsigned k = 0; k < POOL_N; k++)
		if (c->rc.guest[k] == (int)r) {
			c->rc.stamp[k] = ++c->rc.clock;
			return (int)pool[k];
		}
	return -1;
}

/* op dst, <guest register r>: from its pool register when cached, else from the array. */
static void op_src(Ctx *c, bool w, unsigned opc, unsigned dst, unsigned r)
{
	int h = cached(c, r);
	if (h >= 0)
		rm_reg(&c->e, w, opc, dst, (unsigned)h);
	else
		rm_mem(&c->e, w, opc, dst, R12, XOFF(c, r));
}

static void get(Ctx *c, bool w, unsigned dst, unsigned r)
{
	op_src(c, w, 0x8b, dst, r);
}

/* Guest register r = host register src (not a pool register): to the array and the pool. */
static void put(Ctx *c, unsigned r, unsigned src)
{
	unsigned k, victim = 0;
	if (r == 0 || r == RV_SINK)
		return;
	st(&c->e, c->w, src, R12, XOFF(c, r));
	for (k = 0; k < POOL_N; k++) {
		if (c->rc.guest[k] == (int)r)
			c->rc.guest[k] = -1;
	}
	for (k = 0; k < POOL_N; k++) {
		if (c->rc.guest[k] < 0) {
			victim = k;
			break;
		}
		if (c->rc.stamp[k] < c->rc.stamp[victim])
			victim = k;
	}
	mov_rr(&c->e, true, pool[victim], src);
	c->rc.guest[victim] = (int8_t)r;
	c->rc.stamp[victim] = ++c->rc.clock;
}

/* Load every cached register of `state` from the array (after a call clobbered the pool). */
static void reload(Ctx *c, const RegCache *state)
{
	for (unsigned k = 0; k < POOL_N; k++)
		if (state->guest[k] >= 0)
			ld(&c->e, c->w, pool[k], R12, XOFF(c, (unsigned)state->guest[k]));
}

static uint64_t op_pc(const Ctx *c, unsigned i)
{
	return (c->b->pc + c->b->info[i].pcoff) & c->mask;
}

static unsigned op_len(const Ctx *c, unsigned i)
{
	return (c->b->info[i].raw & 3) == 3 ? 4 : 2;
}

static void ret_null(Ctx *c)
{
	alu_rr(&c->e, false, ALU_XOR, RAX, RAX);
	jmp_to(&c->e, c->jit->x.epilogue);
}

/* cpu->insns = base + n */
static void set_insns(Ctx *c, unsigned reg, unsigned n)
{
	lea(&c->e, reg, R14, (int32_t)n);
	st(&c->e, true, reg, R12, OFF_INSNS);
}

static void set_pc(Ctx *c, uint64_t pc)
{
	mov_ri(&c->e, RDX, pc);
	st(&c->e, true, RDX, R12, OFF_PC);
}

/* The interpreter's SYNC: exact count and pc of op i (clobbers rdx). */
static void sync_state(Ctx *c, unsigned i)
{
	set_insns(c, RDX, c->b->ops[i].idx);
	set_pc(c, op_pc(c, i));
}

/* Leave after op i retired (exit_req or a lowered budget), like the interpreter's
 * L_exit_after. */
static void exit_after(Ctx *c, unsigned i)
{
	rm_mem(&c->e, false, 0xc6, 0, R12, OFF_EXIT_REQ);
	b1(&c->e, 0);
	set_insns(c, RDX, c->b->ops[i].idx + 1u);
	set_pc(c, (op_pc(c, i) + op_len(c, i)) & c->mask);
	ret_null(c);
}

/* The interpreter's CHECK_EXIT, then back to `resume`. */
static void check_exit(Ctx *c, unsigned i, const uint8_t *resume)
{
	uint8_t *leave;
	rm_mem(&c->e, false, 0x80, ALU_CMP, R12, OFF_EXIT_REQ);
	b1(&c->e, 0);
	leave = jcc(&c->e, CC_NE);
	lea(&c->e, RAX, R14, (int32_t)c->b->n_insns);
	rm_mem(&c->e, true, 0x39, RAX, R12, OFF_STOP);     /* cmp stop_at, rax */
	jcc_to(&c->e, CC_AE, resume);
	patch(&c->e, leave, c->e.p);
	exit_after(c, i);
}

/* Called by compiled code when an exit is chained to a compiled block but its site still
 * jumps elsewhere: point the site at that block (valid while the chain tag stays the same)
 * and return the block's code. */
static const void *link_site(RvCpu *cpu, RvExit *ex)
{
	if (ex->jit_site && cpu->chain_tag <= INT32_MAX)
		x86_site_link(ex->jit_site, true, (uint32_t)cpu->chain_tag, ex->to->jit);
	return ex->to->jit;
}

/* Leave with cpu->insns = r14 and pc = target; rax = the exit (or NULL). */
static void leave_at(Ctx *c, bool target_in_rax)
{
	st(&c->e, true, R14, R12, OFF_INSNS);
	if (target_in_rax)
		st(&c->e, true, RAX, R12, OFF_PC);
}

/* A direct transfer through exit slot `slot` to `target`, n instructions retired. The count
 * moves into r14 (the next block's base). The site at the start jumps straight to the next
 * block's code once linked, as long as the chain tag (in rbp) is the one it was linked
 * under; otherwise the exit slot decides, as in the interpreter. */
static void chain(Ctx *c, unsigned slot, uint64_t target, unsigned n)
{
	RvExit *ex = &c->b->exits[slot];

	if (n)
		alu_ri(&c->e, true, ALU_ADD, R14, (int32_t)n);
	ex->jit_site = x86_chain_site(&c->e, true, UINT32_MAX);   /* -1: never a chain tag */
	x86_chain_follow(&c->e, ex, true, (int32_t)offsetof(RvExit, tag),
	                 (int32_t)offsetof(RvExit, to), (int32_t)offsetof(RvBlock, jit),
	                 (const void *)link_site);
	mov_ri(&c->e, RAX, target);
	leave_at(c, true);
	mov_ri(&c->e, RAX, (uint64_t)(uintptr_t)ex);
	jmp_to(&c->e, c->jit->x.epilogue);
}

/* A computed transfer to the address in rax through the jump cache, n instructions retired. */
static void jump(Ctx *c, unsigned n)
{
	uint8_t *out[2];
	alu_ri(&c->e, true, ALU_ADD, R14, (int32_t)n);
	mov_rr(&c->e, true, RCX, RAX);
	shift_ri(&c->e, true, SH_SHR, RCX, 1);
	mov_rr(&c->e, true, RSI, RAX);
	shift_ri(&c->e, true, SH_SHR, RSI, RV_JC_BITS + 1);
	alu_rr(&c->e, true, ALU_XOR, RCX, RSI);
	alu_ri(&c->e, false, ALU_AND, RCX, RV_JC_SIZE - 1);
	/* mov rcx, [r15 + rcx*8] */
	b1(&c->e, 0x49);
	b1(&c->e, 0x8b);
	b1(&c->e, 0x0c);
	b1(&c->e, 0xcf);
	alu_rm(&c->e, true, ALU_CMP, RAX, RCX, (int32_t)offsetof(RvBlock, pc));
	out[0] = jcc(&c->e, CC_NE);
	ld(&c->e, true, RSI, RCX, (int32_t)offsetof(RvBlock, jit));
	alu_rr(&c->e, true, ALU_OR, RSI, RSI);
	out[1] = jcc(&c->e, CC_E);
	jmp_reg(&c->e, RSI);             /* the block checks the budget itself */
	patch(&c->e, out[0], c->e.p);
	patch(&c->e, out[1], c->e.p);
	leave_at(c, true);
	ret_null(c);
}

/* rax = X(rs1) + imm, wrapped to XLEN. */
static void addr(Ctx *c, const RvOp *op)
{
	get(c, c->w, RAX, op->rs1);
	if (op->imm)
		alu_ri(&c->e, c->w, ALU_ADD, RAX, op->imm);
}

/* rcx = the TLB entry of the address in rax, rdx = its key for an access of `size`. */
static void tlb_probe(Ctx *c, unsigned size)
{
	G_STATIC_ASSERT(sizeof(RvTlbEntry) == 32);
	mov_rr(&c->e, true, RCX, RAX);
	shift_ri(&c->e, true, SH_SHR, RCX, SOC_PAGE_BITS);
	alu_ri(&c->e, false, ALU_AND, RCX, RV_TLB_SIZE - 1);
	shift_ri(&c->e, false, SH_SHL, RCX, 5);
	alu_rr(&c->e, true, ALU_ADD, RCX, R13);
	mov_rr(&c->e, true, RDX, RAX);
	alu_ri(&c->e, true, ALU_AND, RDX, (int32_t)(RV_PAGE_MASK | (size - 1)));
}

/* How a load extends its value: opcode and REX.W, from memory at [base] or from rax. */
static void load_ext(Ctx *c, unsigned opc, unsigned dst, bool from_mem, unsigned base)
{
	bool w = c->w;
	unsigned op;
	switch (opc) {
	case RV_OP_LB: op = 0x0fbe; break;
	case RV_OP_LH: op = 0x0fbf; break;
	case RV_OP_LBU: op = 0x0fb6; w = false; break;
	case RV_OP_LHU: op = 0x0fb7; w = false; break;
	case RV_OP_LW: op = c->w ? 0x63 : 0x8b; break;
	case RV_OP_LWU: op = 0x8b; w = false; break;
	default: op = 0x8b; break;     /* LD */
	}
	if (from_mem)
		rm_mem(&c->e, w, op, dst, base, 0);
	else
		rm_reg(&c->e, w, op, dst, base);
}

static unsigned load_size(unsigned opc)
{
	switch (opc) {
	case RV_OP_LB: case RV_OP_LBU: case RV_OP_SB: return 1;
	case RV_OP_LH: case RV_OP_LHU: case RV_OP_SH: return 2;
	case RV_OP_LW: case RV_OP_LWU: case RV_OP_SW: return 4;
	default: return 8;
	}
}

typedef struct Cold {
	unsigned kind, i;
	uint8_t *from;              /* end of the jcc rel32 that leads here */
	uint8_t *resume;
	RegCache entry, after;      /* the pool when the cold path starts, and at `resume` */
} Cold;

enum { COLD_LOAD, COLD_STORE, COLD_TAKEN };

static void emit_load(Ctx *c, unsigned i, unsigned opc, Cold *cold)
{
	const RvOp *op = &c->b->ops[i];
	addr(c, op);
	tlb_probe(c, load_size(opc));
	alu_rm(&c->e, true, ALU_CMP, RDX, RCX, (int32_t)offsetof(RvTlbEntry, tag_r));
	cold->from = jcc(&c->e, CC_NE);
	cold->entry = c->rc;
	alu_rm(&c->e, true, ALU_ADD, RAX, RCX, (int32_t)offsetof(RvTlbEntry, addend));
	load_ext(c, opc, RDX, true, RAX);
	put(c, op->rd, RDX);
	cold->after = c->rc;
	cold->resume = c->e.p;
}

static void load_cold(Ctx *c, const Cold *k, unsigned opc)
{
	const RvOp *op = &c->b->ops[k->i];
	uint8_t *ok;
	sync_state(c, k->i);
	mov_rr(&c->e, true, RDI, R12);
	mov_rr(&c->e, true, RSI, RAX);
	mov_ri(&c->e, RDX, load_size(opc));
	mov_rr(&c->e, true, RCX, RSP);
	call(&c->e, (const void *)rv_load_slow);
	rm_reg(&c->e, false, 0x84, RAX, RAX);     /* test al, al */
	ok = jcc(&c->e, CC_NE);
	ret_null(c);
	patch(&c->e, ok, c->e.p);
	ld(&c->e, true, RAX, RSP, 0);
	load_ext(c, opc, RAX, false, RAX);
	if (op->rd != RV_SINK)
		st(&c->e, c->w, RAX, R12, XOFF(c, op->rd));
	reload(c, &k->after);
	check_exit(c, k->i, k->resume);
}

/* Store the value of rs2 (loaded into rdx) to [rax], `size` bytes. */
static void store_value(Ctx *c, const RvOp *op, unsigned size)
{
	get(c, size == 8, RDX, op->rs2);
	switch (size) {
	case 1: rm_mem(&c->e, false, 0x88, RDX, RAX, 0); break;
	case 2: b1(&c->e, 0x66); rm_mem(&c->e, false, 0x89, RDX, RAX, 0); break;
	default: rm_mem(&c->e, size == 8, 0x89, RDX, RAX, 0); break;
	}
}

static void emit_store(Ctx *c, unsigned i, unsigned opc, Cold *cold)
{
	const RvOp *op = &c->b->ops[i];
	unsigned size = load_size(opc);
	addr(c, op);
	tlb_probe(c, size);
	alu_rm(&c->e, true, ALU_CMP, RDX, RCX, (int32_t)offsetof(RvTlbEntry, tag_w));
	cold->from = jcc(&c->e, CC_NE);
	cold->entry = c->rc;
	alu_rm(&c->e, true, ALU_ADD, RAX, RCX, (int32_t)offsetof(RvTlbEntry, addend));
	store_value(c, op, size);
	cold->after = c->rc;
	cold->resume = c->e.p;
}

static void store_cold(Ctx *c, const Cold *k, unsigned opc)
{
	const RvOp *op = &c->b->ops[k->i];
	unsigned size = load_size(opc);
	uint8_t *slow, *ok;

	/* A page holding code: store, then tell the code listeners. */
	alu_rm(&c->e, true, ALU_CMP, RDX, RCX, (int32_t)offsetof(RvTlbEntry, tag_wn));
	slow = jcc(&c->e, CC_NE);
	st(&c->e, true, RAX, RSP, 8);            /* the pool is still live: no rsi yet */
	alu_rm(&c->e, true, ALU_ADD, RAX, RCX, (int32_t)offsetof(RvTlbEntry, addend));
	store_value(c, op, size);
	ld(&c->e, true, RSI, RSP, 8);
	mov_rr(&c->e, true, RDI, R12);
	mov_ri(&c->e, RDX, size);
	call(&c->e, (const void *)rv_store_notify);
	reload(c, &k->after);
	check_exit(c, k->i, k->resume);

	patch(&c->e, slow, c->e.p);
	sync_state(c, k->i);
	mov_rr(&c->e, true, RDI, R12);
	mov_rr(&c->e, true, RSI, RAX);
	mov_ri(&c->e, RDX, size);
	/* From the array, which is always current (rsi and rdi of the pool are gone). */
	switch (size) {
	case 1: rm_mem(&c->e, false, 0x0fb6, RCX, R12, XOFF(c, op->rs2)); break;
	case 2: rm_mem(&c->e, false, 0x0fb7, RCX, R12, XOFF(c, op->rs2)); break;
	default: ld(&c->e, size == 8, RCX, R12, XOFF(c, op->rs2)); break;
	}
	call(&c->e, (const void *)rv_store_slow);
	rm_reg(&c->e, false, 0x84, RAX, RAX);
	ok = jcc(&c->e, CC_NE);
	ret_null(c);
	patch(&c->e, ok, c->e.p);
	reload(c, &k->after);
	check_exit(c, k->i, k->resume);
}

/* ---- M-extension helpers with the exact RISC-V results for the corner cases ---- */

static uint64_t div64(uint64_t a, uint64_t b)
{
	if (!b)
		return UINT64_MAX;
	if ((int64_t)b == -1)
		return 0 - a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static uint64_t divu64(uint64_t a, uint64_t b)
{
	return b ? a / b : UINT64_MAX;
}

static uint64_t rem64(uint64_t a, uint64_t b)
{
	if (!b)
		return a;
	if ((int64_t)b == -1)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static uint64_t remu64(uint64_t a, uint64_t b)
{
	return b ? a % b : a;
}

static uint64_t mulhsu64(uint64_t a, uint64_t b)
{
	return (uint64_t)(((__int128)(int64_t)a * (__int128)b) >> 64);
}

/* 32-bit forms: the results are sign-extended to 64 bits (RV64 W ops; RV32 stores 32 bits). */
static uint64_t div32(uint64_t a, uint64_t b)
{
	int32_t x = (int32_t)a, y = (int32_t)b;
	if (!y)
		return UINT64_MAX;
	if (y == -1)
		return (uint64_t)(int64_t)(int32_t)(0u - (uint32_t)x);
	return (uint64_t)(int64_t)(x / y);
}

static uint64_t divu32(uint64_t a, uint64_t b)
{
	uint32_t x = (uint32_t)a, y = (uint32_t)b;
	return (uint64_t)(int64_t)(int32_t)(y ? x / y : UINT32_MAX);
}

static uint64_t rem32(uint64_t a, uint64_t b)
{
	int32_t x = (int32_t)a, y = (int32_t)b;
	if (!y)
		return (uint64_t)(int64_t)x;
	if (y == -1)
		return 0;
	return (uint64_t)(int64_t)(x % y);
}

static uint64_t remu32(uint64_t a, uint64_t b)
{
	uint32_t x = (uint32_t)a, y = (uint32_t)b;
	return (uint64_t)(int64_t)(int32_t)(y ? x % y : x);
}

typedef uint64_t (*Helper2)(uint64_t, uint64_t);

static Helper2 helper_for(unsigned opc, bool rv64)
{
	switch (opc) {
	case RV_OP_DIV: return rv64 ? div64 : div32;
	case RV_OP_DIVU: return rv64 ? divu64 : divu32;
	case RV_OP_REM: return rv64 ? rem64 : rem32;
	case RV_OP_REMU: return rv64 ? remu64 : remu32;
	case RV_OP_DIVW: return div32;
	case RV_OP_DIVUW: return divu32;
	case RV_OP_REMW: return rem32;
	case RV_OP_REMUW: return remu32;
	case RV_OP_MULHSU: return mulhsu64;   /* RV64 only: RV32 is inline */
	default: return NULL;
	}
}

/* Operations compiled here; a block with any other is left to the interpreter. */
static bool compilable(unsigned opc, bool rv64)
{
	switch (opc) {
	case RV_OP_LUI: case RV_OP_AUIPC: case RV_OP_JAL: case RV_OP_JALR:
	case RV_OP_BEQ: case RV_OP_BNE: case RV_OP_BLT: case RV_OP_BGE: case RV_OP_BLTU: case RV_OP_BGEU:
	case RV_OP_LB: case RV_OP_LH: case RV_OP_LW: case RV_OP_LBU: case RV_OP_LHU:
	case RV_OP_SB: case RV_OP_SH: case RV_OP_SW:
	case RV_OP_ADDI: case RV_OP_SLTI: case RV_OP_SLTIU: case RV_OP_XORI: case RV_OP_ORI:
	case RV_OP_ANDI: case RV_OP_SLLI: case RV_OP_SRLI: case RV_OP_SRAI:
	case RV_OP_ADD: case RV_OP_SUB: case RV_OP_SLL: case RV_OP_SLT: case RV_OP_SLTU:
	case RV_OP_XOR: case RV_OP_SRL: case RV_OP_SRA: case RV_OP_OR: case RV_OP_AND:
	case RV_OP_MUL: case RV_OP_MULH: case RV_OP_MULHSU: case RV_OP_MULHU:
	case RV_OP_DIV: case RV_OP_DIVU: case RV_OP_REM: case RV_OP_REMU:
	case RV_UOP_NOP: case RV_UOP_END:
		return true;
	case RV_OP_LD: case RV_OP_LWU: case RV_OP_SD:
	case RV_OP_ADDIW: case RV_OP_SLLIW: case RV_OP_SRLIW: case RV_OP_SRAIW:
	case RV_OP_ADDW: case RV_OP_SUBW: case RV_OP_SLLW: case RV_OP_SRLW: case RV_OP_SRAW:
	case RV_OP_MULW: case RV_OP_DIVW: case RV_OP_DIVUW: case RV_OP_REMW: case RV_OP_REMUW:
		return rv64;
	default:
		return false;
	}
}

static unsigned branch_cc(unsigned opc)
{
	switch (opc) {
	case RV_OP_BEQ: return CC_E;
	case RV_OP_BNE: return CC_NE;
	case RV_OP_BLT: return CC_L;
	case RV_OP_BGE: return CC_GE;
	case RV_OP_BLTU: return CC_B;
	default: return CC_AE;
	}
}

/* rd = op(rs1, rs2) for the group-1 ALU operations; imm forms take op->imm. */
static void alu_op(Ctx *c, const RvOp *op, unsigned alu, bool imm, bool w)
{
	get(c, w, RAX, op->rs1);
	if (imm)
		alu_ri(&c->e, w, alu, RAX, op->imm);
	else
		op_src(c, w, alu * 8 + 3, RAX, op->rs2);
}

static void set_cc(Ctx *c, const RvOp *op, unsigned cc, bool imm)
{
	alu_op(c, op, ALU_CMP, imm, c->w);
	b1(&c->e, 0x0f);
	b1(&c->e, 0x90 | cc);
	b1(&c->e, 0xc0);                              /* setcc al */
	rm_reg(&c->e, false, 0x0fb6, RAX, RAX);       /* movzx eax, al */
	put(c, op->rd, RAX);
}

static void shift_op(Ctx *c, const RvOp *op, unsigned sh, bool imm, bool w)
{
	if (!imm)
		get(c, false, RCX, op->rs2);
	get(c, w, RAX, op->rs1);
	if (imm)
		shift_ri(&c->e, w, sh, RAX, (unsigned)op->imm);
	else
		rm_reg(&c->e, w, 0xd3, sh, RAX);
}

static void store_rd(Ctx *c, const RvOp *op)
{
	put(c, op->rd, RAX);
}

/* RV64 W results: sign-extend eax and store. */
static void store_rd_w(Ctx *c, const RvOp *op)
{
	rm_reg(&c->e, true, 0x63, RAX, RAX);          /* movsxd rax, eax */
	put(c, op->rd, RAX);
}

/* The register-register and register-immediate operations: one host ALU, shift or compare
 * instruction each (the RV64 W forms on 32 bits, then sign-extended). */
enum { F_ALU, F_SHIFT, F_SETCC };
typedef struct SimpleOp {
	uint16_t opc;
	uint8_t form, x;            /* x: ALU_*, SH_* or CC_* */
	bool imm, word;
} SimpleOp;

static const SimpleOp simple_ops[] = {
	{ RV_OP_ADDI, F_ALU, ALU_ADD, true, false }, { RV_OP_XORI, F_ALU, ALU_XOR, true, false },
	{ RV_OP_ORI, F_ALU, ALU_OR, true, false }, { RV_OP_ANDI, F_ALU, ALU_AND, true, false },
	{ RV_OP_ADD, F_ALU, ALU_ADD, false, false }, { RV_OP_SUB, F_ALU, ALU_SUB, false, false },
	{ RV_OP_XOR, F_ALU, ALU_XOR, false, false }, { RV_OP_OR, F_ALU, ALU_OR, false, false },
	{ RV_OP_AND, F_ALU, ALU_AND, false, false },
	{ RV_OP_SLTI, F_SETCC, CC_L, true, false }, { RV_OP_SLTIU, F_SETCC, CC_B, true, false },
	{ RV_OP_SLT, F_SETCC, CC_L, false, false }, { RV_OP_SLTU, F_SETCC, CC_B, false, false },
	{ RV_OP_SLLI, F_SHIFT, SH_SHL, true, false }, { RV_OP_SRLI, F_SHIFT, SH_SHR, true, false },
	{ RV_OP_SRAI, F_SHIFT, SH_SAR, true, false }, { RV_OP_SLL, F_SHIFT, SH_SHL, false, false },
	{ RV_OP_SRL, F_SHIFT, SH_SHR, false, false }, { RV_OP_SRA, F_SHIFT, SH_SAR, false, false },
	{ RV_OP_ADDIW, F_ALU, ALU_ADD, true, true }, { RV_OP_ADDW, F_ALU, ALU_ADD, false, true },
	{ RV_OP_SUBW, F_ALU, ALU_SUB, false, true },
	{ RV_OP_SLLIW, F_SHIFT, SH_SHL, true, true }, { RV_OP_SRLIW, F_SHIFT, SH_SHR, true, true },
	{ RV_OP_SRAIW, F_SHIFT, SH_SAR, true, true }, { RV_OP_SLLW, F_SHIFT, SH_SHL, false, true },
	{ RV_OP_SRLW, F_SHIFT, SH_SHR, false, true }, { RV_OP_SRAW, F_SHIFT, SH_SAR, false, true },
};

/* One op on the main path; false when it ended the block (a transfer). */
static bool emit_op(Ctx *c, unsigned i, Cold *cold, unsigned *n_cold)
{
	const RvOp *op = &c->b->ops[i];
	unsigned opc = c->b->info[i].opc;
	bool w = c->w;

	for (unsigned k = 0; k < G_N_ELEMENTS(simple_ops); k++) {
		const SimpleOp *so = &simple_ops[k];
		bool ow = so->word ? false : w;
		if (so->opc != opc)
			continue;
		if (so->form == F_SETCC) {
			set_cc(c, op, so->x, so->imm);
			return true;
		}
		if (so->form == F_ALU)
			alu_op(c, op, so->x, so->imm, ow);
		else
			shift_op(c, op, so->x, so->imm, ow);
		if (so->word)
			store_rd_w(c, op);
		else
			store_rd(c, op);
		return true;
	}
	switch (opc) {
	case RV_UOP_NOP:
		return true;
	case RV_UOP_END:
		chain(c, op->rd, (c->b->pc + (uint64_t)(int64_t)op->imm) & c->mask, op->idx);
		return false;
	case RV_OP_JAL:
		mov_ri(&c->e, RDX, (op_pc(c, i) + op_len(c, i)) & c->mask);
		put(c, op->rd, RDX);
		chain(c, op->rs2, (c->b->pc + (uint64_t)(int64_t)op->imm) & c->mask, op->idx + 1u);
		return false;
	case RV_OP_JALR:
		addr(c, op);
		alu_ri(&c->e, w, ALU_AND, RAX, -2);
		mov_ri(&c->e, RDX, (op_pc(c, i) + op_len(c, i)) & c->mask);
		put(c, op->rd, RDX);
		jump(c, op->idx + 1u);
		return false;
	case RV_OP_BEQ: case RV_OP_BNE: case RV_OP_BLT: case RV_OP_BGE: case RV_OP_BLTU: case RV_OP_BGEU:
		get(c, w, RAX, op->rs1);
		op_src(c, w, ALU_CMP * 8 + 3, RAX, op->rs2);
		cold[*n_cold] = (Cold){ .kind = COLD_TAKEN, .i = i, .entry = c->rc,
		                        .from = jcc(&c->e, branch_cc(opc)) };
		(*n_cold)++;
		return true;
	case RV_OP_LB: case RV_OP_LH: case RV_OP_LW: case RV_OP_LBU: case RV_OP_LHU:
	case RV_OP_LD: case RV_OP_LWU:
		cold[*n_cold] = (Cold){ .kind = COLD_LOAD, .i = i };
		emit_load(c, i, opc, &cold[(*n_cold)++]);
		return true;
	case RV_OP_SB: case RV_OP_SH: case RV_OP_SW: case RV_OP_SD:
		cold[*n_cold] = (Cold){ .kind = COLD_STORE, .i = i };
		emit_store(c, i, opc, &cold[(*n_cold)++]);
		return true;
	case RV_OP_LUI:
		mov_ri(&c->e, RAX, (uint64_t)(int64_t)op->imm & c->mask);
		break;
	case RV_OP_AUIPC:
		mov_ri(&c->e, RAX, (op_pc(c, i) + (uint64_t)(int64_t)op->imm) & c->mask);
		break;
	case RV_OP_MUL:
		get(c, w, RAX, op->rs1);
		op_src(c, w, 0x0faf, RAX, op->rs2);
		break;
	case RV_OP_MULH: case RV_OP_MULHU: case RV_OP_MULHSU:
		if (w && opc != RV_OP_MULHSU) {
			get(c, true, RAX, op->rs1);
			op_src(c, true, 0xf7, opc == RV_OP_MULH ? 5 : 4, op->rs2);
			put(c, op->rd, RDX);
			return true;
		}
		if (!w) {
			/* 32 x 32 -> 64 in one host multiply; the high half is the result. */
			op_src(c, opc != RV_OP_MULHU, opc != RV_OP_MULHU ? 0x63 : 0x8b, RAX, op->rs1);
			op_src(c, opc == RV_OP_MULH, opc == RV_OP_MULH ? 0x63 : 0x8b, RCX, op->rs2);
			rm_reg(&c->e, true, 0x0faf, RAX, RCX);
			shift_ri(&c->e, true, SH_SHR, RAX, 32);
			break;
		}
		/* RV64 MULHSU goes through a helper, like division. */
		__attribute__((fallthrough));
	case RV_OP_DIV: case RV_OP_DIVU: case RV_OP_REM: case RV_OP_REMU:
	case RV_OP_DIVW: case RV_OP_DIVUW: case RV_OP_REMW: case RV_OP_REMUW:
		/* From the array: rdi and rsi belong to the pool, which the call clobbers. */
		ld(&c->e, w, RDI, R12, XOFF(c, op->rs1));
		ld(&c->e, w, RSI, R12, XOFF(c, op->rs2));
		call(&c->e, (const void *)helper_for(opc, w));
		cache_clear(&c->rc);
		break;
	case RV_OP_MULW:
		get(c, false, RAX, op->rs1);
		op_src(c, false, 0x0faf, RAX, op->rs2);
		store_rd_w(c, op);
		return true;
	default:
		return true;   /* not reached: compilable() vetted the block */
	}
	store_rd(c, op);
	return true;
}

static bool compile(RvCpu *cpu, RvJit *jit, RvBlock *b)
{
	Ctx c = { .cpu = cpu, .b = b, .jit = jit, .w = cpu->xlen == 64, .rsz = cpu->xlen / 8,
	          .mask = cpu->xmask };
	Cold cold[RV_BLOCK_MAX + 1];
	unsigned n_cold = 0;
	uint8_t *start, *nofit;

	for (unsigned i = 0; i <= b->n_insns; i++)
		if (!compilable(b->info[i].opc, c.w))
			return false;
	c.e = x86_code_emit(&jit->x);
	start = c.e.p;
	cache_clear(&c.rc);
	/* Entry: the block runs only when it fits the budget from the count in r14. */
	ld(&c.e, true, RDI, R12, OFF_STOP);
	alu_rr(&c.e, true, ALU_SUB, RDI, R14);
	alu_ri(&c.e, true, ALU_CMP, RDI, (int32_t)b->n_insns);
	nofit = jcc(&c.e, CC_L);
	for (unsigned i = 0; i <= b->n_insns; i++)
		if (!emit_op(&c, i, cold, &n_cold))
			break;
	patch(&c.e, nofit, c.e.p);
	leave_at(&c, false);
	set_pc(&c, b->pc);
	ret_null(&c);
	for (unsigned k = 0; k < n_cold; k++) {
		const Cold *ck = &cold[k];
		patch(&c.e, ck->from, c.e.p);
		c.rc = ck->entry;
		if (ck->kind == COLD_TAKEN) {
			const RvOp *op = &b->ops[ck->i];
			chain(&c, op->rd, (b->pc + (uint64_t)(int64_t)op->imm) & c.mask, op->idx + 1u);
		} else if (ck->kind == COLD_LOAD) {
			load_cold(&c, ck, b->info[ck->i].opc);
		} else {
			store_cold(&c, ck, b->info[ck->i].opc);
		}
	}
	if (!x86_code_commit(&jit->x, &c.e, start, cpu->common.path ? cpu->common.path : "hart",
	                     b->pc))
		return false;
	b->jit = start;
	cpu->jit_blocks++;
	return true;
}

/* The fixed registers of compiled code, after r12 = cpu (in rdi). */
static void load_fixed(Emit *e)
{
	ld(e, true, R13, RDI, (int32_t)offsetof(RvCpu, dtlb));
	ld(e, true, R15, RDI, (int32_t)offsetof(RvCpu, jc));
	ld(e, true, R14, RDI, OFF_INSNS);
	/* The chain tag cannot change while compiled code runs without it leaving first (every
	 * change sets exit_req or happens in a trap), so it lives in rbp. */
	ld(e, true, RBP, RDI, OFF_TAG);
}

static RvJit *jit_get(RvCpu *cpu)
{
	if (cpu->jit)
		return cpu->jit;
	cpu->jit = g_new0(RvJit, 1);
	if (!x86_code_init(&cpu->jit->x, JIT_BUFFER_SIZE, 24, load_fixed)) {
		/* No executable memory (a hardened host): keep interpreting. */
		g_clear_pointer(&cpu->jit, g_free);
		cpu->jit_threshold = UINT32_MAX;
	}
	return cpu->jit;
}

bool rv_jit_compile(RvCpu *cpu, RvBlock *b)
{
	RvJit *jit;
	if (b == cpu->scratch || cpu->jit_threshold == UINT32_MAX || !(jit = jit_get(cpu)))
		return false;
	if (jit->x.full)
		return false;
	return compile(cpu, jit, b);
}

void rv_jit_set_capacity(RvCpu *cpu, size_t bytes)
{
	RvJit *jit = jit_get(cpu);
	if (jit)
		x86_code_set_capacity(&jit->x, bytes);
}

RvExit *rv_jit_run(RvCpu *cpu, const RvBlock *b)
{
	return ((RvExit *(*)(RvCpu *, const void *))cpu->jit->x.enter)(cpu, b->jit);
}

bool rv_jit_full(const RvCpu *cpu)
{
	return cpu->jit && cpu->jit->x.full;
}

void rv_jit_reset(RvCpu *cpu)
{
	if (!cpu->jit)
		return;
	x86_code_reset(&cpu->jit->x);
}

void rv_jit_destroy(RvCpu *cpu)
{
	if (!cpu->jit)
		return;
	x86_code_destroy(&cpu->jit->x);
	g_clear_pointer(&cpu->jit, g_free);
}

bool rv_jit_available(void)
{
	return true;
}

#else   /* not an x86-64 Linux host: the interpreter runs everything */

bool rv_jit_compile(RvCpu *cpu, RvBlock *b)
{
	(void)cpu;
	(void)b;
	return false;
}

RvExit *rv_jit_run(RvCpu *cpu, const RvBlock *b)
{
	(void)cpu;
	(void)b;
	return NULL;
}

bool rv_jit_full(const RvCpu *cpu)
{
	(void)cpu;
	return false;
}

void rv_jit_set_capacity(RvCpu *cpu, size_t bytes)
{
	(void)cpu;
	(void)bytes;
}

void rv_jit_reset(RvCpu *cpu)
{
	(void)cpu;
}

void rv_jit_destroy(RvCpu *cpu)
{
	(void)cpu;
}

bool rv_jit_available(void)
{
	return false;
}

#endif

uint64_t soc_riscv_jit_blocks(const SocCpu *c)
{
	return ((const RvCpu *)c)->jit_blocks;
}

/* SOCEMU_JIT: "off" (or 0) interprets everything; a number is the count of entries after
 * which a block is compiled. */
uint32_t rv_jit_threshold_from_env(void)
{
	return soc_jit_threshold_from_env(RV_JIT_DEFAULT_THRESHOLD, rv_jit_available());
}
