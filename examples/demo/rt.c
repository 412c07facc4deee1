/* rt.c — the real-time cluster (Cortex-M4F): answers the app cluster with a result from its
 * FPU, then talks to the management core and tells the app cluster it has. */
#include <stdint.h>

#define SHARED_BASE 0x20100000UL
#include "demo.h"

#define UART ((volatile uint8_t *)0x40000000UL)
#define MHU_APP ((volatile uint32_t *)0x40010000UL)
#define MHU_MGMT ((volatile uint32_t *)0x40011000UL)
#define CPACR (*(volatile uint32_t *)0xE000ED88UL)

extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end, __stack_top;
void reset_handler(void);
static void hang(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

__attribute__((section(".vectors"), used))
static void (*const vectors[16])(void) = {
	(void (*)(void))&__stack_top, reset_handler, hang, hang, hang, hang, hang,
};

volatile float two = 2.0f;

/* sqrt(2) by Newton's method on the single-precision FPU, in millionths. */
static unsigned long sqrt2_millionths(void)
{
	float x = two;
	for (int i = 0; i < 6; i++)
		x = 0.5f * (x + two / x);
	return (unsigned long)(x * 1000000.0f + 0.5f);
}

static void main_rt(void)
{
	unsigned long s;
	char reply[MSG_BYTES] = "pong from rt (Cortex-M4F): sqrt(2) = 1.";
	int n = 0;

	uart_puts(UART, "rt: Cortex-M4F at 100 MHz, waiting for the app cluster\n");
	while (!doorbell(MHU_APP, SIDE_B))
		;
	answer(MHU_APP, SIDE_B);
	uart_puts(UART, "rt: app says: ");
	uart_puts(UART, SLOT(SLOT_APP_TO_RT));
	uart_puts(UART, "\n");
	s = sqrt2_millionths() % 1000000;
	while (reply[n])
		n++;
	for (unsigned long d = 100000; d; d /= 10)
		reply[n++] = (char)('0' + (s / d) % 10);
	reply[n] = 0;
	set_msg(SLOT(SLOT_RT_TO_APP), reply);
	ring(MHU_APP, SIDE_A);

	set_msg(SLOT(SLOT_RT_TO_MGMT), "hello from rt");
	ring(MHU_MGMT, SIDE_B);
	while (!doorbell(MHU_MGMT, SIDE_A))
		;
	answer(MHU_MGMT, SIDE_A);
	uart_puts(UART, "rt: mgmt answered: ");
	uart_puts(UART, SLOT(SLOT_MGMT_TO_RT));
	uart_puts(UART, "\n");
	STATUS[STATUS_RT_MGMT_DONE] = 1;
	hang();
}

void reset_handler(void)
{
	uint32_t *src = &__data_load, *dst = &__data_start;
	while (dst < &__data_end)
		*dst++ = *src++;
	for (dst = &__bss_start; dst < &__bss_end;)
		*dst++ = 0;
	CPACR |= 0xfu << 20;                /* CP10 and CP11: the FPU */
	__asm__ volatile("dsb\n\tisb");
	main_rt();
}
