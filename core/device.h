/* core/device.h — the device model interface.
 *
 * A model is one `static const SocDeviceClass` in one file under devices/. It declares its
 * compatible strings, its state size, a property table and its life-cycle functions; the
 * core creates an instance per enabled node, fills the properties from the node (models
 * never walk the tree), calls realize, maps the windows the model declared into every
 * address space that sees the node, and connects the irq signals from the tree.
 *
 * Windows: reg entry i of the node is window i. A model with `mmio` set gets that ops table
 * for every window unless realize says otherwise with soc_dev_set_window_*(). Offsets passed
 * to ops are relative to the window's start in the device's own address range.
 *
 * Interrupts: entry i of the node's `interrupts` / `interrupts-extended` drives the device's
 * output irq_out[i] (at least `n_irq_outputs` exist even when the node lists fewer). A model
 * that is an interrupt controller creates its inputs in realize (soc_dev_init_irq_inputs) and
 * translates a specifier to an input index with `irq_xlate`. */
#ifndef SOC_DEVICE_H
#define SOC_DEVICE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/memory.h"
#include "core/vtime.h"

typedef struct SocDevice SocDevice;
typedef struct SocDeviceClass SocDeviceClass;
typedef struct SocIrq SocIrq;
typedef struct SocChardev SocChardev;
typedef struct SocMachine SocMachine;
typedef struct SocLog SocLog;

typedef enum {
	SOC_PROP_TYPE_U32,      /* one cell */
	SOC_PROP_TYPE_U64,      /* one or two cells (two = high, low) */
	SOC_PROP_TYPE_BOOL,     /* present (empty) or absent */
	SOC_PROP_TYPE_STRING,   /* char *, owned by the instance */
	SOC_PROP_TYPE_PHANDLE,  /* char * node path of the referenced node, NULL when absent */
} SocPropType;

typedef struct SocPropDesc {
	const char *name;
	SocPropType type;
	size_t offset;          /* of the field in the instance struct */
	uint64_t def;           /* default for numbers and bools */
	const char *def_str;    /* default for strings */
	bool required;
	uint64_t min, max;      /* accepted range for numbers (max 0 = no limit) */
	bool track_present;     /* also record whether the node had it, in the bool at: */
	size_t present_offset;
} SocPropDesc;

#define SOC_PROP_U32(n, st, f, d) \
	{ .name = (n), .type = SOC_PROP_TYPE_U32, .offset = offsetof(st, f), .def = (d) }
#define SOC_PROP_U32_RANGE(n, st, f, d, lo, hi) \
	{ .name = (n), .type = SOC_PROP_TYPE_U32, .offset = offsetof(st, f), .def = (d), .min = (lo), .max = (hi) }
#define SOC_PROP_U32_REQ(n, st, f) \
	{ .name = (n), .type = SOC_PROP_TYPE_U32, .offset = offsetof(st, f), .required = true }
/* A u32 whose absence matters: `present` (a bool field) says whether the node had it. */
#define SOC_PROP_U32_OPT(n, st, f, d, present) \
	{ .name = (n), .type = SOC_PROP_TYPE_U32, .offset = offsetof(st, f), .def = (d), \
	  .track_present = true, .present_offset = offsetof(st, present) }
#define SOC_PROP_U64(n, st, f, d) \
	{ .name = (n), .type = SOC_PROP_TYPE_U64, .offset = offsetof(st, f), .def = (d) }
#define SOC_PROP_BOOL(n, st, f) \
	{ .name = (n), .type = SOC_PROP_TYPE_BOOL, .offset = offsetof(st, f) }
#define SOC_PROP_STRING(n, st, f, d) \
	{ .name = (n), .type = SOC_PROP_TYPE_STRING, .offset = offsetof(st, f), .def_str = (d) }
#define SOC_PROP_PHANDLE(n, st, f, req) \
	{ .name = (n), .type = SOC_PROP_TYPE_PHANDLE, .offset = offsetof(st, f), .required = (req) }
#define SOC_PROP_END { .name = NULL }

typedef enum {
	SOC_SHUTDOWN_EXIT,       /* the guest asked to end the run with an exit status */
	SOC_SHUTDOWN_RESET,      /* the guest asked for a system reset */
} SocShutdownKind;

struct SocDeviceClass {
	const char *name;                     /* model name, e.g. "ns16550a" */
	const char *const *compatible;        /* NULL-terminated; NULL for device_type matches */
	const char *device_type;              /* matched when no compatible string matches */
	const char *description;              /* one line for reports and --list-devices */
	size_t instance_size;                 /* >= sizeof(SocDevice); SocDevice must come first */
	const SocPropDesc *props;             /* terminated by SOC_PROP_END; may be NULL */

	const SocMmioOps *mmio;               /* default ops for every window, or NULL */
	unsigned n_irq_outputs;               /* minimum number of irq_out signals */
	/* Names of the outputs, in irq_out order (NULL-terminated, may be NULL): a node with
	 * interrupt-names connects its i-th interrupt to the output of that name, so trees may
	 * list them in any order (Zephyr's "rx", "tx"). */
	const char *const *irq_output_names;
	bool uses_chardev;                    /* gets a character backend (dev->chr) */
	/* Number of `#interrupt-cells` this model decodes, for interrupt controllers. */
	unsigned interrupt_cells;
	/* A cpu-local controller (riscv,cpu-intc): the node is a child of a cpu node, and the
	 * core connects irq_out[i] to that cpu's input "irq<i>" (when the cpu model has one). */
	bool drives_parent_cpu;

	bool (*realize)(SocDevice *dev, GError **err);
	void (*reset)(SocDevice *dev);
	void (*finalize)(SocDevice *dev);
	/* Interrupt controllers: specifier cells -> index into irq_in. */
	bool (*irq_xlate)(SocDevice *dev, const uint32_t *cells, unsigned ncells, unsigned *input,
	                  GError **err);
};

typedef struct SocDeviceWindow {
	uint64_t size;                        /* from the node's reg entry */
	SocWindowKind kind;                   /* MMIO unless realize set RAM/ROM */
	const SocMmioOps *ops;
	void *opaque;
	SocRamBlock *ram;
} SocDeviceWindow;

struct SocDevice {
	const SocDeviceClass *cls;
	SocMachine *machine;
	char *path;                           /* node path */
	SocLog *log;
	SocEventQueue *events;

	SocDeviceWindow *windows;             /* one per reg entry */
	unsigned n_windows;
	SocIrq **irq_out;
	unsigned n_irq_out;
	SocIrq **irq_in;
	unsigned n_irq_in;
	SocChardev *chr;                      /* when cls->uses_chardev; never NULL then */
	struct SocDeviceCore *core;           /* the core's bookkeeping; models leave it alone */
};

/* ---- services for models ---------------------------------------------------------------- */

/* Create `count` named inputs ("<path>:in<i>") that call handler(dev, i, level). */
void soc_dev_init_irq_inputs(SocDevice *dev, unsigned count,
                             void (*handler)(SocDevice *dev, unsigned n, int level));
void soc_dev_set_window_ram(SocDevice *dev, unsigned index, SocRamBlock *block, bool read_only);
void soc_dev_set_window_mmio(SocDevice *dev, unsigned index, const SocMmioOps *ops, void *opaque);
SocTime soc_dev_now(const SocDevice *dev);
/* A model's counting clock: its clock-frequency property (prop, present), else the
 * clock-frequency of the fixed clock its `clocks` phandle names (clocks_path, from a
 * SOC_PROP_PHANDLE). No clock, or 0 Hz, is an error naming the node. */
bool soc_dev_clock_hz(SocDevice *dev, uint32_t prop, bool present, const char *clocks_path,
                      uint64_t *hz, GError **err);
/* The platform timebase (/cpus timebase-frequency, as RISC-V timers count), 0 when absent. */
uint64_t soc_dev_timebase_hz(const SocDevice *dev);
/* The platform timebase's offset (moved by writes to MTIME), shared with the harts' time CSR. */
uint64_t soc_dev_timebase_offset(const SocDevice *dev);
void soc_dev_set_timebase_offset(SocDevice *dev, uint64_t offset);
SocTimer *soc_dev_timer_new(SocDevice *dev, void (*fn)(SocDevice *dev));
/* Ask the machine to end the run (exit status) or reset the system, after the current
 * instruction. The first request wins. */
void soc_dev_request_shutdown(SocDevice *dev, SocShutdownKind kind, int status, const char *reason);
/* Observe guest writes to another node's registers (syscon-poweroff watches a syscon's
 * register): fn runs after every write that touches [offset, offset + size) of the peer's
 * first window. The peer is named by node path (a phandle property); it never sees us. */
bool soc_dev_watch_writes(SocDevice *dev, const char *peer_path, uint64_t offset, unsigned size,
                          void (*fn)(SocDevice *dev, uint64_t offset, unsigned size, uint64_t value),
                          GError **err);

/* Guest error naming the device: "<path>: <message>" at the current pc. */
void soc_dev_guest_error(SocDevice *dev, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void soc_dev_unimp(SocDevice *dev, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* ---- registry (devices/registry.c) ------------------------------------------------------- */

const SocDeviceClass *const *soc_device_classes(void);
/* The class for a node: its compatible strings in order (most specific first), then its
 * device_type. NULL when no model exists. */
const SocDeviceClass *soc_device_class_for_node(const void *fdt, int node);

#endif
