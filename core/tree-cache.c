/* core/tree-cache.c — compiled device trees kept between runs (see tree-cache.h).
 *
 * Compiling a .dts that #includes its SoC costs a cpp and a dtc child, ~10 ms, three times
 * what the rest of a short test run costs. An entry holds what compiling produced (the blob,
 * the preprocessed text that source locations are read from, the tools' warnings) and the
 * content hash of every file the tools read (their dependency lists); it is used only when all
 * of those files still hash the same, so an edited include can never leave a stale tree.
 * Entries are found by a key over everything else that decides the result: socemu's version
 * and binary, the identity of cpp and dtc, the working directory, the source path and the
 * include path.
 *
 * Entries are written with g_file_set_contents (a temporary file renamed into place), so
 * parallel runs never see a partial one; an entry that does not parse is a miss. */
#include "config.h"

#include "core/tree-cache.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#define CACHE_MAGIC "socemu-tree-cache 1\n"

static char *file_sha256(const char *path, const char *data, size_t len)
{
	g_autofree char *text = NULL;
	gsize n = 0;

	if (!data) {
		if (!g_file_get_contents(path, &text, &n, NULL))
			return NULL;
		data = text;
		len = n;
	}
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
}

/* "path:size:mtime" of a tool as run (through PATH when not a path). */
static void add_tool(GChecksum *ck, const char *tool)
{
	g_autofree char *found = strchr(tool, '/') ? g_strdup(tool) : g_find_program_in_path(tool);
	GStatBuf st;
	char buf[64];

	g_checksum_update(ck, (const guchar *)tool, -1);
	if (found && g_stat(found, &st) == 0) {
		g_snprintf(buf, sizeof buf, ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
		           (gint64)st.st_size, (gint64)st.st_mtime);
		g_checksum_update(ck, (const guchar *)buf, -1);
	}
	g_checksum_update(ck, (const guchar *)"", 1);
}

char *soc_tree_cache_path(const char *src, const char *const *include_dirs, const char *cpp,
                          const char *dtc)
{
	const char *dir = g_getenv("SOCEMU_CACHE_DIR");
	g_autofree char *base = NULL, *cwd = g_get_current_dir();
	g_autofree char *name = NULL;
	GChecksum *ck;

	if (dir && (!*dir || !strcmp(dir, "off")))
		return NULL;
	base = dir ? g_strdup(dir) : g_build_filename(g_get_user_cache_dir(), "socemu", "trees", NULL);
	ck = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(ck, (const guchar *)CACHE_MAGIC VERSION, -1);
	g_checksum_update(ck, (const guchar *)"", 1);
	/* socemu itself: a rebuilt socemu may run the tools differently */
	add_tool(ck, "/proc/self/exe");
	add_tool(ck, cpp);
	add_tool(ck, dtc);
	g_checksum_update(ck, (const guchar *)cwd, -1);
	g_checksum_update(ck, (const guchar *)"", 1);
	g_checksum_update(ck, (const guchar *)src, -1);
	g_checksum_update(ck, (const guchar *)"", 1);
	for (const char *const *d = include_dirs; d && *d; d++) {
		g_checksum_update(ck, (const guchar *)*d, -1);
		g_checksum_update(ck, (const guchar *)"", 1);
	}
	name = g_strconcat(g_checksum_get_string(ck), ".tree", NULL);
	g_checksum_free(ck);
	return g_build_filename(base, name, NULL);
}

/* Reads "<tag> <len>\n<len bytes>\n" at *p; the section's bytes are copied out. */
static bool read_section(const char **p, const char *end, const char *tag, char **out,
                         size_t *out_len)
{
	size_t tl = strlen(tag);
	char *num_end;
	guint64 n;

	if ((size_t)(end - *p) < tl + 2 || memcmp(*p, tag, tl) || (*p)[tl] != ' ')
		return false;
	errno = 0;
	n = g_ascii_strtoull(*p + tl + 1, &num_end, 10);
	if (errno || num_end >= end || *num_end != '\n' || n > (guint64)(end - num_end - 1))
		return false;
	*p = num_end + 1;
	if ((size_t)(end - *p) < n + 1 || (*p)[n] != '\n')
		return false;
	*out = g_malloc(n + 1);
	memcpy(*out, *p, n);
	(*out)[n] = '\0';
	if (out_len)
		*out_len = n;
	*p += n + 1;
	return true;
}

bool soc_tree_cache_lookup(const char *entry, SocTreeCacheData *d)
{
	g_autofree char *text = NULL;
	gsize len = 0;
	const char *p, *end;
	char *dtb = NULL, *pp = NULL, *warn = NULL;
	size_t dtb_len = 0;

	memset(d, 0, sizeof(*d));
	if (!entry || !g_file_get_contents(entry, &text, &len, NULL))
		return false;
	p = text;
	end = text + len;
	if (len < strlen(CACHE_MAGIC) || memcmp(p, CACHE_MAGIC, strlen(CACHE_MAGIC)))
		return false;
	p += strlen(CACHE_MAGIC);
	/* "dep <sha256> <path>\n" lines: every one must still hash the same. */
	while ((size_t)(end - p) > 4 && !memcmp(p, "dep ", 4)) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		g_autofree char *line = NULL, *now = NULL;
		char *sp;
		if (!nl)
			return false;
		line = g_strndup(p + 4, (gsize)(nl - p - 4));
		sp = strchr(line, ' ');
		if (!sp || sp - line != 64)
			return false;
		*sp = '\0';
		now = file_sha256(sp + 1, NULL, 0);
		if (!now || strcmp(now, line))
			return false;
		p = nl + 1;
	}
	if (!read_section(&p, end, "warnings", &warn, NULL))
		return false;
	if (!read_section(&p, end, "pp", &pp, NULL) || !read_section(&p, end, "dtb", &dtb, &dtb_len) ||
	    p != end) {
		g_free(warn);
		g_free(pp);
		g_free(dtb);
		return false;
	}
	d->blob = dtb;
	d->len = dtb_len;
	d->pp_text = pp;
	if (*warn) {
		d->warnings = warn;
	} else {
		g_free(warn);
	}
	return true;
}

/* A make-style dependency file ("target: dep dep \\\n dep"), as cpp -MD and dtc -d write
 * it; false when it cannot be read exactly (escaped spaces, for instance). */
static bool parse_deps(const char *file, GPtrArray *out)
{
	g_autofree char *text = NULL;
	char *colon, **words;
	bool ok = true;

	if (!g_file_get_contents(file, &text, NULL, NULL))
		return false;
	colon = strstr(text, ": ");
	if (!colon || strchr(text, '$'))
		return false;
	for (char *q = colon; *q; q++) {
		if (*q == '\\' && q[1] == '\n')
			q[0] = q[1] = ' ';
		else if (*q == '\\')
			ok = false;
	}
	words = g_strsplit_set(colon + 1, " \t\n", -1);
	for (char **w = words; ok && *w; w++)
		if (**w)
			g_ptr_array_add(out, g_canonicalize_filename(*w, NULL));
	g_strfreev(words);
	return ok;
}

void soc_tree_cache_store(const char *entry, const char *src, const char *const *depfiles,
                          const char *skip, const SocTreeCacheData *d)
{
	g_autoptr(GPtrArray) deps = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree char *skip_abs = skip ? g_canonicalize_filename(skip, NULL) : NULL;
	g_autofree char *dir = NULL;
	GString *out;
	const char *warn = d->warnings ? d->warnings : "";

	if (!entry)
		return;
	g_ptr_array_add(deps, g_canonicalize_filename(src, NULL));
	for (const char *const *f = depfiles; f && *f; f++)
		if (!parse_deps(*f, deps))
			return;
	out = g_string_new(CACHE_MAGIC);
	for (guint i = 0; i < deps->len; i++) {
		const char *path = deps->pdata[i];
		g_autofree char *sum = NULL;
		if ((skip_abs && !strcmp(path, skip_abs)) || g_hash_table_contains(seen, path))
			continue;
		g_hash_table_add(seen, (gpointer)path);
		sum = file_sha256(path, NULL, 0);
		if (!sum || strchr(path, '\n')) {
			g_string_free(out, TRUE);
			return;
		}
		g_string_append_printf(out, "dep %s %s\n", sum, path);
	}
	g_string_append_printf(out, "warnings %zu\n%s\n", strlen(warn), warn);
	g_string_append_printf(out, "pp %zu\n%s\n", strlen(d->pp_text), d->pp_text);
	g_string_append_printf(out, "dtb %zu\n", d->len);
	g_string_append_len(out, d->blob, (gssize)d->len);
	g_string_append_c(out, '\n');
	/* A cache that cannot be written is only a slower next run. */
	dir = g_path_get_dirname(entry);
	if (g_mkdir_with_parents(dir, 0700) == 0)
		g_file_set_contents(entry, out->str, (gssize)out->len, NULL);
	g_string_free(out, TRUE);
}

void soc_tree_cache_data_clear(SocTreeCacheData *d)
{
	g_free(d->blob);
	g_free(d->pp_text);
	g_free(d->warnings);
	memset(d, 0, sizeof(*d));
}
