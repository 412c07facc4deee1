/* Two passing test points, over semihosting. */
#include <stdio.h>

int main(void)
{
	printf("1..2\n");
	printf("ok 1 - arithmetic: %d\n", 6 * 7);
	printf("ok 2 - strings\n");
	return 0;
}
