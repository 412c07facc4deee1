/* core/report.c — the JSON description of a built machine (-report, and the protocol's
 * "query-machine"). Addresses and sizes are hex strings: JSON numbers lose 64-bit values in
 * many readers. Node paths are the stable names. */
#include "config.h"
#include "core/machine-core.h"
#include "core/chardev.h"
#include "core/device-core.h"
#include "core/irq.h"
#include "core/json.h"
#include "core/log.h"
#include "cpus/cpu.h"

#include <libfdt.h>
#include <string.h>

static const char *const node_status_names[] = {
	[SOC_NODE_MODELLED] = "modelled",
	[SOC_NODE_UNMODELLED] = "unmodelled",
	[SOC_NODE_DISABLED] = "disabled",
	[SOC_NODE_BUS] = "bus",
	[SOC_NODE_CONTAINER] = "container",
	[SOC_NODE_CPU_PART] = "cpu-part",
};

static const char *const window_kind_names[] = {
	[SOC_WIN_RAM] = "ram", [SOC_WIN_ROM] = "rom", [SOC_WIN_MMIO] = "mmio",
	[SOC_WIN_UNMODELLED] = "unmodelled",
};

static const char *const cpu_state_names[] = {
	[SOC_CPU_RUNNING] = "running", [SOC_CPU_SLEEPING] = "sleeping",
	[SOC_CPU_HALTED] = "halted", [SOC_CPU_LOCKED_UP] = "locked-up",
};

static void add_hex(SocJson *o, const char *name, uint64_t v)
{
	char buf[24];
	g_snprintf(buf, sizeof(buf), "0x%" G_GINT64_MODIFIER "x", v);
	soc_json_object_set_string(o, name, buf);
}

static SocJson *compatible_list(const void *fdt, int node)
{
	SocJson *a = soc_json_new_array();
	int len, pos = 0;
	const char *list = fdt_getprop(fdt, node, "compatible", &len);

	while (list && pos < len) {
		const char *end = memchr(list + pos, '\0', (size_t)(len - pos));
		if (!end)
			break;
		soc_json_array_add_string(a, list + pos);
		pos = (int)(end - list) + 1;
	}
	return a;
}

static SocJson *string_list(const GPtrArray *strings)
{
	SocJson *a = soc_json_new_array();
	for (guint i = 0; i < strings->len; i++)
		soc_json_array_add_string(a, strings->pdata[i]);
	return a;
}

static SocJson *node_json(const SocMachine *m, const SocNodeInfo *info)
{
	SocJson *o = soc_json_new_object(), *windows;

	soc_json_object_set_string(o, "path", info->path);
	soc_json_object_set(o, "compatible", compatible_list(m->fdt, info->node));
	soc_json_object_set_string(o, "status", node_status_names[info->status]);
	if (info->cls) {
		SocJson *props;
		soc_json_object_set_string(o, "model", info->cls->name);
		props = soc_json_object_set(o, "properties", soc_json_new_object());
		for (const SocPropDesc *p = info->cls->props; info->dev && p && p->name; p++) {
			g_autofree char *v = soc_device_prop_string(info->dev, p);
			soc_json_object_set_string(props, p->name, v);
		}
	}
	windows = soc_json_object_set(o, "windows", soc_json_new_array());
	for (guint i = 0; i < info->windows->len; i++) {
		const SocNodeWindow *w = &g_array_index(info->windows, SocNodeWindow, i);
		SocJson *win = soc_json_array_add(windows, soc_json_new_object()), *views;
		soc_json_object_set_int(win, "reg-index", w->reg_index);
		add_hex(win, "root-base", w->root_base);
		add_hex(win, "size", w->size);
		views = soc_json_object_set(win, "views", soc_json_new_array());
		for (guint c = 0; c < m->clusters->len; c++) {
			const SocCluster *cl = m->clusters->pdata[c];
			for (unsigned k = 0; k < soc_as_window_count(cl->as); k++) {
				const SocWindow *aw = soc_as_window(cl->as, k);
				SocJson *view;
				if (strcmp(aw->owner, info->path) != 0)
					continue;
				view = soc_json_array_add(views, soc_json_new_object());
				soc_json_object_set_string(view, "address-space", soc_as_name(cl->as));
				add_hex(view, "base", aw->base);
				add_hex(view, "size", aw->size);
				soc_json_object_set_string(view, "kind", window_kind_names[aw->kind]);
			}
		}
	}
	soc_json_object_set(o, "irqs", string_list(info->irqs));
	if (info->status == SOC_NODE_CPU_PART)
		soc_json_object_set_string(o, "part-of", info->owner_cpu ? info->owner_cpu->path : NULL);
	if (info->note)
		soc_json_object_set_string(o, "note", info->note);
	return o;
}

static SocJson *cluster_json(const SocCluster *c)
{
	SocJson *o = soc_json_new_object(), *cpus;

	soc_json_object_set_string(o, "name", c->name);
	soc_json_object_set_string(o, "path", c->path);
	soc_json_object_set_string(o, "address-space", soc_as_name(c->as));
	cpus = soc_json_object_set(o, "cpus", soc_json_new_array());
	for (guint i = 0; i < c->cpus->len; i++) {
		const SocCpu *cpu = c->cpus->pdata[i];
		SocJson *co = soc_json_array_add(cpus, soc_json_new_object());
		soc_json_object_set_string(co, "path", cpu->path);
		soc_json_object_set_string(co, "model", cpu->cls->name);
		soc_json_object_set_int(co, "clock-frequency", (gint64)cpu->clock_hz);
		soc_json_object_set_string(co, "state", cpu_state_names[cpu->state]);
		soc_json_object_set_int(co, "instructions", (gint64)cpu->insns);
	}
	soc_json_object_set(o, "unmodelled-cpus", string_list(c->cpu_notes));
	soc_json_object_set_string(o, "image", c->image_note);
	if (!c->map) {
		soc_json_object_set_null(o, "address-map");
	} else {
		SocJson *map = soc_json_object_set(o, "address-map", soc_json_new_array());
		for (guint i = 0; i < c->map->len; i++) {
			const SocMapEntry *e = &g_array_index(c->map, SocMapEntry, i);
			SocJson *eo = soc_json_array_add(map, soc_json_new_object());
			add_hex(eo, "cluster-base", e->cluster_base);
			add_hex(eo, "base", e->base);
			add_hex(eo, "size", e->size);
		}
	}
	return o;
}

static SocJson *address_space_json(const SocAddressSpace *as)
{
	SocJson *o = soc_json_new_object(), *windows;

	soc_json_object_set_string(o, "name", soc_as_name(as));
	windows = soc_json_object_set(o, "windows", soc_json_new_array());
	for (unsigned k = 0; k < soc_as_window_count(as); k++) {
		const SocWindow *w = soc_as_window(as, k);
		SocJson *wo = soc_json_array_add(windows, soc_json_new_object());
		add_hex(wo, "base", w->base);
		add_hex(wo, "size", w->size);
		soc_json_object_set_string(wo, "kind", window_kind_names[w->kind]);
		soc_json_object_set_string(wo, "node", w->owner);
	}
	return o;
}

SocJson *soc_machine_report(const SocMachine *m)
{
	SocJson *r = soc_json_new_object(), *a;

	soc_json_object_set_string(r, "socemu", PACKAGE_VERSION);
	soc_json_object_set_string(r, "tree", soc_tree_origin(m->tree));
	soc_json_object_set_int(r, "timebase-frequency", (gint64)m->timebase_hz);
	a = soc_json_object_set(r, "clusters", soc_json_new_array());
	for (guint i = 0; i < m->clusters->len; i++)
		soc_json_array_add(a, cluster_json(m->clusters->pdata[i]));
	a = soc_json_object_set(r, "address-spaces", soc_json_new_array());
	for (guint i = 0; i < m->clusters->len; i++)
		soc_json_array_add(a, address_space_json(((SocCluster *)m->clusters->pdata[i])->as));
	a = soc_json_object_set(r, "nodes", soc_json_new_array());
	for (guint i = 0; i < m->nodes->len; i++)
		soc_json_array_add(a, node_json(m, m->nodes->pdata[i]));
	soc_json_object_set(r, "warnings", string_list(m->warnings));
	a = soc_json_object_set(r, "consoles", soc_json_new_array());
	for (guint i = 0; i < m->devices->len; i++) {
		const SocDevice *dev = m->devices->pdata[i];
		SocJson *co;
		if (!dev->chr)
			continue;
		co = soc_json_array_add(a, soc_json_new_object());
		soc_json_object_set_string(co, "node", dev->path);
		soc_json_object_set_string(co, "backend", soc_chardev_describe(dev->chr));
	}
	return r;
}
