/* devices/arm-cmsdk-uart.c — the APB UART of Arm's Cortex-M System Design Kit
 * ("arm,cmsdk-uart"; Zephyr binding arm,cmsdk-uart), the UARTs of the MPS2 boards.
 *
 * Interface: one 4 KiB window of 32-bit registers (1-, 2- and 4-byte accesses to a word's
 * first byte); a character backend; five level irq outputs:
 *   0 TX, 1 RX, 2 TX overrun, 3 RX overrun, 4 combined (the OR of INTSTATUS).
 *   0x000 DATA      received byte (read) / byte to send (write)
 *   0x004 STATE     0 TX full, 1 RX full, 2 TX overrun, 3 RX overrun (2-3 write 1 to clear)
 *   0x008 CTRL      0 TX en, 1 RX en, 2 TX irq en, 3 RX irq en, 4 TX overrun irq en,
 *                   5 RX overrun irq en, 6 high-speed test
 *   0x00c INTSTATUS (read) / INTCLEAR (write 1 to clear): 0 TX, 1 RX, 2 TX overrun, 3 RX overrun
 *   0x010 BAUDDIV   20 bits
 *   0xfd0-0xffc     PID4-7, PID0-3, CID0-3
 * One-byte buffers each way. Transmission is immediate while TX is enabled; with TX disabled
 * a written byte waits in the buffer (TX full) and a second one is a TX overrun. Host input
 * enters at quantum boundaries and only while RX is enabled and the buffer empty, so it never
 * overruns. TX and RX interrupt bits are events (buffer emptied, byte received) latched
 * until cleared; the overrun bits follow STATE under their enables. */
#include "core/chardev.h"
#include "core/device.h"
#include "core/error.h"
#include "core/irq.h"

enum {
	REG_DATA = 0x000, REG_STATE = 0x004, REG_CTRL = 0x008, REG_INT = 0x00c, REG_BAUDDIV = 0x010,
	REG_ID_FIRST = 0xfd0, REG_ID_LAST = 0xffc,
};

enum {
	ST_TXFULL = 1u << 0, ST_RXFULL = 1u << 1, ST_TXOVR = 1u << 2, ST_RXOVR = 1u << 3,
	CTRL_TXEN = 1u << 0, CTRL_RXEN = 1u << 1, CTRL_TXIE = 1u << 2, CTRL_RXIE = 1u << 3,
	CTRL_TXOIE = 1u << 4, CTRL_RXOIE = 1u << 5, CTRL_HSTEST = 1u << 6,
	INT_TX = 1u << 0, INT_RX = 1u << 1, INT_TXO = 1u << 2, INT_RXO = 1u << 3,
};

enum { OUT_TX, OUT_RX, OUT_TXO, OUT_RXO, OUT_COMBINED, N_OUTPUTS };

typedef struct {
	SocDevice dev;
	uint32_t clock_frequency, current_speed;

	uint32_t state, ctrl, intstatus, bauddiv;
	uint8_t txbuf, rxbuf;
	uint8_t levels;                     /* the outputs' levels, bit per output */
} CmsdkUart;

/* PID4-7, PID0-3, CID0-3, one byte per word from 0xfd0. */
static const uint8_t cmsdk_uart_id[12] = {
	0x04, 0x00, 0x00, 0x00, 0x21, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

static uint32_t int_status(const CmsdkUart *u)
{
	uint32_t s = u->intstatus & (INT_TX | INT_RX);
	if ((u->state & ST_TXOVR) && (u->ctrl & CTRL_TXOIE))
		s |= INT_TXO;
	if ((u->state & ST_RXOVR) && (u->ctrl & CTRL_RXOIE))
		s |= INT_RXO;
	return s;
}

static void update_irqs(CmsdkUart *u)
{
	uint32_t s = int_status(u);
	uint8_t now = (uint8_t)(s | (s ? 1u << OUT_COMBINED : 0));
	for (unsigned i = 0; i < N_OUTPUTS; i++)
		if ((now ^ u->levels) & (1u << i))
			soc_irq_set(u->dev.irq_out[i], (now >> i) & 1);
	u->levels = now;
}

static size_t cmsdk_can_receive(void *opaque)
{
	CmsdkUart *u = opaque;
	return (u->ctrl & CTRL_RXEN) && !(u->state & ST_RXFULL) ? 1 : 0;
}

static void cmsdk_receive(void *opaque, const uint8_t *buf, size_t len)
{
	CmsdkUart *u = opaque;
	for (size_t i = 0; i < len; i++) {
		if (u->state & ST_RXFULL) {
			u->state |= ST_RXOVR;       /* the waiting byte is kept, the new one lost */
			continue;
		}
		u->rxbuf = buf[i];
		u->state |= ST_RXFULL;
		if (u->ctrl & CTRL_RXIE)
			u->intstatus |= INT_RX;
	}
	update_irqs(u);
}

/* Send the buffered byte if the transmitter may; emptying the buffer is the TX event. */
static void tx_drain(CmsdkUart *u)
{
	if (!(u->state & ST_TXFULL) || !(u->ctrl & CTRL_TXEN))
		return;
	if (u->dev.chr)
		soc_chardev_write(u->dev.chr, &u->txbuf, 1);
	u->state &= ~ST_TXFULL;
	if (u->ctrl & CTRL_TXIE)
		u->intstatus |= INT_TX;
}

static bool reg_ok(CmsdkUart *u, uint64_t offset, const char *what)
{
	if (offset & 3) {
		soc_dev_guest_error(&u->dev, "%s at offset 0x%" G_GINT64_MODIFIER "x is not on a register",
		                    what, offset);
		return false;
	}
	return true;
}

static bool cmsdk_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	CmsdkUart *u = opaque;

	*value = 0;
	if (!reg_ok(u, offset, "read"))
		return true;
	switch (offset) {
	case REG_DATA:
		*value = u->rxbuf;
		if (u->state & ST_RXFULL) {
			u->state &= ~ST_RXFULL;
			if (u->dev.chr)
				soc_chardev_accept_input(u->dev.chr);
		}
		break;
	case REG_STATE: *value = u->state; break;
	case REG_CTRL: *value = u->ctrl; break;
	case REG_INT: *value = int_status(u); break;
	case REG_BAUDDIV: *value = u->bauddiv; break;
	default:
		if (offset >= REG_ID_FIRST && offset <= REG_ID_LAST) {
			*value = cmsdk_uart_id[(offset - REG_ID_FIRST) / 4];
			break;
		}
		soc_dev_guest_error(&u->dev, "read at offset 0x%" G_GINT64_MODIFIER "x: no register there",
		                    offset);
		return true;
	}
	update_irqs(u);
	return true;
}

static bool cmsdk_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	CmsdkUart *u = opaque;
	uint32_t v = (uint32_t)value;

	if (!reg_ok(u, offset, "write"))
		return true;
	switch (offset) {
	case REG_DATA:
		if (u->state & ST_TXFULL) {
			u->state |= ST_TXOVR;       /* the buffered byte stays, this one is lost */
			break;
		}
		u->txbuf = (uint8_t)v;
		u->state |= ST_TXFULL;
		tx_drain(u);
		break;
	case REG_STATE:
		u->state &= ~(v & (ST_TXOVR | ST_RXOVR));
		break;
	case REG_CTRL: {
		bool rx_was_on = u->ctrl & CTRL_RXEN;
		u->ctrl = v & 0x7f;
		if ((u->ctrl & CTRL_TXEN) && u->bauddiv < 16)
			soc_dev_guest_error(&u->dev, "TX enabled with BAUDDIV %u (at least 16 is needed)",
			                    u->bauddiv);
		tx_drain(u);
		if (!rx_was_on && (u->ctrl & CTRL_RXEN) && u->dev.chr)
			soc_chardev_accept_input(u->dev.chr);
		break;
	}
	case REG_INT:
		/* Clearing an overrun interrupt clears the overrun in STATE, which drives it. */
		u->intstatus &= ~(v & (INT_TX | INT_RX));
		u->state &= ~(v & (ST_TXOVR | ST_RXOVR));
		break;
	case REG_BAUDDIV:
		u->bauddiv = v & 0xfffff;
		break;
	default:
		if (offset >= REG_ID_FIRST && offset <= REG_ID_LAST)
			soc_dev_guest_error(&u->dev, "write of 0x%x to read-only identification register "
			                    "at offset 0x%" G_GINT64_MODIFIER "x", v, offset);
		else
			soc_dev_guest_error(&u->dev, "write of 0x%x at offset 0x%" G_GINT64_MODIFIER "x: "
			                    "no register there", v, offset);
		break;
	}
	update_irqs(u);
	return true;
}

static void cmsdk_reset(SocDevice *dev)
{
	CmsdkUart *u = (CmsdkUart *)dev;
	u->state = u->ctrl = u->intstatus = u->bauddiv = 0;
	u->txbuf = u->rxbuf = 0;
	u->levels = 0;
	for (unsigned i = 0; i < N_OUTPUTS; i++)
		soc_irq_lower(dev->irq_out[i]);
}

static bool cmsdk_realize(SocDevice *dev, GError **err)
{
	CmsdkUart *u = (CmsdkUart *)dev;

	if (dev->n_windows == 0 || dev->windows[0].size < 0x1000) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s: reg must cover the 4 KiB register "
		            "window (0x1000 bytes)", dev->path);
		return false;
	}
	soc_chardev_set_receiver(dev->chr, cmsdk_can_receive, cmsdk_receive, u);
	cmsdk_reset(dev);
	return true;
}

static const SocPropDesc cmsdk_props[] = {
	SOC_PROP_U32("clock-frequency", CmsdkUart, clock_frequency, 0),
	SOC_PROP_U32("current-speed", CmsdkUart, current_speed, 0),
	SOC_PROP_END
};

static const SocMmioOps cmsdk_ops = {
	.read = cmsdk_read, .write = cmsdk_write, .sizes = 1 | 2 | 4,
};

const SocDeviceClass soc_arm_cmsdk_uart_class = {
	.name = "arm-cmsdk-uart",
	.compatible = (const char *const[]){ "arm,cmsdk-uart", NULL },
	.description = "Arm CMSDK APB UART (one-byte buffers)",
	.instance_size = sizeof(CmsdkUart),
	.props = cmsdk_props,
	.mmio = &cmsdk_ops,
	.n_irq_outputs = N_OUTPUTS,
	.irq_output_names = (const char *const[]){ "tx", "rx", "tx-overrun", "rx-overrun", "combined", NULL },
	.uses_chardev = true,
	.realize = cmsdk_realize,
	.reset = cmsdk_reset,
};
