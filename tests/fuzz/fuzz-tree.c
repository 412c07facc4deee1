/* tests/fuzz/fuzz-tree.c — arbitrary device trees.
 *
 * The input is tried twice: as the machine's whole tree (.dtb), and as an overlay (.dtbo)
 * on a shipped board. Every node a model reads, every phandle, interrupt map, address map
 * and range the core resolves comes from the input; a bad one must be an error naming the
 * node, never a crash, a hang or a leak. */
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SocSession *s;

	if (size > 256 * 1024)
		return 0;
	s = soc_fuzz_session(soc_fuzz_write("tree.dtb", data, size));
	if (s) {
		soc_fuzz_build_and_run(s, 10000);
		soc_session_free(s);
	}
	s = soc_fuzz_session(soc_fuzz_board(size && (data[size - 1] & 1) ? "demo" : "riscv32-virt"));
	if (s) {
		if (soc_fuzz_command(s, "apply-overlay", "path", soc_fuzz_write("tree.dtbo", data, size),
		                     NULL, NULL))
			soc_fuzz_build_and_run(s, 10000);
		soc_session_free(s);
	}
	return 0;
}
