/* tests/firmware/arm/rt.h — the run-time of the Cortex-M guest test programs: a vector table
 * whose every entry goes to one dispatcher (handlers are installed at run time per exception
 * number), TAP output, and the System Control Space registers the tests poke (written from
 * the Armv7-M / Armv8-M Architecture Reference Manuals, not from CMSIS).
 *
 * Built with picolibc (--oslib=semihost --crt0=semihost): output and exit status go through
 * semihosting; main's return value is the program's exit status. */
#ifndef RT_H
#define RT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define REG32(a) (*(volatile uint32_t *)(a))
#define REG8(a) (*(volatile uint8_t *)(a))

#define ICTR REG32(0xE000E004)
#define SYST_CSR REG32(0xE000E010)
#define SYST_RVR REG32(0xE000E014)
#define SYST_CVR REG32(0xE000E018)
#define SYST_CALIB REG32(0xE000E01C)
#define NVIC_ISER(n) REG32(0xE000E100 + 4 * (n))
#define NVIC_ICER(n) REG32(0xE000E180 + 4 * (n))
#define NVIC_ISPR(n) REG32(0xE000E200 + 4 * (n))
#define NVIC_ICPR(n) REG32(0xE000E280 + 4 * (n))
#define NVIC_IABR(n) REG32(0xE000E300 + 4 * (n))
#define NVIC_IPR(n) REG32(0xE000E400 + 4 * (n))
#define CPUID REG32(0xE000ED00)
#define ICSR REG32(0xE000ED04)
#define VTOR REG32(0xE000ED08)
#define AIRCR REG32(0xE000ED0C)
#define SCR REG32(0xE000ED10)
#define CCR REG32(0xE000ED14)
#define SHPR1 REG32(0xE000ED18)
#define SHPR2 REG32(0xE000ED1C)
#define SHPR3 REG32(0xE000ED20)
#define SHCSR REG32(0xE000ED24)
#define CFSR REG32(0xE000ED28)
#define HFSR REG32(0xE000ED2C)
#define MMFAR REG32(0xE000ED34)
#define BFAR REG32(0xE000ED38)
#define CPACR REG32(0xE000ED88)
#define MPU_TYPE REG32(0xE000ED90)
#define MPU_CTRL REG32(0xE000ED94)
#define MPU_RNR REG32(0xE000ED98)
#define MPU_RBAR REG32(0xE000ED9C)
#define MPU_RASR REG32(0xE000EDA0)   /* PMSAv8: RLAR */
#define MPU_MAIR0 REG32(0xE000EDC0)
#define DEMCR REG32(0xE000EDFC)
#define STIR REG32(0xE000EF00)
#define FPCCR REG32(0xE000EF34)
#define FPCAR REG32(0xE000EF38)
#define DWT_CTRL REG32(0xE0001000)
#define DWT_CYCCNT REG32(0xE0001004)

enum {
	EXC_NMI = 2, EXC_HARDFAULT = 3, EXC_MEMMANAGE = 4, EXC_BUSFAULT = 5, EXC_USAGEFAULT = 6,
	EXC_SVCALL = 11, EXC_PENDSV = 14, EXC_SYSTICK = 15, EXC_IRQ0 = 16,
};
#define RT_VECTORS 64                  /* 16 system exceptions and 48 interrupts */

/* The registers the hardware stacks on exception entry. */
typedef struct rt_frame {
	uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr;
} rt_frame;

typedef void (*rt_handler)(rt_frame *frame, uint32_t exc_return);

/* Install (or remove, with NULL) the handler of an exception number. An exception without a
 * handler ends the program: "Bail out!" and exit status 99. */
void rt_set_handler(unsigned exc, rt_handler h);
/* The length of the Thumb instruction at pc (for handlers that skip a faulting one). */
unsigned rt_insn_len(uint32_t pc);

/* TAP */
void rt_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define rt_eq(got, want, what)                                                                     \
	do {                                                                                        \
		unsigned long long g_ = (unsigned long long)(got), w_ = (unsigned long long)(want); \
		rt_ok(g_ == w_, "%s (got 0x%llx, want 0x%llx)", what, g_, w_);                      \
	} while (0)
int rt_done(void);                    /* prints the plan; main returns its result */

/* Core identification from CPUID. */
bool rt_is_v6m(void);
bool rt_is_v8m(void);

static inline uint32_t rt_get_control(void)
{
	uint32_t v;
	__asm__ volatile("mrs %0, control" : "=r"(v));
	return v;
}

static inline void rt_set_control(uint32_t v)
{
	__asm__ volatile("msr control, %0\n\tisb" : : "r"(v) : "memory");
}

static inline uint32_t rt_get_primask(void)
{
	uint32_t v;
	__asm__ volatile("mrs %0, primask" : "=r"(v));
	return v;
}

static inline void rt_barrier(void)
{
	__asm__ volatile("dsb\n\tisb" : : : "memory");
}

#endif
