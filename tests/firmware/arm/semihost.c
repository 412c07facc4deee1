/* tests/firmware/arm/semihost.c — Arm semihosting through BKPT 0xAB, with picolibc: console
 * output, the command line, files below -semihosting-root, the clock, and the exit status
 * (the program ends with status 3, which the test expects). */
#include "rt.h"

#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	FILE *f;
	char buf[32] = "";
	printf("# expected exit status 3\n");
	rt_ok(argc >= 1, "argv[0] from SYS_GET_CMDLINE (%d arguments)", argc);
	rt_ok(argc < 2 || !strcmp(argv[1], "hello"), "argv[1] is the -append argument");
	f = fopen("note.txt", "w");
	rt_ok(f != NULL, "fopen for writing below -semihosting-root");
	if (f) {
		fputs("written by the guest", f);
		fclose(f);
	}
	f = fopen("note.txt", "r");
	rt_ok(f != NULL, "fopen for reading");
	if (f) {
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = 0;
		rt_ok(!strcmp(buf, "written by the guest"), "the file holds what was written (read %u bytes: '%s')",
		      (unsigned)n, buf);
		fclose(f);
	}
	rt_ok(fopen("../escape.txt", "w") == NULL, "a path leaving the root is refused");
	rt_ok(clock() != (clock_t)-1, "SYS_CLOCK");
	rt_done();
	return 3;
}
