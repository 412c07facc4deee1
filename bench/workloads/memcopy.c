/* memcopy.c — memory-bound: a streaming read-modify-write copy between two buffers of
 * BUF_KIB KiB each (a few MiB in all, far more than a host core's L2), argv[1] passes. */
#include <stdint.h>
#include "bench.h"

#ifndef BUF_KIB
#define BUF_KIB 1024
#endif
#define WORDS (BUF_KIB * 1024u / sizeof(uintptr_t))

static uintptr_t buf_a[WORDS], buf_b[WORDS];

static void pass(uintptr_t *restrict dst, const uintptr_t *restrict src, uintptr_t k)
{
	/* Four words a round: the guest loop looks like a hand-written memcpy. */
	for (size_t i = 0; i < WORDS; i += 4) {
		dst[i] = src[i] + k;
		dst[i + 1] = src[i + 1] + k;
		dst[i + 2] = src[i + 2] + k;
		dst[i + 3] = src[i + 3] + k;
	}
}

int main(int argc, char **argv)
{
	unsigned long iters = bench_arg(argc, argv, 1, 4);
	uint32_t sum = 0;

	for (size_t i = 0; i < WORDS; i++)
		buf_a[i] = (uintptr_t)i * 2654435761u;
	for (unsigned long it = 0; it < iters; it++) {
		if (it & 1)
			pass(buf_a, buf_b, (uintptr_t)it);
		else
			pass(buf_b, buf_a, (uintptr_t)it);
	}
	for (size_t i = 0; i < WORDS; i += 997)
		sum = sum * 31u + (uint32_t)buf_a[i] + (uint32_t)buf_b[i];
	bench_report("memcopy", iters, BUF_KIB, sum);
	return 0;
}
