/* core/fdt.c — blob checks, the node index, node paths, bounded property access, phandles
 * and bus cells (see fdt.h). Address translation is in fdt-addr.c, interrupts in fdt-irq.c. */
#include "core/fdt.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Longest path soc_fdt_path builds, NUL included: paths are short, the cap only stops a
 * hostile blob from making us allocate forever. */
#define PATH_MAX_BYTES (1 << 16)
/* Aliases whose values are aliases again: real trees have none. */
#define ALIAS_MAX_DEPTH 8

/* ---- the node index ------------------------------------------------------------------------ */

/* libfdt answers "parent of", "path of" and "node with phandle" by walking the blob from its
 * start, so a build that asks them about every node is quadratic in the tree; and it checks
 * every tag again on each property lookup. The index answers these from one walk. Callers
 * pass only the blob pointer, so that is how an index is found: each thread keeps the list
 * of the indexes it made that are alive.
 *
 * An index answers only for offsets it holds, and only while the blob's header is the one it
 * was built from; what it reads (names, property tags, names and values) it reads from the
 * blob each time, so edits in place show. Anything else goes to libfdt as before. */
typedef struct IndexPhandle {
	uint32_t phandle;
	int offset;
} IndexPhandle;

struct SocFdtIndex {
	const void *fdt;
	struct fdt_header header;     /* as built: every edit that moves data changes it */
	unsigned n;                   /* nodes, in tree order */
	int *offset;                  /* of each node: ascending */
	int *parent;                  /* position of the parent; -1 for the root */
	int *first_child, *next_sibling;  /* positions, -1 for none */
	unsigned *first_prop;         /* node i's properties: prop[first_prop[i] .. first_prop[i+1]) */
	int *prop;                    /* property offsets, node by node, in order */
	unsigned n_ph;
	IndexPhandle *ph;             /* by phandle; of duplicates, the first node in tree order */
	struct IndexList *home;       /* the list it is on (a reference) */
	SocFdtIndex *next;
};

/* A thread's live indexes. The thread holds one reference and each index on it one more, so
 * an index can be freed after its thread has ended. */
typedef struct IndexList {
	SocFdtIndex *head;
	gint refs;
} IndexList;

static void index_list_unref(gpointer p)
{
	IndexList *l = p;
	if (l && g_atomic_int_dec_and_test(&l->refs))
		g_free(l);
}

static GPrivate thread_indexes = G_PRIVATE_INIT(index_list_unref);

/* fdt_getprop of node i: the first property of that name among those that follow the node's
 * tag, before its first subnode (NOPs between them skipped). A property turned into NOPs in
 * place no longer counts. A name must be NUL-terminated inside the strings block, as
 * fdt_get_string requires. */
static const void *index_getprop(const SocFdtIndex *ix, unsigned i, const char *name,
                                 size_t namelen, int *len)
{
	const char *structs = (const char *)ix->fdt + fdt_off_dt_struct(ix->fdt);
	const char *strings = (const char *)ix->fdt + fdt_off_dt_strings(ix->fdt);
	uint32_t strsize = fdt_size_dt_strings(ix->fdt);
	for (unsigned k = ix->first_prop[i]; k < ix->first_prop[i + 1]; k++) {
		const struct fdt_property *p = (const void *)(structs + ix->prop[k]);
		if (fdt32_ld(&p->tag) != FDT_PROP)
			continue;
		uint32_t no = fdt32_ld(&p->nameoff);
		if (no >= strsize || strsize - no <= namelen)
			continue;
		const char *s = strings + no;
		if (s[namelen] == '\0' && memcmp(s, name, namelen) == 0) {
			*len = (int)fdt32_ld(&p->len);
			return p->data;
		}
	}
	return NULL;
}

/* fdt_get_phandle of node i. */
static uint32_t index_phandle_of(const SocFdtIndex *ix, unsigned i)
{
	int len;
	const void *v = index_getprop(ix, i, "phandle", 7, &len);
	if (!v || len != 4)
		v = index_getprop(ix, i, "linux,phandle", 13, &len);
	return v && len == 4 ? soc_fdt_cell(v, 0) : 0;
}

static int phandle_cmp(const void *a, const void *b)
{
	const IndexPhandle *x = a, *y = b;
	if (x->phandle != y->phandle)
		return x->phandle < y->phandle ? -1 : 1;
	return (x->offset > y->offset) - (x->offset < y->offset);
}

/* One walk of the structure block. Only a plain tree is indexed: a single root at offset 0
 * with an empty name, nothing outside it, node names without '/' (libfdt's paths come out
 * differently for those, and for blob versions before 17); for anything else NULL, and
 * libfdt answers everything. */
SocFdtIndex *soc_fdt_index_new(const void *fdt)
{
	if (!fdt || fdt_check_header(fdt) != 0 || fdt_version(fdt) < 17)
		return NULL;
	GArray *offs = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *pars = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *kids = g_array_new(FALSE, FALSE, sizeof(int));      /* first child */
	GArray *sibs = g_array_new(FALSE, FALSE, sizeof(int));      /* next sibling */
	GArray *lastkid = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *firsts = g_array_new(FALSE, FALSE, sizeof(unsigned));
	GArray *props = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *open = g_array_new(FALSE, FALSE, sizeof(int));
	bool ok = false, closed = false, in_props = false;
	int next = 0;
	for (int pos = 0;; pos = next) {
		uint32_t tag = fdt_next_tag(fdt, pos, &next);
		if (tag == FDT_END) {
			ok = next >= 0 && closed;       /* next < 0: truncated or an unknown tag */
			break;
		}
		if (tag == FDT_BEGIN_NODE) {
			int len;
			const char *name = fdt_get_name(fdt, pos, &len);
			if (closed || !name || memchr(name, '/', len) ||
			    (offs->len == 0 && (pos != 0 || len != 0)))
				break;
			int par = open->len ? g_array_index(open, int, open->len - 1) : -1;
			int me = (int)offs->len, none = -1;
			if (par >= 0) {
				int *last = &g_array_index(lastkid, int, par);
				if (*last >= 0)
					g_array_index(sibs, int, *last) = me;
				else
					g_array_index(kids, int, par) = me;
				*last = me;
			}
			g_array_append_val(offs, pos);
			g_array_append_val(pars, par);
			g_array_append_val(kids, none);
			g_array_append_val(sibs, none);
			g_array_append_val(lastkid, none);
			g_array_append_val(firsts, props->len);
			g_array_append_val(open, me);
			in_props = true;
		} else if (tag == FDT_END_NODE) {
			if (open->len == 0)
				break;
			g_array_set_size(open, open->len - 1);
			closed = open->len == 0;
			in_props = false;
		} else if (tag == FDT_PROP) {
			if (offs->len == 0 || closed)
				break;
			/* Properties after a subnode are not the node's for fdt_getprop. */
			if (in_props)
				g_array_append_val(props, pos);
		}
	}
	g_array_free(open, TRUE);
	g_array_free(lastkid, TRUE);
	g_array_append_val(firsts, props->len);
	if (!ok) {
		g_array_free(offs, TRUE);
		g_array_free(pars, TRUE);
		g_array_free(kids, TRUE);
		g_array_free(sibs, TRUE);
		g_array_free(firsts, TRUE);
		g_array_free(props, TRUE);
		return NULL;
	}

	SocFdtIndex *ix = g_new0(SocFdtIndex, 1);
	ix->fdt = fdt;
	memcpy(&ix->header, fdt, sizeof(ix->header));
	ix->n = offs->len;
	ix->offset = (int *)(void *)g_array_free(offs, FALSE);
	ix->parent = (int *)(void *)g_array_free(pars, FALSE);
	ix->first_child = (int *)(void *)g_array_free(kids, FALSE);
	ix->next_sibling = (int *)(void *)g_array_free(sibs, FALSE);
	ix->first_prop = (unsigned *)(void *)g_array_free(firsts, FALSE);
	ix->prop = (int *)(void *)g_array_free(props, FALSE);
	/* fdt_node_offset_by_phandle's answer for each phandle: the first node in tree order
	 * whose fdt_get_phandle is that value (0 and 0xffffffff are never looked up). */
	ix->ph = g_new(IndexPhandle, ix->n);
	for (unsigned i = 0; i < ix->n; i++) {
		uint32_t ph = index_phandle_of(ix, i);
		if (ph != 0 && ph != UINT32_MAX)
			ix->ph[ix->n_ph++] = (IndexPhandle){ ph, ix->offset[i] };
	}
	qsort(ix->ph, ix->n_ph, sizeof(IndexPhandle), phandle_cmp);
	unsigned kept = 0;
	for (unsigned i = 0; i < ix->n_ph; i++)
		if (kept == 0 || ix->ph[kept - 1].phandle != ix->ph[i].phandle)
			ix->ph[kept++] = ix->ph[i];
	ix->n_ph = kept;

	IndexList *l = g_private_get(&thread_indexes);
	if (!l) {
		l = g_new0(IndexList, 1);
		l->refs = 1;
		g_private_set(&thread_indexes, l);
	}
	g_atomic_int_inc(&l->refs);
	ix->home = l;
	ix->next = l->head;
	l->head = ix;
	return ix;
}

void soc_fdt_index_free(SocFdtIndex *ix)
{
	if (!ix)
		return;
	IndexList *l = ix->home;
	for (SocFdtIndex **p = &l->head; *p; p = &(*p)->next) {
		if (*p == ix) {
			*p = ix->next;
			break;
		}
	}
	/* The thread's last index gone: drop the list too, so nothing outlives the work. */
	if (!l->head && g_private_get(&thread_indexes) == l)
		g_private_replace(&thread_indexes, NULL);
	index_list_unref(l);
	g_free(ix->offset);
	g_free(ix->parent);
	g_free(ix->first_child);
	g_free(ix->next_sibling);
	g_free(ix->first_prop);
	g_free(ix->prop);
	g_free(ix->ph);
	g_free(ix);
}

/* The newest live index of this blob whose header still matches. */
static const SocFdtIndex *index_of(const void *fdt)
{
	const IndexList *l = g_private_get(&thread_indexes);
	for (const SocFdtIndex *ix = l ? l->head : NULL; ix; ix = ix->next)
		if (ix->fdt == fdt && memcmp(fdt, &ix->header, sizeof(ix->header)) == 0)
			return ix;
	return NULL;
}

bool soc_fdt_index_in_use(const void *fdt)
{
	return fdt && index_of(fdt) != NULL;
}

/* Whether node i is still there: fdt_nop_node removes a node without changing the header. */
static bool index_alive(const SocFdtIndex *ix, unsigned i)
{
	const fdt32_t *tag = fdt_offset_ptr(ix->fdt, ix->offset[i], sizeof(*tag));
	return tag && fdt32_ld(tag) == FDT_BEGIN_NODE;
}

/* Position of `node` in the index, or -1 when it is not one of its (live) nodes. */
static int index_pos(const SocFdtIndex *ix, int node)
{
	unsigned lo = 0, hi = ix->n;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (ix->offset[mid] < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && ix->offset[lo] == node && index_alive(ix, lo) ? (int)lo : -1;
}

/* Position of `node` in this blob's index, -1 without index or for other offsets. */
static int indexed(const void *fdt, int node, const SocFdtIndex **ix)
{
	*ix = fdt && node >= 0 ? index_of(fdt) : NULL;
	return *ix ? index_pos(*ix, node) : -1;
}

/* Name of the node at position i, read from the blob (a rename in place keeps the header);
 * NULL if it is not terminated inside the structure block. */
static const char *index_name(const SocFdtIndex *ix, unsigned i, size_t *len)
{
	size_t start = (size_t)ix->offset[i] + 4, limit = fdt_size_dt_struct(ix->fdt);
	if (start > limit)
		return NULL;
	const char *name = (const char *)ix->fdt + fdt_off_dt_struct(ix->fdt) + start;
	*len = strnlen(name, limit - start);
	return *len < limit - start ? name : NULL;
}

/* What fdt_get_path gives in a buffer of PATH_MAX_BYTES: "/" and the names down from the
 * root; NULL (ask libfdt) when a name cannot be read. */
static char *index_path(const SocFdtIndex *ix, unsigned i)
{
	if (ix->parent[i] < 0)
		return g_strdup("/");
	size_t total = 0, len;
	for (int k = (int)i; ix->parent[k] >= 0; k = ix->parent[k]) {
		if (!index_name(ix, (unsigned)k, &len))
			return NULL;
		total += 1 + len;
	}
	if (total + 1 > PATH_MAX_BYTES)
		return g_strdup("<invalid node>");
	char *buf = g_malloc(total + 1), *end = buf + total;
	*end = '\0';
	for (int k = (int)i; ix->parent[k] >= 0; k = ix->parent[k]) {
		const char *name = index_name(ix, (unsigned)k, &len);
		end -= len;
		memcpy(end, name, len);
		*--end = '/';
	}
	return buf;
}

/* fdt_node_offset_by_phandle, from the index when there is one. A hit is checked against the
 * node's phandle as it is now (an edit in place keeps the header); a miss asks libfdt, which
 * costs a walk only on the way to an error. */
static int offset_by_phandle(const void *fdt, uint32_t phandle)
{
	const SocFdtIndex *ix = phandle != 0 && phandle != UINT32_MAX ? index_of(fdt) : NULL;
	if (ix) {
		unsigned lo = 0, hi = ix->n_ph;
		while (lo < hi) {
			unsigned mid = lo + (hi - lo) / 2;
			if (ix->ph[mid].phandle < phandle)
				lo = mid + 1;
			else
				hi = mid;
		}
		int i = lo < ix->n_ph && ix->ph[lo].phandle == phandle ? index_pos(ix, ix->ph[lo].offset)
		                                                       : -1;
		if (i >= 0 && index_phandle_of(ix, (unsigned)i) == phandle)
			return ix->offset[i];
	}
	return fdt_node_offset_by_phandle(fdt, phandle);
}

/* fdt_subnode_offset_namelen from the index: the first child (in tree order) named `name`,
 * or named `name`@... when `name` has no unit address. */
static int subnode_offset(const void *fdt, int node, const char *name, size_t len)
{
	const SocFdtIndex *ix;
	int i = indexed(fdt, node, &ix);
	if (i < 0)
		return fdt_subnode_offset_namelen(fdt, node, name, (int)len);
	bool bare = !memchr(name, '@', len);
	for (int c = ix->first_child[i]; c >= 0; c = ix->next_sibling[c]) {
		if (!index_alive(ix, (unsigned)c))
			continue;
		size_t nlen;
		const char *cname = index_name(ix, (unsigned)c, &nlen);
		if (!cname)
			return fdt_subnode_offset_namelen(fdt, node, name, (int)len);
		if (nlen < len || memcmp(cname, name, len) != 0)
			continue;
		if (cname[len] == '\0' || (bare && cname[len] == '@'))
			return ix->offset[c];
	}
	return -FDT_ERR_NOTFOUND;
}

/* fdt_get_alias_namelen: the value of that property of /aliases, as a string that ends
 * inside the blob. */
static const char *alias_value(const void *fdt, const char *name, size_t len,
                               size_t *value_len)
{
	int aliases = soc_fdt_path_offset(fdt, "/aliases"), l = 0;
	const SocFdtIndex *ix;
	int i = indexed(fdt, aliases, &ix);
	const char *v = NULL;
	if (i >= 0)
		v = index_getprop(ix, (unsigned)i, name, len, &l);
	else if (aliases >= 0)
		v = fdt_getprop_namelen(fdt, aliases, name, (int)len, &l);
	if (!v)
		return NULL;
	/* libfdt takes strlen of the value whatever the property's length. */
	size_t room = (size_t)((const char *)fdt + fdt_totalsize(fdt) - v);
	*value_len = strnlen(v, room);
	return *value_len < room ? v : NULL;
}

/* fdt_path_offset_namelen, except that aliases are followed ALIAS_MAX_DEPTH deep at most
 * (libfdt recurses without end on an alias that names itself). */
static int path_offset(const void *fdt, const char *path, size_t len, unsigned depth)
{
	const char *end = path + len, *p = path;
	if (len > INT_MAX)
		return -FDT_ERR_BADPATH;
	if (!index_of(fdt)) {
		if (*path == '/')
			return fdt_path_offset_namelen(fdt, path, (int)len);
		/* What FDT_RO_PROBE says of the blob, before aliases are looked at. */
		int r = fdt_path_offset(fdt, "/");
		if (r < 0)
			return r;
	}
	int offset = 0;
	if (*path != '/') {
		const char *q = memchr(path, '/', len);
		if (!q)
			q = end;
		size_t vlen;
		const char *value = depth < ALIAS_MAX_DEPTH ? alias_value(fdt, p, (size_t)(q - p), &vlen)
		                                            : NULL;
		if (!value)
			return -FDT_ERR_BADPATH;
		offset = path_offset(fdt, value, vlen, depth + 1);
		p = q;
	}
	while (p < end) {
		while (*p == '/') {
			p++;
			if (p == end)
				return offset;
		}
		const char *q = memchr(p, '/', (size_t)(end - p));
		if (!q)
			q = end;
		offset = offset < 0 ? offset : subnode_offset(fdt, offset, p, (size_t)(q - p));
		if (offset < 0)
			return offset;
		p = q;
	}
	return offset;
}

int soc_fdt_path_offset(const void *fdt, const char *path)
{
	if (!fdt || !path)
		return -FDT_ERR_BADPATH;
	return path_offset(fdt, path, strlen(path), 0);
}

/* ---- nodes --------------------------------------------------------------------------------- */

/* fdt_get_name checks the tag at the offset, so it tells a node offset from anything else. */
bool soc_fdt_node_valid(const void *fdt, int node)
{
	const SocFdtIndex *ix;
	if (indexed(fdt, node, &ix) >= 0)
		return true;
	return fdt && node >= 0 && fdt_get_name(fdt, node, NULL) != NULL;
}

/* fdt_get_path into buffers of growing size. */
static char *libfdt_path(const void *fdt, int node)
{
	for (int size = 128; size <= PATH_MAX_BYTES; size *= 2) {
		char *buf = g_malloc(size);
		int r = fdt_get_path(fdt, node, buf, size);
		if (r == 0)
			return buf;
		g_free(buf);
		if (r != -FDT_ERR_NOSPACE)
			break;
	}
	return NULL;
}

typedef struct PathPart {
	const char *name;
	int len;
} PathPart;

/* The path of a node of a blob without index, from one walk like fdt_get_path's: the names
 * from the root down, each followed by '/', the last '/' dropped unless it is the root's.
 * libfdt 1.6.1 reads and writes before its buffer when its walk passes the end of the root
 * (blobs fdt_check_full refuses); such a node has no path here. A name holding '/' anywhere
 * on the way throws libfdt's bookkeeping off, so then libfdt's own answer is taken, once the
 * walk has shown that asking is safe. */
static char *walk_path(const void *fdt, int node)
{
	PathPart local[32], *parts = local;
	unsigned cap = G_N_ELEMENTS(local), n = 0;
	bool slash = false;
	char *path = NULL;
	int depth = 0;
	for (int off = 0; off >= 0 && off <= node && depth >= 0;
	     off = fdt_next_node(fdt, off, &depth)) {
		PathPart part;
		part.name = fdt_get_name(fdt, off, &part.len);
		if (!part.name || (unsigned)depth > n)
			break;
		slash = slash || memchr(part.name, '/', (size_t)part.len);
		if ((unsigned)depth == cap) {
			if (parts == local)
				parts = g_memdup2(local, sizeof(local));
			cap *= 2;
			parts = g_renew(PathPart, parts, cap);
		}
		parts[depth] = part;
		n = (unsigned)depth + 1;
		if (off != node)
			continue;
		if (slash) {
			path = libfdt_path(fdt, node);
			break;
		}
		size_t total = 0;
		for (unsigned i = 0; i < n; i++)
			total += (size_t)parts[i].len + 1;
		if (total > PATH_MAX_BYTES)
			break;
		path = g_malloc(total + 1);
		char *end = path;
		for (unsigned i = 0; i < n; i++) {
			memcpy(end, parts[i].name, (size_t)parts[i].len);
			end += parts[i].len;
			*end++ = '/';
		}
		*(total > 1 ? end - 1 : end) = '\0';
		break;
	}
	if (parts != local)
		g_free(parts);
	return path;
}

char *soc_fdt_path(const void *fdt, int node)
{
	const SocFdtIndex *ix;
	int i = indexed(fdt, node, &ix);
	char *path = i >= 0 ? index_path(ix, (unsigned)i) : NULL;
	if (!path && soc_fdt_node_valid(fdt, node))
		path = walk_path(fdt, node);
	return path ? path : g_strdup("<invalid node>");
}

int soc_fdt_parent(const void *fdt, int node)
{
	const SocFdtIndex *ix;
	int i = indexed(fdt, node, &ix);
	if (i >= 0)
		return ix->parent[i] < 0 ? -1 : ix->offset[ix->parent[i]];
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
	/* The walk reads two properties of every node: cheaper through an index. */
	SocFdtIndex *own = soc_fdt_index_in_use(fdt) ? NULL : soc_fdt_index_new(fdt);
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	/* Every path: a blob (unlike dtc's sources) can hold two siblings of the same name,
	 * which nothing could tell apart by path. */
	GHashTable *paths = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	bool ok = true;
	int depth = 0;
	for (int node = 0; node >= 0 && ok; node = fdt_next_node(fdt, node, &depth)) {
		uint32_t a, b;
		if (!g_hash_table_add(paths, soc_fdt_path(fdt, node))) {
			soc_fdt_set_error(err, SOC_ERROR_BLOB, fdt, node,
			                  "two nodes have this path (sibling node names must differ)");
			ok = false;
			break;
		}
		ok = check_phandle_prop(fdt, node, "phandle", seen, &a, err) &&
		     check_phandle_prop(fdt, node, "linux,phandle", seen, &b, err);
		if (ok && a && b && a != b) {
			soc_fdt_set_error(err, SOC_ERROR_PHANDLE, fdt, node,
			                  "phandle 0x%x and linux,phandle 0x%x differ", a, b);
			ok = false;
		}
	}
	g_hash_table_destroy(paths);
	g_hash_table_destroy(seen);
	soc_fdt_index_free(own);
	return ok;
}

/* ---- properties ---------------------------------------------------------------------------- */

const void *soc_fdt_prop(const void *fdt, int node, const char *name, int *len)
{
	int l = 0;
	const void *v = NULL;
	const SocFdtIndex *ix;
	int i = name ? indexed(fdt, node, &ix) : -1;
	if (i >= 0)
		v = index_getprop(ix, (unsigned)i, name, strlen(name), &l);
	else if (fdt && name && node >= 0)
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
	int r = fdt ? offset_by_phandle(fdt, phandle) : -FDT_ERR_BADPHANDLE;
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
