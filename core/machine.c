/* core/machine.c — build a machine from its tree (ARCHITECTURE.md "Data flow").
 *
 * Steps, in order: classify every node (cluster, cpu, device candidate, bus, skipped
 * subtree); order the devices so that every node comes after the nodes it references
 * (interrupt controllers, regmaps); create, fill and realize each; map their windows into
 * every cluster's address space; wire the interrupt signals; attach character backends;
 * create the CPUs. Any error names the node; the caller adds the source location. */
#include "core/machine.h"
#include "core/machine-core.h"
#include "core/chardev.h"
#include "core/device-core.h"
#include "core/error.h"
#include "core/fdt.h"
#include "core/irq.h"
#include "core/log.h"
#include "core/semihost.h"
#include "cpus/cpu.h"

#include <libfdt.h>
#include <string.h>

/* Subtrees that describe the system but hold no devices. */
static const char *const skipped_subtrees[] = {
	"/chosen", "/aliases", "/__symbols__", "/__fixups__", "/__local_fixups__",
	"/domains", "/reserved-memory", "/memory-reservations", NULL
};

static bool path_in_subtree(const char *path, const char *root)
{
	size_t n = strlen(root);
	return !strncmp(path, root, n) && (path[n] == '\0' || path[n] == '/');
}

static bool skipped(const char *path)
{
	for (const char *const *s = skipped_subtrees; *s; s++)
		if (path_in_subtree(path, *s))
			return true;
	return false;
}

static bool is_cluster_node(const void *fdt, int node, const char *path)
{
	return !strcmp(path, "/cpus") || soc_fdt_is_compatible(fdt, node, "cpus,cluster");
}

static bool is_cpu_node(const void *fdt, int node)
{
	int len;
	const char *dt = fdt_getprop(fdt, node, "device_type", &len);
	return dt && len == 4 && !memcmp(dt, "cpu", 4);
}

/* The label a node was given in the source, from /__symbols__ (trees compiled with -@). */
char *soc_machine_label_of(const void *fdt, const char *path)
{
	int sym = soc_fdt_path_offset(fdt, "/__symbols__");
	int prop;

	if (sym < 0)
		return NULL;
	fdt_for_each_property_offset(prop, fdt, sym) {
		const char *name;
		int len;
		const char *val = fdt_getprop_by_offset(fdt, prop, &name, &len);
		if (val && len > 0 && memchr(val, '\0', (size_t)len) && !strcmp(val, path))
			return g_strdup(name);
	}
	return NULL;
}

static void node_info_free(gpointer p)
{
	SocNodeInfo *n = p;
	g_free(n->path);
	if (n->irqs)
		g_ptr_array_free(n->irqs, TRUE);
	if (n->windows)
		g_array_free(n->windows, TRUE);
	g_free(n->note);
	g_free(n);
}

static void cluster_free(gpointer p)
{
	SocCluster *c = p;
	for (guint i = 0; i < c->cpus->len; i++) {
		SocCpu *cpu = c->cpus->pdata[i];
		cpu->cls->destroy(cpu);
	}
	g_ptr_array_free(c->cpus, TRUE);
	g_ptr_array_free(c->cpu_notes, TRUE);
	soc_as_free(c->as);
	if (c->map)
		g_array_free(c->map, TRUE);
	g_free(c->name);
	g_free(c->path);
	g_free(c->image_note);
	g_free(c);
}

/* A compatible of the node that some cpu class says is part of its cores. */
static const char *cpu_owned_compatible(const void *fdt, int node)
{
	for (const SocCpuClass *const *c = soc_cpu_classes(); c && *c; c++)
		for (const char *const *s = (*c)->owned_compatibles; s && *s; s++)
			if (soc_fdt_is_compatible(fdt, node, *s))
				return *s;
	return NULL;
}

/* ---- classification ----------------------------------------------------------------------- */

static bool collect_nodes(SocMachine *m, GError **err)
{
	const void *fdt = m->fdt;
	int node, depth = 0;

	for (node = fdt_next_node(fdt, -1, &depth); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		g_autofree char *path = soc_fdt_path(fdt, node);
		SocNodeInfo *info;

		if (skipped(path))
			continue;
		if (is_cluster_node(fdt, node, path)) {
			SocCluster *c = g_new0(SocCluster, 1);
			c->node = node;
			c->path = g_strdup(path);
			c->name = soc_machine_label_of(fdt, path);
			if (!c->name) {
				const char *base = strrchr(path, '/');
				c->name = g_strdup(base && base[1] ? base + 1 : path);
			}
			c->cpus = g_ptr_array_new();
			c->cpu_notes = g_ptr_array_new_with_free_func(g_free);
			c->as = soc_as_new(c->name, m->log);
			g_ptr_array_add(m->clusters, c);
			continue;
		}
		if (is_cpu_node(fdt, node))
			continue;           /* created with their cluster */

		info = g_new0(SocNodeInfo, 1);
		info->node = node;
		info->path = g_strdup(path);
		info->irqs = g_ptr_array_new_with_free_func(g_free);
		info->windows = g_array_new(FALSE, TRUE, sizeof(SocNodeWindow));
		if (!soc_fdt_is_enabled(fdt, node)) {
			info->status = SOC_NODE_DISABLED;
		} else if ((info->owned_compatible = cpu_owned_compatible(fdt, node))) {
			info->status = SOC_NODE_CPU_PART;
		} else {
			info->cls = soc_device_class_for_node(fdt, node);
			if (info->cls)
				info->status = SOC_NODE_MODELLED;
			else if (fdt_getprop(fdt, node, "ranges", NULL) && !fdt_getprop(fdt, node, "reg", NULL))
				info->status = SOC_NODE_BUS;
			else if (node == 0 || (!fdt_getprop(fdt, node, "compatible", NULL) &&
			                       !fdt_getprop(fdt, node, "reg", NULL)))
				info->status = SOC_NODE_CONTAINER;
			else
				info->status = SOC_NODE_UNMODELLED;
		}
		/* Unmodelled children of a modelled node (SRAM sections, flash partitions) describe
		 * that node for its drivers; they are not devices of their own on the bus. */
		if (info->status == SOC_NODE_UNMODELLED) {
			g_autofree char *up = g_strdup(path);
			char *slash;
			while ((slash = strrchr(up, '/')) && slash != up) {
				SocNodeInfo *anc;
				*slash = '\0';
				anc = g_hash_table_lookup(m->node_by_path, up);
				if (anc && anc->status == SOC_NODE_MODELLED) {
					info->status = SOC_NODE_CONTAINER;
					info->note = g_strdup_printf("describes part of %s (%s)", anc->path, anc->cls->name);
					break;
				}
			}
		}
		g_ptr_array_add(m->nodes, info);
		g_hash_table_insert(m->node_by_path, info->path, info);
	}
	if (node != -FDT_ERR_NOTFOUND) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_BLOB, "tree walk failed: %s", fdt_strerror(node));
		return false;
	}
	/* A tree without a cpus node still gets one view of the root bus, for reports. */
	if (m->clusters->len == 0) {
		SocCluster *c = g_new0(SocCluster, 1);
		c->node = -1;
		c->path = g_strdup("/");
		c->name = g_strdup("root");
		c->cpus = g_ptr_array_new();
		c->cpu_notes = g_ptr_array_new_with_free_func(g_free);
		c->as = soc_as_new(c->name, m->log);
		c->implicit = true;
		g_ptr_array_add(m->clusters, c);
	}
	return true;
}

/* ---- devices ------------------------------------------------------------------------------ */

static bool create_device(SocMachine *m, SocNodeInfo *info, GError **err)
{
	const void *fdt = m->fdt;
	int nreg = soc_fdt_reg_count(fdt, info->node, err);
	int nirq;
	g_autofree uint64_t *sizes = NULL;
	SocDevice *dev;

	if (nreg < 0)
		return false;
	nirq = soc_fdt_irq_count(fdt, info->node, err);
	if (nirq < 0)
		return false;
	sizes = g_new0(uint64_t, MAX(nreg, 1));
	for (int i = 0; i < nreg; i++) {
		uint64_t addr;
		if (!soc_fdt_reg(fdt, info->node, i, &addr, &sizes[i], err))
			return false;
	}
	dev = soc_device_create(info->cls, m, fdt, info->node, (unsigned)nreg, sizes, (unsigned)nirq, err);
	if (!dev)
		return false;
	info->dev = dev;
	g_ptr_array_add(m->devices, dev);
	g_hash_table_insert(m->dev_by_path, dev->path, dev);
	if (info->cls->uses_chardev && !attach_chardev(m, dev, err))
		return false;
	if (!soc_device_realize(dev, err))
		return false;
	return true;
}

/* ---- windows ------------------------------------------------------------------------------- */

static bool is_ancestor_or_self(const void *fdt, int anc, int node)
{
	for (int n = node; n >= 0; n = n == 0 ? -1 : soc_fdt_parent(fdt, n))
		if (n == anc)
			return true;
	return false;
}

/* The nearest "indirect-bus" ancestor: its children are not on the root bus. 0 if none. */
static int indirect_bus_of(const void *fdt, int node)
{
	for (int n = soc_fdt_parent(fdt, node); n > 0; n = soc_fdt_parent(fdt, n))
		if (soc_fdt_is_compatible(fdt, n, "indirect-bus"))
			return n;
	return 0;
}

static bool map_one(SocNodeInfo *info, unsigned i, SocAddressSpace *as, uint64_t at, uint64_t size,
                    uint64_t offset, GError **err)
{
	SocDeviceWindow *w;
	void *opaque;
	const SocMmioOps *ops;

	if (info->status == SOC_NODE_UNMODELLED)
		return soc_as_map_unmodelled(as, at, size, info->path, err);
	w = &info->dev->windows[i];
	if (w->kind == SOC_WIN_RAM || w->kind == SOC_WIN_ROM)
		return soc_as_map_ram(as, at, size, w->ram, offset, info->path, err);
	ops = soc_device_window_ops(info->dev, i, &opaque);
	return soc_as_map_mmio(as, at, size, ops, opaque, offset, info->path, err);
}

/* Put one window of a node into a cluster's view: the whole root bus without an
 * address-map, else each address-map entry whose target is the node or an ancestor, clipped
 * to the entry's range (a clipped device window is warned about). */
static bool map_into_cluster(SocMachine *m, SocCluster *cl, SocNodeInfo *info, const SocNodeWindow *nw,
                             GError **err)
{
	if (!cl->map)
		return nw->space != 0 || map_one(info, nw->reg_index, cl->as, nw->root_base, nw->size, 0, err);
	for (guint e = 0; e < cl->map->len; e++) {
		const SocMapEntry *me = &g_array_index(cl->map, SocMapEntry, e);
		uint64_t lo, hi, wend = nw->root_base + nw->size - 1, mend = me->base + me->size - 1;

		if (me->space != nw->space || !is_ancestor_or_self(m->fdt, me->target, info->node))
			continue;
		lo = MAX(nw->root_base, me->base);
		hi = MIN(wend, mend);
		if (lo > hi)
			continue;
		if ((lo != nw->root_base || hi != wend) && info->status == SOC_NODE_MODELLED &&
		    info->dev->windows[nw->reg_index].kind == SOC_WIN_MMIO)
			soc_machine_warn(m, "%s: address-map of cluster %s shows only 0x%" G_GINT64_MODIFIER "x-0x%"
			                 G_GINT64_MODIFIER "x of its registers 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x",
			                 info->path, cl->name, lo, hi, nw->root_base, wend);
		if (!map_one(info, nw->reg_index, cl->as, me->cluster_base + (lo - me->base), hi - lo + 1,
		             lo - nw->root_base, err))
			return false;
	}
	return true;
}

static bool map_node_windows(SocMachine *m, SocNodeInfo *info, GError **err)
{
	const void *fdt = m->fdt;
	GError *local = NULL;
	int nreg, space;

	/* Disabled nodes occupy no addresses; buses and containers have no registers. */
	if (info->status != SOC_NODE_MODELLED && info->status != SOC_NODE_UNMODELLED)
		return true;
	nreg = soc_fdt_reg_count(fdt, info->node, err);
	if (nreg < 0)
		return false;
	space = indirect_bus_of(fdt, info->node);
	for (int i = 0; i < nreg; i++) {
		uint64_t base, raw, size;
		SocNodeWindow nw = { 0 };
		bool ok;

		if (space)
			ok = soc_fdt_reg(fdt, info->node, i, &raw, &size, &local) &&
			     soc_fdt_translate(fdt, soc_fdt_parent(fdt, info->node), raw, space, &base, &local);
		else
			ok = soc_fdt_reg_translated(fdt, info->node, i, &base, &size, &local);
		if (!ok) {
			/* Not memory-mapped (an I2C or SPI child, say): only modelled devices that
			 * declared registers for it need it. */
			if (info->status == SOC_NODE_MODELLED && info->dev->windows[i].kind == SOC_WIN_MMIO &&
			    info->dev->windows[i].ops) {
				g_propagate_error(err, local);
				return false;
			}
			g_free(info->note);
			info->note = g_strdup(local->message);
			g_clear_error(&local);
			continue;
		}
		if (size == 0)
			continue;
		nw.reg_index = (unsigned)i;
		nw.root_base = base;
		nw.size = size;
		nw.space = space;
		g_array_append_val(info->windows, nw);
		for (guint c = 0; c < m->clusters->len; c++)
			if (!map_into_cluster(m, m->clusters->pdata[c], info, &nw, err))
				return false;
	}
	return true;
}

/* ---- address maps (System Device Tree) ------------------------------------------------------ */

static bool valid_phandle(const void *fdt, uint32_t ph)
{
	return ph != 0 && ph != 0xffffffff && soc_fdt_node_by_phandle(fdt, ph, NULL) >= 0;
}

/* Entries are <cluster-address &node address length>: widths from #ranges-address-cells
 * (both addresses) and #ranges-size-cells; a missing #ranges-size-cells follows the address
 * width as real files and lopper do; with neither, the widths are inferred from the length
 * and the positions of valid phandles, with a warning when several layouts fit. */
static bool parse_address_map(SocMachine *m, SocCluster *cl, GError **err)
{
	const void *fdt = m->fdt;
	int len, na = -1, ns = -1, ncells;
	const fdt32_t *p = fdt_getprop(fdt, cl->node, "address-map", &len);
	uint32_t v;

	if (!p)
		return true;
	if (len % 4) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY, "%s:address-map: length %d is not a whole number of cells",
		            cl->path, len);
		return false;
	}
	ncells = len / 4;
	if (soc_fdt_read_u32(fdt, cl->node, "#ranges-address-cells", &v, err) < 0)
		return false;
	else if (fdt_getprop(fdt, cl->node, "#ranges-address-cells", NULL))
		na = (int)v;
	if (soc_fdt_read_u32(fdt, cl->node, "#ranges-size-cells", &v, err) < 0)
		return false;
	else if (fdt_getprop(fdt, cl->node, "#ranges-size-cells", NULL))
		ns = (int)v;
	if (na < 0 && ns >= 0)
		na = ns;
	if (ns < 0 && na >= 0)
		ns = na;
	if (na < 0) {
		int fits = 0, fa = 0, fs = 0;
		for (int a = 1; a <= 2; a++) {
			for (int sz = 1; sz <= 2; sz++) {
				int e = 2 * a + 1 + sz;
				bool ok = ncells % e == 0 && ncells > 0;
				for (int k = 0; ok && k < ncells / e; k++)
					ok = valid_phandle(fdt, fdt32_to_cpu(p[k * e + a]));
				if (ok) {
					if (!fits++) {
						fa = a;
						fs = sz;
					}
				}
			}
		}
		if (!fits) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
			            "%s:address-map: no #ranges-address-cells/#ranges-size-cells, and no layout of 1 or 2 "
			            "cells fits its %d cells with valid phandles", cl->path, ncells);
			return false;
		}
		if (fits > 1)
			soc_machine_warn(m, "%s:address-map: no #ranges-address-cells; %d layouts fit, using %d-cell "
			                 "addresses and %d-cell sizes (add #ranges-address-cells to be sure)",
			                 cl->path, fits, fa, fs);
		na = fa;
		ns = fs;
	}
	if (na < 1 || na > 2 || ns < 1 || ns > 2) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s: #ranges-address-cells = %d / #ranges-size-cells = %d: socemu takes 1 or 2", cl->path, na, ns);
		return false;
	}
	if (ncells % (2 * na + 1 + ns)) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
		            "%s:address-map: %d cells is not a whole number of %d-cell entries "
		            "(<%d-cell address> <phandle> <%d-cell address> <%d-cell size>)",
		            cl->path, ncells, 2 * na + 1 + ns, na, na, ns);
		return false;
	}
	cl->map = g_array_new(FALSE, TRUE, sizeof(SocMapEntry));
	for (int k = 0; k < ncells; k += 2 * na + 1 + ns) {
		SocMapEntry e = { 0 };
		uint32_t ph = fdt32_to_cpu(p[k + na]);
		soc_fdt_cells_to_u64(p + k, (unsigned)na, &e.cluster_base);
		soc_fdt_cells_to_u64(p + k + na + 1, (unsigned)na, &e.base);
		soc_fdt_cells_to_u64(p + k + 2 * na + 1, (unsigned)ns, &e.size);
		e.target = soc_fdt_node_by_phandle(fdt, ph, err);
		if (e.target < 0) {
			g_prefix_error(err, "%s:address-map entry %d: ", cl->path, k / (2 * na + 1 + ns));
			return false;
		}
		e.space = soc_fdt_is_compatible(fdt, e.target, "indirect-bus") ? e.target
		                                                                           : indirect_bus_of(fdt, e.target);
		if (e.size == 0 || e.base + e.size - 1 < e.base || e.cluster_base + e.size - 1 < e.cluster_base) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
			            "%s:address-map entry %d: empty or wrapping range", cl->path, k / (2 * na + 1 + ns));
			return false;
		}
		g_array_append_val(cl->map, e);
	}
	return true;
}

void soc_machine_warn(SocMachine *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_ptr_array_add(m->warnings, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

unsigned soc_machine_warning_count(const SocMachine *m) { return m->warnings->len; }
const char *soc_machine_warning(const SocMachine *m, unsigned i)
{
	return i < m->warnings->len ? m->warnings->pdata[i] : NULL;
}

/* ---- interrupts ----------------------------------------------------------------------------- */

static bool wire_irqs(SocMachine *m, SocNodeInfo *info, GError **err)
{
	const void *fdt = m->fdt;
	int n = soc_fdt_irq_count(fdt, info->node, err);
	g_autoptr(GArray) specs = g_array_new(FALSE, TRUE, sizeof(SocFdtIrqSpec));

	if (n < 0)
		return false;
	for (int i = 0; i < n; i++) {
		int out = i;
		if (info->status == SOC_NODE_MODELLED && info->cls->irq_output_names &&
		    fdt_getprop(fdt, info->node, "interrupt-names", NULL)) {
			const char *name = soc_fdt_stringlist_get(fdt, info->node, "interrupt-names", i);
			out = -1;
			for (int k = 0; name && info->cls->irq_output_names[k]; k++)
				if (!strcmp(info->cls->irq_output_names[k], name))
					out = k;
			if (out < 0 || (unsigned)out >= info->dev->n_irq_out) {
				g_autofree char *known = g_strjoinv(", ", (char **)info->cls->irq_output_names);
				g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
				            "%s:interrupt-names: entry %d (%s) is not an output of %s (its outputs: %s)",
				            info->path, i, name ? name : "missing", info->cls->name, known);
				return false;
			}
		}
		g_array_set_size(specs, 0);
		if (!soc_fdt_irq_resolve(fdt, info->node, i, specs, err))
			return false;
		for (guint s = 0; s < specs->len; s++) {
			const SocFdtIrqSpec *spec = &g_array_index(specs, SocFdtIrqSpec, s);
			g_autofree char *ctrl_path = soc_fdt_path(fdt, spec->controller);
			SocNodeInfo *ctrl = g_hash_table_lookup(m->node_by_path, ctrl_path);
			char *desc;

			if (ctrl && ctrl->status == SOC_NODE_CPU_PART && ctrl->owner_cpu &&
			    info->status == SOC_NODE_MODELLED) {
				SocCpu *cpu = ctrl->owner_cpu;
				SocIrq *in = cpu->cls->irq_xlate ? cpu->cls->irq_xlate(cpu, ctrl->owned_compatible,
				                                                       spec->cells, spec->ncells, err) : NULL;
				if (!in) {
					if (err && !*err)
						g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY, "%s: interrupt %d: %s takes no interrupts",
						            info->path, i, ctrl_path);
					g_prefix_error(err, "%s: interrupt %d: ", info->path, i);
					return false;
				}
				soc_irq_connect(info->dev->irq_out[out], in);
				desc = g_strdup_printf("%s -> %s", soc_irq_name(info->dev->irq_out[out]), soc_irq_name(in));
			} else if (!ctrl || ctrl->status != SOC_NODE_MODELLED || !ctrl->dev->cls->irq_xlate) {
				desc = g_strdup_printf("irq%d -> %s (not connected: controller %s)", i, ctrl_path,
				                       ctrl && ctrl->status == SOC_NODE_DISABLED ? "disabled" : "unmodelled");
			} else if (info->status != SOC_NODE_MODELLED) {
				desc = g_strdup_printf("irq%d -> %s (not connected: source unmodelled)", i, ctrl_path);
			} else {
				unsigned input;
				if (!ctrl->dev->cls->irq_xlate(ctrl->dev, spec->cells, spec->ncells, &input, err)) {
					g_prefix_error(err, "%s: interrupt %d: ", info->path, i);
					return false;
				}
				if (input >= ctrl->dev->n_irq_in) {
					g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
					            "%s: interrupt %d: %s has no input %u", info->path, i, ctrl_path, input);
					return false;
				}
				soc_irq_connect(info->dev->irq_out[out], ctrl->dev->irq_in[input]);
				desc = g_strdup_printf("%s -> %s", soc_irq_name(info->dev->irq_out[out]),
				                       soc_irq_name(ctrl->dev->irq_in[input]));
			}
			g_ptr_array_add(info->irqs, desc);
		}
	}
	return true;
}

/* ---- character backends ------------------------------------------------------------------- */

/* /chosen/stdout-path: a path or an alias, optionally followed by ":options". */
static char *stdout_path(const void *fdt)
{
	int chosen = soc_fdt_path_offset(fdt, "/chosen");
	const char *val;
	int len, target;
	g_autofree char *name = NULL;

	if (chosen < 0)
		return NULL;
	val = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!val || len <= 0 || !memchr(val, '\0', (size_t)len))
		val = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!val || len <= 0 || !memchr(val, '\0', (size_t)len))
		return NULL;
	name = g_strndup(val, strcspn(val, ":"));
	target = soc_fdt_path_offset(fdt, name);    /* resolves aliases too */
	return target >= 0 ? soc_fdt_path(fdt, target) : NULL;
}

/* A stdout-path that names nothing would leave the guest without a console, silently. */
static void check_stdout_path(SocMachine *m)
{
	int chosen = soc_fdt_path_offset(m->fdt, "/chosen"), len;
	const char *val = chosen >= 0 ? fdt_getprop(m->fdt, chosen, "stdout-path", &len) : NULL;
	g_autofree char *console = NULL;

	if (!val || len <= 0 || !memchr(val, '\0', (size_t)len))
		return;
	console = stdout_path(m->fdt);
	if (!console)
		soc_machine_warn(m, "/chosen: stdout-path \"%s\" names no node (an unknown path or "
		                 "alias, or an alias loop): no UART gets the console", val);
}

/* Does a -serial target (label, alias or path) name this node? */
static bool serial_target_matches(const void *fdt, const char *target, const char *path)
{
	int node;
	g_autofree char *resolved = NULL;
	int sym = soc_fdt_path_offset(fdt, "/__symbols__");

	if (!strcmp(target, path))
		return true;
	if (sym >= 0) {
		const char *p = fdt_getprop(fdt, sym, target, NULL);
		if (p && !strcmp(p, path))
			return true;
	}
	node = soc_fdt_path_offset(fdt, target);
	if (node < 0)
		return false;
	resolved = soc_fdt_path(fdt, node);
	return !strcmp(resolved, path);
}

static void console_quit(void *opaque)
{
	SocMachine *m = opaque;
	soc_machine_request_shutdown(m, SOC_SHUTDOWN_EXIT, 0, "console", "quit from the console (Ctrl-A x)");
	if (m->cfg.quit)
		m->cfg.quit(m->cfg.quit_opaque);
}

bool attach_chardev(SocMachine *m, SocDevice *dev, GError **err)
{
	const char *spec = "null";
	g_autofree char *console = stdout_path(m->fdt);
	SocChardevHost host = { m->ctx, console_quit, m };
	SocChardev *chr;

	const char *node_spec = NULL, *prefix = NULL;
	int node = soc_fdt_path_offset(m->fdt, dev->path);

	/* null, unless /chosen/stdout-path names the UART (stdio); the node's socemu,serial (set by a
	 * profile, usually) overrides that, and -serial overrides everything. */
	if (node >= 0 && (soc_fdt_read_string(m->fdt, node, "socemu,serial", &node_spec, err) < 0 ||
	                  soc_fdt_read_string(m->fdt, node, "socemu,serial-prefix", &prefix, err) < 0))
		return false;
	if (console && !strcmp(console, dev->path))
		spec = "stdio";
	if (node_spec)
		spec = node_spec;
	for (guint i = 0; m->cfg.serial && i < m->cfg.serial->len; i++) {
		SocSerialOverride *o = m->cfg.serial->pdata[i];
		if (serial_target_matches(m->fdt, o->target, dev->path))
			spec = o->backend;
	}
	chr = soc_chardev_open(spec, &host, err);
	if (!chr) {
		g_prefix_error(err, "%s: ", dev->path);
		return false;
	}
	g_ptr_array_add(m->chardevs, chr);
	if (prefix && *prefix)
		soc_chardev_set_line_prefix(chr, prefix);
	dev->chr = chr;
	return true;
}

/* Every -serial target must name a UART of the machine: a typo must not go unnoticed. */
static bool check_serial_targets(SocMachine *m, GError **err)
{
	for (guint i = 0; m->cfg.serial && i < m->cfg.serial->len; i++) {
		SocSerialOverride *o = m->cfg.serial->pdata[i];
		bool found = false;
		for (guint d = 0; d < m->devices->len && !found; d++) {
			SocDevice *dev = m->devices->pdata[d];
			found = dev->cls->uses_chardev && serial_target_matches(m->fdt, o->target, dev->path);
		}
		if (!found) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE,
			            "-serial %s=%s: no modelled UART is called '%s' (use a label, an alias or a node path)",
			            o->target, o->backend, o->target);
			return false;
		}
	}
	return true;
}

/* ---- clusters and cpus ----------------------------------------------------------------------- */

static uint64_t cpu_clock(const void *fdt, int cpu, int cluster)
{
	uint64_t hz = 0;
	if (soc_fdt_read_u64(fdt, cpu, "clock-frequency", &hz, NULL) > 0 && hz)
		return hz;
	if (cluster >= 0 && soc_fdt_read_u64(fdt, cluster, "clock-frequency", &hz, NULL) > 0 && hz)
		return hz;
	return 0;
}

static bool create_cpus(SocMachine *m, SocCluster *c, GError **err)
{
	const void *fdt = m->fdt;
	int child;
	unsigned index = 0;

	if (c->node < 0)
		return true;
	fdt_for_each_subnode(child, fdt, c->node) {
		g_autofree char *path = NULL;
		const SocCpuClass *cls;
		SocCpuConfig cfg;
		SocCpu *cpu;

		if (!is_cpu_node(fdt, child))
			continue;
		path = soc_fdt_path(fdt, child);
		if (!soc_fdt_is_enabled(fdt, child)) {
			g_ptr_array_add(c->cpu_notes, g_strdup_printf("%s: disabled", path));
			continue;
		}
		cls = soc_cpu_class_for_node(fdt, child);
		if (!cls) {
			g_ptr_array_add(c->cpu_notes, g_strdup_printf("%s: no cpu model for its compatible", path));
			continue;
		}
		cfg = (SocCpuConfig){
			.fdt = fdt, .node = child, .path = path, .cluster = c->name, .index = index++,
			.clock_hz = cpu_clock(fdt, child, c->node), .timebase_hz = m->timebase_hz,
			.as = c->as, .events = m->events, .log = m->log, .machine = m,
		};
		if (!cfg.clock_hz)
			cfg.clock_hz = 100000000;  /* documented default: 100 MHz */
		cpu = cls->create(&cfg, err);
		if (!cpu)
			return false;
		g_ptr_array_add(c->cpus, cpu);
	}
	return true;
}

/* Every phandle property some model reads: its target must be built first. */
static GArray *phandle_props(void)
{
	GArray *a = g_array_new(TRUE, TRUE, sizeof(SocFdtDepProp));
	for (const SocDeviceClass *const *c = soc_device_classes(); *c; c++) {
		for (const SocPropDesc *p = (*c)->props; p && p->name; p++) {
			SocFdtDepProp d = { p->name, NULL };
			bool dup = false;
			if (p->type != SOC_PROP_TYPE_PHANDLE)
				continue;
			for (guint i = 0; i < a->len && !dup; i++)
				dup = !strcmp(g_array_index(a, SocFdtDepProp, i).name, p->name);
			if (!dup)
				g_array_append_val(a, d);
		}
	}
	return a;
}

static bool cpu_claimed(const SocMachine *m, const SocCpu *cpu, const char *compat)
{
	for (guint i = 0; i < m->nodes->len; i++) {
		const SocNodeInfo *o = m->nodes->pdata[i];
		if (o->owner_cpu == cpu && !strcmp(o->owned_compatible, compat))
			return true;
	}
	return false;
}

/* Give each cpu-part node (NVIC, SysTick) to a cpu of a class that owns its compatible:
 * one in the cluster whose subtree holds the node, else the first that has none yet. */
static bool attach_cpu_parts(SocMachine *m, GError **err)
{
	for (guint i = 0; i < m->nodes->len; i++) {
		SocNodeInfo *info = m->nodes->pdata[i];
		SocCpu *chosen = NULL;

		if (info->status != SOC_NODE_CPU_PART)
			continue;
		for (int pass = 0; pass < 2 && !chosen; pass++) {
			for (guint c = 0; c < m->clusters->len && !chosen; c++) {
				SocCluster *cl = m->clusters->pdata[c];
				if (pass == 0 && !(cl->node >= 0 && path_in_subtree(info->path, cl->path)))
					continue;
				for (guint k = 0; k < cl->cpus->len && !chosen; k++) {
					SocCpu *cpu = cl->cpus->pdata[k];
					for (const char *const *s = cpu->cls->owned_compatibles; s && *s && !chosen; s++)
						if (!strcmp(*s, info->owned_compatible) && !cpu_claimed(m, cpu, *s))
							chosen = cpu;
				}
			}
		}
		if (!chosen) {
			g_free(info->note);
			info->note = g_strdup("no cpu of a model that has this part: not connected");
			continue;
		}
		if (chosen->cls->attach_node &&
		    !chosen->cls->attach_node(chosen, m->fdt, info->node, info->owned_compatible, err))
			return false;
		info->owner_cpu = chosen;
	}
	return true;
}

/* Cpu-local controllers (riscv,cpu-intc) drive the inputs of the cpu they sit in. */
static bool connect_cpu_local(SocMachine *m, GError **err)
{
	for (guint i = 0; i < m->devices->len; i++) {
		SocDevice *dev = m->devices->pdata[i];
		g_autofree char *parent = NULL;
		SocCpu *cpu = NULL;
		const char *slash;

		if (!dev->cls->drives_parent_cpu)
			continue;
		slash = strrchr(dev->path, '/');
		parent = g_strndup(dev->path, (gsize)(slash - dev->path));
		for (guint c = 0; c < m->clusters->len && !cpu; c++) {
			SocCluster *cl = m->clusters->pdata[c];
			for (guint k = 0; k < cl->cpus->len && !cpu; k++)
				if (!strcmp(((SocCpu *)cl->cpus->pdata[k])->path, parent))
					cpu = cl->cpus->pdata[k];
		}
		if (!cpu) {
			SocNodeInfo *info = g_hash_table_lookup(m->node_by_path, dev->path);
			if (info) {
				g_free(info->note);
				info->note = g_strdup_printf("its cpu %s has no model: outputs not connected", parent);
			}
			continue;
		}
		for (unsigned k = 0; k < dev->n_irq_out; k++) {
			g_autofree char *name = g_strdup_printf("irq%u", k);
			SocIrq *in = cpu->cls->irq_input ? cpu->cls->irq_input(cpu, name) : NULL;
			if (in)
				soc_irq_connect(dev->irq_out[k], in);
		}
	}
	return true;
}

/* ---- the build ------------------------------------------------------------------------------ */

static bool build(SocMachine *m, GError **err)
{
	g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(int));
	g_autoptr(GArray) sorted = NULL;
	g_autoptr(GArray) extra = NULL;
	int cpus;

	/* The tree does not change while the machine lives (overlays and -set come before the
	 * build): index it once, instead of libfdt walking it from the start for every parent,
	 * path and phandle. */
	m->fdt_index = soc_fdt_index_new(m->fdt);
	cpus = soc_fdt_path_offset(m->fdt, "/cpus");
	/* The final tree (after overlays and -set): structure, and phandles valid and unique. */
	if (!soc_fdt_check_blob(m->fdt, soc_tree_size(m->tree), err))
		return false;
	if (cpus >= 0 && soc_fdt_read_u64(m->fdt, cpus, "timebase-frequency", &m->timebase_hz, err) < 0)
		return false;
	check_stdout_path(m);
	if (!collect_nodes(m, err))
		return false;
	for (guint i = 0; i < m->clusters->len; i++)
		if (!parse_address_map(m, m->clusters->pdata[i], err))
			return false;

	/* Controllers and referenced nodes before their users. */
	/* Unmodelled nodes take part too: a dependency cycle is a mistake in the tree whether or
	 * not socemu models the nodes in it. */
	for (guint i = 0; i < m->nodes->len; i++) {
		SocNodeInfo *info = m->nodes->pdata[i];
		if (info->status == SOC_NODE_MODELLED || info->status == SOC_NODE_UNMODELLED)
			g_array_append_val(order, info->node);
	}
	extra = phandle_props();
	sorted = g_array_new(FALSE, FALSE, sizeof(int));
	if (!soc_fdt_sort_by_deps(m->fdt, (const int *)order->data, order->len,
	                          (const SocFdtDepProp *)extra->data, sorted, err))
		return false;
	for (guint i = 0; i < sorted->len; i++) {
		g_autofree char *path = soc_fdt_path(m->fdt, g_array_index(sorted, int, i));
		SocNodeInfo *info = g_hash_table_lookup(m->node_by_path, path);
		if (info->status == SOC_NODE_MODELLED && !create_device(m, info, err))
			return false;
	}
	if (!check_serial_targets(m, err))
		return false;
	for (guint i = 0; i < m->nodes->len; i++)
		if (!map_node_windows(m, m->nodes->pdata[i], err))
			return false;
	for (guint i = 0; i < m->clusters->len; i++)
		if (!create_cpus(m, m->clusters->pdata[i], err))
			return false;
	if (!connect_cpu_local(m, err) || !attach_cpu_parts(m, err))
		return false;
	for (guint i = 0; i < m->nodes->len; i++) {
		SocNodeInfo *info = m->nodes->pdata[i];
		if ((info->status == SOC_NODE_MODELLED || info->status == SOC_NODE_UNMODELLED) &&
		    !wire_irqs(m, info, err))
			return false;
	}
	soc_machine_reset(m);
	return true;
}

SocMachine *soc_machine_build(SocTree *tree, const SocMachineConfig *cfg, GError **err)
{
	SocMachine *m = g_new0(SocMachine, 1);

	m->tree = tree;
	m->fdt = soc_tree_blob(tree);
	m->cfg = *cfg;
	m->log = cfg->log;
	m->ctx = cfg->ctx ? g_main_context_ref(cfg->ctx) : g_main_context_new();
	m->events = soc_events_new();
	m->nodes = g_ptr_array_new_with_free_func(node_info_free);
	m->node_by_path = g_hash_table_new(g_str_hash, g_str_equal);
	m->devices = g_ptr_array_new();
	m->dev_by_path = g_hash_table_new(g_str_hash, g_str_equal);
	m->clusters = g_ptr_array_new_with_free_func(cluster_free);
	m->chardevs = g_ptr_array_new_with_free_func((GDestroyNotify)soc_chardev_close);
	m->warnings = g_ptr_array_new_with_free_func(g_free);
	if (cfg->semihost)
		m->semihost = soc_semihost_new(cfg->semihost);
	if (!build(m, err)) {
		soc_tree_annotate_error(tree, err ? *err : NULL);
		soc_machine_free(m);
		return NULL;
	}
	return m;
}

void soc_machine_free(SocMachine *m)
{
	if (!m)
		return;
	/* CPUs first (they reference address spaces), then devices in reverse build order
	 * (users before the controllers they point at), then the spaces. */
	for (guint i = 0; i < m->clusters->len; i++) {
		SocCluster *c = m->clusters->pdata[i];
		for (guint k = 0; k < c->cpus->len; k++) {
			SocCpu *cpu = c->cpus->pdata[k];
			cpu->cls->destroy(cpu);
		}
		g_ptr_array_set_size(c->cpus, 0);
	}
	g_ptr_array_free(m->clusters, TRUE);
	for (guint i = m->devices->len; i-- > 0;)
		soc_device_free(m->devices->pdata[i]);
	g_ptr_array_free(m->devices, TRUE);
	g_ptr_array_free(m->chardevs, TRUE);
	g_hash_table_destroy(m->dev_by_path);
	g_hash_table_destroy(m->node_by_path);
	g_ptr_array_free(m->nodes, TRUE);
	soc_events_free(m->events);
	soc_semihost_free(m->semihost);
	g_main_context_unref(m->ctx);
	g_free(m->shutdown_reason);
	g_ptr_array_free(m->warnings, TRUE);
	soc_fdt_index_free(m->fdt_index);
	soc_tree_free(m->tree);
	g_free(m);
}

const SocTree *soc_machine_tree(const SocMachine *m) { return m->tree; }
const void *soc_machine_fdt(const SocMachine *m) { return m->fdt; }
SocLog *soc_machine_log(const SocMachine *m) { return m->log; }
SocEventQueue *soc_machine_events(const SocMachine *m) { return m->events; }
uint64_t soc_machine_timebase_hz(const SocMachine *m) { return m->timebase_hz; }
uint64_t soc_machine_timebase_offset(const SocMachine *m) { return m->timebase_offset; }
void soc_machine_set_timebase_offset(SocMachine *m, uint64_t offset) { m->timebase_offset = offset; }
struct SocSemihost *soc_machine_semihost(const SocMachine *m) { return m->semihost; }
unsigned soc_machine_cluster_count(const SocMachine *m) { return m->clusters->len; }
SocCluster *soc_machine_cluster(const SocMachine *m, unsigned i)
{
	return i < m->clusters->len ? m->clusters->pdata[i] : NULL;
}

SocCluster *soc_machine_find_cluster(const SocMachine *m, const char *name)
{
	for (guint i = 0; i < m->clusters->len; i++) {
		SocCluster *c = m->clusters->pdata[i];
		const char *base = strrchr(c->path, '/');
		if (!strcmp(c->name, name) || !strcmp(c->path, name) || (base && !strcmp(base + 1, name)))
			return c;
	}
	return NULL;
}

SocCluster *soc_machine_default_cluster(const SocMachine *m)
{
	SocCluster *c = soc_machine_find_cluster(m, "/cpus");
	return c ? c : soc_machine_cluster(m, 0);
}

const char *soc_cluster_name(const SocCluster *c) { return c->name; }
const char *soc_cluster_path(const SocCluster *c) { return c->path; }
SocAddressSpace *soc_cluster_as(const SocCluster *c) { return c->as; }
unsigned soc_cluster_cpu_count(const SocCluster *c) { return c->cpus->len; }
SocCpu *soc_cluster_cpu(const SocCluster *c, unsigned i)
{
	return i < c->cpus->len ? c->cpus->pdata[i] : NULL;
}

unsigned soc_machine_device_count(const SocMachine *m) { return m->devices->len; }
SocDevice *soc_machine_device(const SocMachine *m, unsigned i)
{
	return i < m->devices->len ? m->devices->pdata[i] : NULL;
}
SocDevice *soc_machine_find_device(const SocMachine *m, const char *path)
{
	return g_hash_table_lookup(m->dev_by_path, path);
}

void soc_machine_request_shutdown(SocMachine *m, SocShutdownKind kind, int status, const char *who,
                                  const char *reason)
{
	if (m->shutdown)
		return;
	m->shutdown = true;
	m->shutdown_kind = kind;
	m->shutdown_status = status;
	m->shutdown_reason = g_strdup_printf("%s: %s", who, reason);
	/* Stop the running CPU at its next block boundary. */
	for (guint i = 0; i < m->clusters->len; i++) {
		SocCluster *c = m->clusters->pdata[i];
		for (guint k = 0; k < c->cpus->len; k++)
			soc_cpu_kick(c->cpus->pdata[k]);
	}
}

void soc_machine_cpu_exit(SocMachine *m, SocCpu *cpu, int status, const char *reason)
{
	SocCluster *cl = NULL;
	unsigned running_clusters = 0, reported = 0;

	for (guint i = 0; i < m->clusters->len; i++) {
		SocCluster *c = m->clusters->pdata[i];
		if (!c->has_image)
			continue;
		running_clusters++;
		for (guint k = 0; k < c->cpus->len; k++)
			if (c->cpus->pdata[k] == cpu)
				cl = c;
	}
	if (!cl || running_clusters <= 1) {
		soc_machine_request_shutdown(m, SOC_SHUTDOWN_EXIT, status, cpu->path, reason);
		return;
	}
	cl->reported = true;
	cl->report_status = status;
	for (guint k = 0; k < cl->cpus->len; k++) {
		SocCpu *other = cl->cpus->pdata[k];
		other->state = SOC_CPU_HALTED;
		soc_cpu_kick(other);
	}
	if (status != 0) {
		g_autofree char *why = g_strdup_printf("cluster %s failed: %s", cl->name, reason);
		soc_machine_request_shutdown(m, SOC_SHUTDOWN_EXIT, status, cpu->path, why);
		return;
	}
	for (guint i = 0; i < m->clusters->len; i++) {
		SocCluster *c = m->clusters->pdata[i];
		reported += c->has_image && c->reported;
	}
	if (reported == running_clusters)
		soc_machine_request_shutdown(m, SOC_SHUTDOWN_EXIT, 0, "machine",
		                             "every cluster reported success");
}

bool soc_machine_shutdown_requested(const SocMachine *m, SocShutdownKind *kind, int *status,
                                    const char **reason)
{
	if (!m->shutdown)
		return false;
	if (kind)
		*kind = m->shutdown_kind;
	if (status)
		*status = m->shutdown_status;
	if (reason)
		*reason = m->shutdown_reason;
	return true;
}

void soc_machine_clear_shutdown(SocMachine *m)
{
	m->shutdown = false;
	for (guint i = 0; i < m->clusters->len; i++)
		((SocCluster *)m->clusters->pdata[i])->reported = false;
	g_clear_pointer(&m->shutdown_reason, g_free);
}

void soc_machine_reset(SocMachine *m)
{
	m->timebase_offset = 0;
	for (guint i = 0; i < m->devices->len; i++)
		soc_device_reset(m->devices->pdata[i]);
	for (guint i = 0; i < m->clusters->len; i++) {
		SocCluster *c = m->clusters->pdata[i];
		for (guint k = 0; k < c->cpus->len; k++) {
			SocCpu *cpu = c->cpus->pdata[k];
			cpu->cls->reset(cpu);
		}
	}
}
