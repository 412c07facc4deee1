/* core/main.c — the command-line front end.
 *
 * Options are translated, in the order given, into commands of core/command.c's table and
 * executed through soc_command_execute(), exactly as the machine protocol will; this file
 * only parses, prints and chooses the exit status. */
#include "config.h"
#include "core/chardev.h"
#include "core/command.h"
#include "core/error.h"
#include "core/log.h"
#include "core/machine.h"
#include "core/sched.h"
#include "cpus/cpu.h"

#include <getopt.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* Exit statuses (also in --help and docs). The guest's own status passes through unchanged. */
enum {
	EXIT_USAGE = 1,          /* bad option, tree, image: socemu's message on stderr */
	EXIT_SKIP = 77,          /* automake: the test was skipped (the guest may use it too) */
	EXIT_HARD_ERROR = 99,    /* automake: hard error (host failure inside socemu) */
	EXIT_TIMEOUT = 124,      /* virtual time-out or instruction limit */
	EXIT_GUEST_STUCK = 125,  /* lockup, trap loop, or every cpu asleep with nothing to wake it */
	EXIT_INTERRUPTED = 130,  /* SIGINT / SIGTERM from the host */
};

enum {
	OPT_DTB = 256, OPT_OVERLAY, OPT_PROFILE, OPT_SET, OPT_SERIAL, OPT_KERNEL, OPT_INCLUDE,
	OPT_LOG, OPT_LOGFILE, OPT_REPORT, OPT_REPORT_FILE, OPT_DUMP_DTB, OPT_TIMEOUT, OPT_MAX_INSNS,
	OPT_QUANTUM, OPT_LIST_DEVICES, OPT_HELP, OPT_VERSION, OPT_SEMIHOSTING, OPT_SEMIHOSTING_ROOT,
	OPT_APPEND, OPT_STATS,
};

static const struct option long_options[] = {
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "overlay", required_argument, NULL, OPT_OVERLAY },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "set", required_argument, NULL, OPT_SET },
	{ "serial", required_argument, NULL, OPT_SERIAL },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "I", required_argument, NULL, OPT_INCLUDE },
	{ "d", required_argument, NULL, OPT_LOG },
	{ "D", required_argument, NULL, OPT_LOGFILE },
	{ "report", no_argument, NULL, OPT_REPORT },
	{ "report-file", required_argument, NULL, OPT_REPORT_FILE },
	{ "dump-dtb", required_argument, NULL, OPT_DUMP_DTB },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "max-insns", required_argument, NULL, OPT_MAX_INSNS },
	{ "quantum", required_argument, NULL, OPT_QUANTUM },
	{ "list-devices", no_argument, NULL, OPT_LIST_DEVICES },
	{ "semihosting", no_argument, NULL, OPT_SEMIHOSTING },
	{ "semihosting-root", required_argument, NULL, OPT_SEMIHOSTING_ROOT },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "h", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static const char usage_text[] =
"Usage: socemu -dtb BOARD.dtb|BOARD.dts [OPTION]...\n"
"Build the system-on-chip a device tree describes and run its firmware.\n"
"\n"
"The machine:\n"
"  -dtb FILE            the machine's tree: a .dtb, or a .dts (run through cpp and dtc)\n"
"  -I DIR               search DIR for #include in .dts and .dtso files (repeatable)\n"
"  -overlay FILE        apply an overlay (.dtbo, or .dtso compiled on the fly); repeatable,\n"
"                       applied in order\n"
"  -profile NAME        apply the profile overlay dts/profiles/NAME.dtso\n"
"  -set /PATH:PROP=VAL  set a property; VAL in dts syntax: <1 2>, \"text\", [0a 0b]\n"
"  -serial UART=BACKEND connect a UART (label, alias or node path) to a backend:\n"
"                       stdio, stdout, null, file:PATH, unix:PATH[,wait],\n"
"                       tcp:127.0.0.1:PORT[,wait] (-serial help explains them)\n"
"                       (default: the /chosen/stdout-path UART on stdio, others null)\n"
"  -kernel [CLUSTER=]FILE  load an ELF (or FILE@ADDRESS raw binary) into a cluster\n"
"                       (default cluster: /cpus); repeatable\n"
"\n"
"Running:\n"
"  -timeout DURATION    end the run after this much virtual time (e.g. 2s, 500ms)\n"
"  -max-insns N         end the run after N instructions (all cpus together)\n"
"  -quantum DURATION    scheduling quantum in virtual time (default 100us; 1ms with one cpu)\n"
"  -semihosting         let the guest use Arm-style semihosting (RISC-V and Arm): console,\n"
"                       exit status, command line, and files below -semihosting-root\n"
"  -semihosting-root DIR  the only host directory semihosting file operations may touch\n"
"  -append ARGS         the guest's command line (SYS_GET_CMDLINE; picolibc makes it\n"
"                       argv[1...])\n"
"\n"
"Information:\n"
"  -report              print a JSON description of the built machine and exit\n"
"  -report-file FILE    write that description to FILE, then run\n"
"  -dump-dtb FILE       write the final merged tree (.dtb) to FILE\n"
"  -d CATEGORIES        log categories: %s\n"
"  -D FILE              write logs to FILE instead of stderr\n"
"  -stats               after the run, print virtual and host time, instructions\n"
"                       and MIPS (per cpu too) on stderr\n"
"  -list-devices        list the device and cpu models and their compatible strings\n"
"  -help, -version\n"
"\n"
"Options take one dash or two (-dtb or --dtb). The guest's console goes to stdout\n"
"untouched; socemu's own messages go to stderr.\n"
"\n"
"Exit status:\n"
"  the guest's own exit status when it ends the run (semihosting exit, test device,\n"
"  syscon-poweroff: 0)\n"
"  0    nothing to run (e.g. -report), or the guest powered off\n"
"  1    usage or configuration error (bad option, tree or image)\n"
"  77   (guest choice) skipped, as automake counts it\n"
"  99   hard error inside socemu\n"
"  124  virtual time-out or instruction limit reached\n"
"  125  the guest is stuck: lockup, trap loop, or every cpu asleep with nothing to wake it\n"
"  130  interrupted by the host (SIGINT, SIGTERM)\n";

static void print_usage(FILE *f)
{
	fprintf(f, usage_text, soc_log_category_help());
}

static void list_devices(void)
{
	printf("Device models:\n");
	for (const SocDeviceClass *const *c = soc_device_classes(); *c; c++) {
		GString *compat = g_string_new(NULL);
		for (const char *const *s = (*c)->compatible; s && *s; s++)
			g_string_append_printf(compat, "%s\"%s\"", compat->len ? ", " : "", *s);
		if ((*c)->device_type)
			g_string_append_printf(compat, "%sdevice_type \"%s\"", compat->len ? ", " : "", (*c)->device_type);
		printf("  %-16s %s\n  %-16s   %s\n", (*c)->name, compat->str, "", (*c)->description);
		g_string_free(compat, TRUE);
	}
	printf("CPU models:\n");
	for (const SocCpuClass *const *c = soc_cpu_classes(); c && *c; c++) {
		GString *compat = g_string_new(NULL);
		for (const char *const *s = (*c)->compatible; s && *s; s++)
			g_string_append_printf(compat, "%s\"%s\"", compat->len ? ", " : "", *s);
		printf("  %-16s %s\n", (*c)->name, compat->str);
		g_string_free(compat, TRUE);
	}
}

typedef struct {
	char *name;
	SocJson *args;
} PendingCommand;

static void pending_free(gpointer p)
{
	PendingCommand *c = p;
	g_free(c->name);
	soc_json_free(c->args);
	g_free(c);
}

static SocJson *queue(GPtrArray *q, const char *name)
{
	PendingCommand *c = g_new0(PendingCommand, 1);
	c->name = g_strdup(name);
	c->args = soc_json_new_object();
	g_ptr_array_add(q, c);
	return c->args;
}

/* Say where socket consoles listen (the real port when 0 was asked for), then wait for the
 * clients of those opened with ",wait". */
static bool announce_sockets(SocMachine *m, GError **err)
{
	for (unsigned i = 0; i < soc_machine_device_count(m); i++) {
		SocDevice *dev = soc_machine_device(m, i);
		const char *where = dev->chr ? soc_chardev_describe(dev->chr) : NULL;
		if (where && (g_str_has_prefix(where, "tcp:") || g_str_has_prefix(where, "unix:")))
			fprintf(stderr, "socemu: %s: serial on %s\n", dev->path, where);
	}
	for (unsigned i = 0; i < soc_machine_device_count(m); i++) {
		SocDevice *dev = soc_machine_device(m, i);
		if (dev->chr && !soc_chardev_wait_for_client(dev->chr, err))
			return false;
	}
	return true;
}

/* -stats: what the run cost, on stderr (the guest owns stdout). */
static void print_stats(SocMachine *m, const SocRunResult *r, gint64 host_us)
{
	double host = (double)host_us / 1e6;
	fprintf(stderr, "socemu: stats: virtual %.9f s, host %.3f s, %" G_GUINT64_FORMAT " instructions, %.1f MIPS\n",
	        (double)r->time / (double)SOC_PS_PER_SEC, host, r->insns,
	        host > 0 ? (double)r->insns / host / 1e6 : 0.0);
	for (unsigned c = 0; c < soc_machine_cluster_count(m); c++) {
		SocCluster *cl = soc_machine_cluster(m, c);
		for (unsigned k = 0; k < soc_cluster_cpu_count(cl); k++) {
			SocCpu *cpu = soc_cluster_cpu(cl, k);
			fprintf(stderr, "socemu: stats: %s (cluster %s): %" G_GUINT64_FORMAT " instructions, %" G_GUINT64_FORMAT
			        " cycles asleep\n", cpu->path, soc_cluster_name(cl), cpu->insns, cpu->sleep_cycles);
		}
	}
}

static bool interrupted;

static gboolean on_signal(gpointer opaque)
{
	SocSession *s = opaque;
	SocMachine *m = soc_session_machine(s);
	interrupted = true;
	if (m)
		soc_machine_request_shutdown(m, SOC_SHUTDOWN_EXIT, EXIT_INTERRUPTED, "host", "interrupted by a signal");
	return G_SOURCE_CONTINUE;
}

static int fail(GError *err)
{
	fprintf(stderr, "socemu: %s\n", err->message);
	g_error_free(err);
	return EXIT_USAGE;
}

/* The run's end, for a person and for a TAP harness reading stdout. */
static int report_outcome(SocSession *s, const SocRunResult *r)
{
	double secs = (double)r->time / (double)SOC_PS_PER_SEC;
	g_autofree char *where = NULL;

	/* "(cluster rt: /rt/cpu@0 pc 0x1234 in main+0x10)" */
	if (r->cpu && r->cpu->cls->get_pc) {
		uint64_t pc = r->cpu->cls->get_pc(r->cpu);
		g_autofree char *sym = soc_session_symbolize(s, r->cpu, pc);
		where = g_strdup_printf(" (cluster %s: %s pc 0x%" G_GINT64_MODIFIER "x%s%s)", r->cpu->cluster,
		                        r->cpu->path, pc, sym ? " in " : "", sym ? sym : "");
	}
	switch (r->outcome) {
	case SOC_RUN_SHUTDOWN:
		if (interrupted)
			return EXIT_INTERRUPTED;
		if (r->status != 0)
			fprintf(stderr, "socemu: exit status %d: %s\n", r->status & 0xff, r->reason);
		return r->status & 0xff;
	case SOC_RUN_NOTHING:
		fprintf(stderr, "socemu: %s\n", r->reason);
		return 0;
	case SOC_RUN_TIMEOUT:
		fflush(stdout);
		printf("\nBail out! socemu: virtual time-out after %g s%s\n", secs, where ? where : "");
		fflush(stdout);
		return EXIT_TIMEOUT;
	case SOC_RUN_INSN_LIMIT:
		fflush(stdout);
		printf("\nBail out! socemu: instruction limit reached after %" G_GUINT64_FORMAT " instructions%s\n",
		       r->insns, where ? where : "");
		fflush(stdout);
		return EXIT_TIMEOUT;
	case SOC_RUN_LOCKUP:
	case SOC_RUN_STUCK:
		fflush(stdout);
		printf("\nBail out! socemu: guest stuck after %g s: %s%s\n", secs, r->reason, where ? where : "");
		fflush(stdout);
		return EXIT_GUEST_STUCK;
	case SOC_RUN_RESET:
		break;
	}
	return EXIT_HARD_ERROR;
}

int main(int argc, char **argv)
{
	g_autoptr(GPtrArray) cmds = g_ptr_array_new_with_free_func(pending_free);
	g_autoptr(GMainContext) ctx = g_main_context_new();
	const char *dtb = NULL, *report_file = NULL;
	bool report = false, stats = false;
	gint64 host_start;
	SocSession *s;
	GError *err = NULL;
	SocJson *res = NULL;
	int opt, status;
	SocJson *a;

	/* A closed stdout must become a write error the console reports, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	opterr = 0;
	while ((opt = getopt_long_only(argc, argv, "", long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_DTB:
			if (dtb) {
				fprintf(stderr, "socemu: -dtb given twice ('%s' and '%s')\n", dtb, optarg);
				return EXIT_USAGE;
			}
			dtb = optarg;
			break;
		case OPT_INCLUDE:
			soc_json_object_set_string(queue(cmds, "add-include-dir"), "path", optarg);
			break;
		case OPT_OVERLAY:
			soc_json_object_set_string(queue(cmds, "apply-overlay"), "path", optarg);
			break;
		case OPT_PROFILE:
			soc_json_object_set_string(queue(cmds, "apply-profile"), "name", optarg);
			break;
		case OPT_SET:
			soc_json_object_set_string(queue(cmds, "set-property"), "assignment", optarg);
			break;
		case OPT_SERIAL: {
			const char *eq = strchr(optarg, '=');
			if (!strcmp(optarg, "help")) {
				fputs(soc_chardev_help(), stdout);
				return 0;
			}
			g_autofree char *target = NULL;
			if (!eq || eq == optarg || !eq[1]) {
				fprintf(stderr, "socemu: -serial %s: expected UART=BACKEND (e.g. uart0=stdio)\n", optarg);
				return EXIT_USAGE;
			}
			target = g_strndup(optarg, (gsize)(eq - optarg));
			a = queue(cmds, "set-serial");
			soc_json_object_set_string(a, "target", target);
			soc_json_object_set_string(a, "backend", eq + 1);
			break;
		}
		case OPT_KERNEL: {
			/* CLUSTER=FILE; a '=' inside a path needs a cluster prefix to be unambiguous. */
			const char *eq = strchr(optarg, '=');
			a = queue(cmds, "add-image");
			if (eq && eq != optarg && !memchr(optarg, '/', (size_t)(eq - optarg))) {
				g_autofree char *cluster = g_strndup(optarg, (gsize)(eq - optarg));
				soc_json_object_set_string(a, "cluster", cluster);
				soc_json_object_set_string(a, "path", eq + 1);
			} else {
				soc_json_object_set_string(a, "path", optarg);
			}
			break;
		}
		case OPT_LOG:
			if (!strcmp(optarg, "help")) {
				printf("Log categories: %s\n", soc_log_category_help());
				return 0;
			}
			soc_json_object_set_string(queue(cmds, "set-log"), "categories", optarg);
			break;
		case OPT_LOGFILE:
			soc_json_object_set_string(queue(cmds, "set-log"), "file", optarg);
			break;
		case OPT_REPORT:
			report = true;
			break;
		case OPT_REPORT_FILE:
			report_file = optarg;
			break;
		case OPT_DUMP_DTB:
			soc_json_object_set_string(queue(cmds, "dump-dtb"), "path", optarg);
			break;
		case OPT_TIMEOUT:
			soc_json_object_set_string(queue(cmds, "set-limits"), "timeout", optarg);
			break;
		case OPT_QUANTUM:
			soc_json_object_set_string(queue(cmds, "set-limits"), "quantum", optarg);
			break;
		case OPT_MAX_INSNS: {
			char *end;
			gint64 n = g_ascii_strtoll(optarg, &end, 0);
			if (*end || end == optarg || n <= 0) {
				fprintf(stderr, "socemu: -max-insns %s: expected a positive count\n", optarg);
				return EXIT_USAGE;
			}
			soc_json_object_set_int(queue(cmds, "set-limits"), "max-insns", n);
			break;
		}
		case OPT_SEMIHOSTING:
			soc_json_object_set_bool(queue(cmds, "set-semihosting"), "enabled", true);
			break;
		case OPT_SEMIHOSTING_ROOT:
			soc_json_object_set_string(queue(cmds, "set-semihosting"), "root", optarg);
			break;
		case OPT_STATS:
			stats = true;
			break;
		case OPT_APPEND:
			soc_json_object_set_string(queue(cmds, "set-semihosting"), "cmdline", optarg);
			break;
		case OPT_LIST_DEVICES:
			list_devices();
			return 0;
		case OPT_HELP:
			print_usage(stdout);
			return 0;
		case OPT_VERSION:
			printf("socemu %s\n", PACKAGE_VERSION);
			return 0;
		case '?':
		default:
			if (optopt)
				fprintf(stderr, "socemu: option %s needs an argument (see socemu -help)\n", argv[optind - 1]);
			else
				fprintf(stderr, "socemu: unknown option '%s' (see socemu -help)\n", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "socemu: unexpected argument '%s' (see socemu -help)\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (!dtb) {
		fprintf(stderr, "socemu: no machine given: use -dtb BOARD.dtb (see socemu -help)\n");
		return EXIT_USAGE;
	}

	s = soc_session_new(ctx);
	/* Include directories apply to the tree itself, so they run first; the rest keeps its order. */
	for (guint i = 0; i < cmds->len; i++) {
		PendingCommand *c = cmds->pdata[i];
		if (!strcmp(c->name, "add-include-dir") &&
		    !soc_command_execute(s, c->name, c->args, NULL, &err))
			goto error;
	}
	a = soc_json_new_object();
	soc_json_object_set_string(a, "path", dtb);
	if (!soc_command_execute(s, "load-tree", a, NULL, &err)) {
		soc_json_free(a);
		goto error;
	}
	soc_json_free(a);
	for (guint i = 0; i < cmds->len; i++) {
		PendingCommand *c = cmds->pdata[i];
		if (strcmp(c->name, "add-include-dir") && strcmp(c->name, "dump-dtb") &&
		    !soc_command_execute(s, c->name, c->args, NULL, &err))
			goto error;
	}
	if (!soc_command_execute(s, "build", NULL, NULL, &err))
		goto error;
	for (unsigned i = 0; i < soc_machine_warning_count(soc_session_machine(s)); i++)
		fprintf(stderr, "socemu: warning: %s\n", soc_machine_warning(soc_session_machine(s), i));
	if (!report && !announce_sockets(soc_session_machine(s), &err))
		goto error;
	for (guint i = 0; i < cmds->len; i++) {
		PendingCommand *c = cmds->pdata[i];
		if (!strcmp(c->name, "dump-dtb") && !soc_command_execute(s, c->name, c->args, NULL, &err))
			goto error;
	}
	if (report || report_file) {
		g_autofree char *text = NULL;
		if (!soc_command_execute(s, "query-machine", NULL, &res, &err))
			goto error;
		text = soc_json_to_string(res, SOC_JSON_PRETTY);
		soc_json_free(res);
		if (report_file) {
			/* The same bytes as -report prints, final newline included. */
			g_autofree char *line = g_strconcat(text, "\n", NULL);
			if (!g_file_set_contents(report_file, line, -1, &err)) {
				g_prefix_error(&err, "-report-file %s: ", report_file);
				goto error;
			}
		} else {
			printf("%s\n", text);
			soc_session_free(s);
			return 0;
		}
	}
	if (soc_session_image_count(s) == 0) {
		fprintf(stderr, "socemu: no image to run (give -kernel FILE, or -report to describe the machine)\n");
		soc_session_free(s);
		return report_file ? 0 : EXIT_USAGE;
	}

	{
		int sigs[] = { SIGINT, SIGTERM, SIGHUP };
		for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
			GSource *src = g_unix_signal_source_new(sigs[i]);
			g_source_set_callback(src, on_signal, s, NULL);
			g_source_attach(src, ctx);
			g_source_unref(src);
		}
	}
	host_start = g_get_monotonic_time();
	if (!soc_command_execute(s, "run", NULL, &res, &err))
		goto error;
	soc_json_free(res);
	if (stats)
		print_stats(soc_session_machine(s), soc_session_last_run(s), g_get_monotonic_time() - host_start);
	status = report_outcome(s, soc_session_last_run(s));
	soc_session_free(s);
	return status;

error:
	soc_session_free(s);
	return fail(err);
}
