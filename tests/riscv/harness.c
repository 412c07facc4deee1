/* tests/riscv/harness.c — see harness.h. */
#include "tests/riscv/harness.h"

#include <libfdt.h>
#include <string.h>

RvtEnv *rvt_env_new(uint64_t ram_base, uint64_t ram_size)
{
	RvtEnv *env = g_new0(RvtEnv, 1);
	g_autoptr(GError) err = NULL;

	env->log = soc_log_new();
	env->events = soc_events_new();
	env->as = soc_as_new("test", env->log);
	env->ram = soc_ram_new("/memory@test", ram_size, false, &err);
	g_assert_no_error(err);
	g_assert_true(soc_as_map_ram(env->as, ram_base, ram_size, env->ram, 0, "/memory@test", &err));
	env->ram_base = ram_base;
	env->ram_size = ram_size;
	return env;
}

void rvt_env_free(RvtEnv *env)
{
	for (unsigned i = 0; i < env->n_harts; i++)
		env->harts[i]->cls->destroy(env->harts[i]);
	soc_as_free(env->as);
	soc_ram_unref(env->ram);
	soc_events_free(env->events);
	soc_log_free(env->log);
	g_free(env->fdt);
	g_free(env);
}

void *rvt_make_fdt(const RvtHartSpec *specs, unsigned n, uint64_t timebase_hz)
{
	size_t size = 8192;
	void *fdt = g_malloc0(size);

	g_assert_cmpint(fdt_create(fdt, (int)size), ==, 0);
	g_assert_cmpint(fdt_finish_reservemap(fdt), ==, 0);
	g_assert_cmpint(fdt_begin_node(fdt, ""), ==, 0);
	g_assert_cmpint(fdt_property_u32(fdt, "#address-cells", 2), ==, 0);
	g_assert_cmpint(fdt_property_u32(fdt, "#size-cells", 2), ==, 0);
	g_assert_cmpint(fdt_begin_node(fdt, "cpus"), ==, 0);
	g_assert_cmpint(fdt_property_u32(fdt, "#address-cells", 1), ==, 0);
	g_assert_cmpint(fdt_property_u32(fdt, "#size-cells", 0), ==, 0);
	if (timebase_hz)
		g_assert_cmpint(fdt_property_u32(fdt, "timebase-frequency", (uint32_t)timebase_hz), ==, 0);
	for (unsigned i = 0; i < n; i++) {
		g_autofree char *name = g_strdup_printf("cpu@%u", specs[i].hartid);
		g_assert_cmpint(fdt_begin_node(fdt, name), ==, 0);
		g_assert_cmpint(fdt_property_string(fdt, "device_type", "cpu"), ==, 0);
		g_assert_cmpint(fdt_property(fdt, "compatible", "sifive,test\0riscv", 18), ==, 0);
		g_assert_cmpint(fdt_property_u32(fdt, "reg", specs[i].hartid), ==, 0);
		if (specs[i].isa)
			g_assert_cmpint(fdt_property_string(fdt, "riscv,isa", specs[i].isa), ==, 0);
		if (specs[i].isa_base)
			g_assert_cmpint(fdt_property_string(fdt, "riscv,isa-base", specs[i].isa_base), ==, 0);
		if (specs[i].isa_exts) {
			GString *list = g_string_new(NULL);
			for (const char *const *e = specs[i].isa_exts; *e; e++)
				g_string_append_len(list, *e, (gssize)strlen(*e) + 1);
			g_assert_cmpint(fdt_property(fdt, "riscv,isa-extensions", list->str, (int)list->len), ==, 0);
			g_string_free(list, TRUE);
		}
		if (specs[i].mmu_type)
			g_assert_cmpint(fdt_property_string(fdt, "mmu-type", specs[i].mmu_type), ==, 0);
		g_assert_cmpint(fdt_property_u64(fdt, "socemu,reset-vector", specs[i].reset_vector), ==, 0);
		g_assert_cmpint(fdt_end_node(fdt), ==, 0);
	}
	g_assert_cmpint(fdt_end_node(fdt), ==, 0);
	g_assert_cmpint(fdt_end_node(fdt), ==, 0);
	g_assert_cmpint(fdt_finish(fdt), ==, 0);
	return fdt;
}

SocCpu *rvt_create(RvtEnv *env, const RvtHartSpec *specs, unsigned n, unsigned i, GError **err)
{
	g_autofree char *path = g_strdup_printf("/cpus/cpu@%u", specs[i].hartid);
	SocCpuConfig cfg;
	int node;

	if (!env->fdt)
		env->fdt = rvt_make_fdt(specs, n, 10000000);
	node = fdt_path_offset(env->fdt, path);
	g_assert_cmpint(node, >=, 0);
	g_assert_true(soc_cpu_class_for_node(env->fdt, node) == &soc_riscv_cpu_class);
	cfg = (SocCpuConfig){
		.fdt = env->fdt, .node = node, .path = path, .cluster = "cpus", .index = i,
		.clock_hz = 100000000, .timebase_hz = 10000000, .as = env->as, .events = env->events,
		.log = env->log, .machine = NULL,
	};
	return soc_riscv_cpu_class.create(&cfg, err);
}

void rvt_env_set_harts(RvtEnv *env, const RvtHartSpec *specs, unsigned n)
{
	g_assert_cmpuint(n, <=, G_N_ELEMENTS(env->harts));
	for (unsigned i = 0; i < n; i++) {
		g_autoptr(GError) err = NULL;
		env->harts[i] = rvt_create(env, specs, n, i, &err);
		g_assert_no_error(err);
		g_assert_nonnull(env->harts[i]);
	}
	env->n_harts = n;
}

void rvt_put_words(RvtEnv *env, uint64_t addr, const uint32_t *w, unsigned n)
{
	g_assert_true(soc_as_write_bytes(env->as, addr, w, n * 4ull, NULL));
}

uint32_t rvt_get_word(RvtEnv *env, uint64_t addr)
{
	uint32_t v = 0;
	g_assert_true(soc_as_read_bytes(env->as, addr, &v, 4, NULL));
	return v;
}

uint64_t rvt_get_dword(RvtEnv *env, uint64_t addr)
{
	uint64_t v = 0;
	g_assert_true(soc_as_read_bytes(env->as, addr, &v, 8, NULL));
	return v;
}

uint64_t rvt_run(SocCpu *cpu, uint64_t n)
{
	uint64_t before = cpu->insns;
	cpu->stop_at = cpu->insns + n;
	while (cpu->state == SOC_CPU_RUNNING && cpu->insns < cpu->stop_at) {
		uint64_t at = cpu->insns;
		cpu->cls->run(cpu);
		if (cpu->insns == at && cpu->state == SOC_CPU_RUNNING && cpu->insns < cpu->stop_at)
			break;   /* made no progress: let the test look */
	}
	return cpu->insns - before;
}
