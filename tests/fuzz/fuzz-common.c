/* tests/fuzz/fuzz-common.c — the session plumbing every fuzz target uses (fuzz.h). */
#include "tests/fuzz/fuzz.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

static char *tmp_dir;

static void remove_tmp_dir(void)
{
	GDir *d = g_dir_open(tmp_dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(tmp_dir, name, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_DIR)) {
			/* The semihosting root: one level of files the guests created. */
			GDir *sub = g_dir_open(p, 0, NULL);
			const char *n2;
			while (sub && (n2 = g_dir_read_name(sub))) {
				g_autofree char *q = g_build_filename(p, n2, NULL);
				remove(q);
			}
			if (sub)
				g_dir_close(sub);
		}
		remove(p);
	}
	if (d)
		g_dir_close(d);
	remove(tmp_dir);
}

/* libFuzzer calls it once before the first input; replay.c does the same. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	soc_fuzz_setup();
	return 0;
}

void soc_fuzz_setup(void)
{
	int null_fd;

	if (tmp_dir)
		return;
	tmp_dir = g_dir_make_tmp("socemu-fuzz.XXXXXX", NULL);
	if (!tmp_dir) {
		fprintf(stderr, "fuzz: cannot make a temporary directory\n");
		exit(2);
	}
	atexit(remove_tmp_dir);
	/* Guest consoles write to stdout; replay.c prints TAP on stderr's copy of it. */
	fflush(stdout);
	null_fd = open("/dev/null", O_RDWR);
	if (null_fd >= 0) {
		dup2(null_fd, STDOUT_FILENO);
		/* Console input at its end, as in a test harness: never a terminal to wait on. */
		dup2(null_fd, STDIN_FILENO);
		close(null_fd);
	}
	/* Nothing may reach the host's cache of compiled trees. */
	g_setenv("SOCEMU_CACHE_DIR", "off", TRUE);
}

const char *soc_fuzz_write(const char *name, const void *data, size_t size)
{
	static char path[4096];
	g_autoptr(GError) err = NULL;

	snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
	if (!g_file_set_contents(path, data, (gssize)size, &err)) {
		fprintf(stderr, "fuzz: %s\n", err->message);
		exit(2);
	}
	return path;
}

const char *soc_fuzz_board(const char *name)
{
	static GHashTable *boards;
	const char *dtb;

	if (!boards)
		boards = g_hash_table_new(g_str_hash, g_str_equal);
	dtb = g_hash_table_lookup(boards, name);
	if (!dtb) {
		g_autofree char *src = g_strdup_printf("%s/dts/boards/%s.dts", SOC_SRCDIR, name);
		char *out = g_strdup_printf("%s/%s.dtb", tmp_dir, name);
		SocSession *s = soc_fuzz_session(src);
		if (!s || !soc_fuzz_command(s, "dump-dtb", "path", out, NULL, NULL)) {
			fprintf(stderr, "fuzz: cannot compile board %s\n", src);
			exit(2);
		}
		soc_session_free(s);
		g_hash_table_insert(boards, g_strdup(name), out);
		dtb = out;
	}
	return dtb;
}

bool soc_fuzz_command(SocSession *s, const char *command, const char *arg1, const char *val1,
                      const char *arg2, const char *val2)
{
	SocJson *a = NULL, *res = NULL;
	GError *err = NULL;
	bool ok;

	if (arg1) {
		a = soc_json_new_object();
		soc_json_object_set_string(a, arg1, val1);
		if (arg2)
			soc_json_object_set_string(a, arg2, val2);
	}
	ok = soc_command_execute(s, command, a, &res, &err);
	if (getenv("SOCEMU_FUZZ_VERBOSE") && err)
		fprintf(stderr, "fuzz: %s: %s\n", command, err->message);
	g_clear_error(&err);
	soc_json_free(res);
	soc_json_free(a);
	return ok;
}

SocSession *soc_fuzz_session(const char *tree)
{
	SocSession *s = soc_session_new(NULL);

	/* Guest errors and warnings are expected by the thousand: not on the terminal. */
	if (!soc_fuzz_command(s, "set-log", "file", "/dev/null", NULL, NULL) ||
	    !soc_fuzz_command(s, "load-tree", "path", tree, NULL, NULL)) {
		soc_session_free(s);
		return NULL;
	}
	return s;
}

void soc_fuzz_semihosting(SocSession *s)
{
	SocJson *a = soc_json_new_object();
	g_autofree char *root = g_build_filename(tmp_dir, "root", NULL);

	g_mkdir_with_parents(root, 0700);
	soc_json_object_set_bool(a, "enabled", true);
	soc_json_object_set_string(a, "root", root);
	soc_command_execute(s, "set-semihosting", a, NULL, NULL);
	soc_json_free(a);
}

void soc_fuzz_build_and_run(SocSession *s, int64_t max_insns)
{
	SocJson *limits = soc_json_new_object(), *res = NULL;
	GError *err = NULL;

	soc_json_object_set_int(limits, "max-insns", max_insns);
	soc_json_object_set_string(limits, "timeout", "10ms");
	if (soc_command_execute(s, "set-limits", limits, NULL, &err) &&
	    soc_fuzz_command(s, "build", NULL, NULL, NULL, NULL))
		soc_command_execute(s, "run", NULL, &res, &err);
	if (getenv("SOCEMU_FUZZ_VERBOSE")) {
		g_autofree char *text = res ? soc_json_to_string(res, 0) : NULL;
		fprintf(stderr, "fuzz: %s\n", err ? err->message : text ? text : "(no result)");
	}
	g_clear_error(&err);
	soc_json_free(res);
	soc_json_free(limits);
}
