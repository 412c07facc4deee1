/* tests/arm/arm-harness.c — see arm-harness.h. */
#include "tests/arm/arm-harness.h"
#include "core/log.h"

#include <libfdt.h>

ArmHarness *arm_harness_new(const char *compatible)
{
	ArmHarness *h = g_new0(ArmHarness, 1);
	const SocCpuClass *cls;
	SocCpuConfig cfg;
	GError *err = NULL;
	int cpus, node;

	h->log = soc_log_new();
	/* Tests provoke guest errors on purpose; they are counted, not printed. */
	g_assert_true(soc_log_set_categories(h->log, "none", NULL));
	h->events = soc_events_new();
	h->as = soc_as_new("test", h->log);
	h->fdt = g_malloc0(4096);
	g_assert_cmpint(fdt_create_empty_tree(h->fdt, 4096), ==, 0);
	cpus = fdt_add_subnode(h->fdt, 0, "cpus");
	g_assert_cmpint(cpus, >=, 0);
	node = fdt_add_subnode(h->fdt, cpus, "cpu@0");
	g_assert_cmpint(node, >=, 0);
	g_assert_cmpint(fdt_setprop_string(h->fdt, node, "compatible", compatible), ==, 0);
	cls = soc_cpu_class_for_node(h->fdt, node);
	g_assert_nonnull(cls);
	cfg = (SocCpuConfig){
		.fdt = h->fdt, .node = node, .path = "/cpus/cpu@0", .cluster = "cpus", .index = 0,
		.clock_hz = 100000000, .as = h->as, .events = h->events, .log = h->log, .machine = NULL,
	};
	h->cpu = cls->create(&cfg, &err);
	g_assert_no_error(err);
	g_assert_nonnull(h->cpu);
	h->c = (ArmCpu *)h->cpu;
	return h;
}

void arm_harness_map(ArmHarness *h, uint32_t base, uint32_t size)
{
	GError *err = NULL;
	SocRamBlock *b = soc_ram_new("test-ram", size, false, &err);
	g_assert_no_error(err);
	g_assert_cmpuint(h->n_ram, <, G_N_ELEMENTS(h->ram));
	g_assert_true(soc_as_map_ram(h->as, base, size, b, 0, "/test-ram", &err));
	g_assert_no_error(err);
	h->ram[h->n_ram++] = b;
}

void arm_harness_free(ArmHarness *h)
{
	if (!h)
		return;
	h->cpu->cls->destroy(h->cpu);
	soc_as_free(h->as);
	for (unsigned k = 0; k < h->n_ram; k++)
		soc_ram_unref(h->ram[k]);
	soc_events_free(h->events);
	soc_log_free(h->log);
	g_free(h->fdt);
	g_free(h);
}

void arm_harness_write(ArmHarness *h, uint32_t addr, const void *buf, size_t len)
{
	g_assert_true(soc_as_write_bytes(h->as, addr, buf, len, NULL));
}

uint32_t arm_harness_read32(ArmHarness *h, uint32_t addr)
{
	uint32_t v = 0;
	g_assert_true(soc_as_read_bytes(h->as, addr, &v, 4, NULL));
	return v;
}
