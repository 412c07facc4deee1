/* hello.c — the one-line test image: start-up cost and the 200-test suite use it. */
#include <stdio.h>

int main(void)
{
	printf("ok 1 - hello\n");
	return 0;
}
