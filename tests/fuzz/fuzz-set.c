/* tests/fuzz/fuzz-set.c — arbitrary -set assignments.
 *
 * Each line of the input is one "-set /path:property=value" on a shipped board, in order,
 * then the machine is built and run briefly. Plain strings and cell lists go through
 * socemu's own value parser and overlay builder (no dtc); everything else through dtc. Any
 * line may be refused with a message; none may crash socemu or leave the tree half-changed
 * in a way the build trips over. */
#include "tests/fuzz/fuzz.h"

#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const boards[] = { "riscv32-virt", "mps2-an385", "demo" };
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	SocSession *s;
	unsigned n = 0;

	if (size < 1 || size > 4096)
		return 0;
	s = soc_fuzz_session(soc_fuzz_board(boards[data[0] % 3]));
	if (!s)
		return 0;
	text = g_strndup((const char *)data + 1, size - 1);   /* stops at a NUL, like argv */
	lines = g_strsplit(text, "\n", 8);
	for (char **l = lines; *l; l++)
		if (**l && n++ < 8)
			soc_fuzz_command(s, "set-property", "assignment", *l, NULL, NULL);
	soc_fuzz_build_and_run(s, 5000);
	soc_session_free(s);
	return 0;
}
