/* devices/memory.c — memories: RAM (device_type = "memory"), on-chip SRAM ("mmio-sram")
 * and ROM ("mtd-rom", "socemu,rom").
 *
 * Interface: every reg entry is one window backed by its own host memory, allocated lazily
 * (pages are committed when first touched). ROM is read-only to the guest; images are
 * loaded into it by the loader. No registers, no irqs. Properties: socemu,read-only (bool)
 * makes any of them read-only. */
#include "core/device.h"
#include "core/error.h"

typedef struct {
	SocDevice dev;
	bool read_only;
} Memory;

static bool memory_realize_common(SocDevice *dev, bool rom, GError **err)
{
	Memory *m = (Memory *)dev;
	bool ro = rom || m->read_only;

	if (dev->n_windows == 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s: memory node has no reg", dev->path);
		return false;
	}
	for (unsigned i = 0; i < dev->n_windows; i++) {
		g_autofree char *owner = dev->n_windows > 1 ? g_strdup_printf("%s[%u]", dev->path, i)
		                                            : g_strdup(dev->path);
		SocRamBlock *b = soc_ram_new(owner, dev->windows[i].size, ro, err);
		if (!b)
			return false;
		soc_dev_set_window_ram(dev, i, b, ro);
		soc_ram_unref(b);
	}
	return true;
}

static bool ram_realize(SocDevice *dev, GError **err)
{
	return memory_realize_common(dev, false, err);
}

static bool rom_realize(SocDevice *dev, GError **err)
{
	return memory_realize_common(dev, true, err);
}

static const SocPropDesc memory_props[] = {
	SOC_PROP_BOOL("socemu,read-only", Memory, read_only),
	SOC_PROP_END
};

const SocDeviceClass soc_memory_class = {
	.name = "memory",
	.device_type = "memory",
	.description = "system RAM (device_type = \"memory\")",
	.instance_size = sizeof(Memory),
	.props = memory_props,
	.realize = ram_realize,
};

const SocDeviceClass soc_mmio_sram_class = {
	.name = "mmio-sram",
	.compatible = (const char *const[]){ "mmio-sram", NULL },
	.description = "on-chip SRAM",
	.instance_size = sizeof(Memory),
	.props = memory_props,
	.realize = ram_realize,
};

const SocDeviceClass soc_rom_class = {
	.name = "rom",
	.compatible = (const char *const[]){ "socemu,rom", "mtd-rom", NULL },
	.description = "read-only memory, loaded by the image loader",
	.instance_size = sizeof(Memory),
	.props = memory_props,
	.realize = rom_realize,
};
