/* tests/firmware/riscv/plic-uart.c — an external interrupt from the console UART through the
 * PLIC to the hart (PLIC specification 1.0.0): on riscv-virt the ns16550a (source 10) in
 * loopback with its received-data interrupt, and its THR-empty interrupt; on riscv32-mcu the
 * sifive,uart0 (source 3) with its transmit watermark. Pending bits, enables, priorities
 * (0 never interrupts) and the threshold decide mip.MEIP; the trap has mcause = interrupt |
 * 11; claim returns the source and holds its gateway until complete; the registers' WARL
 * behaviour. Context 0 is hart 0's M-mode (the first entry of interrupts-extended). */
#include "rt.h"

#define PLIC_PRIO(id) (RT_PLIC + 4ul * (id))
#define PLIC_PENDING(w) (RT_PLIC + 0x1000ul + 4ul * (w))
#define PLIC_ENABLE(c, w) (RT_PLIC + 0x2000ul + 0x80ul * (c) + 4ul * (w))
#define PLIC_THRESHOLD(c) (RT_PLIC + 0x200000ul + 0x1000ul * (c))
#define PLIC_CLAIM(c) (PLIC_THRESHOLD(c) + 4)
#define SRC RT_UART_IRQ

/* ---- the UART of each board ---- */
#if XLEN == 64
enum { RBR = 0, THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
static uint8_t ur(unsigned r) { return mmio_read8(RT_UART + r); }
static void uw(unsigned r, uint8_t v) { mmio_write8(RT_UART + r, v); }
#define UART_NAME "ns16550a"

/* Raise the line: loopback, received-data interrupt, one byte sent to ourselves. */
static void uart_raise(void)
{
	uw(MCR, 0x10);
	uw(IER, 0x01);
	uw(THR, 'A');
}

static void uart_quiet(void)
{
	while (ur(LSR) & 1)
		(void)ur(RBR);
	(void)ur(IIR);      /* acknowledges THR empty */
}

static void uart_off(void)
{
	uw(IER, 0);
	uart_quiet();
	uw(MCR, 0);
}
#else
enum { TXDATA = 0x00, RXDATA = 0x04, TXCTRL = 0x08, RXCTRL = 0x0c, IE = 0x10, IP = 0x14, DIV = 0x18 };
static uint32_t ur(unsigned r) { return mmio_read32(RT_UART + r); }
static void uw(unsigned r, uint32_t v) { mmio_write32(RT_UART + r, v); }
#define UART_NAME "sifive,uart0"

/* Raise the line: the transmit FIFO (empty) is below a watermark of 1. */
static void uart_raise(void)
{
	uw(TXCTRL, 1 | 1u << 16);
	uw(IE, 1);
}

static void uart_quiet(void)
{
	uw(TXCTRL, 1);      /* watermark 0: nothing is below it */
}

static void uart_off(void)
{
	uw(IE, 0);
	uw(TXCTRL, 1);
}
#endif

static bool pending(void)
{
	return (mmio_read32(PLIC_PENDING(SRC / 32)) >> (SRC % 32)) & 1;
}

static bool meip(void)
{
	return (csr_read(mip) & MIP_MEIP) != 0;
}

static volatile uint32_t claimed[8];
static volatile unsigned n_claimed;
static volatile uint8_t received[8];
static volatile unsigned n_received;

static void external(unsigned cause)
{
	uint32_t id;

	if (cause != IRQ_MEI) {
		csr_clear(mie, 1ul << cause);
		return;
	}
	id = mmio_read32(PLIC_CLAIM(0));
	if (n_claimed < 8)
		claimed[n_claimed] = id;
	n_claimed++;
	if (id == SRC) {
#if XLEN == 64
		while ((ur(LSR) & 1) && n_received < 8)
			received[n_received++] = ur(RBR);
#endif
		uart_quiet();
	}
	if (id)
		mmio_write32(PLIC_CLAIM(0), id);
}

static void reset(void)
{
	csr_clear(mstatus, MSTATUS_MIE);
	csr_write(mie, 0);
	uart_off();
	for (uint32_t id; (id = mmio_read32(PLIC_CLAIM(0))) != 0;)
		mmio_write32(PLIC_CLAIM(0), id);
	mmio_write32(PLIC_ENABLE(0, SRC / 32), 0);
	mmio_write32(PLIC_THRESHOLD(0), 0);
	mmio_write32(PLIC_PRIO(SRC), 1);
	rt_clear();
	n_claimed = n_received = 0;
}

static void plic_registers(void)
{
	uint32_t v;
	unsigned last = RT_PLIC_NDEV / 32;

	mmio_write32(PLIC_PRIO(SRC), 7);
	v = mmio_read32(PLIC_PRIO(SRC));
	mmio_write32(PLIC_PRIO(SRC), 1);
	tap_ok(v == 7 && mmio_read32(PLIC_PRIO(SRC)) == 1, "priority of source %d holds 7 and 1", SRC);
	mmio_write32(PLIC_PRIO(0), 5);
	tap_eq(mmio_read32(PLIC_PRIO(0)), 0, "source 0 does not exist: its priority reads 0");
	mmio_write32(PLIC_ENABLE(0, 0), 0xffffffffu);
	v = mmio_read32(PLIC_ENABLE(0, 0));
	mmio_write32(PLIC_ENABLE(0, 0), 0);
	tap_eq(v & 1, 0, "the enable bit of source 0 is hardwired to 0");
	mmio_write32(PLIC_ENABLE(0, last), 0xffffffffu);
	v = mmio_read32(PLIC_ENABLE(0, last));
	mmio_write32(PLIC_ENABLE(0, last), 0);
	tap_eq(v, (uint32_t)((1ull << (RT_PLIC_NDEV % 32 + 1)) - 1) & ~(last == 0 ? 1u : 0u),
	       "enable bits above riscv,ndev (%d) read 0", RT_PLIC_NDEV);
	mmio_write32(PLIC_THRESHOLD(0), 3);
	tap_eq(mmio_read32(PLIC_THRESHOLD(0)), 3, "the threshold of context 0 holds 3");
	mmio_write32(PLIC_THRESHOLD(0), 0);
	tap_eq(mmio_read32(PLIC_CLAIM(0)), 0, "claim with nothing pending returns 0");
}

static void routing(void)
{
	uintptr_t cause;

	reset();
	uart_raise();
	tap_ok(pending(), "the " UART_NAME "'s interrupt makes source %d pending", SRC);
	tap_ok(!meip(), "not enabled for context 0: mip.MEIP clear");
	mmio_write32(PLIC_ENABLE(0, SRC / 32), 1u << (SRC % 32));
	tap_ok(meip(), "enabled, priority 1 above threshold 0: mip.MEIP set");
	mmio_write32(PLIC_THRESHOLD(0), 1);
	tap_ok(!meip(), "threshold 1 masks priority 1 (MEIP clear)");
	mmio_write32(PLIC_THRESHOLD(0), 0);
	mmio_write32(PLIC_PRIO(SRC), 0);
	tap_ok(!meip(), "priority 0 never interrupts (MEIP clear)");
	mmio_write32(PLIC_PRIO(SRC), 2);
	tap_ok(meip(), "priority 2 above threshold 0: MEIP set again");

	rt_irq_hook = external;
	csr_write(mie, MIP_MEIP);
	csr_set(mstatus, MSTATUS_MIE);
	for (volatile int i = 0; i < 20; i++)
		;
	csr_clear(mstatus, MSTATUS_MIE);
	cause = rt_last_irq.cause;
	tap_ok(rt_nirqs == 1 && cause == (RT_INTR | IRQ_MEI), "one machine external interrupt (mcause 0x%lx)",
	       (unsigned long)cause);
	tap_ok(n_claimed == 1 && claimed[0] == SRC, "the handler's claim returned source %d (%lu)", SRC,
	       (unsigned long)claimed[0]);
#if XLEN == 64
	tap_ok(n_received == 1 && received[0] == 'A', "the handler read the looped-back byte");
#else
	tap_ok(!(ur(IP) & 1), "the handler lowered the transmit watermark: ip.txwm clear");
#endif
	tap_ok(!pending() && !meip(), "after complete: nothing pending, MEIP clear");
	tap_eq(mmio_read32(PLIC_CLAIM(0)), 0, "a further claim returns 0");
	reset();
}

static void gateway(void)
{
	uint32_t id;

	reset();
	mmio_write32(PLIC_ENABLE(0, SRC / 32), 1u << (SRC % 32));
	uart_raise();
	id = mmio_read32(PLIC_CLAIM(0));
	tap_ok(id == SRC && !pending() && !meip(),
	       "claimed (by polling, MEIE clear): the pending bit and MEIP clear while the line stays high");
	tap_eq(mmio_read32(PLIC_CLAIM(0)), 0, "in service: a second claim returns 0");
	mmio_write32(PLIC_CLAIM(0), SRC);
	tap_ok(pending() && meip(), "completed with the line still high: pending again");
	id = mmio_read32(PLIC_CLAIM(0));
	uart_quiet();
	mmio_write32(PLIC_CLAIM(0), id);
	tap_ok(id == SRC && !pending() && !meip(), "claimed again, device quieted, completed: nothing pending");
	mmio_write32(PLIC_CLAIM(0), SRC);
	tap_ok(!pending() && !meip(), "a stray completion changes nothing");
	reset();
}

#if XLEN == 64
static void ns16550a(void)
{
	reset();
	tap_eq(ur(LSR), 0x60, "LSR: transmitter empty, no data");
	tap_eq(ur(IIR) & 0x0f, 0x01, "IIR: no interrupt pending");
	uw(LCR, 0x83);
	uw(0, 0x34);
	uw(1, 0x12);
	uw(LCR, 0x03);
	uw(LCR, 0x83);
	tap_ok(ur(0) == 0x34 && ur(1) == 0x12, "the divisor latch (DLAB) keeps 0x1234");
	uw(LCR, 0x03);
	uw(SCR, 0xa5);
	tap_eq(ur(SCR), 0xa5, "SCR is a scratch byte");
	uw(FCR, 0x07);
	tap_eq(ur(IIR) & 0xc0, 0xc0, "IIR bits 7:6 say the FIFOs are on");
	uw(MCR, 0x10 | 0x0b);           /* loopback, OUT2, RTS, DTR */
	tap_eq(ur(MSR) & 0xf0, 0x80 | 0x10 | 0x20, "loopback: MSR shows DCD, CTS, DSR from OUT2, RTS, DTR");
	for (unsigned i = 0; i < 3; i++)
		uw(THR, (uint8_t)('x' + i));
	tap_ok((ur(LSR) & 1) && ur(RBR) == 'x' && ur(RBR) == 'y' && ur(RBR) == 'z' && !(ur(LSR) & 1),
	       "loopback through the FIFO: three bytes back in order");
	uw(FCR, 0);
	uw(MCR, 0);

	rt_irq_hook = external;
	mmio_write32(PLIC_ENABLE(0, SRC / 32), 1u << (SRC % 32));
	csr_write(mie, MIP_MEIP);
	uw(IER, 0x02);
	csr_set(mstatus, MSTATUS_MIE);
	for (volatile int i = 0; i < 20; i++)
		;
	csr_clear(mstatus, MSTATUS_MIE);
	tap_ok(rt_nirqs == 1 && n_claimed == 1 && claimed[0] == SRC,
	       "THR empty (IER bit 1): one interrupt, claimed as source %d, acknowledged by reading IIR", SRC);
	uw(THR, '!');
	csr_set(mstatus, MSTATUS_MIE);
	for (volatile int i = 0; i < 20; i++)
		;
	csr_clear(mstatus, MSTATUS_MIE);
	tap_ok(rt_nirqs == 2 && n_claimed == 2, "a byte written to THR raises THR empty again");
	reset();
}
#else
static void sifive_uart(void)
{
	reset();
	uw(TXCTRL, 0);
	for (unsigned i = 0; i < 8; i++)
		uw(TXDATA, (uint32_t)('0' + i));
	tap_ok(ur(TXDATA) >> 31, "txen clear: eight bytes fill the transmit FIFO (txdata bit 31)");
	uw(TXCTRL, 1u << 16);
	tap_ok(!(ur(IP) & 1), "txwm clear while the full FIFO is not below the watermark 1");
	uw(TXCTRL, 1 | 1u << 16);
	tap_ok(!(ur(TXDATA) >> 31) && (ur(IP) & 1), "txen set: the FIFO drains, txwm set");
	uw(RXCTRL, 1);
	tap_ok(ur(RXDATA) >> 31, "rxdata: bit 31 says the receive FIFO is empty");
	tap_eq(ur(IP) & 2, 0, "rxwm clear with nothing received");
	uw(DIV, 0x1234);
	tap_eq(ur(DIV), 0x1234, "div keeps its 16 bits");
	reset();
}
#endif

int main(void)
{
	tap_plan(6 + 11 + 5 + (XLEN == 64 ? 9 : 6));
	rt_init();
	plic_registers();
	routing();
	gateway();
#if XLEN == 64
	ns16550a();
#else
	sifive_uart();
#endif
	return tap_done();
}
