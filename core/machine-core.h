/* core/machine-core.h — the machine's internals, shared by the core's own modules
 * (machine.c, sched.c, report.c, loader.c, command.c). Models never include this. */
#ifndef SOC_MACHINE_CORE_H
#define SOC_MACHINE_CORE_H

#include "core/machine.h"

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
	uint64_t root_base, size;     /* on the root bus */
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

struct SocCluster {
	int node;                     /* -1 for the implicit root view */
	char *path;
	char *name;
	bool implicit;
	SocAddressSpace *as;
	GPtrArray *cpus;              /* SocCpu* */
	GPtrArray *cpu_notes;         /* char*: cpus that exist in the tree but have no model */
	char *image_note;             /* what was loaded, or why the cluster stays in reset */
	bool has_image;
};

struct SocMachine {
	SocTree *tree;
	const void *fdt;
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
	struct SocSemihost *semihost;

	bool shutdown;
	SocShutdownKind shutdown_kind;
	int shutdown_status;
	char *shutdown_reason;
};

bool attach_chardev(SocMachine *m, SocDevice *dev, GError **err);
bool soc_cluster_sees(const SocMachine *m, const SocCluster *c, uint64_t root_base, uint64_t size);
char *soc_machine_label_of(const void *fdt, const char *path);

#endif
