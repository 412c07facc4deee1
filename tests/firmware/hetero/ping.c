/* Cluster a: sends ROUNDS numbers to cluster b through the shared SRAM, rings b's doorbell,
 * waits for b's doorbell and checks the doubled answer. */
#include <stdio.h>
#include "mailbox.h"

#define SHARED ((volatile uint32_t *)0x40000000)

int main(void)
{
	int failures = 0;
	printf("1..%d\n", ROUNDS);
	for (uint32_t i = 1; i <= ROUNDS; i++) {
		SHARED[0] = i;
		MHU[MHU_B_SET] = 1;
		while (!(MHU[MHU_A_STAT] & 1))
			;
		MHU[MHU_A_CLEAR] = 1;
		if (SHARED[1] != 2 * i)
			failures++;
		printf("%s %u - b doubled %u into %u\n", SHARED[1] == 2 * i ? "ok" : "not ok", (unsigned)i,
		       (unsigned)i, (unsigned)SHARED[1]);
	}
	return failures;
}
