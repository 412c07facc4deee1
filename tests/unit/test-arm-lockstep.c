/* tests/unit/test-arm-lockstep.c — the Cortex-M cores in lockstep with libunicorn (QEMU's Arm
 * translator) on Thumb M-class code.
 *
 * For each core (Cortex-M0, M3, M4F, M7 with double precision, M33 with FP), a directed pass
 * runs every entry of the encoding table 24 times with interesting operand values, then a
 * random pass runs table-guided and fully random encodings. Each instruction is written at the
 * next position of a code stream in both emulators and stepped; then r0-r15, xPSR (flags, Q,
 * GE, IT, T), MSP, PSP, PRIMASK, BASEPRI, FAULTMASK, CONTROL, s0-s31, FPSCR and the whole data
 * RAM are compared. Instructions that raise an exception must raise one in both (the state is
 * then resynchronised). Before a memory instruction the harness points its base register into
 * the data RAM (and its index register at a small offset), identically in both, so that random
 * streams stay inside mapped memory. Seeds are fixed and printed; SOC_ARM_LOCKSTEP_SEED and
 * SOC_ARM_LOCKSTEP_STEPS override them.
 *
 * Then a block phase (see p2_run) runs programs made of the encodings the step pass accepted
 * (no exception, no tolerated deviation, none of the kinds below that need care), with loads and
 * stores pointed into the data RAM the same way, IT blocks, forward branches, calls and
 * counted loops, on fresh cores through the normal run path in random budget slices: with
 * the block compiler off, with every block compiled on its first entry, and one instruction
 * at a time; unicorn runs each program in one go, and the end states must agree
 * (SOC_ARM_LOCKSTEP_DUMP=1 lists a program that differs).
 *
 * Known reference deviations (each excluded or tolerated below, nowhere else):
 *  - unicorn 2.0.1 does not stop inside an IT block when asked to run one instruction (it runs
 *    a varying part of the block): the harness generates the whole block without branches,
 *    runs unicorn up to the end of the block and steps socemu through all of it before
 *    comparing. unicorn also loses the IT state after instructions that end its translation
 *    blocks (ISB, MSR, CPS, CLREX, VMSR) and does not check alignment: those, branches, hints
 *    and alignment-checked accesses (whose base an earlier instruction of the block may have
 *    changed) are kept out of IT blocks. The guest programs cover them inside IT blocks.
 *  - unicorn does not check alignment for LDM/STM/LDRD/STRD/exclusives/VLDR/VSTR: the harness
 *    aligns those base registers (socemu's UNALIGNED faults are covered by the guest tests).
 *  - unicorn's Cortex-M33 has the Security Extension and runs in Secure state: TT answers
 *    differently (excluded), CONTROL.SFPA (bit 3) exists (not compared, MRS CONTROL
 *    excluded), MSPLIM/PSPLIM are the Secure ones (excluded: MSR/MRS of them).
 *  - a branch to an even address (EPSR.T = 0) makes unicorn report INSN_INVALID at once for
 *    the next fetch; socemu raises INVSTATE at the next instruction: both are accepted when
 *    the branch itself agrees (pc and T).
 *  - a branch out of the mapped code makes unicorn report FETCH_UNMAPPED for the next fetch:
 *    accepted when pc agrees (socemu faults only when it really fetches there).
 *  - unicorn's register interface reads MSP, PSP, the masks and CONTROL as 0, and ignores
 *    writes to them, while the thread is unprivileged: MSR CONTROL is never given nPRIV.
 *  - unicorn writes FAULTMASK by MSR while FAULTMASK is 1; the cores ignore that write, as
 *    the MSR pseudocode does at execution priority -1: tolerated.
 *  - unicorn (QEMU 5.0) keeps bits [1:0] of a value written to SP (or by MSR to MSP or PSP);
 *    Cortex-M cores force them to zero, as socemu does: the harness writes socemu's value back
 *    into unicorn.
 *  - unicorn runs SSAT16/USAT16 on the Cortex-M3 (they are Armv7E-M: UNDEFINED there) and
 *    runs 32-bit single stores with Rn = pc (UNDEFINED) as pc-relative stores; it also runs
 *    other Armv7E-M DSP instructions on the M3, and Advanced SIMD encodings (no M-profile core
 *    has them), and LDREXD/STREXD/LDAEXD/STLEXD (A and R profiles only): all excluded.
 *  - unicorn reports YIELD (and other hints) as an error after executing it: accepted (and
 *    hints are kept out of IT blocks, where unicorn stops short). unicorn runs SETEND, which
 *    M-profile cores do not have, and CBZ, CBNZ and IT on its Cortex-M0: excluded.
 *  - unicorn's "run one instruction" (count = 1) is unreliable (it may run more than one), and
 *    wherever it stops it keeps a translation of the bytes there as they were then, which it
 *    runs later even after uc_mem_write changed them. The harness steps socemu first and runs
 *    unicorn up to socemu's new pc (a different path shows as a mismatch), and starts every
 *    step at a fresh address after a gap, never where unicorn once stopped.
 *  - UNPREDICTABLE encodings (socemu executes them as UNDEFINED) are not generated.
 * Exception entry itself (stacking, vectors) is not compared here: unicorn stops at the
 * exception; the guest programs under tests/firmware/arm cover it. */
#include "tests/arm/arm-harness.h"

#include <unicorn/unicorn.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define CODE_BASE 0x00000000u
#define CODE_SIZE 0x400000u
#define STREAM_START 0x1000u
#define STREAM_END (CODE_SIZE - 0x1000u)
#define DATA_BASE 0x20000000u
#define DATA_SIZE 0x4000u

typedef struct {
	const char *compatible;
	int uc_model;
	unsigned steps;
	uint32_t seed;
} LockCore;

static const LockCore lock_cores[] = {
	{ "arm,cortex-m0", UC_CPU_ARM_CORTEX_M0, 120000, 0x5eed0000 },
	{ "arm,cortex-m3", UC_CPU_ARM_CORTEX_M3, 200000, 0x5eed0003 },
	{ "arm,cortex-m4f", UC_CPU_ARM_CORTEX_M4, 200000, 0x5eed0004 },
	{ "arm,cortex-m7", UC_CPU_ARM_CORTEX_M7, 200000, 0x5eed0007 },
	{ "arm,cortex-m33f", UC_CPU_ARM_CORTEX_M33, 240000, 0x5eed0033 },
};

typedef struct {
	uint32_t r[16], xpsr, msp, psp, primask, basepri, faultmask, control, fpscr, s[32];
} LockState;

typedef struct {
	uint32_t w;
	uint8_t size;
} PoolInsn;

typedef struct {
	const LockCore *core;
	ArmHarness *h;
	ArmCpu *c;
	uc_engine *uc;
	GRand *rand;
	uint32_t pos;
	uint64_t executed, skipped_unpred, exceptions, mismatches;
	uint8_t data_a[DATA_SIZE], data_b[DATA_SIZE];
	uint8_t poisoned[CODE_SIZE / 16];
	char last[256];
	/* For the block phase: encodings this pass ran without an exception or a deviation,
	 * register-only ones and memory ones, and the phase's own random numbers (so that the
	 * step pass is the same with or without it). */
	GArray *pool[2];
	GRand *prand;
} Lock;

static const uint32_t interesting[] = {
	0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000,
	0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 0x55555555, 0xAAAAAAAA, 0x00FF00FF, 0xFF00FF00, 31, 32, 33,
};

static const uint32_t interesting_f32[] = {
	0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001,
	0x7F800001, 0xFFA00000, 0x00000001, 0x80000001, 0x007FFFFF, 0x00800000, 0x80800000, 0x7F7FFFFF,
	0xFF7FFFFF, 0x3F000000, 0x4F000000, 0xCF000000, 0x4F800000, 0x47000000, 0x3EAAAAAB, 0x40490FDB,
	0x00400000, 0x7E000000,
};

static bool has(const Lock *l, uint32_t ft)
{
	return (l->c->feat & ft) != 0;
}

/* ---- state transfer ------------------------------------------------------------------------- */

static const int uc_core_regs[] = {
	UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4, UC_ARM_REG_R5,
	UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
	UC_ARM_REG_R12, UC_ARM_REG_R13, UC_ARM_REG_R14, UC_ARM_REG_PC, UC_ARM_REG_XPSR, UC_ARM_REG_MSP,
	UC_ARM_REG_PSP, UC_ARM_REG_PRIMASK, UC_ARM_REG_BASEPRI, UC_ARM_REG_FAULTMASK, UC_ARM_REG_CONTROL,
};

static void uc_get(Lock *l, LockState *s)
{
	uint32_t *fields[G_N_ELEMENTS(uc_core_regs)];
	void *vals[G_N_ELEMENTS(uc_core_regs)];
	int regs[G_N_ELEMENTS(uc_core_regs)];
	for (unsigned k = 0; k < 16; k++)
		fields[k] = &s->r[k];
	fields[16] = &s->xpsr;
	fields[17] = &s->msp;
	fields[18] = &s->psp;
	fields[19] = &s->primask;
	fields[20] = &s->basepri;
	fields[21] = &s->faultmask;
	fields[22] = &s->control;
	for (unsigned k = 0; k < G_N_ELEMENTS(uc_core_regs); k++) {
		regs[k] = uc_core_regs[k];
		vals[k] = fields[k];
		*fields[k] = 0;
	}
	uc_reg_read_batch(l->uc, regs, vals, (int)G_N_ELEMENTS(regs));
	if (has(l, ARM_FT_FP)) {
		uc_reg_read(l->uc, UC_ARM_REG_FPSCR, &s->fpscr);
		for (unsigned k = 0; k < 32; k++)
			uc_reg_read(l->uc, UC_ARM_REG_S0 + (int)k, &s->s[k]);
	} else {
		s->fpscr = 0;
		memset(s->s, 0, sizeof(s->s));
	}
}

static void uc_put(Lock *l, const LockState *s)
{
	uint32_t v;
	for (unsigned k = 0; k < 15; k++)
		uc_reg_write(l->uc, uc_core_regs[k], &s->r[k]);
	v = s->r[15] | 1;
	uc_reg_write(l->uc, UC_ARM_REG_PC, &v);
	uc_reg_write(l->uc, UC_ARM_REG_XPSR, &s->xpsr);
	/* Writing XPSR leaves GE alone in unicorn: write the APSR view as well. */
	if (has(l, ARM_FT_DSP))
		uc_reg_write(l->uc, UC_ARM_REG_XPSR_NZCVQG, &s->xpsr);
	if (!ARM_IS_V6M(l->c)) {
		uc_reg_write(l->uc, UC_ARM_REG_BASEPRI, &s->basepri);
		uc_reg_write(l->uc, UC_ARM_REG_FAULTMASK, &s->faultmask);
	}
	uc_reg_write(l->uc, UC_ARM_REG_PRIMASK, &s->primask);
	/* unicorn's Cortex-M33 runs in Secure state, where an FP instruction with CONTROL.SFPA
	 * clear starts a new FP context (FPSCR from FPDSCR): keep SFPA with FPCA. */
	v = s->control;
	if (ARM_IS_V8M(l->c) && (v & ARM_CONTROL_FPCA))
		v |= 8;
	uc_reg_write(l->uc, UC_ARM_REG_CONTROL, &v);
	/* CONTROL may have switched the banked SP: write both afterwards. */
	uc_reg_write(l->uc, UC_ARM_REG_MSP, &s->msp);
	uc_reg_write(l->uc, UC_ARM_REG_PSP, &s->psp);
	if (has(l, ARM_FT_FP)) {
		uc_reg_write(l->uc, UC_ARM_REG_FPSCR, &s->fpscr);
		for (unsigned k = 0; k < 32; k++)
			uc_reg_write(l->uc, UC_ARM_REG_S0 + (int)k, &s->s[k]);
	}
}

static void mine_get(Lock *l, LockState *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned k = 0; k < 24; k++) {
		uint32_t v = 0;
		soc_arm_get_reg(l->h->cpu, k, &v);
		if (k < 16) s->r[k] = v;
		switch (k) {
		case 16: s->xpsr = v; break;
		case 17: s->msp = v; break;
		case 18: s->psp = v; break;
		case 19: s->primask = v; break;
		case 20: s->basepri = v; break;
		case 21: s->faultmask = v; break;
		case 22: s->control = v; break;
		case 23: s->fpscr = v; break;
		default: break;
		}
	}
	if (has(l, ARM_FT_FP))
		memcpy(s->s, l->c->fp.s, sizeof(s->s));
}

static void mine_put(Lock *l, const LockState *s)
{
	ArmCpu *c = l->c;
	c->control = s->control & (has(l, ARM_FT_FP) ? 7u : 3u);
	for (unsigned k = 0; k < 16; k++)
		soc_arm_set_reg(l->h->cpu, k, s->r[k]);
	soc_arm_set_reg(l->h->cpu, 16, s->xpsr);
	soc_arm_set_reg(l->h->cpu, 17, s->msp);
	soc_arm_set_reg(l->h->cpu, 18, s->psp);
	soc_arm_set_reg(l->h->cpu, 19, s->primask);
	soc_arm_set_reg(l->h->cpu, 20, s->basepri);
	soc_arm_set_reg(l->h->cpu, 21, s->faultmask);
	if (has(l, ARM_FT_FP)) {
		c->fpscr = s->fpscr;
		memcpy(c->fp.s, s->s, sizeof(c->fp.s));
	}
	arm_fp_update_ready(c);
	arm_update_irq(c);
	arm_set_mpu_ctx(c);
}

/* ---- comparison ------------------------------------------------------------------------------ */

static uint32_t xpsr_mask(const Lock *l)
{
	if (ARM_IS_V6M(l->c))
		return 0xF1000000u;
	return 0xF9000000u | 0x0600FC00u | (has(l, ARM_FT_DSP) ? 0x000F0000u : 0);
}

static bool compare(Lock *l, const LockState *a, const LockState *b, bool check_mem, GString *why)
{
	static const char *const names[] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9",
	                                     "r10", "r11", "r12", "sp", "lr", "pc" };
	bool ok = true;
#define CMP(field, name, mask)                                                                     \
	if (((a->field ^ b->field) & (mask)) != 0) {                                              \
		g_string_append_printf(why, " %s: socemu 0x%08x unicorn 0x%08x;", name, a->field & (mask), \
		                       b->field & (mask));                                        \
		ok = false;                                                                        \
	}
	for (unsigned k = 0; k < 16; k++)
		CMP(r[k], names[k], k == 15 ? ~1u : ~0u);
	CMP(xpsr, "xpsr", xpsr_mask(l));
	CMP(msp, "msp", ~0u);
	CMP(psp, "psp", ~0u);
	CMP(primask, "primask", 1u);
	if (!ARM_IS_V6M(l->c)) {
		CMP(basepri, "basepri", 0xFFu);
		CMP(faultmask, "faultmask", 1u);
	}
	CMP(control, "control", has(l, ARM_FT_FP) ? 7u : 3u);
	if (has(l, ARM_FT_FP)) {
		char nm[8];
		CMP(fpscr, "fpscr", ARM_FPSCR_MASK);
		for (unsigned k = 0; k < 32; k++) {
			g_snprintf(nm, sizeof(nm), "s%u", k);
			CMP(s[k], nm, ~0u);
		}
	}
#undef CMP
	if (!check_mem)
		return ok;
	g_assert_true(soc_as_read_bytes(l->h->as, DATA_BASE, l->data_a, DATA_SIZE, NULL));
	g_assert_cmpint(uc_mem_read(l->uc, DATA_BASE, l->data_b, DATA_SIZE), ==, UC_ERR_OK);
	if (memcmp(l->data_a, l->data_b, DATA_SIZE)) {
		for (unsigned k = 0; k < DATA_SIZE; k++) {
			if (l->data_a[k] != l->data_b[k]) {
				g_string_append_printf(why, " memory 0x%08x: socemu 0x%02x unicorn 0x%02x;", DATA_BASE + k,
				                       l->data_a[k], l->data_b[k]);
				break;
			}
		}
		ok = false;
	}
	return ok;
}

/* ---- generation ------------------------------------------------------------------------------- */

static bool is_hint(const ArmInsn *d)
{
	switch (d->op) {
	case ARM_OP_NOP16: case ARM_OP_YIELD16: case ARM_OP_WFE16: case ARM_OP_WFI16: case ARM_OP_SEV16:
	case ARM_OP_HINT16: case ARM_OP_NOP_W: case ARM_OP_YIELD_W: case ARM_OP_WFE_W: case ARM_OP_WFI_W:
	case ARM_OP_SEV_W: case ARM_OP_DBG: case ARM_OP_HINT_W:
		return true;
	default:
		return false;
	}
}

static bool excluded(const Lock *l, uint32_t w, unsigned size, const ArmInsn *d)
{
	/* unicorn runs SETEND, which M-profile does not have, and CBZ, CBNZ and IT on the
	 * Cortex-M0 (Armv7-M instructions). */
	if (size == 16 && (w & 0xFFF7) == 0xB650)
		return true;
	if (size == 16 && ARM_IS_V6M(l->c) && arm_insn_info[arm_decode_lookup(w, 16, ~0u)].feat == ARM_FT_V7M)
		return true;
	if (size == 32) {
		uint32_t hw1 = w >> 16;
		/* unicorn runs LDREXD/STREXD, which only A and R profiles have. */
		if ((w & 0xFFE000F0u) == 0xE8C00070u || (w & 0xFFE000F0u) == 0xE8C000F0u)
			return true;
		/* The TT space: unicorn's M33 has the Security Extension (TTA, TTAT exist). */
		if (ARM_IS_V8M(l->c) && (w & 0xFFF0F000u) == 0xE840F000u)
			return true;
		/* unicorn runs SSAT16/USAT16 on cores without the DSP extension. */
		if (!has(l, ARM_FT_DSP) && (w & 0xFB70F0C0u) == 0xF3200000u)
			return true;
		/* ... and several other DSP instructions, and Advanced SIMD loads and stores. */
		if (!has(l, ARM_FT_DSP) && arm_insn_info[arm_decode_lookup(w, 32, ~0u)].feat == ARM_FT_DSP)
			return true;
		if ((hw1 & 0xFF10) == 0xF900 || (hw1 & 0xEF00) == 0xEF00)
			return true;
		/* unicorn runs single stores with Rn = pc (UNDEFINED) as pc-relative stores. */
		if ((hw1 & 0xFF10) == 0xF800 && (hw1 & 0xF) == 0xF)
			return true;
	}
	if (d->fn == arm_x_tt)
		return true;
	if ((d->fn == arm_x_msr || d->fn == arm_x_mrs) && (d->imm == 10 || d->imm == 11))
		return true;
	/* ... and CONTROL.SFPA (bit 3) */
	if (ARM_IS_V8M(l->c) && d->fn == arm_x_mrs && d->imm == 20)
		return true;
	return false;
}

static uint32_t gen_word(Lock *l, int forced_op, unsigned *size)
{
	GRand *r = l->rand;
	if (forced_op > 0 || g_rand_int_range(r, 0, 100) < 85) {
		for (;;) {
			unsigned op = forced_op > 0 ? (unsigned)forced_op : (unsigned)g_rand_int_range(r, 1, ARM_OP_UNPRED);
			const ArmInsnInfo *e = &arm_insn_info[op];
			uint32_t w;
			if (!(e->feat & l->c->feat))
				continue;
			w = e->match | (g_rand_int(r) & ~e->mask);
			*size = e->size;
			return e->size == 16 ? w & 0xFFFF : w;
		}
	}
	if (g_rand_boolean(r)) {
		uint32_t w;
		do
			w = g_rand_int(r) & 0xFFFF;
		while (arm_is_32bit((uint16_t)w));
		*size = 16;
		return w;
	}
	*size = 32;
	return (g_rand_int(r) & 0x07FFFFFFu) | 0xE8000000u | (g_rand_boolean(r) ? 0x10000000u : 0);
}

static bool is_strict(ArmExecFn f);

static bool writes_pc(const ArmInsn *d)
{
	ArmExecFn f = d->fn;
	if (f == arm_x_ldm || f == arm_x_ldmdb || f == arm_x_pop)
		return (d->imm & 0x8000) != 0;
	return f == arm_x_b || d->op == ARM_OP_BCC16 || d->op == ARM_OP_BCC_W || f == arm_x_bl || f == arm_x_bx || f == arm_x_blx ||
	       f == arm_x_cbz || f == arm_x_cbnz || f == arm_x_add_pc || f == arm_x_mov_pc || f == arm_x_ldr_pc ||
	       f == arm_x_tbb || f == arm_x_tbh;
}

/* Instructions that can write memory (the data RAM is compared after them). */
static bool stores(const ArmInsn *d)
{
	extern const ArmExecFn arm_spw_inner[];
	ArmExecFn f = d->fn;
	if (f == arm_x_spw)
		f = arm_spw_inner[d->x];
#define ST(o) f == arm_x_##o##_i || f == arm_x_##o##_pre || f == arm_x_##o##_post || f == arm_x_##o##_r || \
	f == arm_x_##o##_lit
	return ST(str) || ST(strb) || ST(strh) || f == arm_x_strt || f == arm_x_strd || f == arm_x_stm ||
	       f == arm_x_stmdb || f == arm_x_push || f == arm_x_strex || f == arm_x_stl || f == arm_x_vstr ||
	       f == arm_x_vstm;
#undef ST
}

/* Instructions after which QEMU ends a translation block: unicorn loses the IT state there. */
static bool ends_tb(const ArmInsn *d)
{
	return d->fn == arm_x_isb || d->fn == arm_x_msr || d->fn == arm_x_cps || d->fn == arm_x_clrex ||
	       d->fn == arm_x_svc || d->fn == arm_x_bkpt || d->fn == arm_x_vmsr;
}

/* An instruction the reference can run for the current IT context, decoded. */
static uint32_t gen_insn(Lock *l, uint32_t pc, bool in_it, bool last, int forced_op, unsigned *size, ArmInsn *d)
{
	ArmDecodeCtx x = { .pc = pc, .feat = l->c->feat, .in_it = in_it, .last_in_it = last };
	for (int tries = 0;; tries++) {
		uint32_t w = gen_word(l, tries < 64 ? forced_op : 0, size);
		ArmDecStatus st = arm_decode(&x, w, *size, d);
		if (st == ARM_DEC_UNPRED) {
			l->skipped_unpred++;
			continue;
		}
		/* An IT block cannot hold another IT; the harness keeps branches out of IT blocks
		 * (unicorn must run the whole block up to its end, see the top). */
		if (in_it && (d->fn == arm_x_it || writes_pc(d) || is_hint(d) || ends_tb(d) || is_strict(d->fn)))
			continue;
		if (excluded(l, w, *size, d))
			continue;
		return w;
	}
}

static void put_code(Lock *l, uint32_t pc, uint32_t w, unsigned size)
{
	uint16_t hw[2];
	unsigned len = size / 8;
	if (size == 32) {
		hw[0] = (uint16_t)(w >> 16);
		hw[1] = (uint16_t)w;
	} else {
		hw[0] = (uint16_t)w;
	}
	arm_harness_write(l->h, pc, hw, len);
	g_assert_cmpint(uc_mem_write(l->uc, pc, hw, len), ==, UC_ERR_OK);
	/* The stream never reuses an address until it wraps, when unicorn's translations of the
	 * whole stream are dropped (uc_ctl_remove_cache costs hundreds of microseconds, so not
	 * per instruction). */
}

/* ---- fix-ups: keep memory accesses inside the data RAM -------------------------------------------- */

static bool is_load_store(ArmExecFn f)
{
#define LS(o) f == arm_x_##o##_i || f == arm_x_##o##_pre || f == arm_x_##o##_post || f == arm_x_##o##_r
	return LS(ldr) || LS(ldrb) || LS(ldrsb) || LS(ldrh) || LS(ldrsh) || LS(str) || LS(strb) || LS(strh) ||
	       f == arm_x_ldrt || f == arm_x_strt || f == arm_x_ldr_pc;
#undef LS
}

static bool is_reg_form(ArmExecFn f, const ArmInsn *d)
{
	return f == arm_x_ldr_r || f == arm_x_ldrb_r || f == arm_x_ldrsb_r || f == arm_x_ldrh_r ||
	       f == arm_x_ldrsh_r || f == arm_x_str_r || f == arm_x_strb_r || f == arm_x_strh_r ||
	       (f == arm_x_ldr_pc && d->x == 3);
}

static bool is_strict(ArmExecFn f)
{
	return f == arm_x_ldrd || f == arm_x_strd || f == arm_x_ldm || f == arm_x_ldmdb || f == arm_x_stm ||
	       f == arm_x_stmdb || f == arm_x_ldrex || f == arm_x_strex || f == arm_x_lda || f == arm_x_stl ||
	       f == arm_x_vldr || f == arm_x_vstr || f == arm_x_vldm || f == arm_x_vstm;
}

static void set_both(Lock *l, unsigned reg, uint32_t v)
{
	l->c->r[reg] = v;
	uc_reg_write(l->uc, uc_core_regs[reg], &v);
}

static void fixup(Lock *l, const ArmInsn *d)
{
	ArmExecFn f = d->fn;
	GRand *r = l->rand;
	bool v6 = ARM_IS_V6M(l->c), mem, strict;
	extern const ArmExecFn arm_spw_inner[];

	/* MSR CONTROL never sets nPRIV here: unicorn's register interface goes through QEMU's
	 * MRS/MSR helpers, which read SYSm > 7 as 0 and ignore writes to them from unprivileged
	 * code, so the harness could no longer compare or resynchronise MSP, PSP, the masks or
	 * CONTROL itself. Unprivileged code is covered by the guest programs (MPU, exceptions). */
	if (f == arm_x_msr && (d->imm & 0xFF) == 20 && d->rn < 13 && (l->c->r[d->rn] & 1)) {
		set_both(l, d->rn, l->c->r[d->rn] & ~1u);
		return;
	}
	if (f == arm_x_spw)
		f = arm_spw_inner[d->x];
	strict = is_strict(f) || v6;
	mem = strict || is_load_store(f) || f == arm_x_tbb || f == arm_x_tbh;
	if (!mem)
		return;
	if ((f == arm_x_ldrd || f == arm_x_strd || f == arm_x_vldr || f == arm_x_vstr) && (d->flags & ARM_IF_X))
		return;                             /* literal */
	if (d->rn == 13) {
		/* SP-based: SP is kept in the data RAM; a register index must be small. */
		if (is_reg_form(f, d))
			set_both(l, d->rm, (uint32_t)g_rand_int_range(r, 0, 64) & (strict ? ~7u : ~0u));
		return;
	}
	if (d->rn == 15) {
		/* TBB/TBH [pc, Rm]: a table in the code that follows. */
		if ((f == arm_x_tbb || f == arm_x_tbh) && d->rm != 15)
			set_both(l, d->rm, (uint32_t)g_rand_int_range(r, 0, 64));
		return;
	}
	{
		uint32_t base = DATA_BASE + 0x1000 + ((uint32_t)g_rand_int_range(r, 0, 0x2000) & ~7u);
		bool reg = is_reg_form(f, d) || f == arm_x_tbb || f == arm_x_tbh;
		uint32_t idx = (uint32_t)g_rand_int_range(r, 0, 64);
		if (!strict && g_rand_int_range(r, 0, 4) == 0)
			base += (uint32_t)g_rand_int_range(r, 1, 4);
		if (strict)
			idx &= ~7u;
		if (reg && d->rm == d->rn) {
			/* The same register as base and index: aim base + (base << amt) at the data. */
			uint32_t shift = f == arm_x_tbh ? 1 : (f == arm_x_tbb ? 0 : d->amt);
			uint32_t v = ((DATA_BASE + 0x1800) / (1 + (1u << shift))) & ~7u;
			set_both(l, d->rn, v);
			return;
		}
		set_both(l, d->rn, base);
		if (reg)
			set_both(l, d->rm, idx);
	}
}

/* Registers drift to a few values; keep feeding interesting and random ones. */
static void stir(Lock *l, bool directed)
{
	GRand *r = l->rand;
	unsigned n = directed ? 4 : (g_rand_int_range(r, 0, 8) == 0 ? 2 : 0);
	for (unsigned k = 0; k < n; k++) {
		unsigned reg = (unsigned)g_rand_int_range(r, 0, 13);
		uint32_t v = g_rand_boolean(r) ? interesting[g_rand_int_range(r, 0, G_N_ELEMENTS(interesting))]
		                               : g_rand_int(r);
		set_both(l, reg, v);
	}
	if (directed || g_rand_int_range(r, 0, 16) == 0) {
		LockState s;
		mine_get(l, &s);
		s.xpsr = (s.xpsr & ~0xF80F0000u) | (g_rand_int(r) & 0xF80F0000u);
		if (ARM_IS_V6M(l->c))
			s.xpsr &= ~0x080F0000u;
		if (has(l, ARM_FT_FP)) {
			for (unsigned k = 0; k < (directed ? 4u : 2u); k++) {
				unsigned reg = (unsigned)g_rand_int_range(r, 0, 32);
				s.s[reg] = g_rand_int_range(r, 0, 3) ? interesting_f32[g_rand_int_range(r, 0, G_N_ELEMENTS(interesting_f32))]
				                                      : g_rand_int(r);
			}
			if (g_rand_int_range(r, 0, 4) == 0)
				s.fpscr = g_rand_int(r) & 0x07C00000u;
		}
		mine_put(l, &s);
		uc_put(l, &s);
	}
}

/* SP back inside the data RAM, privileged, on the main stack, T set. */
static void sanitize(Lock *l)
{
	LockState s;
	bool changed = false;
	mine_get(l, &s);
	if ((s.control & 3) && g_rand_int_range(l->rand, 0, 64) == 0) {
		s.control &= ~3u;
		changed = true;
	}
	if (!(s.xpsr & (1u << 24))) {
		s.xpsr |= 1u << 24;
		changed = true;
	}
	if (s.r[13] < DATA_BASE + 0x800 || s.r[13] > DATA_BASE + 0x3400) {
		s.r[13] = DATA_BASE + 0x2000 + ((uint32_t)g_rand_int_range(l->rand, 0, 0x800) & ~7u);
		if (s.control & 2)
			s.psp = s.r[13];
		else
			s.msp = s.r[13];
		changed = true;
	}
	if (changed) {
		mine_put(l, &s);
		uc_put(l, &s);
	}
}

/* ---- the block phase's encodings ---------------------------------------------------------------- */

/* Which accepted encodings the block phase reuses (see p2_run below): instructions that only
 * compute on registers (and flags, FP registers, FPSCR), and loads and stores whose base the
 * phase points into the data RAM itself. Never: branches and writes to pc, hints (unicorn
 * stops after them), system instructions (MSR, CPS, VMSR, SVC, ...), exclusives, table
 * branches, and writes to SP other than ADD/SUB SP, #imm (unicorn keeps SP bits [1:0]). */
enum { POOL_REG, POOL_MEM, POOL_CAP = 4096 };

/* (The ranges follow the order of cpus/arm/insns.def.) */

static bool pool_reg_op(unsigned op)
{
	return (op >= ARM_OP_LSL_I16 && op <= ARM_OP_MVN_R16) || op == ARM_OP_ADD_HI || op == ARM_OP_CMP_HI ||
	       op == ARM_OP_MOV_HI || (op >= ARM_OP_ADR16 && op <= ARM_OP_SUB_SP7) ||
	       (op >= ARM_OP_SXTH16 && op <= ARM_OP_UXTB16_16) || (op >= ARM_OP_REV16_16 && op <= ARM_OP_REVSH16) ||
	       (op >= ARM_OP_TST_R && op <= ARM_OP_RSB_R) || (op >= ARM_OP_TST_I && op <= ARM_OP_RSB_I) ||
	       (op >= ARM_OP_ADDW && op <= ARM_OP_UBFX) || op == ARM_OP_MRS || op == ARM_OP_DSB ||
	       op == ARM_OP_DMB || op == ARM_OP_ISB || (op >= ARM_OP_LSL_RR && op <= ARM_OP_CLZ) ||
	       (op >= ARM_OP_MUL_W && op <= ARM_OP_USADA8) || (op >= ARM_OP_SMULL && op <= ARM_OP_UMAAL) ||
	       (op >= ARM_OP_VSEL && op <= ARM_OP_VCVTANPM) || op == ARM_OP_VMOV_2S || op == ARM_OP_VMOV_2D ||
	       (op >= ARM_OP_VMLA && op <= ARM_OP_VMOV_SR) || op == ARM_OP_VMRS || op == ARM_OP_VMOV_DR ||
	       op == ARM_OP_VMOV_RD;
}

static bool pool_mem_op(unsigned op)
{
	return (op >= ARM_OP_LDR_LIT16 && op <= ARM_OP_LDR_SP16) || op == ARM_OP_PUSH16 || op == ARM_OP_POP16 ||
	       op == ARM_OP_STM16 || op == ARM_OP_LDM16 || (op >= ARM_OP_STM_W && op <= ARM_OP_LDMDB) ||
	       op == ARM_OP_STRD || op == ARM_OP_LDRD || (op >= ARM_OP_STRB_I12 && op <= ARM_OP_LDR_R) ||
	       op == ARM_OP_VLDR || op == ARM_OP_VSTR || op == ARM_OP_VLDM || op == ARM_OP_VSTM;
}

/* Compare-type encodings: their Rd field is not a destination. */
static bool pool_no_dest(unsigned op)
{
	switch (op) {
	case ARM_OP_CMP_I8: case ARM_OP_TST_R16: case ARM_OP_CMP_R16: case ARM_OP_CMN_R16: case ARM_OP_CMP_HI:
	case ARM_OP_TST_R: case ARM_OP_TEQ_R: case ARM_OP_CMN_R: case ARM_OP_CMP_R: case ARM_OP_TST_I:
	case ARM_OP_TEQ_I: case ARM_OP_CMN_I: case ARM_OP_CMP_I: case ARM_OP_DSB: case ARM_OP_DMB: case ARM_OP_ISB:
		return true;
	default:
		return false;
	}
}

static bool is_fp_op(unsigned op)
{
	return op >= ARM_OP_VSEL && op <= ARM_OP_VMOV_RD;
}

/* The pool an encoding belongs to (decoded as d, in its context), or -1. `avoid` is a core
 * register the instruction must not write (14 in a subroutine), or 16. */
static int pool_kind(const ArmInsn *d, unsigned avoid)
{
	unsigned op = d->op;
	bool fp = is_fp_op(op);

	if (writes_pc(d) || is_hint(d) || d->fn == arm_x_it)
		return -1;
	if (pool_reg_op(op)) {
		/* ADD/SUB SP, SP, #imm7*4 keep SP aligned; any other write to SP is out. */
		if (op == ARM_OP_ADD_SP7 || op == ARM_OP_SUB_SP7)
			return avoid == 16 ? POOL_REG : -1;
		if (d->fn == arm_x_spw)
			return -1;
		if (op == ARM_OP_VMRS && d->rd == 15)
			return POOL_REG;      /* to the flags */
		if (pool_no_dest(op))
			return POOL_REG;
		/* rd (and ra: long multiplies, VMOV of two registers) may be destinations; FP ones
		 * other than the moves to core registers name FP registers there (so this leaves
		 * out a few FP instructions that it need not). */
		if (d->rd == 13 || d->rd == 15 || d->ra == 13 || d->ra == 15 || d->rd == avoid || d->ra == avoid)
			return -1;
		return POOL_REG;
	}
	if (pool_mem_op(op) && avoid == 16) {
		ArmExecFn f = d->fn;
		if (f == arm_x_spw)
			return -1;
		if (!fp && (d->rd == 13 || d->rd == 15 || d->ra == 13 || d->ra == 15))
			return -1;
		/* A writeback to SP by other than a multiple of 4 (unicorn keeps bits [1:0]). */
		if (d->rn == 13 && (d->flags & ARM_IF_WBACK) && (d->imm & 3))
			return -1;
		return POOL_MEM;
	}
	return -1;
}

static void pool_add(Lock *l, uint32_t w, unsigned size, const ArmInsn *d)
{
	PoolInsn p = { w, (uint8_t)size };
	int k = pool_kind(d, 16);
	GArray *a;
	if (k < 0)
		return;
	a = l->pool[k];
	if (a->len < POOL_CAP)
		g_array_append_val(a, p);
	else
		g_array_index(a, PoolInsn, g_rand_int_range(l->prand, 0, POOL_CAP)) = p;
}

/* ---- one step -------------------------------------------------------------------------------- */

/* Did socemu raise an exception (or lock up)? Clears it for the next step. */
static bool mine_exception(Lock *l)
{
	ArmCpu *c = l->c;
	bool exc = false;
	c->trapped_exc = 0;
	if (c->cpu.state == SOC_CPU_LOCKED_UP) {
		exc = true;
	} else {
		arm_take_pending(c);
		exc = c->trapped_exc != 0;
	}
	memset(c->pend, 0, sizeof(c->pend));
	c->cfsr = c->hfsr = c->dfsr = 0;
	c->cpu.state = SOC_CPU_RUNNING;
	g_clear_pointer(&c->cpu.stop_reason, g_free);
	c->slow &= ~(ARM_SLOW_STOP | ARM_SLOW_IRQ);
	arm_update_irq(c);
	return exc;
}

static void describe(Lock *l, uint32_t pc, uint32_t w, unsigned size, const ArmInsn *d)
{
	char dis[96];
	arm_disassemble(l->h->cpu, pc, dis, sizeof(dis));
	if (size == 32)
		g_snprintf(l->last, sizeof(l->last), "0x%08x: %04x %04x %-8s %s", pc, w >> 16, w & 0xFFFF,
		           arm_insn_info[d->op].name, dis);
	else
		g_snprintf(l->last, sizeof(l->last), "0x%08x: %04x      %-8s %s", pc, w, arm_insn_info[d->op].name, dis);
}

/* unicorn keeps a translation of the code at the address where it stopped, made before the
 * stream wrote anything there: such an address must never start a later step. */
static void poison(Lock *l, uint32_t a)
{
	if (a < CODE_BASE + CODE_SIZE)
		l->poisoned[(a - CODE_BASE) / 2 / 8] |= (uint8_t)(1u << ((a - CODE_BASE) / 2 % 8));
}

static bool poisoned(const Lock *l, uint32_t a)
{
	if (a >= CODE_BASE + CODE_SIZE)
		return false;
	return (l->poisoned[(a - CODE_BASE) / 2 / 8] >> ((a - CODE_BASE) / 2 % 8)) & 1;
}

static void uc_create(Lock *l);
static void uc_get(Lock *l, LockState *s);
static void uc_put(Lock *l, const LockState *s);

/* Back to the start of the stream with a new unicorn (it never gives back the memory of its
 * translations): state and memory come from the old one. */
static uint32_t wrap(Lock *l)
{
	static uint8_t code[CODE_SIZE];
	LockState s;
	uc_get(l, &s);
	g_assert_cmpint(uc_mem_read(l->uc, CODE_BASE, code, CODE_SIZE), ==, UC_ERR_OK);
	g_assert_cmpint(uc_mem_read(l->uc, DATA_BASE, l->data_b, DATA_SIZE), ==, UC_ERR_OK);
	uc_close(l->uc);
	uc_create(l);
	uc_mem_write(l->uc, CODE_BASE, code, CODE_SIZE);
	uc_mem_write(l->uc, DATA_BASE, l->data_b, DATA_SIZE);
	uc_put(l, &s);
	memset(l->poisoned, 0, sizeof(l->poisoned));
	l->pos = STREAM_START;
	return l->pos;
}

/* The next step starts after a gap (where unicorn stopped) at a clean address. */
static void advance(Lock *l, uint32_t end)
{
	uint32_t pos = (end + 2 + 7) & ~7u;
	for (;;) {
		bool clean = true;
		if (pos + 64 > STREAM_END) {
			pos = wrap(l);
			break;
		}
		for (uint32_t k = 0; k < 24 && clean; k += 2)
			clean = !poisoned(l, pos + k);
		if (clean)
			break;
		pos += 8;
	}
	l->pos = pos;
}

static void lock_step(Lock *l, int forced_op, bool directed)
{
	ArmCpu *c = l->c;
	uint32_t pc = l->pos, w, w2 = 0, next, until;
	unsigned size, size2 = 0, ucpc;
	bool in_it = c->itstate != 0, double_step = false, mexc, uexc, special = false;
	unsigned n_block = 0;
	char block[128] = "";
	ArmInsn d, d2;
	LockState a, b, before;
	uc_err e;
	GString *why;

	if (pc + 64 > STREAM_END)
		pc = wrap(l);
	sanitize(l);
	stir(l, directed);
	w = gen_insn(l, pc, in_it, in_it && (c->itstate & 0xF) == 8, in_it ? 0 : forced_op, &size, &d);
	put_code(l, pc, w, size);
	next = pc + size / 8;
	fixup(l, &d);
	if (d.fn == arm_x_it) {
		/* unicorn runs an IT instruction and its whole block as one step */
		unsigned mask = d.imm & 0xF;
		n_block = 4 - (unsigned)__builtin_ctz(mask);
		for (unsigned k = 1; k <= n_block; k++) {
			w2 = gen_insn(l, next, true, k == n_block, 0, &size2, &d2);
			put_code(l, next, w2, size2);
			fixup(l, &d2);
			g_snprintf(block + strlen(block), sizeof(block) - strlen(block), " | %s", arm_insn_info[d2.op].name);
			next += size2 / 8;
		}
		double_step = true;
	}
	describe(l, pc, w, size, &d);
	g_strlcat(l->last, block, sizeof(l->last));
	c->pc = pc;
	ucpc = pc | 1;
	uc_reg_write(l->uc, UC_ARM_REG_PC, &ucpc);
	mine_get(l, &before);

	arm_step(c);
	mexc = mine_exception(l);
	for (unsigned k = 0; k < n_block && !mexc; k++) {
		arm_step(c);
		mexc = mine_exception(l);
	}
	/* unicorn runs up to where socemu went (see the top); a stray path shows as a mismatch. */
	until = mexc ? next : c->pc;
	/* A translation unicorn already has there would run on past the stop. */
	if (poisoned(l, until))
		uc_ctl_remove_cache(l->uc, until, until + 2);
	/* Always with a count: a run without one after a run with one (count 1 here) makes
	 * unicorn drop its counting hook and flush every translation, tens of milliseconds each
	 * time (then half of this program's time); a count no step reaches keeps the hook. */
	if (until == pc || until == 0)
		e = uc_emu_start(l->uc, pc | 1, 0xFFFFFFFFu, 0, 1);
	else
		e = uc_emu_start(l->uc, pc | 1, until, 0, 0x7FFFFFFF);
	poison(l, pc);
	poison(l, until);
	poison(l, next);
	uexc = e != UC_ERR_OK;
	l->executed += 1 + n_block;

	mine_get(l, &a);
	uc_get(l, &b);
	/* A branch to an even address, or out of the mapped code: unicorn already failed the
	 * next fetch; socemu faults only when it fetches. Same outcome once pc agrees. */
	if (!mexc && uexc && (a.r[15] & ~1u) == (b.r[15] & ~1u) &&
	    (!(a.xpsr & (1u << 24)) || a.r[15] >= CODE_BASE + CODE_SIZE || e == UC_ERR_FETCH_UNMAPPED ||
	     e == UC_ERR_FETCH_PROT || e == UC_ERR_FETCH_UNALIGNED)) {
		uexc = false;
		b.xpsr = (b.xpsr & ~(1u << 24)) | (a.xpsr & (1u << 24));
	}
	/* unicorn stops with an error after YIELD (its EXCP_YIELD) having executed it. */
	if (!mexc && uexc && (a.r[15] & ~1u) == (b.r[15] & ~1u) && e == UC_ERR_INSN_INVALID &&
	    (double_step || d.fn == arm_x_nop || d.fn == arm_x_wfi || d.fn == arm_x_wfe || d.fn == arm_x_sev))
		uexc = false;
	/* unicorn keeps SP bits [1:0] as written (QEMU before 6.0); the cores force them to 0. */
	if (!mexc && !uexc && (a.r[13] ^ b.r[13]) == (b.r[13] & 3) && !(a.r[13] & 3)) {
		uint32_t sp = a.r[13];
		special = a.r[13] != b.r[13];
		b.r[13] = sp;
		if (b.control & 2)
			b.psp = sp;
		else
			b.msp = sp;
		uc_reg_write(l->uc, UC_ARM_REG_SP, &sp);
	}
	/* ... and of a value written to MSP or PSP (MSR) while the other one is SP. */
	if (!mexc && !uexc) {
		if (a.msp != b.msp && (a.msp ^ b.msp) == (b.msp & 3) && !(a.msp & 3)) {
			b.msp = a.msp;
			uc_reg_write(l->uc, UC_ARM_REG_MSP, &a.msp);
			special = true;
		}
		if (a.psp != b.psp && (a.psp ^ b.psp) == (b.psp & 3) && !(a.psp & 3)) {
			b.psp = a.psp;
			uc_reg_write(l->uc, UC_ARM_REG_PSP, &a.psp);
			special = true;
		}
	}
	/* MSR FAULTMASK while FAULTMASK is 1: execution priority is then -1, and the MSR
	 * pseudocode writes FAULTMASK only above -1, so the write is ignored (socemu); unicorn
	 * writes it. */
	if (!mexc && !uexc && d.fn == arm_x_msr && (d.imm & 0xFF) == 0x13 && before.faultmask == 1 &&
	    a.faultmask == 1 && b.faultmask != 1) {
		b.faultmask = 1;
		uc_reg_write(l->uc, UC_ARM_REG_FAULTMASK, &a.faultmask);
		special = true;
	}
	if (mexc || uexc) {
		if (mexc != uexc) {
			l->mismatches++;
			if (l->mismatches <= 12)
				g_test_message("%s: exception mismatch at %s%s: socemu %s (pc 0x%08x), unicorn %s "
				               "(uc_err %d, pc 0x%08x)", l->core->compatible, l->last,
				               double_step ? " (+ its IT block)" : "", mexc ? "raised one" : "none",
				               a.r[15], uexc ? "raised one" : "none", e, b.r[15]);
		}
		l->exceptions++;
		/* Resynchronise on the state before the instruction. */
		before.r[15] = next;
		before.xpsr &= ~0x0600FC00u;
		arm_set_itstate(c, 0);
		mine_put(l, &before);
		uc_put(l, &before);
		g_assert_true(soc_as_read_bytes(l->h->as, DATA_BASE, l->data_a, DATA_SIZE, NULL));
		uc_mem_write(l->uc, DATA_BASE, l->data_a, DATA_SIZE);
		advance(l, next);
		return;
	}
	why = g_string_new(NULL);
	if (!compare(l, &a, &b, double_step || stores(&d), why)) {
		l->mismatches++;
		if (l->mismatches <= 12) {
			g_test_message("%s: mismatch after %s%s:%s", l->core->compatible, l->last,
			               double_step ? " (+ its IT block)" : "", why->str);
			if (has(l, ARM_FT_FP) && d.rd < 32 && d.rn < 32 && d.rm < 32)
				g_test_message("  before: fpscr 0x%08x s%u 0x%08x s%u 0x%08x s%u 0x%08x", before.fpscr,
				               d.rd, before.s[d.rd], d.rn, before.s[d.rn], d.rm, before.s[d.rm]);
		}
		/* Carry on from unicorn's state so that one bug reports once. */
		mine_put(l, &b);
		g_assert_true(soc_as_write_bytes(l->h->as, DATA_BASE, l->data_b, DATA_SIZE, NULL));
	} else if (!double_step && !in_it && !special) {
		pool_add(l, w, size, &d);
	}
	g_string_free(why, TRUE);
	/* Continue with the next instruction of the stream, whatever the branch did. */
	advance(l, next);
}

static void uc_create(Lock *l)
{
	g_assert_cmpint(uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &l->uc), ==, UC_ERR_OK);
	g_assert_cmpint(uc_ctl_set_cpu_model(l->uc, l->core->uc_model), ==, UC_ERR_OK);
	g_assert_cmpint(uc_mem_map(l->uc, CODE_BASE, CODE_SIZE, UC_PROT_ALL), ==, UC_ERR_OK);
	g_assert_cmpint(uc_mem_map(l->uc, DATA_BASE, DATA_SIZE, UC_PROT_ALL), ==, UC_ERR_OK);
}

static void lock_setup(Lock *l, const LockCore *core, uint32_t seed)
{
	LockState s;
	l->core = core;
	l->h = arm_harness_new(core->compatible);
	l->c = l->h->c;
	arm_harness_map(l->h, CODE_BASE, CODE_SIZE);
	arm_harness_map(l->h, DATA_BASE, DATA_SIZE);
	l->h->cpu->cls->reset(l->h->cpu);
	l->c->reset_fetch_pending = false;
	l->c->trap_exceptions = true;
	/* The reference keeps all eight BASEPRI bits and has the FPU enabled. */
	l->c->prio_mask = 0xFF;
	l->c->cpacr = 0xFu << 20;
	l->rand = g_rand_new_with_seed(seed);
	l->prand = g_rand_new_with_seed(seed ^ 0xB10CB10Cu);
	l->pool[POOL_REG] = g_array_new(FALSE, FALSE, sizeof(PoolInsn));
	l->pool[POOL_MEM] = g_array_new(FALSE, FALSE, sizeof(PoolInsn));
	uc_create(l);
	for (unsigned k = 0; k < DATA_SIZE; k++)
		l->data_a[k] = (uint8_t)g_rand_int(l->rand);
	arm_harness_write(l->h, DATA_BASE, l->data_a, DATA_SIZE);
	uc_mem_write(l->uc, DATA_BASE, l->data_a, DATA_SIZE);
	/* Code outside the streams: zeros in both. */
	memset(&s, 0, sizeof(s));
	for (unsigned k = 0; k < 13; k++)
		s.r[k] = g_rand_int(l->rand);
	s.r[13] = s.msp = DATA_BASE + 0x2000;
	s.psp = DATA_BASE + 0x2800;
	s.r[14] = g_rand_int(l->rand);
	s.r[15] = STREAM_START;
	s.xpsr = 1u << 24;
	s.control = has(l, ARM_FT_FP) ? ARM_CONTROL_FPCA : 0;
	mine_put(l, &s);
	uc_put(l, &s);
	l->pos = STREAM_START;
}

static void lock_teardown(Lock *l)
{
	uc_close(l->uc);
	g_rand_free(l->rand);
	g_rand_free(l->prand);
	g_array_free(l->pool[POOL_REG], TRUE);
	g_array_free(l->pool[POOL_MEM], TRUE);
	arm_harness_free(l->h);
}

/* ---- block phase ------------------------------------------------------------------------------ */

/* After the step pass, programs built from the encodings it accepted run on fresh
 * cores through the normal run path (block executor, chaining, jump cache) in random budget
 * slices, once with the block compiler off and once with every block compiled on its first
 * entry, and once one instruction at a time; unicorn runs each program in one go, and the
 * final registers, flags, FP registers and data RAM must be the same as unicorn's.
 *
 * A program is a few counted loops (the counters live in the data RAM, past anything a
 * generated store reaches), each a run of groups: one pooled register-only instruction; a
 * pooled load or store with its base (and index) set just before it, as the step pass's
 * fix-up would (MOVW/MOVT or a literal load jumped over; SP through MOV SP, Rn); an IT block
 * of pooled instructions (the first may be a load or store, the last a forward B); a forward
 * Bcc, CMP + Bcc, CBZ or CBNZ over the next groups; a B over junk; a call to one of two
 * subroutines after the end (BX LR, or PUSH {.., lr} ... POP {.., pc}). So blocks are cut by
 * the budget at every place, chained, left through the jump cache and entered again on every
 * iteration with other values. No program raises an exception; one that does fails. */

#define P2_MAP 0x10000u          /* code mapped in this phase */
#define P2_CODE 0x1000u          /* where a program starts */
#define P2_COUNTERS 0x3F00u      /* loop counters in the data RAM */
#define P2_PROGRAMS 64
#define P2_MAX_INSNS 2000000u

#if defined(__x86_64__) && defined(__linux__)
#define HAVE_JIT 1
#else
#define HAVE_JIT 0
#endif

enum { FX_B16, FX_BCC16, FX_BW, FX_BCCW, FX_CBZ, FX_BL };

typedef struct {
	uint32_t at;                 /* the branch's address */
	unsigned kind, cond, reg;    /* FX_CBZ: cond 1 for CBNZ */
	bool in_it;                  /* last in an IT block */
	unsigned groups;             /* groups still to skip (plus 1); FX_BL: the subroutine + 1 */
} P2Fix;

typedef struct {
	Lock *l;
	GRand *r;
	GArray *code;                /* halfwords from P2_CODE */
	GArray *fix;                 /* forward branches not placed yet */
	bool v7;
} P2Gen;

static unsigned p2_rand(P2Gen *g, unsigned lo, unsigned hi)
{
	return (unsigned)g_rand_int_range(g->r, (gint32)lo, (gint32)hi);
}

static uint32_t p2_pos(const P2Gen *g)
{
	return P2_CODE + 2 * g->code->len;
}

static void p2_hw(P2Gen *g, unsigned hw)
{
	uint16_t v = (uint16_t)hw;
	g_array_append_val(g->code, v);
}

static void p2_put(P2Gen *g, uint32_t w, unsigned size)
{
	if (size == 32)
		p2_hw(g, w >> 16);
	p2_hw(g, w & 0xFFFF);
}

/* reg = v without touching the flags: MOVW + MOVT, or a literal load of a word that a B
 * jumps over (mov r8, r8 first when the load would not be word-aligned). */
static void p2_set(P2Gen *g, unsigned reg, uint32_t v)
{
	unsigned pick = g->v7 ? p2_rand(g, 0, 3) : 2;
	g_assert_true(reg < 13 || reg == 14);
	if (pick == 2 && reg >= 8)
		pick = 0;
	g_assert_true(g->v7 || pick == 2);
	if (pick == 0) {
		for (unsigned k = 0; k < 2; k++) {
			uint32_t imm = k ? v >> 16 : v & 0xFFFF;
			p2_put(g, (k ? 0xF2C00000u : 0xF2400000u) | (imm >> 12) << 16 | ((imm >> 11) & 1) << 26 |
			          ((imm >> 8) & 7) << 12 | reg << 8 | (imm & 0xFF), 32);
		}
		return;
	}
	if (p2_pos(g) & 2)
		p2_hw(g, 0x46C0);
	if (pick == 2) {
		p2_hw(g, 0x4800 | reg << 8);             /* ldr reg, [pc, #0] */
		p2_hw(g, 0xE001);                        /* b past the word */
	} else {
		p2_put(g, 0xF8DF0004u | reg << 12, 32);  /* ldr.w reg, [pc, #4] */
		p2_hw(g, 0xE002);                        /* b past the word */
		p2_hw(g, g_rand_int(g->r) & 0xFFFF);     /* never run */
	}
	p2_hw(g, v & 0xFFFF);
	p2_hw(g, v >> 16);
}

static uint32_t p2_data_addr(P2Gen *g)
{
	/* Up to 4095 above and 255 below (plus a multiple transfer) stays below P2_COUNTERS. */
	return DATA_BASE + 0x1000 + (p2_rand(g, 0, 0x1C00) & ~7u);
}

/* SP = v through a low register. */
static void p2_set_sp(P2Gen *g, uint32_t v)
{
	unsigned s = p2_rand(g, 0, 8);
	p2_set(g, s, v);
	p2_hw(g, 0x4685 | s << 3);                        /* mov sp, rs */
}

/* Point a load's or store's base (and index) into the data RAM, as fixup() does. */
static void p2_mem_setup(P2Gen *g, const ArmInsn *d)
{
	extern const ArmExecFn arm_spw_inner[];
	ArmExecFn f = d->fn == arm_x_spw ? arm_spw_inner[d->x] : d->fn;
	bool strict = is_strict(f) || !g->v7, reg = is_reg_form(f, d);
	uint32_t idx = p2_rand(g, 0, 64) & (strict ? ~7u : ~0u), base;

	if (f == arm_x_push || f == arm_x_pop || d->rn == 13) {
		p2_set_sp(g, p2_data_addr(g));
		if (reg)
			p2_set(g, d->rm, idx);
		return;
	}
	if (d->rn == 15 || ((f == arm_x_ldrd || f == arm_x_strd || f == arm_x_vldr || f == arm_x_vstr) &&
	                    (d->flags & ARM_IF_X)))
		return;                             /* literal */
	if (reg && d->rm == d->rn) {
		p2_set(g, d->rn, ((DATA_BASE + 0x1800) / (1 + (1u << d->amt))) & ~7u);
		return;
	}
	base = p2_data_addr(g);
	if (!strict && p2_rand(g, 0, 4) == 0)
		base += p2_rand(g, 1, 4);
	p2_set(g, d->rn, base);
	if (reg)
		p2_set(g, d->rm, idx);
}

/* A pooled instruction that decodes here (in or out of an IT block) and still fits. */
static bool p2_pick(P2Gen *g, unsigned pool, bool in_it, bool last, unsigned avoid, uint32_t *w,
                    unsigned *size, ArmInsn *d)
{
	GArray *a = g->l->pool[pool];
	ArmDecodeCtx x = { .pc = p2_pos(g), .feat = g->l->c->feat, .in_it = in_it, .last_in_it = last };
	for (unsigned tries = 0; tries < 256 && a->len; tries++) {
		const PoolInsn *p = &g_array_index(a, PoolInsn, p2_rand(g, 0, a->len));
		if (arm_decode(&x, p->w, p->size, d) != ARM_DEC_OK || pool_kind(d, avoid) != (int)pool)
			continue;
		if (in_it && (ends_tb(d) || d->op == ARM_OP_DSB || d->op == ARM_OP_DMB))
			continue;
		*w = p->w;
		*size = p->size;
		return true;
	}
	return false;
}

static void p2_reg_insn(P2Gen *g, bool in_it, bool last, unsigned avoid)
{
	uint32_t w;
	unsigned size;
	ArmInsn d;
	if (p2_pick(g, POOL_REG, in_it, last, avoid, &w, &size, &d))
		p2_put(g, w, size);
	else
		p2_hw(g, 0x4048);                    /* eors r0, r1 (an empty pool) */
}

/* Encode a branch at f->at to target and check it with the decoder. */
static void p2_patch(P2Gen *g, const P2Fix *f, uint32_t target)
{
	int32_t off = (int32_t)(target - (f->at + 4));
	uint32_t v = (uint32_t)(off >> 1), s = (v >> 23) & 1, w;
	uint16_t *hw = &g_array_index(g->code, uint16_t, (f->at - P2_CODE) / 2);
	ArmDecodeCtx x = { .pc = f->at, .feat = g->l->c->feat, .in_it = f->in_it, .last_in_it = f->in_it };
	ArmInsn d;
	unsigned size = 16;

	switch (f->kind) {
	case FX_B16:
		g_assert_cmpint(off, >=, -2048);
		g_assert_cmpint(off, <=, 2046);
		hw[0] = (uint16_t)(0xE000 | (v & 0x7FF));
		break;
	case FX_BCC16:
		g_assert_cmpint(off, >=, -256);
		g_assert_cmpint(off, <=, 254);
		hw[0] = (uint16_t)(0xD000 | f->cond << 8 | (v & 0xFF));
		break;
	case FX_CBZ:
		g_assert_cmpint(off, >=, 0);
		g_assert_cmpint(off, <=, 126);
		hw[0] = (uint16_t)((f->cond ? 0xB900 : 0xB100) | ((v >> 5) & 1) << 9 | (v & 0x1F) << 3 | f->reg);
		break;
	case FX_BCCW:
		hw[0] = (uint16_t)(0xF000 | ((v >> 19) & 1) << 10 | f->cond << 6 | ((v >> 11) & 0x3F));
		hw[1] = (uint16_t)(0x8000 | ((v >> 17) & 1) << 13 | ((v >> 18) & 1) << 11 | (v & 0x7FF));
		size = 32;
		break;
	default:    /* FX_BW, FX_BL */
		hw[0] = (uint16_t)(0xF000 | s << 10 | ((v >> 11) & 0x3FF));
		hw[1] = (uint16_t)((f->kind == FX_BL ? 0xD000 : 0x9000) | (~(((v >> 22) & 1) ^ s) & 1) << 13 |
		                   (~(((v >> 21) & 1) ^ s) & 1) << 11 | (v & 0x7FF));
		size = 32;
		break;
	}
	w = size == 32 ? (uint32_t)hw[0] << 16 | hw[1] : hw[0];
	g_assert_cmpint(arm_decode(&x, w, size, &d), ==, ARM_DEC_OK);
	g_assert_cmphex(d.imm, ==, target);
}

/* A forward branch over the next `groups` groups (placed by p2_tick). */
static void p2_forward(P2Gen *g, unsigned kind, unsigned cond, unsigned reg, bool in_it, unsigned groups)
{
	P2Fix f = { p2_pos(g), kind, cond, reg, in_it, groups + 1 };
	g_array_append_val(g->fix, f);
	p2_hw(g, 0xBF00);                          /* placeholders */
	if (kind == FX_BW || kind == FX_BCCW || kind == FX_BL)
		p2_hw(g, 0xBF00);
}

/* After a group: place the forward branches whose groups are done (all of them with all). */
static void p2_tick(P2Gen *g, bool all)
{
	for (guint k = 0; k < g->fix->len;) {
		P2Fix *f = &g_array_index(g->fix, P2Fix, k);
		if (f->kind != FX_BL && (all || --f->groups == 0)) {
			/* CBZ cannot branch to the next instruction: give it one to skip. */
			if (f->kind == FX_CBZ && p2_pos(g) == f->at + 2) {
				p2_reg_insn(g, false, false, 16);
				f = &g_array_index(g->fix, P2Fix, k);
			}
			p2_patch(g, f, p2_pos(g));
			g_array_remove_index(g->fix, k);
		} else {
			k++;
		}
	}
}

static void p2_group(P2Gen *g)
{
	unsigned pick = p2_rand(g, 0, 100);
	uint32_t w;
	unsigned size;
	ArmInsn d;

	if (pick < 40) {
		p2_reg_insn(g, false, false, 16);
	} else if (pick < 64) {
		if (p2_pick(g, POOL_MEM, false, false, 16, &w, &size, &d)) {
			p2_mem_setup(g, &d);
			p2_put(g, w, size);
		} else {
			p2_reg_insn(g, false, false, 16);
		}
	} else if (pick < 76 && g->v7) {
		/* IT block: conditions 0-13, then or else for each after the first. */
		unsigned n = p2_rand(g, 1, 5), fc = p2_rand(g, 0, 14), mask = 1u << (4 - n);
		bool mem = p2_rand(g, 0, 3) == 0, br = p2_rand(g, 0, 4) == 0;
		for (unsigned k = 2; k <= n; k++)
			mask |= (g_rand_boolean(g->r) ? (fc & 1) : (~fc & 1)) << (5 - k);
		if (mem && p2_pick(g, POOL_MEM, true, n == 1, 16, &w, &size, &d)) {
			p2_mem_setup(g, &d);
			p2_hw(g, 0xBF00 | fc << 4 | mask);
			p2_put(g, w, size);
		} else {
			p2_hw(g, 0xBF00 | fc << 4 | mask);
			if (n == 1 && br)
				p2_forward(g, FX_B16, 0, 0, true, p2_rand(g, 1, 3));
			else
				p2_reg_insn(g, true, n == 1, 16);
		}
		for (unsigned k = 2; k <= n; k++) {
			if (k == n && br)
				p2_forward(g, FX_B16, 0, 0, true, p2_rand(g, 1, 3));
			else
				p2_reg_insn(g, true, k == n, 16);
		}
	} else if (pick < 88) {
		/* Forward conditional: Bcc, CMP + Bcc (fused by the block builder), CBZ/CBNZ, Bcc.W. */
		unsigned how = p2_rand(g, 0, g->v7 ? 4 : 2), cond = p2_rand(g, 0, 14), rn = p2_rand(g, 0, 8);
		if (how == 1)
			p2_hw(g, g_rand_boolean(g->r) ? 0x2800 | rn << 8 | p2_rand(g, 0, 256)
			                              : 0x4280 | p2_rand(g, 0, 8) << 3 | rn);
		if (how == 2)
			p2_forward(g, FX_CBZ, p2_rand(g, 0, 2), rn, false, 1);
		else
			p2_forward(g, how == 3 ? FX_BCCW : FX_BCC16, cond, 0, false, p2_rand(g, 1, how == 3 ? 5 : 3));
	} else if (pick < 92) {
		/* B over junk that is never run. */
		unsigned j = p2_rand(g, 1, 5);
		p2_hw(g, 0xE000 | (j - 1));
		for (unsigned k = 0; k < j; k++)
			p2_hw(g, g_rand_int(g->r) & 0xFFFF);
	} else if (pick < 97) {
		/* Call a subroutine; the second one pushes, so SP goes back into the data RAM. */
		unsigned sub = p2_rand(g, 0, 2);
		if (sub)
			p2_set_sp(g, p2_data_addr(g));
		p2_forward(g, FX_BL, 0, 0, false, sub);
	} else {
		p2_forward(g, g->v7 && g_rand_boolean(g->r) ? FX_BW : FX_B16, 0, 0, false, p2_rand(g, 1, 3));
	}
}

/* Build a program (its loop counters into data); returns its end address, where unicorn stops
 * (B . there for the cores). */
static uint32_t p2_generate(P2Gen *g, uint8_t *data)
{
	unsigned sections = p2_rand(g, 2, 7);
	uint32_t end, subs[2];

	for (unsigned s = 0; s < sections; s++) {
		uint32_t top = p2_pos(g), iters = p2_rand(g, 2, 20), ctr = P2_COUNTERS + 4 * s;
		unsigned groups = p2_rand(g, 6, 40), rb = p2_rand(g, 0, 8), rx = (rb + p2_rand(g, 1, 8)) % 8;
		P2Fix back = { 0 };
		memcpy(data + ctr, &iters, 4);
		for (unsigned k = 0; k < groups; k++) {
			p2_group(g);
			p2_tick(g, false);
		}
		p2_tick(g, true);
		/* The counted loop: ldr rx, [rb]; subs rx, #1; str rx, [rb]; [cmp rx, #0;] bne top. */
		p2_set(g, rb, DATA_BASE + ctr);
		p2_hw(g, 0x6800 | rb << 3 | rx);
		p2_hw(g, 0x3801 | rx << 8);
		p2_hw(g, 0x6000 | rb << 3 | rx);
		if (g_rand_boolean(g->r))
			p2_hw(g, 0x2800 | rx << 8);
		back.at = p2_pos(g);
		back.cond = 1;
		if ((int32_t)(top - (back.at + 4)) >= -256) {
			back.kind = FX_BCC16;
			p2_hw(g, 0);
		} else if (g->v7) {
			back.kind = FX_BCCW;
			p2_hw(g, 0);
			p2_hw(g, 0);
		} else {
			p2_hw(g, 0xD000);                /* beq over the b */
			back.at += 2;
			back.kind = FX_B16;
			p2_hw(g, 0);
		}
		p2_patch(g, &back, top);
	}
	end = p2_pos(g);
	p2_hw(g, 0xE7FE);                           /* b . */
	/* Subroutine 0: bx lr, so its body leaves lr alone. */
	subs[0] = p2_pos(g);
	for (unsigned k = p2_rand(g, 1, 6); k > 0; k--)
		p2_reg_insn(g, false, false, 14);
	p2_hw(g, 0x4770);
	/* Subroutine 1: push {list, lr} ... pop {list, pc}. */
	subs[1] = p2_pos(g);
	{
		unsigned list = p2_rand(g, 0, 256);
		p2_hw(g, 0xB500 | list);
		for (unsigned k = p2_rand(g, 1, 6); k > 0; k--)
			p2_reg_insn(g, false, false, 13);
		p2_hw(g, 0xBD00 | list);
	}
	for (guint k = 0; k < g->fix->len; k++) {
		const P2Fix *f = &g_array_index(g->fix, P2Fix, k);
		g_assert_cmpuint(f->kind, ==, FX_BL);
		p2_patch(g, f, subs[f->groups - 1]);
	}
	g_array_set_size(g->fix, 0);
	g_assert_cmpuint(p2_pos(g), <, P2_MAP - 0x1000);
	return end;
}

/* A fresh core of l's kind with the program, the data and the state. */
static void p2_core(Lock *p, const GArray *code, const uint8_t *data, const LockState *s)
{
	ArmHarness *h = arm_harness_new(p->core->compatible);
	p->h = h;
	p->c = h->c;
	arm_harness_map(h, CODE_BASE, P2_MAP);
	arm_harness_map(h, DATA_BASE, DATA_SIZE);
	arm_harness_write(h, P2_CODE, code->data, code->len * 2);
	arm_harness_write(h, DATA_BASE, data, DATA_SIZE);
	h->cpu->cls->reset(h->cpu);
	h->c->reset_fetch_pending = false;
	h->c->trap_exceptions = true;
	h->c->prio_mask = 0xFF;
	h->c->cpacr = 0xFu << 20;
	mine_put(p, s);
}

/* A program's first state: registers, flags and FP registers as stir() picks them. */
static void p2_initial(Lock *l, GRand *r, LockState *s)
{
	bool fp = has(l, ARM_FT_FP);
	uint32_t flags = ARM_IS_V6M(l->c) ? 0xF0000000u : has(l, ARM_FT_DSP) ? 0xF80F0000u : 0xF8000000u;
	memset(s, 0, sizeof(*s));
	for (unsigned k = 0; k < 15; k++)
		s->r[k] = g_rand_boolean(r) ? interesting[g_rand_int_range(r, 0, G_N_ELEMENTS(interesting))]
		                            : g_rand_int(r);
	s->r[13] = s->msp = DATA_BASE + 0x2000;
	s->psp = DATA_BASE + 0x2800;
	s->r[15] = P2_CODE;
	s->xpsr = 1u << 24 | (g_rand_int(r) & flags);
	s->control = fp ? ARM_CONTROL_FPCA : 0;
	if (fp) {
		s->fpscr = g_rand_int(r) & 0x07C00000u;
		for (unsigned k = 0; k < 32; k++)
			s->s[k] = g_rand_int_range(r, 0, 3)
			                  ? interesting_f32[g_rand_int_range(r, 0, G_N_ELEMENTS(interesting_f32))]
			                  : g_rand_int(r);
	}
}

static void p2_dump(Lock *p, const GArray *code, uint32_t end)
{
	char dis[96];
	for (uint32_t pc = P2_CODE; pc < end;) {
		uint16_t hw = g_array_index(code, uint16_t, (pc - P2_CODE) / 2);
		arm_disassemble(p->h->cpu, pc, dis, sizeof(dis));
		g_test_message("  0x%05x: %s", pc, dis);
		pc += arm_is_32bit(hw) ? 4 : 2;
	}
}

static const char *const p2_modes[] = { "one at a time", "interpreted blocks", "compiled blocks" };

/* One program in unicorn and in the three ways; false (with why) on any difference. */
static bool p2_program(Lock *l, Lock *p, uint64_t insns[3], uint64_t *compiled, GString *why)
{
	P2Gen g = { l, l->prand, g_array_new(FALSE, FALSE, sizeof(uint16_t)),
	            g_array_new(FALSE, FALSE, sizeof(P2Fix)), !ARM_IS_V6M(l->c) };
	uint8_t *data = g_malloc(DATA_SIZE);
	LockState s0, ub, a;
	uint64_t total = 0;
	uint32_t end;
	uc_err e;
	bool ok = true;

	for (unsigned k = 0; k < DATA_SIZE; k++)
		data[k] = (uint8_t)g_rand_int(g.r);
	end = p2_generate(&g, data);
	p2_initial(l, g.r, &s0);

	/* The reference: unicorn from start to end in one go. */
	p2_core(p, g.code, data, &s0);
	g_assert_cmpint(uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &p->uc), ==, UC_ERR_OK);
	g_assert_cmpint(uc_ctl_set_cpu_model(p->uc, p->core->uc_model), ==, UC_ERR_OK);
	g_assert_cmpint(uc_mem_map(p->uc, CODE_BASE, P2_MAP, UC_PROT_ALL), ==, UC_ERR_OK);
	g_assert_cmpint(uc_mem_map(p->uc, DATA_BASE, DATA_SIZE, UC_PROT_ALL), ==, UC_ERR_OK);
	g_assert_cmpint(uc_mem_write(p->uc, P2_CODE, g.code->data, g.code->len * 2), ==, UC_ERR_OK);
	g_assert_cmpint(uc_mem_write(p->uc, DATA_BASE, data, DATA_SIZE), ==, UC_ERR_OK);
	uc_put(p, &s0);
	e = uc_emu_start(p->uc, P2_CODE | 1, end, 20 * G_USEC_PER_SEC, 0);
	uc_get(p, &ub);
	if (e != UC_ERR_OK || (ub.r[15] & ~1u) != end) {
		g_string_append_printf(why, "unicorn stopped at 0x%08x, not at the end 0x%08x (%s)", ub.r[15], end,
		                       uc_strerror(e));
		ok = false;
	}

	for (unsigned mode = 0; mode < 3 && ok; mode++) {
		SocCpu *cpu;
		if (mode) {
			arm_harness_free(p->h);
			p2_core(p, g.code, data, &s0);
			/* Whatever SOCEMU_JIT says: never, or on a block's first entry. */
			p->c->jit_threshold = mode == 1 ? UINT32_MAX : 1;
		}
		cpu = p->h->cpu;
		if (mode == 0) {
			/* One at a time, which also counts the program's instructions. */
			while (p->c->pc != end && ok) {
				arm_step(p->c);
				if (mine_exception(p)) {
					g_string_append_printf(why, "an exception at 0x%08x after %" G_GUINT64_FORMAT
					                       " instructions", p->c->pc, cpu->insns);
					ok = false;
				} else if (cpu->insns >= P2_MAX_INSNS) {
					g_string_append_printf(why, "no end after %u instructions", P2_MAX_INSNS);
					ok = false;
				}
			}
			total = cpu->insns;
		} else {
			for (uint64_t left = total; left && ok;) {
				uint64_t want = 1 + (uint64_t)g_rand_int_range(g.r, 0, g_rand_int_range(g.r, 0, 4) ? 5000 : 7);
				uint64_t slice = MIN(left, want), from = cpu->insns;
				cpu->stop_at = from + slice;
				cpu->cls->run(cpu);
				if (p->c->trapped_exc || cpu->state != SOC_CPU_RUNNING || cpu->insns != cpu->stop_at) {
					g_string_append_printf(why, "a run of %" G_GUINT64_FORMAT " from instruction %"
					                       G_GUINT64_FORMAT " stopped after %" G_GUINT64_FORMAT
					                       " at 0x%08x (exception %d)", slice, from, cpu->insns - from,
					                       p->c->pc, p->c->trapped_exc);
					ok = false;
				}
				left -= slice;
			}
			if (ok && p->c->pc != end) {
				g_string_append_printf(why, "after %" G_GUINT64_FORMAT " instructions pc is 0x%08x, one at "
				                       "a time reached the end 0x%08x;", total, p->c->pc, end);
				mine_get(p, &a);
				compare(p, &a, &ub, true, why);
				ok = false;
			}
			if (mode == 2 && HAVE_JIT && ok && p->c->jit_blocks == 0) {
				g_string_append(why, "no block was compiled");
				ok = false;
			}
			if (mode == 2)
				*compiled += p->c->jit_blocks;
		}
		if (ok) {
			mine_get(p, &a);
			ok = compare(p, &a, &ub, true, why);
		}
		if (!ok) {
			g_string_prepend(why, why->str[0] == ' ' ? ":" : ": ");
			if (mode)
				g_string_prepend(why, " (the ways before it agree with unicorn)");
			g_string_prepend(why, p2_modes[mode]);
		} else {
			insns[mode] += total;
		}
	}
	if (!ok && g_getenv("SOC_ARM_LOCKSTEP_DUMP"))
		p2_dump(p, g.code, end + 2);
	uc_close(p->uc);
	arm_harness_free(p->h);
	g_array_free(g.code, TRUE);
	g_array_free(g.fix, TRUE);
	g_free(data);
	return ok;
}

/* The block phase for l's core: P2_PROGRAMS programs; fails on the first that differs. */
static void p2_run(Lock *l, uint32_t seed)
{
	Lock *p = g_new0(Lock, 1);
	uint64_t insns[3] = { 0 }, compiled = 0;
	GString *why = g_string_new(NULL);
	unsigned k;

	p->core = l->core;
	g_test_message("%s: block phase (seed 0x%08x) from %u register-only and %u memory encodings of the step "
	               "pass", l->core->compatible, seed, l->pool[POOL_REG]->len, l->pool[POOL_MEM]->len);
	g_assert_cmpuint(l->pool[POOL_REG]->len, >, 0);
	for (k = 0; k < P2_PROGRAMS; k++) {
		if (!p2_program(l, p, insns, &compiled, why)) {
			g_test_message("%s: block phase MISMATCH (seed 0x%08x, program %u): %s", l->core->compatible,
			               seed, k, why->str);
			g_test_fail();
			break;
		}
	}
	if (k == P2_PROGRAMS)
		g_test_message("%s: block phase: %u programs, %" G_GUINT64_FORMAT " instructions each %s, %s and %s; %"
		               G_GUINT64_FORMAT " blocks compiled", l->core->compatible, k, insns[0], p2_modes[0],
		               p2_modes[1], p2_modes[2], compiled);
	g_string_free(why, TRUE);
	g_free(p);
}

static void test_lockstep(gconstpointer data)
{
	const LockCore *core = data;
	Lock *l = g_new0(Lock, 1);
	const char *env_seed = g_getenv("SOC_ARM_LOCKSTEP_SEED"), *env_steps = g_getenv("SOC_ARM_LOCKSTEP_STEPS");
	uint32_t seed = env_seed ? (uint32_t)strtoul(env_seed, NULL, 0) : core->seed;
	uint64_t steps = env_steps ? strtoull(env_steps, NULL, 0) : core->steps;

	g_test_message("%s: seed 0x%08x, %" G_GUINT64_FORMAT " random steps", core->compatible, seed, steps);
	lock_setup(l, core, seed);
	/* Directed: every table entry, 24 times, with interesting operands. */
	for (unsigned op = 1; op < ARM_OP_UNPRED; op++) {
		if (!(arm_insn_info[op].feat & l->c->feat))
			continue;
		for (unsigned k = 0; k < 24; k++)
			lock_step(l, (int)op, true);
	}
	for (uint64_t k = 0; k < steps; k++)
		lock_step(l, 0, false);
	g_test_message("%s: %" G_GUINT64_FORMAT " instructions compared, %" G_GUINT64_FORMAT
	               " raised exceptions in both, %" G_GUINT64_FORMAT " unpredictable encodings skipped, %"
	               G_GUINT64_FORMAT " mismatches", core->compatible, l->executed, l->exceptions,
	               l->skipped_unpred, l->mismatches);
	g_assert_cmpuint(l->mismatches, ==, 0);
	p2_run(l, seed);
	lock_teardown(l);
	g_free(l);
}

int main(int argc, char **argv)
{
#ifdef __linux__
	/* unicorn reserves 1 GiB for translated code and touches it sparsely; with transparent
	 * huge pages every touch commits 2 MiB. */
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
#endif
	g_test_init(&argc, &argv, NULL);
	/* Built twice (LOCK_PART 1 and 2) so that each program stays short. */
	for (unsigned k = 0; k < G_N_ELEMENTS(lock_cores); k++) {
#ifdef LOCK_PART
		if ((k < 3) != (LOCK_PART == 1))
			continue;
#endif
		g_autofree char *name = g_strdup_printf("/arm/lockstep/%s", lock_cores[k].compatible + 4);
		g_test_add_data_func(name, &lock_cores[k], test_lockstep);
	}
	return g_test_run();
}
