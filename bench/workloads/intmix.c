/* intmix.c — the integer mix: table-driven CRC-32, a sieve of Eratosthenes, a Shell sort
 * and a small integer matrix product, repeated argv[1] times on data that changes each
 * round (so nothing can be hoisted out of the loop). */
#include <stdint.h>
#include <string.h>
#include "bench.h"

#define CRC_BYTES 2048
#define SIEVE_N 4096
#define SORT_N 256
#define MAT_N 12

static uint32_t crc_table[256];
static uint8_t crc_buf[CRC_BYTES];
static uint8_t sieve_flags[SIEVE_N];
static uint32_t sort_buf[SORT_N];
static int32_t mat_a[MAT_N * MAT_N], mat_b[MAT_N * MAT_N], mat_c[MAT_N * MAT_N];

static uint32_t xorshift(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

static uint32_t sieve(unsigned n)
{
	uint32_t count = 0;
	memset(sieve_flags, 1, n);
	for (unsigned i = 2; i < n; i++) {
		if (!sieve_flags[i])
			continue;
		count++;
		for (unsigned j = i + i; j < n; j += i)
			sieve_flags[j] = 0;
	}
	return count;
}

static void shell_sort(uint32_t *a, unsigned n)
{
	static const unsigned gaps[] = { 132, 57, 23, 10, 4, 1 };
	for (unsigned g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
		unsigned gap = gaps[g];
		for (unsigned i = gap; i < n; i++) {
			uint32_t v = a[i];
			unsigned j = i;
			for (; j >= gap && a[j - gap] > v; j -= gap)
				a[j] = a[j - gap];
			a[j] = v;
		}
	}
}

static uint32_t matmul(void)
{
	uint32_t sum = 0;
	for (unsigned i = 0; i < MAT_N; i++)
		for (unsigned j = 0; j < MAT_N; j++) {
			int32_t acc = 0;
			for (unsigned k = 0; k < MAT_N; k++)
				acc += mat_a[i * MAT_N + k] * mat_b[k * MAT_N + j];
			mat_c[i * MAT_N + j] = acc;
			sum += (uint32_t)acc;
		}
	return sum;
}

int main(int argc, char **argv)
{
	unsigned long iters = bench_arg(argc, argv, 1, 100);
	uint32_t seed = 0x12345678u, sum = 0;

	crc_init();
	for (unsigned long it = 0; it < iters; it++) {
		for (unsigned i = 0; i < CRC_BYTES; i += 64)
			crc_buf[(i + it) % CRC_BYTES] = (uint8_t)xorshift(&seed);
		sum += crc32(crc_buf, CRC_BYTES);
		sum += sieve(SIEVE_N - (it & 63));
		for (unsigned i = 0; i < SORT_N; i++)
			sort_buf[i] = xorshift(&seed);
		shell_sort(sort_buf, SORT_N);
		sum += sort_buf[it % SORT_N];
		for (unsigned i = 0; i < MAT_N * MAT_N; i++) {
			mat_a[i] = (int32_t)(xorshift(&seed) & 0xff) - 128;
			mat_b[i] = (int32_t)(xorshift(&seed) & 0xff) - 128;
		}
		sum += matmul();
	}
	bench_report("intmix", iters, 0, sum);
	return 0;
}
