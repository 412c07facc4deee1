/* demo.h — what the three demo programs share: the shared SRAM's layout and the MHU
 * doorbells (dts/boards/demo.dts). Each program defines SHARED_BASE and its mailboxes'
 * addresses for its own cluster's view before including this file. */
#ifndef DEMO_H
#define DEMO_H

#include <stdint.h>

#define MSG_BYTES 64

/* Slots of the shared SRAM, by direction. */
enum {
	SLOT_APP_TO_RT, SLOT_RT_TO_APP, SLOT_APP_TO_MGMT, SLOT_MGMT_TO_APP,
	SLOT_RT_TO_MGMT, SLOT_MGMT_TO_RT, SLOT_STATUS,
};
#define SLOT(n) ((volatile char *)(SHARED_BASE + (n) * MSG_BYTES))
#define STATUS ((volatile uint32_t *)SLOT(SLOT_STATUS))
enum { STATUS_RT_MGMT_DONE = 0, STATUS_APP_MGMT_DONE = 1 };

/* MHU v1, low-priority channel: side A's word at 0x000, side B's at 0x100. */
#define MHU_STAT(side) (0x000 / 4 + (side) * 0x100 / 4)
#define MHU_SET(side) (0x008 / 4 + (side) * 0x100 / 4)
#define MHU_CLEAR(side) (0x010 / 4 + (side) * 0x100 / 4)
enum { SIDE_A = 0, SIDE_B = 1 };

static inline void copy_msg(volatile char *to, const volatile char *from)
{
	for (int i = 0; i < MSG_BYTES; i++) {
		to[i] = from[i];
		if (!from[i])
			break;
	}
}

/* Ring the other side's doorbell, after the message is in place. */
static inline void ring(volatile uint32_t *mhu, int side)
{
	mhu[MHU_SET(side)] = 1;
}

static inline int doorbell(volatile uint32_t *mhu, int side)
{
	return mhu[MHU_STAT(side)] & 1;
}

static inline void answer(volatile uint32_t *mhu, int side)
{
	mhu[MHU_CLEAR(side)] = 1;
}

/* A tiny console on a 16550A: enough for the demo's messages. */
static inline void uart_putc(volatile uint8_t *uart, char c)
{
	while (!(uart[5] & 0x20))
		;
	uart[0] = (uint8_t)c;
}

static inline void uart_puts(volatile uint8_t *uart, const volatile char *s)
{
	while (*s)
		uart_putc(uart, *s++);
}

static inline void uart_putu(volatile uint8_t *uart, unsigned long v)
{
	char buf[24];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		uart_putc(uart, buf[--n]);
}

static inline void set_msg(volatile char *to, const char *s)
{
	int i = 0;
	for (; s[i] && i < MSG_BYTES - 1; i++)
		to[i] = s[i];
	to[i] = 0;
}

#endif
