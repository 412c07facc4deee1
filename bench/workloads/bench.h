/* bench.h — what every benchmark workload shares: its size from the guest command line
 * (semihosting, picolibc's argv), one result line that bench/run parses, and the few
 * board hooks (timer, console input) that arch-riscv.c and arch-arm.c provide. */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The i-th numeric argument (from 1), or the default when there are fewer. Arguments that
 * are not numbers are skipped: QEMU's semihosting command line starts with the image's
 * file name, which picolibc hands over as argv[1], while socemu passes -append alone. */
static inline unsigned long bench_arg(int argc, char **argv, int i, unsigned long def)
{
	for (int k = 1; k < argc; k++)
		if (argv[k][0] >= '0' && argv[k][0] <= '9' && --i == 0)
			return strtoul(argv[k], NULL, 0);
	return def;
}

/* The one line bench/run reads: the iterations done (the workload's own count, so that
 * runs of different sizes can be compared) and a checksum that must agree between
 * emulators, proving they computed the same thing. */
static inline void bench_report(const char *name, unsigned long iters, unsigned long extra,
                                uint32_t checksum)
{
	printf("bench %s iterations=%lu extra=%lu checksum=%08lx\n", name, iters, extra,
	       (unsigned long)checksum);
}

/* A periodic timer interrupt every `period` ticks of the board's timer (CLINT mtime on
 * RISC-V, SysTick on Cortex-M); each one adds 1 to bench_timer_count. */
extern volatile uint32_t bench_timer_count;
void bench_timer_start(uint32_t period);
void bench_timer_stop(void);

/* Sleep (WFI) until the console UART has received a byte; returns it. */
int bench_wait_input(void);

#endif
