/* The smallest guest test: TAP over semihosting, the command line, and the exit status. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	(void)argv;
	printf("1..3\n");
	printf("%s 1 - no arguments without -append (argc %d)\n", argc == 1 ? "ok" : "not ok", argc);
	printf("ok 2 - printf reaches the console\n");
	printf("%s 3 - stdout is not a file\n", ferror(stdout) ? "not ok" : "ok");
	return 0;
}
