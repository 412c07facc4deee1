/* A failing test point and a non-zero exit status: the harness reports FAIL (expected here). */
#include <stdio.h>

int main(void)
{
	printf("1..2\n");
	printf("ok 1 - this one passes\n");
	printf("not ok 2 - this one fails on purpose\n");
	return 1;
}
