/* tests/unit/test-fdt-index.c — core/fdt.c's node index (SocFdtIndex) and soc_fdt_path_offset.
 *
 * The index must never change an answer. So, on every fixture tree (tests/data, dts/boards)
 * and on generated and hand-assembled blobs (deep, wide, duplicate phandles, odd properties,
 * irregular structure), a transcript of everything the fdt layer says about the blob (every
 * offset, node, property, address, interrupt, dependency and phandle, with error messages)
 * is compared with and without an index, and the index's answers are compared with libfdt's
 * own. Edits that keep or change the header, lifetime, threads, and blobs that must not be
 * indexed (or crash anything) are covered too. */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "core/fdt.h"
#include "core/tree.h"

/* tests/unit/test-fdt-common.c */
void *fdt_test_resize(const void *fdt, size_t extra);

/* ---- transcripts ------------------------------------------------------------------------- */

enum { T_NODES = 1, T_ADDR = 2, T_IRQ = 4, T_OFFSETS = 8, T_ALL = 15 };

static void t_err(GString *s, GError **err)
{
	if (*err)
		g_string_append_printf(s, " error(%d): %s", (*err)->code, (*err)->message);
	g_clear_error(err);
}

static void t_ptr(GString *s, const void *fdt, const void *p, int len)
{
	if (p)
		g_string_append_printf(s, " @%td+%d", (const char *)p - (const char *)fdt, len);
	else
		g_string_append_printf(s, " NULL(%d)", len);
}

static void t_path(GString *s, const void *fdt, int node)
{
	char *p = soc_fdt_path(fdt, node);
	g_string_append_printf(s, " %s", p);
	g_free(p);
}

static void t_path_offset(GString *s, const void *fdt, const char *path)
{
	g_string_append_printf(s, "path_offset(%s) = %d\n", path, soc_fdt_path_offset(fdt, path));
}

static const SocFdtDepProp dep_props[] = {
	{ "clocks", "#clock-cells" },
	{ "resets", "#reset-cells" },
	{ "interrupt-parent", NULL },
	{ NULL, NULL },
};

/* Every name the strings block holds, as its NUL-separated pieces (the last one may be
 * unterminated), and what starts at its first few offsets: a property turned into NOPs in
 * place reads as one named at offset 4. */
static GPtrArray *string_names(const void *fdt)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	if (fdt_check_header(fdt) != 0)
		return names;
	const char *b = (const char *)fdt + fdt_off_dt_strings(fdt);
	size_t n = fdt_size_dt_strings(fdt);
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 0; i < n; i++) {
		if (i > 8 && b[i - 1] != '\0')
			continue;
		char *name = g_strndup(b + i, strnlen(b + i, n - i));
		if (g_hash_table_contains(seen, name)) {
			g_free(name);
			continue;
		}
		g_hash_table_add(seen, name);
		g_ptr_array_add(names, name);
	}
	g_hash_table_destroy(seen);
	return names;
}

/* Everything about one node. */
static void t_node(GString *s, const void *fdt, int node, unsigned what, GArray *phandles,
                   GPtrArray *all_names)
{
	GError *err = NULL;
	g_string_append_printf(s, "node %d valid %d parent %d", node, soc_fdt_node_valid(fdt, node),
	                       soc_fdt_parent(fdt, node));
	t_path(s, fdt, node);
	g_string_append_c(s, '\n');
	char *path = soc_fdt_path(fdt, node);
	t_path_offset(s, fdt, path);
	/* The same path without the last unit address, and with extra slashes. */
	char *at = strrchr(path, '@');
	if (at && !strchr(at, '/')) {
		char *bare = g_strndup(path, at - path);
		t_path_offset(s, fdt, bare);
		g_free(bare);
	}
	char *slashes = g_strconcat("/", path, "/", NULL);
	t_path_offset(s, fdt, slashes);
	g_free(slashes);
	g_free(path);

	uint32_t ph = fdt_get_phandle(fdt, node);
	if (ph)
		g_array_append_val(phandles, ph);

	static const char *const absent[] = { "", "no-such-property", "compatibl", "compatiblex" };
	GPtrArray *names = g_ptr_array_new();
	for (unsigned i = 0; i < G_N_ELEMENTS(absent); i++)
		g_ptr_array_add(names, (gpointer)absent[i]);
	int prop;
	fdt_for_each_property_offset(prop, fdt, node) {
		const char *name = NULL;
		if (fdt_getprop_by_offset(fdt, prop, &name, NULL) && name)
			g_ptr_array_add(names, (gpointer)name);
	}
	for (unsigned i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		int len = -7;
		const void *v = soc_fdt_prop(fdt, node, name, &len);
		g_string_append_printf(s, "  prop %s:", name);
		t_ptr(s, fdt, v, len);
		g_string_append_printf(s, " has %d", soc_fdt_has_prop(fdt, node, name));
		uint32_t u32 = 0;
		uint64_t u64 = 0;
		const char *str = NULL;
		g_string_append_printf(s, " u32 %d", soc_fdt_read_u32(fdt, node, name, &u32, &err));
		g_string_append_printf(s, "=%u", u32);
		t_err(s, &err);
		g_string_append_printf(s, " u64 %d", soc_fdt_read_u64(fdt, node, name, &u64, &err));
		g_string_append_printf(s, "=%llu", (unsigned long long)u64);
		t_err(s, &err);
		g_string_append_printf(s, " str %d", soc_fdt_read_string(fdt, node, name, &str, &err));
		t_ptr(s, fdt, str, 0);
		t_err(s, &err);
		g_string_append_printf(s, " list %d",
		                       soc_fdt_stringlist_count(fdt, node, name, &err));
		t_err(s, &err);
		t_ptr(s, fdt, soc_fdt_stringlist_get(fdt, node, name, 1), 0);
		g_string_append_c(s, '\n');
	}
	g_ptr_array_free(names, TRUE);
	g_string_append(s, " ");
	for (unsigned i = 0; i < all_names->len; i++) {
		int len = -7;
		const void *v = soc_fdt_prop(fdt, node, all_names->pdata[i], &len);
		t_ptr(s, fdt, v, len);
	}
	g_string_append_c(s, '\n');
	const char *compat = soc_fdt_stringlist_get(fdt, node, "compatible", 0);
	g_string_append_printf(s, "  enabled %d compatible %d %d\n", soc_fdt_is_enabled(fdt, node),
	                       compat ? soc_fdt_is_compatible(fdt, node, compat) : -1,
	                       soc_fdt_is_compatible(fdt, node, "x"));
	if (!(what & (T_ADDR | T_IRQ)))
		return;

	if (what & T_ADDR) {
		g_string_append_printf(s, "  cells %d", soc_fdt_address_cells(fdt, node, &err));
		t_err(s, &err);
		g_string_append_printf(s, " %d", soc_fdt_size_cells(fdt, node, &err));
		t_err(s, &err);
		int n = soc_fdt_reg_count(fdt, node, &err);
		g_string_append_printf(s, " reg %d", n);
		t_err(s, &err);
		for (int i = n > 0 ? 0 : -1; i < (n > 8 ? 8 : n > 0 ? n : 0); i++) {
			uint64_t a = 0, z = 0, r = 0;
			bool ok = soc_fdt_reg(fdt, node, i, &a, &z, &err);
			g_string_append_printf(s, " [%d %d 0x%llx 0x%llx", i, ok, (unsigned long long)a,
			                       (unsigned long long)z);
			t_err(s, &err);
			ok = soc_fdt_reg_translated(fdt, node, i, &r, &z, &err);
			g_string_append_printf(s, " -> %d 0x%llx]", ok, (unsigned long long)r);
			t_err(s, &err);
		}
		g_string_append_printf(s, " translatable %d", soc_fdt_reg_translatable(fdt, node, &err));
		t_err(s, &err);
		uint64_t out = 0;
		g_string_append_printf(s, " translate %d",
		                       soc_fdt_translate(fdt, node, 0x1000, 0, &out, &err));
		g_string_append_printf(s, "=0x%llx", (unsigned long long)out);
		t_err(s, &err);
		g_string_append_c(s, '\n');
	}
	if (what & T_IRQ) {
		g_string_append_printf(s, "  irq-cells %d", soc_fdt_irq_cells(fdt, node, &err));
		t_err(s, &err);
		g_string_append_printf(s, " irq-parent %d", soc_fdt_irq_parent(fdt, node, &err));
		t_err(s, &err);
		int n = soc_fdt_irq_count(fdt, node, &err);
		g_string_append_printf(s, " irqs %d", n);
		t_err(s, &err);
		for (int i = n > 0 ? 0 : -1; i < (n > 8 ? 8 : n > 0 ? n : 0); i++) {
			GArray *specs = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec));
			bool ok = soc_fdt_irq_resolve(fdt, node, i, specs, &err);
			g_string_append_printf(s, " [%d %d", i, ok);
			t_err(s, &err);
			for (unsigned k = 0; k < specs->len; k++) {
				const SocFdtIrqSpec *sp = &g_array_index(specs, SocFdtIrqSpec, k);
				g_string_append_printf(s, " %d<", sp->controller);
				for (unsigned c = 0; c < sp->ncells; c++)
					g_string_append_printf(s, "%s%u", c ? " " : "", sp->cells[c]);
				g_string_append_c(s, '>');
			}
			g_string_append_c(s, ']');
			g_array_free(specs, TRUE);
		}
		for (const SocFdtDepProp *d = dep_props; d->name; d++) {
			int c = soc_fdt_phandle_args_count(fdt, node, d->name, d->cells_name, &err);
			g_string_append_printf(s, " %s %d", d->name, c);
			t_err(s, &err);
			SocFdtPhandleArgs a = { 0 };
			bool ok = soc_fdt_phandle_args(fdt, node, d->name, d->cells_name, 0, &a, &err);
			g_string_append_printf(s, " [%d %d %u]", ok, a.node, a.nargs);
			t_err(s, &err);
		}
		GArray *deps = g_array_new(FALSE, FALSE, sizeof(int));
		bool ok = soc_fdt_node_deps(fdt, node, dep_props, deps, &err);
		g_string_append_printf(s, " deps %d", ok);
		t_err(s, &err);
		for (unsigned k = 0; k < deps->len; k++)
			g_string_append_printf(s, " %d", g_array_index(deps, int, k));
		g_array_free(deps, TRUE);
		g_string_append_c(s, '\n');
	}
}

/* What the fdt layer says about a blob of `size` bytes, as text. */
static char *transcript(const void *fdt, size_t size, unsigned what)
{
	GString *s = g_string_new(NULL);
	GError *err = NULL;
	g_string_append_printf(s, "check %d", soc_fdt_check_blob(fdt, size, &err));
	t_err(s, &err);
	g_string_append_c(s, '\n');
	bool header = fdt_check_header(fdt) == 0;

	/* Offsets that are nodes and offsets that are not: inside names, tags and values, and
	 * outside the structure block. */
	if (what & T_OFFSETS) {
		int end = header ? (int)fdt_size_dt_struct(fdt) + 8 : 64;
		for (int off = -8; off <= end; off += off < 64 ? 1 : 4) {
			g_string_append_printf(s, "off %d valid %d parent %d", off,
			                       soc_fdt_node_valid(fdt, off), soc_fdt_parent(fdt, off));
			t_path(s, fdt, off);
			g_string_append_c(s, '\n');
		}
		static const int far[] = { 1 << 20, 1 << 30, G_MAXINT, G_MININT };
		for (unsigned i = 0; i < G_N_ELEMENTS(far); i++) {
			g_string_append_printf(s, "off %d valid %d parent %d", far[i],
			                       soc_fdt_node_valid(fdt, far[i]), soc_fdt_parent(fdt, far[i]));
			t_path(s, fdt, far[i]);
			g_string_append_c(s, '\n');
		}
	}

	/* Every node libfdt finds (depth NULL: past the end of a first root too). */
	GArray *nodes = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *phandles = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	GPtrArray *all_names = string_names(fdt);
	if (header) {
		for (int node = fdt_next_node(fdt, -1, NULL); node >= 0 && nodes->len < 100000;
		     node = fdt_next_node(fdt, node, NULL)) {
			g_array_append_val(nodes, node);
			if (what & (T_NODES | T_ADDR | T_IRQ))
				t_node(s, fdt, node, what, phandles, all_names);
		}
	}

	uint32_t more[] = { 0, 1, 0x12345678, 0xfffffffe, UINT32_MAX };
	g_array_append_vals(phandles, more, G_N_ELEMENTS(more));
	for (unsigned i = 0; i < phandles->len; i++) {
		uint32_t ph = g_array_index(phandles, uint32_t, i);
		for (uint32_t d = 0; d < 2; d++) {
			int r = soc_fdt_node_by_phandle(fdt, ph + d, &err);
			g_string_append_printf(s, "phandle 0x%x = %d", ph + d, r);
			t_err(s, &err);
			r = soc_fdt_resolve_phandle(fdt, nodes->len ? g_array_index(nodes, int, 0) : -1,
			                            "test", ph + d, &err);
			g_string_append_printf(s, " / %d", r);
			t_err(s, &err);
			g_string_append_c(s, '\n');
		}
	}

	static const char *const paths[] = {
		"", "/", "//", "nope", "/nope", "nope/x", "/x/", "no@", "/@", "serial0", "serial0/x",
		"chain", "chain/child", "loop", "loop/x",
	};
	for (unsigned i = 0; i < G_N_ELEMENTS(paths) && header; i++)
		t_path_offset(s, fdt, paths[i]);
	int aliases = header ? fdt_path_offset(fdt, "/aliases") : -1;
	int prop;
	if (aliases >= 0) {
		fdt_for_each_property_offset(prop, fdt, aliases) {
			const char *name = NULL;
			if (!fdt_getprop_by_offset(fdt, prop, &name, NULL) || !name)
				continue;
			t_path_offset(s, fdt, name);
			char *sub = g_strconcat(name, "/child", NULL);
			t_path_offset(s, fdt, sub);
			g_free(sub);
		}
	}

	if (what & T_IRQ) {
		GArray *sorted = g_array_new(FALSE, FALSE, sizeof(int));
		bool ok = soc_fdt_sort_by_deps(fdt, (const int *)nodes->data, nodes->len, dep_props,
		                               sorted, &err);
		g_string_append_printf(s, "sort %d", ok);
		t_err(s, &err);
		for (unsigned i = 0; i < sorted->len; i++)
			g_string_append_printf(s, " %d", g_array_index(sorted, int, i));
		g_string_append_c(s, '\n');
		g_array_free(sorted, TRUE);
	}
	g_ptr_array_free(all_names, TRUE);
	g_array_free(phandles, TRUE);
	g_array_free(nodes, TRUE);
	return g_string_free(s, FALSE);
}

static void assert_same_text(const char *got, const char *want, const char *what)
{
	if (strcmp(got, want) == 0)
		return;
	/* Name the first line that differs rather than printing two long texts. */
	unsigned line = 1;
	const char *g = got, *w = want;
	while (*g && *g == *w) {
		line += *g == '\n';
		g++;
		w++;
	}
	while (g > got && g[-1] != '\n') {
		g--;
		w--;
	}
	g_error("%s: line %u differs:\n  with index: %.*s\n  without:    %.*s", what, line,
	        (int)strcspn(g, "\n"), g, (int)strcspn(w, "\n"), w);
}

/* The transcript with an index equals the one without; returns whether one was made. */
static bool assert_index_changes_nothing(const void *fdt, size_t size, unsigned what)
{
	char *plain = transcript(fdt, size, what);
	SocFdtIndex *ix = soc_fdt_index_new(fdt);
	g_assert_true(soc_fdt_index_in_use(fdt) == (ix != NULL));
	char *indexed = transcript(fdt, size, what);
	g_assert_true(soc_fdt_index_in_use(fdt) == (ix != NULL));
	soc_fdt_index_free(ix);
	g_assert_false(soc_fdt_index_in_use(fdt));
	assert_same_text(indexed, plain, ix ? "indexed" : "not indexed");
	g_free(plain);
	g_free(indexed);
	return ix != NULL;
}

/* For every `stride`th node, the fdt layer's answers are libfdt's own. */
static void assert_matches_libfdt(const void *fdt, unsigned stride)
{
	char *buf = g_malloc(1 << 16);
	unsigned count = 0;
	for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL), count++) {
		if (count % stride)
			continue;
		g_assert_true(soc_fdt_node_valid(fdt, node));
		int want = node == 0 ? -1 : fdt_parent_offset(fdt, node);
		g_assert_cmpint(soc_fdt_parent(fdt, node), ==, want < 0 ? -1 : want);
		char *path = soc_fdt_path(fdt, node);
		if (fdt_get_path(fdt, node, buf, 1 << 16) == 0) {
			g_assert_cmpstr(path, ==, buf);
			g_assert_cmpint(soc_fdt_path_offset(fdt, path), ==, fdt_path_offset(fdt, path));
		} else {
			g_assert_cmpstr(path, ==, "<invalid node>");
		}
		g_free(path);
		int prop;
		fdt_for_each_property_offset(prop, fdt, node) {
			const char *name;
			int len, wlen;
			if (!fdt_getprop_by_offset(fdt, prop, &name, NULL))
				continue;
			const void *v = soc_fdt_prop(fdt, node, name, &len);
			const void *w = fdt_getprop(fdt, node, name, &wlen);
			g_assert_true(v == w);
			g_assert_cmpint(len, ==, wlen);
		}
		uint32_t ph = fdt_get_phandle(fdt, node);
		if (ph && ph != UINT32_MAX)
			g_assert_cmpint(soc_fdt_node_by_phandle(fdt, ph, NULL), ==,
			                fdt_node_offset_by_phandle(fdt, ph));
	}
	g_free(buf);
}

/* The same without index and with one. */
static void assert_index_matches_libfdt(const void *fdt, unsigned stride)
{
	g_assert_false(soc_fdt_index_in_use(fdt));
	assert_matches_libfdt(fdt, stride);
	SocFdtIndex *ix = soc_fdt_index_new(fdt);
	g_assert_nonnull(ix);
	assert_matches_libfdt(fdt, stride);
	g_assert_true(soc_fdt_index_in_use(fdt));
	soc_fdt_index_free(ix);
}

/* ---- fixture trees ----------------------------------------------------------------------- */

static void test_fixture(gconstpointer data)
{
	const char *path = data;
	char *include = g_test_build_filename(G_TEST_DIST, "dts", "include", NULL);
	char *tree_include = g_test_build_filename(G_TEST_DIST, "tests", "data", "tree", "include",
	                                           NULL);
	const char *dirs[] = { include, tree_include, NULL };
	GError *err = NULL;
	SocTree *t = soc_tree_load(path, dirs, &err);
	g_free(include);
	g_free(tree_include);
	if (!t) {
		/* Only the deliberately broken sources (bad-syntax.dts and friends) may fail to
		 * compile; they have nothing to index. */
		g_autofree char *base = g_path_get_basename(path);
		if (!g_str_has_prefix(base, "bad-"))
			g_error("%s: %s", path, err->message);
		g_clear_error(&err);
		return;
	}
	/* A copy, aligned, exactly as big as the tree. */
	const void *blob = soc_tree_blob(t);
	void *fdt = g_memdup2(blob, fdt_totalsize(blob));
	g_assert_true(assert_index_changes_nothing(fdt, fdt_totalsize(fdt), T_ALL));
	assert_index_matches_libfdt(fdt, 1);
	g_free(fdt);
	soc_tree_free(t);
}

/* ---- generated trees --------------------------------------------------------------------- */

static void *sw_open(size_t size)
{
	void *blob = g_malloc0(size);
	g_assert_cmpint(fdt_create(blob, (int)size), ==, 0);
	g_assert_cmpint(fdt_finish_reservemap(blob), ==, 0);
	g_assert_cmpint(fdt_begin_node(blob, ""), ==, 0);
	return blob;
}

static void sw_close(void *blob)
{
	g_assert_cmpint(fdt_end_node(blob), ==, 0);
	g_assert_cmpint(fdt_finish(blob), ==, 0);
}

/* A chain of `levels` nodes with names of `namelen` characters, a phandle on every `every`th. */
static void *build_chain(unsigned levels, unsigned namelen, unsigned every)
{
	void *fdt = sw_open(levels * (namelen + 32) + 4096);
	char *name = g_malloc(namelen + 16);
	for (unsigned i = 0; i < levels; i++) {
		int n = snprintf(name, namelen + 16, "n%u@", i);
		memset(name + n, 'a' + i % 26, namelen > (unsigned)n ? namelen - n : 0);
		name[MAX((int)namelen, n)] = '\0';
		g_assert_cmpint(fdt_begin_node(fdt, name), ==, 0);
		if (i % every == 0)
			g_assert_cmpint(fdt_property_u32(fdt, "phandle", i + 1), ==, 0);
	}
	for (unsigned i = 0; i < levels; i++)
		g_assert_cmpint(fdt_end_node(fdt), ==, 0);
	sw_close(fdt);
	g_free(name);
	return fdt;
}

/* The innermost node of a chain. */
static int chain_end(const void *fdt, unsigned levels)
{
	int node = 0, depth = 0;
	for (unsigned i = 0; i < levels; i++)
		node = fdt_next_node(fdt, node, &depth);
	return node;
}

/* Deep: 600 levels, nothing recursive anywhere. */
static void test_deep(void)
{
	void *fdt = build_chain(600, 6, 50);
	g_assert_true(assert_index_changes_nothing(fdt, fdt_totalsize(fdt), T_NODES));
	assert_index_matches_libfdt(fdt, 1);
	SocFdtIndex *ix = soc_fdt_index_new(fdt);
	int end = chain_end(fdt, 600);
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, 551, NULL), ==, chain_end(fdt, 551));
	g_assert_cmpint(soc_fdt_parent(fdt, end), ==, chain_end(fdt, 599));
	char *path = soc_fdt_path(fdt, end);
	g_assert_cmpint(soc_fdt_path_offset(fdt, path), ==, end);
	g_free(path);
	soc_fdt_index_free(ix);
	g_free(fdt);
}

/* Long names: paths beyond 64 KiB are "<invalid node>", as soc_fdt_path gives without index. */
static void test_long_paths(void)
{
	void *fdt = build_chain(40, 2000, 1);
	g_assert_true(assert_index_changes_nothing(fdt, fdt_totalsize(fdt), T_NODES | T_OFFSETS));
	assert_index_matches_libfdt(fdt, 1);
	SocFdtIndex *ix = soc_fdt_index_new(fdt);
	/* 32 levels make 32 * 2001 + 1 = 64033 bytes with the NUL: fits; 33 do not. */
	int node = chain_end(fdt, 32);
	char *path = soc_fdt_path(fdt, node);
	g_assert_cmpuint(strlen(path), ==, 32 * 2001);
	g_free(path);
	path = soc_fdt_path(fdt, chain_end(fdt, 33));
	g_assert_cmpstr(path, ==, "<invalid node>");
	g_free(path);
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, 40, NULL), ==, chain_end(fdt, 40));
	soc_fdt_index_free(ix);
	g_free(fdt);
}

/* 100 buses of 100 devices, with reg, ranges, interrupts and phandles: the index's answers are
 * libfdt's on a sample (all of them would take libfdt minutes), and the whole tree's
 * addresses and interrupts go through. */
static void test_huge(void)
{
	unsigned buses = 100, per_bus = 100;
	void *fdt = sw_open(buses * per_bus * 160 + 8192);
	g_assert_cmpint(fdt_property_u32(fdt, "#address-cells", 1), ==, 0);
	g_assert_cmpint(fdt_property_u32(fdt, "#size-cells", 1), ==, 0);
	g_assert_cmpint(fdt_property_u32(fdt, "interrupt-parent", 1), ==, 0);
	g_assert_cmpint(fdt_begin_node(fdt, "intc"), ==, 0);
	g_assert_cmpint(fdt_property(fdt, "interrupt-controller", NULL, 0), ==, 0);
	g_assert_cmpint(fdt_property_u32(fdt, "#interrupt-cells", 1), ==, 0);
	g_assert_cmpint(fdt_property_u32(fdt, "phandle", 1), ==, 0);
	g_assert_cmpint(fdt_end_node(fdt), ==, 0);
	char name[32];
	for (unsigned b = 0; b < buses; b++) {
		snprintf(name, sizeof(name), "bus@%x", b << 16);
		g_assert_cmpint(fdt_begin_node(fdt, name), ==, 0);
		fdt32_t ranges[] = { 0, cpu_to_fdt32(b << 16), cpu_to_fdt32(0x10000) };
		g_assert_cmpint(fdt_property(fdt, "ranges", ranges, sizeof(ranges)), ==, 0);
		g_assert_cmpint(fdt_property_u32(fdt, "#address-cells", 1), ==, 0);
		g_assert_cmpint(fdt_property_u32(fdt, "#size-cells", 1), ==, 0);
		for (unsigned d = 0; d < per_bus; d++) {
			snprintf(name, sizeof(name), "dev@%x", d << 8);
			g_assert_cmpint(fdt_begin_node(fdt, name), ==, 0);
			fdt32_t reg[] = { cpu_to_fdt32(d << 8), cpu_to_fdt32(0x100) };
			g_assert_cmpint(fdt_property(fdt, "reg", reg, sizeof(reg)), ==, 0);
			g_assert_cmpint(fdt_property_u32(fdt, "interrupts", d), ==, 0);
			g_assert_cmpint(fdt_property_u32(fdt, "phandle", 2 + b * per_bus + d), ==, 0);
			g_assert_cmpint(fdt_end_node(fdt), ==, 0);
		}
		g_assert_cmpint(fdt_end_node(fdt), ==, 0);
	}
	sw_close(fdt);
	GError *err = NULL;
	g_assert_true(soc_fdt_check_blob(fdt, fdt_totalsize(fdt), &err));
	g_assert_no_error(err);
	assert_index_matches_libfdt(fdt, 211);

	SocFdtIndex *ix = soc_fdt_index_new(fdt);
	GArray *specs = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec));
	unsigned count = 0;
	for (int node = fdt_next_node(fdt, 0, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		uint64_t a, z;
		if (soc_fdt_has_prop(fdt, node, "reg")) {
			g_assert_true(soc_fdt_reg_translated(fdt, node, 0, &a, &z, &err));
			g_assert_no_error(err);
			g_assert_true(soc_fdt_irq_resolve(fdt, node, 0, specs, &err));
			g_assert_no_error(err);
			count++;
		}
		char *path = soc_fdt_path(fdt, node);
		g_assert_cmpint(soc_fdt_path_offset(fdt, path), ==, node);
		uint32_t ph = fdt_get_phandle(fdt, node);
		if (ph)
			g_assert_cmpint(soc_fdt_node_by_phandle(fdt, ph, NULL), ==, node);
		g_free(path);
	}
	g_assert_cmpuint(count, ==, buses * per_bus);
	g_assert_cmpuint(specs->len, ==, buses * per_bus);
	/* The last device of the last bus: address and interrupt from the whole chain. */
	uint64_t a, z;
	snprintf(name, sizeof(name), "/bus@%x/dev@%x", (buses - 1) << 16, (per_bus - 1) << 8);
	g_assert_true(soc_fdt_reg_translated(fdt, soc_fdt_path_offset(fdt, name), 0, &a, &z, &err));
	g_assert_cmphex(a, ==, ((buses - 1) << 16) + ((per_bus - 1) << 8));
	g_assert_cmpuint(g_array_index(specs, SocFdtIrqSpec, specs->len - 1).cells[0], ==, per_bus - 1);
	g_array_free(specs, TRUE);
	soc_fdt_index_free(ix);
	g_free(fdt);
}

/* ---- hand-assembled blobs ---------------------------------------------------------------- */

/* The structure and strings blocks written token by token, for what libfdt's writer would
 * not produce. */
typedef struct Asm {
	GByteArray *st, *str;
} Asm;

static void a_u32(GByteArray *b, uint32_t v)
{
	fdt32_t be = cpu_to_fdt32(v);
	g_byte_array_append(b, (const guint8 *)&be, 4);
}

static void a_pad(GByteArray *b)
{
	static const guint8 zero[4];
	g_byte_array_append(b, zero, (4 - b->len % 4) % 4);
}

static Asm a_new(void)
{
	return (Asm){ g_byte_array_new(), g_byte_array_new() };
}

static void a_begin(Asm *a, const char *name)
{
	a_u32(a->st, FDT_BEGIN_NODE);
	g_byte_array_append(a->st, (const guint8 *)name, strlen(name) + 1);
	a_pad(a->st);
}

static void a_end(Asm *a)
{
	a_u32(a->st, FDT_END_NODE);
}

static void a_nop(Asm *a)
{
	a_u32(a->st, FDT_NOP);
}

/* nameoff < 0: a new string for the name; else that offset into the strings block. */
static void a_prop_at(Asm *a, const char *name, long nameoff, const void *v, unsigned len)
{
	if (nameoff < 0) {
		nameoff = a->str->len;
		g_byte_array_append(a->str, (const guint8 *)name, strlen(name) + 1);
	}
	a_u32(a->st, FDT_PROP);
	a_u32(a->st, len);
	a_u32(a->st, (uint32_t)nameoff);
	g_byte_array_append(a->st, v, len);
	a_pad(a->st);
}

static void a_prop(Asm *a, const char *name, const void *v, unsigned len)
{
	a_prop_at(a, name, -1, v, len);
}

static void a_u32prop(Asm *a, const char *name, uint32_t value)
{
	fdt32_t be = cpu_to_fdt32(value);
	a_prop(a, name, &be, 4);
}

static void a_str(Asm *a, const char *name, const char *value)
{
	a_prop(a, name, value, strlen(value) + 1);
}

/* Header, an empty reserve map, the structure block (plus FDT_END unless `no_end`), the
 * strings, then 8 bytes of zeros that are no block's (so a read past the strings block finds
 * a NUL there, and answers differ if anything reads it). */
static void *a_finish(Asm *a, uint32_t version, bool no_end)
{
	if (!no_end)
		a_u32(a->st, FDT_END);
	uint32_t off_struct = 40 + 16, off_strings = off_struct + a->st->len;
	uint32_t total = off_strings + a->str->len + 8;
	GByteArray *b = g_byte_array_new();
	uint32_t hdr[] = { FDT_MAGIC, total, off_struct, off_strings, 40, version, 16, 0,
	                   a->str->len, a->st->len };
	for (unsigned i = 0; i < G_N_ELEMENTS(hdr); i++)
		a_u32(b, hdr[i]);
	static const guint8 rsv[16];
	g_byte_array_append(b, rsv, sizeof(rsv));
	g_byte_array_append(b, a->st->data, a->st->len);
	g_byte_array_append(b, a->str->data, a->str->len);
	static const guint8 tail[8];
	g_byte_array_append(b, tail, sizeof(tail));
	g_byte_array_free(a->st, TRUE);
	g_byte_array_free(a->str, TRUE);
	/* g_malloc'd, so 8-byte aligned as libfdt wants. */
	void *blob = g_memdup2(b->data, b->len);
	g_byte_array_free(b, TRUE);
	return blob;
}

/* Everything odd that is still one plain tree: the index must be made and change nothing. */
static void *odd_but_plain(void)
{
	Asm a = a_new();
	a_begin(&a, "");
	a_u32prop(&a, "#address-cells", 1);
	a_u32prop(&a, "#size-cells", 1);
	a_nop(&a);
	a_u32prop(&a, "interrupt-parent", 0x10);

	a_begin(&a, "aliases");
	a_str(&a, "serial0", "/uart@1000");
	a_str(&a, "chain", "serial0");
	a_str(&a, "loop", "loop");
	a_str(&a, "rel", "serial0/child");
	a_end(&a);

	a_begin(&a, "intc");
	a_prop(&a, "interrupt-controller", NULL, 0);
	a_u32prop(&a, "#interrupt-cells", 1);
	a_u32prop(&a, "phandle", 0x10);
	a_end(&a);

	/* Two nodes share phandle 0x20: libfdt and the index both give the first. */
	a_begin(&a, "uart@1000");
	a_u32prop(&a, "phandle", 0x20);
	fdt32_t reg[] = { cpu_to_fdt32(0x1000), cpu_to_fdt32(0x100) };
	a_prop(&a, "reg", reg, sizeof(reg));
	a_u32prop(&a, "interrupts", 3);
	a_begin(&a, "child");
	a_end(&a);
	a_end(&a);
	a_begin(&a, "uart@2000");
	a_u32prop(&a, "phandle", 0x20);
	a_end(&a);
	a_begin(&a, "uart");               /* "/uart" finds uart@1000, the first */
	a_end(&a);

	/* A "phandle" of the wrong length hides behind linux,phandle; a second "phandle" does
	 * not count; a phandle after a subnode is not the node's. */
	a_begin(&a, "odd-phandles");
	a_prop(&a, "phandle", "12345678", 8);
	a_nop(&a);
	a_u32prop(&a, "phandle", 0x30);
	a_u32prop(&a, "linux,phandle", 0x31);
	a_begin(&a, "sub");
	a_u32prop(&a, "linux,phandle", 0x32);
	a_end(&a);
	a_u32prop(&a, "phandle", 0x33);
	a_u32prop(&a, "late", 1);
	a_end(&a);
	a_begin(&a, "invalid-phandles");
	a_u32prop(&a, "phandle", UINT32_MAX);
	a_begin(&a, "zero");
	a_u32prop(&a, "phandle", 0);
	a_end(&a);
	a_end(&a);

	/* Names: empty, with '@' only, odd characters; property names pointing outside the
	 * strings block or at the middle of another name. */
	a_begin(&a, "");
	a_begin(&a, "");
	a_end(&a);
	a_end(&a);
	a_begin(&a, "@");
	a_end(&a);
	a_begin(&a, "x y\tz@@1");
	a_prop_at(&a, NULL, 1 << 20, "v", 2);
	a_prop_at(&a, NULL, 1, "w", 2);      /* "address-cells" */
	a_str(&a, "status", "okay");
	a_str(&a, "status", "disabled");     /* the first one counts */
	a_end(&a);
	a_begin(&a, "clocked");
	fdt32_t clocks[] = { cpu_to_fdt32(0x20), cpu_to_fdt32(0x31), cpu_to_fdt32(0x99) };
	a_prop(&a, "clocks", clocks, sizeof(clocks));
	a_u32prop(&a, "interrupt-parent", 0x30);
	a_u32prop(&a, "interrupts", 1);
	a_end(&a);
	/* A name that is the unterminated end of the strings block: no property has it. It is
	 * the last string. */
	a_begin(&a, "unterminated-name");
	a_prop_at(&a, NULL, (long)a.str->len, "u", 2);
	a_end(&a);
	a_end(&a);
	g_byte_array_append(a.str, (const guint8 *)"tail", 4);
	return a_finish(&a, 17, false);
}

static void test_odd_but_plain(void)
{
	void *fdt = odd_but_plain();
	g_assert_true(assert_index_changes_nothing(fdt, fdt_totalsize(fdt), T_ALL));
	assert_index_matches_libfdt(fdt, 1);

	SocFdtIndex *ix = soc_fdt_index_new(fdt);
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, 0x20, NULL), ==,
	                soc_fdt_path_offset(fdt, "/uart@1000"));
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, 0x31, NULL), ==,
	                soc_fdt_path_offset(fdt, "/odd-phandles"));
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, 0x30, NULL), ==, -1);
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, 0x33, NULL), ==, -1);
	g_assert_cmpint(soc_fdt_path_offset(fdt, "/uart"), ==, soc_fdt_path_offset(fdt, "/uart@1000"));
	g_assert_cmpint(soc_fdt_path_offset(fdt, "chain"), ==, soc_fdt_path_offset(fdt, "/uart@1000"));
	g_assert_cmpint(soc_fdt_path_offset(fdt, "rel"), ==,
	                soc_fdt_path_offset(fdt, "/uart@1000/child"));
	g_assert_false(soc_fdt_has_prop(fdt, soc_fdt_path_offset(fdt, "/odd-phandles"), "late"));
	soc_fdt_index_free(ix);
	g_free(fdt);
}

/* An alias that names itself: libfdt 1.6.1 recurses until the stack overflows; here it is a
 * bad path, with or without index. */
static void test_alias_loop(void)
{
	void *fdt = odd_but_plain();
	for (int pass = 0; pass < 2; pass++) {
		SocFdtIndex *ix = pass ? soc_fdt_index_new(fdt) : NULL;
		g_assert_true(soc_fdt_index_in_use(fdt) == (pass == 1));
		g_assert_cmpint(soc_fdt_path_offset(fdt, "loop"), ==, -FDT_ERR_BADPATH);
		g_assert_cmpint(soc_fdt_path_offset(fdt, "loop/child"), ==, -FDT_ERR_BADPATH);
		g_assert_cmpint(soc_fdt_path_offset(fdt, "missing"), ==, -FDT_ERR_BADPATH);
		g_assert_cmpint(soc_fdt_path_offset(fdt, "serial0/nope"), ==, -FDT_ERR_NOTFOUND);
		g_assert_cmpint(soc_fdt_path_offset(fdt, NULL), ==, -FDT_ERR_BADPATH);
		g_assert_cmpint(soc_fdt_path_offset(NULL, "/"), ==, -FDT_ERR_BADPATH);
		soc_fdt_index_free(ix);
	}
	g_free(fdt);
}

/* Trees libfdt reads but the index leaves alone (or blobs nothing should read): no index, the
 * same answers, no crash. */
static void test_not_indexed(void)
{
	for (int kind = 0; kind < 8; kind++) {
		Asm a = a_new();
		uint32_t version = 17;
		bool no_end = false;
		if (kind == 0)
			a_nop(&a);                   /* the root is not at offset 0 */
		a_begin(&a, kind == 1 ? "x" : ""); /* a root with a name */
		a_u32prop(&a, "phandle", 1);
		a_begin(&a, kind == 2 ? "a/b" : "a");
		a_u32prop(&a, "phandle", 2);
		a_begin(&a, "c");
		a_end(&a);
		a_end(&a);
		a_begin(&a, "d");
		a_end(&a);
		if (kind == 6)
			a_u32(a.st, 0x7);            /* an unknown tag */
		a_end(&a);
		if (kind == 3) {                 /* a second root */
			a_begin(&a, "");
			a_u32prop(&a, "phandle", 3);
			a_end(&a);
		}
		if (kind == 4)
			a_u32prop(&a, "outside", 1); /* a property after the root */
		if (kind == 5)
			version = 16;
		if (kind == 7)
			no_end = true;               /* no FDT_END */
		void *fdt = a_finish(&a, version, no_end);
		g_test_message("kind %d", kind);
		g_assert_false(assert_index_changes_nothing(fdt, fdt_totalsize(fdt), T_ALL));
		/* One root, so libfdt's paths are safe to compare with: a named root, a name with
		 * '/', an old version. */
		if (kind == 1 || kind == 2 || kind == 5)
			assert_matches_libfdt(fdt, 1);
		g_free(fdt);
	}

	/* Truncated blobs of a real tree: any that is indexed answers as libfdt does. */
	void *good = odd_but_plain();
	size_t size = fdt_totalsize(good);
	for (size_t cut = 0; cut < size; cut += 4) {
		void *fdt = g_malloc0(size);
		memcpy(fdt, good, cut);
		if (cut >= 40) {
			/* Claim a shorter structure block, as a truncated file with a patched header. */
			fdt_set_size_dt_struct(fdt, (uint32_t)MIN(fdt_size_dt_struct(good),
			                                          cut > 56 ? cut - 56 : 0));
		}
		assert_index_changes_nothing(fdt, size, T_NODES | T_OFFSETS);
		g_free(fdt);
	}

	/* Misaligned (libfdt refuses), junk, nothing. */
	char *buf = g_malloc(size + 8);
	memcpy(buf + 4, good, size);
	g_assert_null(soc_fdt_index_new(buf + 4));
	g_free(buf);
	char junk[256];
	memset(junk, 0xa5, sizeof(junk));
	g_assert_null(soc_fdt_index_new(junk));
	g_assert_null(soc_fdt_index_new(NULL));
	g_assert_false(soc_fdt_index_in_use(NULL));
	soc_fdt_index_free(NULL);
	g_free(good);
}

/* ---- edits, lifetime, threads ------------------------------------------------------------ */

/* The indexed blob's transcript equals that of a plain copy of the same bytes. */
static void assert_like_copy(const void *fdt, unsigned what)
{
	void *copy = g_memdup2(fdt, fdt_totalsize(fdt));
	char *got = transcript(fdt, fdt_totalsize(fdt), what);
	char *raw = transcript(copy, fdt_totalsize(copy), what);
	/* Property values are given as offsets from the blob, so the texts compare. */
	assert_same_text(got, raw, "after an edit");
	g_free(got);
	g_free(raw);
	g_free(copy);
}

static void test_edits(void)
{
	void *base = odd_but_plain();
	void *fdt = fdt_test_resize(base, 1024);
	g_free(base);
	SocFdtIndex *ix = soc_fdt_index_new(fdt);
	g_assert_nonnull(ix);

	/* In place, the header stays: the index stays in use and sees the edits. */
	int uart = fdt_path_offset(fdt, "/uart@1000");
	g_assert_cmpint(fdt_setprop_inplace_u32(fdt, uart, "phandle", 0x21), ==, 0);
	g_assert_true(soc_fdt_index_in_use(fdt));
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, 0x21, NULL), ==, uart);
	g_assert_cmpint(soc_fdt_node_by_phandle(fdt, 0x20, NULL), ==,
	                fdt_path_offset(fdt, "/uart@2000"));
	g_assert_cmpint(fdt_set_name(fdt, fdt_path_offset(fdt, "/intc"), "INTC"), ==, 0);
	g_assert_true(soc_fdt_index_in_use(fdt));
	char *path = soc_fdt_path(fdt, fdt_path_offset(fdt, "/INTC"));
	g_assert_cmpstr(path, ==, "/INTC");
	g_free(path);
	int odd = fdt_path_offset(fdt, "/odd-phandles");
	g_assert_cmpint(fdt_nop_property(fdt, odd, "linux,phandle"), ==, 0);
	g_assert_cmpint(fdt_nop_node(fdt, fdt_path_offset(fdt, "/uart@2000")), ==, 0);
	g_assert_true(soc_fdt_index_in_use(fdt));
	assert_like_copy(fdt, T_ALL);

	/* Anything that moves data changes the header: the index is no longer used. */
	g_assert_cmpint(fdt_setprop_u32(fdt, uart, "grown", 1), ==, 0);
	g_assert_false(soc_fdt_index_in_use(fdt));
	assert_like_copy(fdt, T_ALL);
	/* A new index sees the tree as it is now; the stale one is still freed properly. */
	SocFdtIndex *fresh = soc_fdt_index_new(fdt);
	g_assert_true(soc_fdt_index_in_use(fdt));
	assert_like_copy(fdt, T_ALL);
	soc_fdt_index_free(ix);
	g_assert_true(soc_fdt_index_in_use(fdt));
	g_assert_cmpint(fdt_add_subnode(fdt, 0, "added"), >=, 0);
	g_assert_false(soc_fdt_index_in_use(fdt));
	assert_like_copy(fdt, T_NODES | T_OFFSETS);
	soc_fdt_index_free(fresh);
	g_free(fdt);
}

static void test_lifetime(void)
{
	void *a = odd_but_plain(), *b = odd_but_plain();
	SocFdtIndex *ia = soc_fdt_index_new(a), *ib = soc_fdt_index_new(b);
	SocFdtIndex *ia2 = soc_fdt_index_new(a);
	g_assert_true(soc_fdt_index_in_use(a) && soc_fdt_index_in_use(b));
	soc_fdt_index_free(ia);          /* out of order: the others stay */
	g_assert_true(soc_fdt_index_in_use(a) && soc_fdt_index_in_use(b));
	soc_fdt_index_free(ia2);
	g_assert_false(soc_fdt_index_in_use(a));
	g_assert_true(soc_fdt_index_in_use(b));
	{
		g_autoptr(SocFdtIndex) scoped = soc_fdt_index_new(a);
		g_assert_true(soc_fdt_index_in_use(a));
	}
	g_assert_false(soc_fdt_index_in_use(a));
	soc_fdt_index_free(ib);
	g_assert_false(soc_fdt_index_in_use(b));
	g_free(b);
	g_free(a);
}

static gpointer index_on_thread(gpointer blob)
{
	SocFdtIndex *ix = soc_fdt_index_new(blob);
	g_assert_true(soc_fdt_index_in_use(blob));
	return ix;
}

static gpointer free_on_thread(gpointer ix)
{
	soc_fdt_index_free(ix);
	return NULL;
}

static void test_threads(void)
{
	void *fdt = odd_but_plain();
	/* An index made on another thread answers there only, and can be freed after that
	 * thread has ended. */
	SocFdtIndex *ix = g_thread_join(g_thread_new("index", index_on_thread, fdt));
	g_assert_false(soc_fdt_index_in_use(fdt));
	soc_fdt_index_free(ix);
	/* One freed on another thread leaves this thread's list. */
	ix = soc_fdt_index_new(fdt);
	g_assert_true(soc_fdt_index_in_use(fdt));
	g_thread_join(g_thread_new("free", free_on_thread, ix));
	g_assert_false(soc_fdt_index_in_use(fdt));
	g_free(fdt);
}

/* ---- registration ------------------------------------------------------------------------ */

static void add_fixtures(const char *const *where, GPtrArray *keep)
{
	char *dir = g_test_build_filename(G_TEST_DIST, where[0], where[1], where[2], NULL);
	GDir *d = g_dir_open(dir, 0, NULL);
	g_assert_nonnull(d);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	while ((name = g_dir_read_name(d)))
		if (g_str_has_suffix(name, ".dts"))
			g_ptr_array_add(names, g_strdup(name));
	g_dir_close(d);
	g_ptr_array_sort(names, (GCompareFunc)(void *)g_strcmp0);
	for (unsigned i = 0; i < names->len; i++) {
		char *file = g_build_filename(dir, names->pdata[i], NULL);
		char *tpath = g_strdup_printf("/fdt/index/fixture/%s/%s/%s%s%s", where[0], where[1],
		                              where[2] ? where[2] : "", where[2] ? "/" : "",
		                              (char *)names->pdata[i]);
		g_test_add_data_func(tpath, file, test_fixture);
		g_ptr_array_add(keep, file);
		g_free(tpath);
	}
	g_ptr_array_free(names, TRUE);
	g_free(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	GPtrArray *keep = g_ptr_array_new_with_free_func(g_free);
	static const char *const dirs[][3] = {
		{ "tests", "data", NULL },
		{ "tests", "data", "fdt" },
		{ "tests", "data", "tree" },
		{ "dts", "boards", NULL },
	};
	for (unsigned i = 0; i < G_N_ELEMENTS(dirs); i++)
		add_fixtures(dirs[i], keep);
	g_test_add_func("/fdt/index/deep", test_deep);
	g_test_add_func("/fdt/index/long-paths", test_long_paths);
	g_test_add_func("/fdt/index/huge", test_huge);
	g_test_add_func("/fdt/index/odd-but-plain", test_odd_but_plain);
	g_test_add_func("/fdt/index/alias-loop", test_alias_loop);
	g_test_add_func("/fdt/index/not-indexed", test_not_indexed);
	g_test_add_func("/fdt/index/edits", test_edits);
	g_test_add_func("/fdt/index/lifetime", test_lifetime);
	g_test_add_func("/fdt/index/threads", test_threads);
	int r = g_test_run();
	g_ptr_array_free(keep, TRUE);
	return r;
}
