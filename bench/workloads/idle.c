/* idle.c — a machine waiting for console input: the hart sleeps in WFI with only the UART's
 * receive interrupt enabled. bench/run measures the host CPU time this costs, then sends a
 * byte to end it. */
#include "bench.h"

int main(void)
{
	printf("waiting for input\n");
	fflush(stdout);
	int c = bench_wait_input();
	bench_report("idle", 1, (unsigned long)c, 0);
	return 0;
}
