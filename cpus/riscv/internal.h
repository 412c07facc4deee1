/* cpus/riscv/internal.h — state of a RISC-V hart, shared by the files of cpus/riscv/ only.
 *
 * Execution (exec.h, compiled once per XLEN) runs blocks of pre-decoded ops. A block starts
 * at a physical pc, covers straight-line code up to a jump, a system instruction, a page end
 * or RV_BLOCK_MAX instructions, and keeps conditional branches inside as side exits. Blocks
 * are found through a per-privilege jump cache (which also caches the PMP execute check) and
 * a hash table, and are indexed by the host pages they were decoded from, so that a write to
 * those bytes (reported by the RAM block's code listener) drops exactly the blocks it touches.
 *
 * Data accesses go through a per-privilege software TLB of 4 KiB pages: a hit is a host
 * pointer; pages that hold decoded code or a reservation are written through a notifying path;
 * everything else (MMIO, unmapped, PMP-split pages, misaligned) takes the slow path. */
#ifndef SOC_RISCV_INTERNAL_H
#define SOC_RISCV_INTERNAL_H

#include "cpus/riscv/riscv.h"
#include "cpus/riscv/decode.h"
#include "core/memory.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define RV_LIKELY(x) __builtin_expect(!!(x), 1)
#define RV_UNLIKELY(x) __builtin_expect(!!(x), 0)

enum { RV_PRIV_U = 0, RV_PRIV_S = 1, RV_PRIV_M = 3 };

/* Micro-ops beyond the table's operations. */
enum {
	RV_UOP_NOP = RV_OP_COUNT,   /* an operation whose only effect was a write to x0 */
	RV_UOP_END,                 /* end of a block that falls through to pc + pcoff */
	RV_UOP_JAL_MIS,             /* jal to a misaligned target (harts without C) */
	RV_UOP_BR_MIS,              /* branch to a misaligned target (harts without C) */
	RV_UOP_JALR4,               /* jalr checking 4-byte target alignment (harts without C) */
	RV_UOP_COUNT
};

#define RV_SINK 32                  /* register index that absorbs writes to x0 */

/* One pre-decoded instruction, as the executor reads it: the address of its handler (direct
 * threading), its immediate and register numbers. For branches, jal and END, imm is already
 * the target's offset from the block's pc. What only slow paths need is in RvOpInfo. */
typedef struct RvOp {
	const void *h;
	int32_t imm;
	uint8_t rd, rs1, rs2;           /* rd of branches/END and rs2 of jal: exit slot */
	uint8_t idx;                    /* instructions before this one in its block */
} RvOp;

typedef struct RvOpInfo {
	uint16_t pcoff;                 /* byte offset of the instruction from the block's pc */
	uint16_t opc;                   /* operation (RV_OP_* or RV_UOP_*) */
	uint32_t raw;                   /* the instruction bits (16 for compressed) */
} RvOpInfo;

#define RV_BLOCK_MAX 64

typedef struct RvBlock RvBlock;

/* A block's direct exits (taken branches, jal, falling through) remember the block they led
 * to, valid while `tag` equals the hart's chain_tag (decoded code, PMP and privilege unchanged). */
typedef struct RvExit {
	RvBlock *to;
	uint64_t tag;
	uint8_t *jit_site;              /* the compiled exit's patchable jump (jit.c), or NULL */
} RvExit;

#define RV_EXITS_MAX (RV_BLOCK_MAX + 2)   /* one per op, and the END of a truncated copy */

struct RvBlock {
	uint64_t pc;
	RvExit *exits;                  /* indexed by op->rd (branches, END) or op->rs2 (jal) */
	RvOpInfo *info;                 /* one per op, END included */
	uint32_t n_insns;               /* ops[n_insns] is the END op or the last is a transfer */
	uint32_t n_bytes;
	bool dead;
	uint32_t heat;                  /* entries counted towards compiling it (jit.c) */
	const void *jit;                /* its compiled code, or NULL */
	RvBlock *hnext;                 /* hash chain */
	RvBlock *pnext[2];              /* per-host-page chains */
	uintptr_t host_lo[2], host_hi[2];   /* host bytes decoded, per page (hi = 0: unused) */
	RvOp ops[];
};

typedef struct RvTlbEntry {
	uint64_t tag_r;                 /* page address when loads may use the host pointer */
	uint64_t tag_w;                 /* ... when stores may */
	uint64_t tag_wn;                /* ... when stores may but must notify (code on the page) */
	uintptr_t addend;               /* host = addend + guest address */
} RvTlbEntry;                       /* 32 bytes: the index is a shift */

/* What the notifying path needs, beside each entry: the RAM block and the page's offset in it. */
typedef struct RvTlbSide {
	SocRamBlock *blk;
	uint64_t blk_off;
} RvTlbSide;

#define RV_TLB_BITS 12   /* 16 MiB of distinct pages: buffers 1 MiB apart do not evict each other */
#define RV_TLB_SIZE (1u << RV_TLB_BITS)
#define RV_TLB_INVALID UINT64_MAX
#define RV_PAGE_MASK (~(uint64_t)(SOC_PAGE_SIZE - 1))

#define RV_JC_BITS 12
#define RV_JC_SIZE (1u << RV_JC_BITS)
#define RV_JC_INDEX(pc) ((((pc) >> 1) ^ ((pc) >> (RV_JC_BITS + 1))) & (RV_JC_SIZE - 1))
#define RV_HASH_BITS 13
#define RV_HASH_SIZE (1u << RV_HASH_BITS)

/* mstatus fields (RV64 layout; RV32 views are derived). */
#define MSTATUS_SIE  (1ull << 1)
#define MSTATUS_MIE  (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_UBE  (1ull << 6)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP  (1ull << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP  (3ull << 11)
#define MSTATUS_FS   (3ull << 13)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_SUM  (1ull << 18)
#define MSTATUS_MXR  (1ull << 19)
#define MSTATUS_TVM  (1ull << 20)
#define MSTATUS_TW   (1ull << 21)
#define MSTATUS_TSR  (1ull << 22)
#define MSTATUS_UXL  (3ull << 32)
#define MSTATUS_SXL  (3ull << 34)

#define MIP_SSIP (1u << 1)
#define MIP_MSIP (1u << 3)
#define MIP_STIP (1u << 5)
#define MIP_MTIP (1u << 7)
#define MIP_SEIP (1u << 9)
#define MIP_MEIP (1u << 11)
#define MIP_S_BITS (MIP_SSIP | MIP_STIP | MIP_SEIP)

enum {
	RV_EXC_INSN_MISALIGNED = 0,
	RV_EXC_INSN_ACCESS = 1,
	RV_EXC_ILLEGAL = 2,
	RV_EXC_BREAKPOINT = 3,
	RV_EXC_LOAD_MISALIGNED = 4,
	RV_EXC_LOAD_ACCESS = 5,
	RV_EXC_STORE_MISALIGNED = 6,
	RV_EXC_STORE_ACCESS = 7,
	RV_EXC_ECALL_U = 8,
	RV_EXC_ECALL_S = 9,
	RV_EXC_ECALL_M = 11,
};

#define RV_PMP_N 16
#define PMP_R 1u
#define PMP_W 2u
#define PMP_X 4u
#define PMP_A_SHIFT 3
#define PMP_L 0x80u

typedef struct RvCpu RvCpu;
typedef void (*RvExecFn)(RvCpu *cpu);
typedef struct RvTraceCache RvTraceCache;
typedef struct RvJit RvJit;

/* Entries after which a block is compiled (SOCEMU_JIT changes it; UINT32_MAX: never). */
#define RV_JIT_DEFAULT_THRESHOLD 8

struct RvCpu {
	SocCpu common;                  /* first: the core's view */

	/* ---- hot state ---- */
	union {
		uint64_t x64[33];
		uint32_t x32[33];
	};
	uint64_t pc;
	unsigned priv;
	bool irq_ready;                 /* an interrupt must be taken before the next block */
	bool exit_req;                  /* leave the current block after this instruction */
	bool self_store;                /* inside one of our own stores' notification */
	RvTlbEntry *dtlb;               /* tlb[effective data privilege] */
	RvBlock **jc;                   /* jcache[priv] */
	uint64_t chain_tag;             /* chain_epoch << 2 | priv */
	uint64_t chain_epoch;           /* bumped whenever a chain may have become wrong */
	RvExecFn exec;

	/* ---- configuration ---- */
	unsigned xlen;
	unsigned ext;                   /* RV_EXT_* enabled for decoding */
	bool has_s, has_u, has_c;
	uint64_t hartid;
	uint64_t timebase_hz;
	uint64_t reset_vector, entry, boot_a1;
	bool entry_set;
	uint64_t xmask;                 /* all ones in XLEN bits */

	/* ---- CSRs ---- */
	uint64_t mstatus, misa, medeleg, mideleg, mie, mip;
	bool seip_line;                 /* the external SEIP input, ORed into mip.SEIP */
	uint64_t mtvec, mscratch, mepc, mcause, mtval;
	uint64_t stvec, sscratch, sepc, scause, stval, satp;
	uint32_t mcounteren, scounteren, mcountinhibit;
	uint64_t menvcfg, senvcfg;
	uint64_t cycle_off, instret_off;        /* counter = base + off (mod 2^64) */
	uint64_t cycle_frozen, instret_frozen;  /* values while inhibited */
	uint8_t pmpcfg[RV_PMP_N];
	uint64_t pmpaddr[RV_PMP_N];
	uint64_t pmp_lo[RV_PMP_N], pmp_hi[RV_PMP_N];   /* decoded ranges, [lo, hi); lo >= hi: none */
	bool pmp_active;

	/* ---- LR/SC ---- */
	bool res_valid;
	uint64_t res_addr;
	unsigned res_size;
	uint8_t *res_host;              /* NULL when the reservation is not on RAM */

	/* ---- trap-loop detection ---- */
	uint64_t last_trap_insns;
	unsigned traps_without_progress;

	/* ---- decoded code ---- */
	RvBlock *htab[RV_HASH_SIZE];
	RvBlock *jcache[4][RV_JC_SIZE];
	GHashTable *code_pages;         /* host page address -> RvBlock* chain head */
	GSList *arena;                  /* chunks of block memory, newest first */
	size_t arena_used, arena_total; /* in the newest chunk; in all chunks */
	RvBlock *scratch;               /* a truncated copy of a block (budget, PMP limits) */
	RvExit *scratch_exits;
	RvOpInfo *scratch_info;
	const void *const *handlers;    /* the executor's handler per operation */
	GPtrArray *listened;            /* RAM blocks we registered a code listener on */

	/* ---- software TLB ---- */
	RvTlbEntry tlb[4][RV_TLB_SIZE];
	RvTlbSide tlb_side[4][RV_TLB_SIZE];
	uint8_t tlb_ready, jc_ready;    /* privileges whose tlb / jcache are initialised */

	/* ---- interrupt inputs (by mip bit) ---- */
	SocIrq *irq_by_bit[12];

	RvTraceCache *trace_cache;      /* -d exec: disassembly already made, by pc */

	RvJit *jit;                     /* compiled code (jit.c), created on first use */
	uint32_t jit_threshold;
	uint64_t jit_blocks;            /* blocks compiled, for tests and -stats */

	SocRiscvSemihostFn semihost_fn;
	void *semihost_opaque;
};

static inline RvCpu *rv_cpu(SocCpu *c)
{
	return (RvCpu *)c;
}

/* exec32.c / exec64.c */
void rv_exec32(RvCpu *cpu);
void rv_exec64(RvCpu *cpu);
void rv_exec32_trace(RvCpu *cpu);
void rv_exec64_trace(RvCpu *cpu);
/* Handler addresses of rv_exec32/rv_exec64, published by calling them with NULL once. */
extern const void *const *rv_exec32_handlers;
extern const void *const *rv_exec64_handlers;

/* csr.c: privileged state */
void rv_csr_reset(RvCpu *cpu);
bool rv_csr_read(RvCpu *cpu, unsigned csr, uint64_t *val, bool debug);
bool rv_csr_write(RvCpu *cpu, unsigned csr, uint64_t val, bool debug);
/* Executes a Zicsr instruction (exec is RV_OP_CSRR*): false when it raised an exception. */
bool rv_csr_insn(RvCpu *cpu, uint32_t raw, unsigned exec, unsigned csr, uint64_t src, bool do_read,
                 bool do_write, uint64_t *old);
/* Take an exception at `epc` (cpu->insns must count the retired instructions before it). */
void rv_raise(RvCpu *cpu, unsigned cause, uint64_t tval, uint64_t epc);
void rv_take_interrupt(RvCpu *cpu);
void rv_update_irq(RvCpu *cpu);         /* recompute irq_ready after mip/mie/mstatus/priv */
void rv_update_priv_caches(RvCpu *cpu); /* dtlb and jc after priv or MPRV/MPP changes */
uint64_t rv_read_mip(const RvCpu *cpu);
bool rv_mret(RvCpu *cpu, uint64_t epc);
bool rv_sret(RvCpu *cpu, uint64_t epc);
/* wfi: false when it raised an exception; sets SLEEPING unless an interrupt is pending. */
bool rv_wfi(RvCpu *cpu, uint64_t epc);
bool rv_sfence_vma(RvCpu *cpu, uint64_t epc, uint32_t raw);
void rv_ebreak(RvCpu *cpu, uint64_t epc, uint32_t raw);
void rv_ecall(RvCpu *cpu, uint64_t epc);
/* PMP: whether [addr, addr+size) may be accessed with `perm` (one PMP_* bit) at `priv`. */
bool rv_pmp_check(const RvCpu *cpu, uint64_t addr, uint64_t size, unsigned perm, unsigned priv);
/* The PMP permissions holding for the whole page at `priv`, or -1 if they vary inside it. */
int rv_pmp_page(const RvCpu *cpu, uint64_t page, unsigned priv);
unsigned rv_data_priv(const RvCpu *cpu);
uint64_t rv_cycles_now(const RvCpu *cpu);

/* mem.c: memory paths and decoded code */
void rv_mem_init(RvCpu *cpu);
void rv_mem_destroy(RvCpu *cpu);
void rv_tlb_flush(RvCpu *cpu);
void rv_priv_tables(RvCpu *cpu);        /* make the current privilege's tlb and jcache usable */
void rv_code_flush(RvCpu *cpu);         /* drop every decoded block */
void rv_jc_flush(RvCpu *cpu);           /* forget execute permissions (PMP changed) */
void rv_unchain(RvCpu *cpu);            /* forget every chain between blocks */
/* The block to run at cpu->pc within the budget, or NULL when fetching raised an exception. */
RvBlock *rv_block_for_pc(RvCpu *cpu);
/* Slow paths: cpu->insns and cpu->pc must be those of the accessing instruction. They return
 * false after raising the exception. */
bool rv_load_slow(RvCpu *cpu, uint64_t addr, unsigned size, uint64_t *val);
bool rv_store_slow(RvCpu *cpu, uint64_t addr, unsigned size, uint64_t val);
void rv_store_notify(RvCpu *cpu, uint64_t addr, unsigned size);
bool rv_amo_slow(RvCpu *cpu, uint64_t addr, unsigned size, unsigned opc, uint64_t src, uint64_t *old);
bool rv_lr(RvCpu *cpu, uint64_t addr, unsigned size, uint64_t *val);
/* *fail = 0 when the store happened. */
bool rv_sc(RvCpu *cpu, uint64_t addr, unsigned size, uint64_t val, uint64_t *fail);
void rv_fence_i(RvCpu *cpu);
void rv_trace_insn(RvCpu *cpu, uint64_t pc, uint32_t raw);

/* jit.c: hot blocks compiled to host code (x86-64 hosts; elsewhere these do nothing). */
bool rv_jit_available(void);
uint32_t rv_jit_threshold_from_env(void);
/* Compile b; false when it cannot be (an operation the compiler leaves to the interpreter, a
 * full code buffer, no executable memory). */
bool rv_jit_compile(RvCpu *cpu, RvBlock *b);
/* Run compiled code from b on: returns the exit slot it left through (to be chained by the
 * caller) or NULL when cpu->pc and the count are all the caller needs. */
RvExit *rv_jit_run(RvCpu *cpu, const RvBlock *b);
bool rv_jit_full(const RvCpu *cpu);
void rv_jit_reset(RvCpu *cpu);          /* forget all compiled code (rv_code_flush) */
void rv_jit_destroy(RvCpu *cpu);
/* Use at most `bytes` of code space (tests: exercises the full-buffer flush). */
void rv_jit_set_capacity(RvCpu *cpu, size_t bytes);

/* Count an entry into b; true when b has just been compiled (exactly once per block). */
static inline bool rv_jit_hot(RvCpu *cpu, RvBlock *b)
{
	return b->heat < cpu->jit_threshold && ++b->heat == cpu->jit_threshold &&
	       rv_jit_compile(cpu, b);
}

/* The value an AMO writes, computed on `size` bytes. */
static inline uint64_t rv_amo_compute(unsigned opc, unsigned size, uint64_t old, uint64_t src)
{
	if (size == 4) {
		uint32_t a = (uint32_t)old, b = (uint32_t)src;
		switch (opc) {
		case RV_OP_AMOSWAP_W: return b;
		case RV_OP_AMOADD_W: return a + b;
		case RV_OP_AMOXOR_W: return a ^ b;
		case RV_OP_AMOAND_W: return a & b;
		case RV_OP_AMOOR_W: return a | b;
		case RV_OP_AMOMIN_W: return (int32_t)a < (int32_t)b ? a : b;
		case RV_OP_AMOMAX_W: return (int32_t)a > (int32_t)b ? a : b;
		case RV_OP_AMOMINU_W: return a < b ? a : b;
		default: return a > b ? a : b;  /* AMOMAXU_W */
		}
	}
	switch (opc) {
	case RV_OP_AMOSWAP_D: return src;
	case RV_OP_AMOADD_D: return old + src;
	case RV_OP_AMOXOR_D: return old ^ src;
	case RV_OP_AMOAND_D: return old & src;
	case RV_OP_AMOOR_D: return old | src;
	case RV_OP_AMOMIN_D: return (int64_t)old < (int64_t)src ? old : src;
	case RV_OP_AMOMAX_D: return (int64_t)old > (int64_t)src ? old : src;
	case RV_OP_AMOMINU_D: return old < src ? old : src;
	default: return old > src ? old : src;  /* AMOMAXU_D */
	}
}

#endif
