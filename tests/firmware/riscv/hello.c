/* The smallest guest test: TAP over semihosting, argv from SYS_GET_CMDLINE, exit status. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	printf("1..2\n");
	printf("%s 1 - argv[0] is the image (%s)\n", argc >= 1 && strstr(argv[0], ".elf") ? "ok" : "not ok",
	       argc >= 1 ? argv[0] : "none");
	printf("ok 2 - printf reaches the console\n");
	return 0;
}
