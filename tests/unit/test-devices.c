/* The first device models, driven through the address space of a machine built from
 * tests/data/devices.dts: memories, ns16550a, sifive,test, syscon-poweroff/reboot,
 * unmodelled and disabled nodes. */
#include "core/irq.h"
#include "tests/unit/device-harness.h"

#include <string.h>

static void setup(SocTestMachine *f, gconstpointer data)
{
	soc_tm_init(f);
	soc_tm_add_uart(f, "uart0", data);
	soc_tm_build(f, "devices");
}

#define U0 0x10000000
enum { RBR = 0, THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

static void test_memories(SocTestMachine *f, gconstpointer data)
{
	uint64_t v;
	soc_tm_wr(f, 0x80000000, 8, 0x1122334455667788ULL);
	g_assert_cmphex(soc_tm_rd(f, 0x80000004, 4), ==, 0x11223344);
	soc_tm_wr(f, 0x90000ffc, 4, 0xabcd);          /* the memory node's second reg entry */
	g_assert_cmphex(soc_tm_rd(f, 0x90000ffc, 4), ==, 0xabcd);
	soc_tm_wr(f, 0x40001ff8, 8, 7);                /* mmio-sram */
	g_assert_cmphex(soc_tm_rd(f, 0x40001ff8, 8), ==, 7);
	g_assert_cmpint(soc_as_write(f->as, 0x10, 4, 1, NULL), ==, SOC_MEM_READ_ONLY);   /* ROM */
	g_assert_cmpint(soc_as_read(f->as, 0x90001000, 4, &v, NULL), ==, SOC_MEM_UNMAPPED);
}

static void test_uart_transmit(SocTestMachine *f, gconstpointer data)
{
	g_autofree char *out = NULL;
	g_assert_cmphex(soc_tm_rd(f, U0 + LSR, 1), ==, 0x60); /* THR empty, transmitter empty */
	for (const char *p = "hello\n"; *p; p++)
		soc_tm_wr(f, U0 + THR, 1, (uint8_t)*p);
	g_assert_cmphex(soc_tm_rd(f, U0 + LSR, 1) & 0x60, ==, 0x60);
	/* Divisor latch: DLL/DLM are visible only with LCR.DLAB. */
	soc_tm_wr(f, U0 + LCR, 1, 0x83);
	soc_tm_wr(f, U0 + 0, 1, 0x0c);
	soc_tm_wr(f, U0 + 1, 1, 0x01);
	g_assert_cmphex(soc_tm_rd(f, U0 + 0, 1), ==, 0x0c);
	g_assert_cmphex(soc_tm_rd(f, U0 + 1, 1), ==, 0x01);
	soc_tm_wr(f, U0 + LCR, 1, 0x03);
	g_assert_cmphex(soc_tm_rd(f, U0 + IER, 1), ==, 0);
	soc_tm_wr(f, U0 + SCR, 1, 0x5a);
	g_assert_cmphex(soc_tm_rd(f, U0 + SCR, 1), ==, 0x5a);
	out = soc_tm_uart_output(f, 0);                   /* frees the machine: the backend flushes */
	g_assert_cmpstr(out, ==, "hello\n");
}

static void test_uart_thre_interrupt(SocTestMachine *f, gconstpointer data)
{
	SocDevice *dev = soc_machine_find_device(f->m, "/serial@10000000");
	g_assert_nonnull(dev);
	g_assert_cmphex(soc_tm_rd(f, U0 + IIR, 1), ==, 0x01);    /* nothing pending */
	soc_tm_wr(f, U0 + IER, 1, 0x02);                          /* enable THR empty */
	g_assert_cmpint(soc_irq_level(dev->irq_out[0]), ==, 1);
	g_assert_cmphex(soc_tm_rd(f, U0 + IIR, 1), ==, 0x02);    /* reading IIR acknowledges it */
	g_assert_cmpint(soc_irq_level(dev->irq_out[0]), ==, 0);
	g_assert_cmphex(soc_tm_rd(f, U0 + IIR, 1), ==, 0x01);
	soc_tm_wr(f, U0 + THR, 1, 'x');                            /* THR empties again: re-raised */
	g_assert_cmpint(soc_irq_level(dev->irq_out[0]), ==, 1);
	soc_tm_wr(f, U0 + IER, 1, 0);
	g_assert_cmpint(soc_irq_level(dev->irq_out[0]), ==, 0);
}

static void test_uart_loopback_and_overrun(SocTestMachine *f, gconstpointer data)
{
	SocDevice *dev = soc_machine_find_device(f->m, "/serial@10000000");
	soc_tm_wr(f, U0 + MCR, 1, 0x10 | 0x02 | 0x01);            /* loopback, RTS, DTR */
	g_assert_cmphex(soc_tm_rd(f, U0 + MSR, 1) & 0x30, ==, 0x30); /* CTS, DSR follow RTS, DTR */
	soc_tm_wr(f, U0 + IER, 1, 0x05);                          /* rx data + line status */
	soc_tm_wr(f, U0 + THR, 1, 'a');
	g_assert_cmphex(soc_tm_rd(f, U0 + LSR, 1) & 0x01, ==, 0x01);
	g_assert_cmpint(soc_irq_level(dev->irq_out[0]), ==, 1);
	g_assert_cmphex(soc_tm_rd(f, U0 + IIR, 1), ==, 0x04);
	soc_tm_wr(f, U0 + THR, 1, 'b');                           /* no FIFO: one byte holds, one is lost */
	g_assert_cmphex(soc_tm_rd(f, U0 + IIR, 1), ==, 0x06);    /* overrun outranks data */
	g_assert_cmphex(soc_tm_rd(f, U0 + LSR, 1) & 0x03, ==, 0x03);
	g_assert_cmphex(soc_tm_rd(f, U0 + LSR, 1) & 0x02, ==, 0x00); /* reading LSR clears OE */
	g_assert_cmphex(soc_tm_rd(f, U0 + RBR, 1), ==, 'a');
	g_assert_cmphex(soc_tm_rd(f, U0 + LSR, 1) & 0x01, ==, 0);
	g_assert_cmpint(soc_irq_level(dev->irq_out[0]), ==, 0);
	/* With FIFOs on, 16 bytes fit and the trigger level decides RDA vs timeout. */
	soc_tm_wr(f, U0 + FCR, 1, 0x07 | 0x80);                   /* enable, clear, trigger 8 */
	for (int i = 0; i < 3; i++)
		soc_tm_wr(f, U0 + THR, 1, (uint64_t)('0' + i));
	g_assert_cmphex(soc_tm_rd(f, U0 + IIR, 1), ==, 0xcc);    /* FIFO on | timeout */
	for (int i = 3; i < 16; i++)
		soc_tm_wr(f, U0 + THR, 1, (uint64_t)('0' + i));
	g_assert_cmphex(soc_tm_rd(f, U0 + IIR, 1), ==, 0xc4);
	for (int i = 0; i < 16; i++)
		g_assert_cmphex(soc_tm_rd(f, U0 + RBR, 1), ==, (uint64_t)('0' + i));
	g_assert_cmphex(soc_tm_rd(f, U0 + IIR, 1), ==, 0xc1);
}

static void test_uart_receive(SocTestMachine *f, gconstpointer data)
{
	GString *got = g_string_new(NULL);
	soc_tm_wr(f, U0 + FCR, 1, 0x07);
	/* Input arrives only when the host context runs (between quanta), up to FIFO space. */
	g_assert_cmphex(soc_tm_rd(f, U0 + LSR, 1) & 0x01, ==, 0);
	for (int round = 0; round < 100 && got->len < 40; round++) {
		soc_tm_pump(f);
		while (soc_tm_rd(f, U0 + LSR, 1) & 0x01)
			g_string_append_c(got, (char)soc_tm_rd(f, U0 + RBR, 1));
	}
	g_assert_cmpstr(got->str, ==, data);
	g_assert_cmphex(soc_tm_rd(f, U0 + LSR, 1) & 0x02, ==, 0); /* back-pressure: no overrun */
	g_string_free(got, TRUE);
}

static void test_uart_reg_shift(SocTestMachine *f, gconstpointer data)
{
	uint64_t v;
	soc_tm_wr(f, 0x10001000 + 7 * 4, 4, 0x77);                 /* SCR at 7 << 2 */
	g_assert_cmphex(soc_tm_rd(f, 0x10001000 + 7 * 4, 4), ==, 0x77);
	g_assert_cmpint(soc_as_read(f->as, 0x10001000 + 8 * 4, 4, &v, NULL), ==, SOC_MEM_OK);
	g_assert_true(soc_tm_log_has(f, "/serial@10001000: access at offset 0x20 beyond the registers"));
}

static void test_sifive_test(SocTestMachine *f, gconstpointer data)
{
	SocShutdownKind kind;
	int status;
	const char *why;
	g_assert_false(soc_machine_shutdown_requested(f->m, NULL, NULL, NULL));
	soc_tm_wr(f, 0x100000, 4, 0x1234);                        /* unknown command: guest error */
	g_assert_false(soc_machine_shutdown_requested(f->m, NULL, NULL, NULL));
	soc_tm_wr(f, 0x100000, 4, (42 << 16) | 0x3333);
	g_assert_true(soc_machine_shutdown_requested(f->m, &kind, &status, &why));
	g_assert_cmpint(kind, ==, SOC_SHUTDOWN_EXIT);
	g_assert_cmpint(status, ==, 42);
	g_assert_nonnull(strstr(why, "fail, code 42"));
	soc_tm_wr(f, 0x100000, 4, 0x5555);                        /* the first request wins */
	g_assert_true(soc_machine_shutdown_requested(f->m, &kind, &status, NULL));
	g_assert_cmpint(status, ==, 42);
	soc_machine_clear_shutdown(f->m);
	soc_tm_wr(f, 0x100000, 4, 0x5555);
	g_assert_true(soc_machine_shutdown_requested(f->m, &kind, &status, NULL));
	g_assert_cmpint(status, ==, 0);
	soc_machine_clear_shutdown(f->m);
	soc_tm_wr(f, 0x100000, 4, 0x7777);
	g_assert_true(soc_machine_shutdown_requested(f->m, &kind, NULL, NULL));
	g_assert_cmpint(kind, ==, SOC_SHUTDOWN_RESET);
	g_assert_true(soc_tm_log_has(f, "unknown command 0x1234"));
}

static void test_syscon_power(SocTestMachine *f, gconstpointer data)
{
	SocShutdownKind kind;
	int status;
	soc_tm_wr(f, 0x200010, 4, 0x5554);                        /* wrong value */
	g_assert_false(soc_machine_shutdown_requested(f->m, NULL, NULL, NULL));
	g_assert_cmphex(soc_tm_rd(f, 0x200010, 4), ==, 0x5554);   /* the syscon keeps it */
	soc_tm_wr(f, 0x200014, 4, 0x2);                           /* reboot: mask 1, bit clear */
	g_assert_false(soc_machine_shutdown_requested(f->m, NULL, NULL, NULL));
	soc_tm_wr(f, 0x200014, 4, 0x3);
	g_assert_true(soc_machine_shutdown_requested(f->m, &kind, NULL, NULL));
	g_assert_cmpint(kind, ==, SOC_SHUTDOWN_RESET);
	soc_machine_clear_shutdown(f->m);
	soc_tm_wr(f, 0x200010, 4, 0x5555);
	g_assert_true(soc_machine_shutdown_requested(f->m, &kind, &status, NULL));
	g_assert_cmpint(kind, ==, SOC_SHUTDOWN_EXIT);
	g_assert_cmpint(status, ==, 0);
	/* Reset clears the syscon's registers. */
	soc_machine_reset(f->m);
	g_assert_cmphex(soc_tm_rd(f, 0x200010, 4), ==, 0);
}

static void test_unmodelled_and_disabled(SocTestMachine *f, gconstpointer data)
{
	uint64_t v;
	g_assert_cmphex(soc_tm_rd(f, 0x300004, 4), ==, 0);
	g_assert_true(soc_tm_log_has(f, "/gpio@300000: 4-byte read at offset 0x4 of an unmodelled node"));
	g_assert_null(soc_machine_find_device(f->m, "/gone@400000"));
	g_assert_cmpint(soc_as_read(f->as, 0x400000, 4, &v, NULL), ==, SOC_MEM_UNMAPPED);
}

static void test_mhu(SocTestMachine *f, gconstpointer data)
{
	SocDevice *dev = soc_machine_find_device(f->m, "/mhu@500000");
	const uint64_t base = 0x500000;
	g_assert_nonnull(dev);
	g_assert_cmpuint(dev->n_irq_out, ==, 6);
	soc_tm_wr(f, base + 0x008, 4, 0x5);                     /* low-priority channel, side A: set */
	g_assert_cmphex(soc_tm_rd(f, base + 0x000, 4), ==, 0x5);
	g_assert_cmpint(soc_irq_level(dev->irq_out[0]), ==, 1);
	g_assert_cmpint(soc_irq_level(dev->irq_out[3]), ==, 0);  /* the other side is quiet */
	soc_tm_wr(f, base + 0x010, 4, 0x1);
	g_assert_cmphex(soc_tm_rd(f, base + 0x000, 4), ==, 0x4);
	g_assert_cmpint(soc_irq_level(dev->irq_out[0]), ==, 1);
	soc_tm_wr(f, base + 0x010, 4, 0x4);
	g_assert_cmpint(soc_irq_level(dev->irq_out[0]), ==, 0);
	soc_tm_wr(f, base + 0x128, 4, 0x80000000);              /* high-priority channel, side B */
	g_assert_cmphex(soc_tm_rd(f, base + 0x120, 4), ==, 0x80000000);
	g_assert_cmpint(soc_irq_level(dev->irq_out[4]), ==, 1);
	soc_tm_wr(f, base + 0x308, 4, 1);                       /* secure channel, side B */
	g_assert_cmpint(soc_irq_level(dev->irq_out[5]), ==, 1);
	soc_machine_reset(f->m);
	g_assert_cmpint(soc_irq_level(dev->irq_out[4]), ==, 0);
	g_assert_cmphex(soc_tm_rd(f, base + 0x008, 4), ==, 0); /* write-only: guest error, reads 0 */
	soc_tm_wr(f, base + 0x040, 4, 1);                       /* a hole */
	g_assert_true(soc_tm_log_has(f, "/mhu@500000: read of write-only SET register at offset 0x8"));
	g_assert_true(soc_tm_log_has(f, "/mhu@500000: write to unknown register at offset 0x40"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define FT(name, fn, data) g_test_add("/devices/" name, SocTestMachine, data, setup, fn, soc_tm_teardown)
	FT("memories", test_memories, NULL);
	FT("uart-transmit", test_uart_transmit, NULL);
	FT("uart-thre-interrupt", test_uart_thre_interrupt, NULL);
	FT("uart-loopback-and-overrun", test_uart_loopback_and_overrun, NULL);
	FT("uart-receive", test_uart_receive, "The quick brown fox jumps over the lazy dog");
	FT("uart-reg-shift", test_uart_reg_shift, NULL);
	FT("sifive-test", test_sifive_test, NULL);
	FT("syscon-power", test_syscon_power, NULL);
	FT("unmodelled-and-disabled", test_unmodelled_and_disabled, NULL);
	FT("mhu", test_mhu, NULL);
	return g_test_run();
}
