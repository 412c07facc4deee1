/* cpus/cpu.h — the one interface between the core and every CPU model.
 *
 * The core sees a CPU as a SocCpu header (the first member of the model's own state) and a
 * const class of functions; it never sees ISA state. A model reads only its own cpu node's
 * properties (through SocCpuConfig), reaches memory only through its cluster's address space
 * and time only through the event queue.
 *
 * Time: a CPU retires one instruction per cycle of its clock-frequency (a simple, exact and
 * deterministic model). The scheduler gives run() an instruction budget; the CPU returns
 * early when it sleeps (WFI/WFE) or when the core lowers `stop_at` (an earlier timer was
 * armed, or an interrupt became pending on this CPU). Before every slow-path access that can
 * reach a device (MMIO), the CPU must bring `insns` up to date, so that the device sees the
 * exact local time. */
#ifndef SOC_CPU_H
#define SOC_CPU_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "core/memory.h"
#include "core/vtime.h"

typedef struct SocCpu SocCpu;
typedef struct SocCpuClass SocCpuClass;
typedef struct SocIrq SocIrq;
typedef struct SocLog SocLog;
typedef struct SocMachine SocMachine;

typedef enum {
	SOC_CPU_RUNNING,      /* can execute */
	SOC_CPU_SLEEPING,     /* WFI/WFE: wakes when an interrupt (or event) is pending */
	SOC_CPU_HALTED,       /* held in reset, no image, or stopped by the debugger */
	SOC_CPU_LOCKED_UP,    /* an unrecoverable fault: see `stop_reason` */
} SocCpuState;

/* What the core hands a model at creation. */
typedef struct SocCpuConfig {
	const void *fdt;          /* the machine tree (read only) and this cpu's node in it */
	int node;
	const char *path;         /* node path, e.g. "/cpus/cpu@0" */
	const char *cluster;      /* cluster name for messages, e.g. "rt" */
	unsigned index;           /* position of this cpu in its cluster (hart id defaults to reg) */
	uint64_t clock_hz;        /* resolved clock-frequency (cpu node, else its cluster node) */
	uint64_t timebase_hz;     /* /cpus timebase-frequency, 0 when absent */
	SocAddressSpace *as;      /* the cluster's view of the system */
	SocEventQueue *events;
	SocLog *log;
	SocMachine *machine;      /* only for the soc_machine_* services declared in machine.h */
} SocCpuConfig;

struct SocCpu {
	const SocCpuClass *cls;
	char *path;
	char *cluster;
	uint64_t clock_hz;
	SocAddressSpace *as;
	SocEventQueue *events;
	SocLog *log;
	SocMachine *machine;

	SocCpuState state;
	char *stop_reason;        /* human-readable cause of LOCKED_UP (owned, g_free'd by core) */

	/* Instruction counting. `insns` counts retired instructions since creation; run() must
	 * return when insns >= stop_at (checked at least at every block boundary). */
	uint64_t insns;
	uint64_t stop_at;
	/* Cycles spent asleep, added by the scheduler; local time = (insns + sleep_cycles) / clock. */
	uint64_t sleep_cycles;

	/* Interrupt/event inputs the model created (named "<cpu path>:<name>"). */
	SocIrq **irq_in;
	unsigned n_irq_in;
};

struct SocCpuClass {
	const char *name;                      /* "riscv", "cortex-m4f" */
	const char *const *compatible;         /* NULL-terminated list matched against the cpu node */
	unsigned elf_machine;                  /* e_machine of images it runs (EM_RISCV, EM_ARM); 0: any */

	SocCpu *(*create)(const SocCpuConfig *cfg, GError **err);
	void (*destroy)(SocCpu *cpu);
	void (*reset)(SocCpu *cpu);
	/* Entry point from the loaded image (or socemu,reset-vector); called after reset. */
	void (*set_entry)(SocCpu *cpu, uint64_t entry);
	/* The guest's device tree was placed at addr (RISC-V: a1 at reset). May be NULL. */
	void (*set_boot_dtb)(SocCpu *cpu, uint64_t addr);
	/* Execute until insns >= stop_at, or the CPU stops running. */
	void (*run)(SocCpu *cpu);

	uint64_t (*get_pc)(const SocCpu *cpu);
	/* Disassemble the instruction at addr into buf; returns its length in bytes, 0 if unreadable. */
	unsigned (*disassemble)(SocCpu *cpu, uint64_t addr, char *buf, size_t buflen);

	/* Input by name (e.g. "irq3") for the core's signal wiring; NULL if no such input. */
	SocIrq *(*irq_input)(SocCpu *cpu, const char *name);

	/* Nodes that describe parts of the core itself (Cortex-M: "arm,v7m-nvic",
	 * "arm,armv7m-systick"): the core gives each such enabled node to one cpu of this class
	 * (a cpu of the cluster whose subtree holds the node, else the first cpu in tree order
	 * that has not claimed that compatible yet) through attach_node, and routes interrupt
	 * specifiers aimed at the node to irq_xlate. NULL-terminated; may be NULL. */
	const char *const *owned_compatibles;
	bool (*attach_node)(SocCpu *cpu, const void *fdt, int node, const char *compatible, GError **err);
	/* Specifier cells aimed at an attached node -> the cpu's input signal. */
	SocIrq *(*irq_xlate)(SocCpu *cpu, const char *compatible, const uint32_t *cells, unsigned ncells,
	                     GError **err);
};

/* Make run() return at the next block boundary, so that the model re-evaluates pending
 * interrupts and the scheduler re-evaluates time. A model's interrupt input handler calls it
 * (and sets state back to RUNNING itself when the ISA says the interrupt wakes the CPU). */
static inline void soc_cpu_kick(SocCpu *cpu)
{
	cpu->stop_at = cpu->insns;
}

/* Fill the common header (called by models from create). */
void soc_cpu_init_common(SocCpu *cpu, const SocCpuClass *cls, const SocCpuConfig *cfg);
void soc_cpu_destroy_common(SocCpu *cpu);
/* The CPU's local virtual time, from its instruction count and clock. */
SocTime soc_cpu_local_time(const SocCpu *cpu);

/* Every CPU class socemu has (cpus/registry.c). */
const SocCpuClass *soc_cpu_class_for_node(const void *fdt, int node);
const SocCpuClass *const *soc_cpu_classes(void);

#endif
