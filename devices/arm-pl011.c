/* devices/arm-pl011.c — Arm PrimeCell UART PL011 r1p5 ("arm,pl011"; Linux binding
 * serial/pl011.yaml, Zephyr arm,pl011).
 *
 * Interface: one 4 KiB window of 32-bit registers (1-, 2- and 4-byte accesses to a word's
 * first byte); one combined irq output (UARTINTR, the OR of UARTMIS); a character backend.
 *   0x000 DR      data (read: bits 11:8 OE, BE, PE, FE of that character)
 *   0x004 RSR/ECR receive status (read) / error clear (write)
 *   0x018 FR      flags: RI, TXFE, RXFF, TXFF, RXFE, BUSY, DCD, DSR, CTS
 *   0x020 ILPR    0x024 IBRD    0x028 FBRD    0x02c LCR_H (FEN: FIFOs on)
 *   0x030 CR      UARTEN, LBE, TXE, RXE, DTR, RTS, OUT1, OUT2, RTSEN, CTSEN
 *   0x034 IFLS    0x038 IMSC    0x03c RIS    0x040 MIS    0x044 ICR    0x048 DMACR
 *   0xfe0-0xffc   PeriphID0-3, PCellID0-3
 * Transmission is immediate: the transmit FIFO is always empty, so output never depends on
 * host timing. Received bytes enter at quantum boundaries, up to the receive FIFO's free
 * space (32 entries with LCR_H.FEN, else 1). The receive interrupt follows the FIFO level
 * (IFLS), the receive timeout is given at once while fewer bytes wait, and the transmit
 * interrupt is set whenever the (empty) transmit FIFO passes its level: at reset, after every
 * byte written to DR, and when the level or FEN changes; ICR clears it. */
#include "core/chardev.h"
#include "core/device.h"
#include "core/error.h"
#include "core/irq.h"

#define FIFO_DEPTH 32                   /* r1p5 (PeriphID2 revision 3) */

enum {
	REG_DR = 0x000, REG_RSR = 0x004, REG_FR = 0x018, REG_ILPR = 0x020, REG_IBRD = 0x024,
	REG_FBRD = 0x028, REG_LCR_H = 0x02c, REG_CR = 0x030, REG_IFLS = 0x034, REG_IMSC = 0x038,
	REG_RIS = 0x03c, REG_MIS = 0x040, REG_ICR = 0x044, REG_DMACR = 0x048,
	REG_ID_FIRST = 0xfe0, REG_ID_LAST = 0xffc,
};

enum {
	DR_FE = 1u << 8, DR_PE = 1u << 9, DR_BE = 1u << 10, DR_OE = 1u << 11,
	FR_CTS = 1u << 0, FR_DSR = 1u << 1, FR_DCD = 1u << 2, FR_BUSY = 1u << 3, FR_RXFE = 1u << 4,
	FR_TXFF = 1u << 5, FR_RXFF = 1u << 6, FR_TXFE = 1u << 7, FR_RI = 1u << 8,
	LCR_FEN = 1u << 4,
	CR_UARTEN = 1u << 0, CR_LBE = 1u << 7, CR_TXE = 1u << 8, CR_RXE = 1u << 9,
	CR_DTR = 1u << 10, CR_RTS = 1u << 11, CR_OUT1 = 1u << 12, CR_OUT2 = 1u << 13,
	INT_RI = 1u << 0, INT_CTS = 1u << 1, INT_DCD = 1u << 2, INT_DSR = 1u << 3,
	INT_RX = 1u << 4, INT_TX = 1u << 5, INT_RT = 1u << 6, INT_OE = 1u << 10,
	INT_ALL = 0x7ff,
};

typedef struct {
	SocDevice dev;
	uint32_t clock_frequency, current_speed;

	uint32_t rsr, ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr;
	uint32_t ris;                       /* latched sources; RX and RT are derived */
	uint32_t modem;                     /* FR's modem bits (loopback only) */
	uint16_t rx[FIFO_DEPTH];            /* data with its error bits 11:8 */
	unsigned rx_head, rx_count;
	bool overrun_pending;               /* the next stored character carries DR.OE */
	bool warned_disabled, warned_dma;
	bool irq_level;
} Pl011;

static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

/* IFLS's 1/8, 1/4, 1/2, 3/4 and 7/8 of the FIFO; 5-7 are reserved. */
static const unsigned fifo_eighths[5] = { 1, 2, 4, 6, 7 };

static unsigned rx_capacity(const Pl011 *u)
{
	return (u->lcr_h & LCR_FEN) ? FIFO_DEPTH : 1;
}

static unsigned rx_level(const Pl011 *u)
{
	unsigned sel = (u->ifls >> 3) & 7;
	if (!(u->lcr_h & LCR_FEN))
		return 1;
	return FIFO_DEPTH * fifo_eighths[sel < 5 ? sel : 4] / 8;
}

static uint32_t raw_status(const Pl011 *u)
{
	uint32_t ris = u->ris & ~(INT_RX | INT_RT);
	if (u->rx_count >= rx_level(u))
		ris |= INT_RX;
	else if (u->rx_count)
		ris |= INT_RT;
	return ris;
}

static void update_irq(Pl011 *u)
{
	bool level = (raw_status(u) & u->imsc) != 0;
	if (level != u->irq_level) {
		u->irq_level = level;
		soc_irq_set(u->dev.irq_out[0], level);
	}
}

static bool receiving(const Pl011 *u)
{
	return (u->cr & (CR_UARTEN | CR_RXE)) == (CR_UARTEN | CR_RXE);
}

static void rx_push(Pl011 *u, uint8_t byte)
{
	if (u->rx_count >= rx_capacity(u)) {
		/* The FIFO keeps its contents; the character in the shift register is lost. */
		u->rsr |= DR_OE >> 8;
		u->ris |= INT_OE;
		u->overrun_pending = true;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % FIFO_DEPTH] = (uint16_t)(byte | (u->overrun_pending ? DR_OE : 0));
	u->overrun_pending = false;
	u->rx_count++;
}

static void rx_flush(Pl011 *u)
{
	u->rx_head = u->rx_count = 0;
	u->overrun_pending = false;
}

static size_t pl011_can_receive(void *opaque)
{
	Pl011 *u = opaque;
	if ((u->cr & CR_LBE) || !receiving(u))
		return 0;                       /* loopback disconnects the line from outside */
	return rx_capacity(u) - u->rx_count;
}

static void pl011_receive(void *opaque, const uint8_t *buf, size_t len)
{
	Pl011 *u = opaque;
	for (size_t i = 0; i < len; i++)
		rx_push(u, buf[i]);
	update_irq(u);
}

static void accept_input(Pl011 *u)
{
	if (u->dev.chr && !(u->cr & CR_LBE) && receiving(u))
		soc_chardev_accept_input(u->dev.chr);
}

/* In loopback the modem inputs follow the outputs: RTS to CTS, DTR to DSR, OUT1 to DCD,
 * OUT2 to RI; a change raises the modem interrupt of that input. */
static void update_modem(Pl011 *u)
{
	uint32_t now = 0, changed;
	if (u->cr & CR_LBE) {
		if (u->cr & CR_RTS) now |= FR_CTS;
		if (u->cr & CR_DTR) now |= FR_DSR;
		if (u->cr & CR_OUT1) now |= FR_DCD;
		if (u->cr & CR_OUT2) now |= FR_RI;
	}
	changed = now ^ u->modem;
	if (changed & FR_CTS) u->ris |= INT_CTS;
	if (changed & FR_DSR) u->ris |= INT_DSR;
	if (changed & FR_DCD) u->ris |= INT_DCD;
	if (changed & FR_RI) u->ris |= INT_RI;
	u->modem = now;
}

static void transmit(Pl011 *u, uint8_t byte)
{
	if ((u->cr & (CR_UARTEN | CR_TXE)) != (CR_UARTEN | CR_TXE) && !u->warned_disabled) {
		/* Sent anyway: bare-metal programs often skip the enable, and losing their output
		 * helps nobody. Said once per device. */
		u->warned_disabled = true;
		soc_dev_guest_error(&u->dev, "write to DR with UARTEN or TXE clear (CR 0x%04x); "
		                    "sent anyway", u->cr);
	}
	if (u->cr & CR_LBE) {
		if (receiving(u))
			rx_push(u, byte);
	} else if (u->dev.chr) {
		soc_chardev_write(u->dev.chr, &byte, 1);
	}
	u->ris |= INT_TX;                   /* the FIFO is empty again: at or below any level */
}

static bool reg_ok(Pl011 *u, uint64_t offset, const char *what)
{
	if (offset & 3) {
		soc_dev_guest_error(&u->dev, "%s at offset 0x%" G_GINT64_MODIFIER "x is not on a register",
		                    what, offset);
		return false;
	}
	return true;
}

static bool pl011_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	Pl011 *u = opaque;
	uint32_t v = 0;

	*value = 0;
	if (!reg_ok(u, offset, "read"))
		return true;
	switch (offset) {
	case REG_DR:
		if (u->rx_count) {
			v = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % FIFO_DEPTH;
			u->rx_count--;
			u->rsr = (v >> 8) & 0xf;
			accept_input(u);
		}
		break;
	case REG_RSR:
		v = u->rsr;
		break;
	case REG_FR:
		v = FR_TXFE | u->modem;
		if (!u->rx_count)
			v |= FR_RXFE;
		if (u->rx_count >= rx_capacity(u))
			v |= FR_RXFF;
		break;
	case REG_ILPR: v = u->ilpr; break;
	case REG_IBRD: v = u->ibrd; break;
	case REG_FBRD: v = u->fbrd; break;
	case REG_LCR_H: v = u->lcr_h; break;
	case REG_CR: v = u->cr; break;
	case REG_IFLS: v = u->ifls; break;
	case REG_IMSC: v = u->imsc; break;
	case REG_RIS: v = raw_status(u); break;
	case REG_MIS: v = raw_status(u) & u->imsc; break;
	case REG_DMACR: v = u->dmacr; break;
	default:
		if (offset >= REG_ID_FIRST && offset <= REG_ID_LAST) {
			v = pl011_id[(offset - REG_ID_FIRST) / 4];
			break;
		}
		soc_dev_guest_error(&u->dev, "read at offset 0x%" G_GINT64_MODIFIER "x: no register there",
		                    offset);
		return true;
	}
	*value = v;
	update_irq(u);
	return true;
}

static bool pl011_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	Pl011 *u = opaque;
	uint32_t v = (uint32_t)value;

	if (!reg_ok(u, offset, "write"))
		return true;
	switch (offset) {
	case REG_DR:
		transmit(u, (uint8_t)v);
		break;
	case REG_RSR:
		u->rsr = 0;                     /* ECR: any write clears the errors */
		break;
	case REG_ILPR: u->ilpr = v & 0xff; break;
	case REG_IBRD: u->ibrd = v & 0xffff; break;
	case REG_FBRD: u->fbrd = v & 0x3f; break;
	case REG_LCR_H:
		if ((v ^ u->lcr_h) & LCR_FEN) {
			rx_flush(u);                /* switching the FIFOs empties them */
			u->ris |= INT_TX;
		}
		u->lcr_h = v & 0xff;
		accept_input(u);
		break;
	case REG_CR:
		u->cr = v & 0xff87;
		update_modem(u);
		accept_input(u);
		break;
	case REG_IFLS:
		if (((v & 7) > 4) || (((v >> 3) & 7) > 4))
			soc_dev_guest_error(&u->dev, "IFLS 0x%02x selects a reserved level (7/8 used)", v & 0x3f);
		u->ifls = v & 0x3f;
		u->ris |= INT_TX;
		break;
	case REG_IMSC: u->imsc = v & INT_ALL; break;
	case REG_ICR:
		/* RX and RT follow the FIFO and come back while their condition holds. */
		u->ris &= ~(v & INT_ALL);
		if (v & INT_OE)
			u->overrun_pending = false;
		break;
	case REG_DMACR:
		u->dmacr = v & 7;
		if ((v & 3) && !u->warned_dma) {
			u->warned_dma = true;
			soc_dev_unimp(&u->dev, "DMA requests (DMACR 0x%x) are not modelled", v & 7);
		}
		break;
	case REG_FR:
	case REG_RIS:
	case REG_MIS:
		soc_dev_guest_error(&u->dev, "write of 0x%x to read-only register %s", v,
		                    offset == REG_FR ? "FR" : offset == REG_RIS ? "RIS" : "MIS");
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
	update_irq(u);
	return true;
}

static void pl011_reset(SocDevice *dev)
{
	Pl011 *u = (Pl011 *)dev;
	u->rsr = u->ilpr = u->ibrd = u->fbrd = u->lcr_h = u->imsc = u->dmacr = 0;
	u->cr = CR_TXE | CR_RXE;
	u->ifls = 0x12;                     /* both levels at 1/2 */
	u->ris = INT_TX;
	u->modem = 0;
	rx_flush(u);
	u->warned_disabled = u->warned_dma = false;
	u->irq_level = false;
	soc_irq_lower(dev->irq_out[0]);
}

static bool pl011_realize(SocDevice *dev, GError **err)
{
	Pl011 *u = (Pl011 *)dev;

	if (dev->n_windows == 0 || dev->windows[0].size < 0x1000) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s: reg must cover the 4 KiB register "
		            "window (0x1000 bytes)", dev->path);
		return false;
	}
	soc_chardev_set_receiver(dev->chr, pl011_can_receive, pl011_receive, u);
	pl011_reset(dev);
	return true;
}

static const SocPropDesc pl011_props[] = {
	SOC_PROP_U32("clock-frequency", Pl011, clock_frequency, 0),
	SOC_PROP_U32("current-speed", Pl011, current_speed, 0),
	SOC_PROP_END
};

static const SocMmioOps pl011_ops = {
	.read = pl011_read, .write = pl011_write, .sizes = 1 | 2 | 4,
};

const SocDeviceClass soc_arm_pl011_class = {
	.name = "arm-pl011",
	.compatible = (const char *const[]){ "arm,pl011", NULL },
	.description = "Arm PL011 UART (r1p5) with 32-entry FIFOs",
	.instance_size = sizeof(Pl011),
	.props = pl011_props,
	.mmio = &pl011_ops,
	.n_irq_outputs = 1,
	.uses_chardev = true,
	.realize = pl011_realize,
	.reset = pl011_reset,
};
