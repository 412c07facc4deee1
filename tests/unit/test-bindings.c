/* tests/unit/test-bindings.c — the binding documents (bindings/<model>.yaml) kept in step with
 * the device models.
 *
 * For every class the registry has: its binding exists, parses, and agrees with the class
 * (model, compatible strings and their order, device type, irq outputs, character backend,
 * register access sizes, interrupt cells, every property with type, default, required flag
 * and range, nothing undocumented); its example compiles with dtc and builds into a machine
 * that has an instance of the model. Every binding belongs to a class and is installed.
 * The checker itself is tried on broken documents for a made-up class, so that it can be
 * seen to fail. The schema is described in bindings/README.md. */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <libfdt.h>
#include <stdarg.h>
#include <string.h>
#include <yaml.h>

#include "core/device.h"
#include "core/error.h"
#include "core/log.h"
#include "core/machine.h"
#include "core/tree.h"

static char *tmpdir;

/* ---- documents ---------------------------------------------------------------------------- */

typedef struct {
	const char *file;          /* as messages show it: "bindings/<model>.yaml" */
	yaml_document_t doc;
	bool loaded;
	GPtrArray *problems;       /* char *, "file:line: field: what is wrong" */
} Binding;

static void binding_init(Binding *b, const char *file)
{
	memset(b, 0, sizeof(*b));
	b->file = file;
	b->problems = g_ptr_array_new_with_free_func(g_free);
}

static void binding_clear(Binding *b)
{
	if (b->loaded)
		yaml_document_delete(&b->doc);
	b->loaded = false;
	g_ptr_array_free(b->problems, TRUE);
	b->problems = NULL;
}

static void problem_at_line(Binding *b, size_t line, const char *field, const char *fmt, va_list ap)
{
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);

	if (line)
		g_ptr_array_add(b->problems, g_strdup_printf("%s:%zu: %s: %s", b->file, line, field, msg));
	else
		g_ptr_array_add(b->problems, g_strdup_printf("%s: %s: %s", b->file, field, msg));
}

/* A problem at a node of the document (NULL: the file as a whole). */
static void G_GNUC_PRINTF(4, 5) problem(Binding *b, const yaml_node_t *at, const char *field,
                                        const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	problem_at_line(b, at ? at->start_mark.line + 1 : 0, field, fmt, ap);
	va_end(ap);
}

static bool binding_parse(Binding *b, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	bool ok;

	if (!yaml_parser_initialize(&parser))
		g_error("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	ok = yaml_parser_load(&parser, &b->doc);
	if (!ok) {
		g_ptr_array_add(b->problems, g_strdup_printf("%s:%zu:%zu: YAML: %s%s%s", b->file,
		                parser.problem_mark.line + 1, parser.problem_mark.column + 1,
		                parser.problem ? parser.problem : "syntax error",
		                parser.context ? " " : "", parser.context ? parser.context : ""));
		yaml_parser_delete(&parser);
		return false;
	}
	b->loaded = true;
	if (!yaml_document_get_root_node(&b->doc)) {
		problem(b, NULL, "document", "the file is empty");
		yaml_parser_delete(&parser);
		return false;
	}
	/* One document per file: a second one would go unchecked. */
	if (yaml_parser_load(&parser, &extra)) {
		if (yaml_document_get_root_node(&extra))
			problem(b, NULL, "document", "more than one YAML document in the file");
		yaml_document_delete(&extra);
	}
	yaml_parser_delete(&parser);
	return true;
}

static yaml_node_t *node_at(Binding *b, int index)
{
	return yaml_document_get_node(&b->doc, index);
}

static bool scalar_is(const yaml_node_t *n, const char *s)
{
	return n && n->type == YAML_SCALAR_NODE && n->data.scalar.length == strlen(s) &&
	       !memcmp(n->data.scalar.value, s, n->data.scalar.length);
}

static const char *scalar_text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool is_plain(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static bool is_null(const yaml_node_t *n)
{
	return is_plain(n) && (n->data.scalar.length == 0 || scalar_is(n, "~") || scalar_is(n, "null"));
}

static yaml_node_t *map_get(Binding *b, const yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
		if (scalar_is(node_at(b, p->key), key))
			return node_at(b, p->value);
	return NULL;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

/* Unknown and repeated keys of a mapping: a misspelt key must not pass for documentation. */
static void check_keys(Binding *b, const yaml_node_t *map, const char *field, const char *const *allowed)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(b, p->key);
		if (!k || k->type != YAML_SCALAR_NODE) {
			problem(b, k, field, "keys must be plain strings");
			continue;
		}
		if (allowed && !in_list(scalar_text(k), allowed))
			problem(b, k, field, "unknown key '%s'", scalar_text(k));
		for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
			yaml_node_t *prev = node_at(b, q->key);
			if (prev && prev->type == YAML_SCALAR_NODE && scalar_is(k, scalar_text(prev))) {
				problem(b, k, field, "key '%s' appears twice", scalar_text(k));
				break;
			}
		}
	}
}

static bool expect_type(Binding *b, const yaml_node_t *n, yaml_node_type_t type, const char *field)
{
	static const char *const names[] = {
		[YAML_SCALAR_NODE] = "a scalar", [YAML_SEQUENCE_NODE] = "a list",
		[YAML_MAPPING_NODE] = "a mapping",
	};
	if (n->type != type) {
		problem(b, n, field, "expected %s", names[type]);
		return false;
	}
	return true;
}

static bool get_u64(Binding *b, const yaml_node_t *n, const char *field, uint64_t *out)
{
	const char *s;
	char *end;

	if (!is_plain(n) || n->data.scalar.length == 0 || !g_ascii_isdigit(scalar_text(n)[0])) {
		problem(b, n, field, "expected a number (decimal or 0x hex)");
		return false;
	}
	s = scalar_text(n);
	errno = 0;
	*out = g_ascii_strtoull(s, &end, 0);
	if (errno || *end || (size_t)(end - s) != n->data.scalar.length) {
		problem(b, n, field, "'%s' is not a number that fits 64 bits", s);
		return false;
	}
	return true;
}

static bool get_bool(Binding *b, const yaml_node_t *n, const char *field, bool *out)
{
	if (is_plain(n) && scalar_is(n, "true")) {
		*out = true;
		return true;
	}
	if (is_plain(n) && scalar_is(n, "false")) {
		*out = false;
		return true;
	}
	problem(b, n, field, "expected true or false");
	return false;
}

/* A non-empty string, or NULL after a problem. */
static const char *get_text(Binding *b, const yaml_node_t *n, const char *field)
{
	if (!expect_type(b, n, YAML_SCALAR_NODE, field))
		return NULL;
	for (size_t i = 0; !is_null(n) && i < n->data.scalar.length; i++)
		if (!g_ascii_isspace(scalar_text(n)[i]))
			return scalar_text(n);
	problem(b, n, field, "must not be empty");
	return NULL;
}

/* ---- checks against the class ------------------------------------------------------------- */

static const char *const prop_type_names[] = {
	[SOC_PROP_TYPE_U32] = "u32", [SOC_PROP_TYPE_U64] = "u64", [SOC_PROP_TYPE_BOOL] = "bool",
	[SOC_PROP_TYPE_STRING] = "string", [SOC_PROP_TYPE_PHANDLE] = "phandle",
};

/* Types only a standard property (one the class's table lacks) may have. */
static const char *const standard_only_types[] = { "u32-array", "string-list", "phandle-array", NULL };

/* Properties every node may carry without its binding listing them (bindings/README.md). */
static const char *const generic_props[] = {
	"compatible", "reg", "interrupts", "interrupts-extended", "interrupt-parent", "status",
	"phandle", "linux,phandle", "device_type", "#address-cells", "#size-cells", "ranges",
	"reg-names", "interrupt-names", "label", "#interrupt-cells", "interrupt-controller", NULL
};

static char *join_strv(const char *const *v)
{
	GString *s = g_string_new("[");
	for (unsigned i = 0; v && v[i]; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", v[i]);
	g_string_append_c(s, ']');
	return g_string_free(s, FALSE);
}

static void check_compatible(Binding *b, const SocDeviceClass *cls, const yaml_node_t *root)
{
	yaml_node_t *n = map_get(b, root, "compatible");
	g_autoptr(GPtrArray) listed = g_ptr_array_new();
	g_autofree char *want = NULL, *have = NULL;
	bool same = true;
	unsigned count = 0;

	if (!cls->compatible || !cls->compatible[0]) {
		if (n)
			problem(b, n, "compatible", "the class has no compatible strings (it is matched by device_type)");
		return;
	}
	if (!n) {
		problem(b, NULL, "compatible", "missing; the class has %s",
		        (want = join_strv(cls->compatible)));
		return;
	}
	if (!expect_type(b, n, YAML_SEQUENCE_NODE, "compatible"))
		return;
	for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
		yaml_node_t *item = node_at(b, *i);
		if (!expect_type(b, item, YAML_SCALAR_NODE, "compatible"))
			return;
		g_ptr_array_add(listed, (char *)scalar_text(item));
	}
	while (cls->compatible[count])
		count++;
	same = listed->len == count;
	for (unsigned i = 0; same && i < count; i++)
		same = !strcmp(listed->pdata[i], cls->compatible[i]);
	if (!same) {
		g_ptr_array_add(listed, NULL);
		problem(b, n, "compatible", "%s, the class has %s (same strings, same order)",
		        (have = join_strv((const char *const *)listed->pdata)),
		        (want = join_strv(cls->compatible)));
	}
}

static void check_device_type(Binding *b, const SocDeviceClass *cls, const yaml_node_t *root)
{
	yaml_node_t *n = map_get(b, root, "device-type");

	if (!cls->device_type) {
		if (n)
			problem(b, n, "device-type", "the class is not matched by device_type");
		return;
	}
	if (!n) {
		problem(b, NULL, "device-type", "missing; the class is matched by device_type \"%s\"",
		        cls->device_type);
		return;
	}
	if (expect_type(b, n, YAML_SCALAR_NODE, "device-type") && !scalar_is(n, cls->device_type))
		problem(b, n, "device-type", "\"%s\", the class has \"%s\"", scalar_text(n), cls->device_type);
}

/* items: a list of { description, name? } mappings; returns how many, or -1. */
static int check_items(Binding *b, const yaml_node_t *n, const char *field)
{
	static const char *const keys[] = { "description", "name", NULL };
	int count = 0;

	if (!expect_type(b, n, YAML_SEQUENCE_NODE, field))
		return -1;
	for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
		yaml_node_t *item = node_at(b, *i);
		yaml_node_t *d;
		count++;
		if (!expect_type(b, item, YAML_MAPPING_NODE, field))
			continue;
		check_keys(b, item, field, keys);
		d = map_get(b, item, "description");
		if (!d)
			problem(b, item, field, "item %d has no description", count - 1);
		else
			get_text(b, d, field);
	}
	return count;
}

static void check_reg(Binding *b, const SocDeviceClass *cls, const yaml_node_t *root)
{
	static const char *const keys[] = { "min", "max", "access-sizes", "items", NULL };
	yaml_node_t *n = map_get(b, root, "reg");
	yaml_node_t *min_n, *max_n, *sizes_n, *items_n;
	uint64_t min = 0, max = 0;
	bool has_max = false;

	if (!n) {
		problem(b, NULL, "reg", "missing (write min: 0 and max: 0 for a node without reg)");
		return;
	}
	if (!expect_type(b, n, YAML_MAPPING_NODE, "reg"))
		return;
	check_keys(b, n, "reg", keys);
	min_n = map_get(b, n, "min");
	max_n = map_get(b, n, "max");
	sizes_n = map_get(b, n, "access-sizes");
	items_n = map_get(b, n, "items");
	if (!min_n)
		problem(b, n, "reg.min", "missing");
	else
		get_u64(b, min_n, "reg.min", &min);
	if (max_n && get_u64(b, max_n, "reg.max", &max)) {
		has_max = true;
		if (max < min)
			problem(b, max_n, "reg.max", "%" G_GUINT64_FORMAT " is below min %" G_GUINT64_FORMAT, max, min);
	}
	if (has_max && max == 0) {
		if (items_n)
			problem(b, items_n, "reg.items", "a node without reg has no items");
	} else if (!items_n) {
		problem(b, n, "reg.items", "missing: say what each reg entry is");
	} else {
		check_items(b, items_n, "reg.items");
	}

	if (!cls->mmio) {
		if (sizes_n)
			problem(b, sizes_n, "reg.access-sizes",
			        "the class has no register table for all windows (mmio is NULL); describe "
			        "access sizes in the items instead");
		return;
	}
	if (!sizes_n) {
		problem(b, n, "reg.access-sizes", "missing; the class's registers accept the size mask 0x%x",
		        cls->mmio->sizes);
		return;
	}
	if (expect_type(b, sizes_n, YAML_SEQUENCE_NODE, "reg.access-sizes")) {
		unsigned mask = 0;
		bool ok = true;
		for (yaml_node_item_t *i = sizes_n->data.sequence.items.start; i < sizes_n->data.sequence.items.top; i++) {
			yaml_node_t *item = node_at(b, *i);
			uint64_t v;
			if (!get_u64(b, item, "reg.access-sizes", &v)) {
				ok = false;
			} else if (v != 1 && v != 2 && v != 4 && v != 8) {
				problem(b, item, "reg.access-sizes", "%" G_GUINT64_FORMAT " is not 1, 2, 4 or 8", v);
				ok = false;
			} else {
				mask |= (unsigned)v;
			}
		}
		if (ok && mask != cls->mmio->sizes) {
			GString *want = g_string_new(NULL);
			for (unsigned s = 1; s <= 8; s <<= 1)
				if (cls->mmio->sizes & s)
					g_string_append_printf(want, "%s%u", want->len ? ", " : "", s);
			problem(b, sizes_n, "reg.access-sizes", "the class's registers accept [%s]", want->str);
			g_string_free(want, TRUE);
		}
	}
}

static void check_interrupts(Binding *b, const SocDeviceClass *cls, const yaml_node_t *root)
{
	static const char *const keys[] = { "outputs", "items", "description", NULL };
	yaml_node_t *n = map_get(b, root, "interrupts");
	yaml_node_t *out_n, *items_n, *desc_n;
	uint64_t outputs;

	if (!n) {
		problem(b, NULL, "interrupts", "missing (write outputs: 0 for a model without irqs)");
		return;
	}
	if (!expect_type(b, n, YAML_MAPPING_NODE, "interrupts"))
		return;
	check_keys(b, n, "interrupts", keys);
	out_n = map_get(b, n, "outputs");
	items_n = map_get(b, n, "items");
	desc_n = map_get(b, n, "description");
	if (desc_n)
		get_text(b, desc_n, "interrupts.description");
	if (!out_n) {
		problem(b, n, "interrupts.outputs", "missing; the class has %u", cls->n_irq_outputs);
		return;
	}
	if (!get_u64(b, out_n, "interrupts.outputs", &outputs))
		return;
	if (outputs != cls->n_irq_outputs)
		problem(b, out_n, "interrupts.outputs", "%" G_GUINT64_FORMAT ", the class has n_irq_outputs = %u",
		        outputs, cls->n_irq_outputs);
	if (items_n) {
		int count = check_items(b, items_n, "interrupts.items");
		if (count >= 0 && (uint64_t)count < outputs)
			problem(b, items_n, "interrupts.items", "%d items for %" G_GUINT64_FORMAT " outputs", count, outputs);
	} else if (outputs > 0 && !desc_n) {
		problem(b, n, "interrupts.items", "missing: say what each output signals");
	}
}

static void check_interrupt_controller(Binding *b, const SocDeviceClass *cls, const yaml_node_t *root)
{
	static const char *const keys[] = { "#interrupt-cells", "specifier", "inputs", NULL };
	yaml_node_t *n = map_get(b, root, "interrupt-controller");
	bool controller = cls->interrupt_cells > 0 || cls->irq_xlate;
	yaml_node_t *cells_n, *spec_n, *inputs_n;
	uint64_t cells;

	if (!controller) {
		if (n)
			problem(b, n, "interrupt-controller", "the class is not an interrupt controller");
		return;
	}
	if (!n) {
		problem(b, NULL, "interrupt-controller", "missing; the class decodes %u-cell specifiers",
		        cls->interrupt_cells);
		return;
	}
	if (!expect_type(b, n, YAML_MAPPING_NODE, "interrupt-controller"))
		return;
	check_keys(b, n, "interrupt-controller", keys);
	cells_n = map_get(b, n, "#interrupt-cells");
	spec_n = map_get(b, n, "specifier");
	inputs_n = map_get(b, n, "inputs");
	if (!cells_n)
		problem(b, n, "interrupt-controller.#interrupt-cells", "missing; the class has %u", cls->interrupt_cells);
	else if (get_u64(b, cells_n, "interrupt-controller.#interrupt-cells", &cells) && cells != cls->interrupt_cells)
		problem(b, cells_n, "interrupt-controller.#interrupt-cells", "%" G_GUINT64_FORMAT ", the class has %u",
		        cells, cls->interrupt_cells);
	if (!spec_n)
		problem(b, n, "interrupt-controller.specifier", "missing: say what each cell means");
	else
		get_text(b, spec_n, "interrupt-controller.specifier");
	if (inputs_n)
		get_text(b, inputs_n, "interrupt-controller.inputs");
}

static void check_chardev(Binding *b, const SocDeviceClass *cls, const yaml_node_t *root)
{
	yaml_node_t *n = map_get(b, root, "character-backend");
	bool v = false;

	if (n && !get_bool(b, n, "character-backend", &v))
		return;
	if (v != cls->uses_chardev)
		problem(b, n, "character-backend", "%s, the class has uses_chardev = %s", v ? "true" : "false",
		        cls->uses_chardev ? "true" : "false");
}

static const SocPropDesc *class_prop(const SocDeviceClass *cls, const char *name)
{
	for (const SocPropDesc *p = cls->props; p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static void check_default(Binding *b, const SocPropDesc *p, const yaml_node_t *entry, const char *field)
{
	yaml_node_t *n = map_get(b, entry, "default");
	bool has_default = !p->required && p->type != SOC_PROP_TYPE_PHANDLE &&
	                   (p->type != SOC_PROP_TYPE_STRING || p->def_str);
	uint64_t v;
	bool bv;

	if (!has_default) {
		if (n)
			problem(b, n, field, "the class has no default for %s (%s)", p->name,
			        p->required ? "required" : p->type == SOC_PROP_TYPE_PHANDLE ? "a phandle" : "NULL");
		return;
	}
	if (!n) {
		g_autofree char *want = p->type == SOC_PROP_TYPE_BOOL ? g_strdup(p->def ? "true" : "false")
		                        : p->type == SOC_PROP_TYPE_STRING ? g_strdup_printf("\"%s\"", p->def_str)
		                        : g_strdup_printf("%" G_GUINT64_FORMAT, p->def);
		problem(b, entry, field, "missing; the class's default is %s", want);
		return;
	}
	switch (p->type) {
	case SOC_PROP_TYPE_U32:
	case SOC_PROP_TYPE_U64:
		if (get_u64(b, n, field, &v) && v != p->def)
			problem(b, n, field, "%s (%" G_GUINT64_FORMAT "), the class's default is %" G_GUINT64_FORMAT
			        " (0x%" G_GINT64_MODIFIER "x)", scalar_text(n), v, p->def, p->def);
		break;
	case SOC_PROP_TYPE_BOOL:
		if (get_bool(b, n, field, &bv) && bv != (p->def != 0))
			problem(b, n, field, "%s, the class's default is %s", bv ? "true" : "false",
			        p->def ? "true" : "false");
		break;
	case SOC_PROP_TYPE_STRING:
		if (expect_type(b, n, YAML_SCALAR_NODE, field) && strcmp(scalar_text(n), p->def_str))
			problem(b, n, field, "\"%s\", the class's default is \"%s\"", scalar_text(n), p->def_str);
		break;
	case SOC_PROP_TYPE_PHANDLE:
		break;
	}
}

static void check_range(Binding *b, const SocPropDesc *p, const yaml_node_t *entry, const char *field)
{
	yaml_node_t *n = map_get(b, entry, "range");
	bool has_range = p->min || p->max;
	bool numeric = p->type == SOC_PROP_TYPE_U32 || p->type == SOC_PROP_TYPE_U64;
	yaml_node_t *lo_n, *hi_n;
	uint64_t lo, hi = 0;

	if (!numeric || !has_range) {
		if (n)
			problem(b, n, field, "the class checks no range for %s", p->name);
		return;
	}
	if (!n) {
		if (p->max)
			problem(b, entry, field, "missing; the class accepts [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "]",
			        p->min, p->max);
		else
			problem(b, entry, field, "missing; the class accepts [%" G_GUINT64_FORMAT ", ~]", p->min);
		return;
	}
	if (!expect_type(b, n, YAML_SEQUENCE_NODE, field))
		return;
	if (n->data.sequence.items.top - n->data.sequence.items.start != 2) {
		problem(b, n, field, "expected [min, max]");
		return;
	}
	lo_n = node_at(b, n->data.sequence.items.start[0]);
	hi_n = node_at(b, n->data.sequence.items.start[1]);
	if (!get_u64(b, lo_n, field, &lo))
		return;
	if (!is_null(hi_n) && !get_u64(b, hi_n, field, &hi))
		return;
	if (!is_null(hi_n) && hi == 0) {
		problem(b, hi_n, field, "write ~ for no upper limit");
		return;
	}
	if (lo != p->min || hi != p->max) {
		if (p->max)
			problem(b, n, field, "the class accepts [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "]", p->min, p->max);
		else
			problem(b, n, field, "the class accepts [%" G_GUINT64_FORMAT ", ~]", p->min);
	}
}

static void check_property(Binding *b, const SocDeviceClass *cls, const yaml_node_t *key,
                           const yaml_node_t *entry)
{
	static const char *const keys[] = {
		"type", "default", "required", "range", "standard", "description", NULL
	};
	const char *name = scalar_text(key);
	const SocPropDesc *p = class_prop(cls, name);
	g_autofree char *field = g_strdup_printf("properties.%s", name);
	g_autofree char *f_type = g_strdup_printf("%s.type", field);
	g_autofree char *f_std = g_strdup_printf("%s.standard", field);
	g_autofree char *f_req = g_strdup_printf("%s.required", field);
	g_autofree char *f_def = g_strdup_printf("%s.default", field);
	g_autofree char *f_range = g_strdup_printf("%s.range", field);
	g_autofree char *f_desc = g_strdup_printf("%s.description", field);
	yaml_node_t *type_n, *std_n, *req_n, *desc_n;
	bool standard = false, required = false;

	if (!expect_type(b, entry, YAML_MAPPING_NODE, field))
		return;
	check_keys(b, entry, field, keys);
	type_n = map_get(b, entry, "type");
	std_n = map_get(b, entry, "standard");
	req_n = map_get(b, entry, "required");
	desc_n = map_get(b, entry, "description");
	if (std_n)
		get_bool(b, std_n, f_std, &standard);
	if (!desc_n)
		problem(b, entry, f_desc, "missing: say what the property does in socemu");
	else
		get_text(b, desc_n, f_desc);
	if (!type_n) {
		problem(b, entry, f_type, "missing");
	} else if (expect_type(b, type_n, YAML_SCALAR_NODE, f_type)) {
		bool known = in_list(scalar_text(type_n), standard_only_types);
		for (unsigned t = 0; t < G_N_ELEMENTS(prop_type_names); t++)
			known = known || !strcmp(scalar_text(type_n), prop_type_names[t]);
		if (!known)
			problem(b, type_n, f_type, "unknown type '%s' (u32, u64, bool, string, phandle; standard "
			        "properties also u32-array, string-list, phandle-array)", scalar_text(type_n));
		else if (p && strcmp(scalar_text(type_n), prop_type_names[p->type]))
			problem(b, type_n, f_type, "%s, the class has %s", scalar_text(type_n), prop_type_names[p->type]);
	}

	if (!p) {
		if (in_list(name, generic_props))
			problem(b, key, field, "a generic property; bindings do not list it (see README.md)");
		else if (!standard)
			problem(b, key, field, "the class has no such property; mark it 'standard: true' if it is "
			        "one socemu accepts without using, or remove it");
		if (map_get(b, entry, "default") || req_n || map_get(b, entry, "range"))
			problem(b, key, field, "default, required and range belong to the class's own properties");
		return;
	}
	if (standard)
		problem(b, std_n, f_std, "%s is in the class's property table, so it is not standard", name);
	if (req_n)
		get_bool(b, req_n, f_req, &required);
	if (required != p->required)
		problem(b, req_n ? req_n : entry, f_req, "%s, the class has required = %s",
		        required ? "true" : "false", p->required ? "true" : "false");
	check_default(b, p, entry, f_def);
	check_range(b, p, entry, f_range);
}

static void check_properties(Binding *b, const SocDeviceClass *cls, const yaml_node_t *root)
{
	yaml_node_t *n = map_get(b, root, "properties");

	if (!n) {
		problem(b, NULL, "properties", "missing (write properties: {} when there are none)");
		return;
	}
	if (!expect_type(b, n, YAML_MAPPING_NODE, "properties"))
		return;
	check_keys(b, n, "properties", NULL);
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(b, p->key);
		if (k && k->type == YAML_SCALAR_NODE)
			check_property(b, cls, k, node_at(b, p->value));
	}
	for (const SocPropDesc *p = cls->props; p && p->name; p++)
		if (!map_get(b, n, p->name))
			problem(b, n, "properties", "the class's property '%s' (%s) is not documented", p->name,
			        prop_type_names[p->type]);
}

/* Everything but the example. */
static void check_fields(Binding *b, const SocDeviceClass *cls)
{
	static const char *const keys[] = {
		"model", "compatible", "device-type", "references", "description", "reg", "interrupts",
		"interrupt-controller", "character-backend", "properties", "example", NULL
	};
	yaml_node_t *root = yaml_document_get_root_node(&b->doc);
	yaml_node_t *n;

	if (!expect_type(b, root, YAML_MAPPING_NODE, "document"))
		return;
	check_keys(b, root, "document", keys);

	n = map_get(b, root, "model");
	if (!n)
		problem(b, NULL, "model", "missing; the class is \"%s\"", cls->name);
	else if (expect_type(b, n, YAML_SCALAR_NODE, "model") && !scalar_is(n, cls->name))
		problem(b, n, "model", "\"%s\", the class is \"%s\"", scalar_text(n), cls->name);

	check_compatible(b, cls, root);
	check_device_type(b, cls, root);

	n = map_get(b, root, "references");
	if (n && expect_type(b, n, YAML_SEQUENCE_NODE, "references"))
		for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++)
			get_text(b, node_at(b, *i), "references");

	n = map_get(b, root, "description");
	if (!n)
		problem(b, NULL, "description", "missing");
	else
		get_text(b, n, "description");

	check_reg(b, cls, root);
	check_interrupts(b, cls, root);
	check_interrupt_controller(b, cls, root);
	check_chardev(b, cls, root);
	check_properties(b, cls, root);
	if (!map_get(b, root, "example"))
		problem(b, NULL, "example", "missing");
}

/* ---- the example -------------------------------------------------------------------------- */

static const char *dtc_path(void)
{
	const char *d = g_getenv("DTC");

	return (d && *d) ? d : "dtc";
}

/* The nodes of the example that the registry gives to this class use only documented
 * properties; returns their paths. */
static GPtrArray *example_nodes(Binding *b, const SocDeviceClass *cls, const void *fdt,
                                const yaml_node_t *props, const yaml_node_t *ex)
{
	GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
	int node, depth = 0, prop;

	for (node = fdt_next_node(fdt, -1, &depth); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		char path[256];
		if (soc_device_class_for_node(fdt, node) != cls)
			continue;
		if (fdt_get_path(fdt, node, path, sizeof(path)) < 0)
			g_strlcpy(path, "(path too long)", sizeof(path));
		g_ptr_array_add(paths, g_strdup(path));
		fdt_for_each_property_offset(prop, fdt, node) {
			const char *name;
			if (!fdt_getprop_by_offset(fdt, prop, &name, NULL))
				continue;
			if (!in_list(name, generic_props) && !map_get(b, props, name))
				problem(b, ex, "example", "%s: property '%s' is not in the binding's properties", path, name);
		}
	}
	return paths;
}

/* Compile the example inside a minimal tree with dtc (errors point into the binding file),
 * then build a machine from it: it must hold an instance of the class. */
static void check_example(Binding *b, const SocDeviceClass *cls)
{
	yaml_node_t *root = yaml_document_get_root_node(&b->doc);
	yaml_node_t *ex = map_get(b, root, "example");
	yaml_node_t *props = map_get(b, root, "properties");
	g_autofree char *base = NULL, *srcdir = NULL, *src = NULL, *rel = NULL, *dtb = NULL;
	g_autofree char *out = NULL, *errs = NULL, *blob = NULL;
	g_autoptr(GString) dts = g_string_new("/dts-v1/; / { #address-cells = <1>; #size-cells = <1>;");
	g_autoptr(GPtrArray) paths = NULL;
	GError *err = NULL;
	int status = 0;
	size_t first_line, blob_len = 0;
	SocTree *tree;
	SocMachine *m;
	SocLog *log;

	if (!ex || !expect_type(b, ex, YAML_SCALAR_NODE, "example"))
		return;
	if (ex->data.scalar.style != YAML_LITERAL_SCALAR_STYLE) {
		problem(b, ex, "example", "write it as a literal block (example: |) so that dtc's line numbers "
		        "point into this file");
		return;
	}
	/* Pad so that the example's first line has the number it has in the binding: a literal
	 * block's text starts on the line after its indicator. */
	first_line = ex->start_mark.line + 2;
	for (size_t l = 1; l < first_line; l++)
		g_string_append_c(dts, '\n');
	g_string_append_len(dts, scalar_text(ex), (gssize)ex->data.scalar.length);
	g_string_append(dts, "\n};\n");

	base = g_path_get_basename(b->file);
	srcdir = g_build_filename(tmpdir, "bindings", NULL);
	g_assert_cmpint(g_mkdir_with_parents(srcdir, 0700), ==, 0);
	src = g_build_filename(srcdir, base, NULL);
	rel = g_build_filename("bindings", base, NULL);
	dtb = g_strdup_printf("%s/%s.dtb", tmpdir, base);
	g_assert_true(g_file_set_contents(src, dts->str, (gssize)dts->len, NULL));
	{
		const char *argv[] = { dtc_path(), "-I", "dts", "-O", "dtb", "-o", dtb, rel, NULL };
		if (!g_spawn_sync(tmpdir, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &errs,
		                  &status, &err)) {
			problem(b, ex, "example", "cannot run %s: %s", dtc_path(), err->message);
			g_error_free(err);
			goto out;
		}
	}
	if (!g_spawn_check_wait_status(status, NULL)) {
		problem(b, ex, "example", "dtc rejects it:\n%s", errs);
		goto out;
	}
	if (errs && *errs) {
		problem(b, ex, "example", "dtc warns:\n%s", errs);
		goto out;
	}
	g_assert_true(g_file_get_contents(dtb, &blob, &blob_len, NULL));

	tree = soc_tree_new_from_blob(blob, blob_len, b->file, &err);
	if (!tree) {
		problem(b, ex, "example", "the compiled example is not a valid tree: %s", err->message);
		g_error_free(err);
		goto out;
	}
	paths = example_nodes(b, cls, soc_tree_blob(tree), props, ex);
	if (paths->len == 0) {
		problem(b, ex, "example", "no node of the example is matched to model %s", cls->name);
		soc_tree_free(tree);
		goto out;
	}
	log = soc_log_new();
	g_assert_true(soc_log_set_categories(log, "none", NULL));
	{
		SocMachineConfig cfg = { .log = log };
		m = soc_machine_build(tree, &cfg, &err);
	}
	if (!m) {
		problem(b, ex, "example", "socemu cannot build it: %s", err->message);
		g_error_free(err);
	} else {
		for (guint i = 0; i < paths->len; i++) {
			SocDevice *dev = soc_machine_find_device(m, paths->pdata[i]);
			if (!dev || dev->cls != cls)
				problem(b, ex, "example", "%s: no instance of %s in the built machine",
				        (char *)paths->pdata[i], cls->name);
		}
		soc_machine_free(m);
	}
	soc_log_free(log);
out:
	g_unlink(src);
	g_unlink(dtb);
}

/* Parse and check one document; the problems are left in b->problems. */
static void check_binding_text(Binding *b, const SocDeviceClass *cls, const char *text, size_t len,
                               bool with_example)
{
	if (!binding_parse(b, text, len))
		return;
	check_fields(b, cls);
	if (with_example)
		check_example(b, cls);
}

/* Every problem as a TAP comment; the failure itself stays on one line for the TAP driver. */
static void report_problems(const GPtrArray *problems)
{
	const char *first;

	if (problems->len == 0)
		return;
	for (guint i = 0; i < problems->len; i++)
		g_test_message("%s", (const char *)problems->pdata[i]);
	first = problems->pdata[0];
	g_test_fail_printf("%u problem(s), listed above; the first: %.*s", problems->len,
	                   (int)strcspn(first, "\n"), first);
}

/* ---- the registry's classes ----------------------------------------------------------------- */

static void test_class_binding(gconstpointer data)
{
	const SocDeviceClass *cls = data;
	g_autofree char *name = g_strdup_printf("%s.yaml", cls->name);
	g_autofree char *shown = g_strdup_printf("bindings/%s", name);
	g_autofree char *path = g_test_build_filename(G_TEST_DIST, "bindings", name, NULL);
	g_autofree char *text = NULL;
	size_t len = 0;
	Binding b;

	if (!g_file_get_contents(path, &text, &len, NULL)) {
		g_test_fail_printf("%s: missing: model %s (%s) needs a binding; see bindings/README.md",
		                   shown, cls->name, cls->description ? cls->description : "");
		return;
	}
	binding_init(&b, shown);
	check_binding_text(&b, cls, text, len, true);
	report_problems(b.problems);
	binding_clear(&b);
}

static const SocDeviceClass *class_named(const char *name)
{
	for (const SocDeviceClass *const *c = soc_device_classes(); *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}

static GPtrArray *binding_files(void)
{
	g_autofree char *dir = g_test_build_filename(G_TEST_DIST, "bindings", NULL);
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *f;

	g_assert_nonnull(d);
	while ((f = g_dir_read_name(d)))
		if (g_str_has_suffix(f, ".yaml") || g_str_has_suffix(f, ".yml"))
			g_ptr_array_add(files, g_strdup(f));
	g_dir_close(d);
	return files;
}

static void test_no_stale_bindings(void)
{
	g_autoptr(GPtrArray) files = binding_files();
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);

	g_assert_cmpuint(files->len, >, 0);
	for (guint i = 0; i < files->len; i++) {
		const char *f = files->pdata[i];
		g_autofree char *model = NULL;
		if (g_str_has_suffix(f, ".yml")) {
			g_ptr_array_add(problems, g_strdup_printf("bindings/%s: name it .yaml", f));
			continue;
		}
		model = g_strndup(f, strlen(f) - strlen(".yaml"));
		if (!class_named(model))
			g_ptr_array_add(problems, g_strdup_printf("bindings/%s: no model '%s' in devices/registry.c "
			                "(a stale binding, or a misnamed one)", f, model));
	}
	report_problems(problems);
}

/* Every binding is in bindings/bindings.mk (so it is distributed and installed), and the
 * fragment names no file that does not exist. */
static void test_bindings_installed(void)
{
	g_autofree char *mk = g_test_build_filename(G_TEST_DIST, "bindings", "bindings.mk", NULL);
	g_autofree char *text = NULL;
	g_autoptr(GPtrArray) files = binding_files();
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) listed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_auto(GStrv) words = NULL;

	g_assert_true(g_file_get_contents(mk, &text, NULL, NULL));
	words = g_strsplit_set(text, " \t\n\\", -1);
	for (unsigned i = 0; words[i]; i++)
		if (g_str_has_prefix(words[i], "bindings/") && g_str_has_suffix(words[i], ".yaml"))
			g_hash_table_add(listed, g_strdup(words[i] + strlen("bindings/")));
	for (guint i = 0; i < files->len; i++)
		if (!g_hash_table_contains(listed, files->pdata[i]))
			g_ptr_array_add(problems, g_strdup_printf("bindings/bindings.mk: bindings/%s is not listed "
			                "(it would be neither distributed nor installed)", (char *)files->pdata[i]));
	{
		GHashTableIter it;
		gpointer key;
		g_hash_table_iter_init(&it, listed);
		while (g_hash_table_iter_next(&it, &key, NULL)) {
			gboolean found = FALSE;
			for (guint i = 0; i < files->len && !found; i++)
				found = !strcmp(files->pdata[i], key);
			if (!found)
				g_ptr_array_add(problems, g_strdup_printf("bindings/bindings.mk: lists bindings/%s, "
				                "which does not exist", (char *)key));
		}
	}
	report_problems(problems);
}

/* One binding per name and one model per compatible string: otherwise a document (or the
 * registry's first-match rule) would silently describe the wrong model. */
static void test_names_unique(void)
{
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) compats = g_hash_table_new(g_str_hash, g_str_equal);

	for (const SocDeviceClass *const *c = soc_device_classes(); *c; c++) {
		const SocDeviceClass *other = g_hash_table_lookup(names, (*c)->name);
		if (!(*c)->name || !(*c)->name[0]) {
			g_ptr_array_add(problems, g_strdup("a class without a name"));
			continue;
		}
		if (other)
			g_ptr_array_add(problems, g_strdup_printf("two classes are called '%s'", (*c)->name));
		g_hash_table_insert(names, (gpointer)(*c)->name, (gpointer)*c);
		if (!(*c)->compatible && !(*c)->device_type)
			g_ptr_array_add(problems, g_strdup_printf("%s: neither compatible strings nor a device_type",
			                (*c)->name));
		for (const char *const *s = (*c)->compatible; s && *s; s++) {
			other = g_hash_table_lookup(compats, *s);
			if (other)
				g_ptr_array_add(problems, g_strdup_printf("\"%s\" is claimed by %s and %s", *s,
				                other->name, (*c)->name));
			else
				g_hash_table_insert(compats, (gpointer)*s, (gpointer)*c);
		}
	}
	report_problems(problems);
}

/* ---- the checker against broken documents ------------------------------------------------- */

typedef struct {
	SocDevice dev;
	uint32_t width, need;
	uint64_t base;
	bool fast;
	char *label, *peer;
} Fake;

static const SocPropDesc fake_props[] = {
	SOC_PROP_U32_RANGE("acme,width", Fake, width, 8, 1, 64),
	SOC_PROP_U64("acme,base", Fake, base, 0x1000),
	SOC_PROP_BOOL("acme,fast", Fake, fast),
	SOC_PROP_STRING("acme,label", Fake, label, "none"),
	SOC_PROP_PHANDLE("acme,peer", Fake, peer, false),
	SOC_PROP_U32_REQ("acme,need", Fake, need),
	SOC_PROP_END
};

static const SocMmioOps fake_ops = { .sizes = 4 | 8 };

static const SocDeviceClass fake_class = {
	.name = "fake",
	.compatible = (const char *const[]){ "acme,fake2", "acme,fake1", NULL },
	.description = "a class the checker is tried on",
	.instance_size = sizeof(Fake),
	.props = fake_props,
	.mmio = &fake_ops,
	.n_irq_outputs = 2,
	.uses_chardev = true,
};

static const SocDeviceClass fake_intc_class = {
	.name = "fake-intc",
	.device_type = "acme-intc",
	.description = "an interrupt controller the checker is tried on",
	.instance_size = sizeof(SocDevice),
	.interrupt_cells = 2,
};

static const char fake_good[] =
	"model: fake\n"
	"compatible: [\"acme,fake2\", \"acme,fake1\"]\n"
	"references: [\"nowhere\"]\n"
	"description: |\n"
	"  A made-up device.\n"
	"reg:\n"
	"  min: 1\n"
	"  max: 2\n"
	"  access-sizes: [4, 8]\n"
	"  items:\n"
	"    - description: registers\n"
	"    - description: more registers\n"
	"interrupts:\n"
	"  outputs: 2\n"
	"  items:\n"
	"    - description: rx\n"
	"    - description: tx\n"
	"character-backend: true\n"
	"properties:\n"
	"  acme,width:\n"
	"    type: u32\n"
	"    default: 8\n"
	"    range: [1, 64]\n"
	"    description: bus width\n"
	"  acme,base:\n"
	"    type: u64\n"
	"    default: 0x1000\n"
	"    description: base\n"
	"  acme,fast:\n"
	"    type: bool\n"
	"    default: false\n"
	"    description: go fast\n"
	"  acme,label:\n"
	"    type: string\n"
	"    default: none\n"
	"    description: a label\n"
	"  acme,peer:\n"
	"    type: phandle\n"
	"    description: a peer\n"
	"  acme,need:\n"
	"    type: u32\n"
	"    required: true\n"
	"    description: needed\n"
	"  clocks:\n"
	"    type: phandle-array\n"
	"    standard: true\n"
	"    description: ignored\n"
	"example: |\n"
	"  fake@0 { compatible = \"acme,fake2\"; reg = <0 4>; };\n";

static const char fake_intc_good[] =
	"model: fake-intc\n"
	"device-type: acme-intc\n"
	"description: A made-up interrupt controller.\n"
	"reg: { min: 0, max: 0 }\n"
	"interrupts: { outputs: 0 }\n"
	"interrupt-controller:\n"
	"  \"#interrupt-cells\": 2\n"
	"  specifier: source, then flags\n"
	"properties: {}\n"
	"example: |\n"
	"  intc { device_type = \"acme-intc\"; };\n";

typedef struct {
	const char *name;
	const SocDeviceClass *cls;
	const char *base;          /* the good document the case edits */
	const char *from, *to;     /* text replaced once */
	const char *expect;        /* a problem containing this must be reported */
} BrokenCase;

static const BrokenCase broken_cases[] = {
	{ "compatible-order", &fake_class, fake_good, "\"acme,fake2\", \"acme,fake1\"", "\"acme,fake1\", \"acme,fake2\"",
	  "compatible: [acme,fake1, acme,fake2], the class has [acme,fake2, acme,fake1]" },
	{ "compatible-missing-string", &fake_class, fake_good, "\"acme,fake2\", \"acme,fake1\"", "\"acme,fake2\"",
	  "compatible: [acme,fake2], the class has" },
	{ "model-name", &fake_class, fake_good, "model: fake\n", "model: fake3\n", ":1: model: \"fake3\"" },
	{ "device-type-on-compatible-class", &fake_class, fake_good, "model: fake\n",
	  "model: fake\ndevice-type: memory\n", "device-type: the class is not matched by device_type" },
	{ "device-type-wrong", &fake_intc_class, fake_intc_good, "device-type: acme-intc", "device-type: acme",
	  "device-type: \"acme\", the class has \"acme-intc\"" },
	{ "device-type-missing", &fake_intc_class, fake_intc_good, "device-type: acme-intc\n", "",
	  "device-type: missing" },
	{ "property-undocumented", &fake_class, fake_good,
	  "  acme,fast:\n    type: bool\n    default: false\n    description: go fast\n", "",
	  "the class's property 'acme,fast' (bool) is not documented" },
	{ "property-type", &fake_class, fake_good, "    type: u64\n", "    type: u32\n",
	  ":26: properties.acme,base.type: u32, the class has u64" },
	{ "property-type-unknown", &fake_class, fake_good, "    type: u64\n", "    type: int\n",
	  "unknown type 'int'" },
	{ "property-array-type-on-class-property", &fake_class, fake_good, "    type: u64\n",
	  "    type: u32-array\n", "u32-array, the class has u64" },
	{ "default-number", &fake_class, fake_good, "default: 0x1000", "default: 0x2000",
	  "properties.acme,base.default: 0x2000 (8192), the class's default is 4096" },
	{ "default-missing", &fake_class, fake_good, "    default: 8\n", "",
	  "properties.acme,width.default: missing" },
	{ "default-bool", &fake_class, fake_good, "default: false", "default: true",
	  "properties.acme,fast.default: true, the class's default is false" },
	{ "default-bool-spelling", &fake_class, fake_good, "default: false", "default: no",
	  "properties.acme,fast.default: expected true or false" },
	{ "default-string", &fake_class, fake_good, "default: none", "default: nothing",
	  "\"nothing\", the class's default is \"none\"" },
	{ "default-on-phandle", &fake_class, fake_good, "    type: phandle\n",
	  "    type: phandle\n    default: 0\n", "the class has no default for acme,peer (a phandle)" },
	{ "default-on-required", &fake_class, fake_good, "    required: true\n",
	  "    required: true\n    default: 1\n", "the class has no default for acme,need (required)" },
	{ "required-missing", &fake_class, fake_good, "    required: true\n", "",
	  "properties.acme,need.required: false, the class has required = true" },
	{ "required-extra", &fake_class, fake_good, "    type: phandle\n",
	  "    type: phandle\n    required: true\n", "acme,peer.required: true, the class has required = false" },
	{ "range-wrong", &fake_class, fake_good, "range: [1, 64]", "range: [1, 32]",
	  "properties.acme,width.range: the class accepts [1, 64]" },
	{ "range-missing", &fake_class, fake_good, "    range: [1, 64]\n", "",
	  "properties.acme,width.range: missing; the class accepts [1, 64]" },
	{ "range-extra", &fake_class, fake_good, "    default: 0x1000\n", "    default: 0x1000\n    range: [0, 9]\n",
	  "the class checks no range for acme,base" },
	{ "range-shape", &fake_class, fake_good, "range: [1, 64]", "range: [1, 64, 3]", "expected [min, max]" },
	{ "property-extra", &fake_class, fake_good, "  clocks:\n    type: phandle-array\n    standard: true\n",
	  "  clocks:\n    type: phandle-array\n", "properties.clocks: the class has no such property" },
	{ "property-standard-but-in-class", &fake_class, fake_good, "    type: bool\n",
	  "    type: bool\n    standard: true\n", "acme,fast is in the class's property table" },
	{ "property-generic", &fake_class, fake_good, "  clocks:\n", "  status:\n",
	  "properties.status: a generic property" },
	{ "property-standard-with-default", &fake_class, fake_good, "    standard: true\n",
	  "    standard: true\n    default: 3\n", "default, required and range belong to the class's own" },
	{ "property-no-description", &fake_class, fake_good, "    description: needed\n", "",
	  "properties.acme,need.description: missing" },
	{ "property-empty-description", &fake_class, fake_good, "    description: needed\n",
	  "    description: \"  \"\n", "properties.acme,need.description: must not be empty" },
	{ "property-key-typo", &fake_class, fake_good, "    required: true\n", "    requird: true\n",
	  "properties.acme,need: unknown key 'requird'" },
	{ "top-level-key-typo", &fake_class, fake_good, "references:", "reference:", "unknown key 'reference'" },
	{ "duplicate-key", &fake_class, fake_good, "character-backend: true\n",
	  "character-backend: true\ncharacter-backend: true\n", "key 'character-backend' appears twice" },
	{ "chardev", &fake_class, fake_good, "character-backend: true\n", "",
	  "character-backend: false, the class has uses_chardev = true" },
	{ "outputs", &fake_class, fake_good, "outputs: 2", "outputs: 1",
	  "interrupts.outputs: 1, the class has n_irq_outputs = 2" },
	{ "outputs-items", &fake_class, fake_good, "    - description: tx\n", "",
	  "interrupts.items: 1 items for 2 outputs" },
	{ "access-sizes", &fake_class, fake_good, "access-sizes: [4, 8]", "access-sizes: [4]",
	  "reg.access-sizes: the class's registers accept [4, 8]" },
	{ "access-sizes-odd", &fake_class, fake_good, "access-sizes: [4, 8]", "access-sizes: [4, 8, 3]",
	  "3 is not 1, 2, 4 or 8" },
	{ "access-sizes-without-mmio", &fake_intc_class, fake_intc_good, "reg: { min: 0, max: 0 }",
	  "reg: { min: 0, max: 0, access-sizes: [4] }", "the class has no register table" },
	{ "reg-items-missing", &fake_class, fake_good,
	  "  items:\n    - description: registers\n    - description: more registers\n", "",
	  "reg.items: missing" },
	{ "reg-max-below-min", &fake_class, fake_good, "  max: 2\n", "  max: 0\n",
	  "reg.max: 0 is below min 1" },
	{ "reg-not-a-number", &fake_class, fake_good, "  min: 1\n", "  min: one\n", "reg.min: expected a number" },
	{ "interrupt-cells", &fake_intc_class, fake_intc_good, "\"#interrupt-cells\": 2",
	  "\"#interrupt-cells\": 1", "interrupt-controller.#interrupt-cells: 1, the class has 2" },
	{ "interrupt-controller-missing", &fake_intc_class, fake_intc_good,
	  "interrupt-controller:\n  \"#interrupt-cells\": 2\n  specifier: source, then flags\n", "",
	  "interrupt-controller: missing; the class decodes 2-cell specifiers" },
	{ "interrupt-controller-on-device", &fake_class, fake_good, "character-backend: true\n",
	  "character-backend: true\ninterrupt-controller: { \"#interrupt-cells\": 1, specifier: x }\n",
	  "interrupt-controller: the class is not an interrupt controller" },
	{ "example-missing", &fake_class, fake_good, "example: |\n", "examples: |\n", "example: missing" },
	{ "yaml-syntax", &fake_class, fake_good, "  min: 1\n", "  min: [1\n", "YAML:" },
	{ "not-a-mapping", &fake_class, "- a\n- b\n", "- b", "- c", "document: expected a mapping" },
	{ "two-documents", &fake_class, fake_good, NULL, NULL, "more than one YAML document" },
};

static char *replace_once(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);

	g_assert_nonnull(at);
	g_assert_null(strstr(at + 1, from));   /* the case must be unambiguous */
	return g_strdup_printf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

static bool has_problem(const GPtrArray *problems, const char *needle)
{
	for (guint i = 0; i < problems->len; i++)
		if (strstr(problems->pdata[i], needle))
			return true;
	return false;
}

static void test_checker_accepts_good(void)
{
	Binding b;

	binding_init(&b, "bindings/fake.yaml");
	check_binding_text(&b, &fake_class, fake_good, strlen(fake_good), false);
	report_problems(b.problems);
	binding_clear(&b);
	binding_init(&b, "bindings/fake-intc.yaml");
	check_binding_text(&b, &fake_intc_class, fake_intc_good, strlen(fake_intc_good), false);
	report_problems(b.problems);
	binding_clear(&b);
}

static void test_checker_broken(gconstpointer data)
{
	const BrokenCase *c = data;
	/* No replacement: a second document after the first. */
	g_autofree char *text = c->from ? replace_once(c->base, c->from, c->to)
	                                : g_strdup_printf("%s---\nmodel: other\n", c->base);
	Binding b;

	binding_init(&b, "bindings/fake.yaml");
	check_binding_text(&b, c->cls, text, strlen(text), false);
	if (!has_problem(b.problems, c->expect)) {
		for (guint i = 0; i < b.problems->len; i++)
			g_test_message("reported: %s", (const char *)b.problems->pdata[i]);
		g_test_fail_printf("no problem containing \"%s\" (%u reported)", c->expect, b.problems->len);
	}
	binding_clear(&b);
}

/* The example checks, on edited copies of a real binding. */
typedef struct {
	const char *name;
	const char *model;
	const char *example;       /* replaces the example block */
	const char *expect;        /* NULL: expect "file:line" of the example's line at_line */
	int at_line;
} ExampleCase;

static const ExampleCase example_cases[] = {
	{ "syntax", "ns16550a",
	  "  serial@1000 {\n      compatible = \"ns16550a\"\n      reg = <0x1000 0x100>;\n  };\n",
	  "dtc rejects it", 0 },
	{ "syntax-line", "ns16550a",
	  "  serial@1000 {\n      compatible = \"ns16550a\"\n      reg = <0x1000 0x100>;\n  };\n",
	  NULL, 3 },   /* dtc names the token after the missing ';': the example's third line */
	{ "warning", "ns16550a",
	  "  serial {\n      compatible = \"ns16550a\";\n      reg = <0x2000 0x100>;\n  };\n",
	  "dtc warns", 0 },
	{ "other-model", "ns16550a",
	  "  syscon@1000 {\n      compatible = \"syscon\";\n      reg = <0x1000 0x100>;\n  };\n",
	  "no node of the example is matched to model ns16550a", 0 },
	{ "does-not-build", "ns16550a",
	  "  serial@1000 {\n      compatible = \"ns16550a\";\n      reg = <0x1000 0x4>;\n  };\n",
	  "socemu cannot build it: /serial@1000: reg must cover 8 registers", 0 },
	{ "required-missing", "syscon-poweroff",
	  "  syscon@1000 {\n      compatible = \"syscon\";\n      reg = <0x1000 0x100>;\n"
	  "      poweroff {\n          compatible = \"syscon-poweroff\";\n      };\n  };\n",
	  "required property 'offset' is missing", 0 },
	{ "undocumented-property", "ns16550a",
	  "  serial@1000 {\n      compatible = \"ns16550a\";\n      reg = <0x1000 0x100>;\n"
	  "      reg-offset = <0x40>;\n  };\n",
	  "/serial@1000: property 'reg-offset' is not in the binding's properties", 0 },
	{ "disabled", "ns16550a",
	  "  serial@1000 {\n      compatible = \"ns16550a\";\n      reg = <0x1000 0x100>;\n"
	  "      status = \"disabled\";\n  };\n",
	  "/serial@1000: no instance of ns16550a in the built machine", 0 },
};

static void test_checker_example(gconstpointer data)
{
	const ExampleCase *c = data;
	const SocDeviceClass *cls = class_named(c->model);
	g_autofree char *name = g_strdup_printf("%s.yaml", c->model);
	g_autofree char *path = g_test_build_filename(G_TEST_DIST, "bindings", name, NULL);
	g_autofree char *shown = g_strdup_printf("bindings/%s", name);
	g_autofree char *text = NULL, *edited = NULL, *expect = NULL;
	const char *at;
	int line = 1;
	Binding b;

	if (!cls) {
		g_test_skip("the model is not in the registry");
		return;
	}
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	at = strstr(text, "\nexample: |\n");
	g_assert_nonnull(at);
	for (const char *p = text; p <= at; p++)
		line += *p == '\n';
	/* The example is the last key of every binding (the README's order). */
	edited = g_strdup_printf("%.*s\nexample: |\n%s", (int)(at - text), text, c->example);
	expect = c->expect ? g_strdup(c->expect) : g_strdup_printf("%s:%d", shown, line + c->at_line);
	binding_init(&b, shown);
	check_binding_text(&b, cls, edited, strlen(edited), true);
	if (!has_problem(b.problems, expect)) {
		for (guint i = 0; i < b.problems->len; i++)
			g_test_message("reported: %s", (const char *)b.problems->pdata[i]);
		g_test_fail_printf("no problem containing \"%s\" (%u reported)", expect, b.problems->len);
	}
	binding_clear(&b);
}

/* ---- main ------------------------------------------------------------------------------------ */

static void remove_tree(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *f;

	if (!d)
		return;
	while ((f = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(dir, f, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_DIR))
			remove_tree(p);
		else
			g_unlink(p);
	}
	g_dir_close(d);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	GError *err = NULL;
	int r;

	g_test_init(&argc, &argv, NULL);
	tmpdir = g_dir_make_tmp("socemu-bindings-XXXXXX", &err);
	g_assert_no_error(err);

	for (const SocDeviceClass *const *c = soc_device_classes(); *c; c++) {
		g_autofree char *p = g_strdup_printf("/bindings/model/%s", (*c)->name);
		g_test_add_data_func(p, *c, test_class_binding);
	}
	g_test_add_func("/bindings/no-stale-documents", test_no_stale_bindings);
	g_test_add_func("/bindings/all-installed", test_bindings_installed);
	g_test_add_func("/bindings/names-unique", test_names_unique);
	g_test_add_func("/bindings/checker/accepts-good", test_checker_accepts_good);
	for (unsigned i = 0; i < G_N_ELEMENTS(broken_cases); i++) {
		g_autofree char *p = g_strdup_printf("/bindings/checker/broken/%s", broken_cases[i].name);
		g_test_add_data_func(p, &broken_cases[i], test_checker_broken);
	}
	for (unsigned i = 0; i < G_N_ELEMENTS(example_cases); i++) {
		g_autofree char *p = g_strdup_printf("/bindings/checker/example/%s", example_cases[i].name);
		g_test_add_data_func(p, &example_cases[i], test_checker_example);
	}
	r = g_test_run();
	remove_tree(tmpdir);
	g_free(tmpdir);
	return r;
}
