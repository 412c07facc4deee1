/* core/machine.h — a machine built from a tree, and its services.
 *
 * soc_machine_build() turns a loaded tree into clusters, address spaces, devices and irq
 * connections (see ARCHITECTURE.md "Data flow"); everything about the machine after that is
 * read through the functions here, by the scheduler, the report and the front ends. */
#ifndef SOC_MACHINE_H
#define SOC_MACHINE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/device.h"
#include "core/json.h"
#include "core/memory.h"
#include "core/tree.h"
#include "core/vtime.h"

typedef struct SocMachine SocMachine;
typedef struct SocCluster SocCluster;
typedef struct SocCpu SocCpu;
typedef struct SocLog SocLog;
typedef struct SocChardev SocChardev;

typedef struct SocSerialOverride {
	char *target;      /* label, alias or node path of a UART */
	char *backend;     /* chardev spec */
} SocSerialOverride;

/* Everything a build needs besides the tree; filled by commands (core/command.c). */
typedef struct SocMachineConfig {
	GPtrArray *serial;            /* SocSerialOverride* */
	GMainContext *ctx;            /* host I/O; the machine iterates it between quanta */
	SocLog *log;                  /* owned by the caller, outlives the machine */
	void (*quit)(void *opaque);   /* the console's escape asked to quit */
	void *quit_opaque;
	const struct SocSemihostConfig *semihost;   /* NULL: semihosting off */
} SocMachineConfig;

/* Takes ownership of the tree. */
SocMachine *soc_machine_build(SocTree *tree, const SocMachineConfig *cfg, GError **err);
void soc_machine_free(SocMachine *m);

const SocTree *soc_machine_tree(const SocMachine *m);
const void *soc_machine_fdt(const SocMachine *m);
SocLog *soc_machine_log(const SocMachine *m);
SocEventQueue *soc_machine_events(const SocMachine *m);
uint64_t soc_machine_timebase_hz(const SocMachine *m);
/* The platform timer's count (RISC-V MTIME) is cycles of the timebase since reset plus this
 * offset, which a guest write to MTIME moves; the harts' time CSR reads the same count. */
uint64_t soc_machine_timebase_offset(const SocMachine *m);
void soc_machine_set_timebase_offset(SocMachine *m, uint64_t offset);
/* The semihosting service, NULL when -semihosting is off (then the trap is an ordinary
 * breakpoint exception). */
struct SocSemihost *soc_machine_semihost(const SocMachine *m);

unsigned soc_machine_cluster_count(const SocMachine *m);
SocCluster *soc_machine_cluster(const SocMachine *m, unsigned i);
/* By label, node name or node path; NULL if none. */
SocCluster *soc_machine_find_cluster(const SocMachine *m, const char *name);
SocCluster *soc_machine_default_cluster(const SocMachine *m);
const char *soc_cluster_name(const SocCluster *c);
const char *soc_cluster_path(const SocCluster *c);
SocAddressSpace *soc_cluster_as(const SocCluster *c);
unsigned soc_cluster_cpu_count(const SocCluster *c);
SocCpu *soc_cluster_cpu(const SocCluster *c, unsigned i);

unsigned soc_machine_device_count(const SocMachine *m);
SocDevice *soc_machine_device(const SocMachine *m, unsigned i);
SocDevice *soc_machine_find_device(const SocMachine *m, const char *path);

/* Shutdown requests from devices, CPUs (semihosting) and the console. The first one wins. */
void soc_machine_request_shutdown(SocMachine *m, SocShutdownKind kind, int status, const char *who,
                                  const char *reason);
/* A cpu reports the end of its program (semihosting exit). With one cluster running an image
 * this ends the run. With several, the reporting cluster stops; a failure (non-zero status)
 * ends the run at once naming the cluster, and success ends it once every cluster with an
 * image has reported. */
void soc_machine_cpu_exit(SocMachine *m, SocCpu *cpu, int status, const char *reason);
bool soc_machine_shutdown_requested(const SocMachine *m, SocShutdownKind *kind, int *status,
                                    const char **reason);
void soc_machine_clear_shutdown(SocMachine *m);
void soc_machine_reset(SocMachine *m);

/* Warnings from the build (ambiguous address-map widths, truncated windows, ...). */
unsigned soc_machine_warning_count(const SocMachine *m);
const char *soc_machine_warning(const SocMachine *m, unsigned i);

/* JSON description of the built machine (the -report output); the caller frees it. */
SocJson *soc_machine_report(const SocMachine *m);

#endif
