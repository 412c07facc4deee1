/* devices/arm-mhu.c — Arm Message Handling Unit v1 ("arm,mhu"; Linux binding
 * mailbox/arm,mhu.yaml): doorbell/message registers between two processors.
 *
 * Interface: one window of 0x1000 bytes, 32-bit accesses. Three channels (low priority,
 * high priority, secure) at 0x000, 0x020 and 0x200. Each channel has two directions, each a
 * 32-bit status word with SET and CLEAR registers:
 *   channel + 0x000 STAT, + 0x008 SET, + 0x010 CLEAR   words for side A (Linux's "rx")
 *   channel + 0x100 STAT, + 0x108 SET, + 0x110 CLEAR   words for side B (Linux's "tx")
 * Writing SET ORs bits into STAT, CLEAR clears them; the receiving side's irq is high while
 * its STAT is non-zero. Irq outputs: 0..2 = side A's receive irq for each channel (the three
 * interrupts of the Linux binding), 3..5 = side B's (a socemu extension: list them after the
 * first three, usually with interrupts-extended to the other cluster's controller). Fewer
 * entries leave the rest unconnected. */
#include "core/device.h"
#include "core/irq.h"

#include <string.h>

#define MHU_CHANNELS 3

static const uint64_t channel_base[MHU_CHANNELS] = { 0x000, 0x020, 0x200 };
enum { REG_STAT = 0x0, REG_SET = 0x8, REG_CLEAR = 0x10, SIDE_B = 0x100 };

typedef struct {
	SocDevice dev;
	uint32_t stat[MHU_CHANNELS][2];    /* [channel][side] */
} Mhu;

static void update_irqs(Mhu *m)
{
	for (unsigned ch = 0; ch < MHU_CHANNELS; ch++)
		for (unsigned side = 0; side < 2; side++)
			soc_irq_set(m->dev.irq_out[side * MHU_CHANNELS + ch], m->stat[ch][side] != 0);
}

/* Which channel, side and register an offset names; false for a hole. */
static bool decode(uint64_t offset, unsigned *ch, unsigned *side, unsigned *reg)
{
	for (unsigned c = 0; c < MHU_CHANNELS; c++) {
		for (unsigned s = 0; s < 2; s++) {
			uint64_t base = channel_base[c] + s * SIDE_B;
			if (offset >= base && offset < base + 0x18 && (offset - base) % 8 == 0) {
				*ch = c;
				*side = s;
				*reg = (unsigned)(offset - base);
				return true;
			}
		}
	}
	return false;
}

static bool mhu_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	Mhu *m = opaque;
	unsigned ch, side, reg;

	*value = 0;
	if (!decode(offset, &ch, &side, &reg)) {
		soc_dev_guest_error(&m->dev, "read of unknown register at offset 0x%" G_GINT64_MODIFIER "x", offset);
		return true;
	}
	if (reg == REG_STAT)
		*value = m->stat[ch][side];
	else
		soc_dev_guest_error(&m->dev, "read of write-only %s register at offset 0x%" G_GINT64_MODIFIER "x",
		                    reg == REG_SET ? "SET" : "CLEAR", offset);
	return true;
}

static bool mhu_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	Mhu *m = opaque;
	unsigned ch, side, reg;

	if (!decode(offset, &ch, &side, &reg)) {
		soc_dev_guest_error(&m->dev, "write to unknown register at offset 0x%" G_GINT64_MODIFIER "x", offset);
		return true;
	}
	switch (reg) {
	case REG_SET:
		m->stat[ch][side] |= (uint32_t)value;
		break;
	case REG_CLEAR:
		m->stat[ch][side] &= ~(uint32_t)value;
		break;
	default:
		soc_dev_guest_error(&m->dev, "write to read-only STAT register at offset 0x%" G_GINT64_MODIFIER "x", offset);
		return true;
	}
	update_irqs(m);
	return true;
}

static void mhu_reset(SocDevice *dev)
{
	Mhu *m = (Mhu *)dev;
	memset(m->stat, 0, sizeof(m->stat));
	update_irqs(m);
}

static const SocMmioOps mhu_ops = {
	.read = mhu_read, .write = mhu_write, .sizes = 4,
};

const SocDeviceClass soc_arm_mhu_class = {
	.name = "arm-mhu",
	.compatible = (const char *const[]){ "arm,mhu", NULL },
	.description = "Arm MHU v1 mailbox: three channels of doorbell bits in each direction",
	.instance_size = sizeof(Mhu),
	.mmio = &mhu_ops,
	.n_irq_outputs = 2 * MHU_CHANNELS,
	.reset = mhu_reset,
};
