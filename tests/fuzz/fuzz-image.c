/* tests/fuzz/fuzz-image.c — arbitrary files given as the image (-kernel).
 *
 * The first byte chooses the board, the rest is the file: ELF headers, program headers,
 * symbol tables and segments that lie about their sizes and addresses must be refused with
 * a message, or loaded and run, never read out of bounds. */
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const boards[] = { "riscv32-virt", "riscv-virt", "mps2-an385", "demo" };
	SocSession *s;

	if (size < 1 || size > 256 * 1024)
		return 0;
	s = soc_fuzz_session(soc_fuzz_board(boards[data[0] % 4]));
	if (!s)
		return 0;
	soc_fuzz_command(s, "add-image", "path", soc_fuzz_write("image.elf", data + 1, size - 1),
	                 NULL, NULL);
	soc_fuzz_semihosting(s);
	soc_fuzz_build_and_run(s, 20000);
	soc_session_free(s);
	return 0;
}
