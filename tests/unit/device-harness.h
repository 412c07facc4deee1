/* tests/unit/device-harness.h — the fixture of the device-model unit tests: a machine built
 * from a tree under tests/data, driven through its default cluster's address space, with its
 * log captured in memory, its UARTs on file backends in a temporary directory (input given per
 * test) and virtual time advanced by hand. Every helper asserts instead of returning an error.
 *
 * Life cycle: soc_tm_init, soc_tm_add_uart (any number, before the build), soc_tm_build,
 * then soc_tm_free, which frees the machine before the log and context it uses and removes
 * the files. soc_tm_teardown has the shape of a GTest fixture teardown. */
#ifndef SOC_TEST_DEVICE_HARNESS_H
#define SOC_TEST_DEVICE_HARNESS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/device.h"
#include "core/log.h"
#include "core/machine.h"
#include "core/vtime.h"

typedef struct SocTestMachine {
	char *dir;               /* the UARTs' files; NULL until the first UART */
	GPtrArray *serial;       /* SocSerialOverride *, given to every build */
	GPtrArray *uart_paths;   /* char *: UART i's output file at 2i, its input file at 2i + 1 */
	SocLog *log;             /* writes into logbuf; outlives every machine */
	FILE *logf;
	char *logbuf;
	size_t loglen;
	GMainContext *ctx;       /* host I/O; soc_tm_pump runs it */
	char *dts;               /* the tree of the last build, for rebuilding */
	SocMachine *m;
	SocAddressSpace *as;     /* the default cluster's */
} SocTestMachine;

void soc_tm_init(SocTestMachine *tm);
/* Put the UART `target` (label, alias or node path) on a file backend that reads `input`
 * (NULL: nothing). Returns its index for the other soc_tm_uart_* functions. */
unsigned soc_tm_add_uart(SocTestMachine *tm, const char *target, const char *input);
const char *soc_tm_uart_out_path(const SocTestMachine *tm, unsigned uart);
const char *soc_tm_uart_in_path(const SocTestMachine *tm, unsigned uart);
/* Build tests/data/NAME.dts; the build must succeed. */
void soc_tm_build(SocTestMachine *tm, const char *name);
/* What the UART has written so far (g_free it). The backend flushes when it closes, so the
 * machine is freed to read the file and built again from the same tree: state is lost. */
char *soc_tm_uart_output(SocTestMachine *tm, unsigned uart);
void soc_tm_free(SocTestMachine *tm);
void soc_tm_teardown(SocTestMachine *tm, gconstpointer data);

/* Accesses that must answer SOC_MEM_OK. */
uint64_t soc_tm_rd(SocTestMachine *tm, uint64_t addr, unsigned size);
void soc_tm_wr(SocTestMachine *tm, uint64_t addr, unsigned size, uint64_t value);

/* Run the host context until it is idle, as the machine does between quanta. */
void soc_tm_pump(SocTestMachine *tm);
bool soc_tm_log_has(SocTestMachine *tm, const char *text);

/* The device at `path`, which must exist. */
SocDevice *soc_tm_device(SocTestMachine *tm, const char *path);
/* The level of the device's irq_out[i] / irq_in[i]; i must exist. */
int soc_tm_irq_level(SocTestMachine *tm, const char *path, unsigned i);
int soc_tm_irq_in_level(SocTestMachine *tm, const char *path, unsigned i);

/* Fire the machine's events up to t; time then stands at t. */
void soc_tm_run_to(SocTestMachine *tm, SocTime t);
SocTime soc_tm_now(SocTestMachine *tm);
/* The first picosecond at which a clock of hz has counted n cycles (ceil(n * 1e12 / hz)),
 * computed here rather than by the models under test. */
SocTime soc_tm_first_ps(uint64_t n, uint64_t hz);

/* Building tests/data/NAME.dts after the one -set `assignment` must fail with `expect` in
 * the message. */
void soc_tm_expect_bad_edit(const char *name, const char *assignment, const char *expect);
/* Building tests/data/NAME.dts must fail with the message its first line gives after
 * "// expect: ". */
void soc_tm_expect_bad_tree(const char *name);

#endif
