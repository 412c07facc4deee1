/* arch-arm.c — the Cortex-M board hooks of the workloads: SysTick on the processor clock
 * for the timer interrupt (picolibc's vector table calls arm_systick_isr), and the CMSDK
 * UART0 receive interrupt of an MPS2 board through the NVIC for the idle wait. The UART's
 * address and IRQ number come from the build (bench/run); defaults are MPS2 AN385's. */
#include <stdint.h>
#include "bench.h"

#ifndef UART_BASE
#define UART_BASE 0x40004000u
#endif
#ifndef UART_RX_IRQ
#define UART_RX_IRQ 0
#endif

#define MMIO32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define SYST_CSR 0xe000e010u
#define SYST_RVR 0xe000e014u
#define SYST_CVR 0xe000e018u
#define NVIC_ISER0 0xe000e100u
#define NVIC_ICPR0 0xe000e280u

volatile uint32_t bench_timer_count;

void arm_systick_isr(void)
{
	bench_timer_count++;
}

void bench_timer_start(uint32_t period)
{
	MMIO32(SYST_RVR) = period - 1;
	MMIO32(SYST_CVR) = 0;
	MMIO32(SYST_CSR) = 7; /* ENABLE | TICKINT | CLKSOURCE (processor clock) */
}

void bench_timer_stop(void)
{
	MMIO32(SYST_CSR) = 0;
}

/* PRIMASK stays set: WFI still wakes on the pending enabled interrupt, and the loop polls
 * the UART after each wake-up. */
int bench_wait_input(void)
{
	__asm__ volatile("cpsid i");
	MMIO32(UART_BASE + 0x8) |= 0x0a;             /* CTRL: RX enable, RX interrupt enable */
	MMIO32(NVIC_ISER0 + 4u * (UART_RX_IRQ / 32)) = 1u << (UART_RX_IRQ % 32);
	for (;;) {
		if (MMIO32(UART_BASE + 0x4) & 0x2) {     /* STATE: RX buffer full */
			int c = (int)(MMIO32(UART_BASE) & 0xff);
			MMIO32(UART_BASE + 0xc) = 0x2;      /* INTSTATUS: clear RX */
			MMIO32(NVIC_ICPR0 + 4u * (UART_RX_IRQ / 32)) = 1u << (UART_RX_IRQ % 32);
			return c;
		}
		__asm__ volatile("wfi");
	}
}
