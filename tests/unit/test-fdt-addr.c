/* tests/unit/test-fdt-addr.c — core/fdt-addr.c: reg parsing and translation through ranges
 * (nested, empty, absent, 1/2/3-cell buses, windows, overflow), with every error's text. */
#include <glib.h>
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

static void *fdt;

#define NODE(p) fdt_test_node(fdt, (p))

/* Entry `index` of the node's reg translates to the root address `want` (size `wsize`). */
static void assert_reg_root(const char *path, int index, uint64_t want, uint64_t wsize)
{
	GError *err = NULL;
	uint64_t a = 0, s = 0;
	if (!soc_fdt_reg_translated(fdt, NODE(path), index, &a, &s, &err))
		g_error("%s reg %d: %s", path, index, err->message);
	g_assert_cmphex(a, ==, want);
	g_assert_cmphex(s, ==, wsize);
	g_assert_true(soc_fdt_reg_translatable(fdt, NODE(path), &err));
	g_assert_no_error(err);
}

static void assert_reg_fails(const char *path, int index, int code, const char *msg)
{
	GError *err = NULL;
	uint64_t a = 0x1234, s = 0x5678;
	g_assert_false(soc_fdt_reg_translated(fdt, NODE(path), index, &a, &s, &err));
	fdt_test_assert_error(&err, code, msg);
	g_assert_cmphex(a, ==, 0x1234);
	g_assert_cmphex(s, ==, 0x5678);
}

static void test_root_level(void)
{
	assert_reg_root("/memory@80000000", 0, 0x80000000, 0x10000000);
	GError *err = NULL;
	uint64_t a, s;
	g_assert_true(soc_fdt_reg(fdt, NODE("/memory@80000000"), 0, &a, &s, &err));
	g_assert_cmphex(a, ==, 0x80000000);
	g_assert_true(soc_fdt_reg(fdt, NODE("/memory@80000000"), 0, &a, NULL, &err));
	g_assert_no_error(err);
}

static void test_narrow_under_wide(void)
{
	GError *err = NULL;
	uint64_t a, s;
	int uart = NODE("/soc/uart@10001000");
	g_assert_cmpint(soc_fdt_reg_count(fdt, uart, &err), ==, 1);
	g_assert_true(soc_fdt_reg(fdt, uart, 0, &a, &s, &err));
	g_assert_no_error(err);
	g_assert_cmphex(a, ==, 0x10001000);
	g_assert_cmphex(s, ==, 0x100);
	assert_reg_root("/soc/uart@10001000", 0, 0x100001000ull, 0x100);
}

static void test_multi_entry_reg(void)
{
	GError *err = NULL;
	g_assert_cmpint(soc_fdt_reg_count(fdt, NODE("/soc/multi@20000000"), &err), ==, 3);
	g_assert_no_error(err);
	assert_reg_root("/soc/multi@20000000", 0, 0x20000000, 0x100);
	assert_reg_root("/soc/multi@20000000", 1, 0x20000800, 0x80);
	assert_reg_root("/soc/multi@20000000", 2, 0x100000000ull, 0x4);
	uint64_t a;
	g_assert_false(soc_fdt_reg(fdt, NODE("/soc/multi@20000000"), 3, &a, NULL, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/soc/multi@20000000: reg has 3 entries, no entry 3");
	g_assert_false(soc_fdt_reg(fdt, NODE("/soc/multi@20000000"), -1, &a, NULL, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "no entry -1");
	g_assert_cmpint(soc_fdt_reg_count(fdt, NODE("/soc"), &err), ==, 0);
	g_assert_false(soc_fdt_reg(fdt, NODE("/soc"), 0, &a, NULL, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "/soc: no reg");
}

static void test_window_bounds(void)
{
	/* The last byte of a window matches; the byte after it does not. */
	assert_reg_root("/soc/last-byte@10ffffff", 0, 0x100ffffffull, 1);
	assert_reg_fails("/soc/past-end@11000000", 0, SOC_ERROR_TREE,
	                 "/soc/past-end@11000000: reg entry 0 (0x11000000): /soc: no ranges entry "
	                 "covers address 0x11000000");
	assert_reg_fails("/soc/outside@30000000", 0, SOC_ERROR_TREE,
	                 "/soc: no ranges entry covers address 0x30000000");
	GError *err = NULL;
	uint64_t out;
	g_assert_false(soc_fdt_translate(fdt, NODE("/soc"), 0x0fffffff, 0, &out, &err));
	fdt_test_assert_error(&err, SOC_ERROR_TREE, "/soc: no ranges entry covers address 0xfffffff");
	g_assert_true(soc_fdt_translate(fdt, NODE("/soc"), 0x10000000, 0, &out, &err));
	g_assert_cmphex(out, ==, 0x100000000ull);
	g_assert_true(soc_fdt_translate(fdt, NODE("/soc"), 0x200fffff, 0, &out, &err));
	g_assert_cmphex(out, ==, 0x200fffff);
	g_assert_false(soc_fdt_translate(fdt, NODE("/soc"), 0x20100000, 0, &out, &err));
	fdt_test_assert_error(&err, SOC_ERROR_TREE, "covers address 0x20100000");
}

static void test_nested_ranges(void)
{
	assert_reg_root("/soc/bus@10100000/dev@200", 0, 0x100100200ull, 0x10);
	/* Three levels, the innermost with empty ranges (identity). */
	assert_reg_root("/soc/bus@10100000/inner@1000/dev@1100", 0, 0x100101100ull, 0x4);

	GError *err = NULL;
	uint64_t out;
	int inner = NODE("/soc/bus@10100000/inner@1000"), bus = NODE("/soc/bus@10100000");
	int soc = NODE("/soc");
	/* Partial walks: up to an intermediate ancestor, and to the bus itself. */
	g_assert_true(soc_fdt_translate(fdt, inner, 0x1100, bus, &out, &err));
	g_assert_cmphex(out, ==, 0x1100);
	g_assert_true(soc_fdt_translate(fdt, inner, 0x1100, soc, &out, &err));
	g_assert_cmphex(out, ==, 0x10101100);
	g_assert_true(soc_fdt_translate(fdt, inner, 0x1100, inner, &out, &err));
	g_assert_cmphex(out, ==, 0x1100);
	g_assert_true(soc_fdt_translate(fdt, 0, 0xdeadbeef00ull, 0, &out, &err));
	g_assert_cmphex(out, ==, 0xdeadbeef00ull);
	g_assert_no_error(err);
	/* The window of bus@10100000 is 64 KiB. */
	g_assert_false(soc_fdt_translate(fdt, bus, 0x10000, 0, &out, &err));
	fdt_test_assert_error(&err, SOC_ERROR_TREE,
	                      "/soc/bus@10100000: no ranges entry covers address 0x10000");
	/* `upto` must be on the way up. */
	g_assert_false(soc_fdt_translate(fdt, inner, 0x1100, NODE("/wide"), &out, &err));
	fdt_test_assert_error(&err, SOC_ERROR_TREE,
	                      "/soc/bus@10100000/inner@1000: /wide is not this node or one of its "
	                      "ancestors");
	g_assert_false(soc_fdt_translate(fdt, -1, 0, 0, &out, &err));
	fdt_test_assert_error(&err, SOC_ERROR_TREE, "invalid node offset -1");
	g_assert_false(soc_fdt_translate(fdt, soc, 0, 7, &out, &err));
	fdt_test_assert_error(&err, SOC_ERROR_TREE, "invalid node offset 7");
	/* An address wider than the bus's own cells. */
	g_assert_false(soc_fdt_translate(fdt, soc, 0x100000000ull, 0, &out, &err));
	fdt_test_assert_error(&err, SOC_ERROR_TREE,
	                      "/soc: address 0x100000000 does not fit its 32-bit address space");
}

static void test_absent_ranges(void)
{
	GError *err = NULL;
	uint64_t a, s;
	int sensor = NODE("/soc/i2c@20000400/sensor@50");
	/* Raw reg works (size 0 with #size-cells 0); translation does not. */
	g_assert_true(soc_fdt_reg(fdt, sensor, 0, &a, &s, &err));
	g_assert_cmphex(a, ==, 0x50);
	g_assert_cmphex(s, ==, 0);
	assert_reg_fails("/soc/i2c@20000400/sensor@50", 0, SOC_ERROR_TREE,
	                 "/soc/i2c@20000400: no ranges, so the addresses of its children are not "
	                 "translatable to /soc");
	g_assert_false(soc_fdt_reg_translatable(fdt, sensor, &err));
	fdt_test_assert_error(&err, SOC_ERROR_TREE,
	                      "/soc/i2c@20000400/sensor@50: reg is not translatable: "
	                      "/soc/i2c@20000400 has no ranges");
	g_assert_true(soc_fdt_reg_translatable(fdt, NODE("/soc/i2c@20000400"), &err));
	g_assert_true(soc_fdt_reg_translatable(fdt, 0, &err));
	g_assert_no_error(err);
	g_assert_false(soc_fdt_reg_translatable(fdt, -3, &err));
	fdt_test_assert_error(&err, SOC_ERROR_TREE, "invalid node offset -3");
}

static void test_zero_size_window(void)
{
	assert_reg_root("/soc/zero-window/dev@10", 0, 0x20000110, 0x4);
}

static void test_first_window_wins(void)
{
	assert_reg_root("/soc/overlap/dev@20", 0, 0x20000020, 0x4);
}

static void test_identity_narrowing(void)
{
	assert_reg_root("/soc/wide-under-narrow/low@0,20000010", 0, 0x20000010, 0x10);
	assert_reg_fails("/soc/wide-under-narrow/high@1,0", 0, SOC_ERROR_TREE,
	                 "/soc/wide-under-narrow: address 0x100000000 (empty ranges: identity) "
	                 "does not fit the 32-bit address space of /soc");
}

static void test_64bit(void)
{
	assert_reg_root("/wide/mem@40000000", 0, 0x8040000000ull, 0x180000000ull);
	assert_reg_root("/wide/top@1,ffffff00", 0, 0x81ffffff00ull, 0x100);
}

static void test_three_cells(void)
{
	assert_reg_root("/three/dev@1000", 0, 0x40000000, 0x100);
	GError *err = NULL;
	uint64_t a;
	g_assert_false(soc_fdt_reg(fdt, NODE("/three/hi@1000"), 0, &a, NULL, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/three/hi@1000: reg entry 0: the address needs more than 64 bits");
}

static void test_bad_reg(void)
{
	GError *err = NULL;
	uint64_t a, s;
	g_assert_cmpint(soc_fdt_reg_count(fdt, NODE("/bad/reg-len"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/bad/reg-len: reg has 3 cells, expected a multiple of 2 "
	                      "(#address-cells 1 + #size-cells 1 of /bad)");
	g_assert_false(soc_fdt_reg(fdt, NODE("/bad/reg-len"), 0, &a, &s, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "reg has 3 cells");
	g_assert_cmpint(soc_fdt_reg_count(fdt, NODE("/bad/reg-bytes"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/bad/reg-bytes: reg is 9 bytes long, not a whole number of cells");
	g_assert_false(soc_fdt_reg(fdt, NODE("/bad/reg-past-4g"), 0, &a, &s, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/bad/reg-past-4g: reg entry 0 (0xffffff00 size 0x200) runs past the "
	                      "end of the 32-bit address space of /bad");
	/* Ending exactly at 4 GiB is fine. */
	g_assert_true(soc_fdt_reg(fdt, NODE("/bad/reg-to-4g"), 0, &a, &s, &err));
	g_assert_no_error(err);
	g_assert_cmphex(a + s, ==, 0x100000000ull);
}

static void test_bad_cells(void)
{
	GError *err = NULL;
	g_assert_cmpint(soc_fdt_reg_count(fdt, NODE("/bad/addr4/child"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/bad/addr4/child: reg: /bad/addr4: #address-cells is 4, expected 1 to 3");
	g_assert_cmpint(soc_fdt_reg_count(fdt, NODE("/bad/addr0/child"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/bad/addr0/child: reg: /bad/addr0: #address-cells is 0, expected 1 to 3");
	g_assert_cmpint(soc_fdt_reg_count(fdt, NODE("/bad/size3/child"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/bad/size3/child: reg: /bad/size3: #size-cells is 3, expected 0 to 2");
	/* A bus with bad cells cannot be translated through either. */
	uint64_t out;
	g_assert_false(soc_fdt_translate(fdt, NODE("/bad/addr4"), 0, 0, &out, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "/bad/addr4: #address-cells is 4");
}

static void test_bad_ranges(void)
{
	assert_reg_fails("/bad/ranges-len/child@0", 0, SOC_ERROR_PROPERTY,
	                 "/bad/ranges-len: ranges has 4 cells, expected a multiple of 3 "
	                 "(1 child-address + 1 parent-address + 1 size cells)");
	/* Entry 1 is malformed even though entry 0 is the one that would match. */
	assert_reg_fails("/bad/ranges-wrap/child@0", 0, SOC_ERROR_PROPERTY,
	                 "/bad/ranges-wrap: ranges entry 1: the child window 0xf0000000 size "
	                 "0x20000000 runs past the end of its 32-bit address space");
	assert_reg_fails("/bad/ranges-parent-wrap/child@0", 0, SOC_ERROR_PROPERTY,
	                 "/bad/ranges-parent-wrap: ranges entry 0: the parent window 0xfffff000 "
	                 "size 0x2000 runs past the end of its 32-bit address space");
	assert_reg_fails("/bad/ranges-hi/child@0", 0, SOC_ERROR_PROPERTY,
	                 "/bad/ranges-hi: ranges entry 1: the child address needs more than 64 bits");
}

/* A patched copy: a ranges whose byte length is not whole cells, and a 64-bit window that
 * ends exactly at 2^64 (allowed) or beyond it (an error). */
static void test_patched_ranges(void)
{
	void *copy = fdt_test_resize(fdt, 512);
	void *saved = fdt;
	fdt = copy;
	g_assert_cmpint(fdt_setprop(copy, NODE("/wide"), "ranges", "abcde", 5), ==, 0);
	assert_reg_fails("/wide/mem@40000000", 0, SOC_ERROR_PROPERTY,
	                 "/wide: ranges is 5 bytes long, not a whole number of cells");

	/* child 0xffffffff_00000000 -> parent 0x1000, size 2^32: ends at 2^64 exactly. */
	static const uint32_t top[] = { 0xffffffff, 0x0, 0x0, 0x1000, 0x1, 0x0 };
	fdt_test_set_cells(copy, "/wide", "ranges", top, G_N_ELEMENTS(top));
	GError *err = NULL;
	uint64_t out;
	g_assert_true(soc_fdt_translate(copy, NODE("/wide"), 0xffffffffffffffffull, 0, &out, &err));
	g_assert_no_error(err);
	g_assert_cmphex(out, ==, 0x100000fffull);

	static const uint32_t over[] = { 0xffffffff, 0x0, 0x0, 0x1000, 0x1, 0x1 };
	fdt_test_set_cells(copy, "/wide", "ranges", over, G_N_ELEMENTS(over));
	g_assert_false(soc_fdt_translate(copy, NODE("/wide"), 0xffffffff00000000ull, 0, &out, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/wide: ranges entry 0: the child window 0xffffffff00000000 size "
	                      "0x100000001 runs past the end of its 64-bit address space");
	fdt = saved;
	g_free(copy);
}

static void test_bad_root(void)
{
	void *bad = fdt_test_load("fdt/addr-bad.dts", NULL);
	GError *err = NULL;
	g_assert_cmpint(soc_fdt_reg_count(bad, 0, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_TREE, "/: reg on the root node (it has no parent bus)");
	g_assert_cmpint(soc_fdt_reg_count(bad, fdt_test_node(bad, "/dev"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/dev: reg: /: #address-cells is 4, expected 1 to 3");
	uint64_t out;
	g_assert_false(soc_fdt_translate(bad, 0, 0, 0, &out, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "/: #address-cells is 4");
	g_free(bad);
}

/* Walk every node of every address fixture through every entry point: whatever the
 * outcome, each call either succeeds or sets exactly one error (and valgrind sees no bad
 * read). */
static void test_every_node(void)
{
	int depth = 0;
	for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		GError *err = NULL;
		int n = soc_fdt_reg_count(fdt, node, &err);
		g_assert_true((n < 0) == (err != NULL));
		g_clear_error(&err);
		for (int i = 0; i < n; i++) {
			uint64_t a, s;
			bool ok = soc_fdt_reg_translated(fdt, node, i, &a, &s, &err);
			g_assert_true(ok == (err == NULL));
			g_clear_error(&err);
		}
		bool ok = soc_fdt_reg_translatable(fdt, node, &err);
		g_assert_true(ok == (err == NULL));
		g_clear_error(&err);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	static void **const fixtures[] = { &fdt, NULL };
	fdt = fdt_test_load("fdt/addr.dts", NULL);
	fdt_test_add("/fdt/addr/root-level", test_root_level, fixtures);
	fdt_test_add("/fdt/addr/1-cell-under-2-cell", test_narrow_under_wide, fixtures);
	fdt_test_add("/fdt/addr/multi-entry-reg", test_multi_entry_reg, fixtures);
	fdt_test_add("/fdt/addr/window-bounds", test_window_bounds, fixtures);
	fdt_test_add("/fdt/addr/nested-ranges", test_nested_ranges, fixtures);
	fdt_test_add("/fdt/addr/absent-ranges", test_absent_ranges, fixtures);
	fdt_test_add("/fdt/addr/zero-size-window", test_zero_size_window, fixtures);
	fdt_test_add("/fdt/addr/first-window-wins", test_first_window_wins, fixtures);
	fdt_test_add("/fdt/addr/identity-narrowing", test_identity_narrowing, fixtures);
	fdt_test_add("/fdt/addr/64-bit", test_64bit, fixtures);
	fdt_test_add("/fdt/addr/3-cell", test_three_cells, fixtures);
	fdt_test_add("/fdt/addr/bad-reg", test_bad_reg, fixtures);
	fdt_test_add("/fdt/addr/bad-cells", test_bad_cells, fixtures);
	fdt_test_add("/fdt/addr/bad-ranges", test_bad_ranges, fixtures);
	fdt_test_add("/fdt/addr/patched-ranges", test_patched_ranges, fixtures);
	fdt_test_add("/fdt/addr/bad-root", test_bad_root, fixtures);
	fdt_test_add("/fdt/addr/every-node", test_every_node, fixtures);
	int r = g_test_run();
	g_free(fdt);
	return r;
}
