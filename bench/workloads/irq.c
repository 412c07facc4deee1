/* irq.c — interrupt-heavy: a periodic timer interrupt every argv[1] timer ticks (0: no
 * timer, the calibration run) while the main loop does argv[2] rounds of fixed integer
 * work. The main loop's work is the same whatever the interrupt rate, so the instructions
 * of a run are base + interrupts * cost-per-interrupt (bench/run fits the two). */
#include <stdint.h>
#include "bench.h"

int main(int argc, char **argv)
{
	uint32_t period = (uint32_t)bench_arg(argc, argv, 1, 1000);
	unsigned long iters = bench_arg(argc, argv, 2, 100000);
	uint32_t x = 1, sum = 0;

	if (period)
		bench_timer_start(period);
	for (unsigned long it = 0; it < iters; it++) {
		/* A few dozen instructions of work a round, no memory traffic. */
		for (int k = 0; k < 8; k++) {
			x = x * 1664525u + 1013904223u;
			sum += x >> 7;
		}
	}
	if (period)
		bench_timer_stop();
	bench_report("irq", iters, bench_timer_count, sum);
	return 0;
}
