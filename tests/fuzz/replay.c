/* tests/fuzz/replay.c — runs a fuzz target once over its saved corpus, as a TAP test.
 *
 * `make check` links each target with this file instead of libFuzzer. With no arguments it
 * replays tests/fuzz/corpus/<target>/ (the target's name comes from the program's); with
 * arguments, the files and directories given. Each input is one TAP point: it passes when
 * the target returns (a crash or a sanitizer report ends the program, which the harness
 * reports as an error). */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

static void collect(const char *path, GPtrArray *files)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;

	if (!d) {
		g_ptr_array_add(files, g_strdup(path));
		return;
	}
	while ((name = g_dir_read_name(d)))
		g_ptr_array_add(files, g_build_filename(path, name, NULL));
	g_dir_close(d);
}

static int by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *base = g_path_get_basename(argv[0]);
	FILE *tap;
	int tap_fd;

	/* The target silences stdout (guest consoles): TAP goes to a copy made before. */
	tap_fd = dup(STDOUT_FILENO);
	tap = tap_fd >= 0 ? fdopen(tap_fd, "w") : NULL;
	if (!tap)
		return 99;
	LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			collect(argv[i], files);
	} else {
		/* replay-guest -> tests/fuzz/corpus/guest */
		const char *target = strncmp(base, "replay-", 7) ? base : base + 7;
		g_autofree char *dir = g_build_filename(SOC_SRCDIR, "tests", "fuzz", "corpus", target, NULL);
		if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
			fprintf(tap, "Bail out! no corpus at %s\n", dir);
			return 99;
		}
		collect(dir, files);
	}
	g_ptr_array_sort(files, by_name);
	fprintf(tap, "1..%u\n", files->len);
	fflush(tap);
	for (guint i = 0; i < files->len; i++) {
		const char *f = files->pdata[i];
		g_autofree char *bytes = NULL;
		gsize len = 0;
		if (!g_file_get_contents(f, &bytes, &len, NULL)) {
			fprintf(tap, "not ok %u - %s: cannot read\n", i + 1, f);
			continue;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)bytes, len);
		/* corpus/guest/random-0 rather than the whole path */
		{
			const char *shown = strstr(f, "/corpus/");
			fprintf(tap, "ok %u - %s\n", i + 1, shown ? shown + 8 : f);
		}
		fflush(tap);
	}
	fclose(tap);
	return 0;
}
