/* mgmt.c — the management core (RV32): answers the app cluster and the rt cluster, whichever
 * rings first. */
#include <stdint.h>

#define SHARED_BASE 0x60000000UL
#include "demo.h"

#define UART ((volatile uint8_t *)0x40000000UL)
#define MHU_APP ((volatile uint32_t *)0x40010000UL)
#define MHU_RT ((volatile uint32_t *)0x40011000UL)

int main(void);
int main(void)
{
	int served = 0;
	uart_puts(UART, "mgmt: RV32 management core at 50 MHz, waiting for doorbells\n");
	while (served < 2) {
		if (doorbell(MHU_APP, SIDE_B)) {
			answer(MHU_APP, SIDE_B);
			uart_puts(UART, "mgmt: app says: ");
			uart_puts(UART, SLOT(SLOT_APP_TO_MGMT));
			uart_puts(UART, "\n");
			set_msg(SLOT(SLOT_MGMT_TO_APP), "pong from mgmt (RV32)");
			ring(MHU_APP, SIDE_A);
			served++;
		}
		if (doorbell(MHU_RT, SIDE_B)) {
			answer(MHU_RT, SIDE_B);
			uart_puts(UART, "mgmt: rt says: ");
			uart_puts(UART, SLOT(SLOT_RT_TO_MGMT));
			uart_puts(UART, "\n");
			set_msg(SLOT(SLOT_MGMT_TO_RT), "pong from mgmt (RV32)");
			ring(MHU_RT, SIDE_A);
			served++;
		}
	}
	uart_puts(UART, "mgmt: served both clusters, sleeping\n");
	for (;;)
		__asm__ volatile("wfi");
}
