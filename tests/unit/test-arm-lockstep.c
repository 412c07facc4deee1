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
 *  - unicorn (QEMU 5.0) keeps bits [1:0] of a value written to SP; Cortex-M cores force them
 *    to zero, as socemu does: the harness writes socemu's SP back into unicorn.
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
	{ "arm,cortex-m3", UC_CPU_ARM_CORTEX_M3, 240000, 0x5eed0003 },
	{ "arm,cortex-m4f", UC_CPU_ARM_CORTEX_M4, 240000, 0x5eed0004 },
	{ "arm,cortex-m7", UC_CPU_ARM_CORTEX_M7, 200000, 0x5eed0007 },
	{ "arm,cortex-m33f", UC_CPU_ARM_CORTEX_M33, 240000, 0x5eed0033 },
};

typedef struct {
	uint32_t r[16], xpsr, msp, psp, primask, basepri, faultmask, control, fpscr, s[32];
} LockState;

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
	bool in_it = c->itstate != 0, double_step = false, mexc, uexc;
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
	if (until == pc || until == 0)
		e = uc_emu_start(l->uc, pc | 1, 0xFFFFFFFFu, 0, 1);
	else
		e = uc_emu_start(l->uc, pc | 1, until, 0, 0);
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
		b.r[13] = sp;
		if (b.control & 2)
			b.psp = sp;
		else
			b.msp = sp;
		uc_reg_write(l->uc, UC_ARM_REG_SP, &sp);
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
	arm_harness_free(l->h);
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
