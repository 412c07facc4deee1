/* core/fdt-irq.c — interrupt resolution (of_irq semantics with interrupt-map fan-out, see
 * fdt.h) and the build-order helpers that depend on it. */
#include "core/fdt.h"

#include <string.h>

/* Bounds on one resolution: real trees chain a few nexus levels at most, and the step count
 * stops fan-out through chained maps from growing exponentially on a hostile tree. */
#define IRQ_MAX_DEPTH 32
#define IRQ_MAX_STEPS 1024
#define IRQ_MAX_MATCH (SOC_FDT_MAX_ADDR_CELLS + SOC_FDT_MAX_IRQ_CELLS)

int soc_fdt_irq_cells(const void *fdt, int node, GError **err)
{
	uint32_t c;
	int r = soc_fdt_read_u32(fdt, node, "#interrupt-cells", &c, err);
	if (r < 0)
		return -1;
	if (r == 0) {
		soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, node, "no #interrupt-cells");
		return -1;
	}
	if (c > SOC_FDT_MAX_IRQ_CELLS) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
		                  "#interrupt-cells is %u, more than %d", c, SOC_FDT_MAX_IRQ_CELLS);
		return -1;
	}
	return (int)c;
}

static char *chain_string(const void *fdt, const int *chain, unsigned n, int last)
{
	GString *s = g_string_new(NULL);
	for (unsigned i = 0; i < n; i++) {
		char *p = soc_fdt_path(fdt, chain[i]);
		g_string_append_printf(s, "%s -> ", p);
		g_free(p);
	}
	char *p = soc_fdt_path(fdt, last);
	g_string_append(s, p);
	g_free(p);
	return g_string_free(s, FALSE);
}

int soc_fdt_irq_parent(const void *fdt, int node, GError **err)
{
	if (!soc_fdt_node_valid(fdt, node)) {
		soc_fdt_set_error(err, SOC_ERROR_TREE, NULL, -1, "invalid node offset %d", node);
		return -1;
	}
	GArray *chain = g_array_new(FALSE, FALSE, sizeof(int));
	g_array_append_val(chain, node);
	int cur = node, result = -1;
	for (;;) {
		uint32_t ph;
		int r = soc_fdt_read_u32(fdt, cur, "interrupt-parent", &ph, err);
		if (r < 0)
			break;
		int next = r > 0 ? soc_fdt_resolve_phandle(fdt, cur, "interrupt-parent", ph, err)
		                 : soc_fdt_parent(fdt, cur);
		if (next < 0) {
			if (r == 0)
				soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, node, "no interrupt parent");
			break;
		}
		if (soc_fdt_has_prop(fdt, next, "#interrupt-cells")) {
			result = next;
			break;
		}
		/* Linux would walk on past it; an explicit reference to a controller that cannot
		 * decode specifiers is a mistake worth naming. */
		if (r > 0 && soc_fdt_has_prop(fdt, next, "interrupt-controller")) {
			soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, next,
			                  "interrupt controller without #interrupt-cells");
			break;
		}
		unsigned seen = 0;
		while (seen < chain->len && g_array_index(chain, int, seen) != next)
			seen++;
		if (seen < chain->len) {
			char *s = chain_string(fdt, &g_array_index(chain, int, seen), chain->len - seen,
			                       next);
			soc_fdt_set_error(err, SOC_ERROR_PHANDLE, fdt, -1, "interrupt-parent cycle: %s", s);
			g_free(s);
			break;
		}
		g_array_append_val(chain, next);
		cur = next;
	}
	g_array_free(chain, TRUE);
	if (result < 0)
		soc_fdt_context_error(err, fdt, node, "%s", "");
	return result;
}

/* ---- the interrupts of one node ------------------------------------------------------------ */

/* Counting (want < 0: every entry validated, returns the count) or reading entry `want`
 * (returns 1 with the first node of the walk and the specifier). */
static int irq_entries(const void *fdt, int node, int want, int *start, uint32_t *spec,
                       unsigned *nspec, GError **err)
{
	if (!soc_fdt_node_valid(fdt, node)) {
		soc_fdt_set_error(err, SOC_ERROR_TREE, NULL, -1, "invalid node offset %d", node);
		return -1;
	}
	int len;
	const void *v = soc_fdt_prop(fdt, node, "interrupts-extended", &len);
	bool ext = v != NULL;
	const char *name = ext ? "interrupts-extended" : "interrupts";
	if (!ext)
		v = soc_fdt_prop(fdt, node, "interrupts", &len);
	if (v && len % 4) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
		                  "%s is %d bytes long, not a whole number of cells", name, len);
		return -1;
	}
	unsigned ncells = v ? (unsigned)len / 4 : 0;
	int count = 0;
	if (ext) {
		for (unsigned pos = 0; pos < ncells; count++) {
			uint32_t ph = soc_fdt_cell(v, pos);
			char *what = g_strdup_printf("interrupts-extended entry %d", count);
			int target = soc_fdt_resolve_phandle(fdt, node, what, ph, err);
			int ic = target < 0 ? -1 : soc_fdt_irq_cells(fdt, target, err);
			if (target >= 0 && ic < 0)
				soc_fdt_prefix_error(err, fdt, node, "%s: ", what);
			g_free(what);
			if (ic < 0)
				return -1;
			if ((unsigned)ic > ncells - pos - 1) {
				char *tpath = soc_fdt_path(fdt, target);
				soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
				                  "interrupts-extended entry %d is truncated (%u of %d cells; "
				                  "%s has #interrupt-cells %d)", count, ncells - pos, ic + 1,
				                  tpath, ic);
				g_free(tpath);
				return -1;
			}
			if (count == want) {
				*start = target;
				*nspec = (unsigned)ic;
				for (int i = 0; i < ic; i++)
					spec[i] = soc_fdt_cell(v, pos + 1 + i);
				return 1;
			}
			pos += 1 + (unsigned)ic;
		}
	} else if (ncells > 0) {
		int parent = soc_fdt_irq_parent(fdt, node, err);
		if (parent < 0)
			return -1;
		int ic = soc_fdt_irq_cells(fdt, parent, err);
		if (ic < 0) {
			soc_fdt_prefix_error(err, fdt, node, "interrupt parent: ");
			return -1;
		}
		if (ic == 0 || ncells % (unsigned)ic) {
			char *ppath = soc_fdt_path(fdt, parent);
			soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
			                  "interrupts has %u cells, not a multiple of #interrupt-cells "
			                  "(%d) of its interrupt parent %s", ncells, ic, ppath);
			g_free(ppath);
			return -1;
		}
		count = (int)(ncells / (unsigned)ic);
		if (want >= 0 && want < count) {
			*start = parent;
			*nspec = (unsigned)ic;
			for (int i = 0; i < ic; i++)
				spec[i] = soc_fdt_cell(v, (unsigned)(want * ic + i));
			return 1;
		}
	}
	if (want >= 0) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, node,
		                  "no interrupt %d (it has %d)", want, count);
		return -1;
	}
	return count;
}

int soc_fdt_irq_count(const void *fdt, int node, GError **err)
{
	return irq_entries(fdt, node, -1, NULL, NULL, NULL, err);
}

/* ---- interrupt-map ------------------------------------------------------------------------- */

typedef struct MapEntry {
	unsigned index;
	int parent;
	unsigned child;        /* cell offset of the child unit address + specifier */
	unsigned paddr;        /* cell offset of the parent unit address, then its specifier */
	unsigned pna, pni;
} MapEntry;

typedef struct Nexus {
	const void *map;       /* interrupt-map */
	unsigned na, ni;       /* child unit address and specifier widths */
	uint32_t mask[IRQ_MAX_MATCH];
	GArray *entries;       /* of MapEntry, all of them, validated */
} Nexus;

/* Child unit-address width of a nexus: its #address-cells, else (as Linux, for old trees)
 * its nearest ancestor's, else 2. Unlike a bus, 0 is fine here. */
static int nexus_addr_cells(const void *fdt, int nexus, GError **err)
{
	for (int n = nexus; n >= 0; n = soc_fdt_parent(fdt, n)) {
		uint32_t c;
		int r = soc_fdt_read_u32(fdt, n, "#address-cells", &c, err);
		if (r < 0)
			return -1;
		if (r > 0) {
			if (c > SOC_FDT_MAX_ADDR_CELLS) {
				soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, n,
				                  "#address-cells is %u, expected 0 to %d", c,
				                  SOC_FDT_MAX_ADDR_CELLS);
				return -1;
			}
			return (int)c;
		}
	}
	return 2;
}

static void nexus_clear(Nexus *nx)
{
	if (nx->entries)
		g_array_free(nx->entries, TRUE);
	nx->entries = NULL;
}

/* Parse and validate a whole interrupt-map: entry lengths depend on each entry's parent, so
 * the entries can only be found one after the other. na < 0: the nexus's own unit-address
 * width (nexus_addr_cells); else the width the walk arrived with. */
static bool nexus_load(const void *fdt, int nexus, int na, Nexus *nx, GError **err)
{
	memset(nx, 0, sizeof(*nx));
	int len;
	nx->map = soc_fdt_prop(fdt, nexus, "interrupt-map", &len);
	if (len % 4) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, nexus,
		                  "interrupt-map is %d bytes long, not a whole number of cells", len);
		return false;
	}
	if (na < 0)
		na = nexus_addr_cells(fdt, nexus, err);
	int ni = na < 0 ? -1 : soc_fdt_irq_cells(fdt, nexus, err);
	if (ni < 0)
		return false;
	nx->na = (unsigned)na;
	nx->ni = (unsigned)ni;
	unsigned nm = nx->na + nx->ni;

	int mlen;
	const void *mask = soc_fdt_prop(fdt, nexus, "interrupt-map-mask", &mlen);
	if (mask && mlen != (int)nm * 4) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, nexus,
		                  "interrupt-map-mask is %d bytes long, expected %u (%u unit-address + "
		                  "%u specifier cells)", mlen, nm * 4, nx->na, nx->ni);
		return false;
	}
	for (unsigned i = 0; i < nm; i++)
		nx->mask[i] = mask ? soc_fdt_cell(mask, i) : UINT32_MAX;

	nx->entries = g_array_new(FALSE, FALSE, sizeof(MapEntry));
	unsigned cells = (unsigned)len / 4, pos = 0;
	for (unsigned idx = 0; pos < cells; idx++) {
		if (cells - pos < nm + 1) {
			soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, nexus,
			                  "interrupt-map entry %u is truncated (%u of at least %u cells)",
			                  idx, cells - pos, nm + 1);
			goto fail;
		}
		char *what = g_strdup_printf("interrupt-map entry %u", idx);
		int parent = soc_fdt_resolve_phandle(fdt, nexus, what, soc_fdt_cell(nx->map, pos + nm),
		                                     err);
		int pni = parent < 0 ? -1 : soc_fdt_irq_cells(fdt, parent, err);
		uint32_t pna = 0;
		int r = pni < 0 ? -1 : soc_fdt_read_u32(fdt, parent, "#address-cells", &pna, err);
		if (r >= 0 && pna > SOC_FDT_MAX_ADDR_CELLS) {
			soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, parent,
			                  "#address-cells is %u, expected 0 to %d", pna,
			                  SOC_FDT_MAX_ADDR_CELLS);
			r = -1;
		}
		if (parent >= 0 && r < 0)
			soc_fdt_prefix_error(err, fdt, nexus, "%s: ", what);
		g_free(what);
		if (r < 0)
			goto fail;
		unsigned need = nm + 1 + pna + (unsigned)pni;
		if (cells - pos < need) {
			char *ppath = soc_fdt_path(fdt, parent);
			soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, nexus,
			                  "interrupt-map entry %u is truncated (%u of %u cells; %s has "
			                  "#address-cells %u, #interrupt-cells %d)",
			                  idx, cells - pos, need, ppath, pna, pni);
			g_free(ppath);
			goto fail;
		}
		MapEntry e = {
			.index = idx, .parent = parent, .child = pos, .paddr = pos + nm + 1,
			.pna = pna, .pni = (unsigned)pni,
		};
		g_array_append_val(nx->entries, e);
		pos += need;
	}
	return true;
fail:
	nexus_clear(nx);
	return false;
}

/* ---- the walk ------------------------------------------------------------------------------ */

typedef struct IrqWalk {
	const void *fdt;
	int device;               /* whose reg gives the first child unit address */
	GArray *out;              /* of SocFdtIrqSpec */
	unsigned steps;
	int chain[IRQ_MAX_DEPTH];
	unsigned depth;
} IrqWalk;

static bool walk(IrqWalk *w, int ipar, const uint32_t *addr, int naddr, const uint32_t *spec,
                 unsigned nspec, GError **err);

static bool emit(IrqWalk *w, int ctrl, const uint32_t *spec, unsigned nspec, GError **err)
{
	int ic = soc_fdt_irq_cells(w->fdt, ctrl, err);
	if (ic < 0)
		return false;
	if ((unsigned)ic != nspec) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, w->fdt, ctrl,
		                  "reached with a %u-cell specifier, but #interrupt-cells is %d",
		                  nspec, ic);
		return false;
	}
	SocFdtIrqSpec s = { .controller = ctrl, .ncells = nspec };
	memcpy(s.cells, spec, nspec * sizeof(uint32_t));
	for (unsigned i = 0; i < w->out->len; i++) {
		const SocFdtIrqSpec *o = &g_array_index(w->out, SocFdtIrqSpec, i);
		if (o->controller == ctrl && o->ncells == nspec &&
		    memcmp(o->cells, spec, nspec * sizeof(uint32_t)) == 0)
			return true;
	}
	g_array_append_val(w->out, s);
	return true;
}

static char *cells_string(const uint32_t *c, unsigned n)
{
	GString *s = g_string_new("<");
	for (unsigned i = 0; i < n; i++)
		g_string_append_printf(s, "%s0x%x", i ? " " : "", c[i]);
	g_string_append_c(s, '>');
	return g_string_free(s, FALSE);
}

/* Follow one map entry from nexus `ipar` to its parent. */
static bool follow_entry(IrqWalk *w, int ipar, const Nexus *nx, const MapEntry *e,
                         GError **err)
{
	uint32_t paddr[SOC_FDT_MAX_ADDR_CELLS], pspec[SOC_FDT_MAX_IRQ_CELLS];
	for (unsigned i = 0; i < e->pna; i++)
		paddr[i] = soc_fdt_cell(nx->map, e->paddr + i);
	for (unsigned i = 0; i < e->pni; i++)
		pspec[i] = soc_fdt_cell(nx->map, e->paddr + e->pna + i);
	if (e->parent == ipar) {
		/* An entry to itself only makes sense on a controller that remaps its own inputs
		 * (current Linux stops there too). */
		if (soc_fdt_has_prop(w->fdt, ipar, "interrupt-controller"))
			return emit(w, ipar, pspec, e->pni, err);
		soc_fdt_set_error(err, SOC_ERROR_TREE, w->fdt, ipar,
		                  "interrupt-map entry %u maps to the node itself, which is not an "
		                  "interrupt controller", e->index);
		return false;
	}
	return walk(w, e->parent, paddr, (int)e->pna, pspec, e->pni, err);
}

static bool walk_nexus(IrqWalk *w, int ipar, const uint32_t *addr, int naddr,
                       const uint32_t *spec, unsigned nspec, GError **err)
{
	const void *fdt = w->fdt;
	/* After a map step the unit address came with the entry, in the parent's #address-cells
	 * (0 when absent), and Linux matches this nexus's entries with that width. */
	Nexus nx;
	if (!nexus_load(fdt, ipar, naddr, &nx, err))
		return false;
	bool ok = false;
	uint32_t match[IRQ_MAX_MATCH] = { 0 };
	if (nspec != nx.ni) {
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, ipar,
		                  "reached with a %u-cell specifier, but #interrupt-cells is %u",
		                  nspec, nx.ni);
		goto out;
	}
	if (naddr >= 0) {
		memcpy(match, addr, nx.na * sizeof(uint32_t));
	} else {
		int rlen;
		const void *reg = soc_fdt_prop(fdt, w->device, "reg", &rlen);
		if (reg && (unsigned)rlen / 4 < nx.na) {
			char *npath = soc_fdt_path(fdt, ipar);
			soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, w->device,
			                  "reg has %d cells, fewer than the %u-cell unit address of "
			                  "interrupt nexus %s", rlen / 4, nx.na, npath);
			g_free(npath);
			goto out;
		}
		for (unsigned i = 0; reg && i < nx.na; i++)
			match[i] = soc_fdt_cell(reg, i);
	}
	memcpy(match + nx.na, spec, nspec * sizeof(uint32_t));

	unsigned nm = nx.na + nx.ni, matched = 0, disabled = 0;
	for (unsigned k = 0; k < nx.entries->len; k++) {
		const MapEntry *e = &g_array_index(nx.entries, MapEntry, k);
		bool m = true;
		for (unsigned i = 0; i < nm && m; i++)
			m = ((soc_fdt_cell(nx.map, e->child + i) ^ match[i]) & nx.mask[i]) == 0;
		if (!m)
			continue;
		/* As Linux: an entry to a disabled parent does not match. */
		if (!soc_fdt_is_enabled(fdt, e->parent)) {
			disabled++;
			continue;
		}
		matched++;
		if (!follow_entry(w, ipar, &nx, e, err))
			goto out;
	}
	if (matched == 0) {
		char *a = cells_string(match, nx.na), *s = cells_string(match + nx.na, nx.ni);
		soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, ipar,
		                  "no interrupt-map entry matches unit address %s, specifier %s%s",
		                  a, s, disabled ? " (entries to disabled nodes are skipped)" : "");
		g_free(a);
		g_free(s);
		goto out;
	}
	ok = true;
out:
	nexus_clear(&nx);
	return ok;
}

/* At node ipar with a specifier in its domain. addr/naddr: the unit address that came with
 * the last interrupt-map step, or naddr < 0 to take it from the device's reg. */
static bool walk(IrqWalk *w, int ipar, const uint32_t *addr, int naddr, const uint32_t *spec,
                 unsigned nspec, GError **err)
{
	const void *fdt = w->fdt;
	if (++w->steps > IRQ_MAX_STEPS) {
		soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, w->device,
		                  "interrupt resolution takes more than %d steps (interrupt-map "
		                  "fan-out too wide)", IRQ_MAX_STEPS);
		return false;
	}
	for (unsigned i = 0; i < w->depth; i++) {
		if (w->chain[i] == ipar) {
			char *s = chain_string(fdt, w->chain + i, w->depth - i, ipar);
			soc_fdt_set_error(err, SOC_ERROR_PHANDLE, fdt, ipar, "interrupt nexus loop: %s", s);
			g_free(s);
			return false;
		}
	}
	if (w->depth >= IRQ_MAX_DEPTH) {
		soc_fdt_set_error(err, SOC_ERROR_TREE, fdt, ipar,
		                  "interrupt resolution deeper than %d levels", IRQ_MAX_DEPTH);
		return false;
	}
	w->chain[w->depth++] = ipar;

	bool ok;
	bool ctrl = soc_fdt_has_prop(fdt, ipar, "interrupt-controller");
	if (soc_fdt_has_prop(fdt, ipar, "interrupt-map")) {
		ok = walk_nexus(w, ipar, addr, naddr, spec, nspec, err);
	} else if (ctrl) {
		ok = emit(w, ipar, spec, nspec, err);
	} else {
		/* Neither controller nor nexus: the specifier passes to this node's own interrupt
		 * parent unchanged (Linux "skiplevel"); its width must agree. */
		int next = soc_fdt_irq_parent(fdt, ipar, err);
		int ic = next < 0 ? -1 : soc_fdt_irq_cells(fdt, next, err);
		ok = ic >= 0;
		if (ok && (unsigned)ic != nspec) {
			char *npath = soc_fdt_path(fdt, next);
			soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, ipar,
			                  "passes %u-cell specifiers to its interrupt parent %s, which "
			                  "has #interrupt-cells %d", nspec, npath, ic);
			g_free(npath);
			ok = false;
		}
		if (ok)
			ok = walk(w, next, addr, naddr, spec, nspec, err);
	}
	w->depth--;
	return ok;
}

bool soc_fdt_irq_resolve(const void *fdt, int node, int index, GArray *out, GError **err)
{
	int start;
	uint32_t spec[SOC_FDT_MAX_IRQ_CELLS];
	unsigned nspec;
	if (index < 0) {
		/* irq_entries would take it for "count them all". */
		soc_fdt_set_error(err, SOC_ERROR_PROPERTY, fdt, soc_fdt_node_valid(fdt, node) ? node : -1,
		                  "no interrupt %d", index);
		return false;
	}
	if (irq_entries(fdt, node, index, &start, spec, &nspec, err) < 0)
		return false;
	IrqWalk w = {
		.fdt = fdt, .device = node,
		.out = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec)),
	};
	bool ok = walk(&w, start, NULL, -1, spec, nspec, err);
	if (ok)
		g_array_append_vals(out, w.out->data, w.out->len);
	else
		soc_fdt_context_error(err, fdt, node, "interrupt %d: ", index);
	g_array_free(w.out, TRUE);
	return ok;
}

/* ---- build order --------------------------------------------------------------------------- */

static void add_dep(GArray *deps, int self, int dep)
{
	if (dep < 0 || dep == self)
		return;
	for (unsigned i = 0; i < deps->len; i++)
		if (g_array_index(deps, int, i) == dep)
			return;
	g_array_append_val(deps, dep);
}

/* The controllers a nexus's own interrupt-map leads to, whatever matches at run time. */
static bool map_deps(const void *fdt, int node, GArray *deps, GError **err)
{
	Nexus nx;
	if (!nexus_load(fdt, node, -1, &nx, err))
		return false;
	bool ok = true;
	GArray *specs = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec));
	for (unsigned k = 0; k < nx.entries->len && ok; k++) {
		const MapEntry *e = &g_array_index(nx.entries, MapEntry, k);
		if (!soc_fdt_is_enabled(fdt, e->parent))
			continue;
		IrqWalk w = { .fdt = fdt, .device = node, .out = specs, .chain = { node }, .depth = 1 };
		ok = follow_entry(&w, node, &nx, e, err);
		if (!ok)
			soc_fdt_context_error(err, fdt, node, "interrupt-map entry %u: ", e->index);
	}
	for (unsigned i = 0; ok && i < specs->len; i++)
		add_dep(deps, node, g_array_index(specs, SocFdtIrqSpec, i).controller);
	g_array_free(specs, TRUE);
	nexus_clear(&nx);
	return ok;
}

bool soc_fdt_node_deps(const void *fdt, int node, const SocFdtDepProp *extra, GArray *deps,
                       GError **err)
{
	int n = soc_fdt_irq_count(fdt, node, err);
	if (n < 0)
		return false;
	GArray *mine = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *specs = g_array_new(FALSE, FALSE, sizeof(SocFdtIrqSpec));
	bool ok = true;
	for (int i = 0; i < n && ok; i++)
		ok = soc_fdt_irq_resolve(fdt, node, i, specs, err);
	for (unsigned i = 0; ok && i < specs->len; i++)
		add_dep(mine, node, g_array_index(specs, SocFdtIrqSpec, i).controller);
	if (ok && soc_fdt_has_prop(fdt, node, "interrupt-map"))
		ok = map_deps(fdt, node, mine, err);
	for (const SocFdtDepProp *p = extra; ok && p && p->name; p++) {
		int count = soc_fdt_phandle_args_count(fdt, node, p->name, p->cells_name, err);
		ok = count >= 0;
		for (int i = 0; ok && i < count; i++) {
			SocFdtPhandleArgs a;
			ok = soc_fdt_phandle_args(fdt, node, p->name, p->cells_name, i, &a, err);
			if (ok)
				add_dep(mine, node, a.node);
		}
	}
	for (unsigned i = 0; ok && i < mine->len; i++)
		add_dep(deps, node, g_array_index(mine, int, i));
	g_array_free(specs, TRUE);
	g_array_free(mine, TRUE);
	return ok;
}

bool soc_fdt_sort_by_deps(const void *fdt, const int *nodes, unsigned n_nodes,
                          const SocFdtDepProp *extra, GArray *sorted, GError **err)
{
	/* Distinct nodes in input order, and where each one is in that list. */
	GHashTable *pos = g_hash_table_new(g_direct_hash, g_direct_equal);
	GArray *uniq = g_array_new(FALSE, FALSE, sizeof(int));
	for (unsigned i = 0; i < n_nodes; i++) {
		if (g_hash_table_contains(pos, GINT_TO_POINTER(nodes[i])))
			continue;
		g_hash_table_insert(pos, GINT_TO_POINTER(nodes[i]), GUINT_TO_POINTER(uniq->len));
		g_array_append_val(uniq, nodes[i]);
	}
	unsigned n = uniq->len;
	GArray **deps = g_new0(GArray *, n);
	guint8 *mark = g_new0(guint8, n);          /* 0 new, 1 on the stack, 2 placed */
	unsigned *stack = g_new(unsigned, n), *next = g_new(unsigned, n);
	GArray *order = g_array_new(FALSE, FALSE, sizeof(int));
	bool ok = true;

	for (unsigned i = 0; i < n && ok; i++) {
		deps[i] = g_array_new(FALSE, FALSE, sizeof(int));
		ok = soc_fdt_node_deps(fdt, g_array_index(uniq, int, i), extra, deps[i], err);
	}
	/* Iterative depth-first search: deep cascades cannot exhaust the C stack. */
	for (unsigned root = 0; root < n && ok; root++) {
		if (mark[root])
			continue;
		unsigned sp = 0;
		stack[sp] = root;
		next[sp++] = 0;
		mark[root] = 1;
		while (sp > 0 && ok) {
			unsigned top = stack[sp - 1];
			if (next[sp - 1] >= deps[top]->len) {
				mark[top] = 2;
				g_array_append_val(order, g_array_index(uniq, int, top));
				sp--;
				continue;
			}
			int dep = g_array_index(deps[top], int, next[sp - 1]++);
			gpointer p;
			if (!g_hash_table_lookup_extended(pos, GINT_TO_POINTER(dep), NULL, &p))
				continue;
			unsigned j = GPOINTER_TO_UINT(p);
			if (mark[j] == 1) {
				unsigned from = 0;
				while (stack[from] != j)
					from++;
				int *cyc = g_new(int, sp - from);
				for (unsigned k = from; k < sp; k++)
					cyc[k - from] = g_array_index(uniq, int, stack[k]);
				char *s = chain_string(fdt, cyc, sp - from, dep);
				g_set_error(err, SOC_ERROR, SOC_ERROR_PHANDLE, "phandle cycle: %s", s);
				g_free(s);
				g_free(cyc);
				ok = false;
			} else if (mark[j] == 0) {
				mark[j] = 1;
				stack[sp] = j;
				next[sp++] = 0;
			}
		}
	}
	if (ok)
		g_array_append_vals(sorted, order->data, order->len);

	for (unsigned i = 0; i < n; i++)
		if (deps[i])
			g_array_free(deps[i], TRUE);
	g_free(deps);
	g_free(mark);
	g_free(stack);
	g_free(next);
	g_array_free(order, TRUE);
	g_array_free(uniq, TRUE);
	g_hash_table_destroy(pos);
	return ok;
}
