/* tests/unit/test-fdt-irq.c — core/fdt-irq.c: interrupt resolution (inherited parents,
 * interrupts-extended, interrupt-map with masks and unit addresses, chained nexus, fan-out,
 * pass-through), every rejected input with its message, the resolution bounds, build-order
 * dependencies and their sort, and the tests/data/bad-*.dts fixtures of this layer. */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "core/fdt.h"

/* tests/unit/test-fdt-common.c */
void *fdt_test_load(const char *rel_path, size_t *size);
void *fdt_test_resize(const void *fdt, size_t extra);
int fdt_test_node(const void *fdt, const char *path);
void fdt_test_set_cells(void *fdt, const char *path, const char *name, const uint32_t *cells,
                        unsigned n);
void fdt_test_assert_error(GError **err, int code, const char *substring);
void fdt_test_add(const char *path, GTestFunc fn, void **const *blobs);

static void *fdt, *bad, *deps;

#define NODE(p) fdt_test_node(fdt, (p))
#define BAD(p) fdt_test_node(bad, (p))
#define DEP(p) fdt_test_node(deps, (p))

/* Specs as text, "/ctrl<1 2>;/other<3>", so one comparison shows everything on failure. */
static char *specs_string(const void *blob, GArray *specs)
{
	GString *s = g_string_new(NULL);
	for (unsigned i = 0; i < specs->len; i++) {
		const SocFdtIrqSpec *sp = &g_array_index(specs, SocFdtIrqSpec, i);
		char *p = soc_fdt_path(blob, sp->controller);
		g_string_append_printf(s, "%s%s<", i ? ";" : "", p);
		g_free(p);
		for (unsigned c = 0; c < sp->ncells; c++)
			g_string_append_printf(s, "%s%u", c ? " " : "", sp->cells[c]);
		g_string_append_c(s, '>');
	}
	return g_string_free(s, FALSE);
}

static void assert_irq(const char *path, int index, const char *want)
{
	GError *err = NULL;
	GArray *out = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec));
	if (!soc_fdt_irq_resolve(fdt, NODE(path), index, out, &err))
		g_error("%s interrupt %d: %s", path, index, err->message);
	char *got = specs_string(fdt, out);
	g_assert_cmpstr(got, ==, want);
	g_free(got);
	g_array_free(out, TRUE);
}

static void assert_irq_count(const void *blob, const char *path, int want)
{
	GError *err = NULL;
	g_assert_cmpint(soc_fdt_irq_count(blob, fdt_test_node(blob, path), &err), ==, want);
	g_assert_no_error(err);
}

static void assert_irq_fails(const void *blob, const char *path, int index, int code,
                             const char *msg)
{
	GError *err = NULL;
	GArray *out = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec));
	g_assert_false(soc_fdt_irq_resolve(blob, fdt_test_node(blob, path), index, out, &err));
	fdt_test_assert_error(&err, code, msg);
	g_assert_cmpuint(out->len, ==, 0);
	g_array_free(out, TRUE);
}

/* ---- resolution ------------------------------------------------------------------------------ */

static void test_inherited_parent(void)
{
	GError *err = NULL;
	assert_irq_count(fdt, "/inherit-root@100", 2);
	assert_irq("/inherit-root@100", 0, "/intc0<5>");
	assert_irq("/inherit-root@100", 1, "/intc0<6>");
	assert_irq_count(fdt, "/soc/dev@200", 1);
	assert_irq("/soc/dev@200", 0, "/intc1<7 4>");
	assert_irq_count(fdt, "/soc/sub/deep@300", 2);
	assert_irq("/soc/sub/deep@300", 0, "/intc1<8 1>");
	assert_irq("/soc/sub/deep@300", 1, "/intc1<9 2>");
	assert_irq("/soc/own@400", 0, "/intc0<3>");
	g_assert_cmpint(soc_fdt_irq_parent(fdt, NODE("/soc/sub/deep@300"), &err), ==, NODE("/intc1"));
	g_assert_cmpint(soc_fdt_irq_parent(fdt, NODE("/soc/own@400"), &err), ==, NODE("/intc0"));
	g_assert_cmpint(soc_fdt_irq_parent(fdt, NODE("/pci@1000/slot@1,0"), &err), ==,
	                NODE("/pci@1000"));
	g_assert_no_error(err);
	assert_irq_fails(fdt, "/soc/dev@200", 1, SOC_ERROR_PROPERTY,
	                 "/soc/dev@200: no interrupt 1 (it has 1)");
	assert_irq_fails(fdt, "/soc/dev@200", -1, SOC_ERROR_PROPERTY, "no interrupt -1");
}

static void test_irq_cells(void)
{
	GError *err = NULL;
	g_assert_cmpint(soc_fdt_irq_cells(fdt, NODE("/intc0"), &err), ==, 1);
	g_assert_cmpint(soc_fdt_irq_cells(fdt, NODE("/intc2"), &err), ==, 3);
	g_assert_no_error(err);
	g_assert_cmpint(soc_fdt_irq_cells(fdt, NODE("/soc"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_TREE, "/soc: no #interrupt-cells");
	g_assert_cmpint(soc_fdt_irq_cells(bad, BAD("/bigcells-intc"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/bigcells-intc: #interrupt-cells is 9, more than 8");
}

static void test_extended(void)
{
	assert_irq_count(fdt, "/ext", 2);
	assert_irq("/ext", 0, "/intc0<10>");
	assert_irq("/ext", 1, "/intc2<1 2 3>");
	assert_irq_fails(fdt, "/ext", 2, SOC_ERROR_PROPERTY, "/ext: no interrupt 2 (it has 2)");
}

static void test_no_interrupts(void)
{
	assert_irq_count(fdt, "/noirq", 0);
	assert_irq_count(fdt, "/empty-irq", 0);
	assert_irq_count(fdt, "/intc0", 0);
	assert_irq_fails(fdt, "/noirq", 0, SOC_ERROR_PROPERTY, "/noirq: no interrupt 0 (it has 0)");
	GError *err = NULL;
	g_assert_cmpint(soc_fdt_irq_count(fdt, -1, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_TREE, "invalid node offset -1");
}

static void test_pci_map(void)
{
	/* Device 1 function 0, INTB. */
	assert_irq("/pci@1000/slot@1,0", 0, "/intc1<21 4>");
	/* Function 3 of device 1: the mask drops the function bits. */
	assert_irq("/pci@1000/slot@1,3", 0, "/intc1<20 4>");
	assert_irq("/pci@1000/slot@2,0", 0, "/intc1<22 4>");
	assert_irq("/pci@1000/slot@2,0", 1, "/intc0<23>");
	assert_irq_fails(fdt, "/pci@1000/slot@3,0", 0, SOC_ERROR_TREE,
	                 "/pci@1000/slot@3,0: interrupt 0: /pci@1000: no interrupt-map entry "
	                 "matches unit address <0x1800 0x0 0x0>, specifier <0x1>");
	/* No reg: the unit address is zeros. */
	assert_irq_fails(fdt, "/pci@1000/noreg", 0, SOC_ERROR_TREE,
	                 "no interrupt-map entry matches unit address <0x0 0x0 0x0>, specifier <0x1>");
}

static void test_chained_nexus(void)
{
	assert_irq("/chained", 0, "/intc2<2 2 2>");
	assert_irq("/chained", 1, "/intc1<30 0>");
}

static void test_fan_out(void)
{
	/* Two enabled controllers match (a third match is disabled, a fourth repeats the
	 * first): both are delivered, once each. */
	assert_irq("/fan-user", 0, "/intc0<40>;/intc2<40 0 0>");
	assert_irq("/fan-user", 1, "/intc0<50>");
	assert_irq_fails(fdt, "/fan-user", 2, SOC_ERROR_TREE,
	                 "/fan-user: interrupt 2: /fanout: no interrupt-map entry matches unit "
	                 "address <>, specifier <0x6> (entries to disabled nodes are skipped)");
	/* Appending keeps what the caller already had. */
	GError *err = NULL;
	GArray *out = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec));
	g_assert_true(soc_fdt_irq_resolve(fdt, NODE("/fan-user"), 1, out, &err));
	g_assert_true(soc_fdt_irq_resolve(fdt, NODE("/fan-user"), 0, out, &err));
	char *got = specs_string(fdt, out);
	g_assert_cmpstr(got, ==, "/intc0<50>;/intc0<40>;/intc2<40 0 0>");
	g_free(got);
	g_array_free(out, TRUE);
}

static void test_pass_through(void)
{
	assert_irq("/pass-user", 0, "/intc1<11 3>");
}

static void test_legacy_nexus_cells(void)
{
	assert_irq("/legacy/user@5000", 0, "/intc0<15>");
}

static void test_controllers(void)
{
	/* Its own interrupt comes back to itself. */
	assert_irq("/self-intc", 0, "/self-intc<9>");
	assert_irq("/cascade-intc", 0, "/intc1<50 4>");
	assert_irq("/cascade-user", 0, "/cascade-intc<3>");
	/* A controller with an interrupt-map: an entry to itself ends there, others go on. */
	assert_irq("/remap-user", 0, "/remap-intc<100>");
	assert_irq("/remap-user", 1, "/intc0<200>");
}

/* ---- rejected inputs ----------------------------------------------------------------------- */

static void test_bad_parents(void)
{
	GError *err = NULL;
	g_assert_cmpint(soc_fdt_irq_count(bad, BAD("/orphan"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_TREE, "/orphan: no interrupt parent");
	g_assert_cmpint(soc_fdt_irq_count(bad, BAD("/dangling-parent"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE,
	                      "/dangling-parent: interrupt-parent: phandle 0x99 does not resolve to "
	                      "any node");
	assert_irq_fails(bad, "/dangling-parent", 0, SOC_ERROR_PHANDLE, "phandle 0x99");
	g_assert_cmpint(soc_fdt_irq_count(bad, BAD("/dangling-ext"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE,
	                      "/dangling-ext: interrupts-extended entry 1: phandle 0x98 does not "
	                      "resolve to any node");
	/* Entries before the dangling one still resolve (as Linux). */
	GArray *out = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec));
	g_assert_true(soc_fdt_irq_resolve(bad, BAD("/dangling-ext"), 0, out, &err));
	g_assert_no_error(err);
	g_array_free(out, TRUE);
	assert_irq_fails(bad, "/dangling-ext", 1, SOC_ERROR_PHANDLE, "phandle 0x98");

	g_assert_cmpint(soc_fdt_irq_count(bad, BAD("/cycle-user"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE,
	                      "/cycle-user: interrupt-parent cycle: /cyc-a -> /cyc-b -> /cyc-a");
	g_assert_cmpint(soc_fdt_irq_parent(bad, BAD("/cyc-b"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE,
	                      "/cyc-b: interrupt-parent cycle: /cyc-b -> /cyc-a -> /cyc-b");
	assert_irq_fails(bad, "/self-cycle", 0, SOC_ERROR_PHANDLE,
	                 "/self-cycle: interrupt-parent cycle: /self-loop -> /self-loop");
	assert_irq_fails(bad, "/nocells-user", 0, SOC_ERROR_TREE,
	                 "/nocells-user: /nocells-intc: interrupt controller without "
	                 "#interrupt-cells");
	g_assert_cmpint(soc_fdt_irq_parent(bad, -2, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_TREE, "invalid node offset -2");
}

static void test_parent_wrong_length(void)
{
	void *copy = fdt_test_resize(bad, 64);
	static const uint32_t two[] = { 1, 1 };
	fdt_test_set_cells(copy, "/parent-len", "interrupt-parent", two, 2);
	GError *err = NULL;
	g_assert_cmpint(soc_fdt_irq_count(copy, fdt_test_node(copy, "/parent-len"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/parent-len: interrupt-parent is 8 bytes long, expected 4 (one cell)");
	g_free(copy);
}

static void test_bad_specifiers(void)
{
	GError *err = NULL;
	g_assert_cmpint(soc_fdt_irq_count(bad, BAD("/mismatch"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/mismatch: interrupts has 3 cells, not a multiple of #interrupt-cells "
	                      "(2) of its interrupt parent /intc");
	assert_irq_fails(bad, "/mismatch", 0, SOC_ERROR_PROPERTY, "interrupts has 3 cells");
	g_assert_cmpint(soc_fdt_irq_count(bad, BAD("/ext-trunc"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/ext-trunc: interrupts-extended entry 1 is truncated (2 of 3 cells; "
	                      "/intc has #interrupt-cells 2)");
	g_assert_cmpint(soc_fdt_irq_count(bad, BAD("/ext-bytes"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/ext-bytes: interrupts-extended is 5 bytes long, not a whole number "
	                      "of cells");
	g_assert_cmpint(soc_fdt_irq_count(bad, BAD("/nocells-ext"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_TREE,
	                      "/nocells-ext: interrupts-extended entry 0: /nocells-intc: no "
	                      "#interrupt-cells");
	g_assert_cmpint(soc_fdt_irq_count(bad, BAD("/bigcells-user"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/bigcells-user: interrupts-extended entry 0: /bigcells-intc: "
	                      "#interrupt-cells is 9, more than 8");
	assert_irq_fails(bad, "/pass-user", 0, SOC_ERROR_PROPERTY,
	                 "/pass-user: interrupt 0: /passthru: passes 1-cell specifiers to its "
	                 "interrupt parent /intc, which has #interrupt-cells 2");
	assert_irq_fails(bad, "/short-reg@10", 0, SOC_ERROR_PROPERTY,
	                 "/short-reg@10: reg has 2 cells, fewer than the 3-cell unit address of "
	                 "interrupt nexus /wide-nexus");
}

static void test_bad_maps(void)
{
	assert_irq_fails(bad, "/trunc-user", 0, SOC_ERROR_PROPERTY,
	                 "/trunc-user: interrupt 0: /trunc-map: interrupt-map entry 1 is truncated "
	                 "(3 of 4 cells; /intc has #address-cells 0, #interrupt-cells 2)");
	assert_irq_fails(bad, "/short-user", 0, SOC_ERROR_PROPERTY,
	                 "/short-map: interrupt-map entry 1 is truncated (1 of at least 2 cells)");
	assert_irq_fails(bad, "/badmask-user", 0, SOC_ERROR_PROPERTY,
	                 "/badmask-map: interrupt-map-mask is 8 bytes long, expected 4 "
	                 "(0 unit-address + 1 specifier cells)");
	assert_irq_fails(bad, "/mapdang-user", 0, SOC_ERROR_PHANDLE,
	                 "/mapdang-user: interrupt 0: /map-dangling: interrupt-map entry 1: phandle "
	                 "0x97 does not resolve to any node");
	assert_irq_fails(bad, "/mapnocells-user", 0, SOC_ERROR_TREE,
	                 "/map-nocells: interrupt-map entry 0: /nocells-intc: no #interrupt-cells");
	assert_irq_fails(bad, "/loop-user", 0, SOC_ERROR_PHANDLE,
	                 "/loop-user: interrupt 0: /loop-a: interrupt nexus loop: /loop-a -> "
	                 "/loop-b -> /loop-a");
	assert_irq_fails(bad, "/selfmap-user", 0, SOC_ERROR_TREE,
	                 "/self-map: interrupt-map entry 0 maps to the node itself, which is not an "
	                 "interrupt controller");
}

/* Every node of the bad fixture through count and resolve: each call either succeeds or
 * sets an error, never both, never neither (and valgrind checks the reads). */
static void test_every_bad_node(void)
{
	int depth = 0;
	for (int node = 0; node >= 0; node = fdt_next_node(bad, node, &depth)) {
		GError *err = NULL;
		int n = soc_fdt_irq_count(bad, node, &err);
		g_assert_true((n < 0) == (err != NULL));
		g_clear_error(&err);
		for (int i = 0; i < (n < 0 ? 1 : n); i++) {
			GArray *out = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec));
			bool ok = soc_fdt_irq_resolve(bad, node, i, out, &err);
			g_assert_true(ok == (err == NULL));
			g_assert_true(ok || out->len == 0);
			g_clear_error(&err);
			g_array_free(out, TRUE);
		}
		GArray *d = g_array_new(FALSE, FALSE, sizeof(int));
		bool ok = soc_fdt_node_deps(bad, node, NULL, d, &err);
		g_assert_true(ok == (err == NULL));
		g_clear_error(&err);
		g_array_free(d, TRUE);
	}
}

/* ---- bounds, on generated trees -------------------------------------------------------------- */

/* A chain of `levels` nexus nodes n0 -> n1 -> ... -> controller, each map holding `fan`
 * identical entries to the next level, and a device whose interrupt enters at n0. */
static void *build_chain(unsigned levels, unsigned fan)
{
	size_t size = 4096 + levels * (256 + fan * 16);
	void *blob = g_malloc0(size);
	g_assert_cmpint(fdt_create(blob, (int)size), ==, 0);
	g_assert_cmpint(fdt_finish_reservemap(blob), ==, 0);
	g_assert_cmpint(fdt_begin_node(blob, ""), ==, 0);
	g_assert_cmpint(fdt_begin_node(blob, "intc"), ==, 0);
	g_assert_cmpint(fdt_property(blob, "interrupt-controller", NULL, 0), ==, 0);
	g_assert_cmpint(fdt_property_u32(blob, "#interrupt-cells", 1), ==, 0);
	g_assert_cmpint(fdt_property_u32(blob, "#address-cells", 0), ==, 0);
	g_assert_cmpint(fdt_property_u32(blob, "phandle", 1000), ==, 0);
	g_assert_cmpint(fdt_end_node(blob), ==, 0);
	for (unsigned i = 0; i < levels; i++) {
		char name[16];
		snprintf(name, sizeof(name), "n%u", i);
		g_assert_cmpint(fdt_begin_node(blob, name), ==, 0);
		g_assert_cmpint(fdt_property_u32(blob, "#interrupt-cells", 1), ==, 0);
		g_assert_cmpint(fdt_property_u32(blob, "#address-cells", 0), ==, 0);
		g_assert_cmpint(fdt_property_u32(blob, "phandle", 1 + i), ==, 0);
		uint32_t next = i + 1 < levels ? 2 + i : 1000;
		fdt32_t *map = g_new(fdt32_t, 3 * fan);
		for (unsigned k = 0; k < fan; k++) {
			map[3 * k] = cpu_to_fdt32(7);
			map[3 * k + 1] = cpu_to_fdt32(next);
			map[3 * k + 2] = cpu_to_fdt32(7);
		}
		g_assert_cmpint(fdt_property(blob, "interrupt-map", map, 12 * fan), ==, 0);
		g_free(map);
		g_assert_cmpint(fdt_end_node(blob), ==, 0);
	}
	g_assert_cmpint(fdt_begin_node(blob, "dev"), ==, 0);
	g_assert_cmpint(fdt_property_u32(blob, "interrupt-parent", 1), ==, 0);
	g_assert_cmpint(fdt_property_u32(blob, "interrupts", 7), ==, 0);
	g_assert_cmpint(fdt_end_node(blob), ==, 0);
	g_assert_cmpint(fdt_end_node(blob), ==, 0);
	g_assert_cmpint(fdt_finish(blob), ==, 0);
	GError *err = NULL;
	g_assert_true(soc_fdt_check_blob(blob, size, &err));
	g_assert_no_error(err);
	return blob;
}

static void test_depth_bound(void)
{
	void *ok = build_chain(31, 1);
	GArray *out = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec));
	GError *err = NULL;
	g_assert_true(soc_fdt_irq_resolve(ok, fdt_test_node(ok, "/dev"), 0, out, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(out->len, ==, 1);
	g_assert_cmpint(g_array_index(out, SocFdtIrqSpec, 0).controller, ==, fdt_test_node(ok, "/intc"));
	g_free(ok);

	void *deep = build_chain(40, 1);
	assert_irq_fails(deep, "/dev", 0, SOC_ERROR_TREE,
	                 "/dev: interrupt 0: /n32: interrupt resolution deeper than 32 levels");
	g_free(deep);
	g_array_free(out, TRUE);
}

static void test_fan_out_bound(void)
{
	/* 2^12 paths: refused, instead of exploring them all. */
	void *wide = build_chain(12, 2);
	assert_irq_fails(wide, "/dev", 0, SOC_ERROR_TREE,
	                 "/dev: interrupt resolution takes more than 1024 steps");
	g_free(wide);
	/* 2^8 paths all reaching one destination: reported once. */
	void *ok = build_chain(8, 2);
	GArray *out = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec));
	GError *err = NULL;
	g_assert_true(soc_fdt_irq_resolve(ok, fdt_test_node(ok, "/dev"), 0, out, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(out->len, ==, 1);
	g_array_free(out, TRUE);
	g_free(ok);
}

/* ---- build order ----------------------------------------------------------------------------- */

static char *paths_string(const void *blob, GArray *nodes)
{
	GString *s = g_string_new(NULL);
	for (unsigned i = 0; i < nodes->len; i++) {
		char *p = soc_fdt_path(blob, g_array_index(nodes, int, i));
		g_string_append_printf(s, "%s%s", i ? " " : "", p);
		g_free(p);
	}
	return g_string_free(s, FALSE);
}

static const SocFdtDepProp clocks[] = {
	{ "clocks", "#clock-cells" },
	{ NULL, NULL },
};

static void assert_deps(const char *path, const SocFdtDepProp *extra, const char *want)
{
	GError *err = NULL;
	GArray *d = g_array_new(FALSE, FALSE, sizeof(int));
	if (!soc_fdt_node_deps(deps, DEP(path), extra, d, &err))
		g_error("%s: %s", path, err->message);
	char *got = paths_string(deps, d);
	g_assert_cmpstr(got, ==, want);
	g_free(got);
	g_array_free(d, TRUE);
}

static void test_node_deps(void)
{
	assert_deps("/soc/uart@100", NULL, "/soc/gpio@200");
	assert_deps("/soc/uart@100", clocks, "/soc/gpio@200 /soc/clock");
	assert_deps("/soc/gpio@200", clocks, "/soc/plic@300");
	/* Two interrupts to one controller: listed once. */
	assert_deps("/soc/plic@300", NULL, "/cpus/cpu@0/interrupt-controller");
	assert_deps("/cpus/cpu@0/interrupt-controller", NULL, "");
	/* A nexus depends on every controller its map leads to. */
	assert_deps("/soc/nexus@400", NULL, "/soc/plic@300 /soc/gpio@200");
	/* A controller whose interrupt comes back to itself does not depend on itself. */
	assert_deps("/soc/gic@500", NULL, "");

	GError *err = NULL;
	GArray *d = g_array_new(FALSE, FALSE, sizeof(int));
	g_assert_false(soc_fdt_node_deps(bad, BAD("/dangling-parent"), NULL, d, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE, "phandle 0x99");
	g_assert_false(soc_fdt_node_deps(bad, BAD("/trunc-map"), NULL, d, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "/trunc-map: interrupt-map entry 1 is truncated");
	g_assert_false(soc_fdt_node_deps(bad, BAD("/loop-a"), NULL, d, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE,
	                      "interrupt nexus loop: /loop-a -> /loop-b -> /loop-a");
	static const SocFdtDepProp bogus[] = { { "interrupt-parent", "#nothing" }, { NULL, NULL } };
	g_assert_false(soc_fdt_node_deps(bad, BAD("/mismatch"), bogus, d, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "interrupts has 3 cells");
	g_assert_false(soc_fdt_node_deps(deps, DEP("/soc/uart@100"),
	                                 (const SocFdtDepProp[]){ { "clocks", "#nothing" }, { 0 } },
	                                 d, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/soc/uart@100: clocks entry 0: /soc/clock: no #nothing");
	g_assert_cmpuint(d->len, ==, 0);
	g_array_free(d, TRUE);
}

static char *sorted_string(const char *const *paths, unsigned n, const SocFdtDepProp *extra,
                           GError **err)
{
	int *nodes = g_new(int, n);
	for (unsigned i = 0; i < n; i++)
		nodes[i] = DEP(paths[i]);
	GArray *sorted = g_array_new(FALSE, FALSE, sizeof(int));
	char *s = NULL;
	if (soc_fdt_sort_by_deps(deps, nodes, n, extra, sorted, err))
		s = paths_string(deps, sorted);
	else
		g_assert_cmpuint(sorted->len, ==, 0);
	g_array_free(sorted, TRUE);
	g_free(nodes);
	return s;
}

static void test_sort(void)
{
	static const char *const all[] = {
		"/soc/uart@100", "/soc/gpio@200", "/soc/plic@300", "/soc/clock",
		"/cpus/cpu@0/interrupt-controller", "/soc/nexus@400", "/soc/gic@500",
	};
	GError *err = NULL;
	char *s = sorted_string(all, G_N_ELEMENTS(all), clocks, &err);
	g_assert_no_error(err);
	g_assert_cmpstr(s, ==, "/cpus/cpu@0/interrupt-controller /soc/plic@300 /soc/gpio@200 "
	                       "/soc/clock /soc/uart@100 /soc/nexus@400 /soc/gic@500");
	g_free(s);
	s = sorted_string(all, G_N_ELEMENTS(all), NULL, &err);
	g_assert_cmpstr(s, ==, "/cpus/cpu@0/interrupt-controller /soc/plic@300 /soc/gpio@200 "
	                       "/soc/uart@100 /soc/clock /soc/nexus@400 /soc/gic@500");
	g_free(s);

	/* Dependencies outside the set do not matter; duplicates are dropped. */
	static const char *const some[] = {
		"/soc/uart@100", "/soc/clock", "/soc/uart@100", "/soc/plic@300",
	};
	s = sorted_string(some, G_N_ELEMENTS(some), NULL, &err);
	g_assert_cmpstr(s, ==, "/soc/uart@100 /soc/clock /soc/plic@300");
	g_free(s);
	s = sorted_string(some, G_N_ELEMENTS(some), clocks, &err);
	g_assert_cmpstr(s, ==, "/soc/clock /soc/uart@100 /soc/plic@300");
	g_free(s);
	s = sorted_string(some, 0, NULL, &err);
	g_assert_cmpstr(s, ==, "");
	g_free(s);
	g_assert_no_error(err);
}

static void test_sort_cycle(void)
{
	static const char *const abc[] = { "/cyc-a", "/cyc-b", "/cyc-c" };
	static const char *const cab[] = { "/soc/plic@300", "/cyc-c", "/cyc-a", "/cyc-b" };
	GError *err = NULL;
	g_assert_null(sorted_string(abc, G_N_ELEMENTS(abc), NULL, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_PHANDLE);
	g_assert_cmpstr(err->message, ==, "phandle cycle: /cyc-a -> /cyc-b -> /cyc-c -> /cyc-a");
	g_clear_error(&err);
	g_assert_null(sorted_string(cab, G_N_ELEMENTS(cab), NULL, &err));
	g_assert_cmpstr(err->message, ==, "phandle cycle: /cyc-c -> /cyc-a -> /cyc-b -> /cyc-c");
	g_clear_error(&err);
	/* Without the node that closes the loop there is no cycle. */
	char *s = sorted_string(abc, 2, NULL, &err);
	g_assert_no_error(err);
	g_assert_cmpstr(s, ==, "/cyc-b /cyc-a");
	g_free(s);
}

/* ---- tests/data/bad-*.dts ------------------------------------------------------------------- */

/* What socemu will do with a tree, as far as this layer goes: every enabled node's reg
 * translated (where its bus is memory mapped) and interrupts resolved, then all enabled
 * nodes sorted for building. Returns the first error. */
static bool walk_whole_tree(const void *blob, GError **err)
{
	GArray *nodes = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *specs = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec));
	bool ok = true;
	int depth = 0;
	for (int node = 0; node >= 0 && ok; node = fdt_next_node(blob, node, &depth)) {
		if (!soc_fdt_is_enabled(blob, node))
			continue;
		g_array_append_val(nodes, node);
		int n = soc_fdt_reg_count(blob, node, err);
		ok = n >= 0;
		if (ok && n > 0 && soc_fdt_reg_translatable(blob, node, NULL)) {
			for (int i = 0; i < n && ok; i++) {
				uint64_t a, s;
				ok = soc_fdt_reg_translated(blob, node, i, &a, &s, err);
			}
		}
		n = ok ? soc_fdt_irq_count(blob, node, err) : 0;
		ok = ok && n >= 0;
		for (int i = 0; i < n && ok; i++)
			ok = soc_fdt_irq_resolve(blob, node, i, specs, err);
	}
	GArray *sorted = g_array_new(FALSE, FALSE, sizeof(int));
	if (ok)
		ok = soc_fdt_sort_by_deps(blob, (const int *)nodes->data, nodes->len, NULL, sorted, err);
	g_array_free(sorted, TRUE);
	g_array_free(specs, TRUE);
	g_array_free(nodes, TRUE);
	return ok;
}

static void test_bad_fixture(gconstpointer data)
{
	const char *name = data;
	char *path = g_test_build_filename(G_TEST_DIST, "tests", "data", name, NULL);
	char *text = NULL;
	GError *err = NULL;
	g_file_get_contents(path, &text, NULL, &err);
	g_assert_no_error(err);
	g_assert_true(g_str_has_prefix(text, "// expect: "));
	char *expect = g_strndup(text + 11, strcspn(text + 11, "\n"));
	void *blob = fdt_test_load(name, NULL);
	g_assert_false(walk_whole_tree(blob, &err));
	fdt_test_assert_error(&err, -1, expect);
	g_free(blob);
	g_free(expect);
	g_free(text);
	g_free(path);
}

static void test_good_fixtures_walk(void)
{
	/* The positive fixture passes the same walk as far as its resolvable parts go. */
	GError *err = NULL;
	void *copy = fdt_test_resize(fdt, 0);
	/* Drop the three nodes that are meant to fail, then everything must succeed. */
	static const char *const failing[] = { "/pci@1000/slot@3,0", "/pci@1000/noreg", "/fan-user" };
	for (unsigned i = 0; i < G_N_ELEMENTS(failing); i++)
		g_assert_cmpint(fdt_del_node(copy, fdt_test_node(copy, failing[i])), ==, 0);
	g_assert_true(walk_whole_tree(copy, &err));
	g_assert_no_error(err);
	g_free(copy);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	static void **const fixtures[] = { &fdt, &bad, &deps, NULL };
	fdt = fdt_test_load("fdt/irq.dts", NULL);
	bad = fdt_test_load("fdt/irq-bad.dts", NULL);
	deps = fdt_test_load("fdt/deps.dts", NULL);
	fdt_test_add("/fdt/irq/inherited-parent", test_inherited_parent, fixtures);
	fdt_test_add("/fdt/irq/irq-cells", test_irq_cells, fixtures);
	fdt_test_add("/fdt/irq/interrupts-extended", test_extended, fixtures);
	fdt_test_add("/fdt/irq/no-interrupts", test_no_interrupts, fixtures);
	fdt_test_add("/fdt/irq/pci-like-map", test_pci_map, fixtures);
	fdt_test_add("/fdt/irq/chained-nexus", test_chained_nexus, fixtures);
	fdt_test_add("/fdt/irq/fan-out", test_fan_out, fixtures);
	fdt_test_add("/fdt/irq/pass-through", test_pass_through, fixtures);
	fdt_test_add("/fdt/irq/legacy-nexus-cells", test_legacy_nexus_cells, fixtures);
	fdt_test_add("/fdt/irq/controllers", test_controllers, fixtures);
	fdt_test_add("/fdt/irq/bad-parents", test_bad_parents, fixtures);
	fdt_test_add("/fdt/irq/parent-wrong-length", test_parent_wrong_length, fixtures);
	fdt_test_add("/fdt/irq/bad-specifiers", test_bad_specifiers, fixtures);
	fdt_test_add("/fdt/irq/bad-maps", test_bad_maps, fixtures);
	fdt_test_add("/fdt/irq/every-bad-node", test_every_bad_node, fixtures);
	fdt_test_add("/fdt/irq/depth-bound", test_depth_bound, fixtures);
	fdt_test_add("/fdt/irq/fan-out-bound", test_fan_out_bound, fixtures);
	fdt_test_add("/fdt/deps/node-deps", test_node_deps, fixtures);
	fdt_test_add("/fdt/deps/sort", test_sort, fixtures);
	fdt_test_add("/fdt/deps/sort-cycle", test_sort_cycle, fixtures);
	fdt_test_add("/fdt/deps/good-tree-walk", test_good_fixtures_walk, fixtures);
	static const char *const bad_fixtures[] = {
		"bad-reg-cells.dts", "bad-dangling-phandle.dts", "bad-phandle-cycle.dts",
		"bad-interrupt-map.dts",
	};
	for (unsigned i = 0; i < G_N_ELEMENTS(bad_fixtures); i++) {
		char *name = g_strdup_printf("/fdt/bad-fixture/%s", bad_fixtures[i]);
		g_test_add_data_func(name, bad_fixtures[i], test_bad_fixture);
		g_free(name);
	}
	int r = g_test_run();
	g_free(fdt);
	g_free(bad);
	g_free(deps);
	return r;
}
