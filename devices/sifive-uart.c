/* devices/sifive-uart.c — SiFive UART ("sifive,uart0"; FE310-G002 manual, chapter "Universal
 * Asynchronous Receiver/Transmitter"; Linux binding serial/sifive-serial.yaml).
 *
 * Interface: one window of 32-bit registers, one irq output (level), a character backend.
 *   0x00 txdata  write: bits 7:0 enter the 8-byte transmit FIFO (dropped when it is full);
 *                read: bit 31 = FIFO full
 *   0x04 rxdata  read: bit 31 = receive FIFO empty, else bits 7:0 the next byte (taken)
 *   0x08 txctrl  bit 0 txen, bit 1 nstop, bits 18:16 txcnt
 *   0x0c rxctrl  bit 0 rxen, bits 18:16 rxcnt
 *   0x10 ie      bit 0 txwm, bit 1 rxwm
 *   0x14 ip      read-only: txwm = transmit level < txcnt, rxwm = receive level > rxcnt
 *   0x18 div     bits 15:0, the baud divisor
 * The irq is high while ip & ie is non-zero.
 * Transmission is immediate while txen is set: the FIFO empties into the backend as soon as
 * a byte enters it, so output never depends on div or host timing; with txen clear bytes
 * wait in the FIFO (full after 8) and leave when txen is set. Reception: while rxen is set,
 * host bytes enter between quanta, up to the free FIFO space; while it is clear the backend
 * keeps them (nothing is lost). */
#include "core/chardev.h"
#include "core/device.h"
#include "core/error.h"
#include "core/irq.h"

#define FIFO_SIZE 8

enum {
	REG_TXDATA = 0x00, REG_RXDATA = 0x04, REG_TXCTRL = 0x08, REG_RXCTRL = 0x0c,
	REG_IE = 0x10, REG_IP = 0x14, REG_DIV = 0x18,
};

enum {
	TXDATA_FULL = 1u << 31, RXDATA_EMPTY = 1u << 31,
	TXCTRL_TXEN = 1u << 0, TXCTRL_NSTOP = 1u << 1, TXCTRL_MASK = 0x00070003u,
	RXCTRL_RXEN = 1u << 0, RXCTRL_MASK = 0x00070001u,
	IP_TXWM = 1u << 0, IP_RXWM = 1u << 1,
	DIV_MASK = 0xffffu,
};

typedef struct {
	SocDevice dev;
	uint32_t clock_frequency, current_speed;

	uint32_t txctrl, rxctrl, ie, div;
	uint8_t tx[FIFO_SIZE];
	unsigned tx_count;
	uint8_t rx[FIFO_SIZE];
	unsigned rx_head, rx_count;
	bool irq_level;
} SifiveUart;

static unsigned watermark(uint32_t ctrl)
{
	return (ctrl >> 16) & 7;
}

static uint32_t pending(const SifiveUart *u)
{
	uint32_t ip = 0;
	if (u->tx_count < watermark(u->txctrl))
		ip |= IP_TXWM;
	if (u->rx_count > watermark(u->rxctrl))
		ip |= IP_RXWM;
	return ip;
}

static void update_irq(SifiveUart *u)
{
	bool level = (pending(u) & u->ie) != 0;
	if (level != u->irq_level) {
		u->irq_level = level;
		soc_irq_set(u->dev.irq_out[0], level);
	}
}

static void tx_drain(SifiveUart *u)
{
	if (!(u->txctrl & TXCTRL_TXEN) || !u->tx_count)
		return;
	soc_chardev_write(u->dev.chr, u->tx, u->tx_count);
	u->tx_count = 0;
}

static size_t uart_can_receive(void *opaque)
{
	SifiveUart *u = opaque;
	return (u->rxctrl & RXCTRL_RXEN) ? FIFO_SIZE - u->rx_count : 0;
}

static void uart_receive(void *opaque, const uint8_t *buf, size_t len)
{
	SifiveUart *u = opaque;
	for (size_t i = 0; i < len && u->rx_count < FIFO_SIZE; i++) {
		u->rx[(u->rx_head + u->rx_count) % FIFO_SIZE] = buf[i];
		u->rx_count++;
	}
	update_irq(u);
}

static bool uart_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	SifiveUart *u = opaque;
	uint32_t v = 0;

	switch (offset) {
	case REG_TXDATA:
		v = u->tx_count >= FIFO_SIZE ? TXDATA_FULL : 0;
		break;
	case REG_RXDATA:
		if (!u->rx_count) {
			v = RXDATA_EMPTY;
			break;
		}
		v = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % FIFO_SIZE;
		u->rx_count--;
		soc_chardev_accept_input(u->dev.chr);
		break;
	case REG_TXCTRL:
		v = u->txctrl;
		break;
	case REG_RXCTRL:
		v = u->rxctrl;
		break;
	case REG_IE:
		v = u->ie;
		break;
	case REG_IP:
		v = pending(u);
		break;
	case REG_DIV:
		v = u->div;
		break;
	default:
		soc_dev_guest_error(&u->dev, "read at offset 0x%" G_GINT64_MODIFIER "x: no register there",
		                    offset);
	}
	*value = v;
	update_irq(u);
	return true;
}

static bool uart_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	SifiveUart *u = opaque;
	uint32_t v = (uint32_t)value;

	switch (offset) {
	case REG_TXDATA:
		if (u->tx_count >= FIFO_SIZE) {
			soc_dev_guest_error(&u->dev, "txdata written while the transmit FIFO is full "
			                    "(txen clear): byte 0x%02x dropped", v & 0xff);
			break;
		}
		u->tx[u->tx_count++] = (uint8_t)v;
		tx_drain(u);
		break;
	case REG_TXCTRL:
		u->txctrl = v & TXCTRL_MASK;
		tx_drain(u);
		break;
	case REG_RXCTRL: {
		bool was_on = u->rxctrl & RXCTRL_RXEN;
		u->rxctrl = v & RXCTRL_MASK;
		if (!was_on && (u->rxctrl & RXCTRL_RXEN))
			soc_chardev_accept_input(u->dev.chr);
		break;
	}
	case REG_IE:
		u->ie = v & (IP_TXWM | IP_RXWM);
		break;
	case REG_DIV:
		u->div = v & DIV_MASK;
		break;
	case REG_RXDATA:
	case REG_IP:
		soc_dev_guest_error(&u->dev, "write of 0x%x to read-only register %s", v,
		                    offset == REG_IP ? "ip" : "rxdata");
		break;
	default:
		soc_dev_guest_error(&u->dev, "write of 0x%x at offset 0x%" G_GINT64_MODIFIER "x: no "
		                    "register there", v, offset);
	}
	update_irq(u);
	return true;
}

static void uart_reset(SocDevice *dev)
{
	SifiveUart *u = (SifiveUart *)dev;
	u->txctrl = u->rxctrl = u->ie = u->div = 0;
	u->tx_count = 0;
	u->rx_head = u->rx_count = 0;
	u->irq_level = false;
	soc_irq_lower(dev->irq_out[0]);
}

static bool uart_realize(SocDevice *dev, GError **err)
{
	SifiveUart *u = (SifiveUart *)dev;

	if (dev->n_windows != 1 || dev->windows[0].size < REG_DIV + 4) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: reg must be one entry covering the registers (0x%x bytes)", dev->path,
		            REG_DIV + 4);
		return false;
	}
	soc_chardev_set_receiver(dev->chr, uart_can_receive, uart_receive, u);
	uart_reset(dev);
	return true;
}

static const SocPropDesc uart_props[] = {
	SOC_PROP_U32("clock-frequency", SifiveUart, clock_frequency, 0),
	SOC_PROP_U32("current-speed", SifiveUart, current_speed, 0),
	SOC_PROP_END
};

static const SocMmioOps uart_ops = {
	.read = uart_read, .write = uart_write, .sizes = 4,
};

const SocDeviceClass soc_sifive_uart_class = {
	.name = "sifive-uart",
	.compatible = (const char *const[]){ "sifive,uart0", NULL },
	.description = "SiFive UART with 8-byte FIFOs and watermark interrupts",
	.instance_size = sizeof(SifiveUart),
	.props = uart_props,
	.mmio = &uart_ops,
	.n_irq_outputs = 1,
	.uses_chardev = true,
	.realize = uart_realize,
	.reset = uart_reset,
};
