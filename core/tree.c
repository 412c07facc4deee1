/* core/tree.c — the tree input layer (see tree.h): .dts/.dtb loading through cpp and dtc,
 * overlays and -set edits applied with libfdt, and the node/property -> file:line table
 * used to point errors at the user's sources. */
#include "config.h"

#include "core/tree.h"
#include "core/tree-cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libfdt.h>

#include "core/error.h"

#ifndef SOC_CPP
#define SOC_CPP "cpp"
#endif
#ifndef SOC_DTC
#define SOC_DTC "dtc"
#endif

/* Real trees are kilobytes; anything this large is a wrong file, not a tree. */
#define TREE_MAX_BYTES (256u * 1024 * 1024)
/* Room left free after each edit so that later libfdt edits rarely need to move the blob. */
#define TREE_SPARE_MIN 4096u

/* What it takes to rebuild the source-location table: the sources in the order they were
 * applied, and the -set / delete edits that made a recorded location stale. */
typedef enum {
	TREE_LAYER_SOURCE,  /* a preprocessed .dts (the base) or overlay source */
	TREE_LAYER_FORGET,  /* a property whose recorded location no longer holds */
} TreeLayerKind;

typedef struct {
	TreeLayerKind kind;
	char *pp_text;        /* SOURCE: cpp output (line markers point at the user's files) */
	char *src_dir;        /* SOURCE: directory of the file, for dtc's /include/ and /incbin/ */
	GHashTable *targets;  /* SOURCE of an overlay: fragment name -> target node path;
	                         NULL for the base source */
	char *key;            /* FORGET: "path:property" */
} TreeLayer;

struct SocTree {
	void *blob;           /* g_malloc'd; its buffer size is fdt_totalsize(blob) */
	char *origin;
	char **include_dirs;  /* NULL-terminated, or NULL */
	char *warnings;
	GPtrArray *layers;    /* TreeLayer *, oldest first */
	guint layers_done;    /* how many layers are already folded into locs */
	GHashTable *locs;     /* "path" or "path:property" -> "file:line"; built lazily */
};

/* ---- small helpers ------------------------------------------------------------------- */

static void tree_layer_free(gpointer p)
{
	TreeLayer *l = p;

	g_free(l->pp_text);
	g_free(l->src_dir);
	if (l->targets)
		g_hash_table_unref(l->targets);
	g_free(l->key);
	g_free(l);
}

static const char *tree_tool(const char *env, const char *def)
{
	const char *v = g_getenv(env);

	return (v && *v) ? v : def;
}

static size_t tree_spare_for(size_t used)
{
	return MAX((size_t)TREE_SPARE_MIN, used / 4);
}

/* Bytes of the buffer that hold data, for a blob laid out by fdt_open_into (v17). */
static size_t tree_used(const void *fdt)
{
	size_t s = (size_t)fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt);
	size_t t = (size_t)fdt_off_dt_strings(fdt) + fdt_size_dt_strings(fdt);

	return MAX(s, t);
}

/* A property that holds one NUL-terminated string (extra strings are ignored). */
static const char *tree_prop_str(const void *fdt, int node, const char *name)
{
	int len;
	const char *v = fdt_getprop(fdt, node, name, &len);

	if (!v || len <= 0 || !memchr(v, '\0', (size_t)len))
		return NULL;
	return v;
}

static char *tree_node_path(const void *fdt, int node)
{
	for (size_t n = 256; n <= (1u << 20); n *= 4) {
		char *buf = g_malloc(n);
		int rc = fdt_get_path(fdt, node, buf, (int)n);

		if (rc == 0)
			return buf;
		g_free(buf);
		if (rc != -FDT_ERR_NOSPACE)
			return NULL;
	}
	return NULL;
}

static bool tree_read_file(const char *path, char **data, size_t *len, GError **err)
{
	int fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
	struct stat st;
	GByteArray *buf;

	if (fd < 0) {
		int e = errno;

		g_set_error(err, SOC_ERROR, SOC_ERROR_IO, "%s: %s", path, g_strerror(e));
		return false;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IO, "%s: is a directory", path);
		close(fd);
		return false;
	}
	buf = g_byte_array_new();
	for (;;) {
		guint8 chunk[65536];
		ssize_t n = read(fd, chunk, sizeof chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			g_set_error(err, SOC_ERROR, SOC_ERROR_IO, "%s: %s", path, g_strerror(e));
			goto fail;
		}
		if (n == 0)
			break;
		if (buf->len + (size_t)n > TREE_MAX_BYTES) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_IO,
			            "%s: larger than %u MiB, not a device tree", path,
			            TREE_MAX_BYTES >> 20);
			goto fail;
		}
		g_byte_array_append(buf, chunk, (guint)n);
	}
	close(fd);
	*len = buf->len;
	g_byte_array_append(buf, (const guint8 *)"", 1);  /* text files read as strings */
	*data = (char *)g_byte_array_free(buf, FALSE);
	return true;
fail:
	close(fd);
	g_byte_array_free(buf, TRUE);
	return false;
}

/* ---- temporary files ----------------------------------------------------------------- */

/* One private directory per operation, so that parallel runs never share a file. */
typedef struct {
	char *dir;
	GPtrArray *files;
} TreeTmp;

static bool tree_tmp_init(TreeTmp *tmp, GError **err)
{
	GError *e = NULL;

	tmp->files = NULL;
	tmp->dir = g_dir_make_tmp("socemu-tree-XXXXXX", &e);
	if (!tmp->dir) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IO, "cannot create a temporary directory: %s",
		            e->message);
		g_error_free(e);
		return false;
	}
	tmp->files = g_ptr_array_new_with_free_func(g_free);
	return true;
}

static const char *tree_tmp_file(TreeTmp *tmp, const char *name)
{
	char *p = g_build_filename(tmp->dir, name, NULL);

	g_ptr_array_add(tmp->files, p);
	return p;
}

static void tree_tmp_clear(TreeTmp *tmp)
{
	if (!tmp->dir)
		return;
	for (guint i = 0; i < tmp->files->len; i++)
		g_unlink(g_ptr_array_index(tmp->files, i));
	g_rmdir(tmp->dir);
	g_ptr_array_unref(tmp->files);
	g_free(tmp->dir);
	tmp->dir = NULL;
	tmp->files = NULL;
}

/* ---- running cpp and dtc ------------------------------------------------------------- */

static bool tree_is_noise(const char *line)
{
	static const char *const noise[] = {
		"FATAL ERROR: Unable to parse input tree",
		"ERROR: Input tree has errors, aborting",
		"compilation terminated.",
	};
	const char *p = line;

	for (size_t i = 0; i < G_N_ELEMENTS(noise); i++)
		if (g_str_has_prefix(line, noise[i]))
			return true;
	/* gcc's source excerpt under a diagnostic: "    2 | #include ..." and "      |  ^~~" */
	while (*p == ' ')
		p++;
	while (g_ascii_isdigit(*p))
		p++;
	while (*p == ' ')
		p++;
	return p != line && *p == '|';
}

/* Turn a tool's stderr into a message: drop boilerplate and source excerpts, and when the
 * tool failed, the warnings around the errors. The temporary input's name is replaced by
 * `shown_as`, or removed with its position when shown_as is NULL. */
static char *tree_clean_diag(const char *text, bool failed, const char *tmp_in,
                             const char *shown_as)
{
	char **lines = g_strsplit(text ? text : "", "\n", -1);
	GString *out = g_string_new(NULL);
	GRegex *re = NULL;
	bool have_error = false;

	if (tmp_in) {
		char *esc = g_regex_escape_string(tmp_in, -1);
		char *pat = shown_as ? g_strdup(esc)
		                     : g_strdup_printf("%s(:[0-9.-]+)?:? ?", esc);

		re = g_regex_new(pat, 0, 0, NULL);
		g_free(pat);
		g_free(esc);
	}
	for (char **l = lines; *l; l++) {
		g_strchomp(*l);
		if (**l && !tree_is_noise(*l) && !strstr(*l, "Warning ("))
			have_error = true;
	}
	for (char **l = lines; *l; l++) {
		const char *s = *l;

		if (!*s || tree_is_noise(s))
			continue;
		if (failed && have_error && strstr(s, "Warning ("))
			continue;
		if (g_str_has_prefix(s, "Error: "))
			s += strlen("Error: ");
		if (out->len)
			g_string_append_c(out, '\n');
		if (re) {
			char *r = g_regex_replace_literal(re, s, -1, 0, shown_as ? shown_as : "", 0, NULL);

			g_string_append(out, r ? r : s);
			g_free(r);
		} else {
			g_string_append(out, s);
		}
	}
	if (re)
		g_regex_unref(re);
	g_strfreev(lines);
	return g_string_free(out, FALSE);
}

/* Run argv (no shell). True when it exited with status 0; its stderr goes to *diag either
 * way. False with *diag NULL and err set when it could not be started. */
static bool tree_run(const char *const *argv, char **diag, GError **err)
{
	char *out = NULL, *errtext = NULL;
	int status = 0;
	GError *e = NULL;

	*diag = NULL;
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_CLOEXEC_PIPES,
	                  NULL, NULL, &out, &errtext, &status, &e)) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IO, "cannot run %s: %s", argv[0], e->message);
		g_error_free(e);
		return false;
	}
	g_free(out);  /* both tools write to files; never let a child write to our stdout */
	*diag = errtext;
	return g_spawn_check_wait_status(status, NULL);
}

static void tree_set_tool_error(GError **err, const char *tool, const char *diag,
                                const char *tmp_in, const char *shown_as)
{
	char *msg = tree_clean_diag(diag, true, tmp_in, shown_as);

	if (*msg)
		g_set_error_literal(err, SOC_ERROR, SOC_ERROR_DTS, msg);
	else
		g_set_error(err, SOC_ERROR, SOC_ERROR_DTS, "%s failed", tool);
	g_free(msg);
}

static void tree_add_dirs(GPtrArray *argv, const char *flag, const char *const *include_dirs,
                          const char *src_dir)
{
	for (const char *const *d = include_dirs; d && *d; d++)
		g_ptr_array_add(argv, g_strconcat(flag, *d, NULL));
	if (src_dir)
		g_ptr_array_add(argv, g_strconcat(flag, src_dir, NULL));
}

static bool tree_cpp(const char *src, const char *const *include_dirs, const char *out_path,
                     const char *depfile, char **warnings, GError **err)
{
	const char *cpp = tree_tool("SOCEMU_CPP", SOC_CPP);
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
	char *src_dir = g_path_get_dirname(src);
	char *diag = NULL;
	bool ok;

	g_ptr_array_add(argv, g_strdup(cpp));
	g_ptr_array_add(argv, g_strdup("-nostdinc"));
	g_ptr_array_add(argv, g_strdup("-undef"));
	g_ptr_array_add(argv, g_strdup("-x"));
	g_ptr_array_add(argv, g_strdup("assembler-with-cpp"));
	g_ptr_array_add(argv, g_strdup("-D__DTS__"));
	tree_add_dirs(argv, "-I", include_dirs, src_dir);
	if (depfile) {
		g_ptr_array_add(argv, g_strdup("-MD"));
		g_ptr_array_add(argv, g_strdup("-MF"));
		g_ptr_array_add(argv, g_strdup(depfile));
	}
	g_ptr_array_add(argv, g_strdup("-o"));
	g_ptr_array_add(argv, g_strdup(out_path));
	/* a file named "-x.dts" must not be read as an option */
	g_ptr_array_add(argv, src[0] == '-' ? g_strconcat("./", src, NULL) : g_strdup(src));
	g_ptr_array_add(argv, NULL);

	ok = tree_run((const char *const *)argv->pdata, &diag, err);
	if (!ok && diag)
		tree_set_tool_error(err, cpp, diag, NULL, NULL);
	if (ok && warnings) {
		char *w = tree_clean_diag(diag, false, NULL, NULL);

		*warnings = *w ? w : (g_free(w), NULL);
	}
	g_free(diag);
	g_free(src_dir);
	g_ptr_array_unref(argv);
	return ok;
}

/* dtc from dts to `format` ("dtb", or "dts" annotated with source positions). */
static bool tree_dtc(const char *in_path, const char *shown_as, const char *format,
                     const char *const *include_dirs, const char *src_dir, const char *out_path,
                     const char *depfile, char **warnings, GError **err)
{
	const char *dtc = tree_tool("SOCEMU_DTC", SOC_DTC);
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
	bool annotate = strcmp(format, "dts") == 0;
	char *diag = NULL;
	bool ok;

	g_ptr_array_add(argv, g_strdup(dtc));
	g_ptr_array_add(argv, g_strdup("-I"));
	g_ptr_array_add(argv, g_strdup("dts"));
	g_ptr_array_add(argv, g_strdup("-O"));
	g_ptr_array_add(argv, g_strdup(format));
	if (!annotate) {
		/* labels stay visible to overlays and -set through __symbols__ (annotating does
		 * not need them, and -@ doubles dtc's time on large trees) */
		g_ptr_array_add(argv, g_strdup("-@"));
	} else {
		g_ptr_array_add(argv, g_strdup("-q"));
		g_ptr_array_add(argv, g_strdup("-T"));
		g_ptr_array_add(argv, g_strdup("-T"));
	}
	tree_add_dirs(argv, "-i", include_dirs, src_dir);
	if (depfile) {
		g_ptr_array_add(argv, g_strdup("-d"));
		g_ptr_array_add(argv, g_strdup(depfile));
	}
	g_ptr_array_add(argv, g_strdup("-o"));
	g_ptr_array_add(argv, g_strdup(out_path));
	g_ptr_array_add(argv, g_strdup(in_path));
	g_ptr_array_add(argv, NULL);

	ok = tree_run((const char *const *)argv->pdata, &diag, err);
	if (!ok && diag)
		tree_set_tool_error(err, dtc, diag, in_path, shown_as);
	if (ok && warnings) {
		char *w = tree_clean_diag(diag, false, in_path, shown_as);

		*warnings = *w ? w : (g_free(w), NULL);
	}
	g_free(diag);
	g_ptr_array_unref(argv);
	return ok;
}

/* Does the source use the C preprocessor (a directive at the start of a line)? Property
 * names such as #address-cells are not directives. Unreadable files go through cpp, whose
 * error then names the problem. */
static bool needs_cpp(const char *path)
{
	static const char *const directives[] = {
		"include", "define", "undef", "if", "ifdef", "ifndef", "elif", "else", "endif",
		"error", "warning", "pragma", "line", NULL
	};
	g_autofree char *text = NULL;
	bool uses = false;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return true;
	for (char *line = text; line && *line && !uses; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '#')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (g_ascii_isdigit(*p))
			uses = true;                 /* a line marker */
		for (const char *const *d = directives; *d && !uses; d++) {
			size_t n = strlen(*d);
			if (!strncmp(p, *d, n) && !g_ascii_isalnum(p[n]) && p[n] != '_' && p[n] != '-')
				uses = true;
		}
	}
	return uses;
}

/* path (.dts/.dtso) -> compiled blob, plus the preprocessed text for source locations. */
static bool tree_compile_source(const char *path, const char *const *include_dirs,
                                char **blob, size_t *len, char **pp_text, char **warnings,
                                GError **err)
{
	TreeTmp tmp;
	const char *pp, *out, *cpp_deps = NULL, *dtc_deps = NULL;
	char *src_dir = g_path_get_dirname(path);
	char *cpp_warnings = NULL, *dtc_warnings = NULL;
	char *entry = soc_tree_cache_path(path, include_dirs, tree_tool("SOCEMU_CPP", SOC_CPP),
	                                  tree_tool("SOCEMU_DTC", SOC_DTC));
	SocTreeCacheData cached;
	size_t pp_len;
	bool ok = false;

	*blob = NULL;
	*pp_text = NULL;
	*warnings = NULL;
	tmp.dir = NULL;
	if (soc_tree_cache_lookup(entry, &cached)) {
		*blob = cached.blob;
		*len = cached.len;
		*pp_text = cached.pp_text;
		*warnings = cached.warnings;
		g_free(entry);
		g_free(src_dir);
		return true;
	}
	if (!tree_tmp_init(&tmp, err))
		goto done;
	pp = tree_tmp_file(&tmp, "pp.dts");
	out = tree_tmp_file(&tmp, "out.dtb");
	if (entry) {
		cpp_deps = tree_tmp_file(&tmp, "cpp.d");
		dtc_deps = tree_tmp_file(&tmp, "dtc.d");
	}
	if (!needs_cpp(path)) {
		/* No preprocessor directive: cpp would change nothing but cost most of the
		 * start-up. A line marker keeps source locations pointing at the user's file. */
		char *text;
		size_t text_len;
		if (!tree_read_file(path, &text, &text_len, err))
			goto done;
		{
			g_autofree char *quoted = g_strescape(path, NULL);
			*pp_text = g_strdup_printf("# 1 \"%s\"\n%s", quoted, text);
		}
		g_free(text);
		if (!g_file_set_contents(pp, *pp_text, -1, err))
			goto done;
		cpp_deps = NULL;   /* cpp does not run: only dtc's list */
	} else {
		if (!tree_cpp(path, include_dirs, pp, cpp_deps, &cpp_warnings, err))
			goto done;
		if (!tree_read_file(pp, pp_text, &pp_len, err))
			goto done;
	}
	if (!tree_dtc(pp, path, "dtb", include_dirs, src_dir, out, dtc_deps, &dtc_warnings, err))
		goto done;
	ok = tree_read_file(out, blob, len, err);
done:
	if (!ok) {
		g_free(*pp_text);
		*pp_text = NULL;
	} else if (cpp_warnings || dtc_warnings) {
		*warnings = g_strjoin("\n", cpp_warnings ? cpp_warnings : dtc_warnings,
		                      cpp_warnings ? dtc_warnings : NULL, NULL);
	}
	if (ok && entry) {
		const char *depfiles[] = { dtc_deps, cpp_deps, NULL };
		SocTreeCacheData d = { .blob = *blob, .len = *len, .pp_text = *pp_text,
		                       .warnings = *warnings };
		soc_tree_cache_store(entry, path, depfiles, pp, &d);
	}
	g_free(entry);
	g_free(cpp_warnings);
	g_free(dtc_warnings);
	tree_tmp_clear(&tmp);
	g_free(src_dir);
	return ok;
}

/* ---- blobs --------------------------------------------------------------------------- */

static bool tree_check_blob(const void *blob, size_t len, const char *name, GError **err)
{
	int rc = fdt_check_full(blob, len);

	if (rc < 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_BLOB, "%s: not a valid device tree blob: %s",
		            name, fdt_strerror(rc));
		return false;
	}
	return true;
}

/* A writable copy of a checked blob with `extra` free bytes. */
static void *tree_open_copy(const void *blob, size_t extra, const char *name, GError **err)
{
	size_t size = (size_t)fdt_totalsize(blob) + extra;
	void *buf;
	int rc;

	if (size > TREE_MAX_BYTES) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_BLOB, "%s: tree larger than %u MiB", name,
		            TREE_MAX_BYTES >> 20);
		return NULL;
	}
	buf = g_malloc0(size);
	rc = fdt_open_into(blob, buf, (int)size);
	if (rc < 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_BLOB, "%s: cannot open device tree blob: %s",
		            name, fdt_strerror(rc));
		g_free(buf);
		return NULL;
	}
	return buf;
}

static SocTree *tree_new(void *blob, const char *origin)
{
	SocTree *t = g_new0(SocTree, 1);

	t->blob = blob;
	t->origin = g_strdup(origin);
	t->layers = g_ptr_array_new_with_free_func(tree_layer_free);
	return t;
}

/* Copy first: the caller's buffer may be misaligned or shorter than its header says. */
static SocTree *tree_from_blob(const void *blob, size_t len, const char *origin,
                               const char *name, GError **err)
{
	void *copy = g_memdup2(blob, len ? len : 1);
	void *open;

	if (!tree_check_blob(copy, len, name, err)) {
		g_free(copy);
		return NULL;
	}
	open = tree_open_copy(copy, tree_spare_for(fdt_totalsize(copy)), name, err);
	g_free(copy);
	return open ? tree_new(open, origin) : NULL;
}

SocTree *soc_tree_new_from_blob(const void *blob, size_t len, const char *origin, GError **err)
{
	g_return_val_if_fail(blob || len == 0, NULL);
	return tree_from_blob(blob, len, origin, origin ? origin : "blob", err);
}

static bool tree_is_fdt(const char *data, size_t len)
{
	return len >= 4 && fdt_magic(data) == FDT_MAGIC;
}

SocTree *soc_tree_load(const char *path, const char *const *include_dirs, GError **err)
{
	char *data = NULL, *pp_text = NULL, *warnings = NULL;
	size_t len = 0;
	SocTree *t = NULL;

	g_return_val_if_fail(path != NULL, NULL);
	if (!tree_read_file(path, &data, &len, err))
		return NULL;
	if (tree_is_fdt(data, len)) {
		t = tree_from_blob(data, len, path, path, err);
	} else {
		char *blob = NULL;
		size_t blen = 0;

		if (tree_compile_source(path, include_dirs, &blob, &blen, &pp_text, &warnings, err))
			t = tree_from_blob(blob, blen, path, path, err);
		g_free(blob);
	}
	g_free(data);
	if (!t) {
		g_free(pp_text);
		g_free(warnings);
		return NULL;
	}
	t->include_dirs = g_strdupv((char **)include_dirs);
	t->warnings = warnings;
	if (pp_text) {
		TreeLayer *l = g_new0(TreeLayer, 1);

		l->kind = TREE_LAYER_SOURCE;
		l->pp_text = pp_text;
		l->src_dir = g_path_get_dirname(path);
		g_ptr_array_add(t->layers, l);
	}
	return t;
}

void soc_tree_free(SocTree *t)
{
	if (!t)
		return;
	g_free(t->blob);
	g_free(t->origin);
	g_strfreev(t->include_dirs);
	g_free(t->warnings);
	g_ptr_array_unref(t->layers);
	if (t->locs)
		g_hash_table_unref(t->locs);
	g_free(t);
}

const void *soc_tree_blob(const SocTree *t)
{
	return t->blob;
}

void *soc_tree_blob_rw(SocTree *t)
{
	return t->blob;
}

size_t soc_tree_size(const SocTree *t)
{
	return fdt_totalsize(t->blob);
}

bool soc_tree_reserve(SocTree *t, size_t extra, GError **err)
{
	size_t used = tree_used(t->blob);
	size_t size = fdt_totalsize(t->blob);
	void *buf;

	if (size - used >= extra)
		return true;
	if (extra > TREE_MAX_BYTES) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_BLOB, "tree larger than %u MiB",
		            TREE_MAX_BYTES >> 20);
		return false;
	}
	buf = tree_open_copy(t->blob, used + extra + tree_spare_for(used) - size,
	                     t->origin ? t->origin : "tree", err);
	if (!buf)
		return false;
	g_free(t->blob);
	t->blob = buf;
	return true;
}

const char *soc_tree_origin(const SocTree *t)
{
	return t->origin;
}

const char *soc_tree_warnings(const SocTree *t)
{
	return t->warnings;
}

char *soc_tree_resolve_relative(const SocTree *t, const char *relpath)
{
	char *dir, *r;

	if (g_path_is_absolute(relpath) || !t->origin)
		return g_strdup(relpath);
	dir = g_path_get_dirname(t->origin);
	r = strcmp(dir, ".") == 0 ? g_strdup(relpath) : g_build_filename(dir, relpath, NULL);
	g_free(dir);
	return r;
}

bool soc_tree_write_dtb(const SocTree *t, const char *path, GError **err)
{
	void *copy = g_memdup2(t->blob, fdt_totalsize(t->blob));
	GError *e = NULL;
	bool ok;

	fdt_pack(copy);
	ok = g_file_set_contents(path, copy, fdt_totalsize(copy), &e);
	if (!ok) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IO, "%s: %s", path, e->message);
		g_error_free(e);
	}
	g_free(copy);
	return ok;
}

/* ---- overlays ------------------------------------------------------------------------ */

/* The label a __fixups__ entry names for "/<fragment>:target:0", if any. */
static const char *tree_fixup_label_for_target(const void *ov, int fixups, const char *frag)
{
	int prop;

	if (fixups < 0)
		return NULL;
	fdt_for_each_property_offset(prop, ov, fixups) {
		const char *label;
		int len;
		const char *v = fdt_getprop_by_offset(ov, prop, &label, &len);

		for (int i = 0; v && i < len;) {
			const char *s = v + i;
			const char *nul = memchr(s, '\0', (size_t)(len - i));
			size_t n;

			if (!nul)
				break;
			n = (size_t)(nul - s);
			if (s[0] == '/' && strncmp(s + 1, frag, strlen(frag)) == 0 &&
			    strcmp(s + 1 + strlen(frag), ":target:0") == 0)
				return label;
			i += (int)n + 1;
		}
	}
	return NULL;
}

/* Check what libfdt would only report as FDT_ERR_NOTFOUND, and say it in the user's terms;
 * fill `targets` (fragment name -> target path) for source locations. */
static bool tree_overlay_precheck(const void *base, const void *ov, const char *name,
                                  GHashTable *targets, GError **err)
{
	int fixups = fdt_path_offset(ov, "/__fixups__");
	int symbols = fdt_path_offset(base, "/__symbols__");
	int prop, frag, n_frags = 0;

	if (fixups >= 0) {
		fdt_for_each_property_offset(prop, ov, fixups) {
			const char *label, *sym;
			int len, node;

			if (!fdt_getprop_by_offset(ov, prop, &label, &len))
				continue;
			if (symbols < 0) {
				g_set_error(err, SOC_ERROR, SOC_ERROR_PHANDLE,
				            "%s: refers to label '%s' but the tree has no labels "
				            "(no /__symbols__: compile it with dtc -@)", name, label);
				return false;
			}
			sym = tree_prop_str(base, symbols, label);
			if (!sym) {
				g_set_error(err, SOC_ERROR, SOC_ERROR_PHANDLE,
				            "%s: label '%s' is not defined in the tree", name, label);
				return false;
			}
			node = fdt_path_offset(base, sym);
			if (node < 0) {
				g_set_error(err, SOC_ERROR, SOC_ERROR_PHANDLE,
				            "%s: label '%s' names %s, which is not in the tree", name, label,
				            sym);
				return false;
			}
			if (fdt_get_phandle(base, node) == 0) {
				g_set_error(err, SOC_ERROR, SOC_ERROR_PHANDLE,
				            "%s: label '%s' (%s) has no phandle in the tree", name, label,
				            sym);
				return false;
			}
		}
	}

	fdt_for_each_subnode(frag, ov, 0) {
		const char *fname = fdt_get_name(ov, frag, NULL);
		const char *tpath;
		char *target = NULL;
		int len;
		const fdt32_t *ph;

		if (fdt_subnode_offset(ov, frag, "__overlay__") < 0)
			continue;
		n_frags++;
		/* libfdt's order: a non-zero `target` phandle first, then `target-path` */
		ph = fdt_getprop(ov, frag, "target", &len);
		if (ph && len == 4 && fdt32_to_cpu(*ph) != 0) {
			const char *label = tree_fixup_label_for_target(ov, fixups, fname);

			if (label) {
				target = g_strdup(tree_prop_str(base, symbols, label));
			} else {
				int node = fdt_node_offset_by_phandle(base, fdt32_to_cpu(*ph));

				if (node >= 0)
					target = tree_node_path(base, node);
			}
		} else if ((tpath = tree_prop_str(ov, frag, "target-path")) != NULL) {
			if (fdt_path_offset(base, tpath) < 0) {
				g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
				            "%s: %s: target node %s is not in the tree", name, fname, tpath);
				return false;
			}
			target = g_strdup(tpath);
		}
		if (target && targets)
			g_hash_table_insert(targets, g_strdup(fname), target);
		else
			g_free(target);
	}
	if (n_frags == 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: not an overlay (no fragment with __overlay__; a source needs /plugin/)",
		            name);
		return false;
	}
	return true;
}

/* Leave room after an edit so that the next libfdt edits fit in place. */
static void *tree_with_spare(void *buf)
{
	size_t used = tree_used(buf);
	size_t spare = tree_spare_for(used);
	void *bigger;

	if (fdt_totalsize(buf) - used >= spare)
		return buf;
	bigger = tree_open_copy(buf, used + spare - fdt_totalsize(buf), "tree", NULL);
	if (!bigger)
		return buf;  /* still valid, just tight */
	g_free(buf);
	return bigger;
}

/* Apply a checked overlay (`ov` is not modified) into a fresh copy of the tree; the tree
 * changes only on success. */
static bool tree_apply(SocTree *t, const void *ov, const char *name, GHashTable *targets,
                       GError **err)
{
	size_t ovsize = fdt_totalsize(ov);
	size_t room = ovsize * 2 + TREE_SPARE_MIN;

	if (!tree_overlay_precheck(t->blob, ov, name, targets, err))
		return false;
	for (;;) {
		size_t size = tree_used(t->blob) + room;
		void *buf, *ovw;
		int rc;

		if (size > TREE_MAX_BYTES) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
			            "%s: cannot apply overlay: tree would exceed %u MiB", name,
			            TREE_MAX_BYTES >> 20);
			return false;
		}
		buf = g_malloc0(size);
		rc = fdt_open_into(t->blob, buf, (int)size);
		if (rc == 0) {
			/* fdt_overlay_apply damages both trees when it fails: work on copies */
			ovw = g_memdup2(ov, ovsize);
			rc = fdt_overlay_apply(buf, ovw);
			g_free(ovw);
		}
		if (rc == -FDT_ERR_NOSPACE) {
			g_free(buf);
			room *= 2;
			continue;
		}
		if (rc == 0)
			rc = fdt_check_full(buf, size);
		if (rc < 0) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s: cannot apply overlay: %s",
			            name, fdt_strerror(rc));
			g_free(buf);
			return false;
		}
		g_free(t->blob);
		t->blob = tree_with_spare(buf);
		return true;
	}
}

bool soc_tree_apply_overlay_blob(SocTree *t, const void *overlay, size_t len, const char *name,
                                 GError **err)
{
	void *copy;
	bool ok;

	g_return_val_if_fail(t && (overlay || len == 0), false);
	if (!name)
		name = "overlay";
	copy = g_memdup2(overlay, len ? len : 1);
	ok = tree_check_blob(copy, len, name, err) && tree_apply(t, copy, name, NULL, err);
	g_free(copy);
	return ok;
}

bool soc_tree_apply_overlay(SocTree *t, const char *path, GError **err)
{
	char *data = NULL, *blob = NULL, *pp_text = NULL, *warnings = NULL;
	size_t len = 0, blen = 0;
	GHashTable *targets = NULL;
	bool ok = false;

	g_return_val_if_fail(t && path, false);
	if (!tree_read_file(path, &data, &len, err))
		return false;
	if (tree_is_fdt(data, len)) {
		blob = data;
		blen = len;
		data = NULL;
	} else if (!tree_compile_source(path, (const char *const *)t->include_dirs, &blob, &blen,
	                                &pp_text, &warnings, err)) {
		goto done;
	}
	if (!tree_check_blob(blob, blen, path, err))
		goto done;
	if (pp_text)
		targets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (!tree_apply(t, blob, path, targets, err))
		goto done;
	if (warnings) {
		char *w = t->warnings ? g_strconcat(t->warnings, "\n", warnings, NULL)
		                      : g_strdup(warnings);

		g_free(t->warnings);
		t->warnings = w;
	}
	if (pp_text) {
		TreeLayer *l = g_new0(TreeLayer, 1);

		l->kind = TREE_LAYER_SOURCE;
		l->pp_text = pp_text;
		l->src_dir = g_path_get_dirname(path);
		l->targets = targets;
		g_ptr_array_add(t->layers, l);
		pp_text = NULL;
		targets = NULL;
	}
	ok = true;
done:
	if (targets)
		g_hash_table_unref(targets);
	g_free(pp_text);
	g_free(warnings);
	g_free(blob);
	g_free(data);
	return ok;
}

/* ---- -set and property deletion ------------------------------------------------------ */

/* Property name characters of the Devicetree Specification (2.2.4). */
static bool tree_prop_name_ok(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalnum(s[i]) && !strchr(",._+?#-", s[i]))
			return false;
	return true;
}

/* "/node/path:property[=value]" -> node offset, canonical path, property and value. */
static bool tree_parse_spec(const SocTree *t, const char *what, const char *spec, bool allow_value,
                            int *node, char **path, char **prop, const char **value,
                            GError **err)
{
	const char *colon = strchr(spec, ':');
	const char *eq, *pend;
	char *given;

	if (spec[0] != '/' || !colon) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE,
		            "%s '%s': expected /node/path:property%s", what, spec,
		            allow_value ? "=value" : "");
		return false;
	}
	eq = allow_value ? strchr(colon + 1, '=') : NULL;
	pend = eq ? eq : colon + 1 + strlen(colon + 1);
	if (!tree_prop_name_ok(colon + 1, (size_t)(pend - colon - 1))) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE,
		            "%s '%s': '%.*s' is not a valid property name", what, spec,
		            (int)(pend - colon - 1), colon + 1);
		return false;
	}
	given = g_strndup(spec, (size_t)(colon - spec));
	*node = fdt_path_offset(t->blob, given);
	if (*node < 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "%s '%s': no node %s", what, spec, given);
		g_free(given);
		return false;
	}
	g_free(given);
	/* libfdt also accepts "uart" for "uart@1000": work on the real name */
	*path = tree_node_path(t->blob, *node);
	if (!*path) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s '%s': cannot get the node path", what,
		            spec);
		return false;
	}
	*prop = g_strndup(colon + 1, (size_t)(pend - colon - 1));
	if (value)
		*value = eq ? eq + 1 : NULL;
	return true;
}

static void tree_forget(SocTree *t, const char *path, const char *prop)
{
	TreeLayer *l = g_new0(TreeLayer, 1);

	l->kind = TREE_LAYER_FORGET;
	l->key = g_strconcat(path, ":", prop, NULL);
	g_ptr_array_add(t->layers, l);
}

static void tree_append_dts_string(GString *s, const char *str)
{
	g_string_append_c(s, '"');
	for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(s, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			g_string_append_printf(s, "\\x%02x", *p);
		else
			g_string_append_c(s, (char)*p);
	}
	g_string_append_c(s, '"');
}

/* The compiled -set overlay must be exactly: one fragment aimed at `path`, holding one
 * property `prop`, plus the fixups of label references. Anything else came from a value
 * that smuggled extra syntax. */
static bool tree_set_overlay_ok(const void *ov, const char *path, const char *prop)
{
	int node, p, frag = -1, body = -1, count = 0;
	const char *tp;

	fdt_for_each_property_offset(p, ov, 0)
		return false;
	fdt_for_each_subnode(node, ov, 0) {
		const char *n = fdt_get_name(ov, node, NULL);

		if (n && strcmp(n, "fragment@0") == 0 && frag < 0)
			frag = node;
		else if (!n || strcmp(n, "__fixups__") != 0)
			return false;
	}
	if (frag < 0)
		return false;
	fdt_for_each_property_offset(p, ov, frag) {
		const char *pname;

		if (!fdt_getprop_by_offset(ov, p, &pname, NULL) || strcmp(pname, "target-path") != 0)
			return false;
	}
	tp = tree_prop_str(ov, frag, "target-path");
	if (!tp || strcmp(tp, path) != 0)
		return false;
	fdt_for_each_subnode(node, ov, frag) {
		const char *n = fdt_get_name(ov, node, NULL);

		if (!n || strcmp(n, "__overlay__") != 0 || body >= 0)
			return false;
		body = node;
	}
	if (body < 0)
		return false;
	fdt_for_each_subnode(node, ov, body)
		return false;
	fdt_for_each_property_offset(p, ov, body) {
		const char *pname;

		if (!fdt_getprop_by_offset(ov, p, &pname, NULL) || strcmp(pname, prop) != 0)
			return false;
		count++;
	}
	return count == 1;
}

/* The common -set values, parsed here instead of by dtc (which costs a fork and ~1.5 ms per
 * -set of a short test run): a comma-separated list of plain strings ("text", printable
 * ASCII without escapes) and cell lists of decimal or 0x numbers (<1 0x2>). Anything else
 * (labels, escapes, expressions, /bits/, [bytes], octal) returns false and goes to dtc, which
 * also owns every error message. */
static bool tree_simple_value(const char *v, GByteArray *out)
{
	const char *p = v;
	bool first = true;

	for (;;) {
		while (g_ascii_isspace(*p))
			p++;
		if (!*p)
			return !first;
		if (!first) {
			if (*p != ',')
				return false;
			p++;
			while (g_ascii_isspace(*p))
				p++;
		}
		first = false;
		if (*p == '"') {
			const char *q = ++p;
			while (*q && *q != '"') {
				if (*q == '\\' || (unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
					return false;
				q++;
			}
			if (*q != '"')
				return false;
			g_byte_array_append(out, (const guint8 *)p, (guint)(q - p));
			g_byte_array_append(out, (const guint8 *)"", 1);
			p = q + 1;
		} else if (*p == '<') {
			unsigned n = 0;
			p++;
			for (;;) {
				guint64 num;
				char *end;
				uint32_t be;
				while (g_ascii_isspace(*p))
					p++;
				if (*p == '>')
					break;
				if (!g_ascii_isdigit(*p) || (p[0] == '0' && g_ascii_isdigit(p[1])))
					return false;   /* octal, labels, expressions: dtc */
				errno = 0;
				num = g_ascii_strtoull(p, &end, (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) ? 16 : 10);
				if (errno || num > UINT32_MAX || end == p ||
				    (*end && !g_ascii_isspace(*end) && *end != '>'))
					return false;
				be = GUINT32_TO_BE((uint32_t)num);
				g_byte_array_append(out, (const guint8 *)&be, 4);
				n++;
				p = end;
			}
			if (n == 0)
				return false;
			p++;
		} else {
			return false;
		}
	}
}

/* The overlay dtc would make of a -set with a simple value: one fragment, one property. */
static void *tree_set_overlay(const char *path, const char *prop, const GByteArray *val)
{
	size_t size = 512 + strlen(path) + strlen(prop) + val->len;
	void *ov = g_malloc(size);

	if (fdt_create(ov, (int)size) || fdt_finish_reservemap(ov) || fdt_begin_node(ov, "") ||
	    fdt_begin_node(ov, "fragment@0") || fdt_property_string(ov, "target-path", path) ||
	    fdt_begin_node(ov, "__overlay__") || fdt_property(ov, prop, val->data, (int)val->len) ||
	    fdt_end_node(ov) || fdt_end_node(ov) || fdt_end_node(ov) || fdt_finish(ov)) {
		g_free(ov);
		return NULL;
	}
	return ov;
}

bool soc_tree_set(SocTree *t, const char *assignment, GError **err)
{
	char *path = NULL, *prop = NULL, *src_dir, *blob = NULL, *name;
	const char *value = NULL, *in, *out;
	size_t blen;
	GString *src;
	TreeTmp tmp = { 0 };
	GError *e = NULL;
	int node;
	bool ok = false;

	g_return_val_if_fail(t && assignment, false);
	if (!tree_parse_spec(t, "-set", assignment, true, &node, &path, &prop, &value, err))
		return false;
	name = g_strdup_printf("-set '%s'", assignment);
	if (value) {
		char *v = g_strstrip(g_strdup(value));
		bool empty = *v == '\0';

		g_free(v);
		if (empty) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE,
			            "%s: empty value (write %s:%s for an empty property)", name, path, prop);
			goto done;
		}
	}

	if (value) {
		GByteArray *val = g_byte_array_new();
		void *ov = tree_simple_value(value, val) ? tree_set_overlay(path, prop, val) : NULL;
		g_byte_array_free(val, TRUE);
		if (ov) {
			ok = tree_apply(t, ov, name, NULL, err);
			g_free(ov);
			if (ok)
				tree_forget(t, path, prop);
			goto done;
		}
	}

	/* A hand-written fragment rather than &{path}: any node name the blob holds can be
	 * written as a quoted string. The value sits on its own lines. */
	src = g_string_new("/dts-v1/;\n/plugin/;\n/ {\n\tfragment@0 {\n\t\ttarget-path = ");
	tree_append_dts_string(src, path);
	g_string_append_printf(src, ";\n\t\t__overlay__ {\n\t\t\t%s", prop);
	if (value)
		g_string_append_printf(src, " =\n%s\n", value);
	g_string_append(src, ";\n\t\t};\n\t};\n};\n");

	if (!tree_tmp_init(&tmp, err)) {
		g_string_free(src, TRUE);
		goto done;
	}
	in = tree_tmp_file(&tmp, "set.dts");
	out = tree_tmp_file(&tmp, "set.dtbo");
	if (!g_file_set_contents(in, src->str, (gssize)src->len, &e)) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IO, "%s: %s", name, e->message);
		g_error_free(e);
		g_string_free(src, TRUE);
		goto done;
	}
	g_string_free(src, TRUE);
	src_dir = t->origin ? g_path_get_dirname(t->origin) : NULL;
	ok = tree_dtc(in, NULL, "dtb", (const char *const *)t->include_dirs, src_dir, out, NULL, NULL,
	              &e);
	g_free(src_dir);
	if (!ok) {
		g_set_error(err, SOC_ERROR, e->domain == SOC_ERROR ? e->code : SOC_ERROR_DTS,
		            "%s: %s", name, e->message);
		g_error_free(e);
		goto done;
	}
	ok = false;
	if (!tree_read_file(out, &blob, &blen, err) || !tree_check_blob(blob, blen, name, err))
		goto done;
	if (!tree_set_overlay_ok(blob, path, prop)) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE,
		            "%s: the value must be a single property value", name);
		goto done;
	}
	if (!tree_apply(t, blob, name, NULL, err))
		goto done;
	tree_forget(t, path, prop);
	ok = true;
done:
	tree_tmp_clear(&tmp);
	g_free(blob);
	g_free(name);
	g_free(path);
	g_free(prop);
	return ok;
}

bool soc_tree_delete_property(SocTree *t, const char *spec, GError **err)
{
	char *path = NULL, *prop = NULL;
	int node, rc;
	bool ok = false;

	g_return_val_if_fail(t && spec, false);
	if (!tree_parse_spec(t, "-delete", spec, false, &node, &path, &prop, NULL, err))
		return false;
	rc = fdt_delprop(t->blob, node, prop);
	if (rc == -FDT_ERR_NOTFOUND) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "%s: no property %s", path, prop);
	} else if (rc < 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s:%s: cannot delete: %s", path, prop,
		            fdt_strerror(rc));
	} else {
		tree_forget(t, path, prop);
		ok = true;
	}
	g_free(path);
	g_free(prop);
	return ok;
}

/* ---- source locations ---------------------------------------------------------------- */

/* The first position of a dtc -T -T annotation "file:L:C-L:C, file:L:C-L:C" as "file:L". */
static char *tree_first_position(GRegex *re, const char *comment)
{
	GMatchInfo *m = NULL;
	char *r = NULL;

	if (g_regex_match(re, comment, 0, &m)) {
		char *file = g_match_info_fetch(m, 1);
		char *line = g_match_info_fetch(m, 2);

		r = g_strdup_printf("%s:%s", file, line);
		g_free(file);
		g_free(line);
	}
	g_match_info_free(m);
	return r;
}

/* Offset of a comment start outside string literals, or -1. */
static ssize_t tree_comment_start(const char *s)
{
	bool quoted = false;

	for (ssize_t i = 0; s[i]; i++) {
		if (quoted) {
			if (s[i] == '\\' && s[i + 1])
				i++;
			else if (s[i] == '"')
				quoted = false;
		} else if (s[i] == '"') {
			quoted = true;
		} else if (s[i] == '/' && s[i + 1] == '*') {
			return i;
		}
	}
	return -1;
}

static char *tree_join_path(const char *parent, const char *name)
{
	return strcmp(parent, "/") == 0 ? g_strconcat("/", name, NULL)
	                                : g_strconcat(parent, "/", name, NULL);
}

/* Map a path of an overlay source ("/fragment@0/__overlay__/x") onto the tree, or NULL. */
static char *tree_overlay_path(GHashTable *targets, const char *path)
{
	const char *frag = path + 1, *slash = strchr(frag, '/');
	const char *target, *rest;
	char *fname;

	if (!slash || !g_str_has_prefix(slash, "/__overlay__"))
		return NULL;
	rest = slash + strlen("/__overlay__");
	if (*rest && *rest != '/')
		return NULL;
	fname = g_strndup(frag, (size_t)(slash - frag));
	target = g_hash_table_lookup(targets, fname);
	g_free(fname);
	if (!target)
		return NULL;
	if (!*rest)
		return g_strdup(target);
	return strcmp(target, "/") == 0 ? g_strdup(rest) : g_strconcat(target, rest, NULL);
}

static void tree_record(GHashTable *locs, GHashTable *targets, const char *path,
                        const char *prop, char *loc)
{
	char *real = targets ? tree_overlay_path(targets, path) : g_strdup(path);

	if (!real || !loc) {
		g_free(real);
		g_free(loc);
		return;
	}
	if (prop) {
		/* the definition that won is the latest one */
		g_hash_table_replace(locs, g_strconcat(real, ":", prop, NULL), loc);
		g_free(real);
	} else if (!g_hash_table_contains(locs, real)) {
		/* a node is where it was first written; later sources only extend it */
		g_hash_table_insert(locs, real, loc);
	} else {
		g_free(real);
		g_free(loc);
	}
}

/* Read dtc's "-O dts -T -T" output: one node or property per line, each followed by a
 * comment holding its source positions. */
static void tree_parse_annotated(GHashTable *locs, GHashTable *targets, const char *text)
{
	GRegex *re = g_regex_new("^\\s*(.+?):([0-9]+):[0-9]+-[0-9]+:[0-9]+(,|\\s*$)", 0, 0, NULL);
	char **lines = g_strsplit(text, "\n", -1);
	GPtrArray *stack = g_ptr_array_new_with_free_func(g_free);

	for (char **l = lines; *l; l++) {
		char *s = g_strstrip(*l);
		ssize_t c = tree_comment_start(s);
		char *loc = NULL;
		size_t n;

		if (c >= 0) {
			char *end = strstr(s + c + 2, "*/");

			if (end)
				*end = '\0';
			loc = tree_first_position(re, s + c + 2);
			s[c] = '\0';
			g_strchomp(s);
		}
		n = strlen(s);
		if (n > 0 && s[n - 1] == '{') {
			char *name, *path;

			s[n - 1] = '\0';
			g_strchomp(s);
			name = strrchr(s, ' ');
			name = name ? name + 1 : s;
			if (stack->len == 0 && strcmp(name, "/") != 0) {
				g_free(loc);
				continue;
			}
			path = stack->len ? tree_join_path(g_ptr_array_index(stack, stack->len - 1), name)
			                  : g_strdup("/");
			g_ptr_array_add(stack, path);
			tree_record(locs, targets, path, NULL, loc);
		} else if (strcmp(s, "};") == 0) {
			if (stack->len)
				g_ptr_array_remove_index(stack, stack->len - 1);
			g_free(loc);
		} else if (n > 0 && s[n - 1] == ';' && stack->len) {
			char *eq = strchr(s, '=');
			char *name;

			if (eq)
				*eq = '\0';
			else
				s[n - 1] = '\0';
			g_strchomp(s);
			name = strrchr(s, ' ');  /* labels come first: "lbl: prop" */
			name = name ? name + 1 : s;
			tree_record(locs, targets, g_ptr_array_index(stack, stack->len - 1), name, loc);
		} else {
			g_free(loc);
		}
	}
	g_ptr_array_unref(stack);
	g_strfreev(lines);
	g_regex_unref(re);
}

static void tree_annotate_layer(const SocTree *t, const TreeLayer *l, GHashTable *locs)
{
	TreeTmp tmp;
	const char *in, *out;
	char *text = NULL;
	size_t len;

	if (!tree_tmp_init(&tmp, NULL))
		return;
	in = tree_tmp_file(&tmp, "pp.dts");
	out = tree_tmp_file(&tmp, "annotated.dts");
	if (g_file_set_contents(in, l->pp_text, -1, NULL) &&
	    tree_dtc(in, NULL, "dts", (const char *const *)t->include_dirs, l->src_dir, out, NULL, NULL,
	             NULL) &&
	    tree_read_file(out, &text, &len, NULL))
		tree_parse_annotated(locs, l->targets, text);
	g_free(text);
	tree_tmp_clear(&tmp);
}

/* The table is a cache of the layers: filling it does not change what the tree is. */
static GHashTable *tree_locations(const SocTree *ct)
{
	SocTree *t = (SocTree *)ct;

	if (!t->locs)
		t->locs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (; t->layers_done < t->layers->len; t->layers_done++) {
		const TreeLayer *l = g_ptr_array_index(t->layers, t->layers_done);

		if (l->kind == TREE_LAYER_SOURCE)
			tree_annotate_layer(t, l, t->locs);
		else
			g_hash_table_remove(t->locs, l->key);
	}
	return t->locs;
}

const char *soc_tree_source_of(const SocTree *t, const char *node_path, const char *property)
{
	GHashTable *locs;
	const char *r;

	g_return_val_if_fail(t && node_path, NULL);
	if (t->layers->len == 0)
		return NULL;
	locs = tree_locations(t);
	if (!property)
		return g_hash_table_lookup(locs, node_path);
	{
		char *key = g_strconcat(node_path, ":", property, NULL);

		r = g_hash_table_lookup(locs, key);
		g_free(key);
	}
	return r;
}

void soc_tree_annotate_error(const SocTree *t, GError *err)
{
	const char *m, *colon, *loc = NULL;
	char *path, *msg;

	if (!t || !err || !err->message || err->message[0] != '/')
		return;
	m = err->message;
	colon = strchr(m, ':');
	if (!colon || memchr(m, ' ', (size_t)(colon - m)))
		return;
	if (colon[1] != ' ') {
		/* "/node:property: ..." */
		const char *p = colon + 1;
		const char *pend = strchr(p, ':');
		char *prop;

		if (!pend || pend[1] != ' ' || !tree_prop_name_ok(p, (size_t)(pend - p)))
			return;
		path = g_strndup(m, (size_t)(colon - m));
		prop = g_strndup(p, (size_t)(pend - p));
		loc = soc_tree_source_of(t, path, prop);
		g_free(prop);
	} else {
		path = g_strndup(m, (size_t)(colon - m));
	}
	if (!loc)
		loc = soc_tree_source_of(t, path, NULL);
	g_free(path);
	if (!loc)
		return;
	msg = g_strdup_printf("%s: %s", loc, err->message);
	g_free(err->message);
	err->message = msg;
}
