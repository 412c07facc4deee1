/* The guest's tree: emulator-only properties removed, the rest kept, the blob valid. */
#include "core/guest-dt.h"
#include "core/tree.h"

#include <libfdt.h>
#include <string.h>

static void test_strip(void)
{
	GError *err = NULL;
	g_autofree char *dts = g_test_build_filename(G_TEST_DIST, "tests", "data", "devices.dts", NULL);
	SocTree *t = soc_tree_load(dts, NULL, &err);
	const void *fdt;
	g_autofree void *guest = NULL;
	size_t len = 0;
	int node, depth = 0, kept = 0;

	g_assert_no_error(err);
	g_assert_true(soc_tree_set(t, "/serial@10000000:socemu,serial=\"null\"", &err));
	g_assert_true(soc_tree_set(t, "/serial@10000000:socemu,serial-prefix=\"[x] \"", &err));
	g_assert_true(soc_tree_set(t, "/:socemu,guest-dtb-address=<0x80000000>", &err));
	g_assert_no_error(err);
	fdt = soc_tree_blob(t);
	guest = soc_guest_dt_build(fdt, &len, &err);
	g_assert_no_error(err);
	g_assert_cmpint(fdt_check_full(guest, len), ==, 0);
	g_assert_cmpuint(len, ==, fdt_totalsize(guest));
	for (node = 0; node >= 0; node = fdt_next_node(guest, node, &depth)) {
		int prop;
		fdt_for_each_property_offset(prop, guest, node) {
			const char *name;
			fdt_getprop_by_offset(guest, prop, &name, NULL);
			g_assert_false(g_str_has_prefix(name, "socemu,"));
			kept++;
		}
	}
	g_assert_cmpint(kept, >, 20);
	node = fdt_path_offset(guest, "/serial@10000000");
	g_assert_cmpint(node, >=, 0);
	g_assert_nonnull(fdt_getprop(guest, node, "compatible", NULL));
	g_assert_null(fdt_getprop(guest, node, "socemu,serial", NULL));
	soc_tree_free(t);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/guest-dt/strip", test_strip);
	return g_test_run();
}
