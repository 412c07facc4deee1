/* core/memory.h — RAM blocks and per-cluster address spaces.
 *
 * A RAM block is the host memory behind one RAM or ROM window of the tree; it is reserved
 * with mmap and committed by the host only when touched, so large memories cost nothing
 * until used. The same block can be mapped into several address spaces at different
 * addresses (shared SRAM seen differently by each cluster).
 *
 * An address space is a sorted array of non-overlapping windows: RAM/ROM (host pointer),
 * MMIO (a device's ops, called with offsets into the window) and unmodelled windows (logged
 * as guest errors). Anything else is unmapped: an access there is a bus error returned to
 * the accessor. All multi-byte values are little-endian in guest memory.
 *
 * Decoded-code tracking: a CPU that caches decoded instructions marks the granules it has
 * decoded (soc_ram_mark_code). Every write that does not go through a CPU's fast RAM path
 * (soc_as_write, soc_as_write_bytes, and the CPU's own slow path) calls soc_ram_note_write,
 * which invokes the block's code listeners for marked granules and clears the marks. A CPU
 * must not keep a fast write pointer for a page whose soc_ram_page_has_code() is true. */
#ifndef SOC_MEMORY_H
#define SOC_MEMORY_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct SocCpu;
typedef struct SocLog SocLog;

typedef enum {
	SOC_MEM_OK = 0,
	SOC_MEM_UNMAPPED,      /* no window at that address: bus error */
	SOC_MEM_DEVICE_ERROR,  /* the device answered with an error response */
	SOC_MEM_BAD_SIZE,      /* the device does not accept that access size or alignment */
	SOC_MEM_READ_ONLY,     /* a write to ROM */
} SocMemStatus;

const char *soc_mem_status_name(SocMemStatus s);

/* ---- RAM blocks ------------------------------------------------------------------------ */

#define SOC_PAGE_BITS 12
#define SOC_PAGE_SIZE (1ULL << SOC_PAGE_BITS)
#define SOC_CODE_GRANULE_BITS 6          /* 64-byte granules: data beside code rarely collides */

typedef struct SocRamBlock SocRamBlock;
typedef void (*SocCodeWriteFn)(void *opaque, SocRamBlock *block, uint64_t offset, uint64_t len);

SocRamBlock *soc_ram_new(const char *owner, uint64_t size, bool read_only, GError **err);
SocRamBlock *soc_ram_ref(SocRamBlock *b);
void soc_ram_unref(SocRamBlock *b);
uint8_t *soc_ram_host(SocRamBlock *b);
uint64_t soc_ram_size(const SocRamBlock *b);
bool soc_ram_read_only(const SocRamBlock *b);
const char *soc_ram_owner(const SocRamBlock *b);
/* Bytes of the block that the host has actually committed (for reports and the memory budget). */
uint64_t soc_ram_resident(const SocRamBlock *b);

void soc_ram_add_code_listener(SocRamBlock *b, SocCodeWriteFn fn, void *opaque);
void soc_ram_remove_code_listener(SocRamBlock *b, SocCodeWriteFn fn, void *opaque);
void soc_ram_mark_code(SocRamBlock *b, uint64_t offset, uint64_t len);
/* Called when a page of the block gets its first code mark (offset = the page's start), so
 * that every CPU, of whatever family, drops its fast write pointers for that page. A CPU
 * registers before it keeps any fast write pointer into the block. */
typedef void (*SocCodePageFn)(void *opaque, SocRamBlock *block, uint64_t page_offset);
void soc_ram_add_page_listener(SocRamBlock *b, SocCodePageFn fn, void *opaque);
void soc_ram_remove_page_listener(SocRamBlock *b, SocCodePageFn fn, void *opaque);
bool soc_ram_page_has_code(const SocRamBlock *b, uint64_t offset);
void soc_ram_note_write(SocRamBlock *b, uint64_t offset, uint64_t len);

/* ---- address spaces --------------------------------------------------------------------- */

typedef struct SocMmioOps {
	/* Offsets are relative to the window's start. Return false for an error response. */
	bool (*read)(void *opaque, uint64_t offset, unsigned size, uint64_t *value);
	bool (*write)(void *opaque, uint64_t offset, unsigned size, uint64_t value);
	uint8_t sizes;        /* accepted access sizes as a mask of byte counts: 1|2|4|8 */
	bool unaligned;       /* accepts accesses not aligned to their size */
} SocMmioOps;

typedef enum { SOC_WIN_RAM, SOC_WIN_ROM, SOC_WIN_MMIO, SOC_WIN_UNMODELLED } SocWindowKind;

typedef struct SocWindow {
	uint64_t base, size;          /* in this address space */
	SocWindowKind kind;
	const char *owner;            /* node path of the owner (for messages and reports) */
	SocRamBlock *ram;             /* RAM/ROM: the block, and where the window starts in it */
	uint64_t ram_offset;
	const SocMmioOps *ops;        /* MMIO */
	void *opaque;
	uint64_t dev_offset;          /* MMIO: offset of the window's start within the device's range */
} SocWindow;

typedef struct SocAddressSpace SocAddressSpace;

SocAddressSpace *soc_as_new(const char *name, SocLog *log);
void soc_as_free(SocAddressSpace *as);
const char *soc_as_name(const SocAddressSpace *as);

/* Mapping fails with SOC_ERROR_OVERLAP naming both owners when windows overlap. */
bool soc_as_map_ram(SocAddressSpace *as, uint64_t base, uint64_t size, SocRamBlock *block,
                    uint64_t block_offset, const char *owner, GError **err);
bool soc_as_map_mmio(SocAddressSpace *as, uint64_t base, uint64_t size, const SocMmioOps *ops,
                     void *opaque, uint64_t dev_offset, const char *owner, GError **err);
bool soc_as_map_unmodelled(SocAddressSpace *as, uint64_t base, uint64_t size, const char *owner,
                           GError **err);

unsigned soc_as_window_count(const SocAddressSpace *as);
const SocWindow *soc_as_window(const SocAddressSpace *as, unsigned i);
const SocWindow *soc_as_lookup(const SocAddressSpace *as, uint64_t addr);  /* NULL if unmapped */

/* Guest accesses (size 1, 2, 4 or 8). `who` is the CPU making it, or NULL for a device or the
 * debugger; it names the accessor in guest-error logs. */
SocMemStatus soc_as_read(SocAddressSpace *as, uint64_t addr, unsigned size, uint64_t *value,
                         struct SocCpu *who);
SocMemStatus soc_as_write(SocAddressSpace *as, uint64_t addr, unsigned size, uint64_t value,
                          struct SocCpu *who);

/* Byte-string access for loaders, debuggers and semihosting: RAM and ROM only (ROM is
 * writable here: this is how images reach it). Returns false, with *bad_addr set to the first
 * byte that is not RAM/ROM, when the range is not entirely backed. */
bool soc_as_read_bytes(SocAddressSpace *as, uint64_t addr, void *buf, uint64_t len, uint64_t *bad_addr);
bool soc_as_write_bytes(SocAddressSpace *as, uint64_t addr, const void *buf, uint64_t len,
                        uint64_t *bad_addr);

/* For CPU translation caches: the host pointer of the RAM/ROM page holding `addr`, the block
 * and the offset of addr within it; NULL when addr is not RAM/ROM. *avail is set to how many
 * bytes from addr stay inside the same window. */
uint8_t *soc_as_ram_ptr(SocAddressSpace *as, uint64_t addr, uint64_t *avail, SocRamBlock **block,
                        uint64_t *block_offset);

#endif
