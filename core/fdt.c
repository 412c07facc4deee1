/* core/fdt.c — blob checks, node paths, bounded property access, phandles and bus cells
 * (see fdt.h). Address translation is in fdt-addr.c, interrupts in fdt-irq.c. */
#include "core/fdt.h"

#include <stdarg.h>
#include <string.h>

/* fdt_get_name checks the tag at the offset, so it tells a node offset from anything else. */
bool soc_fdt_node_valid(const void *fdt, int node)
{
	return fdt && node >= 0 && fdt_get_name(fdt, node, NULL) != NULL;
}

char *soc_fdt_path(const void *fdt, int node)
{
	if (!soc_fdt_node_valid(fdt, node))
		return g_strdup("<invalid node>");
	/* Paths are short; the cap only stops a hostile blob from making us allocate forever. */
	for (int size = 128; size <= 1 << 16; size *= 2) {
		char *buf = g_malloc(size);
		int r = fdt_get_path(fdt, node, buf, size);
		if (r == 0)
			return buf;
		g_free(buf);
		if (r != -FDT_ERR_NOSPACE)
			break;
	}
	return g_strdup("<invalid node>");
}

int soc_fdt_parent(const void *fdt, int node)
{
	if (!soc_fdt_node_valid(fdt, node) || node == 0)
		return -1;
	int p = fdt_parent_offset(fdt, node);
	return p < 0 ? -1 : p;
}

static char *node_message(const void *fdt, int node, const char *fmt, va_list ap)
{
	char *msg = g_strdup_vprintf(fmt, ap);
	if (node < 0)
		return msg;
	char *path = soc_fdt_path(fdt, node);
	char *full = g_strdup_printf("%s: %s", path, msg);
	g_free(path);
	g_free(msg);
	return full;
}

void soc_fdt_set_error(GError **err, SocErrorCode code, const void *fdt, int node,
                       const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = node_message(fdt, node, fmt, ap);
	va_end(ap);
	g_set_error_literal(err, SOC_ERROR, code, msg);
	g_free(msg);
}

void soc_fdt_prefix_error(GError **err, const void *fdt, int node, const char *fmt, ...)
{
	if (!err || !*err)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = node_message(fdt, node, fmt, ap);
	va_end(ap);
	g_prefix_error(err, "%s", msg);
	g_free(msg);
}

void soc_fdt_context_error(GError **err, const void *fdt, int node, const char *fmt, ...)
{
	if (!err || !*err)
		return;
	char *path = soc_fdt_path(fdt, node);
	char *own = g_strconcat(path, ":", NULL);
	bool about_node = g_str_has_prefix((*err)->message, own);
	g_free(own);
	g_free(path);
	if (about_node)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = node_message(fdt, node, fmt, ap);
	va_end(ap);
	g_prefix_error(err, "%s", msg);
	g_free(msg);
}

/* ---- blob ---------------------------------------------------------------------------------- */

static bool check_phandle_prop(const void *fdt, int node, const char *name, GHashTable *seen,
                               uint32_t *value, GError **err)
{
	int len;
	const void *v = soc_fdt_prop(fdt, node, name, &len);
	*value = 0;
	if (!v)
		return true;
	if (len != 4) {
		soc_fdt_set_error(err, SOC_ERROR_PHANDLE, fdt, node,
		                  "%s is %d bytes long, expected 4 (one cell)", name, len);
		return false;
	}
	uint32_t ph = soc_fdt_cell(v, 0);
	if (ph == 0 || ph == UINT32_MAX) {
		soc_fdt_set_error(err, SOC_ERROR_PHANDLE, fdt, node, "%s 0x%x is not a valid phandle",
		                  name, ph);
		return false;
	}
	*value = ph;
	gpointer other;
	if (g_hash_table_lookup_extended(seen, GUINT_TO_POINTER(ph), NULL, &other)) {
		int o = GPOINTER_TO_INT(other);
		if (o == node)
			return true;
		char *opath = soc_fdt_path(fdt, o);
		soc_fdt_set_error(err, SOC_ERROR_PHANDLE, fdt, node, "phandle 0x%x is also used by %s",
		                  ph, opath);
		g_free(opath);
		return false;
	}
	g_hash_table_insert(seen, GUINT_TO_POINTER(ph), GINT_TO_POINTER(node));
	return true;
}

bool soc_fdt_check_blob(const void *fdt, size_t size, GError **err)
{
	if (!fdt) {
		g_set_error_literal(err, SOC_ERROR, SOC_ERROR_BLOB, "no device tree blob");
		return false;
	}
	int r = fdt_check_full(fdt, size);
	if (r != 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_BLOB, "malformed device tree blob: %s",
		            fdt_strerror(r));
		return false;
	}
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	bool ok = true;
	int depth = 0;
	for (int node = 0; node >= 0 && ok; node = fdt_next_node(fdt, node, &depth)) {
		uint32_t a, b;
		ok = check_phandle_prop(fdt, node, "phandle", seen, &a, err) &&
		     check_phandle_prop(fdt, node, "linux,phandle", seen, &b, err);
		if (ok && a && b && a != b) {
			soc_fdt_set_error(err, SOC_ERROR_PHANDLE, fdt, node,
			                  "phandle 0x%x and linux,phandle 0x%x differ", a, b);
			ok = false;
		}
	}
	g_hash_table_destroy(seen);
	return ok;
}

/* ---- properties ---------------------------------------------------------------------------- */

const void *soc_fdt_prop(const void *fdt, int node, const char *name, int *len)
{
	int l = 0;
	const void *v = NULL;
	if (fdt && name && node >= 0)
		v = fdt_getprop(fdt, node, name, &l);
	if (!v || l < 0) {
		v = NULL;
		l = 0;
	}
	if (len)
		*len = l;
	return v;
}

bool soc_fdt_has_prop(const void *fdt, int node, const char *name)
{
	return soc_fdt_prop(fdt, node, name, NULL) != NULL;
}

bool soc_fdt_cells_to_u64(const void *cells, unsigned n, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++) {
		if (i + 2 < n && soc_fdt_cell(cells, i) != 0)
			return false;
		v = (v << 32) | soc_fdt_cell(cells, i);
	}
	*out = v;
	return true;
}

int soc_fdt_read_u32(const void *fdt, int node, const char *name, uint32_t *out, GError **err)
{
	int len;
	const void *v = soc_fdt_prop(fdt, node, name, &len);
	if (!v)
		return 0;
	if (len != 4) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
		                  "%s is %d bytes long, expected 4 (one cell)", name, len);
		return -1;
	}
	*out = soc_fdt_cell(v, 0);
	return 1;
}

int soc_fdt_read_u64(const void *fdt, int node, const char *name, uint64_t *out, GError **err)
{
	int len;
	const void *v = soc_fdt_prop(fdt, node, name, &len);
	if (!v)
		return 0;
	if (len != 4 && len != 8) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
		                  "%s is %d bytes long, expected 4 or 8 (one or two cells)", name, len);
		return -1;
	}
	soc_fdt_cells_to_u64(v, len / 4, out);
	return 1;
}

int soc_fdt_read_string(const void *fdt, int node, const char *name, const char **out,
                        GError **err)
{
	int len;
	const char *v = soc_fdt_prop(fdt, node, name, &len);
	if (!v)
		return 0;
	if (len == 0 || !memchr(v, '\0', len)) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
		                  "%s is not a NUL-terminated string", name);
		return -1;
	}
	*out = v;
	return 1;
}

int soc_fdt_stringlist_count(const void *fdt, int node, const char *name, GError **err)
{
	int len;
	const char *v = soc_fdt_prop(fdt, node, name, &len);
	if (!v || len == 0)
		return 0;
	if (v[len - 1] != '\0') {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
		                  "%s: the last string is not NUL-terminated", name);
		return -1;
	}
	int n = 0;
	for (int i = 0; i < len; i++)
		n += v[i] == '\0';
	return n;
}

const char *soc_fdt_stringlist_get(const void *fdt, int node, const char *name, int index)
{
	int len;
	const char *v = soc_fdt_prop(fdt, node, name, &len);
	if (!v || index < 0)
		return NULL;
	int pos = 0;
	while (pos < len) {
		const char *end = memchr(v + pos, '\0', len - pos);
		if (!end)
			return NULL;
		if (index-- == 0)
			return v + pos;
		pos = (int)(end - v) + 1;
	}
	return NULL;
}

bool soc_fdt_stringlist_contains(const void *fdt, int node, const char *name, const char *str)
{
	int len;
	const char *v = soc_fdt_prop(fdt, node, name, &len);
	if (!v || !str)
		return false;
	size_t want = strlen(str);
	int pos = 0;
	while (pos < len) {
		const char *end = memchr(v + pos, '\0', len - pos);
		if (!end)
			return false;
		if ((size_t)(end - (v + pos)) == want && memcmp(v + pos, str, want) == 0)
			return true;
		pos = (int)(end - v) + 1;
	}
	return false;
}

bool soc_fdt_is_compatible(const void *fdt, int node, const char *compat)
{
	return soc_fdt_stringlist_contains(fdt, node, "compatible", compat);
}

bool soc_fdt_is_enabled(const void *fdt, int node)
{
	if (!soc_fdt_node_valid(fdt, node))
		return false;
	int len;
	const char *v = soc_fdt_prop(fdt, node, "status", &len);
	if (!v)
		return true;
	if (len == 0 || !memchr(v, '\0', len))
		return false;
	return strcmp(v, "okay") == 0 || strcmp(v, "ok") == 0;
}

/* ---- phandles ------------------------------------------------------------------------------ */

int soc_fdt_node_by_phandle(const void *fdt, uint32_t phandle, GError **err)
{
	return soc_fdt_resolve_phandle(fdt, -1, NULL, phandle, err);
}

int soc_fdt_resolve_phandle(const void *fdt, int node, const char *what, uint32_t phandle,
                            GError **err)
{
	const char *sep = what ? ": " : "";
	what = what ? what : "";
	if (phandle == 0 || phandle == UINT32_MAX) {
		soc_fdt_set_error(err, SOC_ERROR_PHANDLE, fdt, node, "%s%sphandle 0x%x is not valid",
		                  what, sep, phandle);
		return -1;
	}
	int r = fdt ? fdt_node_offset_by_phandle(fdt, phandle) : -FDT_ERR_BADPHANDLE;
	if (r < 0) {
		soc_fdt_set_error(err, SOC_ERROR_PHANDLE, fdt, node,
		                  "%s%sphandle 0x%x does not resolve to any node", what, sep, phandle);
		return -1;
	}
	return r;
}

/* One walk serves counting (want < 0: validate every entry, return the count) and lookup
 * (return 1 once entry `want` is read; later entries are not looked at). */
static int phandle_args_walk(const void *fdt, int node, const char *list, const char *cells_name,
                             int want, SocFdtPhandleArgs *out, GError **err)
{
	int len;
	const void *v = soc_fdt_prop(fdt, node, list, &len);
	if (v && len % 4) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
		                  "%s is %d bytes long, not a whole number of cells", list, len);
		return -1;
	}
	unsigned ncells = v ? (unsigned)len / 4 : 0, pos = 0;
	int idx = 0;
	while (pos < ncells) {
		uint32_t ph = soc_fdt_cell(v, pos);
		int target = -1;
		uint32_t nargs = 0;
		if (ph != 0) {
			char *what = g_strdup_printf("%s entry %d", list, idx);
			target = soc_fdt_resolve_phandle(fdt, node, what, ph, err);
			g_free(what);
			if (target < 0)
				return -1;
		}
		if (target >= 0 && cells_name) {
			int r = soc_fdt_read_u32(fdt, target, cells_name, &nargs, err);
			if (r == 0)
				soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, target, "no %s", cells_name);
			else if (r > 0 && nargs > SOC_FDT_MAX_PHANDLE_ARGS)
				soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, target,
				                  "%s is %u, more than %d", cells_name, nargs,
				                  SOC_FDT_MAX_PHANDLE_ARGS);
			if (r <= 0 || nargs > SOC_FDT_MAX_PHANDLE_ARGS) {
				soc_fdt_prefix_error(err, fdt, node, "%s entry %d: ", list, idx);
				return -1;
			}
		}
		if (nargs > ncells - pos - 1) {
			char *tpath = soc_fdt_path(fdt, target);
			soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
			                  "%s entry %d is truncated (%u of %u cells; %s has %s %u)",
			                  list, idx, ncells - pos, nargs + 1, tpath, cells_name, nargs);
			g_free(tpath);
			return -1;
		}
		if (idx == want) {
			out->node = target;
			out->phandle = ph;
			out->nargs = nargs;
			memset(out->args, 0, sizeof(out->args));
			for (unsigned i = 0; i < nargs; i++)
				out->args[i] = soc_fdt_cell(v, pos + 1 + i);
			return 1;
		}
		pos += 1 + nargs;
		idx++;
	}
	if (want >= 0) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node, "%s has %d entries, no entry %d",
		                  list, idx, want);
		return -1;
	}
	return idx;
}

int soc_fdt_phandle_args_count(const void *fdt, int node, const char *list,
                               const char *cells_name, GError **err)
{
	return phandle_args_walk(fdt, node, list, cells_name, -1, NULL, err);
}

bool soc_fdt_phandle_args(const void *fdt, int node, const char *list, const char *cells_name,
                          int index, SocFdtPhandleArgs *out, GError **err)
{
	if (index < 0) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node, "%s has no entry %d", list, index);
		return false;
	}
	return phandle_args_walk(fdt, node, list, cells_name, index, out, err) == 1;
}

/* ---- bus cells ----------------------------------------------------------------------------- */

static int read_cells(const void *fdt, int bus, const char *name, uint32_t def, uint32_t lo,
                      uint32_t hi, GError **err)
{
	uint32_t v = def;
	int r = soc_fdt_read_u32(fdt, bus, name, &v, err);
	if (r < 0)
		return -1;
	if (v < lo || v > hi) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, bus, "%s is %u, expected %u to %u",
		                  name, v, lo, hi);
		return -1;
	}
	return (int)v;
}

int soc_fdt_address_cells(const void *fdt, int bus, GError **err)
{
	return read_cells(fdt, bus, "#address-cells", 2, 1, SOC_FDT_MAX_ADDR_CELLS, err);
}

int soc_fdt_size_cells(const void *fdt, int bus, GError **err)
{
	return read_cells(fdt, bus, "#size-cells", 1, 0, SOC_FDT_MAX_SIZE_CELLS, err);
}
