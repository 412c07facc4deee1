/* tests/unit/test-tree.c — the tree input layer: .dts/.dtb loading, overlays, -set,
 * malformed blobs, and source locations (core/tree.c). */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <libfdt.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/tree.h"

static char *tmpdir;

static char *data_path(const char *name)
{
	return g_test_build_filename(G_TEST_DIST, "tests", "data", "tree", name, NULL);
}

static char *include_dir(void)
{
	return data_path("include");
}

static char *tmp_path(const char *name)
{
	return g_build_filename(tmpdir, name, NULL);
}

static const char *dtc_path(void)
{
	const char *d = g_getenv("DTC");

	return (d && *d) ? d : "dtc";
}

/* Line number (1-based) of the first line of `file` containing `needle`. */
static int line_of(const char *file, const char *needle)
{
	char *text = NULL;
	char **lines;
	int r = -1;

	g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++) {
		if (strstr(lines[i], needle)) {
			r = i + 1;
			break;
		}
	}
	g_strfreev(lines);
	g_free(text);
	g_assert_cmpint(r, >, 0);
	return r;
}

static SocTree *load_board(void)
{
	char *path = data_path("board.dts");
	char *inc = include_dir();
	const char *dirs[] = { inc, NULL };
	GError *err = NULL;
	SocTree *t = soc_tree_load(path, dirs, &err);

	g_assert_no_error(err);
	g_assert_nonnull(t);
	g_free(inc);
	g_free(path);
	return t;
}

static int node_of(const SocTree *t, const char *path)
{
	int node = fdt_path_offset(soc_tree_blob(t), path);

	g_assert_cmpint(node, >=, 0);
	return node;
}

static uint32_t get_u32(const SocTree *t, const char *path, const char *prop)
{
	int len;
	const fdt32_t *v = fdt_getprop(soc_tree_blob(t), node_of(t, path), prop, &len);

	g_assert_nonnull(v);
	g_assert_cmpint(len, ==, 4);
	return fdt32_to_cpu(*v);
}

static const char *get_str(const SocTree *t, const char *path, const char *prop)
{
	int len;
	const char *v = fdt_getprop(soc_tree_blob(t), node_of(t, path), prop, &len);

	g_assert_nonnull(v);
	g_assert_cmpint(len, >, 0);
	g_assert_cmpint(v[len - 1], ==, '\0');
	return v;
}

static void assert_prop_bytes(const SocTree *t, const char *path, const char *prop,
                              const void *want, int want_len)
{
	int len;
	const void *v = fdt_getprop(soc_tree_blob(t), node_of(t, path), prop, &len);

	g_assert_nonnull(v);
	g_assert_cmpmem(v, len, want, want_len);
}

static bool has_prop(const SocTree *t, const char *path, const char *prop)
{
	return fdt_getprop(soc_tree_blob(t), node_of(t, path), prop, NULL) != NULL;
}

/* A snapshot to show that a failed edit left the tree exactly as it was. */
typedef struct {
	void *blob;
	size_t size;
} Snap;

static Snap snap(const SocTree *t)
{
	Snap s = { g_memdup2(soc_tree_blob(t), soc_tree_size(t)), soc_tree_size(t) };

	return s;
}

static void assert_unchanged(const SocTree *t, Snap *s)
{
	g_assert_cmpmem(soc_tree_blob(t), soc_tree_size(t), s->blob, s->size);
	g_free(s->blob);
}

static void compile_with_dtc(const char *src, const char *out, bool symbols)
{
	const char *argv[] = { dtc_path(), "-q", "-I", "dts", "-O", "dtb", "-o", out, src,
	                       symbols ? "-@" : NULL, NULL };
	int status;
	GError *err = NULL;

	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
	                           NULL, &status, &err));
	g_assert_no_error(err);
	g_assert_true(g_spawn_check_wait_status(status, NULL));
}

/* ---- loading --------------------------------------------------------------------------- */

static void test_load_dts_with_include(void)
{
	SocTree *t = load_board();
	char *want_origin = data_path("board.dts");
	static const uint8_t reg[] = { 0, 0, 0x10, 0, 0, 0, 1, 0 };

	g_assert_cmpstr(soc_tree_origin(t), ==, want_origin);
	g_assert_cmpstr(get_str(t, "/", "model"), ==, "socemu test board");
	/* macros from the include dir were expanded, and the board's &uart0 overrides the dtsi */
	assert_prop_bytes(t, "/soc/uart@1000", "reg", reg, sizeof reg);
	g_assert_cmpuint(get_u32(t, "/soc/uart@1000", "clock-frequency"), ==, 50000000);
	/* compiled with -@: labels are there for overlays */
	g_assert_cmpstr(get_str(t, "/__symbols__", "uart0"), ==, "/soc/uart@1000");
	g_assert_cmpint(fdt_check_full(soc_tree_blob(t), soc_tree_size(t)), ==, 0);
	g_free(want_origin);
	soc_tree_free(t);
}

static void test_load_dtb(void)
{
	SocTree *t = load_board(), *t2, *t3;
	char *out = tmp_path("board.dtb");
	char *odd = tmp_path("board-without-extension");
	char *bytes = NULL;
	size_t len;
	GError *err = NULL;

	g_assert_true(soc_tree_write_dtb(t, out, &err));
	g_assert_no_error(err);
	g_assert_true(g_file_get_contents(out, &bytes, &len, NULL));
	/* packed: the file is exactly the tree */
	g_assert_cmpuint(len, ==, fdt_totalsize(bytes));
	g_assert_cmpint(fdt_check_full(bytes, len), ==, 0);

	t2 = soc_tree_load(out, NULL, &err);
	g_assert_no_error(err);
	g_assert_cmpstr(get_str(t2, "/", "model"), ==, "socemu test board");
	g_assert_cmpuint(get_u32(t2, "/soc/uart@1000", "clock-frequency"), ==, 50000000);
	g_assert_cmpstr(soc_tree_origin(t2), ==, out);
	g_assert_null(soc_tree_source_of(t2, "/soc/uart@1000", NULL));
	/* spare room for later edits */
	g_assert_cmpuint(soc_tree_size(t2), >, len);

	/* recognised by its magic, not its name */
	g_assert_true(g_file_set_contents(odd, bytes, (gssize)len, NULL));
	t3 = soc_tree_load(odd, NULL, &err);
	g_assert_no_error(err);
	g_assert_cmpstr(get_str(t3, "/", "model"), ==, "socemu test board");

	g_unlink(out);
	g_unlink(odd);
	soc_tree_free(t3);
	soc_tree_free(t2);
	soc_tree_free(t);
	g_free(bytes);
	g_free(odd);
	g_free(out);
}

static void test_load_source_named_dtb(void)
{
	char *path = tmp_path("source-with-wrong-name.dtb");
	GError *err = NULL;
	SocTree *t;

	g_assert_true(g_file_set_contents(path, "/dts-v1/;\n/ { model = \"text\"; };\n", -1, NULL));
	t = soc_tree_load(path, NULL, &err);
	g_assert_no_error(err);
	g_assert_cmpstr(get_str(t, "/", "model"), ==, "text");
	soc_tree_free(t);
	g_unlink(path);
	g_free(path);
}

static void test_warnings_kept(void)
{
	char *path = tmp_path("warns.dts");
	GError *err = NULL;
	SocTree *t = load_board();
	const char *w;

	g_assert_null(soc_tree_warnings(t));
	soc_tree_free(t);

	g_assert_true(g_file_set_contents(path,
	                                  "#define A 1\n#define A 2\n/dts-v1/;\n"
	                                  "/ { #address-cells = <1>; #size-cells = <1>;\n"
	                                  "  dev@1000 { x = <A>; };\n};\n", -1, NULL));
	t = soc_tree_load(path, NULL, &err);
	g_assert_no_error(err);
	w = soc_tree_warnings(t);
	g_assert_nonnull(w);
	g_assert_nonnull(strstr(w, "\"A\" redefined"));         /* from cpp */
	g_assert_nonnull(strstr(w, "unit_address_vs_reg"));    /* from dtc, */
	g_assert_nonnull(strstr(w, "warns.dts:5."));           /* with the user's file:line */
	g_assert_null(strstr(w, "socemu-tree-"));
	g_assert_cmpuint(get_u32(t, "/dev@1000", "x"), ==, 2);
	soc_tree_free(t);
	g_unlink(path);
	g_free(path);
}

static void test_syntax_error_has_position(void)
{
	char *path = g_test_build_filename(G_TEST_DIST, "tests", "data", "bad-syntax.dts", NULL);
	GError *err = NULL;
	SocTree *t;
	char *want;

	t = soc_tree_load(path, NULL, &err);
	g_assert_null(t);
	g_assert_error(err, SOC_ERROR, SOC_ERROR_DTS);
	want = g_strdup_printf("%s:%d.", path, line_of(path, "compatible"));
	g_assert_nonnull(strstr(err->message, want));
	g_assert_nonnull(strstr(err->message, "syntax error"));
	/* boilerplate is dropped, the message starts at the position */
	g_assert_true(g_str_has_prefix(err->message, path));
	g_assert_null(strstr(err->message, "FATAL"));
	g_error_free(err);
	g_free(want);
	g_free(path);
}

static void test_cpp_error(void)
{
	/* without the include dir, <soc.dtsi> cannot be found */
	char *path = data_path("board.dts");
	GError *err = NULL;
	char *want;

	g_assert_null(soc_tree_load(path, NULL, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_DTS);
	want = g_strdup_printf("%s:%d", path, line_of(path, "#include"));
	g_assert_nonnull(strstr(err->message, want));
	g_assert_nonnull(strstr(err->message, "soc.dtsi"));
	g_assert_null(strstr(err->message, "compilation terminated"));
	g_error_free(err);
	g_free(want);
	g_free(path);
}

static void test_missing_file(void)
{
	char *path = data_path("no-such-board.dts");
	GError *err = NULL;

	g_assert_null(soc_tree_load(path, NULL, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_IO);
	g_assert_true(g_str_has_prefix(err->message, path));
	g_assert_nonnull(strstr(err->message, "No such file"));
	g_clear_error(&err);

	/* a directory is not a tree either */
	g_assert_null(soc_tree_load(tmpdir, NULL, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_IO);
	g_error_free(err);
	g_free(path);
}

/* The fixtures in tests/data/bad-*.dts say on their first line what the error must say. */
static void test_bad_fixtures(void)
{
	static const char *const names[] = { "bad-syntax.dts", "bad-include.dts",
	                                     "bad-reference.dts" };

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		char *path = g_test_build_filename(G_TEST_DIST, "tests", "data", names[i], NULL);
		char *text = NULL, *nl;
		const char *expect;
		GError *err = NULL;

		g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
		g_assert_true(g_str_has_prefix(text, "// expect: "));
		expect = text + strlen("// expect: ");
		nl = strchr(text, '\n');
		g_assert_nonnull(nl);
		*nl = '\0';
		g_assert_null(soc_tree_load(path, NULL, &err));
		g_assert_nonnull(err);
		if (!strstr(err->message, expect))
			g_error("%s: message \"%s\" lacks \"%s\"", names[i], err->message, expect);
		g_error_free(err);
		g_free(text);
		g_free(path);
	}
}

static void test_tool_override(void)
{
	char *path = data_path("board.dts");
	char *inc = include_dir();
	const char *dirs[] = { inc, NULL };
	char *saved = g_strdup(g_getenv("SOCEMU_DTC"));
	GError *err = NULL;

	g_setenv("SOCEMU_DTC", "/nonexistent/socemu-test-dtc", TRUE);
	g_assert_null(soc_tree_load(path, dirs, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_IO);
	g_assert_nonnull(strstr(err->message, "/nonexistent/socemu-test-dtc"));
	g_clear_error(&err);
	if (saved)
		g_setenv("SOCEMU_DTC", saved, TRUE);
	else
		g_unsetenv("SOCEMU_DTC");
	g_free(saved);
	g_free(inc);
	g_free(path);
}

/* ---- malformed blobs ------------------------------------------------------------------- */

static void *packed_board(size_t *len)
{
	SocTree *t = load_board();
	void *b = g_memdup2(soc_tree_blob(t), soc_tree_size(t));

	g_assert_cmpint(fdt_pack(b), ==, 0);
	*len = fdt_totalsize(b);
	soc_tree_free(t);
	return b;
}

static void test_truncated_dtb(void)
{
	size_t len;
	void *b = packed_board(&len);
	char *file = tmp_path("truncated.dtb");
	GError *err = NULL;
	SocTree *t;

	for (size_t cut = 0; cut < len; cut++) {
		g_assert_null(soc_tree_new_from_blob(b, cut, "cut.dtb", &err));
		g_assert_error(err, SOC_ERROR, SOC_ERROR_BLOB);
		g_assert_true(g_str_has_prefix(err->message, "cut.dtb: "));
		g_clear_error(&err);
	}
	t = soc_tree_new_from_blob(b, len, "whole.dtb", &err);
	g_assert_no_error(err);
	soc_tree_free(t);

	/* through a file too: the magic says dtb, the length says truncated */
	const size_t cuts[] = { 4, 40, len / 2, len - 1 };
	for (size_t i = 0; i < G_N_ELEMENTS(cuts); i++) {
		g_assert_true(g_file_set_contents(file, b, (gssize)cuts[i], NULL));
		g_assert_null(soc_tree_load(file, NULL, &err));
		g_assert_error(err, SOC_ERROR, SOC_ERROR_BLOB);
		g_assert_true(g_str_has_prefix(err->message, file));
		g_assert_nonnull(strstr(err->message, "not a valid device tree blob"));
		g_clear_error(&err);
	}
	g_unlink(file);
	g_free(file);
	g_free(b);
}

static void put_be32(void *b, size_t off, uint32_t v)
{
	fdt32_t x = cpu_to_fdt32(v);

	memcpy((char *)b + off, &x, 4);
}

static void test_corrupt_dtb(void)
{
	size_t len;
	void *good = packed_board(&len);
	GError *err = NULL;
	/* header word offsets and values that must be rejected */
	static const struct {
		size_t off;
		uint32_t value;
	} bad[] = {
		{ 4, 0xffffff00 },  /* totalsize past the buffer */
		{ 8, 0xffffff00 },  /* off_dt_struct */
		{ 12, 0xffffff00 }, /* off_dt_strings */
		{ 16, 0xffffff00 }, /* off_mem_rsvmap */
		{ 20, 1 },          /* version */
		{ 32, 0x10000 },    /* size_dt_strings */
		{ 36, 0x10000 },    /* size_dt_struct */
	};

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		void *b = g_memdup2(good, len);

		put_be32(b, bad[i].off, bad[i].value);
		g_assert_null(soc_tree_new_from_blob(b, len, "corrupt.dtb", &err));
		g_assert_error(err, SOC_ERROR, SOC_ERROR_BLOB);
		g_clear_error(&err);
		g_free(b);
	}

	/* a bad token at the start of the structure block */
	{
		void *b = g_memdup2(good, len);

		put_be32(b, fdt_off_dt_struct(good), 0x77);
		g_assert_null(soc_tree_new_from_blob(b, len, "corrupt.dtb", &err));
		g_assert_error(err, SOC_ERROR, SOC_ERROR_BLOB);
		g_clear_error(&err);
		g_free(b);
	}

	/* Every byte flipped in turn: an error or a tree libfdt can walk, never a crash (this
	 * is what valgrind and ASan runs watch). */
	for (size_t i = 0; i < len; i++) {
		static const uint8_t masks[] = { 0x01, 0x80, 0xff };

		for (size_t m = 0; m < G_N_ELEMENTS(masks); m++) {
			uint8_t *b = g_memdup2(good, len);
			SocTree *t;

			b[i] ^= masks[m];
			t = soc_tree_new_from_blob(b, len, "flip.dtb", &err);
			if (t) {
				int node = -1, depth = 0;

				g_assert_no_error(err);
				g_assert_cmpint(fdt_check_full(soc_tree_blob(t), soc_tree_size(t)), ==, 0);
				while ((node = fdt_next_node(soc_tree_blob(t), node, &depth)) >= 0)
					;
				soc_tree_free(t);
			} else {
				g_assert_error(err, SOC_ERROR, SOC_ERROR_BLOB);
				g_clear_error(&err);
			}
			g_free(b);
		}
	}
	g_free(good);
}

/* ---- overlays -------------------------------------------------------------------------- */

static void apply_ok(SocTree *t, const char *name)
{
	char *path = data_path(name);
	GError *err = NULL;

	g_assert_true(soc_tree_apply_overlay(t, path, &err));
	g_assert_no_error(err);
	g_free(path);
}

static void test_overlays_in_order(void)
{
	SocTree *t = load_board();
	char *plain = data_path("plain.dtso");
	char *dtbo = tmp_path("plain.dtbo");
	GError *err = NULL;
	uint32_t timer_ph;

	/* by label, through cpp and the include dir */
	apply_ok(t, "by-label.dtso");
	g_assert_cmpuint(get_u32(t, "/soc/uart@1000", "clock-frequency"), ==, 100000000);
	g_assert_cmpuint(get_u32(t, "/soc/uart@1000", "current-speed"), ==, 115200);
	g_assert_cmpstr(get_str(t, "/soc/timer@2000", "status"), ==, "disabled");

	/* by path; later overrides earlier; new node with a new label */
	apply_ok(t, "by-path.dtso");
	g_assert_cmpuint(get_u32(t, "/soc/uart@1000", "clock-frequency"), ==, 3000000);
	g_assert_cmpuint(get_u32(t, "/soc/uart@1000", "current-speed"), ==, 115200);
	g_assert_cmpstr(get_str(t, "/soc/extra@3000", "compatible"), ==, "socemu,test-extra");

	/* a .dtbo using the label the previous overlay added */
	compile_with_dtc(plain, dtbo, true);
	g_assert_true(soc_tree_apply_overlay(t, dtbo, &err));
	g_assert_no_error(err);
	g_assert_cmpstr(get_str(t, "/soc/extra@3000", "status"), ==, "okay");
	timer_ph = fdt_get_phandle(soc_tree_blob(t), node_of(t, "/soc/timer@2000"));
	g_assert_cmpuint(timer_ph, !=, 0);
	g_assert_cmpuint(get_u32(t, "/soc/extra@3000", "interrupt-parent"), ==, timer_ph);
	g_assert_cmpint(fdt_check_full(soc_tree_blob(t), soc_tree_size(t)), ==, 0);

	g_unlink(dtbo);
	g_free(dtbo);
	g_free(plain);
	soc_tree_free(t);
}

static void test_overlay_missing_label(void)
{
	SocTree *t = load_board();
	char *path = data_path("missing-label.dtso");
	GError *err = NULL;
	Snap s = snap(t);

	g_assert_false(soc_tree_apply_overlay(t, path, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_PHANDLE);
	g_assert_true(g_str_has_prefix(err->message, path));
	g_assert_nonnull(strstr(err->message, "nosuchlabel"));
	g_clear_error(&err);
	/* not even the part of the overlay that could apply */
	assert_unchanged(t, &s);
	g_assert_cmpuint(get_u32(t, "/soc/uart@1000", "clock-frequency"), ==, 50000000);
	g_free(path);
	soc_tree_free(t);
}

static void test_overlay_missing_path(void)
{
	SocTree *t = load_board();
	char *path = data_path("missing-path.dtso");
	GError *err = NULL;
	Snap s = snap(t);

	g_assert_false(soc_tree_apply_overlay(t, path, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_TREE);
	g_assert_true(g_str_has_prefix(err->message, path));
	g_assert_nonnull(strstr(err->message, "/soc/nosuchnode@9000"));
	g_clear_error(&err);
	assert_unchanged(t, &s);
	g_free(path);
	soc_tree_free(t);
}

static void test_overlay_base_without_symbols(void)
{
	char *src = tmp_path("nosym.dts");
	char *dtb = tmp_path("nosym.dtb");
	char *ov = data_path("by-label.dtso");
	char *inc = include_dir();
	const char *dirs[] = { inc, NULL };
	GError *err = NULL;
	SocTree *t;
	Snap s;

	g_assert_true(g_file_set_contents(src,
	                                  "/dts-v1/;\n/ { soc { uart0: uart { x = <1>; }; }; };\n",
	                                  -1, NULL));
	compile_with_dtc(src, dtb, false);
	t = soc_tree_load(dtb, dirs, &err);
	g_assert_no_error(err);
	s = snap(t);
	g_assert_false(soc_tree_apply_overlay(t, ov, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_PHANDLE);
	g_assert_nonnull(strstr(err->message, "__symbols__"));
	g_assert_nonnull(strstr(err->message, "-@"));
	g_assert_nonnull(strstr(err->message, "uart0"));
	g_clear_error(&err);
	assert_unchanged(t, &s);
	soc_tree_free(t);
	g_unlink(src);
	g_unlink(dtb);
	g_free(inc);
	g_free(ov);
	g_free(dtb);
	g_free(src);
}

static void test_overlay_bad_inputs(void)
{
	SocTree *t = load_board();
	char *board = data_path("board.dts");
	char *plain = data_path("plain.dtso");
	char *dtbo = tmp_path("cut.dtbo");
	char *bad = tmp_path("bad.dtso");
	char *bytes = NULL;
	size_t len;
	GError *err = NULL;
	Snap s = snap(t);

	/* a tree that is not an overlay */
	g_assert_false(soc_tree_apply_overlay(t, board, &err));
	g_assert_nonnull(strstr(err->message, "not an overlay"));
	g_clear_error(&err);

	/* a truncated .dtbo */
	compile_with_dtc(plain, dtbo, true);
	g_assert_true(g_file_get_contents(dtbo, &bytes, &len, NULL));
	g_assert_true(g_file_set_contents(dtbo, bytes, (gssize)(len - 8), NULL));
	g_assert_false(soc_tree_apply_overlay(t, dtbo, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_BLOB);
	g_assert_true(g_str_has_prefix(err->message, dtbo));
	g_clear_error(&err);
	for (size_t cut = 0; cut < len; cut += 3) {
		g_assert_false(soc_tree_apply_overlay_blob(t, bytes, cut, "mem.dtbo", &err));
		g_assert_error(err, SOC_ERROR, SOC_ERROR_BLOB);
		g_clear_error(&err);
	}

	/* a source with a syntax error */
	g_assert_true(g_file_set_contents(bad, "/dts-v1/;\n/plugin/;\n&uart0 { x = <1> };\n", -1,
	                                  NULL));
	g_assert_false(soc_tree_apply_overlay(t, bad, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_DTS);
	g_assert_nonnull(strstr(err->message, "bad.dtso:3."));
	g_clear_error(&err);

	assert_unchanged(t, &s);
	g_unlink(bad);
	g_unlink(dtbo);
	g_free(bytes);
	g_free(bad);
	g_free(dtbo);
	g_free(plain);
	g_free(board);
	soc_tree_free(t);
}

/* ---- -set ------------------------------------------------------------------------------ */

static void set_ok(SocTree *t, const char *assignment)
{
	GError *err = NULL;

	if (!soc_tree_set(t, assignment, &err))
		g_error("-set %s: %s", assignment, err->message);
}

static void test_set_values(void)
{
	SocTree *t = load_board();
	static const uint8_t cells[] = { 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3 };
	static const char list[] = "a\0b";
	static const uint8_t bytes[] = { 0x0a, 0x0b, 0xff };
	static const uint8_t wide[] = { 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 7 };
	uint32_t ph;

	set_ok(t, "/soc/uart@1000:cells=<1 2 0x3>");
	assert_prop_bytes(t, "/soc/uart@1000", "cells", cells, sizeof cells);
	set_ok(t, "/soc/uart@1000:status=\"disabled\"");
	g_assert_cmpstr(get_str(t, "/soc/uart@1000", "status"), ==, "disabled");
	set_ok(t, "/soc/uart@1000:names=\"a\", \"b\"");
	assert_prop_bytes(t, "/soc/uart@1000", "names", list, sizeof list);
	set_ok(t, "/soc/uart@1000:mac=[0a 0b ff]");
	assert_prop_bytes(t, "/soc/uart@1000", "mac", bytes, sizeof bytes);
	set_ok(t, "/soc/uart@1000:wide=/bits/ 64 <0x100000002 7>");
	assert_prop_bytes(t, "/soc/uart@1000", "wide", wide, sizeof wide);
	/* a boolean (empty) property */
	set_ok(t, "/soc/uart@1000:wakeup-source");
	assert_prop_bytes(t, "/soc/uart@1000", "wakeup-source", "", 0);
	/* a label reference, resolved against the tree's labels */
	set_ok(t, "/soc/uart@1000:interrupt-parent=<&timer>");
	ph = fdt_get_phandle(soc_tree_blob(t), node_of(t, "/soc/timer@2000"));
	g_assert_cmpuint(ph, !=, 0);
	g_assert_cmpuint(get_u32(t, "/soc/uart@1000", "interrupt-parent"), ==, ph);
	/* replacing an existing property, on the root node, and with the unit address left out */
	set_ok(t, "/:model=\"changed\"");
	g_assert_cmpstr(get_str(t, "/", "model"), ==, "changed");
	set_ok(t, "/soc/timer:clock-frequency=<42>");
	g_assert_cmpuint(get_u32(t, "/soc/timer@2000", "clock-frequency"), ==, 42);
	/* earlier values survived */
	g_assert_cmpstr(get_str(t, "/soc/uart@1000", "status"), ==, "disabled");
	g_assert_cmpint(fdt_check_full(soc_tree_blob(t), soc_tree_size(t)), ==, 0);
	soc_tree_free(t);
}

/* Plain strings and cell lists are parsed by socemu itself: they work without dtc (and are
 * byte-for-byte what dtc makes of them), while anything else still needs it. */
static void test_set_without_dtc(void)
{
	SocTree *t = load_board();
	static const uint8_t mixed[] = { 'x', 0, 0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff, 'y', 'z', 0 };
	const char *saved = g_getenv("SOCEMU_DTC");
	char *keep = g_strdup(saved);
	GError *err = NULL;

	g_setenv("SOCEMU_DTC", "/nonexistent/socemu-test-dtc", TRUE);
	set_ok(t, "/soc/uart@1000:mixed= \"x\" , <5\t0XFFFFFFFF> ,\"yz\" ");
	assert_prop_bytes(t, "/soc/uart@1000", "mixed", mixed, sizeof mixed);
	set_ok(t, "/soc/timer:clock-frequency=<0>");
	g_assert_cmpuint(get_u32(t, "/soc/timer@2000", "clock-frequency"), ==, 0);
	/* a label, an expression, an octal number, an escape, a number too large: dtc's */
	g_assert_false(soc_tree_set(t, "/soc/uart@1000:x=<&timer>", &err));
	g_clear_error(&err);
	g_assert_false(soc_tree_set(t, "/soc/uart@1000:x=<(1 + 2)>", &err));
	g_clear_error(&err);
	g_assert_false(soc_tree_set(t, "/soc/uart@1000:x=<010>", &err));
	g_clear_error(&err);
	g_assert_false(soc_tree_set(t, "/soc/uart@1000:x=\"a\\n\"", &err));
	g_clear_error(&err);
	g_assert_false(soc_tree_set(t, "/soc/uart@1000:x=<0x100000000>", &err));
	g_clear_error(&err);
	if (keep)
		g_setenv("SOCEMU_DTC", keep, TRUE);
	else
		g_unsetenv("SOCEMU_DTC");
	g_free(keep);
	/* with dtc, the same values mean what dtc says */
	set_ok(t, "/soc/uart@1000:x=<010>");
	g_assert_cmpuint(get_u32(t, "/soc/uart@1000", "x"), ==, 8);
	g_assert_cmpint(fdt_check_full(soc_tree_blob(t), soc_tree_size(t)), ==, 0);
	soc_tree_free(t);
}

/* ---- the compiled-tree cache (core/tree-cache.c) ---------------------------------------- */

static unsigned lines_in(const char *path)
{
	g_autofree char *text = NULL;
	unsigned n = 0;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

static SocTree *load_ok(const char *path)
{
	GError *err = NULL;
	SocTree *t = soc_tree_load(path, NULL, &err);
	g_assert_no_error(err);
	g_assert_nonnull(t);
	return t;
}

/* A second load of an unchanged .dts runs no tool and gives the same tree, warnings and source
 * locations; editing an include, a damaged entry or SOCEMU_CACHE_DIR=off compile again. cpp is
 * a wrapper that counts its runs (its path and bytes stay the same, as the cache key wants). */
static void test_cache(void)
{
	g_autofree char *cache = tmp_path("cache"), *count = tmp_path("cpp-runs");
	g_autofree char *wrapper = tmp_path("counting-cpp"), *inc = tmp_path("cache-inc.dtsi");
	g_autofree char *board = tmp_path("cache-board.dts"), *script = NULL, *entry = NULL;
	g_autofree char *where1 = NULL, *where2 = NULL;
	const char *cpp = g_getenv("SOCEMU_CPP") ? g_getenv("SOCEMU_CPP") : SOC_CPP;
	g_autofree char *saved_cpp = g_strdup(g_getenv("SOCEMU_CPP"));
	SocTree *a, *b;
	GDir *d;
	const char *name;

	script = g_strdup_printf("#!/bin/sh\necho run >> '%s'\nexec '%s' \"$@\"\n", count, cpp);
	g_assert_true(g_file_set_contents(wrapper, script, -1, NULL));
	g_assert_cmpint(g_chmod(wrapper, 0755), ==, 0);
	g_assert_true(g_file_set_contents(inc, "#define VAL 5\n", -1, NULL));
	g_assert_true(g_file_set_contents(board,
		"#include \"cache-inc.dtsi\"\n/dts-v1/;\n/ {\n\tmodel = \"cached\";\n"
		"\tnode@1 { val = <VAL>; };\n};\n", -1, NULL));
	g_setenv("SOCEMU_CPP", wrapper, TRUE);
	g_setenv("SOCEMU_CACHE_DIR", cache, TRUE);

	a = load_ok(board);
	g_assert_cmpuint(lines_in(count), ==, 1);
	b = load_ok(board);
	g_assert_cmpuint(lines_in(count), ==, 1);          /* from the cache */
	g_assert_cmpuint(soc_tree_size(a), ==, soc_tree_size(b));
	g_assert_cmpint(memcmp(soc_tree_blob(a), soc_tree_blob(b), soc_tree_size(a)), ==, 0);
	g_assert_cmpuint(get_u32(b, "/node@1", "val"), ==, 5);
	/* dtc's warning (a unit address without reg) is kept with the entry */
	g_assert_nonnull(soc_tree_warnings(a));
	g_assert_cmpstr(soc_tree_warnings(a), ==, soc_tree_warnings(b));
	where1 = g_strdup(soc_tree_source_of(a, "/node@1", "val"));
	where2 = g_strdup(soc_tree_source_of(b, "/node@1", "val"));
	g_assert_nonnull(where2);
	g_assert_cmpstr(where1, ==, where2);
	g_assert_nonnull(strstr(where2, "cache-board.dts:5"));
	soc_tree_free(a);
	soc_tree_free(b);

	/* an edited include is noticed */
	g_assert_true(g_file_set_contents(inc, "#define VAL 6\n", -1, NULL));
	a = load_ok(board);
	g_assert_cmpuint(lines_in(count), ==, 2);
	g_assert_cmpuint(get_u32(a, "/node@1", "val"), ==, 6);
	soc_tree_free(a);

	/* a damaged entry is a miss, and is replaced */
	d = g_dir_open(cache, 0, NULL);
	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)))
		if (g_str_has_suffix(name, ".tree"))
			entry = g_build_filename(cache, name, NULL);
	g_dir_close(d);
	g_assert_nonnull(entry);
	g_assert_cmpint(truncate(entry, 300), ==, 0);
	a = load_ok(board);
	g_assert_cmpuint(lines_in(count), ==, 3);
	g_assert_cmpuint(get_u32(a, "/node@1", "val"), ==, 6);
	soc_tree_free(a);
	a = load_ok(board);
	g_assert_cmpuint(lines_in(count), ==, 3);
	soc_tree_free(a);

	/* off: every load compiles */
	g_setenv("SOCEMU_CACHE_DIR", "off", TRUE);
	soc_tree_free(load_ok(board));
	soc_tree_free(load_ok(board));
	g_assert_cmpuint(lines_in(count), ==, 5);

	if (saved_cpp)
		g_setenv("SOCEMU_CPP", saved_cpp, TRUE);
	else
		g_unsetenv("SOCEMU_CPP");
	g_unlink(entry);
	g_rmdir(cache);
	g_unlink(count);
	g_unlink(wrapper);
	g_unlink(inc);
	g_unlink(board);
}

static void test_set_unknown_node(void)
{
	SocTree *t = load_board();
	GError *err = NULL;
	Snap s = snap(t);

	g_assert_false(soc_tree_set(t, "/soc/nosuch@0:x=<1>", &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_USAGE);
	g_assert_nonnull(strstr(err->message, "no node /soc/nosuch@0"));
	g_clear_error(&err);
	assert_unchanged(t, &s);
	soc_tree_free(t);
}

static void test_set_invalid(void)
{
	static const struct {
		const char *arg;
		const char *expect;
	} cases[] = {
		{ "/soc/uart@1000:x=<1", "syntax error" },
		{ "/soc/uart@1000:x=\"open", NULL },
		{ "/soc/uart@1000:x=", "empty value" },
		{ "/soc/uart@1000:x=  ", "empty value" },
		{ "/soc/uart@1000:x=<1>; y = <2>", "single property" },
		{ "/soc/uart@1000:x=<1>; child { }", "single property" },
		{ "/soc/uart@1000:x=<1>; }; }; fragment@1 { target-path = \"/\"; __overlay__ { z = <1>",
		  "single property" },
		{ "/soc/uart@1000:x=<&nosuchlabel>", "nosuchlabel" },
		{ "/soc/uart@1000:bad name=<1>", "not a valid property name" },
		{ "/soc/uart@1000:=<1>", "not a valid property name" },
		{ "/soc/uart@1000", "expected /node/path:property=value" },
		{ "soc:x=<1>", "expected /node/path:property=value" },
	};
	SocTree *t = load_board();

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		GError *err = NULL;
		Snap s = snap(t);

		g_assert_false(soc_tree_set(t, cases[i].arg, &err));
		g_assert_nonnull(err);
		g_assert_true(err->domain == SOC_ERROR);
		/* the message quotes the argument */
		if (!strstr(err->message, cases[i].arg))
			g_error("'%s': message \"%s\" does not quote it", cases[i].arg, err->message);
		if (cases[i].expect && !strstr(err->message, cases[i].expect))
			g_error("'%s': message \"%s\" lacks \"%s\"", cases[i].arg, err->message,
			        cases[i].expect);
		/* no temporary path leaks into the message */
		g_assert_null(strstr(err->message, "socemu-tree-"));
		g_error_free(err);
		assert_unchanged(t, &s);
	}
	soc_tree_free(t);
}

static void test_set_on_dtb_without_symbols(void)
{
	char *src = tmp_path("nosym2.dts");
	char *dtb = tmp_path("nosym2.dtb");
	GError *err = NULL;
	SocTree *t;

	g_assert_true(g_file_set_contents(src, "/dts-v1/;\n/ { soc { uart { x = <1>; }; }; };\n",
	                                  -1, NULL));
	compile_with_dtc(src, dtb, false);
	t = soc_tree_load(dtb, NULL, &err);
	g_assert_no_error(err);
	/* plain values need no labels */
	set_ok(t, "/soc/uart:x=<5>");
	g_assert_cmpuint(get_u32(t, "/soc/uart", "x"), ==, 5);
	/* references do, and say so */
	g_assert_false(soc_tree_set(t, "/soc/uart:y=<&foo>", &err));
	g_assert_nonnull(strstr(err->message, "__symbols__"));
	g_clear_error(&err);
	soc_tree_free(t);
	g_unlink(src);
	g_unlink(dtb);
	g_free(dtb);
	g_free(src);
}

static void test_delete_property(void)
{
	SocTree *t = load_board();
	GError *err = NULL;

	g_assert_true(has_prop(t, "/soc/uart@1000", "clock-frequency"));
	g_assert_true(soc_tree_delete_property(t, "/soc/uart@1000:clock-frequency", &err));
	g_assert_no_error(err);
	g_assert_false(has_prop(t, "/soc/uart@1000", "clock-frequency"));
	g_assert_false(soc_tree_delete_property(t, "/soc/uart@1000:clock-frequency", &err));
	g_assert_nonnull(strstr(err->message, "no property clock-frequency"));
	g_clear_error(&err);
	g_assert_false(soc_tree_delete_property(t, "/nope:x", &err));
	g_assert_nonnull(strstr(err->message, "no node /nope"));
	g_clear_error(&err);
	/* the stale location is gone with it */
	g_assert_null(soc_tree_source_of(t, "/soc/uart@1000", "clock-frequency"));
	soc_tree_free(t);
}

static void test_reserve(void)
{
	SocTree *t = load_board();
	GError *err = NULL;
	static uint8_t big[100000];
	int node;

	g_assert_true(soc_tree_reserve(t, sizeof big + 1024, &err));
	g_assert_no_error(err);
	node = fdt_path_offset(soc_tree_blob(t), "/soc/uart@1000");
	g_assert_cmpint(fdt_setprop(soc_tree_blob_rw(t), node, "big", big, sizeof big), ==, 0);
	g_assert_cmpint(fdt_check_full(soc_tree_blob(t), soc_tree_size(t)), ==, 0);
	/* -set still works after a direct libfdt edit, and keeps it */
	set_ok(t, "/soc/uart@1000:after=<1>");
	g_assert_true(has_prop(t, "/soc/uart@1000", "big"));
	soc_tree_free(t);
}

/* ---- source locations ------------------------------------------------------------------ */

static void test_source_of(void)
{
	SocTree *t = load_board();
	char *dtsi = data_path("include/soc.dtsi");
	char *board = data_path("board.dts");
	char *want;

	/* node and property written in the included .dtsi */
	want = g_strdup_printf("%s:%d", dtsi, line_of(dtsi, "uart0: uart@1000"));
	g_assert_cmpstr(soc_tree_source_of(t, "/soc/uart@1000", NULL), ==, want);
	g_free(want);
	want = g_strdup_printf("%s:%d", dtsi, line_of(dtsi, "ns16550a"));
	g_assert_cmpstr(soc_tree_source_of(t, "/soc/uart@1000", "compatible"), ==, want);
	g_free(want);
	/* a property overridden in the board file points at the board file */
	want = g_strdup_printf("%s:%d", board, line_of(board, "SOC_CLOCK"));
	g_assert_cmpstr(soc_tree_source_of(t, "/soc/uart@1000", "clock-frequency"), ==, want);
	g_free(want);
	want = g_strdup_printf("%s:%d", board, line_of(board, "chosen {"));
	g_assert_cmpstr(soc_tree_source_of(t, "/chosen", NULL), ==, want);
	g_free(want);
	g_assert_null(soc_tree_source_of(t, "/soc/nosuch", NULL));
	g_assert_null(soc_tree_source_of(t, "/soc/uart@1000", "nosuch"));

	g_free(board);
	g_free(dtsi);
	soc_tree_free(t);
}

static void test_source_of_after_edits(void)
{
	SocTree *t = load_board();
	char *dtsi = data_path("include/soc.dtsi");
	char *by_path = data_path("by-path.dtso");
	char *by_label = data_path("by-label.dtso");
	char *want;

	/* ask once before the edits: the table then grows with them */
	g_assert_nonnull(soc_tree_source_of(t, "/soc", NULL));
	apply_ok(t, "by-label.dtso");
	apply_ok(t, "by-path.dtso");
	set_ok(t, "/soc/timer@2000:status=\"okay\"");

	/* the overlay that won */
	want = g_strdup_printf("%s:%d", by_path, line_of(by_path, "3000000"));
	g_assert_cmpstr(soc_tree_source_of(t, "/soc/uart@1000", "clock-frequency"), ==, want);
	g_free(want);
	want = g_strdup_printf("%s:%d", by_label, line_of(by_label, "current-speed"));
	g_assert_cmpstr(soc_tree_source_of(t, "/soc/uart@1000", "current-speed"), ==, want);
	g_free(want);
	/* a node keeps its first definition; a new node is where the overlay wrote it */
	want = g_strdup_printf("%s:%d", dtsi, line_of(dtsi, "uart0: uart@1000"));
	g_assert_cmpstr(soc_tree_source_of(t, "/soc/uart@1000", NULL), ==, want);
	g_free(want);
	want = g_strdup_printf("%s:%d", by_path, line_of(by_path, "extra: extra@3000"));
	g_assert_cmpstr(soc_tree_source_of(t, "/soc/extra@3000", NULL), ==, want);
	g_free(want);
	/* -set leaves no file:line behind, and drops the stale one */
	g_assert_null(soc_tree_source_of(t, "/soc/timer@2000", "status"));

	g_free(by_label);
	g_free(by_path);
	g_free(dtsi);
	soc_tree_free(t);
}

static void test_annotate_error(void)
{
	SocTree *t = load_board();
	char *dtsi = data_path("include/soc.dtsi");
	GError *err;
	char *want;

	err = g_error_new(SOC_ERROR, SOC_ERROR_PROPERTY, "/soc/uart@1000:reg: has 3 cells");
	soc_tree_annotate_error(t, err);
	want = g_strdup_printf("%s:%d: /soc/uart@1000:reg: has 3 cells", dtsi,
	                       line_of(dtsi, "UART0_BASE UART0_SIZE"));
	g_assert_cmpstr(err->message, ==, want);
	g_free(want);
	g_error_free(err);

	err = g_error_new(SOC_ERROR, SOC_ERROR_TREE, "/soc/timer@2000: no clock");
	soc_tree_annotate_error(t, err);
	want = g_strdup_printf("%s:%d: /soc/timer@2000: no clock", dtsi,
	                       line_of(dtsi, "timer: timer@2000"));
	g_assert_cmpstr(err->message, ==, want);
	g_free(want);
	g_error_free(err);

	/* an unknown property falls back to its node */
	err = g_error_new(SOC_ERROR, SOC_ERROR_TREE, "/soc/timer@2000:interrupts: missing");
	soc_tree_annotate_error(t, err);
	want = g_strdup_printf("%s:%d: /soc/timer@2000:interrupts: missing", dtsi,
	                       line_of(dtsi, "timer: timer@2000"));
	g_assert_cmpstr(err->message, ==, want);
	g_free(want);
	g_error_free(err);

	/* left alone: unknown node, no path, a message that is already a file path */
	{
		static const char *const same[] = {
			"/soc/nosuch@0: bad", "no path here", "/tmp/file.dts:3: something", "/",
			"/soc/uart@1000:", "",
		};

		for (size_t i = 0; i < G_N_ELEMENTS(same); i++) {
			err = g_error_new_literal(SOC_ERROR, SOC_ERROR_TREE, same[i]);
			soc_tree_annotate_error(t, err);
			g_assert_cmpstr(err->message, ==, same[i]);
			g_error_free(err);
		}
	}
	g_free(dtsi);
	soc_tree_free(t);
}

static void test_resolve_relative(void)
{
	SocTree *t = load_board();
	char *dir = g_test_build_filename(G_TEST_DIST, "tests", "data", "tree", NULL);
	char *want = g_build_filename(dir, "fw.elf", NULL);
	char *r;
	static const uint8_t empty_tree_probe = 0;
	GError *err = NULL;
	size_t len;
	void *b;
	SocTree *m;

	r = soc_tree_resolve_relative(t, "fw.elf");
	g_assert_cmpstr(r, ==, want);
	g_free(r);
	r = soc_tree_resolve_relative(t, "/abs/fw.elf");
	g_assert_cmpstr(r, ==, "/abs/fw.elf");
	g_free(r);

	/* a tree from memory without an origin: relative to the current directory */
	b = packed_board(&len);
	m = soc_tree_new_from_blob(b, len, NULL, &err);
	g_assert_no_error(err);
	g_assert_null(soc_tree_origin(m));
	r = soc_tree_resolve_relative(m, "fw.elf");
	g_assert_cmpstr(r, ==, "fw.elf");
	g_free(r);
	soc_tree_free(m);
	g_assert_null(soc_tree_new_from_blob(&empty_tree_probe, 0, NULL, &err));
	g_clear_error(&err);

	g_free(b);
	g_free(want);
	g_free(dir);
	soc_tree_free(t);
}

int main(int argc, char **argv)
{
	GError *err = NULL;
	int rc;

	g_test_init(&argc, &argv, NULL);
	/* the harness names the dtc to use */
	if (g_getenv("DTC") && *g_getenv("DTC") && !g_getenv("SOCEMU_DTC"))
		g_setenv("SOCEMU_DTC", g_getenv("DTC"), TRUE);
	/* only /tree/cache uses the compiled-tree cache, in a directory of its own */
	g_setenv("SOCEMU_CACHE_DIR", "off", TRUE);
	tmpdir = g_dir_make_tmp("socemu-test-tree-XXXXXX", &err);
	g_assert_no_error(err);

	g_test_add_func("/tree/load/dts-with-include", test_load_dts_with_include);
	g_test_add_func("/tree/load/dtb", test_load_dtb);
	g_test_add_func("/tree/load/source-named-dtb", test_load_source_named_dtb);
	g_test_add_func("/tree/load/warnings-kept", test_warnings_kept);
	g_test_add_func("/tree/load/syntax-error-has-position", test_syntax_error_has_position);
	g_test_add_func("/tree/load/cpp-error", test_cpp_error);
	g_test_add_func("/tree/load/missing-file", test_missing_file);
	g_test_add_func("/tree/load/bad-fixtures", test_bad_fixtures);
	g_test_add_func("/tree/load/tool-override", test_tool_override);
	g_test_add_func("/tree/blob/truncated", test_truncated_dtb);
	g_test_add_func("/tree/blob/corrupt", test_corrupt_dtb);
	g_test_add_func("/tree/overlay/in-order", test_overlays_in_order);
	g_test_add_func("/tree/overlay/missing-label", test_overlay_missing_label);
	g_test_add_func("/tree/overlay/missing-path", test_overlay_missing_path);
	g_test_add_func("/tree/overlay/base-without-symbols", test_overlay_base_without_symbols);
	g_test_add_func("/tree/overlay/bad-inputs", test_overlay_bad_inputs);
	g_test_add_func("/tree/set/values", test_set_values);
	g_test_add_func("/tree/set/unknown-node", test_set_unknown_node);
	g_test_add_func("/tree/set/without-dtc", test_set_without_dtc);
	g_test_add_func("/tree/set/invalid", test_set_invalid);
	g_test_add_func("/tree/set/dtb-without-symbols", test_set_on_dtb_without_symbols);
	g_test_add_func("/tree/delete-property", test_delete_property);
	g_test_add_func("/tree/reserve", test_reserve);
	g_test_add_func("/tree/source/of", test_source_of);
	g_test_add_func("/tree/source/after-edits", test_source_of_after_edits);
	g_test_add_func("/tree/source/annotate-error", test_annotate_error);
	g_test_add_func("/tree/resolve-relative", test_resolve_relative);
	g_test_add_func("/tree/cache", test_cache);

	rc = g_test_run();
	g_rmdir(tmpdir);
	g_free(tmpdir);
	return rc;
}
