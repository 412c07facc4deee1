/* core/machine-core.h — the machine's internals, shared by the core's own modules
 * (machine.c, sched.c, report.c, loader.c, command.c). Models never include this. */
#ifndef SOC_MACHINE_CORE_H
#define SOC_MACHINE_CORE_H

#include "core/machine.h"
#include "core/fdt.h"

typedef enum {
	SOC_NODE_MODELLED,
	SOC_NODE_UNMODELLED,
	SOC_NODE_DISABLED,
	SOC_NODE_BUS,          /* no model, has ranges and no reg: a bus whose children are mapped */
	SOC_NODE_CONTAINER,    /* no model, no compatible, no reg: structure only (the root, say) */
	SOC_NODE_CPU_PART,     /* a part of a cpu model (Cortex-M NVIC, SysTick): see owner_cpu */
} SocNodeStatus;

typedef struct {
	unsigned reg_index;
	uint64_t root_base, size;     /* on the root bus, or in `space` */
	int space;                    /* 0: root bus; else the indirect-bus node holding the node */
} SocNodeWindow;

typedef struct SocNodeInfo {
	int node;
	char *path;
	SocNodeStatus status;
	const SocDeviceClass *cls;
	SocDevice *dev;
	GArray *windows;              /* SocNodeWindow */
	GPtrArray *irqs;              /* char* descriptions of each irq connection */
	char *note;                   /* why something is not mapped, for the report */
	const char *owned_compatible; /* SOC_NODE_CPU_PART: which compatible a cpu class owns */
	SocCpu *owner_cpu;            /* SOC_NODE_CPU_PART: the cpu it was given to (NULL: none) */
} SocNodeInfo;

/* One address-map entry: root (or indirect-bus) range [base, base+size) of `target` and its
 * descendants appears at cluster_base in the cluster's view. */
typedef struct SocMapEntry {
	uint64_t cluster_base, base, size;
	int target;                   /* node offset named by the phandle */
	int space;                    /* 0: root bus; else the indirect-bus node the range is in */
} SocMapEntry;

struct SocCluster {
	int node;                     /* -1 for the implicit root view */
	char *path;
	char *name;
	bool implicit;
	GArray *map;                  /* SocMapEntry; NULL: no address-map, the cluster sees the root bus */
	SocAddressSpace *as;
	GPtrArray *cpus;              /* SocCpu* */
	GPtrArray *cpu_notes;         /* char*: cpus that exist in the tree but have no model */
	char *image_note;             /* what was loaded, or why the cluster stays in reset */
	bool has_image;
	bool reported;                /* a cpu of it reported its exit (multi-cluster runs) */
	int report_status;
};

struct SocMachine {
	SocTree *tree;
	const void *fdt;
	SocFdtIndex *fdt_index;         /* parents, paths, phandles of fdt while the machine lives */
	SocLog *log;
	SocEventQueue *events;
	GMainContext *ctx;
	SocMachineConfig cfg;

	GPtrArray *nodes;             /* SocNodeInfo*, in tree order */
	GHashTable *node_by_path;     /* path -> SocNodeInfo* */
	GPtrArray *devices;           /* SocDevice*, in build order */
	GHashTable *dev_by_path;
	GPtrArray *clusters;          /* SocCluster*, in tree order */
	GPtrArray *chardevs;          /* SocChardev* owned */
	uint64_t timebase_hz;
	uint64_t timebase_offset;     /* see soc_machine_timebase_offset */
	struct SocSemihost *semihost;
	GPtrArray *warnings;          /* char*: things the user should know, printed by front ends */

	bool shutdown;
	SocShutdownKind shutdown_kind;
	int shutdown_status;
	char *shutdown_reason;
};

bool attach_chardev(SocMachine *m, SocDevice *dev, GError **err);
void soc_machine_warn(SocMachine *m, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
char *soc_machine_label_of(const void *fdt, const char *path);

#endif
