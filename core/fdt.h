/* core/fdt.h — the device-tree query layer every other part of socemu builds on.
 *
 * All functions read a flattened tree (a libfdt blob, `const void *fdt`) and never change it.
 * The blob is expected to have passed soc_fdt_check_blob() (fdt_check_full plus phandle
 * checks); beyond that, nothing in a property is trusted: every length is checked before a
 * cell is read, strings are bounded by their property, and every failure is a GError in the
 * SOC_ERROR domain whose message starts with the path of the node at fault ("/soc/uart@1000:
 * reg has 3 cells, expected a multiple of 4 ..."). When the node at fault is not the one the
 * caller asked about, the message is prefixed with the caller's node ("/soc/uart@1000:
 * interrupt 0: /soc/nexus: interrupt-map entry 2 is truncated ...").
 *
 * Semantics follow the Devicetree Specification v0.4 and Linux drivers/of (of_address.c,
 * of_irq.c). Deliberate differences are listed where they apply; in short:
 *  - #address-cells / #size-cells of a bus are not inherited (spec 2.3.5): absent means 2 / 1.
 *    (The one exception is the child unit-address width of an interrupt nexus, see below.)
 *  - Malformed data that Linux skips or reads past (partial trailing entries, out-of-range
 *    cell counts, addresses wider than their cells, wrapping windows) is an error here.
 *  - interrupt-map FAN-OUT: every matching entry is followed, not only the first.
 *  - Functions that take a node never crash on a bad offset; they report it as an error or
 *    treat the property as absent.
 *
 * libfdt finds a node's parent, its path, a node by path and the node of a phandle by walking
 * the blob from its start, and checks every tag again on each property lookup. Whoever holds
 * a blob that will not change for a while (the machine, from its build on) can make a
 * SocFdtIndex of it; these functions then answer from the index, with results identical to
 * libfdt's. */
#ifndef SOC_FDT_H
#define SOC_FDT_H

#include <glib.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define SOC_FDT_MAX_ADDR_CELLS 3     /* #address-cells accepted on a bus (1..3) */
#define SOC_FDT_MAX_SIZE_CELLS 2     /* #size-cells accepted on a bus (0..2) */
#define SOC_FDT_MAX_IRQ_CELLS 8      /* #interrupt-cells accepted (0..8) */
#define SOC_FDT_MAX_PHANDLE_ARGS 16  /* arguments after a phandle in a phandle+args list */

/* ---- blob and nodes ---------------------------------------------------------------------- */

/* fdt_check_full on `size` bytes, then: no two nodes have the same path, and every `phandle`
 * property is one cell, not 0 or 0xffffffff, and unique in the tree (libfdt would silently
 * pick the first of duplicates). */
bool soc_fdt_check_blob(const void *fdt, size_t size, GError **err);

/* g_malloc'd full path, "/a/b@0"; "<invalid node>" when it cannot be built. */
char *soc_fdt_path(const void *fdt, int node);
/* fdt_path_offset ("/soc/uart@1000", "/soc/uart" when the name is unique enough for libfdt,
 * "alias/child"), answered from the index when there is one. Same results, except that an
 * alias whose value leads back to aliases more than 8 deep is -FDT_ERR_BADPATH (libfdt
 * recurses until the stack overflows on `a = "a"`), so is an alias value that does not end
 * inside the blob (libfdt reads on past it), and so are NULL arguments. */
int soc_fdt_path_offset(const void *fdt, const char *path);
/* True when `node` is the offset of a node of the blob. */
bool soc_fdt_node_valid(const void *fdt, int node);
/* Offset of the parent node; -1 for the root or an invalid offset. */
int soc_fdt_parent(const void *fdt, int node);
/* Set *err (if err is non-NULL) to "<path of node>: <message>". node < 0 leaves the path out. */
void soc_fdt_set_error(GError **err, SocErrorCode code, const void *fdt, int node,
                       const char *fmt, ...) G_GNUC_PRINTF(5, 6);
/* Prefix an error already set with "<path of node>: <message>" (fmt usually ends in ": "). */
void soc_fdt_prefix_error(GError **err, const void *fdt, int node, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);
/* The same, unless the message already starts with "<path of node>:" (the error is about
 * the node itself, so the context would only repeat it). */
void soc_fdt_context_error(GError **err, const void *fdt, int node, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

/* ---- node index ---------------------------------------------------------------------------- */

typedef struct SocFdtIndex SocFdtIndex;

/* Index the nodes of `fdt` in one walk (parent, children, properties of each node; phandle
 * -> node) and attach the index to this blob pointer: until soc_fdt_index_free, the soc_fdt_*
 * functions called on this thread with this pointer answer parent, path, path lookup,
 * property and phandle questions from it. Everything else (other blobs, offsets that are not
 * nodes of the index) goes to libfdt as before.
 *
 * The blob must not be edited while the index lives. An edit that changes the header (any
 * libfdt edit that adds, removes or resizes something, fdt_open_into, fdt_pack, an overlay)
 * makes the index answer nothing from then on; make a new one after such edits. Edits in
 * place show (names and values are read from the blob, nodes and properties turned into
 * NOPs are noticed), except one: giving a node in place a phandle that a later node already
 * has.
 *
 * NULL when there is nothing to index: not a valid header, a version before 17, or not a
 * plain tree (see fdt.c); nothing is slower or different then. Never fails otherwise. */
SocFdtIndex *soc_fdt_index_new(const void *fdt);
/* Detach and free (NULL is fine), before the blob goes away. On any thread, even after the
 * one that made it has ended, but not while that thread is using the blob. */
void soc_fdt_index_free(SocFdtIndex *ix);
/* Whether an index answers for this blob now (on this thread). */
bool soc_fdt_index_in_use(const void *fdt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SocFdtIndex, soc_fdt_index_free)

/* ---- properties -------------------------------------------------------------------------- */

/* Value of a property and its length in bytes; NULL when absent (or the node is invalid). */
const void *soc_fdt_prop(const void *fdt, int node, const char *name, int *len);
bool soc_fdt_has_prop(const void *fdt, int node, const char *name);

/* Cell i of a property value (big-endian, possibly unaligned). The caller checked the length. */
static inline uint32_t soc_fdt_cell(const void *value, unsigned i)
{
	return fdt32_ld((const fdt32_t *)value + i);
}
/* The number in n cells (most significant first). False when it does not fit 64 bits, i.e.
 * a cell above the low two is non-zero. n == 0 gives 0. */
bool soc_fdt_cells_to_u64(const void *cells, unsigned n, uint64_t *out);

/* Return 1 when found (and *out set), 0 when absent, -1 with *err when malformed. */
int soc_fdt_read_u32(const void *fdt, int node, const char *name, uint32_t *out, GError **err);
/* One cell, or two (high, low). */
int soc_fdt_read_u64(const void *fdt, int node, const char *name, uint64_t *out, GError **err);
/* The first string of the property; it must be NUL-terminated inside the property. *out
 * points into the blob. */
int soc_fdt_read_string(const void *fdt, int node, const char *name, const char **out,
                        GError **err);
/* Number of strings in a string list; 0 when absent (or empty), -1 with *err when the last
 * string is not NUL-terminated inside the property. */
int soc_fdt_stringlist_count(const void *fdt, int node, const char *name, GError **err);
/* String `index` of a string list, or NULL (absent, out of range, malformed). */
const char *soc_fdt_stringlist_get(const void *fdt, int node, const char *name, int index);
/* True when the list holds `str` as one whole, terminated string. */
bool soc_fdt_stringlist_contains(const void *fdt, int node, const char *name, const char *str);
bool soc_fdt_is_compatible(const void *fdt, int node, const char *compat);
/* status absent, "okay" or "ok" (false for an invalid offset). */
bool soc_fdt_is_enabled(const void *fdt, int node);

/* ---- phandles ---------------------------------------------------------------------------- */

/* Node offset, or -1 with "phandle 0x5 does not resolve to any node" (0 and 0xffffffff are
 * never valid phandles). */
int soc_fdt_node_by_phandle(const void *fdt, uint32_t phandle, GError **err);
/* The same for a phandle found in `what` (a property name, "interrupt-map entry 2", ...)
 * of `node`: "<node>: <what>: phandle 0x5 does not resolve to any node". */
int soc_fdt_resolve_phandle(const void *fdt, int node, const char *what, uint32_t phandle,
                            GError **err);

/* One entry of a phandle+arguments list ("clocks = <&clk 3>, <&osc>"). The number of
 * arguments of an entry is the `cells_name` property ("#clock-cells") of the node it points
 * to; with cells_name NULL every entry is a bare phandle. A phandle of 0 is a placeholder
 * entry (node -1, no arguments), as Linux allows for optional entries. */
typedef struct SocFdtPhandleArgs {
	int node;                                   /* -1 for a placeholder */
	uint32_t phandle;
	unsigned nargs;
	uint32_t args[SOC_FDT_MAX_PHANDLE_ARGS];
} SocFdtPhandleArgs;

/* Entries in the list; 0 when absent; -1 with *err when malformed (dangling phandle, target
 * without cells_name, truncated last entry). */
int soc_fdt_phandle_args_count(const void *fdt, int node, const char *list,
                               const char *cells_name, GError **err);
bool soc_fdt_phandle_args(const void *fdt, int node, const char *list, const char *cells_name,
                          int index, SocFdtPhandleArgs *out, GError **err);

/* ---- bus cells --------------------------------------------------------------------------- */

/* #address-cells of bus's children: default 2, must be 1..3; -1 with *err otherwise. */
int soc_fdt_address_cells(const void *fdt, int bus, GError **err);
/* #size-cells of bus's children: default 1, must be 0..2; -1 with *err otherwise. */
int soc_fdt_size_cells(const void *fdt, int bus, GError **err);

/* ---- addresses (core/fdt-addr.c, of_address semantics) ---------------------------------- */

/* Entries in the node's reg, in its parent bus's cells: 0 when absent, -1 with *err when the
 * length is not a multiple of (#address-cells + #size-cells) cells, or the node is the root. */
int soc_fdt_reg_count(const void *fdt, int node, GError **err);
/* Entry `index` of reg, untranslated (in the parent bus's address space). Errors: index out
 * of range, an address needing more than 64 bits (3-cell buses must have a zero top cell),
 * a region that runs past the end of the bus's address space (2^32 for 1 cell). */
bool soc_fdt_reg(const void *fdt, int node, int index, uint64_t *addr, uint64_t *size,
                 GError **err);
/* Entry `index` of reg, with its address translated to the root's address space. Only the
 * start address is translated (as Linux does); the size is the entry's own. */
bool soc_fdt_reg_translated(const void *fdt, int node, int index, uint64_t *root_addr,
                            uint64_t *size, GError **err);
/* Translate `addr`, an address in bus's children's address space, up through bus and its
 * ancestors until the address space of `upto`'s children (0 = the root; upto == bus gives
 * addr back). Each level's `ranges` is a list of <child-addr parent-addr child-size> with
 * the bus's #address-cells, the parent's #address-cells and the bus's #size-cells. Absent
 * ranges: not translatable (error names the bus). Empty ranges: identity. The first window
 * with child-addr <= addr < child-addr + size matches (size 0 never does); none matching is
 * an error naming the bus and the address. Every entry of a ranges is validated: trailing
 * partial entries, addresses needing more than 64 bits, and windows running past the end
 * of their address space are errors, and so is a result that does not fit the parent's
 * cells. `upto` that is not bus or an ancestor of it is an error. */
bool soc_fdt_translate(const void *fdt, int bus, uint64_t addr, int upto, uint64_t *out,
                       GError **err);
/* Whether the node's reg addresses can be translated to the root at all: every bus between
 * the node and the root has `ranges`. False with *err naming the first bus that has none. */
bool soc_fdt_reg_translatable(const void *fdt, int node, GError **err);

/* ---- interrupts (core/fdt-irq.c, of_irq semantics) -------------------------------------- */

/* A resolved interrupt: the controller node (has `interrupt-controller`) and the specifier
 * in that controller's #interrupt-cells. */
typedef struct SocFdtIrqSpec {
	int controller;
	uint32_t cells[SOC_FDT_MAX_IRQ_CELLS];
	unsigned ncells;
} SocFdtIrqSpec;

/* #interrupt-cells of a node (0..8); -1 with *err when absent or malformed. */
int soc_fdt_irq_cells(const void *fdt, int node, GError **err);
/* The effective interrupt parent of a node (for its `interrupts`): follow `interrupt-parent`
 * when the node has one, else go to the tree parent, until a node with #interrupt-cells is
 * reached (Linux of_irq_find_parent). Returns -1 with *err for a dangling phandle, a cycle,
 * a referenced interrupt-controller without #interrupt-cells, or when no parent exists. */
int soc_fdt_irq_parent(const void *fdt, int node, GError **err);
/* Interrupts the node has: entries of interrupts-extended when present (it takes precedence
 * over interrupts, which is then ignored), else of interrupts in the interrupt parent's
 * #interrupt-cells. 0 if none, -1 with *err when malformed. */
int soc_fdt_irq_count(const void *fdt, int node, GError **err);
/* Resolve interrupt `index` of `node` to the interrupt controllers it reaches, appending one
 * SocFdtIrqSpec per destination to `out` (a GArray of SocFdtIrqSpec).
 *
 * The walk follows interrupt-parent (inherited through ancestors), interrupts-extended,
 * nodes with #interrupt-cells but neither a map nor `interrupt-controller` (passed through
 * to their own interrupt parent), and interrupt-map / interrupt-map-mask nexus nodes,
 * possibly chained, until it reaches nodes with `interrupt-controller`. A node with both
 * `interrupt-controller` and `interrupt-map` is a nexus (current Linux); a map entry that
 * points back to such a node ends the walk at it.
 *
 * Matching an interrupt-map entry compares (child unit address, child specifier) with the
 * entry under the mask (absent mask = all ones). The child unit address of the device is
 * the first #address-cells cells of its first reg entry (zeros without reg; a reg shorter
 * than that is an error), where #address-cells is the nexus's own, or, when the nexus has
 * none, its nearest ancestor's (Linux keeps that fallback for old trees), else 2. After an
 * interrupt-map step, the unit address is the entry's parent unit address, whose width is
 * the parent's #address-cells (0 when absent, as Linux). Entries whose parent is disabled
 * never match (as Linux). No entry matching is an error.
 *
 * FAN-OUT (deviation from Linux, which takes the first match): when several entries of a
 * map match, every one of them is followed, so `out` can receive several specs; this is how
 * a System Device Tree delivers one source to the controllers of several clusters. Identical
 * destinations are reported once. The walk is bounded (depth 32, 1024 steps) and a node met
 * twice on one path is a loop error.
 *
 * Errors (all name the node at fault): index out of range, dangling phandle, interrupt-parent
 * cycle, nexus loop, a controller/parent with no #interrupt-cells, a specifier whose length
 * does not fit the controller, a truncated interrupt-map entry (names the entry index), an
 * interrupt-map-mask of the wrong length. On error, nothing is appended to `out`. */
bool soc_fdt_irq_resolve(const void *fdt, int node, int index, GArray *out, GError **err);

/* ---- build order (core/fdt-irq.c) -------------------------------------------------------- */

/* A property that makes a node depend on the nodes it points to: a phandle+args list whose
 * argument counts come from `cells_name` (NULL: bare phandles). */
typedef struct SocFdtDepProp {
	const char *name;          /* NULL terminates an array of these */
	const char *cells_name;
} SocFdtDepProp;

/* Append to `deps` (a GArray of int node offsets, no duplicates added) the nodes that must
 * be built before `node`: the interrupt controllers its interrupts resolve to (through
 * interrupt-parent, interrupts-extended and interrupt-map), the controllers its own
 * interrupt-map (if it is a nexus) leads to, and the targets of the `extra` properties
 * (array terminated by a NULL name; may be NULL). The node itself is never listed (a
 * controller whose interrupts come back to itself does not depend on itself). On error,
 * nothing is appended. */
bool soc_fdt_node_deps(const void *fdt, int node, const SocFdtDepProp *extra, GArray *deps,
                       GError **err);
/* Order `nodes` so that every node comes after the nodes of the set it depends on
 * (soc_fdt_node_deps); dependencies outside the set are ignored and duplicates dropped. The
 * order is otherwise that of `nodes` (depth-first from each node in turn), so it is
 * deterministic. Appends the ordered offsets to `sorted` (GArray of int). A cycle is an
 * error "phandle cycle: /a -> /b -> /a" (SOC_ERROR_PHANDLE); then nothing is appended. */
bool soc_fdt_sort_by_deps(const void *fdt, const int *nodes, unsigned n_nodes,
                          const SocFdtDepProp *extra, GArray *sorted, GError **err);

#endif
