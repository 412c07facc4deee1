/* app.c — the application cluster (two RV64 harts): hart 0 talks to the real-time cluster,
 * hart 1 to the management core; hart 0 reports and ends the run. */
#include <stdint.h>

#define SHARED_BASE 0x30000000UL
#include "demo.h"

#define UART ((volatile uint8_t *)0x10000000UL)
#define MHU_RT ((volatile uint32_t *)0x11000000UL)
#define MHU_MGMT ((volatile uint32_t *)0x11001000UL)
#define TEST_FINISHER ((volatile uint32_t *)0x100000UL)

static volatile char hart1_reply[MSG_BYTES];
static volatile int hart1_done;

static void hart1(void)
{
	set_msg(SLOT(SLOT_APP_TO_MGMT), "ping from app hart 1");
	ring(MHU_MGMT, SIDE_B);
	while (!doorbell(MHU_MGMT, SIDE_A))
		;
	answer(MHU_MGMT, SIDE_A);
	copy_msg(hart1_reply, SLOT(SLOT_MGMT_TO_APP));
	hart1_done = 1;
	for (;;)
		__asm__ volatile("wfi");
}

void main(unsigned long hartid);
void main(unsigned long hartid)
{
	if (hartid != 0)
		hart1();

	uart_puts(UART, "app: two RV64 harts at 200 MHz; hart 0 pings the rt cluster, hart 1 the mgmt core\n");
	set_msg(SLOT(SLOT_APP_TO_RT), "ping from app hart 0");
	ring(MHU_RT, SIDE_B);
	while (!doorbell(MHU_RT, SIDE_A))
		;
	answer(MHU_RT, SIDE_A);
	uart_puts(UART, "app: rt answered: ");
	uart_puts(UART, SLOT(SLOT_RT_TO_APP));
	uart_puts(UART, "\n");

	while (!hart1_done)
		;
	uart_puts(UART, "app: mgmt answered hart 1: ");
	uart_puts(UART, hart1_reply);
	uart_puts(UART, "\n");

	while (!STATUS[STATUS_RT_MGMT_DONE])
		;
	uart_puts(UART, "app: rt and mgmt have talked too: every pair of clusters has exchanged messages\n");
	uart_puts(UART, "app: done, powering off\n");
	*TEST_FINISHER = 0x5555;
	for (;;)
		;
}
