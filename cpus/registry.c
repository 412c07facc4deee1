/* cpus/registry.c — every CPU model socemu has, as one table.
 * Adding a CPU family = its directory under cpus/ and one line here. */
#include "cpus/cpu.h"

#include <libfdt.h>
#include <string.h>

static const SocCpuClass *const cpu_classes[] = {
	NULL
};

const SocCpuClass *const *soc_cpu_classes(void)
{
	return cpu_classes;
}

const SocCpuClass *soc_cpu_class_for_node(const void *fdt, int node)
{
	for (const SocCpuClass *const *c = cpu_classes; *c; c++)
		for (const char *const *s = (*c)->compatible; s && *s; s++)
			if (fdt_node_check_compatible(fdt, node, *s) == 0)
				return *c;
	return NULL;
}
