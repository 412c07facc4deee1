/* tests/firmware/riscv/rt.h — the small run-time every RISC-V guest test links (rt.c, rt.S):
 * TAP output, CSR access, an M-mode (and an S-mode) trap handler that records each trap and
 * resumes after the faulting instruction, running a function in U- or S-mode, secondary harts,
 * and the addresses of the board the ELF runs on (run-elf.sh: rv32 -> riscv32-mcu.dts,
 * rv64 -> riscv-virt.dts). The tests' expectations come from the RISC-V manuals and the
 * bindings, not from socemu's code. */
#ifndef RT_H
#define RT_H

/* a7 of the ecall with which a function run by rt_run() returns to M-mode. */
#define RT_EXIT_MAGIC 0x52547278
#define RT_SMP_STACK_SHIFT 12           /* 4 KiB of stack per secondary hart */
#define RT_SMP_MAX 4

#ifndef __ASSEMBLER__
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define XLEN __riscv_xlen
#define RT_INTR ((uintptr_t)1 << (XLEN - 1))

/* ---- the boards ---------------------------------------------------------------------------- */
#if XLEN == 64
#define RT_BOARD "riscv-virt"
#define RT_RAM_BASE 0x80000000ul
#define RT_RAM_SIZE 0x8000000ul
#define RT_CLINT 0x2000000ul
#define RT_PLIC 0xc000000ul
#define RT_UART 0x10000000ul
#define RT_UART_SIZE 0x100ul
#define RT_UART_IRQ 10
#define RT_TEST 0x100000ul
#define RT_TIMEBASE 10000000ul
#define RT_CPU_HZ 100000000ul
#define RT_PLIC_NDEV 96
#else
#define RT_BOARD "riscv32-mcu"
#define RT_RAM_BASE 0x80000000ul
#define RT_RAM_SIZE 0x10000ul
#define RT_FLASH_BASE 0x20000000ul
#define RT_FLASH_SIZE 0x80000ul
#define RT_CLINT 0x2000000ul
#define RT_PLIC 0xc000000ul
#define RT_UART 0x10013000ul
#define RT_UART_SIZE 0x1000ul
#define RT_UART_IRQ 3
#define RT_TEST 0x100000ul
#define RT_TIMEBASE 32768ul
#define RT_CPU_HZ 64000000ul
#define RT_PLIC_NDEV 52
#endif
/* Nothing is mapped here on either board. */
#define RT_UNMAPPED 0x1000ul

#define RT_CLINT_MSIP(h) (RT_CLINT + 4ul * (h))
#define RT_CLINT_MTIMECMP(h) (RT_CLINT + 0x4000ul + 8ul * (h))
#define RT_CLINT_MTIME (RT_CLINT + 0xbff8ul)

/* mstatus, mip/mie bits (privileged architecture 1.12). */
#define MSTATUS_SIE (1ul << 1)
#define MSTATUS_MIE (1ul << 3)
#define MSTATUS_SPIE (1ul << 5)
#define MSTATUS_MPIE (1ul << 7)
#define MSTATUS_SPP (1ul << 8)
#define MSTATUS_MPP (3ul << 11)
#define MSTATUS_FS (3ul << 13)
#define MSTATUS_XS (3ul << 15)
#define MSTATUS_MPRV (1ul << 17)
#define MSTATUS_SUM (1ul << 18)
#define MSTATUS_MXR (1ul << 19)
#define MSTATUS_TVM (1ul << 20)
#define MSTATUS_TW (1ul << 21)
#define MSTATUS_TSR (1ul << 22)
#define MIP_SSIP (1ul << 1)
#define MIP_MSIP (1ul << 3)
#define MIP_STIP (1ul << 5)
#define MIP_MTIP (1ul << 7)
#define MIP_SEIP (1ul << 9)
#define MIP_MEIP (1ul << 11)

enum {
	CAUSE_INSN_MISALIGNED = 0, CAUSE_INSN_ACCESS = 1, CAUSE_ILLEGAL = 2, CAUSE_BREAKPOINT = 3,
	CAUSE_LOAD_MISALIGNED = 4, CAUSE_LOAD_ACCESS = 5, CAUSE_STORE_MISALIGNED = 6,
	CAUSE_STORE_ACCESS = 7, CAUSE_ECALL_U = 8, CAUSE_ECALL_S = 9, CAUSE_ECALL_M = 11,
};
enum { IRQ_SSI = 1, IRQ_MSI = 3, IRQ_STI = 5, IRQ_MTI = 7, IRQ_SEI = 9, IRQ_MEI = 11 };
enum { PRIV_U = 0, PRIV_S = 1, PRIV_M = 3 };

/* ---- CSRs and memory-mapped registers --------------------------------------------------- */
#define csr_read(csr) ({ uintptr_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_) :: "memory"); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" :: "r"((uintptr_t)(v)) : "memory")
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" :: "r"((uintptr_t)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" :: "r"((uintptr_t)(v)) : "memory")
#define csr_swap(csr, v) ({ uintptr_t v_; \
	__asm__ volatile("csrrw %0, " #csr ", %1" : "=r"(v_) : "r"((uintptr_t)(v)) : "memory"); v_; })

static inline uint32_t mmio_read32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint8_t mmio_read8(uintptr_t a) { return *(volatile uint8_t *)a; }
static inline void mmio_write8(uintptr_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

/* One instruction on register operands (or a register and an immediate), in assembly so that
 * the compiler can neither fold nor choose it. */
#define RR(insn, a, b) ({ uintptr_t r_; \
	__asm__ volatile(insn " %0, %1, %2" : "=r"(r_) : "r"((uintptr_t)(a)), "r"((uintptr_t)(b))); r_; })
#define RI(insn, a, imm) ({ uintptr_t r_; \
	__asm__ volatile(insn " %0, %1, %2" : "=r"(r_) : "r"((uintptr_t)(a)), "i"(imm)); r_; })
/* Lists of cases X(expr, expected, description) count themselves for the plan and run as
 * tap_eq lines. */
#define RT_COUNT(...) + 1
#define RT_RUN_EQ(expr, want, desc) tap_eq((uintptr_t)(expr), (uintptr_t)(want), "%s", desc);

#define MIN_X ((uintptr_t)1 << (XLEN - 1))     /* most negative XLEN-bit value */
#define MAX_X (MIN_X - 1)
#define ONES ((uintptr_t)-1)

/* ---- TAP ---------------------------------------------------------------------------------- */
void tap_plan(unsigned n);
bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ok when got == want; the values are shown on failure. */
bool tap_eq(uintptr_t got, uintptr_t want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tap_skip(const char *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Exit status for main: 0 when every test passed and the plan was met. */
int tap_done(void);

/* ---- traps -------------------------------------------------------------------------------- */
typedef struct {
	uintptr_t cause, tval, epc;
	unsigned from;          /* privilege the trap came from (MPP / SPP after the trap) */
	unsigned vector;        /* vectored mode: the table slot used + 1; 0 in direct mode */
	uintptr_t status;       /* mstatus (sstatus) in the handler */
} rt_trap_t;

typedef struct {
	uintptr_t x[32];        /* x[2] is the sp before the trap */
} rt_frame_t;

extern volatile unsigned rt_ntraps;     /* exceptions taken into M since rt_clear() */
extern volatile rt_trap_t rt_last;      /* the last of them */
extern volatile unsigned rt_nirqs;      /* interrupts taken into M since rt_clear() */
extern volatile unsigned rt_irq_count[16];
extern volatile rt_trap_t rt_last_irq;
extern volatile uintptr_t rt_irq_mtime; /* mtime read on entry of the last M interrupt */
extern volatile unsigned rt_nstraps;    /* S-mode: exceptions and interrupts taken into S */
extern volatile rt_trap_t rt_slast;
/* Where the next exception resumes (0: after the faulting instruction; an instruction access
 * fault resumes at ra). */
extern volatile uintptr_t rt_resume;
/* Called for each M interrupt with its cause (without the interrupt bit); it must quiet the
 * source. Without it, the interrupt's mie bit is cleared. */
extern void (*volatile rt_irq_hook)(unsigned cause);
/* The same for interrupts taken into S (its sie bit is cleared without a hook). */
extern void (*volatile rt_sirq_hook)(unsigned cause);

void rt_init(void);                     /* mtvec = the direct handler, records cleared */
void rt_clear(void);
void rt_set_vectored(bool on);
void rt_trap_c(rt_frame_t *f);
void rt_strap_c(rt_frame_t *f);
/* Checks that exactly one exception was taken since rt_clear(), with this cause and epc and
 * one of the two accepted tval values; prints one TAP line. */
bool rt_check_trap(uintptr_t cause, uintptr_t epc, uintptr_t tval, uintptr_t tval_alt,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Checks that no exception was taken since rt_clear(). */
bool rt_check_no_trap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs fn(arg) in privilege mode priv (PRIV_U or PRIV_S) and returns its result; fn returns
 * normally, an ecall with a7 = RT_EXIT_MAGIC brings the hart back to M. An exception that
 * resumes at rt_run_back (rt_resume) also ends the run, in M. */
uintptr_t rt_run(unsigned priv, uintptr_t (*fn)(uintptr_t), uintptr_t arg);
extern char rt_run_back[];

/* Functions for rt_run made of one instruction, run with t0 = rt_addr; the instruction's
 * address is left in rt_at. */
extern volatile uintptr_t rt_at, rt_addr;
#define RT_PROBE(name, insn) \
	static uintptr_t name(uintptr_t x) \
	{ \
		uintptr_t at_; \
		__asm__ volatile(".option push\n\t.option norvc\n\t" \
		                 "mv t0, %1\n\t" \
		                 "lla %0, 1f\n" \
		                 "1:\t" insn "\n\t" \
		                 ".option pop" : "=&r"(at_) : "r"(rt_addr) : "t0", "t1", "ra", "memory"); \
		rt_at = at_; \
		return x; \
	}
/* One exception into M (none into S) from privilege `from` at rt_at, with the cause and
 * one of the two tval values; a TAP line. */
bool rt_expect_m(uintptr_t cause, unsigned from, uintptr_t tval, uintptr_t alt, const char *desc);
/* One exception or interrupt into S (none into M) from `from` at rt_at. */
bool rt_expect_s(uintptr_t cause, unsigned from, const char *desc);
/* The (up to 32) instruction bits at a. */
uint32_t rt_insn_at(uintptr_t a);
/* PMP entry 15 lets S and U modes reach everything (no entry matches, they would fail). */
void rt_pmp_open(void);

/* ---- timer ------------------------------------------------------------------------------- */
uint64_t rt_mtime(void);
void rt_set_mtimecmp(unsigned hart, uint64_t v);
uint64_t rt_get_mtimecmp(unsigned hart);
/* Sleeps with WFI (interrupts masked) until mtime has advanced by `ticks`. */
void rt_sleep_ticks(uint64_t ticks);

/* ---- semihosting --------------------------------------------------------------------------- */
uintptr_t rt_semihost(uintptr_t op, uintptr_t param);

/* ---- secondary harts --------------------------------------------------------------------- */
/* Starts fn(arg) on a parked hart (1..RT_SMP_MAX-1); rt_smp_wait returns its result, or
 * UINTPTR_MAX when it does not finish within `ticks` of mtime. */
void rt_smp_start(unsigned hart, uintptr_t (*fn)(uintptr_t), uintptr_t arg);
uintptr_t rt_smp_wait(unsigned hart, uint64_t ticks);
#endif

#endif
