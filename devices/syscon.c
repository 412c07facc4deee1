/* devices/syscon.c — a generic system-controller register block ("syscon"), for nodes whose
 * only compatible is "syscon": their registers exist for other nodes (syscon-poweroff,
 * syscon-reboot) to describe.
 *
 * Interface: one window of 32-bit registers that read back what was written (up to 4 KiB are
 * backed; beyond that writes are guest errors). No irqs. */
#include "core/device.h"
#include "core/error.h"

#define SYSCON_MAX_BYTES 4096

typedef struct {
	SocDevice dev;
	uint32_t regs[SYSCON_MAX_BYTES / 4];
} Syscon;

static bool syscon_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	Syscon *s = opaque;
	*value = offset < SYSCON_MAX_BYTES ? s->regs[offset / 4] : 0;
	return true;
}

static bool syscon_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	Syscon *s = opaque;
	if (offset >= SYSCON_MAX_BYTES) {
		soc_dev_guest_error(&s->dev, "write at offset 0x%" G_GINT64_MODIFIER "x beyond the modelled registers",
		                    offset);
		return true;
	}
	s->regs[offset / 4] = (uint32_t)value;
	return true;
}

static void syscon_reset(SocDevice *dev)
{
	Syscon *s = (Syscon *)dev;
	memset(s->regs, 0, sizeof(s->regs));
}

static const SocMmioOps syscon_ops = {
	.read = syscon_read, .write = syscon_write, .sizes = 4,
};

const SocDeviceClass soc_syscon_class = {
	.name = "syscon",
	.compatible = (const char *const[]){ "syscon", NULL },
	.description = "generic system-controller registers (read back what is written)",
	.instance_size = sizeof(Syscon),
	.mmio = &syscon_ops,
	.reset = syscon_reset,
};
