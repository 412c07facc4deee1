/* arch-riscv.c — the RISC-V board hooks of the workloads: the CLINT timer interrupt
 * (mtimecmp of hart 0) and a 16550A receive interrupt through the PLIC (context 0, hart 0
 * M-mode). Guest firmware has to know its board, so the addresses come from the build
 * (bench/run passes the QEMU-virt-shaped map both emulators share); defaults are virt's. */
#include <stdint.h>
#include "bench.h"

#ifndef CLINT_BASE
#define CLINT_BASE 0x2000000u
#endif
#ifndef PLIC_BASE
#define PLIC_BASE 0xc000000u
#endif
#ifndef UART_BASE
#define UART_BASE 0x10000000u
#endif
#ifndef UART_IRQ
#define UART_IRQ 10
#endif

#define MMIO32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define MMIO8(a) (*(volatile uint8_t *)(uintptr_t)(a))
#define MTIMECMP0 (CLINT_BASE + 0x4000u)
#define MTIME (CLINT_BASE + 0xbff8u)
#define MIE_MTIE (1u << 7)
#define MIE_MEIE (1u << 11)
#define MSTATUS_MIE (1u << 3)

volatile uint32_t bench_timer_count;
static uint32_t timer_period;

static uint64_t mtime_read(void)
{
	uint32_t hi, lo;
	do {
		hi = MMIO32(MTIME + 4);
		lo = MMIO32(MTIME);
	} while (hi != MMIO32(MTIME + 4));
	return (uint64_t)hi << 32 | lo;
}

/* The high word first goes to all-ones so that no intermediate value fires early. */
static void mtimecmp_write(uint64_t v)
{
	MMIO32(MTIMECMP0 + 4) = 0xffffffffu;
	MMIO32(MTIMECMP0) = (uint32_t)v;
	MMIO32(MTIMECMP0 + 4) = (uint32_t)(v >> 32);
}

static void __attribute__((interrupt("machine"), aligned(4))) trap_entry(void)
{
	uintptr_t cause;
	__asm__ volatile("csrr %0, mcause" : "=r"(cause));
	if ((intptr_t)cause < 0 && (cause & 0xff) == 7) {
		bench_timer_count++;
		mtimecmp_write(mtime_read() + timer_period);
	} else {
		/* Anything else is a bug in the workload: leave through semihosting. */
		exit(3);
	}
}

void bench_timer_start(uint32_t period)
{
	timer_period = period;
	__asm__ volatile("csrw mtvec, %0" ::"r"((uintptr_t)trap_entry));
	mtimecmp_write(mtime_read() + period);
	__asm__ volatile("csrs mie, %0" ::"r"(MIE_MTIE));
	__asm__ volatile("csrs mstatus, %0" ::"r"(MSTATUS_MIE));
}

void bench_timer_stop(void)
{
	__asm__ volatile("csrc mstatus, %0" ::"r"(MSTATUS_MIE));
	__asm__ volatile("csrc mie, %0" ::"r"(MIE_MTIE));
	mtimecmp_write(~(uint64_t)0);
}

/* Interrupts stay globally off (mstatus.MIE = 0): WFI wakes on a pending enabled source
 * all the same, and the loop polls the UART after each wake-up. */
int bench_wait_input(void)
{
	MMIO32(PLIC_BASE + 4u * UART_IRQ) = 1;                      /* priority */
	MMIO32(PLIC_BASE + 0x2000u + 4u * (UART_IRQ / 32)) |= 1u << (UART_IRQ % 32);
	MMIO32(PLIC_BASE + 0x200000u) = 0;                          /* threshold */
	MMIO8(UART_BASE + 4) |= 0x08;                               /* MCR.OUT2 */
	MMIO8(UART_BASE + 1) = 0x01;                                /* IER: data ready */
	__asm__ volatile("csrs mie, %0" ::"r"(MIE_MEIE));
	for (;;) {
		if (MMIO8(UART_BASE + 5) & 0x01) {                  /* LSR.DR */
			int c = MMIO8(UART_BASE);
			uint32_t claim = MMIO32(PLIC_BASE + 0x200004u);
			if (claim)
				MMIO32(PLIC_BASE + 0x200004u) = claim;
			return c;
		}
		__asm__ volatile("wfi");
	}
}
