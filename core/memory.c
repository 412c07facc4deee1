/* core/memory.c — RAM blocks and address spaces (see memory.h). */
#include "core/memory.h"
#include "core/error.h"
#include "core/log.h"
#include "cpus/cpu.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- RAM blocks ------------------------------------------------------------------------ */

typedef struct {
	SocCodeWriteFn fn;
	void *opaque;
} CodeListener;

struct SocRamBlock {
	int refs;
	char *owner;
	uint64_t size;
	bool read_only;
	uint8_t *host;
	/* Decoded-code marks: one bit per granule, and per page the number of marked granules
	 * so that the common case (a write to a page without code) is one load. Both arrays are
	 * reserved like the RAM itself and cost nothing until code is marked. */
	uint8_t *code_bits;
	uint16_t *code_per_page;
	size_t code_bits_len, code_pages_len;
	GArray *listeners;
	GArray *page_listeners;   /* PageListener */
};

typedef struct {
	SocCodePageFn fn;
	void *opaque;
} PageListener;

static void *reserve(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	               -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

SocRamBlock *soc_ram_new(const char *owner, uint64_t size, bool read_only, GError **err)
{
	SocRamBlock *b;
	uint64_t pages;

	if (size == 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s: memory of size 0", owner);
		return NULL;
	}
	/* Round to whole pages: the host maps pages anyway, and CPU TLBs work in pages. */
	pages = (size + SOC_PAGE_SIZE - 1) >> SOC_PAGE_BITS;
	if (size > (1ULL << 44)) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: memory of 0x%" G_GINT64_MODIFIER "x bytes is larger than socemu's limit (16 TiB)",
		            owner, size);
		return NULL;
	}
	b = g_new0(SocRamBlock, 1);
	b->refs = 1;
	b->owner = g_strdup(owner);
	b->size = size;
	b->read_only = read_only;
	b->code_pages_len = pages * sizeof(uint16_t);
	b->code_bits_len = (pages << (SOC_PAGE_BITS - SOC_CODE_GRANULE_BITS)) / 8;
	b->host = reserve(pages << SOC_PAGE_BITS);
	b->code_bits = reserve(b->code_bits_len);
	b->code_per_page = reserve(b->code_pages_len);
	b->listeners = g_array_new(FALSE, FALSE, sizeof(CodeListener));
	b->page_listeners = g_array_new(FALSE, FALSE, sizeof(PageListener));
	if (!b->host || !b->code_bits || !b->code_per_page) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_IO,
		            "%s: cannot reserve 0x%" G_GINT64_MODIFIER "x bytes of host memory: %s",
		            owner, size, g_strerror(errno));
		soc_ram_unref(b);
		return NULL;
	}
	return b;
}

SocRamBlock *soc_ram_ref(SocRamBlock *b)
{
	b->refs++;
	return b;
}

void soc_ram_unref(SocRamBlock *b)
{
	if (!b || --b->refs > 0)
		return;
	if (b->host)
		munmap(b->host, ((b->size + SOC_PAGE_SIZE - 1) >> SOC_PAGE_BITS) << SOC_PAGE_BITS);
	if (b->code_bits)
		munmap(b->code_bits, b->code_bits_len);
	if (b->code_per_page)
		munmap(b->code_per_page, b->code_pages_len);
	g_array_free(b->listeners, TRUE);
	g_array_free(b->page_listeners, TRUE);
	g_free(b->owner);
	g_free(b);
}

uint8_t *soc_ram_host(SocRamBlock *b) { return b->host; }
uint64_t soc_ram_size(const SocRamBlock *b) { return b->size; }
bool soc_ram_read_only(const SocRamBlock *b) { return b->read_only; }
const char *soc_ram_owner(const SocRamBlock *b) { return b->owner; }

uint64_t soc_ram_resident(const SocRamBlock *b)
{
	size_t pages = (b->size + SOC_PAGE_SIZE - 1) >> SOC_PAGE_BITS;
	long host_page = sysconf(_SC_PAGESIZE);
	size_t host_pages = ((pages << SOC_PAGE_BITS) + host_page - 1) / host_page;
	unsigned char *vec = g_malloc(host_pages);
	uint64_t resident = 0;

	if (mincore(b->host, pages << SOC_PAGE_BITS, vec) == 0)
		for (size_t i = 0; i < host_pages; i++)
			resident += (vec[i] & 1) ? (uint64_t)host_page : 0;
	g_free(vec);
	return resident;
}

void soc_ram_add_code_listener(SocRamBlock *b, SocCodeWriteFn fn, void *opaque)
{
	CodeListener l = { fn, opaque };
	for (guint i = 0; i < b->listeners->len; i++) {
		CodeListener *e = &g_array_index(b->listeners, CodeListener, i);
		if (e->fn == fn && e->opaque == opaque)
			return;
	}
	g_array_append_val(b->listeners, l);
}

void soc_ram_remove_code_listener(SocRamBlock *b, SocCodeWriteFn fn, void *opaque)
{
	for (guint i = 0; i < b->listeners->len; i++) {
		CodeListener *e = &g_array_index(b->listeners, CodeListener, i);
		if (e->fn == fn && e->opaque == opaque) {
			g_array_remove_index(b->listeners, i);
			return;
		}
	}
}

void soc_ram_mark_code(SocRamBlock *b, uint64_t offset, uint64_t len)
{
	uint64_t first, last;

	if (len == 0 || offset >= b->size)
		return;
	if (len > b->size - offset)
		len = b->size - offset;
	first = offset >> SOC_CODE_GRANULE_BITS;
	last = (offset + len - 1) >> SOC_CODE_GRANULE_BITS;
	for (uint64_t g = first; g <= last; g++) {
		uint8_t bit = 1u << (g & 7);
		uint64_t page = g >> (SOC_PAGE_BITS - SOC_CODE_GRANULE_BITS);
		if (!(b->code_bits[g >> 3] & bit)) {
			b->code_bits[g >> 3] |= bit;
			if (b->code_per_page[page]++ == 0)
				for (guint i = 0; i < b->page_listeners->len; i++) {
					PageListener *l = &g_array_index(b->page_listeners, PageListener, i);
					l->fn(l->opaque, b, page << SOC_PAGE_BITS);
				}
		}
	}
}

void soc_ram_add_page_listener(SocRamBlock *b, SocCodePageFn fn, void *opaque)
{
	PageListener l = { fn, opaque };
	for (guint i = 0; i < b->page_listeners->len; i++) {
		PageListener *e = &g_array_index(b->page_listeners, PageListener, i);
		if (e->fn == fn && e->opaque == opaque)
			return;
	}
	g_array_append_val(b->page_listeners, l);
}

void soc_ram_remove_page_listener(SocRamBlock *b, SocCodePageFn fn, void *opaque)
{
	for (guint i = 0; i < b->page_listeners->len; i++) {
		PageListener *e = &g_array_index(b->page_listeners, PageListener, i);
		if (e->fn == fn && e->opaque == opaque) {
			g_array_remove_index(b->page_listeners, i);
			return;
		}
	}
}

bool soc_ram_page_has_code(const SocRamBlock *b, uint64_t offset)
{
	return offset < b->size && b->code_per_page[offset >> SOC_PAGE_BITS] != 0;
}

void soc_ram_note_write(SocRamBlock *b, uint64_t offset, uint64_t len)
{
	uint64_t first, last, hit_lo = UINT64_MAX, hit_hi = 0;

	if (len == 0 || offset >= b->size)
		return;
	if (len > b->size - offset)
		len = b->size - offset;
	/* Fast exit: no page of the range holds code. */
	{
		uint64_t p0 = offset >> SOC_PAGE_BITS, p1 = (offset + len - 1) >> SOC_PAGE_BITS;
		bool any = false;
		for (uint64_t p = p0; p <= p1 && !any; p++)
			any = b->code_per_page[p] != 0;
		if (!any)
			return;
	}
	first = offset >> SOC_CODE_GRANULE_BITS;
	last = (offset + len - 1) >> SOC_CODE_GRANULE_BITS;
	for (uint64_t g = first; g <= last; g++) {
		uint8_t bit = 1u << (g & 7);
		if (b->code_bits[g >> 3] & bit) {
			b->code_bits[g >> 3] &= (uint8_t)~bit;
			b->code_per_page[g >> (SOC_PAGE_BITS - SOC_CODE_GRANULE_BITS)]--;
			hit_lo = MIN(hit_lo, g << SOC_CODE_GRANULE_BITS);
			hit_hi = (g + 1) << SOC_CODE_GRANULE_BITS;
		}
	}
	if (hit_lo == UINT64_MAX)
		return;
	for (guint i = 0; i < b->listeners->len; i++) {
		CodeListener *e = &g_array_index(b->listeners, CodeListener, i);
		e->fn(e->opaque, b, hit_lo, hit_hi - hit_lo);
	}
}

/* ---- address spaces --------------------------------------------------------------------- */

struct SocAddressSpace {
	char *name;
	SocLog *log;
	GArray *windows;           /* SocWindow, sorted by base, never overlapping */
	unsigned last_hit;         /* index of the last window found: accesses cluster */
	unsigned bus_errors;       /* logged so far (the first few are, then a summary) */
};

#define BUS_ERRORS_LOGGED 10

const char *soc_mem_status_name(SocMemStatus s)
{
	static const char *const names[] = {
		[SOC_MEM_OK] = "ok",
		[SOC_MEM_UNMAPPED] = "unmapped address",
		[SOC_MEM_DEVICE_ERROR] = "device error response",
		[SOC_MEM_BAD_SIZE] = "access size or alignment not accepted",
		[SOC_MEM_READ_ONLY] = "write to read-only memory",
	};
	return (unsigned)s < G_N_ELEMENTS(names) && names[s] ? names[s] : "unknown";
}

SocAddressSpace *soc_as_new(const char *name, SocLog *log)
{
	SocAddressSpace *as = g_new0(SocAddressSpace, 1);
	as->name = g_strdup(name);
	as->log = log;
	as->windows = g_array_new(FALSE, TRUE, sizeof(SocWindow));
	return as;
}

void soc_as_free(SocAddressSpace *as)
{
	if (!as)
		return;
	for (guint i = 0; i < as->windows->len; i++) {
		SocWindow *w = &g_array_index(as->windows, SocWindow, i);
		if (w->ram)
			soc_ram_unref(w->ram);
		g_free((char *)w->owner);
	}
	g_array_free(as->windows, TRUE);
	g_free(as->name);
	g_free(as);
}

const char *soc_as_name(const SocAddressSpace *as)
{
	return as->name;
}

static bool add_window(SocAddressSpace *as, SocWindow *nw, GError **err)
{
	guint pos = 0;
	uint64_t last = nw->base + nw->size - 1;

	if (nw->size == 0) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE, "%s: window of size 0 at 0x%" G_GINT64_MODIFIER "x",
		            nw->owner, nw->base);
		return false;
	}
	if (last < nw->base) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: window 0x%" G_GINT64_MODIFIER "x+0x%" G_GINT64_MODIFIER "x wraps around the address space",
		            nw->owner, nw->base, nw->size);
		return false;
	}
	while (pos < as->windows->len && g_array_index(as->windows, SocWindow, pos).base < nw->base)
		pos++;
	for (int k = (int)pos - 1; k <= (int)pos; k++) {
		const SocWindow *o;
		if (k < 0 || (guint)k >= as->windows->len)
			continue;
		o = &g_array_index(as->windows, SocWindow, k);
		if (nw->base <= o->base + o->size - 1 && o->base <= last) {
			g_set_error(err, SOC_ERROR, SOC_ERROR_OVERLAP,
			            "%s: window 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x overlaps %s "
			            "(0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x) in address space %s",
			            nw->owner, nw->base, last, o->owner, o->base, o->base + o->size - 1, as->name);
			return false;
		}
	}
	nw->owner = g_strdup(nw->owner);
	g_array_insert_val(as->windows, pos, *nw);
	as->last_hit = 0;
	return true;
}

bool soc_as_map_ram(SocAddressSpace *as, uint64_t base, uint64_t size, SocRamBlock *block,
                    uint64_t block_offset, const char *owner, GError **err)
{
	SocWindow w = {
		.base = base, .size = size, .owner = owner,
		.kind = soc_ram_read_only(block) ? SOC_WIN_ROM : SOC_WIN_RAM,
		.ram = block, .ram_offset = block_offset,
	};
	if (block_offset > soc_ram_size(block) || size > soc_ram_size(block) - block_offset) {
		g_set_error(err, SOC_ERROR, SOC_ERROR_TREE,
		            "%s: window of 0x%" G_GINT64_MODIFIER "x bytes at offset 0x%" G_GINT64_MODIFIER
		            "x is larger than its memory (0x%" G_GINT64_MODIFIER "x bytes)",
		            owner, size, block_offset, soc_ram_size(block));
		return false;
	}
	if (!add_window(as, &w, err))
		return false;
	soc_ram_ref(block);
	return true;
}

bool soc_as_map_mmio(SocAddressSpace *as, uint64_t base, uint64_t size, const SocMmioOps *ops,
                     void *opaque, uint64_t dev_offset, const char *owner, GError **err)
{
	SocWindow w = {
		.base = base, .size = size, .owner = owner, .kind = SOC_WIN_MMIO,
		.ops = ops, .opaque = opaque, .dev_offset = dev_offset,
	};
	return add_window(as, &w, err);
}

bool soc_as_map_unmodelled(SocAddressSpace *as, uint64_t base, uint64_t size, const char *owner,
                           GError **err)
{
	SocWindow w = { .base = base, .size = size, .owner = owner, .kind = SOC_WIN_UNMODELLED };
	return add_window(as, &w, err);
}

unsigned soc_as_window_count(const SocAddressSpace *as)
{
	return as->windows->len;
}

const SocWindow *soc_as_window(const SocAddressSpace *as, unsigned i)
{
	return i < as->windows->len ? &g_array_index(as->windows, SocWindow, i) : NULL;
}

const SocWindow *soc_as_lookup(const SocAddressSpace *as, uint64_t addr)
{
	const SocWindow *ws = (const SocWindow *)as->windows->data;
	guint lo = 0, hi = as->windows->len;
	unsigned hint = as->last_hit;

	if (hint < hi && addr >= ws[hint].base && addr - ws[hint].base < ws[hint].size)
		return &ws[hint];
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (addr < ws[mid].base)
			hi = mid;
		else if (addr - ws[mid].base >= ws[mid].size)
			lo = mid + 1;
		else {
			((SocAddressSpace *)as)->last_hit = mid;
			return &ws[mid];
		}
	}
	return NULL;
}

static void describe_accessor(struct SocCpu *who, char *buf, size_t len)
{
	if (who && who->cls && who->cls->get_pc)
		g_snprintf(buf, len, "%s pc 0x%" G_GINT64_MODIFIER "x", who->path, who->cls->get_pc(who));
	else if (who)
		g_snprintf(buf, len, "%s", who->path);
	else
		g_snprintf(buf, len, "a device");
}

static void log_unmodelled(SocAddressSpace *as, const SocWindow *w, uint64_t addr, unsigned size,
                           bool write, uint64_t value, struct SocCpu *who)
{
	char acc[160];
	describe_accessor(who, acc, sizeof(acc));
	if (write)
		soc_log_guest_error(as->log,
		    "%s: %u-byte write of 0x%" G_GINT64_MODIFIER "x at offset 0x%" G_GINT64_MODIFIER
		    "x of an unmodelled node (by %s); ignored", w->owner, size, value, addr - w->base, acc);
	else
		soc_log_guest_error(as->log,
		    "%s: %u-byte read at offset 0x%" G_GINT64_MODIFIER "x of an unmodelled node (by %s); reads as 0",
		    w->owner, size, addr - w->base, acc);
}

static SocMemStatus mmio_check(SocAddressSpace *as, const SocWindow *w, uint64_t addr, unsigned size,
                               bool write, struct SocCpu *who)
{
	const SocMmioOps *ops = w->ops;
	if (!(ops->sizes & size) || (!ops->unaligned && (addr & (size - 1)))) {
		char acc[160];
		describe_accessor(who, acc, sizeof(acc));
		soc_log_guest_error(as->log,
		    "%s: %u-byte %s at offset 0x%" G_GINT64_MODIFIER "x not accepted by the device (by %s)",
		    w->owner, size, write ? "write" : "read", addr - w->base + w->dev_offset, acc);
		return SOC_MEM_BAD_SIZE;
	}
	return SOC_MEM_OK;
}

/* A CPU's access outside its cluster's map: a guest error naming the cluster, cpu, pc and
 * address (the CPU then takes its bus fault). */
static SocMemStatus bus_error(SocAddressSpace *as, uint64_t addr, unsigned size, bool write,
                              struct SocCpu *who)
{
	char acc[160];
	if (!who)
		return SOC_MEM_UNMAPPED;
	soc_log_count_guest_error(as->log);
	if (as->bus_errors++ >= BUS_ERRORS_LOGGED) {
		if (as->bus_errors == BUS_ERRORS_LOGGED + 1)
			soc_log(as->log, SOC_LOG_GUEST_ERROR, "cluster %s: further bus errors are not logged", as->name);
		return SOC_MEM_UNMAPPED;
	}
	describe_accessor(who, acc, sizeof(acc));
	soc_log(as->log, SOC_LOG_GUEST_ERROR,
	        "cluster %s: %s: %u-byte %s at 0x%" G_GINT64_MODIFIER "x, which the cluster's map does not "
	        "cover: bus error", as->name, acc, size, write ? "write" : "read", addr);
	return SOC_MEM_UNMAPPED;
}

SocMemStatus soc_as_read(SocAddressSpace *as, uint64_t addr, unsigned size, uint64_t *value,
                         struct SocCpu *who)
{
	const SocWindow *w = soc_as_lookup(as, addr);
	SocMemStatus st;

	*value = 0;
	if (!w || size > w->size || addr - w->base > w->size - size)
		return bus_error(as, addr, size, false, who);
	switch (w->kind) {
	case SOC_WIN_RAM:
	case SOC_WIN_ROM:
		memcpy(value, soc_ram_host(w->ram) + w->ram_offset + (addr - w->base), size);
		return SOC_MEM_OK;
	case SOC_WIN_UNMODELLED:
		log_unmodelled(as, w, addr, size, false, 0, who);
		return SOC_MEM_OK;
	case SOC_WIN_MMIO:
		st = mmio_check(as, w, addr, size, false, who);
		if (st != SOC_MEM_OK)
			return st;
		if (!w->ops->read)
			return SOC_MEM_OK;
		return w->ops->read(w->opaque, addr - w->base + w->dev_offset, size, value)
		       ? SOC_MEM_OK : SOC_MEM_DEVICE_ERROR;
	}
	return SOC_MEM_UNMAPPED;
}

SocMemStatus soc_as_write(SocAddressSpace *as, uint64_t addr, unsigned size, uint64_t value,
                          struct SocCpu *who)
{
	const SocWindow *w = soc_as_lookup(as, addr);
	SocMemStatus st;
	uint64_t off;

	if (!w || size > w->size || addr - w->base > w->size - size)
		return bus_error(as, addr, size, true, who);
	switch (w->kind) {
	case SOC_WIN_RAM:
		off = w->ram_offset + (addr - w->base);
		memcpy(soc_ram_host(w->ram) + off, &value, size);
		soc_ram_note_write(w->ram, off, size);
		return SOC_MEM_OK;
	case SOC_WIN_ROM:
		return SOC_MEM_READ_ONLY;
	case SOC_WIN_UNMODELLED:
		log_unmodelled(as, w, addr, size, true, value, who);
		return SOC_MEM_OK;
	case SOC_WIN_MMIO:
		st = mmio_check(as, w, addr, size, true, who);
		if (st != SOC_MEM_OK)
			return st;
		if (!w->ops->write)
			return SOC_MEM_OK;
		if (size < 8)
			value &= (1ULL << (size * 8)) - 1;
		return w->ops->write(w->opaque, addr - w->base + w->dev_offset, size, value)
		       ? SOC_MEM_OK : SOC_MEM_DEVICE_ERROR;
	}
	return SOC_MEM_UNMAPPED;
}

static bool bytes_access(SocAddressSpace *as, uint64_t addr, void *buf, uint64_t len, bool write,
                         uint64_t *bad_addr)
{
	uint8_t *p = buf;
	while (len > 0) {
		const SocWindow *w = soc_as_lookup(as, addr);
		uint64_t chunk, off;
		if (!w || (w->kind != SOC_WIN_RAM && w->kind != SOC_WIN_ROM)) {
			if (bad_addr)
				*bad_addr = addr;
			return false;
		}
		chunk = MIN(len, w->size - (addr - w->base));
		off = w->ram_offset + (addr - w->base);
		if (write) {
			memcpy(soc_ram_host(w->ram) + off, p, chunk);
			soc_ram_note_write(w->ram, off, chunk);
		} else {
			memcpy(p, soc_ram_host(w->ram) + off, chunk);
		}
		p += chunk;
		len -= chunk;
		addr += chunk;
		if (len && addr == 0) {       /* wrapped past the top of the address space */
			if (bad_addr)
				*bad_addr = 0;
			return false;
		}
	}
	return true;
}

bool soc_as_read_bytes(SocAddressSpace *as, uint64_t addr, void *buf, uint64_t len, uint64_t *bad_addr)
{
	return bytes_access(as, addr, buf, len, false, bad_addr);
}

bool soc_as_write_bytes(SocAddressSpace *as, uint64_t addr, const void *buf, uint64_t len,
                        uint64_t *bad_addr)
{
	return bytes_access(as, addr, (void *)buf, len, true, bad_addr);
}

uint8_t *soc_as_ram_ptr(SocAddressSpace *as, uint64_t addr, uint64_t *avail, SocRamBlock **block,
                        uint64_t *block_offset)
{
	const SocWindow *w = soc_as_lookup(as, addr);
	uint64_t off;
	if (!w || (w->kind != SOC_WIN_RAM && w->kind != SOC_WIN_ROM))
		return NULL;
	off = w->ram_offset + (addr - w->base);
	if (avail)
		*avail = w->size - (addr - w->base);
	if (block)
		*block = w->ram;
	if (block_offset)
		*block_offset = off;
	return soc_ram_host(w->ram) + off;
}
