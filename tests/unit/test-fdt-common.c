/* tests/unit/test-fdt-common.c — helpers shared by the test-fdt-* programs: compile a .dts
 * fixture with $DTC into a temporary directory, load and check the blob, look nodes up,
 * assert on error messages, and register a test twice: as it is and with node indexes on
 * the program's fixture blobs. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "core/fdt.h"

void *fdt_test_load(const char *rel_path, size_t *size);
void *fdt_test_resize(const void *fdt, size_t extra);
int fdt_test_node(const void *fdt, const char *path);
void fdt_test_set_cells(void *fdt, const char *path, const char *name, const uint32_t *cells,
                        unsigned n);
void fdt_test_assert_error(GError **err, int code, const char *substring);
void fdt_test_add(const char *path, GTestFunc fn, void **const *blobs);

/* rel_path is under tests/data, e.g. "fdt/addr.dts". The blob is g_free'd by the caller. */
void *fdt_test_load(const char *rel_path, size_t *size)
{
	char *src = g_test_build_filename(G_TEST_DIST, "tests", "data", rel_path, NULL);
	const char *dtc = g_getenv("DTC");
	if (!dtc || !*dtc)
		dtc = "dtc";
	GError *err = NULL;
	char *dir = g_dir_make_tmp("socemu-fdt-XXXXXX", &err);
	g_assert_no_error(err);
	char *out = g_build_filename(dir, "fixture.dtb", NULL);
	/* -q: the fixtures are meant to carry the mistakes dtc warns about. */
	const char *argv[] = { dtc, "-q", "-I", "dts", "-O", "dtb", "-o", out, src, NULL };
	char *serr = NULL;
	int status = 0;
	g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
	             NULL, NULL, NULL, &serr, &status, &err);
	g_assert_no_error(err);
	if (!g_spawn_check_wait_status(status, NULL))
		g_error("%s failed on %s: %s", dtc, src, serr);
	char *blob = NULL;
	gsize len = 0;
	g_file_get_contents(out, &blob, &len, &err);
	g_assert_no_error(err);
	g_unlink(out);
	g_rmdir(dir);
	soc_fdt_check_blob(blob, len, &err);
	g_assert_no_error(err);
	if (size)
		*size = len;
	g_free(serr);
	g_free(out);
	g_free(dir);
	g_free(src);
	return blob;
}

/* A writable copy with room for `extra` more bytes, for tests that patch a blob. */
void *fdt_test_resize(const void *fdt, size_t extra)
{
	int size = (int)(fdt_totalsize(fdt) + extra);
	void *copy = g_malloc0(size);
	g_assert_cmpint(fdt_open_into(fdt, copy, size), ==, 0);
	return copy;
}

int fdt_test_node(const void *fdt, const char *path)
{
	int node = fdt_path_offset(fdt, path);
	if (node < 0)
		g_error("fixture has no node %s: %s", path, fdt_strerror(node));
	return node;
}

/* Set a property of a writable blob (fdt_test_resize) to n cells given in host order. */
void fdt_test_set_cells(void *fdt, const char *path, const char *name, const uint32_t *cells,
                        unsigned n)
{
	fdt32_t *be = g_new(fdt32_t, n ? n : 1);
	for (unsigned i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	g_assert_cmpint(fdt_setprop(fdt, fdt_test_node(fdt, path), name, be, 4 * n), ==, 0);
	g_free(be);
}

/* The error is set, in SOC_ERROR with `code` (-1: any), and its message holds `substring`.
 * Clears it. */
void fdt_test_assert_error(GError **err, int code, const char *substring)
{
	g_assert_nonnull(*err);
	g_assert_true((*err)->domain == SOC_ERROR);
	if (code >= 0 && (*err)->code != code)
		g_error("error code %d, expected %d: %s", (*err)->code, code, (*err)->message);
	if (!strstr((*err)->message, substring))
		g_error("error message \"%s\" lacks \"%s\"", (*err)->message, substring);
	g_test_message("expected error: %s", (*err)->message);
	g_clear_error(err);
}

typedef struct IndexedTest {
	GTestFunc fn;
	void **const *blobs;
} IndexedTest;

/* The test with an index on each fixture blob: every answer must be the same as without. The
 * indexes must still be in use at the end (a test that edited a fixture in place would have
 * run partly without). */
static void run_indexed(gconstpointer data)
{
	const IndexedTest *t = data;
	GPtrArray *ixs = g_ptr_array_new();
	for (unsigned i = 0; t->blobs[i]; i++) {
		SocFdtIndex *ix = soc_fdt_index_new(*t->blobs[i]);
		g_assert_nonnull(ix);
		g_assert_true(soc_fdt_index_in_use(*t->blobs[i]));
		g_ptr_array_add(ixs, ix);
	}
	t->fn();
	for (unsigned i = 0; t->blobs[i]; i++) {
		g_assert_true(soc_fdt_index_in_use(*t->blobs[i]));
		soc_fdt_index_free(ixs->pdata[i]);
		g_assert_false(soc_fdt_index_in_use(*t->blobs[i]));
	}
	g_ptr_array_free(ixs, TRUE);
}

/* Register fn as `path` and, with indexes on *blobs[0], *blobs[1], ... (NULL-terminated; the
 * blobs are read when the test runs), as "/indexed" `path`. */
void fdt_test_add(const char *path, GTestFunc fn, void **const *blobs)
{
	g_test_add_func(path, fn);
	IndexedTest *t = g_new(IndexedTest, 1);
	t->fn = fn;
	t->blobs = blobs;
	char *ipath = g_strconcat("/indexed", path, NULL);
	g_test_add_data_func_full(ipath, t, run_indexed, g_free);
	g_free(ipath);
}
