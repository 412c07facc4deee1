/* tests/unit/test-fdt-prop.c — core/fdt.c: blob checks, paths, bounded property access,
 * string lists, status, phandles and phandle+args lists, bus cells. */
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
static size_t fdt_size;

#define NODE(p) fdt_test_node(fdt, (p))

static void test_path(void)
{
	char *p = soc_fdt_path(fdt, 0);
	g_assert_cmpstr(p, ==, "/");
	g_free(p);
	p = soc_fdt_path(fdt, NODE("/node@1000"));
	g_assert_cmpstr(p, ==, "/node@1000");
	g_free(p);

	const char *deep = "/a-node-with-a-rather-long-name-to-grow-the-path-buffer@0"
	                   "/another-node-with-a-rather-long-name-to-grow-the-path@1"
	                   "/and-a-third-level-so-the-path-exceeds-one-hundred-and-twenty-eight@2";
	g_assert_cmpuint(strlen(deep), >, 128);
	p = soc_fdt_path(fdt, NODE(deep));
	g_assert_cmpstr(p, ==, deep);
	g_free(p);

	int bad[] = { -1, 1, 3, (int)fdt_size, 1 << 30 };
	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		p = soc_fdt_path(fdt, bad[i]);
		g_assert_cmpstr(p, ==, "<invalid node>");
		g_free(p);
		g_assert_false(soc_fdt_node_valid(fdt, bad[i]));
		g_assert_cmpint(soc_fdt_parent(fdt, bad[i]), ==, -1);
	}
	p = soc_fdt_path(NULL, 0);
	g_assert_cmpstr(p, ==, "<invalid node>");
	g_free(p);
}

static void test_parent(void)
{
	g_assert_cmpint(soc_fdt_parent(fdt, 0), ==, -1);
	g_assert_cmpint(soc_fdt_parent(fdt, NODE("/node@1000")), ==, 0);
	g_assert_cmpint(soc_fdt_parent(fdt, NODE("/clock-user")), ==, 0);
}

static void test_prop(void)
{
	int node = NODE("/node@1000"), len = 99;
	const void *v = soc_fdt_prop(fdt, node, "u32", &len);
	g_assert_nonnull(v);
	g_assert_cmpint(len, ==, 4);
	g_assert_null(soc_fdt_prop(fdt, node, "missing", &len));
	g_assert_cmpint(len, ==, 0);
	v = soc_fdt_prop(fdt, node, "empty", &len);
	g_assert_nonnull(v);
	g_assert_cmpint(len, ==, 0);
	g_assert_true(soc_fdt_has_prop(fdt, node, "empty"));
	g_assert_false(soc_fdt_has_prop(fdt, node, "missing"));
	g_assert_null(soc_fdt_prop(fdt, -1, "u32", &len));
	g_assert_null(soc_fdt_prop(fdt, 3, "u32", NULL));
	g_assert_false(soc_fdt_has_prop(fdt, -5, "u32"));
}

static void test_cells_to_u64(void)
{
	static const uint8_t c3[] = { 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };
	static const uint8_t hi[] = { 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 };
	uint64_t v = 1;
	g_assert_true(soc_fdt_cells_to_u64(c3, 0, &v));
	g_assert_cmphex(v, ==, 0);
	g_assert_true(soc_fdt_cells_to_u64(c3 + 4, 1, &v));
	g_assert_cmphex(v, ==, 0x12345678);
	g_assert_true(soc_fdt_cells_to_u64(c3, 3, &v));
	g_assert_cmphex(v, ==, 0x123456789abcdef0ull);
	g_assert_false(soc_fdt_cells_to_u64(hi, 3, &v));
	g_assert_true(soc_fdt_cells_to_u64(hi, 2, &v));
	g_assert_cmphex(v, ==, 0x100000000ull);
}

static void test_read_u32(void)
{
	int node = NODE("/node@1000");
	GError *err = NULL;
	uint32_t v = 7;
	g_assert_cmpint(soc_fdt_read_u32(fdt, node, "u32", &v, &err), ==, 1);
	g_assert_no_error(err);
	g_assert_cmphex(v, ==, 0x12345678);
	v = 7;
	g_assert_cmpint(soc_fdt_read_u32(fdt, node, "missing", &v, &err), ==, 0);
	g_assert_no_error(err);
	g_assert_cmpuint(v, ==, 7);
	g_assert_cmpint(soc_fdt_read_u32(fdt, node, "three", &v, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/node@1000: three is 12 bytes long, expected 4 (one cell)");
	g_assert_cmpint(soc_fdt_read_u32(fdt, node, "bytes", &v, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "bytes is 3 bytes long");
	g_assert_cmpint(soc_fdt_read_u32(fdt, node, "empty", &v, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "empty is 0 bytes long");
	g_assert_cmpint(soc_fdt_read_u32(fdt, node, "three", &v, NULL), ==, -1);
	g_assert_cmpuint(v, ==, 7);
}

static void test_read_u64(void)
{
	int node = NODE("/node@1000");
	GError *err = NULL;
	uint64_t v = 0;
	g_assert_cmpint(soc_fdt_read_u64(fdt, node, "u64-one", &v, &err), ==, 1);
	g_assert_cmphex(v, ==, 5);
	g_assert_cmpint(soc_fdt_read_u64(fdt, node, "u64-two", &v, &err), ==, 1);
	g_assert_cmphex(v, ==, 0x100000002ull);
	g_assert_no_error(err);
	g_assert_cmpint(soc_fdt_read_u64(fdt, node, "nope", &v, &err), ==, 0);
	g_assert_no_error(err);
	g_assert_cmpint(soc_fdt_read_u64(fdt, node, "three", &v, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/node@1000: three is 12 bytes long, expected 4 or 8");
}

static void test_read_string(void)
{
	int node = NODE("/node@1000");
	GError *err = NULL;
	const char *s = NULL;
	g_assert_cmpint(soc_fdt_read_string(fdt, node, "str", &s, &err), ==, 1);
	g_assert_cmpstr(s, ==, "hello");
	g_assert_cmpint(soc_fdt_read_string(fdt, node, "strlist", &s, &err), ==, 1);
	g_assert_cmpstr(s, ==, "a");
	g_assert_cmpint(soc_fdt_read_string(fdt, node, "trailing", &s, &err), ==, 1);
	g_assert_cmpstr(s, ==, "a");
	g_assert_no_error(err);
	s = NULL;
	g_assert_cmpint(soc_fdt_read_string(fdt, node, "none", &s, &err), ==, 0);
	g_assert_null(s);
	g_assert_cmpint(soc_fdt_read_string(fdt, node, "unterminated", &s, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/node@1000: unterminated is not a NUL-terminated string");
	g_assert_null(s);
	g_assert_cmpint(soc_fdt_read_string(fdt, node, "empty", &s, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "empty is not a NUL-terminated string");
}

static void test_stringlist(void)
{
	int node = NODE("/node@1000");
	GError *err = NULL;
	g_assert_cmpint(soc_fdt_stringlist_count(fdt, node, "strlist", &err), ==, 4);
	g_assert_cmpint(soc_fdt_stringlist_count(fdt, node, "compatible", &err), ==, 2);
	g_assert_cmpint(soc_fdt_stringlist_count(fdt, node, "absent", &err), ==, 0);
	g_assert_cmpint(soc_fdt_stringlist_count(fdt, node, "empty", &err), ==, 0);
	g_assert_no_error(err);
	g_assert_cmpint(soc_fdt_stringlist_count(fdt, node, "unterminated", &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/node@1000: unterminated: the last string is not NUL-terminated");
	g_assert_cmpint(soc_fdt_stringlist_count(fdt, node, "trailing", &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "trailing: the last string");

	g_assert_cmpstr(soc_fdt_stringlist_get(fdt, node, "strlist", 0), ==, "a");
	g_assert_cmpstr(soc_fdt_stringlist_get(fdt, node, "strlist", 1), ==, "bc");
	g_assert_cmpstr(soc_fdt_stringlist_get(fdt, node, "strlist", 2), ==, "");
	g_assert_cmpstr(soc_fdt_stringlist_get(fdt, node, "strlist", 3), ==, "def");
	g_assert_null(soc_fdt_stringlist_get(fdt, node, "strlist", 4));
	g_assert_null(soc_fdt_stringlist_get(fdt, node, "strlist", -1));
	g_assert_null(soc_fdt_stringlist_get(fdt, node, "absent", 0));
	g_assert_cmpstr(soc_fdt_stringlist_get(fdt, node, "trailing", 0), ==, "a");
	g_assert_null(soc_fdt_stringlist_get(fdt, node, "trailing", 1));
	g_assert_null(soc_fdt_stringlist_get(fdt, node, "unterminated", 0));

	g_assert_true(soc_fdt_stringlist_contains(fdt, node, "strlist", "bc"));
	g_assert_true(soc_fdt_stringlist_contains(fdt, node, "strlist", "def"));
	g_assert_true(soc_fdt_stringlist_contains(fdt, node, "strlist", ""));
	g_assert_false(soc_fdt_stringlist_contains(fdt, node, "strlist", "b"));
	g_assert_false(soc_fdt_stringlist_contains(fdt, node, "strlist", "bcd"));
	g_assert_false(soc_fdt_stringlist_contains(fdt, node, "strlist", "de"));
	/* Only whole, terminated strings count: no match on the unterminated tail. */
	g_assert_false(soc_fdt_stringlist_contains(fdt, node, "unterminated", "abc"));
	g_assert_false(soc_fdt_stringlist_contains(fdt, node, "trailing", "bc"));
	g_assert_true(soc_fdt_stringlist_contains(fdt, node, "trailing", "a"));
	g_assert_false(soc_fdt_stringlist_contains(fdt, node, "absent", "a"));
	g_assert_false(soc_fdt_stringlist_contains(fdt, node, "strlist", NULL));

	g_assert_true(soc_fdt_is_compatible(fdt, node, "vendor,dev"));
	g_assert_true(soc_fdt_is_compatible(fdt, node, "vendor,dev-v2"));
	g_assert_false(soc_fdt_is_compatible(fdt, node, "vendor,de"));
}

static void test_is_enabled(void)
{
	g_assert_true(soc_fdt_is_enabled(fdt, NODE("/status-okay")));
	g_assert_true(soc_fdt_is_enabled(fdt, NODE("/status-ok")));
	g_assert_true(soc_fdt_is_enabled(fdt, NODE("/status-none")));
	g_assert_false(soc_fdt_is_enabled(fdt, NODE("/status-disabled")));
	g_assert_false(soc_fdt_is_enabled(fdt, NODE("/status-okayx")));
	g_assert_false(soc_fdt_is_enabled(fdt, NODE("/status-raw")));
}

static void test_phandle(void)
{
	GError *err = NULL;
	int target = NODE("/target");
	uint32_t ph = fdt_get_phandle(fdt, target);
	g_assert_cmpuint(ph, !=, 0);
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, ph, &err), ==, target);
	g_assert_no_error(err);
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, 0x999, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE, "phandle 0x999 does not resolve to any node");
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, 0, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE, "phandle 0x0 is not valid");
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, 0xffffffff, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE, "phandle 0xffffffff is not valid");
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, 0x999, NULL), ==, -1);
	g_assert_cmpint(soc_fdt_resolve_phandle(fdt, NODE("/clock-user"), "foo", 0x42, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE,
	                      "/clock-user: foo: phandle 0x42 does not resolve to any node");
}

static void test_phandle_args(void)
{
	GError *err = NULL;
	int user = NODE("/clock-user"), clk = NODE("/clk"), osc = NODE("/osc");
	SocFdtPhandleArgs a;

	g_assert_cmpint(soc_fdt_phandle_args_count(fdt, user, "clocks", "#clock-cells", &err), ==, 4);
	g_assert_no_error(err);
	g_assert_true(soc_fdt_phandle_args(fdt, user, "clocks", "#clock-cells", 0, &a, &err));
	g_assert_cmpint(a.node, ==, clk);
	g_assert_cmpuint(a.nargs, ==, 1);
	g_assert_cmpuint(a.args[0], ==, 3);
	g_assert_true(soc_fdt_phandle_args(fdt, user, "clocks", "#clock-cells", 1, &a, &err));
	g_assert_cmpint(a.node, ==, -1);
	g_assert_cmpuint(a.phandle, ==, 0);
	g_assert_cmpuint(a.nargs, ==, 0);
	g_assert_true(soc_fdt_phandle_args(fdt, user, "clocks", "#clock-cells", 2, &a, &err));
	g_assert_cmpint(a.node, ==, osc);
	g_assert_cmpuint(a.nargs, ==, 0);
	g_assert_true(soc_fdt_phandle_args(fdt, user, "clocks", "#clock-cells", 3, &a, &err));
	g_assert_cmpint(a.node, ==, clk);
	g_assert_cmpuint(a.args[0], ==, 7);
	g_assert_no_error(err);
	g_assert_false(soc_fdt_phandle_args(fdt, user, "clocks", "#clock-cells", 4, &a, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "/clock-user: clocks has 4 entries, no entry 4");
	g_assert_false(soc_fdt_phandle_args(fdt, user, "clocks", "#clock-cells", -1, &a, &err));
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY, "no entry -1");

	g_assert_cmpint(soc_fdt_phandle_args_count(fdt, user, "bare", NULL, &err), ==, 2);
	g_assert_true(soc_fdt_phandle_args(fdt, user, "bare", NULL, 1, &a, &err));
	g_assert_cmpint(a.node, ==, osc);
	g_assert_cmpint(soc_fdt_phandle_args_count(fdt, user, "absent", "#clock-cells", &err), ==, 0);
	g_assert_no_error(err);

	g_assert_cmpint(soc_fdt_phandle_args_count(fdt, user, "truncated", "#clock-cells", &err),
	                ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/clock-user: truncated entry 1 is truncated (1 of 2 cells; /clk has "
	                      "#clock-cells 1)");
	g_assert_cmpint(soc_fdt_phandle_args_count(fdt, user, "nocells", "#clock-cells", &err),
	                ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/clock-user: nocells entry 0: /target: no #clock-cells");
	g_assert_cmpint(soc_fdt_phandle_args_count(fdt, user, "dangling", "#clock-cells", &err),
	                ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE,
	                      "/clock-user: dangling entry 1: phandle 0x999 does not resolve");
	g_assert_cmpint(soc_fdt_phandle_args_count(fdt, user, "toomany", "#clock-cells", &err),
	                ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/clock-user: toomany entry 0: /huge: #clock-cells is 17, more than 16");
	g_assert_cmpint(soc_fdt_phandle_args_count(fdt, user, "odd", NULL, &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/clock-user: odd is 3 bytes long, not a whole number of cells");
}

static void test_bus_cells(void)
{
	GError *err = NULL;
	g_assert_cmpint(soc_fdt_address_cells(fdt, NODE("/cells-default"), &err), ==, 2);
	g_assert_cmpint(soc_fdt_size_cells(fdt, NODE("/cells-default"), &err), ==, 1);
	g_assert_cmpint(soc_fdt_address_cells(fdt, NODE("/cells-max"), &err), ==, 3);
	g_assert_cmpint(soc_fdt_size_cells(fdt, NODE("/cells-max"), &err), ==, 2);
	g_assert_cmpint(soc_fdt_address_cells(fdt, NODE("/cells-min"), &err), ==, 1);
	g_assert_cmpint(soc_fdt_size_cells(fdt, NODE("/cells-min"), &err), ==, 0);
	g_assert_cmpint(soc_fdt_address_cells(fdt, 0, &err), ==, 1);
	g_assert_no_error(err);

	g_assert_cmpint(soc_fdt_address_cells(fdt, NODE("/cells-addr4"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/cells-addr4: #address-cells is 4, expected 1 to 3");
	g_assert_cmpint(soc_fdt_address_cells(fdt, NODE("/cells-addr0"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/cells-addr0: #address-cells is 0, expected 1 to 3");
	g_assert_cmpint(soc_fdt_size_cells(fdt, NODE("/cells-size3"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/cells-size3: #size-cells is 3, expected 0 to 2");
	g_assert_cmpint(soc_fdt_address_cells(fdt, NODE("/cells-len"), &err), ==, -1);
	fdt_test_assert_error(&err, SOC_ERROR_PROPERTY,
	                      "/cells-len: #address-cells is 8 bytes long, expected 4");
}

static void test_check_blob(void)
{
	GError *err = NULL;
	g_assert_true(soc_fdt_check_blob(fdt, fdt_size, &err));
	g_assert_no_error(err);

	g_assert_false(soc_fdt_check_blob(fdt, fdt_size / 2, &err));
	fdt_test_assert_error(&err, SOC_ERROR_BLOB, "malformed device tree blob");
	g_assert_false(soc_fdt_check_blob(NULL, 0, &err));
	fdt_test_assert_error(&err, SOC_ERROR_BLOB, "no device tree blob");
	char junk[64];
	memset(junk, 0xa5, sizeof(junk));
	g_assert_false(soc_fdt_check_blob(junk, sizeof(junk), &err));
	fdt_test_assert_error(&err, SOC_ERROR_BLOB, "malformed device tree blob");

	/* Two nodes with one phandle: libfdt would silently find only the first. */
	void *copy = fdt_test_resize(fdt, 256);
	int clk = fdt_path_offset(copy, "/clk");
	uint32_t ph = fdt_get_phandle(copy, clk);
	g_assert_cmpint(fdt_setprop_u32(copy, fdt_path_offset(copy, "/osc"), "phandle", ph), ==, 0);
	g_assert_false(soc_fdt_check_blob(copy, fdt_totalsize(copy), &err));
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE, "is also used by /clk");
	g_free(copy);

	copy = fdt_test_resize(fdt, 256);
	g_assert_cmpint(fdt_setprop_u32(copy, fdt_path_offset(copy, "/status-ok"), "phandle",
	                                0xffffffff), ==, 0);
	g_assert_false(soc_fdt_check_blob(copy, fdt_totalsize(copy), &err));
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE,
	                      "/status-ok: phandle 0xffffffff is not a valid phandle");
	g_free(copy);

	copy = fdt_test_resize(fdt, 256);
	int n = fdt_path_offset(copy, "/status-ok");
	g_assert_cmpint(fdt_setprop_u32(copy, n, "phandle", 0x700), ==, 0);
	n = fdt_path_offset(copy, "/status-ok");
	g_assert_cmpint(fdt_setprop_u32(copy, n, "linux,phandle", 0x701), ==, 0);
	g_assert_false(soc_fdt_check_blob(copy, fdt_totalsize(copy), &err));
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE,
	                      "/status-ok: phandle 0x700 and linux,phandle 0x701 differ");
	g_free(copy);

	copy = fdt_test_resize(fdt, 256);
	n = fdt_path_offset(copy, "/status-ok");
	g_assert_cmpint(fdt_setprop(copy, n, "phandle", "ab", 2), ==, 0);
	g_assert_false(soc_fdt_check_blob(copy, fdt_totalsize(copy), &err));
	fdt_test_assert_error(&err, SOC_ERROR_PHANDLE, "/status-ok: phandle is 2 bytes long");
	g_free(copy);
}

static void test_error_helpers(void)
{
	GError *err = NULL;
	int node = NODE("/node@1000");
	soc_fdt_set_error(&err, SOC_ERROR_TREE, fdt, node, "broken %d", 3);
	g_assert_error(err, SOC_ERROR, SOC_ERROR_TREE);
	g_assert_cmpstr(err->message, ==, "/node@1000: broken 3");
	soc_fdt_prefix_error(&err, fdt, 0, "while %s: ", "testing");
	g_assert_cmpstr(err->message, ==, "/: while testing: /node@1000: broken 3");
	g_clear_error(&err);

	soc_fdt_set_error(&err, SOC_ERROR_TREE, fdt, node, "x");
	soc_fdt_context_error(&err, fdt, node, "ctx: ");
	g_assert_cmpstr(err->message, ==, "/node@1000: x");
	soc_fdt_context_error(&err, fdt, NODE("/clk"), "ctx: ");
	g_assert_cmpstr(err->message, ==, "/clk: ctx: /node@1000: x");
	g_clear_error(&err);

	soc_fdt_set_error(&err, SOC_ERROR_TREE, fdt, -1, "no node");
	g_assert_cmpstr(err->message, ==, "no node");
	g_clear_error(&err);
	/* NULL err is allowed everywhere. */
	soc_fdt_set_error(NULL, SOC_ERROR_TREE, fdt, node, "ignored");
	soc_fdt_prefix_error(NULL, fdt, node, "ignored");
	soc_fdt_prefix_error(&err, fdt, node, "nothing to prefix");
	g_assert_null(err);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	static void **const fixtures[] = { &fdt, NULL };
	fdt = fdt_test_load("fdt/props.dts", &fdt_size);
	fdt_test_add("/fdt/prop/path", test_path, fixtures);
	fdt_test_add("/fdt/prop/parent", test_parent, fixtures);
	fdt_test_add("/fdt/prop/prop", test_prop, fixtures);
	fdt_test_add("/fdt/prop/cells-to-u64", test_cells_to_u64, fixtures);
	fdt_test_add("/fdt/prop/read-u32", test_read_u32, fixtures);
	fdt_test_add("/fdt/prop/read-u64", test_read_u64, fixtures);
	fdt_test_add("/fdt/prop/read-string", test_read_string, fixtures);
	fdt_test_add("/fdt/prop/stringlist", test_stringlist, fixtures);
	fdt_test_add("/fdt/prop/is-enabled", test_is_enabled, fixtures);
	fdt_test_add("/fdt/prop/phandle", test_phandle, fixtures);
	fdt_test_add("/fdt/prop/phandle-args", test_phandle_args, fixtures);
	fdt_test_add("/fdt/prop/bus-cells", test_bus_cells, fixtures);
	fdt_test_add("/fdt/prop/check-blob", test_check_blob, fixtures);
	fdt_test_add("/fdt/prop/error-helpers", test_error_helpers, fixtures);
	int r = g_test_run();
	g_free(fdt);
	return r;
}
