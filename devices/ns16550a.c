/* devices/ns16550a.c — 16550A UART ("ns16550a", "ns16550", "ns8250"; Linux binding
 * serial/8250.yaml).
 *
 * Interface: one window of 8 registers spaced by 1 << reg-shift bytes; accesses of 1, 2 or 4
 * bytes (reg-io-width) to a register's first byte. One irq output (level). A character
 * backend (the console when /chosen/stdout-path names it).
 *   0 RBR (read) / THR (write) / DLL (LCR.DLAB)    4 MCR (bit 4: loopback)
 *   1 IER / DLM (LCR.DLAB)                         5 LSR
 *   2 IIR (read) / FCR (write)                     6 MSR
 *   3 LCR                                          7 SCR
 * Transmission is immediate (THR is always empty again right after a write), so output never
 * depends on host timing. Received bytes enter at quantum boundaries through the backend,
 * up to the FIFO's free space (16 bytes, or 1 with FIFOs off); the receive interrupt rises
 * when the FIFO reaches the trigger level, and the timeout indication when fewer bytes wait.
 * Properties: reg-shift (0..3), reg-io-width (1, 2 or 4), clock-frequency, current-speed. */
#include "core/chardev.h"
#include "core/device.h"
#include "core/error.h"
#include "core/irq.h"

#include <string.h>

#define FIFO_SIZE 16

enum {
	REG_RBR_THR = 0, REG_IER = 1, REG_IIR_FCR = 2, REG_LCR = 3,
	REG_MCR = 4, REG_LSR = 5, REG_MSR = 6, REG_SCR = 7,
};

enum {
	IER_RDA = 0x01, IER_THRE = 0x02, IER_RLS = 0x04, IER_MS = 0x08,
	IIR_NONE = 0x01, IIR_MS = 0x00, IIR_THRE = 0x02, IIR_RDA = 0x04, IIR_RLS = 0x06, IIR_TIMEOUT = 0x0c,
	IIR_FIFO_ON = 0xc0,
	FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02, FCR_CLEAR_TX = 0x04,
	LCR_DLAB = 0x80,
	MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10,
	LSR_DR = 0x01, LSR_OE = 0x02, LSR_PE = 0x04, LSR_FE = 0x08, LSR_BI = 0x10,
	LSR_THRE = 0x20, LSR_TEMT = 0x40, LSR_FIFO_ERR = 0x80,
	MSR_DCTS = 0x01, MSR_DDSR = 0x02, MSR_TERI = 0x04, MSR_DDCD = 0x08,
	MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80,
};

typedef struct {
	SocDevice dev;
	uint32_t reg_shift, reg_io_width, clock_frequency, current_speed;

	uint8_t ier, lcr, mcr, lsr, msr, scr, fcr;
	uint16_t divisor;
	uint8_t rx[FIFO_SIZE];
	unsigned rx_head, rx_count;
	bool thre_pending;          /* THR-empty interrupt waiting to be acknowledged */
	bool irq_level;
} Uart;

static const unsigned rx_trigger_levels[4] = { 1, 4, 8, 14 };

static bool fifo_on(const Uart *u)
{
	return u->fcr & FCR_ENABLE;
}

static unsigned rx_capacity(const Uart *u)
{
	return fifo_on(u) ? FIFO_SIZE : 1;
}

/* The highest-priority pending interrupt, as IIR reports it. */
static uint8_t pending_iir(const Uart *u)
{
	if ((u->ier & IER_RLS) && (u->lsr & (LSR_OE | LSR_PE | LSR_FE | LSR_BI)))
		return IIR_RLS;
	if ((u->ier & IER_RDA) && u->rx_count) {
		if (!fifo_on(u) || u->rx_count >= rx_trigger_levels[u->fcr >> 6])
			return IIR_RDA;
		return IIR_TIMEOUT;
	}
	if ((u->ier & IER_THRE) && u->thre_pending)
		return IIR_THRE;
	if ((u->ier & IER_MS) && (u->msr & (MSR_DCTS | MSR_DDSR | MSR_TERI | MSR_DDCD)))
		return IIR_MS;
	return IIR_NONE;
}

static void update_irq(Uart *u)
{
	bool level = pending_iir(u) != IIR_NONE;
	if (level != u->irq_level) {
		u->irq_level = level;
		soc_irq_set(u->dev.irq_out[0], level);
	}
}

static void rx_push(Uart *u, uint8_t byte)
{
	if (u->rx_count >= rx_capacity(u)) {
		u->lsr |= LSR_OE;          /* the byte is lost, as on the real part */
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % FIFO_SIZE] = byte;
	u->rx_count++;
	u->lsr |= LSR_DR;
}

static uint8_t rx_pop(Uart *u)
{
	uint8_t b = 0;
	if (u->rx_count) {
		b = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % FIFO_SIZE;
		u->rx_count--;
	}
	if (!u->rx_count)
		u->lsr &= ~LSR_DR;
	return b;
}

static size_t uart_can_receive(void *opaque)
{
	Uart *u = opaque;
	if (u->mcr & MCR_LOOP)
		return 0;                  /* in loopback the line is disconnected from outside */
	return rx_capacity(u) - u->rx_count;
}

static void uart_receive(void *opaque, const uint8_t *buf, size_t len)
{
	Uart *u = opaque;
	for (size_t i = 0; i < len; i++)
		rx_push(u, buf[i]);
	update_irq(u);
}

/* In loopback, the modem-status inputs follow the modem-control outputs. */
static void loopback_msr(Uart *u)
{
	uint8_t old = u->msr, now = 0;
	if (u->mcr & MCR_RTS) now |= MSR_CTS;
	if (u->mcr & MCR_DTR) now |= MSR_DSR;
	if (u->mcr & MCR_OUT1) now |= MSR_RI;
	if (u->mcr & MCR_OUT2) now |= MSR_DCD;
	if ((old ^ now) & MSR_CTS) now |= MSR_DCTS;
	if ((old ^ now) & MSR_DSR) now |= MSR_DDSR;
	if ((old & MSR_RI) && !(now & MSR_RI)) now |= MSR_TERI;
	if ((old ^ now) & MSR_DCD) now |= MSR_DDCD;
	u->msr = now | (old & 0x0f);
}

static bool reg_index(Uart *u, uint64_t offset, unsigned *reg)
{
	uint64_t stride = 1ULL << u->reg_shift;
	if (offset & (stride - 1)) {
		soc_dev_guest_error(&u->dev, "access at offset 0x%" G_GINT64_MODIFIER "x is not on a register "
		                    "(reg-shift %u)", offset, u->reg_shift);
		return false;
	}
	*reg = (unsigned)(offset >> u->reg_shift);
	if (*reg > 7) {
		soc_dev_guest_error(&u->dev, "access at offset 0x%" G_GINT64_MODIFIER "x beyond the registers", offset);
		return false;
	}
	return true;
}

static bool uart_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	Uart *u = opaque;
	unsigned reg;
	uint8_t v = 0;

	*value = 0;
	if (!reg_index(u, offset, &reg))
		return true;
	switch (reg) {
	case REG_RBR_THR:
		if (u->lcr & LCR_DLAB) {
			v = u->divisor & 0xff;
		} else {
			v = rx_pop(u);
			if (u->dev.chr && !(u->mcr & MCR_LOOP))
				soc_chardev_accept_input(u->dev.chr);
		}
		break;
	case REG_IER:
		v = (u->lcr & LCR_DLAB) ? u->divisor >> 8 : u->ier;
		break;
	case REG_IIR_FCR:
		v = pending_iir(u);
		if (v == IIR_THRE)
			u->thre_pending = false;   /* reading IIR acknowledges THR empty */
		if (fifo_on(u))
			v |= IIR_FIFO_ON;
		break;
	case REG_LCR:
		v = u->lcr;
		break;
	case REG_MCR:
		v = u->mcr;
		break;
	case REG_LSR:
		v = u->lsr;
		u->lsr &= ~(LSR_OE | LSR_PE | LSR_FE | LSR_BI | LSR_FIFO_ERR);
		break;
	case REG_MSR:
		v = u->msr;
		u->msr &= ~(MSR_DCTS | MSR_DDSR | MSR_TERI | MSR_DDCD);
		break;
	case REG_SCR:
		v = u->scr;
		break;
	}
	*value = v;
	update_irq(u);
	return true;
}

static bool uart_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	Uart *u = opaque;
	unsigned reg;
	uint8_t v = (uint8_t)value;

	if (!reg_index(u, offset, &reg))
		return true;
	switch (reg) {
	case REG_RBR_THR:
		if (u->lcr & LCR_DLAB) {
			u->divisor = (u->divisor & 0xff00) | v;
		} else if (u->mcr & MCR_LOOP) {
			rx_push(u, v);
			u->thre_pending = true;
		} else {
			if (u->dev.chr)
				soc_chardev_write(u->dev.chr, &v, 1);
			u->thre_pending = true;
		}
		break;
	case REG_IER:
		if (u->lcr & LCR_DLAB) {
			u->divisor = (uint16_t)((u->divisor & 0x00ff) | (v << 8));
		} else {
			/* Enabling the THR-empty interrupt while THR is empty raises it at once. */
			if ((v & IER_THRE) && !(u->ier & IER_THRE))
				u->thre_pending = true;
			u->ier = v & 0x0f;
		}
		break;
	case REG_IIR_FCR:
		if ((v & FCR_ENABLE) != (u->fcr & FCR_ENABLE))
			v |= FCR_CLEAR_RX | FCR_CLEAR_TX;   /* toggling the FIFOs empties them */
		if (v & FCR_CLEAR_RX) {
			u->rx_count = 0;
			u->rx_head = 0;
			u->lsr &= ~LSR_DR;
		}
		u->fcr = v & 0xc1;
		if (u->dev.chr && (v & FCR_CLEAR_RX))
			soc_chardev_accept_input(u->dev.chr);
		break;
	case REG_LCR:
		u->lcr = v;
		break;
	case REG_MCR: {
		bool was_loop = u->mcr & MCR_LOOP;
		u->mcr = v & 0x1f;
		if (u->mcr & MCR_LOOP)
			loopback_msr(u);
		else if (was_loop && u->dev.chr)
			soc_chardev_accept_input(u->dev.chr);
		break;
	}
	case REG_LSR:
	case REG_MSR:
		soc_dev_guest_error(&u->dev, "write of 0x%02x to read-only register %s", v,
		                    reg == REG_LSR ? "LSR" : "MSR");
		break;
	case REG_SCR:
		u->scr = v;
		break;
	}
	update_irq(u);
	return true;
}

static void uart_reset(SocDevice *dev)
{
	Uart *u = (Uart *)dev;
	u->ier = u->lcr = u->mcr = u->scr = u->fcr = 0;
	u->lsr = LSR_THRE | LSR_TEMT;
	u->msr = MSR_CTS | MSR_DSR | MSR_DCD;   /* a connected line */
	u->divisor = 0;
	u->rx_head = u->rx_count = 0;
	u->thre_pending = false;
	u->irq_level = false;
	soc_irq_lower(dev->irq_out[0]);
}

static bool uart_realize(SocDevice *dev, GError **err)
{
	Uart *u = (Uart *)dev;

	if (u->reg_io_width != 1 && u->reg_io_width != 2 && u->reg_io_width != 4) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY, "%s:reg-io-width: %u is not 1, 2 or 4",
		            dev->path, u->reg_io_width);
		return false;
	}
	if (dev->n_windows == 0 || dev->windows[0].size < (8ULL << u->reg_shift)) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: reg must cover 8 registers of %u bytes (0x%llx bytes)", dev->path,
		            1u << u->reg_shift, 8ULL << u->reg_shift);
		return false;
	}
	soc_chardev_set_receiver(dev->chr, uart_can_receive, uart_receive, u);
	uart_reset(dev);
	return true;
}

static const SocPropDesc uart_props[] = {
	SOC_PROP_U32_RANGE("reg-shift", Uart, reg_shift, 0, 0, 3),
	SOC_PROP_U32("reg-io-width", Uart, reg_io_width, 1),
	SOC_PROP_U32("clock-frequency", Uart, clock_frequency, 0),
	SOC_PROP_U32("current-speed", Uart, current_speed, 0),
	SOC_PROP_END
};

static const SocMmioOps uart_ops = {
	.read = uart_read, .write = uart_write, .sizes = 1 | 2 | 4,
};

const SocDeviceClass soc_ns16550a_class = {
	.name = "ns16550a",
	.compatible = (const char *const[]){ "ns16550a", "ns16550", "ns16450", "ns8250", NULL },
	.description = "16550A UART with 16-byte FIFOs",
	.instance_size = sizeof(Uart),
	.props = uart_props,
	.mmio = &uart_ops,
	.n_irq_outputs = 1,
	.uses_chardev = true,
	.realize = uart_realize,
	.reset = uart_reset,
};
