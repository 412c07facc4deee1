/* tests/firmware/riscv/exit-status.c — main's return value becomes socemu's exit status:
 * picolibc reads the semihosting feature file and ends with SYS_EXIT_EXTENDED
 * (ADP_Stopped_ApplicationExit, 42), which on RV32 is the only way to pass a status.
 * run-elf.sh passes the test only when socemu exits with the status announced below. */
#include "rt.h"

int main(void)
{
	tap_plan(1);
	tap_ok(true, "main returns 42 after announcing it");
	tap_diag("expected exit status 42");
	fflush(stdout);
	return tap_done() ? 1 : 42;
}
