/* cpus/registry.c — every CPU class socemu has, and the choice of one for a cpu node. */
#include "cpus/cpu.h"
#include "cpus/riscv/riscv.h"
#include "cpus/arm/arm.h"

#include <libfdt.h>
#include <string.h>

static const SocCpuClass *const cpu_classes[] = {
	&soc_riscv_cpu_class,
	/* Arm Cortex-M classes go here (cpus/arm/). */
	&soc_arm_cortex_m0_class, &soc_arm_cortex_m0plus_class, &soc_arm_cortex_m3_class,
	&soc_arm_cortex_m4_class, &soc_arm_cortex_m4f_class, &soc_arm_cortex_m7_class,
	&soc_arm_cortex_m33_class, &soc_arm_cortex_m33f_class,
	NULL,
};

const SocCpuClass *const *soc_cpu_classes(void)
{
	return cpu_classes;
}

/* The node's compatible strings are tried in order (most specific first), each against every
 * class, so that a specific model wins over a generic one listed by another class. */
const SocCpuClass *soc_cpu_class_for_node(const void *fdt, int node)
{
	int len;
	const char *list = fdt_getprop(fdt, node, "compatible", &len);

	if (!list || len <= 0)
		return NULL;
	for (int pos = 0; pos < len;) {
		const char *s = list + pos;
		const char *end = memchr(s, '\0', (size_t)(len - pos));
		if (!end)
			return NULL;
		for (const SocCpuClass *const *c = cpu_classes; *c; c++)
			for (const char *const *compat = (*c)->compatible; compat && *compat; compat++)
				if (!strcmp(*compat, s))
					return *c;
		pos += (int)(end - s) + 1;
	}
	return NULL;
}
