/* core/report.c — the JSON description of a built machine (-report, and the protocol's
 * "query-machine"). Addresses and sizes are hex strings: JSON numbers lose 64-bit values in
 * many readers. Node paths are the stable names. */
#include "config.h"
#include "core/machine-core.h"
#include "core/chardev.h"
#include "core/device-core.h"
#include "core/irq.h"
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

static void add_hex(JsonBuilder *b, const char *name, uint64_t v)
{
	g_autofree char *s = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", v);
	json_builder_set_member_name(b, name);
	json_builder_add_string_value(b, s);
}

static void add_str(JsonBuilder *b, const char *name, const char *v)
{
	json_builder_set_member_name(b, name);
	if (v)
		json_builder_add_string_value(b, v);
	else
		json_builder_add_null_value(b);
}

static void add_compatible(JsonBuilder *b, const void *fdt, int node)
{
	int len, pos = 0;
	const char *list = fdt_getprop(fdt, node, "compatible", &len);

	json_builder_set_member_name(b, "compatible");
	json_builder_begin_array(b);
	while (list && pos < len) {
		const char *end = memchr(list + pos, '\0', (size_t)(len - pos));
		if (!end)
			break;
		json_builder_add_string_value(b, list + pos);
		pos = (int)(end - list) + 1;
	}
	json_builder_end_array(b);
}

static void add_node(JsonBuilder *b, const SocMachine *m, const SocNodeInfo *info)
{
	json_builder_begin_object(b);
	add_str(b, "path", info->path);
	add_compatible(b, m->fdt, info->node);
	add_str(b, "status", node_status_names[info->status]);
	if (info->cls) {
		add_str(b, "model", info->cls->name);
		json_builder_set_member_name(b, "properties");
		json_builder_begin_object(b);
		for (const SocPropDesc *p = info->cls->props; info->dev && p && p->name; p++) {
			g_autofree char *v = soc_device_prop_string(info->dev, p);
			add_str(b, p->name, v);
		}
		json_builder_end_object(b);
	}
	json_builder_set_member_name(b, "windows");
	json_builder_begin_array(b);
	for (guint i = 0; i < info->windows->len; i++) {
		const SocNodeWindow *w = &g_array_index(info->windows, SocNodeWindow, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "reg-index");
		json_builder_add_int_value(b, w->reg_index);
		add_hex(b, "root-base", w->root_base);
		add_hex(b, "size", w->size);
		json_builder_set_member_name(b, "views");
		json_builder_begin_array(b);
		for (guint c = 0; c < m->clusters->len; c++) {
			const SocCluster *cl = m->clusters->pdata[c];
			for (unsigned k = 0; k < soc_as_window_count(cl->as); k++) {
				const SocWindow *aw = soc_as_window(cl->as, k);
				if (strcmp(aw->owner, info->path) != 0)
					continue;
				json_builder_begin_object(b);
				add_str(b, "address-space", soc_as_name(cl->as));
				add_hex(b, "base", aw->base);
				add_hex(b, "size", aw->size);
				add_str(b, "kind", window_kind_names[aw->kind]);
				json_builder_end_object(b);
			}
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "irqs");
	json_builder_begin_array(b);
	for (guint i = 0; i < info->irqs->len; i++)
		json_builder_add_string_value(b, info->irqs->pdata[i]);
	json_builder_end_array(b);
	if (info->status == SOC_NODE_CPU_PART)
		add_str(b, "part-of", info->owner_cpu ? info->owner_cpu->path : NULL);
	if (info->note)
		add_str(b, "note", info->note);
	json_builder_end_object(b);
}

static void add_cluster(JsonBuilder *b, const SocCluster *c)
{
	json_builder_begin_object(b);
	add_str(b, "name", c->name);
	add_str(b, "path", c->path);
	add_str(b, "address-space", soc_as_name(c->as));
	json_builder_set_member_name(b, "cpus");
	json_builder_begin_array(b);
	for (guint i = 0; i < c->cpus->len; i++) {
		const SocCpu *cpu = c->cpus->pdata[i];
		json_builder_begin_object(b);
		add_str(b, "path", cpu->path);
		add_str(b, "model", cpu->cls->name);
		json_builder_set_member_name(b, "clock-frequency");
		json_builder_add_int_value(b, (gint64)cpu->clock_hz);
		add_str(b, "state", cpu_state_names[cpu->state]);
		json_builder_set_member_name(b, "instructions");
		json_builder_add_int_value(b, (gint64)cpu->insns);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "unmodelled-cpus");
	json_builder_begin_array(b);
	for (guint i = 0; i < c->cpu_notes->len; i++)
		json_builder_add_string_value(b, c->cpu_notes->pdata[i]);
	json_builder_end_array(b);
	add_str(b, "image", c->image_note);
	json_builder_set_member_name(b, "address-map");
	if (!c->map) {
		json_builder_add_null_value(b);
	} else {
		json_builder_begin_array(b);
		for (guint i = 0; i < c->map->len; i++) {
			const SocMapEntry *e = &g_array_index(c->map, SocMapEntry, i);
			json_builder_begin_object(b);
			add_hex(b, "cluster-base", e->cluster_base);
			add_hex(b, "base", e->base);
			add_hex(b, "size", e->size);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
	}
	json_builder_end_object(b);
}

static void add_address_space(JsonBuilder *b, const SocAddressSpace *as)
{
	json_builder_begin_object(b);
	add_str(b, "name", soc_as_name(as));
	json_builder_set_member_name(b, "windows");
	json_builder_begin_array(b);
	for (unsigned k = 0; k < soc_as_window_count(as); k++) {
		const SocWindow *w = soc_as_window(as, k);
		json_builder_begin_object(b);
		add_hex(b, "base", w->base);
		add_hex(b, "size", w->size);
		add_str(b, "kind", window_kind_names[w->kind]);
		add_str(b, "node", w->owner);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
}

JsonNode *soc_machine_report(const SocMachine *m)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	add_str(b, "socemu", PACKAGE_VERSION);
	add_str(b, "tree", soc_tree_origin(m->tree));
	json_builder_set_member_name(b, "timebase-frequency");
	json_builder_add_int_value(b, (gint64)m->timebase_hz);
	json_builder_set_member_name(b, "clusters");
	json_builder_begin_array(b);
	for (guint i = 0; i < m->clusters->len; i++)
		add_cluster(b, m->clusters->pdata[i]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "address-spaces");
	json_builder_begin_array(b);
	for (guint i = 0; i < m->clusters->len; i++)
		add_address_space(b, ((SocCluster *)m->clusters->pdata[i])->as);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "nodes");
	json_builder_begin_array(b);
	for (guint i = 0; i < m->nodes->len; i++)
		add_node(b, m, m->nodes->pdata[i]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "warnings");
	json_builder_begin_array(b);
	for (guint i = 0; i < m->warnings->len; i++)
		json_builder_add_string_value(b, m->warnings->pdata[i]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "consoles");
	json_builder_begin_array(b);
	for (guint i = 0; i < m->devices->len; i++) {
		const SocDevice *dev = m->devices->pdata[i];
		if (!dev->chr)
			continue;
		json_builder_begin_object(b);
		add_str(b, "node", dev->path);
		add_str(b, "backend", soc_chardev_describe(dev->chr));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}
