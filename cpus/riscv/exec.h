/* cpus/riscv/exec.h — the execute loop of a RISC-V hart, a template.
 *
 * Included by exec32.c and exec64.c with XLEN, xreg_t/sxreg_t, XREGS and EXEC_FN defined, once
 * with RV_TRACE 0 (the normal loop) and once with RV_TRACE 1 (the -d exec loop, which logs
 * every instruction before it runs). Nothing here branches on XLEN at run time.
 *
 * Blocks of ops (internal.h) are dispatched with computed gotos. While a block runs,
 * cpu->common.insns holds the count at block entry (`base`); every exit stores the exact count
 * of retired instructions, and every call that can reach a device or raise an exception first
 * brings insns and pc up to date (SYNC), so devices see exact time and traps exact state.
 * A block is entered only when it fits the budget (stop_at); rv_block_for_pc hands out a
 * truncated copy when it does not. Direct transfers (branches, jal, falling through) follow
 * the block's exit slots, chained on first use; jalr goes through the per-privilege jump cache;
 * anything unusual (a miss, an interrupt, a system instruction) goes back to the top, which
 * takes pending interrupts and finds the next block.
 *
 * Ops hold the address of their handler in the normal loop (direct threading); calling the
 * function with NULL publishes those addresses (HANDLERS) for the block builder. The trace
 * loop dispatches on the operation number kept in the block's RvOpInfo instead. */

#define X(r) x[r]
#define IMM ((xreg_t)(sxreg_t)op->imm)
#define INFO (b->info[op->idx])
#define OPPC ((xreg_t)(bpc + INFO.pcoff))
#define INSN_LEN ((INFO.raw & 3) == 3 ? 4u : 2u)
#define TARGET ((xreg_t)(bpc + IMM))          /* branches, jal, END */
#if RV_TRACE
#define DISPATCH() do { \
	if (INFO.opc != RV_UOP_END) \
		rv_trace_insn(cpu, OPPC, INFO.raw); \
	goto *labels[INFO.opc]; \
} while (0)
#else
#define DISPATCH() goto *op->h
#endif
#define NEXT() do { op++; DISPATCH(); } while (0)
/* Whether block b runs as compiled code (jit.c): it is, or it just became hot enough. The
 * trace loop always interprets, so that every instruction is logged. */
#if RV_TRACE
#define MAYBE_JIT(b) do { } while (0)
#else
#define MAYBE_JIT(b) do { \
	if (RV_UNLIKELY((b)->jit != NULL) || RV_UNLIKELY(rv_jit_hot(cpu, (RvBlock *)(b)))) \
		goto L_jit; \
} while (0)
#endif
/* Run block nb (it fits the budget) from the current count: compiled, or dispatched right here
 * (each use has its own dispatch jump). */
#define ENTER(nb) do { \
	b = (nb); \
	MAYBE_JIT(b); \
	base = cpu->common.insns; \
	bpc = b->pc; \
	op = b->ops; \
	DISPATCH(); \
} while (0)
#define SYNC() do { cpu->common.insns = base + op->idx; cpu->pc = OPPC; } while (0)
#define CHECK_EXIT() do { \
	if (RV_UNLIKELY(cpu->exit_req || cpu->common.stop_at < base + b->n_insns)) \
		goto L_exit_after; \
} while (0)
#define RAISE(c, t) do { cause = (c); tval = (t); goto L_raise; } while (0)
/* A transfer to a computed target (jalr), through the jump cache. */
#define JUMP(target, n) do { \
	const RvBlock *nb_; \
	npc = (target); \
	cpu->common.insns = base + (n); \
	nb_ = jc[RV_JC_INDEX((uint64_t)npc)]; \
	if (RV_LIKELY(nb_->pc == (uint64_t)npc) && RV_LIKELY(FITS(nb_->n_insns))) \
		ENTER(nb_); \
	cpu->pc = npc; \
	goto L_top; \
} while (0)
/* A transfer to a static target through the block's exit slot `e`. The chained case is
 * expanded in every handler, so that each has its own dispatch jump into the next block. */
#define CHAIN(e, target, n) do { \
	ex = &b->exits[e]; \
	cpu->common.insns = base + (n); \
	if (RV_LIKELY(ex->tag == tag) && RV_LIKELY(FITS(ex->to->n_insns))) \
		ENTER(ex->to); \
	npc = (target); \
	goto L_chain; \
} while (0)
/* Room for a block of n instructions in the budget (insns may already be past stop_at). */
#define FITS(n) ((int64_t)(cpu->common.stop_at - cpu->common.insns) >= (int64_t)(n))
#define RETIRE_TO_TOP() do { \
	cpu->common.insns = base + op->idx + 1; \
	cpu->pc = (xreg_t)(OPPC + INSN_LEN); \
	goto L_top; \
} while (0)

#define TLB(a) (&dtlb[((a) >> SOC_PAGE_BITS) & (RV_TLB_SIZE - 1)])
#define KEY(a, size) ((uint64_t)(a) & (RV_PAGE_MASK | ((size) - 1)))

#define LOAD(T, SIZE) do { \
	xreg_t a_ = X(op->rs1) + IMM; \
	const RvTlbEntry *e_ = TLB(a_); \
	if (RV_LIKELY(e_->tag_r == KEY(a_, SIZE))) { \
		T v_; \
		memcpy(&v_, (const void *)(e_->addend + a_), SIZE); \
		X(op->rd) = (xreg_t)(sxreg_t)v_; \
		NEXT(); \
	} else { \
		uint64_t w_; \
		SYNC(); \
		if (!rv_load_slow(cpu, a_, SIZE, &w_)) \
			goto L_top; \
		X(op->rd) = (xreg_t)(sxreg_t)(T)w_; \
		CHECK_EXIT(); \
		NEXT(); \
	} \
} while (0)

#define STORE(T, SIZE) do { \
	xreg_t a_ = X(op->rs1) + IMM; \
	T v_ = (T)X(op->rs2); \
	const RvTlbEntry *e_ = TLB(a_); \
	uint64_t k_ = KEY(a_, SIZE); \
	if (RV_LIKELY(e_->tag_w == k_)) { \
		memcpy((void *)(e_->addend + a_), &v_, SIZE); \
	} else if (e_->tag_wn == k_) { \
		memcpy((void *)(e_->addend + a_), &v_, SIZE); \
		rv_store_notify(cpu, a_, SIZE); \
		CHECK_EXIT(); \
	} else { \
		SYNC(); \
		if (!rv_store_slow(cpu, a_, SIZE, (uint64_t)v_)) \
			goto L_top; \
		CHECK_EXIT(); \
	} \
	NEXT(); \
} while (0)

#define AMO(OPC, T, ST, SIZE) do { \
	xreg_t a_ = X(op->rs1); \
	uint64_t old_; \
	const RvTlbEntry *e_; \
	if (RV_UNLIKELY(a_ & (SIZE - 1))) \
		RAISE(RV_EXC_STORE_MISALIGNED, a_); \
	e_ = TLB(a_); \
	if (RV_LIKELY(e_->tag_w == KEY(a_, SIZE))) { \
		void *p_ = (void *)(e_->addend + a_); \
		T v_, n_; \
		memcpy(&v_, p_, SIZE); \
		old_ = v_; \
		n_ = (T)rv_amo_compute(OPC, SIZE, old_, (uint64_t)X(op->rs2)); \
		memcpy(p_, &n_, SIZE); \
		X(op->rd) = (xreg_t)(sxreg_t)(ST)old_; \
		NEXT(); \
	} \
	SYNC(); \
	if (!rv_amo_slow(cpu, a_, SIZE, OPC, (uint64_t)X(op->rs2), &old_)) \
		goto L_top; \
	X(op->rd) = (xreg_t)(sxreg_t)(ST)old_; \
	CHECK_EXIT(); \
	NEXT(); \
} while (0)

#define BRANCH(cond) do { \
	if (cond) \
		CHAIN(op->rd, TARGET, op->idx + 1u); \
	NEXT(); \
} while (0)

#if XLEN == 64
#define RV64_ONLY(label) &&label
#else
#define RV64_ONLY(label) &&L_ILLEGAL
#endif

/* Each handler must keep its own dispatch jump (one indirect branch per handler predicts far
 * better than a shared one): stop GCC from merging the handlers' tails. */
__attribute__((optimize("no-crossjumping", "no-gcse")))
void EXEC_FN(RvCpu *cpu)
{
	static const void *const labels[RV_UOP_COUNT] = {
		[RV_OP_ILLEGAL] = &&L_ILLEGAL,
		[RV_OP_LUI] = &&L_LUI, [RV_OP_AUIPC] = &&L_AUIPC, [RV_OP_JAL] = &&L_JAL,
		[RV_OP_JALR] = &&L_JALR,
		[RV_OP_BEQ] = &&L_BEQ, [RV_OP_BNE] = &&L_BNE, [RV_OP_BLT] = &&L_BLT, [RV_OP_BGE] = &&L_BGE,
		[RV_OP_BLTU] = &&L_BLTU, [RV_OP_BGEU] = &&L_BGEU,
		[RV_OP_LB] = &&L_LB, [RV_OP_LH] = &&L_LH, [RV_OP_LW] = &&L_LW, [RV_OP_LD] = RV64_ONLY(L_LD),
		[RV_OP_LBU] = &&L_LBU, [RV_OP_LHU] = &&L_LHU, [RV_OP_LWU] = RV64_ONLY(L_LWU),
		[RV_OP_SB] = &&L_SB, [RV_OP_SH] = &&L_SH, [RV_OP_SW] = &&L_SW, [RV_OP_SD] = RV64_ONLY(L_SD),
		[RV_OP_ADDI] = &&L_ADDI, [RV_OP_SLTI] = &&L_SLTI, [RV_OP_SLTIU] = &&L_SLTIU,
		[RV_OP_XORI] = &&L_XORI, [RV_OP_ORI] = &&L_ORI, [RV_OP_ANDI] = &&L_ANDI,
		[RV_OP_SLLI] = &&L_SLLI, [RV_OP_SRLI] = &&L_SRLI, [RV_OP_SRAI] = &&L_SRAI,
		[RV_OP_ADD] = &&L_ADD, [RV_OP_SUB] = &&L_SUB, [RV_OP_SLL] = &&L_SLL, [RV_OP_SLT] = &&L_SLT,
		[RV_OP_SLTU] = &&L_SLTU, [RV_OP_XOR] = &&L_XOR, [RV_OP_SRL] = &&L_SRL, [RV_OP_SRA] = &&L_SRA,
		[RV_OP_OR] = &&L_OR, [RV_OP_AND] = &&L_AND,
		[RV_OP_FENCE] = &&L_NOP, [RV_OP_ECALL] = &&L_ECALL, [RV_OP_EBREAK] = &&L_EBREAK,
		[RV_OP_ADDIW] = RV64_ONLY(L_ADDIW), [RV_OP_SLLIW] = RV64_ONLY(L_SLLIW),
		[RV_OP_SRLIW] = RV64_ONLY(L_SRLIW), [RV_OP_SRAIW] = RV64_ONLY(L_SRAIW),
		[RV_OP_ADDW] = RV64_ONLY(L_ADDW), [RV_OP_SUBW] = RV64_ONLY(L_SUBW),
		[RV_OP_SLLW] = RV64_ONLY(L_SLLW), [RV_OP_SRLW] = RV64_ONLY(L_SRLW),
		[RV_OP_SRAW] = RV64_ONLY(L_SRAW),
		[RV_OP_FENCE_I] = &&L_FENCE_I,
		[RV_OP_CSRRW] = &&L_CSRRW, [RV_OP_CSRRS] = &&L_CSRRS, [RV_OP_CSRRC] = &&L_CSRRC,
		[RV_OP_CSRRWI] = &&L_CSRRWI, [RV_OP_CSRRSI] = &&L_CSRRSI, [RV_OP_CSRRCI] = &&L_CSRRCI,
		[RV_OP_MUL] = &&L_MUL, [RV_OP_MULH] = &&L_MULH, [RV_OP_MULHSU] = &&L_MULHSU,
		[RV_OP_MULHU] = &&L_MULHU, [RV_OP_DIV] = &&L_DIV, [RV_OP_DIVU] = &&L_DIVU,
		[RV_OP_REM] = &&L_REM, [RV_OP_REMU] = &&L_REMU,
		[RV_OP_MULW] = RV64_ONLY(L_MULW), [RV_OP_DIVW] = RV64_ONLY(L_DIVW),
		[RV_OP_DIVUW] = RV64_ONLY(L_DIVUW), [RV_OP_REMW] = RV64_ONLY(L_REMW),
		[RV_OP_REMUW] = RV64_ONLY(L_REMUW),
		[RV_OP_LR_W] = &&L_LR_W, [RV_OP_SC_W] = &&L_SC_W,
		[RV_OP_AMOSWAP_W] = &&L_AMOSWAP_W, [RV_OP_AMOADD_W] = &&L_AMOADD_W,
		[RV_OP_AMOXOR_W] = &&L_AMOXOR_W, [RV_OP_AMOAND_W] = &&L_AMOAND_W, [RV_OP_AMOOR_W] = &&L_AMOOR_W,
		[RV_OP_AMOMIN_W] = &&L_AMOMIN_W, [RV_OP_AMOMAX_W] = &&L_AMOMAX_W,
		[RV_OP_AMOMINU_W] = &&L_AMOMINU_W, [RV_OP_AMOMAXU_W] = &&L_AMOMAXU_W,
		[RV_OP_LR_D] = RV64_ONLY(L_LR_D), [RV_OP_SC_D] = RV64_ONLY(L_SC_D),
		[RV_OP_AMOSWAP_D] = RV64_ONLY(L_AMOSWAP_D), [RV_OP_AMOADD_D] = RV64_ONLY(L_AMOADD_D),
		[RV_OP_AMOXOR_D] = RV64_ONLY(L_AMOXOR_D), [RV_OP_AMOAND_D] = RV64_ONLY(L_AMOAND_D),
		[RV_OP_AMOOR_D] = RV64_ONLY(L_AMOOR_D), [RV_OP_AMOMIN_D] = RV64_ONLY(L_AMOMIN_D),
		[RV_OP_AMOMAX_D] = RV64_ONLY(L_AMOMAX_D), [RV_OP_AMOMINU_D] = RV64_ONLY(L_AMOMINU_D),
		[RV_OP_AMOMAXU_D] = RV64_ONLY(L_AMOMAXU_D),
		[RV_OP_MRET] = &&L_MRET, [RV_OP_SRET] = &&L_SRET, [RV_OP_WFI] = &&L_WFI,
		[RV_OP_SFENCE_VMA] = &&L_SFENCE_VMA,
		/* Compressed and disassembly-only entries never reach the executor: blocks hold
		 * their `exec` operation. */
		[RV_OP_URET] = &&L_ILLEGAL, [RV_OP_DRET] = &&L_ILLEGAL,
		[RV_UOP_NOP] = &&L_NOP, [RV_UOP_END] = &&L_END, [RV_UOP_JAL_MIS] = &&L_JAL_MIS,
		[RV_UOP_BR_MIS] = &&L_BR_MIS, [RV_UOP_JALR4] = &&L_JALR4,
	};
	xreg_t *x;
	const RvBlock *b;
	const RvOp *op;
	const RvTlbEntry *dtlb;
	RvBlock *const *jc;
	RvExit *ex;
	uint64_t base, bpc, tag;
	xreg_t npc;
	unsigned cause;
	uint64_t tval;

#if !RV_TRACE
	if (!cpu) {
		HANDLERS = labels;
		return;
	}
#endif
	x = (xreg_t *)XREGS;
L_top:
	if (RV_UNLIKELY(cpu->irq_ready))
		rv_take_interrupt(cpu);
	if (cpu->common.state != SOC_CPU_RUNNING || cpu->common.insns >= cpu->common.stop_at)
		return;
	b = rv_block_for_pc(cpu);
	if (!b)
		goto L_top;
	dtlb = cpu->dtlb;
	jc = cpu->jc;
	tag = cpu->chain_tag;
L_enter:
	ENTER(b);

#if !RV_TRACE
L_jit:
	/* Compiled code runs until it leaves through an exit it could not follow itself. */
	ex = rv_jit_run(cpu, b);
	if (!ex)
		goto L_top;
	npc = (xreg_t)cpu->pc;
	if (ex->tag == tag) {
		/* Chained, but the next block is not compiled yet or does not fit the budget. */
		if (FITS(ex->to->n_insns)) {
			b = ex->to;
			goto L_enter;
		}
		goto L_top;
	}
#endif

L_chain:
	/* Not chained yet, or the next block does not fit the budget. */
	if (ex->tag == tag) {
		cpu->pc = npc;
		goto L_top;
	}
	b = jc[RV_JC_INDEX((uint64_t)npc)];
	if (b->pc == (uint64_t)npc) {
		/* The jump cache holds blocks allowed to run at this privilege: chain to it. */
		ex->to = (RvBlock *)b;
		ex->tag = tag;
		if (FITS(b->n_insns))
			goto L_enter;
	}
	cpu->pc = npc;
	goto L_top;

L_raise:
	cpu->common.insns = base + op->idx;
	rv_raise(cpu, cause, tval, OPPC);
	goto L_top;

L_exit_after:
	cpu->exit_req = false;
	RETIRE_TO_TOP();

	/* ---- control transfer ---- */
L_JAL:
	X(op->rd) = OPPC + INSN_LEN;
	CHAIN(op->rs2, TARGET, op->idx + 1u);
L_JALR: {
	xreg_t t = (X(op->rs1) + IMM) & ~(xreg_t)1;
	X(op->rd) = OPPC + INSN_LEN;
	JUMP(t, op->idx + 1u);
}
L_JALR4: {
	xreg_t t = (X(op->rs1) + IMM) & ~(xreg_t)1;
	if (t & 2)
		RAISE(RV_EXC_INSN_MISALIGNED, t);
	X(op->rd) = OPPC + INSN_LEN;
	JUMP(t, op->idx + 1u);
}
L_JAL_MIS:
	RAISE(RV_EXC_INSN_MISALIGNED, TARGET);
L_BR_MIS: {
	xreg_t a = X(op->rs1), c = X(op->rs2);
	bool taken;
	switch ((INFO.raw >> 12) & 7) {
	case 0: taken = a == c; break;
	case 1: taken = a != c; break;
	case 4: taken = (sxreg_t)a < (sxreg_t)c; break;
	case 5: taken = (sxreg_t)a >= (sxreg_t)c; break;
	case 6: taken = a < c; break;
	default: taken = a >= c; break;
	}
	if (taken)
		RAISE(RV_EXC_INSN_MISALIGNED, TARGET);
	NEXT();
}
L_BEQ: BRANCH(X(op->rs1) == X(op->rs2));
L_BNE: BRANCH(X(op->rs1) != X(op->rs2));
L_BLT: BRANCH((sxreg_t)X(op->rs1) < (sxreg_t)X(op->rs2));
L_BGE: BRANCH((sxreg_t)X(op->rs1) >= (sxreg_t)X(op->rs2));
L_BLTU: BRANCH(X(op->rs1) < X(op->rs2));
L_BGEU: BRANCH(X(op->rs1) >= X(op->rs2));
L_END:
	CHAIN(op->rd, TARGET, op->idx);

	/* ---- integer ---- */
L_LUI: X(op->rd) = IMM; NEXT();
L_AUIPC: X(op->rd) = OPPC + IMM; NEXT();
L_ADDI: X(op->rd) = X(op->rs1) + IMM; NEXT();
L_SLTI: X(op->rd) = (sxreg_t)X(op->rs1) < (sxreg_t)IMM; NEXT();
L_SLTIU: X(op->rd) = X(op->rs1) < IMM; NEXT();
L_XORI: X(op->rd) = X(op->rs1) ^ IMM; NEXT();
L_ORI: X(op->rd) = X(op->rs1) | IMM; NEXT();
L_ANDI: X(op->rd) = X(op->rs1) & IMM; NEXT();
L_SLLI: X(op->rd) = X(op->rs1) << op->imm; NEXT();
L_SRLI: X(op->rd) = X(op->rs1) >> op->imm; NEXT();
L_SRAI: X(op->rd) = (xreg_t)((sxreg_t)X(op->rs1) >> op->imm); NEXT();
L_ADD: X(op->rd) = X(op->rs1) + X(op->rs2); NEXT();
L_SUB: X(op->rd) = X(op->rs1) - X(op->rs2); NEXT();
L_SLL: X(op->rd) = X(op->rs1) << (X(op->rs2) & (XLEN - 1)); NEXT();
L_SLT: X(op->rd) = (sxreg_t)X(op->rs1) < (sxreg_t)X(op->rs2); NEXT();
L_SLTU: X(op->rd) = X(op->rs1) < X(op->rs2); NEXT();
L_XOR: X(op->rd) = X(op->rs1) ^ X(op->rs2); NEXT();
L_SRL: X(op->rd) = X(op->rs1) >> (X(op->rs2) & (XLEN - 1)); NEXT();
L_SRA: X(op->rd) = (xreg_t)((sxreg_t)X(op->rs1) >> (X(op->rs2) & (XLEN - 1))); NEXT();
L_OR: X(op->rd) = X(op->rs1) | X(op->rs2); NEXT();
L_AND: X(op->rd) = X(op->rs1) & X(op->rs2); NEXT();
L_NOP: NEXT();

	/* ---- M ---- */
L_MUL: X(op->rd) = X(op->rs1) * X(op->rs2); NEXT();
#if XLEN == 64
L_MULH:
	X(op->rd) = (xreg_t)(((__int128)(sxreg_t)X(op->rs1) * (__int128)(sxreg_t)X(op->rs2)) >> 64);
	NEXT();
L_MULHSU:
	X(op->rd) = (xreg_t)(((__int128)(sxreg_t)X(op->rs1) * (__int128)X(op->rs2)) >> 64);
	NEXT();
L_MULHU:
	X(op->rd) = (xreg_t)(((unsigned __int128)X(op->rs1) * X(op->rs2)) >> 64);
	NEXT();
#else
L_MULH:
	X(op->rd) = (xreg_t)(((int64_t)(sxreg_t)X(op->rs1) * (int64_t)(sxreg_t)X(op->rs2)) >> 32);
	NEXT();
L_MULHSU:
	X(op->rd) = (xreg_t)(((int64_t)(sxreg_t)X(op->rs1) * (int64_t)X(op->rs2)) >> 32);
	NEXT();
L_MULHU:
	X(op->rd) = (xreg_t)(((uint64_t)X(op->rs1) * X(op->rs2)) >> 32);
	NEXT();
#endif
L_DIV: {
	sxreg_t a = (sxreg_t)X(op->rs1), c = (sxreg_t)X(op->rs2);
	if (c == 0)
		X(op->rd) = ~(xreg_t)0;
	else if (c == -1)
		X(op->rd) = (xreg_t)0 - (xreg_t)a;    /* also right for the most negative value */
	else
		X(op->rd) = (xreg_t)(a / c);
	NEXT();
}
L_DIVU: {
	xreg_t a = X(op->rs1), c = X(op->rs2);
	X(op->rd) = c ? a / c : ~(xreg_t)0;
	NEXT();
}
L_REM: {
	sxreg_t a = (sxreg_t)X(op->rs1), c = (sxreg_t)X(op->rs2);
	if (c == 0)
		X(op->rd) = (xreg_t)a;
	else if (c == -1)
		X(op->rd) = 0;
	else
		X(op->rd) = (xreg_t)(a % c);
	NEXT();
}
L_REMU: {
	xreg_t a = X(op->rs1), c = X(op->rs2);
	X(op->rd) = c ? a % c : a;
	NEXT();
}

#if XLEN == 64
	/* ---- RV64 word operations ---- */
L_ADDIW: X(op->rd) = (xreg_t)(int32_t)((uint32_t)X(op->rs1) + (uint32_t)op->imm); NEXT();
L_SLLIW: X(op->rd) = (xreg_t)(int32_t)((uint32_t)X(op->rs1) << op->imm); NEXT();
L_SRLIW: X(op->rd) = (xreg_t)(int32_t)((uint32_t)X(op->rs1) >> op->imm); NEXT();
L_SRAIW: X(op->rd) = (xreg_t)((int32_t)X(op->rs1) >> op->imm); NEXT();
L_ADDW: X(op->rd) = (xreg_t)(int32_t)((uint32_t)X(op->rs1) + (uint32_t)X(op->rs2)); NEXT();
L_SUBW: X(op->rd) = (xreg_t)(int32_t)((uint32_t)X(op->rs1) - (uint32_t)X(op->rs2)); NEXT();
L_SLLW: X(op->rd) = (xreg_t)(int32_t)((uint32_t)X(op->rs1) << (X(op->rs2) & 31)); NEXT();
L_SRLW: X(op->rd) = (xreg_t)(int32_t)((uint32_t)X(op->rs1) >> (X(op->rs2) & 31)); NEXT();
L_SRAW: X(op->rd) = (xreg_t)((int32_t)X(op->rs1) >> (X(op->rs2) & 31)); NEXT();
L_MULW: X(op->rd) = (xreg_t)(int32_t)((uint32_t)X(op->rs1) * (uint32_t)X(op->rs2)); NEXT();
L_DIVW: {
	int32_t a = (int32_t)X(op->rs1), c = (int32_t)X(op->rs2);
	if (c == 0)
		X(op->rd) = ~(xreg_t)0;
	else if (c == -1)
		X(op->rd) = (xreg_t)(int32_t)(0u - (uint32_t)a);
	else
		X(op->rd) = (xreg_t)(a / c);
	NEXT();
}
L_DIVUW: {
	uint32_t a = (uint32_t)X(op->rs1), c = (uint32_t)X(op->rs2);
	X(op->rd) = (xreg_t)(int32_t)(c ? a / c : ~0u);
	NEXT();
}
L_REMW: {
	int32_t a = (int32_t)X(op->rs1), c = (int32_t)X(op->rs2);
	if (c == 0)
		X(op->rd) = (xreg_t)a;
	else if (c == -1)
		X(op->rd) = 0;
	else
		X(op->rd) = (xreg_t)(a % c);
	NEXT();
}
L_REMUW: {
	uint32_t a = (uint32_t)X(op->rs1), c = (uint32_t)X(op->rs2);
	X(op->rd) = (xreg_t)(int32_t)(c ? a % c : a);
	NEXT();
}
L_LD: LOAD(int64_t, 8);
L_LWU: LOAD(uint32_t, 4);
L_SD: STORE(uint64_t, 8);
L_LR_D: {
	uint64_t v;
	SYNC();
	if (!rv_lr(cpu, X(op->rs1), 8, &v))
		goto L_top;
	X(op->rd) = (xreg_t)v;
	CHECK_EXIT();
	NEXT();
}
L_SC_D: {
	uint64_t fail;
	SYNC();
	if (!rv_sc(cpu, X(op->rs1), 8, X(op->rs2), &fail))
		goto L_top;
	X(op->rd) = (xreg_t)fail;
	CHECK_EXIT();
	NEXT();
}
L_AMOSWAP_D: AMO(RV_OP_AMOSWAP_D, uint64_t, int64_t, 8);
L_AMOADD_D: AMO(RV_OP_AMOADD_D, uint64_t, int64_t, 8);
L_AMOXOR_D: AMO(RV_OP_AMOXOR_D, uint64_t, int64_t, 8);
L_AMOAND_D: AMO(RV_OP_AMOAND_D, uint64_t, int64_t, 8);
L_AMOOR_D: AMO(RV_OP_AMOOR_D, uint64_t, int64_t, 8);
L_AMOMIN_D: AMO(RV_OP_AMOMIN_D, uint64_t, int64_t, 8);
L_AMOMAX_D: AMO(RV_OP_AMOMAX_D, uint64_t, int64_t, 8);
L_AMOMINU_D: AMO(RV_OP_AMOMINU_D, uint64_t, int64_t, 8);
L_AMOMAXU_D: AMO(RV_OP_AMOMAXU_D, uint64_t, int64_t, 8);
#endif

	/* ---- memory ---- */
L_LB: LOAD(int8_t, 1);
L_LH: LOAD(int16_t, 2);
L_LW: LOAD(int32_t, 4);
L_LBU: LOAD(uint8_t, 1);
L_LHU: LOAD(uint16_t, 2);
L_SB: STORE(uint8_t, 1);
L_SH: STORE(uint16_t, 2);
L_SW: STORE(uint32_t, 4);
L_LR_W: {
	uint64_t v;
	SYNC();
	if (!rv_lr(cpu, X(op->rs1), 4, &v))
		goto L_top;
	X(op->rd) = (xreg_t)(sxreg_t)(int32_t)v;
	CHECK_EXIT();
	NEXT();
}
L_SC_W: {
	uint64_t fail;
	SYNC();
	if (!rv_sc(cpu, X(op->rs1), 4, X(op->rs2), &fail))
		goto L_top;
	X(op->rd) = (xreg_t)fail;
	CHECK_EXIT();
	NEXT();
}
L_AMOSWAP_W: AMO(RV_OP_AMOSWAP_W, uint32_t, int32_t, 4);
L_AMOADD_W: AMO(RV_OP_AMOADD_W, uint32_t, int32_t, 4);
L_AMOXOR_W: AMO(RV_OP_AMOXOR_W, uint32_t, int32_t, 4);
L_AMOAND_W: AMO(RV_OP_AMOAND_W, uint32_t, int32_t, 4);
L_AMOOR_W: AMO(RV_OP_AMOOR_W, uint32_t, int32_t, 4);
L_AMOMIN_W: AMO(RV_OP_AMOMIN_W, uint32_t, int32_t, 4);
L_AMOMAX_W: AMO(RV_OP_AMOMAX_W, uint32_t, int32_t, 4);
L_AMOMINU_W: AMO(RV_OP_AMOMINU_W, uint32_t, int32_t, 4);
L_AMOMAXU_W: AMO(RV_OP_AMOMAXU_W, uint32_t, int32_t, 4);

	/* ---- system: always the last op of a block ---- */
L_CSRRW:
L_CSRRS:
L_CSRRC:
L_CSRRWI:
L_CSRRSI:
L_CSRRCI: {
	unsigned opc = INFO.opc;
	bool imm_form = opc >= RV_OP_CSRRWI;
	uint64_t src = imm_form ? op->rs1 : (uint64_t)X(op->rs1);
	bool is_write_op = opc == RV_OP_CSRRW || opc == RV_OP_CSRRWI;
	uint64_t old = 0;
	SYNC();
	if (!rv_csr_insn(cpu, INFO.raw, opc, (unsigned)op->imm & 0xfff, src,
	                 !is_write_op || op->rd != RV_SINK, is_write_op || op->rs1 != 0, &old))
		goto L_top;
	X(op->rd) = (xreg_t)old;
	RETIRE_TO_TOP();
}
L_ECALL:
	SYNC();
	rv_ecall(cpu, OPPC);
	goto L_top;
L_EBREAK:
	SYNC();
	rv_ebreak(cpu, OPPC, INFO.raw);
	goto L_top;
L_MRET:
	SYNC();
	rv_mret(cpu, OPPC);
	goto L_top;
L_SRET:
	SYNC();
	rv_sret(cpu, OPPC);
	goto L_top;
L_WFI:
	SYNC();
	rv_wfi(cpu, OPPC);
	goto L_top;
L_SFENCE_VMA:
	SYNC();
	rv_sfence_vma(cpu, OPPC, INFO.raw);
	goto L_top;
L_FENCE_I:
	/* Retire first: the flush frees the block holding `op`. */
	cpu->common.insns = base + op->idx + 1;
	cpu->pc = (xreg_t)(OPPC + 4);
	rv_fence_i(cpu);
	goto L_top;
L_ILLEGAL:
	RAISE(RV_EXC_ILLEGAL, INFO.raw);
}

#undef X
#undef IMM
#undef INFO
#undef TARGET
#undef OPPC
#undef INSN_LEN
#undef DISPATCH
#undef NEXT
#undef MAYBE_JIT
#undef ENTER
#undef SYNC
#undef CHECK_EXIT
#undef RAISE
#undef JUMP
#undef CHAIN
#undef FITS
#undef RETIRE_TO_TOP
#undef TLB
#undef KEY
#undef LOAD
#undef STORE
#undef AMO
#undef BRANCH
#undef RV64_ONLY
