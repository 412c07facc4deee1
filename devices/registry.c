/* devices/registry.c — every device model socemu has, as one table.
 * Adding a model = one file in devices/ and one line here. */
#include "core/device.h"

#include <libfdt.h>
#include <string.h>

extern const SocDeviceClass soc_memory_class, soc_mmio_sram_class, soc_rom_class;
extern const SocDeviceClass soc_ns16550a_class;
extern const SocDeviceClass soc_sifive_test_class;
extern const SocDeviceClass soc_riscv_cpu_intc_class, soc_sifive_clint_class, soc_riscv_aclint_mswi_class;
extern const SocDeviceClass soc_riscv_aclint_mtimer_class, soc_riscv_aclint_sswi_class;
extern const SocDeviceClass soc_sifive_plic_class, soc_sifive_uart_class;
extern const SocDeviceClass soc_syscon_class, soc_syscon_poweroff_class, soc_syscon_reboot_class;
extern const SocDeviceClass soc_arm_mhu_class;
extern const SocDeviceClass soc_arm_cmsdk_timer_class, soc_arm_cmsdk_dualtimer_class, soc_arm_cmsdk_watchdog_class;
extern const SocDeviceClass soc_arm_pl011_class, soc_arm_cmsdk_uart_class;

static const SocDeviceClass *const device_classes[] = {
	&soc_memory_class,
	&soc_mmio_sram_class,
	&soc_rom_class,
	&soc_ns16550a_class,
	&soc_sifive_test_class,
	&soc_riscv_cpu_intc_class,
	&soc_sifive_clint_class,
	&soc_riscv_aclint_mswi_class,
	&soc_riscv_aclint_mtimer_class,
	&soc_riscv_aclint_sswi_class,
	&soc_sifive_plic_class,
	&soc_sifive_uart_class,
	&soc_syscon_class,
	&soc_syscon_poweroff_class,
	&soc_syscon_reboot_class,
	&soc_arm_mhu_class,
	&soc_arm_cmsdk_timer_class,
	&soc_arm_cmsdk_dualtimer_class,
	&soc_arm_cmsdk_watchdog_class,
	&soc_arm_pl011_class,
	&soc_arm_cmsdk_uart_class,
	NULL
};

const SocDeviceClass *const *soc_device_classes(void)
{
	return device_classes;
}

static const SocDeviceClass *class_for_compatible(const char *compat)
{
	for (const SocDeviceClass *const *c = device_classes; *c; c++)
		for (const char *const *s = (*c)->compatible; s && *s; s++)
			if (!strcmp(*s, compat))
				return *c;
	return NULL;
}

const SocDeviceClass *soc_device_class_for_node(const void *fdt, int node)
{
	int len, pos = 0;
	const char *list = fdt_getprop(fdt, node, "compatible", &len);
	const char *dtype;

	/* Most specific string first, as the tree lists them. Strings are bounded by len. */
	while (list && pos < len) {
		const char *s = list + pos;
		const char *end = memchr(s, '\0', (size_t)(len - pos));
		const SocDeviceClass *cls;
		if (!end)
			break;
		cls = class_for_compatible(s);
		if (cls)
			return cls;
		pos += (int)(end - s) + 1;
	}
	dtype = fdt_getprop(fdt, node, "device_type", &len);
	if (dtype && len > 0 && memchr(dtype, '\0', (size_t)len))
		for (const SocDeviceClass *const *c = device_classes; *c; c++)
			if ((*c)->device_type && !strcmp((*c)->device_type, dtype))
				return *c;
	return NULL;
}
