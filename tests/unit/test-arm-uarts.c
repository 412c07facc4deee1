/* The Arm UART models (devices/arm-pl011.c, devices/arm-cmsdk-uart.c), driven through the
 * address space of a machine built from tests/data/arm-uarts.dts, with each UART on a file
 * backend whose input is given per test. */
#include "tests/unit/device-harness.h"

#include <string.h>

#define PL011_PATH "/serial@10000000"
#define CMSDK_PATH "/uart@40004000"
#define PL 0x10000000
#define CM 0x40004000

enum {
	DR = 0x000, RSR = 0x004, FR = 0x018, ILPR = 0x020, IBRD = 0x024, FBRD = 0x028, LCR_H = 0x02c,
	CR = 0x030, IFLS = 0x034, IMSC = 0x038, RIS = 0x03c, MIS = 0x040, ICR = 0x044, DMACR = 0x048,
};
enum { FR_CTS = 1, FR_DSR = 2, FR_DCD = 4, FR_BUSY = 8, FR_RXFE = 0x10, FR_TXFF = 0x20, FR_RXFF = 0x40,
       FR_TXFE = 0x80, FR_RI = 0x100 };
enum { I_RX = 0x10, I_TX = 0x20, I_RT = 0x40, I_OE = 0x400 };
enum { DATA = 0x000, STATE = 0x004, CTRL = 0x008, INTSTATUS = 0x00c, BAUDDIV = 0x010 };

/* data: the input both UARTs read, or NULL for none. */
static void setup(SocTestMachine *f, gconstpointer data)
{
	soc_tm_init(f);
	soc_tm_add_uart(f, PL011_PATH, data);          /* UART 0 */
	soc_tm_add_uart(f, CMSDK_PATH, data);          /* UART 1 */
	soc_tm_build(f, "arm-uarts");
}

/* ---- PL011 ----------------------------------------------------------------------------------- */

static void test_pl011_reset_and_ids(SocTestMachine *f, gconstpointer data)
{
	static const uint8_t ids[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	for (unsigned i = 0; i < 8; i++)
		g_assert_cmphex(soc_tm_rd(f, PL + 0xfe0 + 4 * i, 4), ==, ids[i]);
	g_assert_cmphex(soc_tm_rd(f, PL + FR, 4), ==, FR_TXFE | FR_RXFE);
	g_assert_cmphex(soc_tm_rd(f, PL + CR, 4), ==, 0x300);
	g_assert_cmphex(soc_tm_rd(f, PL + IFLS, 4), ==, 0x12);
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4), ==, I_TX); /* the empty TX FIFO is below its level */
	g_assert_cmphex(soc_tm_rd(f, PL + MIS, 4), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, PL011_PATH, 0), ==, 0);
	/* Registers keep their widths. */
	soc_tm_wr(f, PL + IBRD, 4, 0x12345);
	soc_tm_wr(f, PL + FBRD, 4, 0xff);
	soc_tm_wr(f, PL + ILPR, 4, 0x1ff);
	soc_tm_wr(f, PL + LCR_H, 4, 0x1ff);
	g_assert_cmphex(soc_tm_rd(f, PL + IBRD, 4), ==, 0x2345);
	g_assert_cmphex(soc_tm_rd(f, PL + FBRD, 4), ==, 0x3f);
	g_assert_cmphex(soc_tm_rd(f, PL + ILPR, 4), ==, 0xff);
	g_assert_cmphex(soc_tm_rd(f, PL + LCR_H, 4), ==, 0xff);
	g_assert_cmphex(soc_tm_rd(f, PL + LCR_H, 1), ==, 0xff); /* byte read of a word register */
}

static void test_pl011_transmit(SocTestMachine *f, gconstpointer data)
{
	g_autofree char *out = NULL;
	unsigned errors = soc_log_guest_error_count(f->log);

	soc_tm_wr(f, PL + CR, 4, 0x301);                /* UARTEN, TXE, RXE */
	soc_tm_wr(f, PL + ICR, 4, 0x7ff);
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4), ==, 0);
	soc_tm_wr(f, PL + IMSC, 4, I_TX);
	for (const char *p = "pl011\n"; *p; p++)
		soc_tm_wr(f, PL + DR, 4, (uint8_t)*p);
	g_assert_cmphex(soc_tm_rd(f, PL + FR, 4) & (FR_TXFE | FR_TXFF | FR_BUSY), ==, FR_TXFE);
	g_assert_cmphex(soc_tm_rd(f, PL + MIS, 4), ==, I_TX);
	g_assert_cmpint(soc_tm_irq_level(f, PL011_PATH, 0), ==, 1);
	soc_tm_wr(f, PL + ICR, 4, I_TX);
	g_assert_cmpint(soc_tm_irq_level(f, PL011_PATH, 0), ==, 0);
	g_assert_cmpuint(soc_log_guest_error_count(f->log), ==, errors);
	/* Disabled: sent anyway, said once. */
	soc_tm_wr(f, PL + CR, 4, 0x300);
	soc_tm_wr(f, PL + DR, 1, 'x');
	soc_tm_wr(f, PL + DR, 1, 'y');
	g_assert_cmpuint(soc_log_guest_error_count(f->log), ==, errors + 1);
	g_assert_true(soc_tm_log_has(f, PL011_PATH ": write to DR with UARTEN or TXE clear"));
	out = soc_tm_uart_output(f, 0);
	g_assert_cmpstr(out, ==, "pl011\nxy");
}

static void test_pl011_loopback(SocTestMachine *f, gconstpointer data)
{
	g_autofree char *out = NULL;

	soc_tm_wr(f, PL + LCR_H, 4, 0x70);              /* FEN, 8 bits */
	soc_tm_wr(f, PL + CR, 4, 0x381 | 0x800 | 0x400); /* LBE, RTS, DTR */
	g_assert_cmphex(soc_tm_rd(f, PL + FR, 4) & (FR_CTS | FR_DSR | FR_DCD | FR_RI), ==, FR_CTS | FR_DSR);
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4) & 0xf, ==, 0x2 | 0x8); /* CTS and DSR changed */
	for (unsigned i = 0; i < 40; i++)
		soc_tm_wr(f, PL + DR, 4, 'a' + i % 26);
	/* 32 kept, 8 lost: overrun. */
	g_assert_cmphex(soc_tm_rd(f, PL + FR, 4) & (FR_RXFF | FR_RXFE), ==, FR_RXFF);
	g_assert_cmphex(soc_tm_rd(f, PL + RSR, 4), ==, 0x8);
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4) & I_OE, ==, I_OE);
	for (unsigned i = 0; i < 32; i++)
		g_assert_cmphex(soc_tm_rd(f, PL + DR, 4), ==, 'a' + i % 26);
	g_assert_cmphex(soc_tm_rd(f, PL + FR, 4) & FR_RXFE, ==, FR_RXFE);
	g_assert_cmphex(soc_tm_rd(f, PL + DR, 4), ==, 0);
	/* The next character after an overrun carries OE in DR. */
	soc_tm_wr(f, PL + DR, 4, 'Z');
	g_assert_cmphex(soc_tm_rd(f, PL + DR, 4), ==, 0x800 | 'Z');
	g_assert_cmphex(soc_tm_rd(f, PL + RSR, 4), ==, 0x8);
	soc_tm_wr(f, PL + RSR, 4, 0);                    /* ECR */
	g_assert_cmphex(soc_tm_rd(f, PL + RSR, 4), ==, 0);
	soc_tm_wr(f, PL + ICR, 4, I_OE);
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4) & I_OE, ==, 0);
	/* Nothing reached the backend. */
	out = soc_tm_uart_output(f, 0);
	g_assert_cmpstr(out, ==, "");
}

static void test_pl011_fifo_levels(SocTestMachine *f, gconstpointer data)
{
	soc_tm_wr(f, PL + LCR_H, 4, 0x70);
	soc_tm_wr(f, PL + CR, 4, 0x381);                /* loopback feeds the FIFO */
	soc_tm_wr(f, PL + ICR, 4, 0x7ff);
	soc_tm_wr(f, PL + IMSC, 4, I_RX | I_RT);
	/* IFLS RX 1/2 = 16 characters. */
	soc_tm_wr(f, PL + DR, 4, '0');
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4) & (I_RX | I_RT), ==, I_RT); /* below the level */
	g_assert_cmpint(soc_tm_irq_level(f, PL011_PATH, 0), ==, 1);
	for (unsigned i = 1; i < 15; i++)
		soc_tm_wr(f, PL + DR, 4, '0');
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4) & (I_RX | I_RT), ==, I_RT); /* 15 */
	soc_tm_wr(f, PL + DR, 4, '0');
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4) & (I_RX | I_RT), ==, I_RX); /* 16 */
	g_assert_cmphex(soc_tm_rd(f, PL + MIS, 4), ==, I_RX);
	/* RX 1/8 = 4, RX 7/8 = 28. */
	soc_tm_wr(f, PL + IFLS, 4, 0x00);
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4) & I_RX, ==, I_RX);
	soc_tm_wr(f, PL + IFLS, 4, 4 << 3);
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4) & (I_RX | I_RT), ==, I_RT);
	/* Masked: the line follows MIS. */
	soc_tm_wr(f, PL + IMSC, 4, 0);
	g_assert_cmpint(soc_tm_irq_level(f, PL011_PATH, 0), ==, 0);
	soc_tm_wr(f, PL + IMSC, 4, I_RT);
	g_assert_cmpint(soc_tm_irq_level(f, PL011_PATH, 0), ==, 1);
	/* Draining empties every receive source. */
	while (!(soc_tm_rd(f, PL + FR, 4) & FR_RXFE))
		soc_tm_rd(f, PL + DR, 4);
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4) & (I_RX | I_RT), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, PL011_PATH, 0), ==, 0);
	/* FIFOs off: one character fills the holding register and meets the level. */
	soc_tm_wr(f, PL + LCR_H, 4, 0x60);
	soc_tm_wr(f, PL + DR, 4, 'a');
	soc_tm_wr(f, PL + DR, 4, 'b');
	g_assert_cmphex(soc_tm_rd(f, PL + FR, 4) & (FR_RXFF | FR_RXFE), ==, FR_RXFF);
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4) & (I_RX | I_RT | I_OE), ==, I_RX | I_OE);
	g_assert_cmphex(soc_tm_rd(f, PL + DR, 4), ==, 'a');
	/* Turning the FIFOs on empties them; TX is raised again (the empty FIFO meets its level). */
	soc_tm_wr(f, PL + DR, 4, 'c');
	soc_tm_wr(f, PL + ICR, 4, 0x7ff);
	soc_tm_wr(f, PL + LCR_H, 4, 0x70);
	g_assert_cmphex(soc_tm_rd(f, PL + FR, 4) & FR_RXFE, ==, FR_RXFE);
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4), ==, I_TX);
	/* A reserved level is a guest error. */
	soc_tm_wr(f, PL + IFLS, 4, 0x3f);
	g_assert_true(soc_tm_log_has(f, PL011_PATH ": IFLS 0x3f selects a reserved level"));
}

static void test_pl011_receive(SocTestMachine *f, gconstpointer data)
{
	const char *input = data;
	GString *got = g_string_new(NULL);

	/* UARTEN clear: the backend keeps the input. */
	soc_tm_pump(f);
	g_assert_cmphex(soc_tm_rd(f, PL + FR, 4) & FR_RXFE, ==, FR_RXFE);
	/* FIFOs off: one character at a time. */
	soc_tm_wr(f, PL + CR, 4, 0x301);
	soc_tm_wr(f, PL + IMSC, 4, I_RX | I_RT);
	soc_tm_pump(f);
	g_assert_cmphex(soc_tm_rd(f, PL + FR, 4) & (FR_RXFF | FR_RXFE), ==, FR_RXFF);
	g_assert_cmpint(soc_tm_irq_level(f, PL011_PATH, 0), ==, 1);
	g_string_append_c(got, (char)soc_tm_rd(f, PL + DR, 4));
	g_assert_cmpint(soc_tm_irq_level(f, PL011_PATH, 0), ==, 0);
	/* FIFOs on: up to 32 at a time, never an overrun. */
	soc_tm_wr(f, PL + LCR_H, 4, 0x70);
	soc_tm_pump(f);
	g_assert_cmphex(soc_tm_rd(f, PL + FR, 4) & FR_RXFF, ==, FR_RXFF);
	for (int round = 0; round < 100 && got->len < strlen(input); round++) {
		soc_tm_pump(f);
		while (!(soc_tm_rd(f, PL + FR, 4) & FR_RXFE)) {
			uint32_t v = (uint32_t)soc_tm_rd(f, PL + DR, 4);
			g_assert_cmphex(v & 0xf00, ==, 0);
			g_string_append_c(got, (char)v);
		}
	}
	g_assert_cmpstr(got->str, ==, input);
	g_assert_cmphex(soc_tm_rd(f, PL + RSR, 4), ==, 0);
	g_assert_cmphex(soc_tm_rd(f, PL + RIS, 4) & (I_RX | I_RT | I_OE), ==, 0);
	g_string_free(got, TRUE);
}

static void test_pl011_bad_accesses(SocTestMachine *f, gconstpointer data)
{
	static const uint64_t holes[] = { 0x008, 0x014, 0x01c, 0x04c, 0x800, 0xfdc };
	unsigned before = soc_log_guest_error_count(f->log);
	uint64_t v = 1;

	for (unsigned i = 0; i < G_N_ELEMENTS(holes); i++) {
		g_assert_cmphex(soc_tm_rd(f, PL + holes[i], 4), ==, 0);
		soc_tm_wr(f, PL + holes[i], 4, 0xffffffff);
	}
	g_assert_cmpint(soc_as_read(f->as, PL + 0x2, 2, &v, NULL), ==, SOC_MEM_OK);
	g_assert_cmphex(v, ==, 0);
	soc_tm_wr(f, PL + FR, 4, 0);
	soc_tm_wr(f, PL + RIS, 4, 0);
	soc_tm_wr(f, PL + 0xfe0, 4, 0);
	g_assert_cmpuint(soc_log_guest_error_count(f->log), ==, before + 2 * G_N_ELEMENTS(holes) + 4);
	g_assert_true(soc_tm_log_has(f, PL011_PATH ": read at offset 0x4c: no register there"));
	g_assert_true(soc_tm_log_has(f, PL011_PATH ": write of 0xffffffff at offset 0x800: no register there"));
	g_assert_true(soc_tm_log_has(f, PL011_PATH ": read at offset 0x2 is not on a register"));
	g_assert_true(soc_tm_log_has(f, PL011_PATH ": write of 0x0 to read-only register FR"));
	g_assert_true(soc_tm_log_has(f, "read-only identification register at offset 0xfe0"));
	/* DMA is reported once as not modelled, and kept. */
	soc_tm_wr(f, PL + DMACR, 4, 0xff);
	g_assert_cmphex(soc_tm_rd(f, PL + DMACR, 4), ==, 7);
	g_assert_true(soc_tm_log_has(f, "DMA requests (DMACR 0x7) are not modelled"));
}

/* ---- CMSDK APB UART -------------------------------------------------------------------------- */

static void test_cmsdk_reset_and_ids(SocTestMachine *f, gconstpointer data)
{
	static const uint8_t ids[12] = { 0x04, 0, 0, 0, 0x21, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	for (unsigned i = 0; i < 12; i++)
		g_assert_cmphex(soc_tm_rd(f, CM + 0xfd0 + 4 * i, 4), ==, ids[i]);
	g_assert_cmphex(soc_tm_rd(f, CM + STATE, 4), ==, 0);
	g_assert_cmphex(soc_tm_rd(f, CM + CTRL, 4), ==, 0);
	g_assert_cmphex(soc_tm_rd(f, CM + INTSTATUS, 4), ==, 0);
	soc_tm_wr(f, CM + BAUDDIV, 4, 0xfffffff);
	g_assert_cmphex(soc_tm_rd(f, CM + BAUDDIV, 4), ==, 0xfffff);
	soc_tm_wr(f, CM + CTRL, 4, 0xff);
	g_assert_cmphex(soc_tm_rd(f, CM + CTRL, 4), ==, 0x7f);
	for (unsigned i = 0; i < 5; i++)
		g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, i), ==, 0);
}

static void test_cmsdk_transmit(SocTestMachine *f, gconstpointer data)
{
	g_autofree char *out = NULL;

	soc_tm_wr(f, CM + BAUDDIV, 4, 217);
	/* TX disabled: the byte waits in the buffer, a second one overruns. */
	soc_tm_wr(f, CM + DATA, 4, 'A');
	g_assert_cmphex(soc_tm_rd(f, CM + STATE, 4), ==, 0x1);
	soc_tm_wr(f, CM + DATA, 4, 'B');
	g_assert_cmphex(soc_tm_rd(f, CM + STATE, 4), ==, 0x5);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 2), ==, 0); /* TX overrun irq not enabled */
	soc_tm_wr(f, CM + CTRL, 4, 0x10);                      /* TX overrun irq on */
	g_assert_cmphex(soc_tm_rd(f, CM + INTSTATUS, 4), ==, 0x4);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 2), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 4), ==, 1);
	soc_tm_wr(f, CM + INTSTATUS, 4, 0x4);                  /* INTCLEAR clears STATE too */
	g_assert_cmphex(soc_tm_rd(f, CM + STATE, 4), ==, 0x1);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 2), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 4), ==, 0);
	/* Enabling TX (with its irq) sends the waiting byte: the buffer empties, TX fires. */
	soc_tm_wr(f, CM + CTRL, 4, 0x05);
	g_assert_cmphex(soc_tm_rd(f, CM + STATE, 4), ==, 0);
	g_assert_cmphex(soc_tm_rd(f, CM + INTSTATUS, 4), ==, 0x1);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 0), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 1), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 4), ==, 1);
	soc_tm_wr(f, CM + INTSTATUS, 4, 0x1);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 0), ==, 0);
	for (const char *p = "cmsdk\n"; *p; p++) {
		soc_tm_wr(f, CM + DATA, 4, (uint8_t)*p);
		g_assert_cmphex(soc_tm_rd(f, CM + STATE, 4), ==, 0); /* never full: immediate */
	}
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 0), ==, 1);
	/* Enabling the TX irq with an empty buffer raises nothing, as on the real part. */
	soc_tm_wr(f, CM + INTSTATUS, 4, 0xf);
	soc_tm_wr(f, CM + CTRL, 4, 0x01);
	soc_tm_wr(f, CM + CTRL, 4, 0x05);
	g_assert_cmphex(soc_tm_rd(f, CM + INTSTATUS, 4), ==, 0);
	/* STATE's overrun bits are write-1-to-clear, its full bits read-only. */
	soc_tm_wr(f, CM + CTRL, 4, 0x00);
	soc_tm_wr(f, CM + DATA, 4, '!');
	soc_tm_wr(f, CM + DATA, 4, '?');
	soc_tm_wr(f, CM + STATE, 4, 0xf);
	g_assert_cmphex(soc_tm_rd(f, CM + STATE, 4), ==, 0x1);
	g_assert_false(soc_tm_log_has(f, "BAUDDIV"));
	soc_tm_wr(f, CM + BAUDDIV, 4, 15);
	soc_tm_wr(f, CM + CTRL, 4, 0x01);
	g_assert_true(soc_tm_log_has(f, CMSDK_PATH ": TX enabled with BAUDDIV 15 (at least 16 is needed)"));
	out = soc_tm_uart_output(f, 1);
	g_assert_cmpstr(out, ==, "Acmsdk\n!");
}

static void test_cmsdk_receive(SocTestMachine *f, gconstpointer data)
{
	const char *input = data;
	GString *got = g_string_new(NULL);

	/* RX disabled: the backend keeps the input. */
	soc_tm_pump(f);
	g_assert_cmphex(soc_tm_rd(f, CM + STATE, 4), ==, 0);
	soc_tm_wr(f, CM + CTRL, 4, 0x2a);                       /* RX, RX irq, RX overrun irq */
	soc_tm_pump(f);
	g_assert_cmphex(soc_tm_rd(f, CM + STATE, 4), ==, 0x2);
	g_assert_cmphex(soc_tm_rd(f, CM + INTSTATUS, 4), ==, 0x2);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 1), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 4), ==, 1);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 0), ==, 0);
	/* One byte at a time however long the host input waits: no overrun. */
	soc_tm_pump(f);
	g_assert_cmphex(soc_tm_rd(f, CM + STATE, 4), ==, 0x2);
	for (int round = 0; round < 200 && got->len < strlen(input); round++) {
		soc_tm_pump(f);
		if (soc_tm_rd(f, CM + STATE, 4) & 0x2) {
			g_string_append_c(got, (char)soc_tm_rd(f, CM + DATA, 4));
			soc_tm_wr(f, CM + INTSTATUS, 4, 0x2);
		}
		g_assert_cmphex(soc_tm_rd(f, CM + STATE, 4) & 0xc, ==, 0);
	}
	g_assert_cmpstr(got->str, ==, input);
	g_assert_cmphex(soc_tm_rd(f, CM + STATE, 4), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 1), ==, 0);
	g_assert_cmpint(soc_tm_irq_level(f, CMSDK_PATH, 3), ==, 0);
	g_string_free(got, TRUE);
}

static void test_cmsdk_bad_accesses(SocTestMachine *f, gconstpointer data)
{
	static const uint64_t holes[] = { 0x014, 0x100, 0xfcc };
	unsigned before = soc_log_guest_error_count(f->log);

	for (unsigned i = 0; i < G_N_ELEMENTS(holes); i++) {
		g_assert_cmphex(soc_tm_rd(f, CM + holes[i], 4), ==, 0);
		soc_tm_wr(f, CM + holes[i], 4, 0x5a);
	}
	g_assert_cmphex(soc_tm_rd(f, CM + 0x1, 1), ==, 0);
	soc_tm_wr(f, CM + 0xfe0, 4, 1);
	g_assert_cmphex(soc_tm_rd(f, CM + 0xfe0, 4), ==, 0x21);
	g_assert_cmpuint(soc_log_guest_error_count(f->log), ==, before + 2 * G_N_ELEMENTS(holes) + 2);
	g_assert_true(soc_tm_log_has(f, CMSDK_PATH ": read at offset 0x14: no register there"));
	g_assert_true(soc_tm_log_has(f, CMSDK_PATH ": write of 0x5a at offset 0xfcc: no register there"));
	g_assert_true(soc_tm_log_has(f, CMSDK_PATH ": read at offset 0x1 is not on a register"));
	g_assert_true(soc_tm_log_has(f, CMSDK_PATH ": write of 0x1 to read-only identification register"));
}

/* ---- trees ----------------------------------------------------------------------------------- */

static void test_bad_trees(void)
{
	soc_tm_expect_bad_edit("arm-uarts", PL011_PATH ":reg=<0x10000000 0x100>",
	                       PL011_PATH ": reg must cover the 4 KiB register window");
	soc_tm_expect_bad_edit("arm-uarts", CMSDK_PATH ":reg=<0x40004000 0x20>",
	                       CMSDK_PATH ": reg must cover the 4 KiB register window");
}

int main(int argc, char **argv)
{
	static const char input[] = "The quick brown fox jumps over the lazy dog, 0123456789 times.\n";
	g_test_init(&argc, &argv, NULL);
#define T(name, data, fn) g_test_add("/arm-uarts/" name, SocTestMachine, data, setup, fn, soc_tm_teardown)
	T("pl011/reset-and-ids", NULL, test_pl011_reset_and_ids);
	T("pl011/transmit", NULL, test_pl011_transmit);
	T("pl011/loopback", NULL, test_pl011_loopback);
	T("pl011/fifo-levels", NULL, test_pl011_fifo_levels);
	T("pl011/receive", input, test_pl011_receive);
	T("pl011/bad-accesses", NULL, test_pl011_bad_accesses);
	T("cmsdk/reset-and-ids", NULL, test_cmsdk_reset_and_ids);
	T("cmsdk/transmit", NULL, test_cmsdk_transmit);
	T("cmsdk/receive", input, test_cmsdk_receive);
	T("cmsdk/bad-accesses", NULL, test_cmsdk_bad_accesses);
#undef T
	g_test_add_func("/arm-uarts/bad-trees", test_bad_trees);
	return g_test_run();
}
