/* core/command.c — the command table and the session state it acts on (see command.h). */
#include "config.h"
#include "core/command.h"
#include "core/error.h"
#include "core/fdt.h"
#include "core/guest-dt.h"
#include "core/loader.h"
#include "core/log.h"
#include "core/machine-core.h"
#include "core/semihost.h"
#include "cpus/cpu.h"

#include <errno.h>
#include <libfdt.h>
#include <math.h>
#include <string.h>

typedef struct {
	char *cluster;           /* NULL: the default cluster */
	char *spec;              /* PATH or PATH@ADDRESS */
	SocCluster *loaded_into; /* set when loaded */
} ImageRequest;

struct SocSession {
	GMainContext *ctx;
	SocLog *log;
	GPtrArray *include_dirs;  /* char*, NULL-terminated when passed on */
	SocTree *tree;            /* until the build takes it */
	SocMachine *machine;
	GPtrArray *serial;        /* SocSerialOverride* */
	GPtrArray *images;        /* ImageRequest* */
	GPtrArray *loaded;        /* SocImageInfo* per loaded image */
	SocRunLimits limits;
	bool semihosting;
	char *semihost_root;
	char *semihost_cmdline;
	SocRunResult last_run;
	bool ran;
};

static void serial_free(gpointer p)
{
	SocSerialOverride *o = p;
	g_free(o->target);
	g_free(o->backend);
	g_free(o);
}

static void image_request_free(gpointer p)
{
	ImageRequest *r = p;
	g_free(r->cluster);
	g_free(r->spec);
	g_free(r);
}

static void image_info_free(gpointer p)
{
	soc_image_info_clear(p);
	g_free(p);
}

SocSession *soc_session_new(GMainContext *ctx)
{
	SocSession *s = g_new0(SocSession, 1);
	s->ctx = ctx ? g_main_context_ref(ctx) : g_main_context_new();
	s->log = soc_log_new();
	s->include_dirs = g_ptr_array_new_with_free_func(g_free);
	s->serial = g_ptr_array_new_with_free_func(serial_free);
	s->images = g_ptr_array_new_with_free_func(image_request_free);
	s->loaded = g_ptr_array_new_with_free_func(image_info_free);
	return s;
}

void soc_session_free(SocSession *s)
{
	if (!s)
		return;
	soc_machine_free(s->machine);
	soc_tree_free(s->tree);
	g_ptr_array_free(s->loaded, TRUE);
	g_ptr_array_free(s->images, TRUE);
	g_ptr_array_free(s->serial, TRUE);
	g_ptr_array_free(s->include_dirs, TRUE);
	soc_run_result_clear(&s->last_run);
	g_free(s->semihost_root);
	g_free(s->semihost_cmdline);
	soc_log_free(s->log);
	g_main_context_unref(s->ctx);
	g_free(s);
}

SocMachine *soc_session_machine(SocSession *s) { return s->machine; }

char *soc_session_symbolize(SocSession *s, const SocCpu *cpu, uint64_t addr)
{
	/* s->loaded[i] belongs to the i-th image request that was loaded. */
	guint k = 0;
	for (guint i = 0; i < s->images->len && k < s->loaded->len; i++) {
		ImageRequest *r = s->images->pdata[i];
		if (!r->loaded_into)
			continue;
		if (r->loaded_into->as == cpu->as) {
			char *sym = soc_image_symbolize(s->loaded->pdata[k], addr);
			if (sym)
				return sym;
		}
		k++;
	}
	return NULL;
}
SocLog *soc_session_log(SocSession *s) { return s->log; }
const SocRunResult *soc_session_last_run(SocSession *s) { return s->ran ? &s->last_run : NULL; }
unsigned soc_session_image_count(SocSession *s) { return s->images->len; }

/* ---- argument access ------------------------------------------------------------------------ */

/* Arguments were checked against the command's table, so a present one has its type. */
static const char *arg_str(const SocJson *a, const char *name)
{
	return soc_json_get_string(soc_json_object_get(a, name), NULL);
}

static gint64 arg_int(const SocJson *a, const char *name, gint64 def)
{
	const SocJson *v = soc_json_object_get(a, name);
	return v ? soc_json_get_int(v) : def;
}

static bool need_tree(SocSession *s, const char *cmd, GError **err)
{
	if (s->tree)
		return true;
	g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "%s: no tree loaded yet (give -dtb first)", cmd);
	return false;
}

/* ---- commands ------------------------------------------------------------------------------- */

static bool cmd_add_include_dir(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	g_ptr_array_add(s->include_dirs, g_strdup(arg_str(a, "path")));
	return true;
}

static bool cmd_load_tree(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	g_autoptr(GPtrArray) dirs = g_ptr_array_new();
	SocTree *t;
	g_autofree char *std_include = NULL;

	if (s->tree) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "load-tree: a tree is already loaded");
		return false;
	}
	for (guint i = 0; i < s->include_dirs->len; i++)
		g_ptr_array_add(dirs, s->include_dirs->pdata[i]);
	/* The shipped SoC blocks (dts/include): from the source tree when running uninstalled. */
	std_include = g_build_filename(SOC_SRCDIR, "dts", "include", NULL);
	if (!g_file_test(std_include, G_FILE_TEST_IS_DIR)) {
		g_free(std_include);
		std_include = g_build_filename(SOC_DATADIR, "dts", "include", NULL);
	}
	g_ptr_array_add(dirs, std_include);
	g_ptr_array_add(dirs, NULL);
	t = soc_tree_load(arg_str(a, "path"), (const char *const *)dirs->pdata, err);
	if (!t)
		return false;
	s->tree = t;
	return true;
}

static bool cmd_apply_overlay(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	return need_tree(s, "apply-overlay", err) && soc_tree_apply_overlay(s->tree, arg_str(a, "path"), err);
}

static char *find_profile(const char *name)
{
	const char *const roots[] = { SOC_SRCDIR, SOC_DATADIR };
	for (size_t i = 0; i < G_N_ELEMENTS(roots); i++) {
		g_autofree char *file = g_strdup_printf("%s.dtso", name);
		char *p = g_build_filename(roots[i], "dts", "profiles", file, NULL);
		if (g_file_test(p, G_FILE_TEST_EXISTS))
			return p;
		g_free(p);
	}
	return NULL;
}

static bool cmd_apply_profile(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	const char *name = arg_str(a, "name");
	g_autofree char *path = NULL;

	if (!need_tree(s, "apply-profile", err))
		return false;
	if (strchr(name, '/') || strchr(name, '.')) {
		path = g_strdup(name);         /* a file given directly */
	} else {
		path = find_profile(name);
		if (!path) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE,
			            "-profile %s: no profile of that name in dts/profiles", name);
			return false;
		}
	}
	return soc_tree_apply_overlay(s->tree, path, err);
}

static bool cmd_set_property(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	return need_tree(s, "set-property", err) && soc_tree_set(s->tree, arg_str(a, "assignment"), err);
}

static bool cmd_set_serial(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	SocSerialOverride *o = g_new0(SocSerialOverride, 1);
	o->target = g_strdup(arg_str(a, "target"));
	o->backend = g_strdup(arg_str(a, "backend"));
	g_ptr_array_add(s->serial, o);
	return true;
}

static bool cmd_add_image(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	ImageRequest *r = g_new0(ImageRequest, 1);
	r->cluster = g_strdup(arg_str(a, "cluster"));
	r->spec = g_strdup(arg_str(a, "path"));
	g_ptr_array_add(s->images, r);
	return true;
}

static bool cmd_set_log(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	const char *cats = arg_str(a, "categories");
	const char *file = arg_str(a, "file");
	if (cats && !soc_log_set_categories(s->log, cats, err))
		return false;
	if (file && !soc_log_set_file(s->log, file, err))
		return false;
	return true;
}

static bool cmd_set_limits(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	const char *t;
	if ((t = arg_str(a, "timeout")) && !soc_parse_duration(t, &s->limits.timeout, err))
		return false;
	if ((t = arg_str(a, "quantum"))) {
		if (!soc_parse_duration(t, &s->limits.quantum, err))
			return false;
		if (s->limits.quantum == 0) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "-quantum: must be longer than 0");
			return false;
		}
	}
	if (soc_json_object_get(a, "max-insns")) {
		gint64 n = arg_int(a, "max-insns", 0);
		if (n <= 0) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "-max-insns: must be a positive count");
			return false;
		}
		s->limits.max_insns = (uint64_t)n;
	}
	return true;
}

static bool cmd_dump_dtb(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	const SocTree *t = s->machine ? soc_machine_tree(s->machine) : s->tree;
	if (!t) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "dump-dtb: no tree loaded yet (give -dtb first)");
		return false;
	}
	return soc_tree_write_dtb(t, arg_str(a, "path"), err);
}

static void quit_from_console(void *opaque)
{
	(void)opaque;   /* the machine already recorded the shutdown request */
}

/* socemu,guest-dtb-address on a cluster node (or /cpus): the guest's tree goes there, after
 * the images, and the cluster's cpus are told (RISC-V: a1). */
static bool place_guest_trees(SocSession *s, GError **err)
{
	SocMachine *m = s->machine;
	g_autofree void *blob = NULL;
	size_t len = 0;

	for (guint i = 0; i < m->clusters->len; i++) {
		SocCluster *c = m->clusters->pdata[i];
		uint64_t addr, bad;
		int found;

		if (c->node < 0)
			continue;
		found = soc_fdt_read_u64(m->fdt, c->node, "socemu,guest-dtb-address", &addr, err);
		if (found < 0)
			return false;
		if (!found)
			continue;
		if (!blob && !(blob = soc_guest_dt_build(m->fdt, &len, err)))
			return false;
		for (guint k = 0; k < s->loaded->len; k++) {
			SocImageInfo *info = s->loaded->pdata[k];
			ImageRequest *r = NULL;
			for (guint q = 0, seen = 0; q < s->images->len; q++) {
				ImageRequest *cand = s->images->pdata[q];
				if (cand->loaded_into && seen++ == k)
					r = cand;
			}
			if (r && r->loaded_into == c && addr < info->high && info->low < addr + len) {
				g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE,
				            "%s:socemu,guest-dtb-address: the tree (0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER
				            "x) overlaps image %s", c->path, addr, addr + len - 1, r->spec);
				return false;
			}
		}
		if (!soc_as_write_bytes(c->as, addr, blob, len, &bad)) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE,
			            "%s:socemu,guest-dtb-address: 0x%" G_GINT64_MODIFIER "x is not RAM or ROM of cluster %s",
			            c->path, bad, c->name);
			return false;
		}
		for (guint k = 0; k < c->cpus->len; k++) {
			SocCpu *cpu = c->cpus->pdata[k];
			if (cpu->cls->set_boot_dtb)
				cpu->cls->set_boot_dtb(cpu, addr);
		}
	}
	return true;
}

/* Put every image into its cluster's memory and point the cluster's cpus at its entry. */
static bool load_images(SocSession *s, GError **err)
{
	SocMachine *m = s->machine;

	g_ptr_array_set_size(s->loaded, 0);
	for (guint i = 0; i < m->clusters->len; i++) {
		SocCluster *c = m->clusters->pdata[i];
		c->has_image = false;
		g_clear_pointer(&c->image_note, g_free);
	}
	for (guint i = 0; i < s->images->len; i++) {
		ImageRequest *r = s->images->pdata[i];
		SocCluster *c = r->cluster ? soc_machine_find_cluster(m, r->cluster) : soc_machine_default_cluster(m);
		SocImageInfo *info = g_new0(SocImageInfo, 1);

		if (!c) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE,
			            "-kernel %s=%s: no cluster is called '%s'", r->cluster, r->spec, r->cluster);
			g_free(info);
			return false;
		}
		if (!soc_load_image(c->as, r->spec, info, err)) {
			image_info_free(info);
			return false;
		}
		for (guint k = 0; k < c->cpus->len; k++) {
			SocCpu *cpu = c->cpus->pdata[k];
			if (info->elf_machine && cpu->cls->elf_machine && info->elf_machine != cpu->cls->elf_machine) {
				g_set_error(err, SOC_ERROR, SOC_ERROR_IMAGE,
				            "%s: an image for ELF machine %u cannot run on %s (%s) of cluster %s",
				            r->spec, info->elf_machine, cpu->path, cpu->cls->name, c->name);
				image_info_free(info);
				return false;
			}
		}
		g_ptr_array_add(s->loaded, info);
		r->loaded_into = c;
		c->has_image = true;
		g_free(c->image_note);
		c->image_note = g_strdup(r->spec);
		for (guint k = 0; k < c->cpus->len; k++) {
			SocCpu *cpu = c->cpus->pdata[k];
			if (info->has_entry && cpu->cls->set_entry)
				cpu->cls->set_entry(cpu, info->entry);
		}
	}
	if (!place_guest_trees(s, err))
		return false;
	/* Several clusters' semihosting consoles share stdout: tell their lines apart. */
	if (m->semihost) {
		unsigned with_image = 0;
		for (guint i = 0; i < m->clusters->len; i++)
			with_image += ((SocCluster *)m->clusters->pdata[i])->has_image;
		soc_semihost_set_cluster_prefixes(m->semihost, with_image > 1);
	}
	/* A cluster without an image stays in reset. */
	for (guint i = 0; i < m->clusters->len; i++) {
		SocCluster *c = m->clusters->pdata[i];
		if (c->has_image)
			continue;
		c->image_note = g_strdup("none: held in reset");
		for (guint k = 0; k < c->cpus->len; k++)
			((SocCpu *)c->cpus->pdata[k])->state = SOC_CPU_HALTED;
	}
	return true;
}

static bool cmd_set_semihosting(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	const char *root = arg_str(a, "root"), *cmdline = arg_str(a, "cmdline");
	if (soc_json_object_get(a, "enabled"))
		s->semihosting = soc_json_get_bool(soc_json_object_get(a, "enabled"));
	if (root) {
		if (!g_file_test(root, G_FILE_TEST_IS_DIR)) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "-semihosting-root %s: not a directory", root);
			return false;
		}
		g_free(s->semihost_root);
		s->semihost_root = g_strdup(root);
		s->semihosting = true;
	}
	if (cmdline) {
		g_free(s->semihost_cmdline);
		s->semihost_cmdline = g_strdup(cmdline);
	}
	return true;
}

/* /domains (openamp,domain-v1): `cpus = <&cluster mask mode>` says where a domain runs and
 * `socemu,image` what (relative to the tree's file). The command line's -kernel for a
 * cluster wins over its domain. */
static bool add_domain_images(SocSession *s, GError **err)
{
	SocMachine *m = s->machine;
	const void *fdt = m->fdt;
	int domains = soc_fdt_path_offset(fdt, "/domains"), node, depth = 0;

	if (domains < 0)
		return true;
	for (node = fdt_next_node(fdt, domains, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		const char *image = NULL;
		int len;
		const fdt32_t *cpus = fdt_getprop(fdt, node, "cpus", &len);
		g_autofree char *path = soc_fdt_path(fdt, node);

		if (soc_fdt_read_string(fdt, node, "socemu,image", &image, err) < 0)
			return false;
		if (!image)
			continue;
		if (!cpus || len <= 0 || len % 12) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
			            "%s: socemu,image needs cpus = <&cluster mask mode> (entries of 3 cells)", path);
			return false;
		}
		for (int e = 0; e < len / 12; e++) {
			int target = soc_fdt_node_by_phandle(fdt, fdt32_to_cpu(cpus[e * 3]), err);
			g_autofree char *cpath = NULL;
			SocCluster *c;
			bool given = false;
			ImageRequest *r;

			if (target < 0) {
				g_prefix_error(err, "%s:cpus: ", path);
				return false;
			}
			cpath = soc_fdt_path(fdt, target);
			c = soc_machine_find_cluster(m, cpath);
			if (!c) {
				g_set_error(err, SOC_ERROR, SOC_ERROR_PROPERTY,
				            "%s:cpus: %s is not a cpu cluster (/cpus or compatible \"cpus,cluster\")", path, cpath);
				return false;
			}
			for (guint i = 0; i < s->images->len && !given; i++) {
				ImageRequest *q = s->images->pdata[i];
				SocCluster *qc = q->cluster ? soc_machine_find_cluster(m, q->cluster) : soc_machine_default_cluster(m);
				given = qc == c;
			}
			if (given)
				continue;
			r = g_new0(ImageRequest, 1);
			r->cluster = g_strdup(c->path);
			r->spec = soc_tree_resolve_relative(soc_machine_tree(m), image);
			g_ptr_array_add(s->images, r);
		}
	}
	return true;
}

static bool cmd_build(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	g_autofree char *cmdline = NULL;
	SocSemihostConfig sh = { .stdout_fd = 1, .stderr_fd = 2, .stdin_fd = 0 };
	SocMachineConfig cfg = {
		.serial = s->serial, .ctx = s->ctx, .log = s->log,
		.quit = quit_from_console, .quit_opaque = s,
	};
	if (!need_tree(s, "build", err))
		return false;
	if (s->semihosting) {
		/* SYS_GET_CMDLINE returns the -append text alone, as QEMU does by default: picolibc's
		 * start-up code supplies argv[0] itself and makes the text argv[1...]. */
		cmdline = g_strdup(s->semihost_cmdline ? s->semihost_cmdline : "");
		sh.root = s->semihost_root;
		sh.cmdline = cmdline;
		cfg.semihost = &sh;
	}
	s->machine = soc_machine_build(s->tree, &cfg, err);
	s->tree = NULL;            /* the machine owns it now, or freed it on failure */
	if (!s->machine)
		return false;
	return add_domain_images(s, err) && load_images(s, err);
}

static bool cmd_query_machine(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	*res = soc_machine_report(s->machine);
	return true;
}

static SocJson *run_result_json(const SocRunResult *r)
{
	SocJson *o = soc_json_new_object();
	soc_json_object_set_string(o, "outcome", soc_run_outcome_name(r->outcome));
	soc_json_object_set_int(o, "status", r->status);
	soc_json_object_set_string(o, "reason", r->reason ? r->reason : "");
	soc_json_object_set_string(o, "cpu", r->cpu ? r->cpu->path : NULL);
	soc_json_object_set_int(o, "time-ps", (gint64)r->time);
	soc_json_object_set_int(o, "instructions", (gint64)r->insns);
	return o;
}

static bool cmd_run(SocSession *s, const SocJson *a, SocJson **res, GError **err)
{
	for (;;) {
		soc_run_result_clear(&s->last_run);
		soc_machine_run(s->machine, &s->limits, &s->last_run);
		s->ran = true;
		if (s->machine->semihost)
			soc_semihost_flush(s->machine->semihost);
		if (s->last_run.outcome != SOC_RUN_RESET)
			break;
		/* A guest-requested reset: devices and cpus reset, images loaded again. */
		soc_machine_clear_shutdown(s->machine);
		soc_machine_reset(s->machine);
		if (!load_images(s, err))
			return false;
	}
	*res = run_result_json(&s->last_run);
	return true;
}

static const SocArgDesc args_path[] = {
	{ "path", SOC_ARG_STRING, true, "file name" }, { NULL }
};
static const SocArgDesc args_profile[] = {
	{ "name", SOC_ARG_STRING, true, "profile name (dts/profiles/NAME.dtso) or .dtso file" }, { NULL }
};
static const SocArgDesc args_set[] = {
	{ "assignment", SOC_ARG_STRING, true, "/node/path:property=VALUE (dts syntax)" }, { NULL }
};
static const SocArgDesc args_serial[] = {
	{ "target", SOC_ARG_STRING, true, "UART label, alias or node path" },
	{ "backend", SOC_ARG_STRING, true, "stdio, null, file:PATH, unix:PATH, tcp:HOST:PORT" }, { NULL }
};
static const SocArgDesc args_image[] = {
	{ "path", SOC_ARG_STRING, true, "ELF file, or FILE@ADDRESS for a raw binary" },
	{ "cluster", SOC_ARG_STRING, false, "cluster label, name or node path (default: /cpus)" }, { NULL }
};
static const SocArgDesc args_log[] = {
	{ "categories", SOC_ARG_STRING, false, "comma-separated log categories" },
	{ "file", SOC_ARG_STRING, false, "write logs to this file instead of stderr" }, { NULL }
};
static const SocArgDesc args_limits[] = {
	{ "timeout", SOC_ARG_STRING, false, "virtual time limit, e.g. 2s, 500ms" },
	{ "max-insns", SOC_ARG_INT, false, "limit on instructions retired by all cpus" },
	{ "quantum", SOC_ARG_STRING, false, "scheduling quantum in virtual time (default 100us)" }, { NULL }
};
static const SocArgDesc args_semihosting[] = {
	{ "enabled", SOC_ARG_BOOL, false, "turn semihosting on or off" },
	{ "root", SOC_ARG_STRING, false, "host directory the guest's file operations are confined to" },
	{ "cmdline", SOC_ARG_STRING, false, "arguments the guest gets after its image name" }, { NULL }
};
static const SocArgDesc args_none[] = { { NULL } };

static const SocCommand commands[] = {
	{ "add-include-dir", "add a directory searched by #include in .dts files", SOC_PHASE_SETUP,
	  args_path, cmd_add_include_dir },
	{ "load-tree", "load the machine's tree (.dtb, or .dts compiled with cpp and dtc)", SOC_PHASE_SETUP,
	  args_path, cmd_load_tree },
	{ "apply-overlay", "apply a tree overlay (.dtbo, or .dtso compiled on the fly)", SOC_PHASE_SETUP,
	  args_path, cmd_apply_overlay },
	{ "apply-profile", "apply a board profile overlay by name", SOC_PHASE_SETUP, args_profile,
	  cmd_apply_profile },
	{ "set-property", "set one property of the tree", SOC_PHASE_SETUP, args_set, cmd_set_property },
	{ "set-serial", "choose the character backend of a UART", SOC_PHASE_SETUP, args_serial, cmd_set_serial },
	{ "add-image", "load an image into a cluster at build time", SOC_PHASE_SETUP, args_image, cmd_add_image },
	{ "set-semihosting", "semihosting: on/off, file root, command line", SOC_PHASE_SETUP, args_semihosting,
	  cmd_set_semihosting },
	{ "set-log", "choose log categories and the log file", SOC_PHASE_ANY, args_log, cmd_set_log },
	{ "set-limits", "set run limits and the scheduling quantum", SOC_PHASE_ANY, args_limits, cmd_set_limits },
	{ "dump-dtb", "write the final merged tree as a .dtb", SOC_PHASE_ANY, args_path, cmd_dump_dtb },
	{ "build", "build the machine from the tree and load its images", SOC_PHASE_SETUP, args_none, cmd_build },
	{ "query-machine", "describe the built machine (JSON)", SOC_PHASE_MACHINE, args_none, cmd_query_machine },
	{ "run", "run until the guest ends the run or a limit is reached", SOC_PHASE_MACHINE, args_none, cmd_run },
	{ NULL }
};

const SocCommand *soc_command_table(void)
{
	return commands;
}

const SocCommand *soc_command_find(const char *name)
{
	for (const SocCommand *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static bool check_args(const SocCommand *c, const SocJson *args, GError **err)
{
	static const SocJsonType want_type[] = {
		[SOC_ARG_STRING] = SOC_JSON_STRING, [SOC_ARG_INT] = SOC_JSON_INT, [SOC_ARG_BOOL] = SOC_JSON_BOOL,
	};

	if (args && soc_json_type(args) != SOC_JSON_OBJECT) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "%s: the arguments must be an object, not a JSON %s",
		            c->name, soc_json_type_name(soc_json_type(args)));
		return false;
	}
	for (size_t i = 0; i < soc_json_object_size(args); i++) {
		const char *name = soc_json_object_name(args, i);
		const SocArgDesc *d = c->args;
		while (d->name && strcmp(d->name, name))
			d++;
		if (!d->name) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "%s: unknown argument '%s'", c->name, name);
			return false;
		}
	}
	for (const SocArgDesc *d = c->args; d->name; d++) {
		const SocJson *n = soc_json_object_get(args, d->name);
		if (!n) {
			if (d->required) {
				g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "%s: missing argument '%s'", c->name, d->name);
				return false;
			}
			continue;
		}
		if (soc_json_type(n) != want_type[d->type]) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "%s: argument '%s' must be %s", c->name, d->name,
			            d->type == SOC_ARG_STRING ? "a string" : d->type == SOC_ARG_INT ? "an integer" : "a boolean");
			return false;
		}
		/* Commands read strings as C strings: a NUL inside would silently cut a path short. */
		if (d->type == SOC_ARG_STRING) {
			size_t len;
			const char *str = soc_json_get_string(n, &len);
			if (strlen(str) != len) {
				g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "%s: argument '%s' contains a NUL character",
				            c->name, d->name);
				return false;
			}
		}
	}
	return true;
}

bool soc_command_execute(SocSession *s, const char *name, const SocJson *args, SocJson **result,
                         GError **err)
{
	const SocCommand *c = soc_command_find(name);
	SocJson *res = NULL;

	if (result)
		*result = NULL;
	if (!c) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "unknown command '%s'", name);
		return false;
	}
	if (!check_args(c, args, err))
		return false;
	if (c->phase == SOC_PHASE_SETUP && s->machine) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "%s: the machine is already built", name);
		return false;
	}
	if (c->phase == SOC_PHASE_MACHINE && !s->machine) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE, "%s: the machine is not built yet", name);
		return false;
	}
	if (!c->exec(s, args, &res, err)) {
		soc_json_free(res);
		return false;
	}
	if (!res)
		res = soc_json_new_null();
	if (result)
		*result = res;
	else
		soc_json_free(res);
	return true;
}

bool soc_parse_duration(const char *text, SocTime *out, GError **err)
{
	static const struct { const char *unit; double ps; } units[] = {
		{ "ps", 1 }, { "ns", 1e3 }, { "us", 1e6 }, { "ms", 1e9 }, { "s", 1e12 },
	};
	char *end;
	double v;

	errno = 0;
	v = g_ascii_strtod(text, &end);
	if (errno || end == text || v < 0 || !isfinite(v))
		goto bad;
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
		if (!strcmp(end, units[i].unit)) {
			double ps = v * units[i].ps;
			if (ps >= 1.8e19)
				goto bad;
			*out = (SocTime)ps;
			return true;
		}
	}
bad:
	g_set_error(err, SOC_ERROR, SOC_ERROR_USAGE,
	            "'%s' is not a duration (a number followed by s, ms, us, ns or ps, e.g. 2s or 500ms)", text);
	return false;
}
