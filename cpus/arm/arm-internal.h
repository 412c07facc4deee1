/* cpus/arm/arm-internal.h — the state of a Cortex-M core, shared by the files of cpus/arm/
 * only (and by its unit tests).
 *
 * How the parts fit:
 *   insns.def / decode.c   the Thumb encoding table and the decoder that turns an encoding
 *                          into an ArmInsn (a handler and its operands, pc-relative values
 *                          already resolved, since decoded entries are keyed by address)
 *   exec.c, exec-dsp.c,    the handlers, the run loop and the decoded-code pages
 *   fp.c
 *   mem.c                  the data TLB, the slow access path, the PPB intercept
 *   except.c               exception entry and return, priorities, NVIC state, faults, sleep
 *   scs.c                  the System Control Space registers, SysTick, DWT
 *   mpu.c                  PMSAv7 / PMSAv8
 *   disas.c                capstone
 *   cortex-m.c             the classes: creation from the tree, reset, inputs
 *
 * Execution: decoded instructions live in pages of ARM_PAGE_SLOTS slots (one per halfword of
 * a 4 KiB guest page), created on first execution; an undecoded slot holds the decoder as its
 * handler. Handlers change `pc` only when the instruction completes: a handler that faults
 * leaves pc at the faulting instruction, marks the fault pending and returns false from the
 * access helper; the run loop then takes it. The normal run loop executes blocks (block.c):
 * straight runs copied from the slots, executed with computed gotos, most instructions inline
 * and the rest through their handlers. Anything that must be looked at between instructions (a
 * pending exception that can preempt, an IT block, a cleared T bit, a sleep or stop, a change
 * of decoded code or of execute permissions) sets a bit in `slow`, which makes a block stop
 * after the handler that set it; IT blocks that cannot be made into block ops and the -d exec
 * loop step through the slots one instruction at a time. */
#ifndef SOC_ARM_INTERNAL_H
#define SOC_ARM_INTERNAL_H

#include "cpus/arm/arm.h"
#include "core/irq.h"
#include "core/log.h"
#include "core/memory.h"
#include "core/vtime.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define ARM_LIKELY(x) __builtin_expect(!!(x), 1)
#define ARM_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* ---- architecture features ---------------------------------------------------------------- */

enum {
	ARM_FT_V6M  = 1u << 0,    /* the Armv6-M Thumb set: every core */
	ARM_FT_V7M  = 1u << 1,    /* Armv7-M: Thumb-2, divide, bit fields, exclusives, IT, CBZ */
	ARM_FT_DSP  = 1u << 2,    /* Armv7E-M DSP extension */
	ARM_FT_FP   = 1u << 3,    /* single-precision floating point (FPv4-SP, FPv5) */
	ARM_FT_FPDP = 1u << 4,    /* double-precision floating point (FPv5-DP) */
	ARM_FT_FPV5 = 1u << 5,    /* FPv5 additions: VSEL, VRINT, VMAXNM, VCVTA, ... */
	ARM_FT_V8M  = 1u << 6,    /* Armv8-M Mainline: LDA/STL, TT, stack limits */
	ARM_FT_DISAS = 1u << 7,   /* a table entry known to the tests only */
};

typedef struct ArmCoreModel {
	const char *name;             /* "cortex-m4f" */
	const char *compatible;       /* "arm,cortex-m4f" */
	uint32_t features;
	uint32_t cpuid;
	unsigned mpu_regions;         /* default region count; 0: no MPU */
	unsigned prio_bits;           /* default arm,num-irq-priority-bits */
	unsigned max_irqs;            /* external interrupt lines the architecture allows */
	uint32_t ccr_reset, ccr_ro;   /* CCR at reset and its read-only bits */
	uint32_t mvfr0, mvfr1, mvfr2;
	uint32_t id_pfr0, id_pfr1, id_dfr0, id_mmfr0, id_isar[5];
	unsigned dwt_comparators;
} ArmCoreModel;

#define ARM_IS_V6M(c) (!((c)->feat & ARM_FT_V7M))
#define ARM_IS_V8M(c) (((c)->feat & ARM_FT_V8M) != 0)

/* ---- decoded instructions ----------------------------------------------------------------- */

typedef struct ArmCpu ArmCpu;
typedef struct ArmInsn ArmInsn;
typedef void (*ArmExecFn)(ArmCpu *c, const ArmInsn *i);

struct ArmInsn {
	ArmExecFn fn;
	uint32_t imm;         /* immediate, absolute target or address, register list */
	uint8_t rd, rn, rm, ra;
	uint8_t len;          /* 2 or 4 */
	uint8_t sh;           /* shift type (ARM_SH_*), or a condition, or a sub-operation */
	uint8_t amt;          /* shift amount, lsb, rotation, saturation bit */
	uint8_t flags;        /* ARM_IF_* */
	uint16_t op;          /* encoding table entry (ARM_OP_*) */
	uint8_t x, y;         /* small extra fields (widths, FP sizes) */
};

enum { ARM_SH_LSL, ARM_SH_LSR, ARM_SH_ASR, ARM_SH_ROR, ARM_SH_RRX };

enum {
	ARM_IF_CSET = 1u << 0,    /* logical immediate with S: the expansion sets C ... */
	ARM_IF_CVAL = 1u << 1,    /* ... to this */
	ARM_IF_WBACK = 1u << 2,   /* base writeback */
	ARM_IF_ADD = 1u << 3,     /* offset added (else subtracted) */
	ARM_IF_INDEX = 1u << 4,   /* pre-indexed */
	ARM_IF_S = 1u << 5,       /* sets flags (handlers that test it at run time) */
	ARM_IF_X = 1u << 6,       /* a variant bit: X (exchange), R (round), T (top), ... */
	ARM_IF_Y = 1u << 7,       /* a second variant bit */
};

/* Table entries. */
typedef enum {
	ARM_OP_UNDEF = 0,
#define ARM_INSN(id, name, size, match, mask, feat, dec) ARM_OP_##id,
#include "cpus/arm/insns.def"
#undef ARM_INSN
	ARM_OP_UNPRED,            /* UNPREDICTABLE encodings, executed as UNDEFINED */
	ARM_OP_DECODE,            /* an undecoded slot */
	ARM_OP_COUNT
} ArmOpId;

typedef enum { ARM_DEC_OK, ARM_DEC_UNDEF, ARM_DEC_UNPRED, ARM_DEC_NOCP } ArmDecStatus;

typedef struct ArmDecodeCtx {
	uint32_t pc;              /* address of the instruction */
	uint32_t feat;            /* the core's ARM_FT_* */
	bool in_it, last_in_it;   /* decoding for execution inside an IT block */
} ArmDecodeCtx;

typedef struct ArmInsnInfo {
	const char *name;
	uint32_t match, mask;
	uint8_t size;             /* 16 or 32 */
	uint8_t feat;             /* one ARM_FT_* bit */
} ArmInsnInfo;

extern const ArmInsnInfo arm_insn_info[ARM_OP_COUNT];

/* Is this first halfword the start of a 32-bit encoding? */
static inline bool arm_is_32bit(uint16_t hw1)
{
	return (hw1 & 0xF800) >= 0xE800;
}

/* Decode `w` (a halfword, or hw1 << 16 | hw2) for a core; never fails: an encoding the core
 * does not have becomes an UNDEFINED (or NOCP) handler, with the status returned. */
ArmDecStatus arm_decode(const ArmDecodeCtx *ctx, uint32_t w, unsigned size, ArmInsn *out);
/* The table entry an encoding matches for a core, ARM_OP_UNDEF if none (no field checks). */
ArmOpId arm_decode_lookup(uint32_t w, unsigned size, uint32_t feat);

/* Handlers: every one is declared here (the decoder installs them). */
#define ARM_EX(n) void arm_x_##n(ArmCpu *c, const ArmInsn *i);
#include "cpus/arm/exec-ops.def"
#undef ARM_EX

/* ---- pages of decoded code ----------------------------------------------------------------- */

#define ARM_PAGE_BITS 12
#define ARM_PAGE_SIZE (1u << ARM_PAGE_BITS)
#define ARM_PAGE_MASK (ARM_PAGE_SIZE - 1)
#define ARM_PAGE_SLOTS (ARM_PAGE_SIZE / 2)

typedef struct ArmBlock ArmBlock;

typedef struct ArmPage {
	uint32_t addr;
	ArmInsn *it;              /* slots decoded for IT-block context, on first use */
	ArmBlock *blocks;         /* the blocks starting in this page (block.c) */
	ArmInsn slots[ARM_PAGE_SLOTS];
} ArmPage;

/* The jump cache of block.c: a block by start address, valid while `tag` is the cpu's
 * chain_tag (execute permission was checked under that tag). */
#define ARM_JC_BITS 10
#define ARM_JC_SIZE (1u << ARM_JC_BITS)
#define ARM_JC_IDX(pc) ((((pc) >> 1) ^ ((pc) >> (ARM_JC_BITS + 1))) & (ARM_JC_SIZE - 1))

typedef struct ArmJcEntry {
	uint32_t pc, tag;
	uint32_t n;               /* the block's instruction count (one load less per jump) */
	ArmBlock *b;
} ArmJcEntry;

/* ---- data TLB ----------------------------------------------------------------------------- */

#define ARM_TLB_BITS 10
#define ARM_TLB_SIZE (1u << ARM_TLB_BITS)
/* The entry of a guest address: the upper bits are folded in so that flash at 0 and RAM at
 * 0x20000000 (or any two regions a multiple of 1 MiB apart) do not evict each other. */
#define ARM_TLB_IDX(a) ((((a) >> ARM_PAGE_BITS) ^ ((a) >> (ARM_PAGE_BITS + ARM_TLB_BITS))) & \
                        (ARM_TLB_SIZE - 1))
/* Never a page address, nor an address masked for an aligned access (page | 0..3): the block
 * executor compares tags with (address & (~ARM_PAGE_MASK | (size - 1))). */
#define ARM_TLB_INVALID 0xFFFu

typedef struct ArmTlbEntry {
	uint32_t tag;             /* page address, or ARM_TLB_INVALID */
	uintptr_t addend;         /* host address = addend + guest address */
} ArmTlbEntry;

/* MPU contexts: which permissions a TLB set was filled with. */
enum { ARM_CTX_DEFAULT, ARM_CTX_PRIV, ARM_CTX_UNPRIV, ARM_CTX_N };

/* ---- exceptions ----------------------------------------------------------------------------- */

enum {
	ARM_EXC_RESET = 1, ARM_EXC_NMI = 2, ARM_EXC_HARDFAULT = 3, ARM_EXC_MEMMANAGE = 4,
	ARM_EXC_BUSFAULT = 5, ARM_EXC_USAGEFAULT = 6, ARM_EXC_SVCALL = 11, ARM_EXC_DEBUGMON = 12,
	ARM_EXC_PENDSV = 14, ARM_EXC_SYSTICK = 15, ARM_EXC_IRQ0 = 16,
};
#define ARM_EXC_MAX 512
#define ARM_EXC_WORDS (ARM_EXC_MAX / 32)
#define ARM_PRIO_NONE 256         /* execution priority of thread mode with nothing boosted */

/* Faults: what the handler saw; except.c turns one into status bits and an exception. */
typedef enum {
	ARM_F_IACCVIOL, ARM_F_DACCVIOL, ARM_F_MUNSTKERR, ARM_F_MSTKERR, ARM_F_MLSPERR,
	ARM_F_IBUSERR, ARM_F_PRECISERR, ARM_F_UNSTKERR, ARM_F_STKERR, ARM_F_LSPERR,
	ARM_F_UNDEFINSTR, ARM_F_INVSTATE, ARM_F_INVPC, ARM_F_NOCP, ARM_F_STKOF, ARM_F_UNALIGNED,
	ARM_F_DIVBYZERO, ARM_F_VECTTBL, ARM_F_DEBUGEVT,
} ArmFault;

/* Bits of `slow`. */
enum {
	ARM_SLOW_IRQ = 1u << 0,   /* a pending exception may preempt: look before the next insn */
	ARM_SLOW_IT = 1u << 1,    /* inside an IT block */
	ARM_SLOW_TBIT = 1u << 2,  /* EPSR.T is 0: the next instruction faults (INVSTATE) */
	ARM_SLOW_STOP = 1u << 3,  /* leave run() (sleep, lockup, test step) */
	ARM_SLOW_FLUSH = 1u << 4, /* decoded code or its permissions changed: leave the block */
};

/* CFSR, HFSR, CONTROL, CCR, FPCCR bits used across files. */
#define ARM_CFSR_MMARVALID (1u << 7)
#define ARM_CFSR_BFARVALID (1u << 15)
#define ARM_HFSR_VECTTBL (1u << 1)
#define ARM_HFSR_FORCED (1u << 30)
#define ARM_HFSR_DEBUGEVT (1u << 31)
#define ARM_CONTROL_NPRIV (1u << 0)
#define ARM_CONTROL_SPSEL (1u << 1)
#define ARM_CONTROL_FPCA (1u << 2)
#define ARM_CCR_NONBASETHRDENA (1u << 0)
#define ARM_CCR_USERSETMPEND (1u << 1)
#define ARM_CCR_UNALIGN_TRP (1u << 3)
#define ARM_CCR_DIV_0_TRP (1u << 4)
#define ARM_CCR_BFHFNMIGN (1u << 8)
#define ARM_CCR_STKALIGN (1u << 9)
#define ARM_CCR_STKOFHFNMIGN (1u << 10)
#define ARM_FPCCR_LSPACT (1u << 0)
#define ARM_FPCCR_USER (1u << 1)
#define ARM_FPCCR_THREAD (1u << 3)
#define ARM_FPCCR_HFRDY (1u << 4)
#define ARM_FPCCR_MMRDY (1u << 5)
#define ARM_FPCCR_BFRDY (1u << 6)
#define ARM_FPCCR_MONRDY (1u << 8)
#define ARM_FPCCR_SPLIMVIOL (1u << 9)
#define ARM_FPCCR_UFRDY (1u << 10)
#define ARM_FPCCR_LSPEN (1u << 30)
#define ARM_FPCCR_ASPEN (1u << 31)

/* FPSCR */
#define ARM_FPSCR_IOC (1u << 0)
#define ARM_FPSCR_DZC (1u << 1)
#define ARM_FPSCR_OFC (1u << 2)
#define ARM_FPSCR_UFC (1u << 3)
#define ARM_FPSCR_IXC (1u << 4)
#define ARM_FPSCR_IDC (1u << 7)
#define ARM_FPSCR_FZ (1u << 24)
#define ARM_FPSCR_DN (1u << 25)
#define ARM_FPSCR_AHP (1u << 26)
#define ARM_FPSCR_MASK 0xF7C0009Fu   /* writable bits: NZCV, AHP, DN, FZ, RMode, flags */

/* ---- the core ----------------------------------------------------------------------------- */

typedef struct ArmMpuRegion {
	uint32_t rbar, rasr;      /* PMSAv7: RBAR (address bits) and RASR; PMSAv8: RBAR and RLAR */
} ArmMpuRegion;

struct ArmCpu {
	SocCpu cpu;               /* first: the core's view */

	/* ---- hot state ---- */
	uint32_t r[16];           /* r[15] holds pc + 4 while an instruction executes */
	uint32_t pc;              /* address of the current instruction */
	uint32_t nf, zf, cf, vf;  /* N = nf<31>, Z = (zf == 0), C = cf (0/1), V = vf<31> */
	uint32_t slow;            /* ARM_SLOW_* */
	ArmPage *cur_page;        /* the page pc is in (cur_page_addr), when execute is allowed */
	uint32_t cur_page_addr;
	ArmTlbEntry *tlb_rd, *tlb_wr;   /* the sets of the current MPU context */
	uint32_t amask_w, amask_h;      /* alignment masks for LDR/STR and LDRH/STRH (0 or 3/1) */
	bool fp_ready;            /* FP instructions may run without the slow prologue */
	uint32_t qf, ge;          /* APSR.Q (0/1), APSR.GE<3:0> */
	uint32_t itstate;         /* EPSR.IT, 8 bits */
	bool tbit;                /* EPSR.T */

	/* ---- configuration ---- */
	const ArmCoreModel *model;
	uint32_t feat;
	uint32_t reset_vtor;
	uint32_t entry;           /* the image's entry point (cross-check only) */
	bool entry_set;
	bool reset_fetch_pending; /* SP and PC are read from the vector table when first run */
	unsigned n_irqs;          /* external interrupt lines */
	unsigned prio_bits;
	uint8_t prio_mask;        /* implemented bits of a priority byte */
	uint64_t systick_ref_hz;  /* 0: no reference clock */

	/* ---- special registers ---- */
	uint32_t sp_other;        /* the stack pointer not selected (MSP or PSP) */
	uint32_t primask, faultmask, basepri, control;
	uint32_t ipsr;
	uint32_t msplim, psplim;
	bool event;               /* the WFE event register */
	bool sleep_wfe;           /* asleep in WFE (else WFI or sleep-on-exit) */
	bool excl_valid;          /* local exclusive monitor */
	uint32_t excl_addr, excl_val;

	/* ---- floating point ---- */
	union {
		uint32_t s[32];
		uint64_t d[16];
	} fp;
	uint32_t fpscr;
	uint32_t cpacr, fpccr, fpcar, fpdscr;

	/* ---- exceptions and NVIC ---- */
	uint32_t en[ARM_EXC_WORDS];      /* enabled, by exception number */
	uint32_t pend[ARM_EXC_WORDS];
	uint32_t act[ARM_EXC_WORDS];
	uint32_t level[ARM_EXC_WORDS];   /* input levels of external lines (by exception number) */
	uint8_t prio[ARM_EXC_MAX];       /* configured priority bytes */
	unsigned n_active;
	int exec_prio;                   /* current execution priority (cached) */
	int best_exc;                    /* highest-priority pending enabled exception, 0: none */
	int best_prio;                   /* its group priority */
	bool nmi_level;
	uint64_t exc_taken;              /* exceptions entered since creation (tests) */
	bool trap_exceptions;            /* tests: record an exception instead of entering it */
	int trapped_exc;

	/* ---- SCB ---- */
	uint32_t vtor, prigroup, scr, ccr, shcsr_en, cfsr, hfsr, dfsr, mmfar, bfar, demcr, actlr;

	/* ---- SysTick ---- */
	uint32_t st_csr, st_rvr;
	uint64_t st_anchor;              /* tick count at which the counter held st_anchor_val */
	uint32_t st_anchor_val;
	uint64_t st_flag_clear;          /* tick count when COUNTFLAG was last cleared */
	bool st_flag;
	SocTimer *st_timer;

	/* ---- DWT ---- */
	uint32_t dwt_ctrl;
	uint32_t cyccnt_base;
	uint64_t cyccnt_anchor;          /* insns when CYCCNT last started counting from base */

	/* ---- MPU ---- */
	unsigned mpu_nregions;
	uint32_t mpu_ctrl, mpu_rnr, mpu_mair[2];
	ArmMpuRegion mpu[16];
	unsigned mpu_ctx;                /* ARM_CTX_* of the current accesses */

	/* ---- decoded code and TLB ---- */
	GHashTable *pages;               /* page address -> ArmPage* */
	GPtrArray *listened;             /* RAM blocks with our code listener */
	GHashTable *blocks;              /* start address -> ArmBlock* (block.c) */
	unsigned n_blocks;
	ArmJcEntry *jc;                  /* ARM_JC_SIZE entries */
	uint32_t chain_tag;              /* current tag of jump-cache entries and chained exits */
	ArmBlock *scratch;               /* a block built or cut to fit the budget, never cached */
	ArmBlock *dead;                  /* invalidated blocks, freed outside the executor */
	struct ArmJit *jit;              /* compiled code (jit.c), created on first use */
	uint32_t jit_threshold;          /* entries after which a block is compiled */
	uint64_t jit_blocks;             /* blocks compiled, for tests */
	bool jit_drop;                   /* drop every block (and compiled code) at the next run */
	ArmTlbEntry tlb[ARM_CTX_N][2][ARM_TLB_SIZE];

	/* ---- inputs ---- */
	SocIrq **irq_lines;              /* by external interrupt number, created on demand */
	SocIrq *nmi_in, *rxev_in;

	void *disas;                     /* capstone handle (disas.c) */
	uint32_t it_pc;                  /* the last IT executed: -d exec disassembles its block
	                                  * as a whole, so that its instructions show their
	                                  * conditions (disas.c) */
};

static inline ArmCpu *arm_cpu(SocCpu *cpu)
{
	return (ArmCpu *)cpu;
}

/* ---- flags and state helpers -------------------------------------------------------------- */

static inline bool arm_cond(const ArmCpu *c, unsigned cond)
{
	switch (cond & 15) {
	case 0: return c->zf == 0;
	case 1: return c->zf != 0;
	case 2: return c->cf != 0;
	case 3: return c->cf == 0;
	case 4: return (int32_t)c->nf < 0;
	case 5: return (int32_t)c->nf >= 0;
	case 6: return (int32_t)c->vf < 0;
	case 7: return (int32_t)c->vf >= 0;
	case 8: return c->cf && c->zf != 0;
	case 9: return !c->cf || c->zf == 0;
	case 10: return (int32_t)(c->nf ^ c->vf) >= 0;
	case 11: return (int32_t)(c->nf ^ c->vf) < 0;
	case 12: return c->zf != 0 && (int32_t)(c->nf ^ c->vf) >= 0;
	case 13: return c->zf == 0 || (int32_t)(c->nf ^ c->vf) < 0;
	default: return true;
	}
}

static inline uint32_t arm_get_apsr(const ArmCpu *c)
{
	return ((c->nf >> 31) << 31) | ((uint32_t)(c->zf == 0) << 30) | ((c->cf & 1) << 29) |
	       ((c->vf >> 31) << 28) | ((c->qf & 1) << 27) | ((c->ge & 15) << 16);
}

static inline void arm_set_nzcvq(ArmCpu *c, uint32_t v)
{
	c->nf = v & 0x80000000u;
	c->zf = !(v & 0x40000000u);
	c->cf = (v >> 29) & 1;
	c->vf = (v << 3) & 0x80000000u;
	c->qf = (v >> 27) & 1;
}

uint32_t arm_get_xpsr(const ArmCpu *c);

static inline bool arm_handler_mode(const ArmCpu *c)
{
	return c->ipsr != 0;
}

static inline bool arm_privileged(const ArmCpu *c)
{
	return c->ipsr != 0 || !(c->control & ARM_CONTROL_NPRIV);
}

/* ---- memory (mem.c; fast paths inline) ---------------------------------------------------- */

/* Access flags for the slow path. */
enum {
	ARM_ACC_WRITE = 1u << 0,
	ARM_ACC_UNPRIV = 1u << 1,      /* LDRT/STRT, or stacking for unprivileged thread code */
	ARM_ACC_NOMPU = 1u << 2,       /* vector table reads: default memory map */
	ARM_ACC_PRIV = 1u << 3,        /* force privileged (exception stacking from handlers) */
};

typedef enum { ARM_MEM_OK, ARM_MEM_MPU, ARM_MEM_BUS } ArmMemResult;

/* One access without raising anything; the caller turns a failure into the right fault. */
ArmMemResult arm_mem_access(ArmCpu *c, uint32_t addr, unsigned size, uint32_t *value, unsigned acc);
/* Data accesses from instructions: raise MemManage/BusFault on failure and return false. */
bool arm_ld_slow(ArmCpu *c, uint32_t addr, unsigned size, uint32_t *value, unsigned acc);
bool arm_st_slow(ArmCpu *c, uint32_t addr, unsigned size, uint32_t value, unsigned acc);
bool arm_unaligned_fault(ArmCpu *c);

void arm_tlb_flush(ArmCpu *c);
void arm_tlb_flush_writes(ArmCpu *c);
void arm_listen_block(ArmCpu *c, SocRamBlock *b);
void arm_set_mpu_ctx(ArmCpu *c);
void arm_mem_init(ArmCpu *c);
void arm_mem_destroy(ArmCpu *c);

static inline bool arm_ld32(ArmCpu *c, uint32_t a, uint32_t *v)
{
	const ArmTlbEntry *t = &c->tlb_rd[ARM_TLB_IDX(a)];
	if (ARM_LIKELY(t->tag == (a & ~ARM_PAGE_MASK) && (a & ARM_PAGE_MASK) <= ARM_PAGE_SIZE - 4 &&
	               !(a & c->amask_w))) {
		memcpy(v, (const void *)(t->addend + a), 4);
		return true;
	}
	if ((a & c->amask_w) && !arm_unaligned_fault(c))
		return false;
	return arm_ld_slow(c, a, 4, v, 0);
}

/* Word access that must be aligned (LDM, LDRD, exclusives, FP). */
static inline bool arm_ld32a(ArmCpu *c, uint32_t a, uint32_t *v)
{
	const ArmTlbEntry *t = &c->tlb_rd[ARM_TLB_IDX(a)];
	if (ARM_UNLIKELY(a & 3))
		return arm_unaligned_fault(c);
	if (ARM_LIKELY(t->tag == (a & ~ARM_PAGE_MASK))) {
		memcpy(v, (const void *)(t->addend + a), 4);
		return true;
	}
	return arm_ld_slow(c, a, 4, v, 0);
}

static inline bool arm_ld16(ArmCpu *c, uint32_t a, uint32_t *v)
{
	const ArmTlbEntry *t = &c->tlb_rd[ARM_TLB_IDX(a)];
	if (ARM_LIKELY(t->tag == (a & ~ARM_PAGE_MASK) && (a & ARM_PAGE_MASK) <= ARM_PAGE_SIZE - 2 &&
	               !(a & c->amask_h))) {
		uint16_t h;
		memcpy(&h, (const void *)(t->addend + a), 2);
		*v = h;
		return true;
	}
	if ((a & c->amask_h) && !arm_unaligned_fault(c))
		return false;
	return arm_ld_slow(c, a, 2, v, 0);
}

static inline bool arm_ld8(ArmCpu *c, uint32_t a, uint32_t *v)
{
	const ArmTlbEntry *t = &c->tlb_rd[ARM_TLB_IDX(a)];
	if (ARM_LIKELY(t->tag == (a & ~ARM_PAGE_MASK))) {
		*v = *(const uint8_t *)(t->addend + a);
		return true;
	}
	return arm_ld_slow(c, a, 1, v, 0);
}

static inline bool arm_st32(ArmCpu *c, uint32_t a, uint32_t v)
{
	const ArmTlbEntry *t = &c->tlb_wr[ARM_TLB_IDX(a)];
	if (ARM_LIKELY(t->tag == (a & ~ARM_PAGE_MASK) && (a & ARM_PAGE_MASK) <= ARM_PAGE_SIZE - 4 &&
	               !(a & c->amask_w))) {
		memcpy((void *)(t->addend + a), &v, 4);
		return true;
	}
	if ((a & c->amask_w) && !arm_unaligned_fault(c))
		return false;
	return arm_st_slow(c, a, 4, v, 0);
}

static inline bool arm_st32a(ArmCpu *c, uint32_t a, uint32_t v)
{
	const ArmTlbEntry *t = &c->tlb_wr[ARM_TLB_IDX(a)];
	if (ARM_UNLIKELY(a & 3))
		return arm_unaligned_fault(c);
	if (ARM_LIKELY(t->tag == (a & ~ARM_PAGE_MASK))) {
		memcpy((void *)(t->addend + a), &v, 4);
		return true;
	}
	return arm_st_slow(c, a, 4, v, 0);
}

static inline bool arm_st16(ArmCpu *c, uint32_t a, uint32_t v)
{
	const ArmTlbEntry *t = &c->tlb_wr[ARM_TLB_IDX(a)];
	if (ARM_LIKELY(t->tag == (a & ~ARM_PAGE_MASK) && (a & ARM_PAGE_MASK) <= ARM_PAGE_SIZE - 2 &&
	               !(a & c->amask_h))) {
		uint16_t h = (uint16_t)v;
		memcpy((void *)(t->addend + a), &h, 2);
		return true;
	}
	if ((a & c->amask_h) && !arm_unaligned_fault(c))
		return false;
	return arm_st_slow(c, a, 2, v, 0);
}

static inline bool arm_st8(ArmCpu *c, uint32_t a, uint32_t v)
{
	const ArmTlbEntry *t = &c->tlb_wr[ARM_TLB_IDX(a)];
	if (ARM_LIKELY(t->tag == (a & ~ARM_PAGE_MASK))) {
		*(uint8_t *)(t->addend + a) = (uint8_t)v;
		return true;
	}
	return arm_st_slow(c, a, 1, v, 0);
}

/* ---- execution (exec.c) -------------------------------------------------------------------- */

void arm_run(SocCpu *cpu);
/* Execute exactly one instruction (tests; an IT instruction is one). */
void arm_step(ArmCpu *c);
void arm_code_init(ArmCpu *c);
void arm_code_destroy(ArmCpu *c);
void arm_code_flush(ArmCpu *c);
/* Decoded-code pages and fetches (exec.c), for the block builder. */
ArmPage *arm_page_get(ArmCpu *c, uint32_t addr);
/* Read a word that decoded code depends on (a literal), marking it as code so that a write
 * to it reaches the code listeners; false when it is not RAM/ROM. */
bool arm_fetch_literal(ArmCpu *c, uint32_t a, uint32_t *v);
/* The IT-context slot for pc in its page p. */
ArmInsn *arm_it_slot(ArmPage *p, uint32_t pc);
/* May instructions be fetched at pc? Raises the fault when not; *uniform: the answer holds
 * for the whole page. */
bool arm_exec_allowed(ArmCpu *c, uint32_t pc, bool *uniform);
/* Decode the instruction at pc into slot; false when its fetch fails (raising the fault only
 * when `raise`). */
bool arm_decode_at(ArmCpu *c, uint32_t pc, ArmInsn *slot, bool in_it, bool raise);

/* ---- blocks (block.c) ------------------------------------------------------------------------ */

void arm_blocks_init(ArmCpu *c);
void arm_blocks_destroy(ArmCpu *c);
/* Forget blocks of page p that overlap [lo, hi] (a write reached their bytes). */
void arm_blocks_invalidate(ArmCpu *c, ArmPage *p, uint32_t lo, uint32_t hi);
/* Execute permissions may have changed: drop every chain and jump-cache entry. */
void arm_blocks_flush_chains(ArmCpu *c);
/* jit.c: see exec-inl.h for compiling and running. */
#define ARM_JIT_DEFAULT_THRESHOLD 8
uint32_t arm_jit_threshold_from_env(void);
bool arm_jit_full(const ArmCpu *c);     /* the code space is full: drop all at a safe point */
void arm_jit_reset(ArmCpu *c);          /* forget all compiled code (no block refers to it) */
void arm_jit_destroy(ArmCpu *c);
/* Use at most `bytes` of code space (tests: exercises the full-buffer flush). */
void arm_jit_set_capacity(ArmCpu *c, size_t bytes);
/* Run blocks from pc while they fit the budget and nothing needs the slow path; executes at
 * least one instruction (or raises its fetch fault, which counts as one). */
void arm_blocks_run(ArmCpu *c);
/* Interworking branch (BX, BLX, POP/LDM/LDR to pc): exception return in handler mode. */
void arm_bx_write_pc(ArmCpu *c, uint32_t target);
/* Read SP and PC from the vector table (leaving reset). */
void arm_reset_fetch(ArmCpu *c);
/* Set EPSR.IT (and the slow bit that goes with it). */
void arm_set_itstate(ArmCpu *c, uint32_t it);
void arm_write_sp(ArmCpu *c, uint32_t v);
/* Armv8-M stack limit check for a new SP value; false (fault raised) when it is below. */
bool arm_check_sp_limit(ArmCpu *c, uint32_t newsp);
uint32_t arm_sp_limit(const ArmCpu *c, bool process);

/* ---- exceptions (except.c) ----------------------------------------------------------------- */

/* Raise a synchronous fault for the current instruction (pc unchanged). `addr` is the fault
 * address for DACCVIOL / PRECISERR. The fault becomes pending (or escalates, or locks up). */
void arm_fault(ArmCpu *c, ArmFault f, uint32_t addr);
void arm_lockup(ArmCpu *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Take the highest-priority pending exception if it preempts; returns true if one was taken. */
bool arm_take_pending(ArmCpu *c);
void arm_exception_return(ArmCpu *c, uint32_t exc_return);
void arm_svc(ArmCpu *c);
void arm_bkpt(ArmCpu *c, unsigned imm);
void arm_set_pending(ArmCpu *c, unsigned exc);
void arm_clear_pending(ArmCpu *c, unsigned exc);
/* Recompute execution priority and the best pending exception (after any state change). */
void arm_update_irq(ArmCpu *c);
int arm_exc_prio(const ArmCpu *c, unsigned exc);
int arm_group_prio(const ArmCpu *c, int prio);
void arm_irq_line(ArmCpu *c, unsigned irq, int level);
void arm_nvic_reset(ArmCpu *c);
/* WFI / WFE: sleep unless something is already pending. */
void arm_wfi(ArmCpu *c);
void arm_wfe(ArmCpu *c);
void arm_sev(ArmCpu *c);
/* Wake a sleeping core if what is pending now would wake it. */
void arm_wake_check(ArmCpu *c);
bool arm_exc_enabled(const ArmCpu *c, unsigned exc);

static inline bool arm_bit(const uint32_t *map, unsigned n)
{
	return (map[n >> 5] >> (n & 31)) & 1;
}
static inline void arm_bit_set(uint32_t *map, unsigned n)
{
	map[n >> 5] |= 1u << (n & 31);
}
static inline void arm_bit_clear(uint32_t *map, unsigned n)
{
	map[n >> 5] &= ~(1u << (n & 31));
}

/* ---- SCS (scs.c) ---------------------------------------------------------------------------- */

/* Accesses to the Private Peripheral Bus; false: bus error. */
bool arm_ppb_read(ArmCpu *c, uint32_t addr, unsigned size, uint32_t *value);
bool arm_ppb_write(ArmCpu *c, uint32_t addr, unsigned size, uint32_t value);
void arm_scs_reset(ArmCpu *c);
void arm_systick_init(ArmCpu *c);
void arm_systick_destroy(ArmCpu *c);
uint32_t arm_shcsr(const ArmCpu *c);

/* ---- MPU (mpu.c) ---------------------------------------------------------------------------- */

enum { ARM_PERM_R = 1, ARM_PERM_W = 2, ARM_PERM_X = 4 };
/* Permissions for one address in an MPU context. */
unsigned arm_mpu_perm(const ArmCpu *c, uint32_t addr, unsigned ctx);
/* Permissions valid for a whole 4 KiB page, or -1 when they vary inside it. */
int arm_mpu_page_perm(const ArmCpu *c, uint32_t page, unsigned ctx);
uint32_t arm_mpu_read(ArmCpu *c, uint32_t off);
void arm_mpu_write(ArmCpu *c, uint32_t off, uint32_t value);
void arm_mpu_reset(ArmCpu *c);
/* Execute-never in the default memory map. */
static inline bool arm_default_xn(uint32_t addr)
{
	return (addr >= 0x40000000u && addr < 0x60000000u) || addr >= 0xA0000000u;
}

/* ---- floating point (fp.c) ------------------------------------------------------------------ */

/* The prologue of every FP instruction when fp_ready is false: CPACR check, lazy state
 * preservation, CONTROL.FPCA. Returns false when the instruction must not run. */
bool arm_fp_prologue(ArmCpu *c);
void arm_fp_update_ready(ArmCpu *c);
/* Lazy FP state preservation (into the frame at FPCAR); false: faulted. */
bool arm_fp_lazy_save(ArmCpu *c);

/* ---- disassembly (disas.c) ------------------------------------------------------------------ */

unsigned arm_disassemble(SocCpu *cpu, uint64_t addr, char *buf, size_t buflen);
void arm_disas_destroy(ArmCpu *c);
/* -d exec: the line of the instruction at pc (slot i), disassembled once per pc and cached. */
void arm_trace_insn(ArmCpu *c, const ArmInsn *i);

#endif
