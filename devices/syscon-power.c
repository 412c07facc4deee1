/* devices/syscon-power.c — power-off and reboot through a syscon register
 * ("syscon-poweroff", "syscon-reboot"; Linux bindings power/reset/syscon-*.yaml).
 *
 * Interface: no registers and no irqs of its own. The node names a register block
 * (regmap = <&syscon>) and a register (offset); when the guest writes that register with
 * (written & mask) == (value & mask), the run ends (poweroff: exit status 0) or the system
 * resets (reboot). As in Linux, a node with mask but no value uses mask as the value. */
#include "core/device.h"
#include "core/error.h"

#include <string.h>

typedef struct {
	SocDevice dev;
	char *regmap;
	uint32_t offset, value, mask;
	bool has_value, has_mask, reboot;
} SysconPower;

static void power_write_seen(SocDevice *dev, uint64_t offset, unsigned size, uint64_t written)
{
	SysconPower *p = (SysconPower *)dev;
	uint32_t w = (uint32_t)written;

	if (offset != p->offset || size != 4)
		return;
	if ((w & p->mask) != (p->value & p->mask))
		return;
	if (p->reboot)
		soc_dev_request_shutdown(dev, SOC_SHUTDOWN_RESET, 0, "syscon-reboot");
	else
		soc_dev_request_shutdown(dev, SOC_SHUTDOWN_EXIT, 0, "syscon-poweroff");
}

static bool power_realize_common(SocDevice *dev, bool reboot, GError **err)
{
	SysconPower *p = (SysconPower *)dev;

	p->reboot = reboot;
	/* The current binding puts the node inside its syscon; the older one names it with regmap. */
	if (!p->regmap) {
		const char *slash = strrchr(dev->path, '/');
		p->regmap = slash && slash != dev->path ? g_strndup(dev->path, slash - dev->path) : NULL;
	}
	if (!p->regmap) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s: needs a regmap phandle or a syscon parent node", dev->path);
		return false;
	}
	/* Linux's legacy form: only "mask" given, and it is the value. Neither: nothing to match. */
	if (!p->has_value && !p->has_mask) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY, "%s: needs value (or the older mask alone)",
		            dev->path);
		return false;
	}
	if (!p->has_value)
		p->value = p->mask;
	if (p->offset & 3) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY, "%s:offset: 0x%x is not 32-bit aligned",
		            dev->path, p->offset);
		return false;
	}
	return soc_dev_watch_writes(dev, p->regmap, p->offset, 4, power_write_seen, err);
}

static bool poweroff_realize(SocDevice *dev, GError **err)
{
	return power_realize_common(dev, false, err);
}

static bool reboot_realize(SocDevice *dev, GError **err)
{
	return power_realize_common(dev, true, err);
}

static const SocPropDesc power_props[] = {
	SOC_PROP_PHANDLE("regmap", SysconPower, regmap, false),
	SOC_PROP_U32_REQ("offset", SysconPower, offset),
	SOC_PROP_U32_OPT("value", SysconPower, value, 0, has_value),
	SOC_PROP_U32_OPT("mask", SysconPower, mask, UINT32_MAX, has_mask),
	SOC_PROP_END
};

const SocDeviceClass soc_syscon_poweroff_class = {
	.name = "syscon-poweroff",
	.compatible = (const char *const[]){ "syscon-poweroff", NULL },
	.description = "power-off by a syscon register write (ends the run, status 0)",
	.instance_size = sizeof(SysconPower),
	.props = power_props,
	.realize = poweroff_realize,
};

const SocDeviceClass soc_syscon_reboot_class = {
	.name = "syscon-reboot",
	.compatible = (const char *const[]){ "syscon-reboot", NULL },
	.description = "system reset by a syscon register write",
	.instance_size = sizeof(SysconPower),
	.props = power_props,
	.realize = reboot_realize,
};
