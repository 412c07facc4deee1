/* Address spaces and RAM blocks: windows, overlaps, bus errors, byte access, code tracking. */
#include "core/error.h"
#include "core/log.h"
#include "core/memory.h"

#include <string.h>

typedef struct {
	uint64_t last_offset, last_value;
	unsigned last_size, reads, writes;
	bool fail;
} FakeDev;

static bool fake_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	FakeDev *d = opaque;
	d->reads++;
	d->last_offset = offset;
	d->last_size = size;
	*value = 0x1122334455667788ULL & (size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1);
	return !d->fail;
}

static bool fake_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	FakeDev *d = opaque;
	d->writes++;
	d->last_offset = offset;
	d->last_size = size;
	d->last_value = value;
	return !d->fail;
}

static const SocMmioOps fake_ops = { fake_read, fake_write, 4, false };

typedef struct {
	SocLog *log;
	char *logbuf;
	size_t loglen;
	FILE *logf;
	SocAddressSpace *as;
	SocRamBlock *ram;
	FakeDev dev;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
	GError *err = NULL;
	f->log = soc_log_new();
	f->logf = open_memstream(&f->logbuf, &f->loglen);
	soc_log_set_stream(f->log, f->logf);
	f->as = soc_as_new("test", f->log);
	f->ram = soc_ram_new("/ram", 0x10000, false, &err);
	g_assert_no_error(err);
	g_assert_true(soc_as_map_ram(f->as, 0x80000000, 0x10000, f->ram, 0, "/ram", &err));
	g_assert_no_error(err);
	g_assert_true(soc_as_map_mmio(f->as, 0x10000000, 0x100, &fake_ops, &f->dev, 0, "/dev", &err));
	g_assert_no_error(err);
}

static void teardown(Fixture *f, gconstpointer data)
{
	soc_as_free(f->as);
	soc_ram_unref(f->ram);
	soc_log_free(f->log);
	fclose(f->logf);
	free(f->logbuf);
}

static void test_ram_access(Fixture *f, gconstpointer data)
{
	uint64_t v;
	g_assert_cmpint(soc_as_write(f->as, 0x80000010, 4, 0xdeadbeef, NULL), ==, SOC_MEM_OK);
	g_assert_cmpint(soc_as_read(f->as, 0x80000010, 2, &v, NULL), ==, SOC_MEM_OK);
	g_assert_cmphex(v, ==, 0xbeef);               /* little-endian */
	g_assert_cmpint(soc_as_read(f->as, 0x80000012, 2, &v, NULL), ==, SOC_MEM_OK);
	g_assert_cmphex(v, ==, 0xdead);
	g_assert_cmpint(soc_as_write(f->as, 0x8000fff8, 8, 0x0102030405060708ULL, NULL), ==, SOC_MEM_OK);
	g_assert_cmpint(soc_as_read(f->as, 0x8000fff8, 8, &v, NULL), ==, SOC_MEM_OK);
	g_assert_cmphex(v, ==, 0x0102030405060708ULL);
	g_assert_cmphex(soc_ram_host(f->ram)[0xfff8], ==, 0x08);
}

static void test_unmapped_is_bus_error(Fixture *f, gconstpointer data)
{
	uint64_t v = 42;
	g_assert_cmpint(soc_as_read(f->as, 0x7fffffff, 1, &v, NULL), ==, SOC_MEM_UNMAPPED);
	g_assert_cmphex(v, ==, 0);
	g_assert_cmpint(soc_as_write(f->as, 0x80010000, 4, 1, NULL), ==, SOC_MEM_UNMAPPED);
	/* An access straddling the end of a window is not half-done. */
	g_assert_cmpint(soc_as_read(f->as, 0x8000fffe, 4, &v, NULL), ==, SOC_MEM_UNMAPPED);
	g_assert_cmpint(soc_as_read(f->as, UINT64_MAX, 8, &v, NULL), ==, SOC_MEM_UNMAPPED);
}

static void test_mmio_offsets_and_sizes(Fixture *f, gconstpointer data)
{
	uint64_t v;
	g_assert_cmpint(soc_as_write(f->as, 0x10000008, 4, 0xabcd, NULL), ==, SOC_MEM_OK);
	g_assert_cmphex(f->dev.last_offset, ==, 8);
	g_assert_cmphex(f->dev.last_value, ==, 0xabcd);
	g_assert_cmpint(soc_as_read(f->as, 0x10000004, 4, &v, NULL), ==, SOC_MEM_OK);
	g_assert_cmphex(v, ==, 0x55667788);
	/* The device takes 4-byte aligned accesses only: the core refuses others and logs them. */
	g_assert_cmpint(soc_as_read(f->as, 0x10000004, 1, &v, NULL), ==, SOC_MEM_BAD_SIZE);
	g_assert_cmpint(soc_as_read(f->as, 0x10000002, 4, &v, NULL), ==, SOC_MEM_BAD_SIZE);
	g_assert_cmpuint(f->dev.reads, ==, 1);
	fflush(f->logf);
	g_assert_nonnull(strstr(f->logbuf, "/dev: 1-byte read at offset 0x4 not accepted"));
	g_assert_cmpuint(soc_log_guest_error_count(f->log), ==, 2);
	f->dev.fail = true;
	g_assert_cmpint(soc_as_write(f->as, 0x10000000, 4, 1, NULL), ==, SOC_MEM_DEVICE_ERROR);
}

static void test_overlap_names_both(Fixture *f, gconstpointer data)
{
	GError *err = NULL;
	g_assert_false(soc_as_map_mmio(f->as, 0x8000f000, 0x2000, &fake_ops, &f->dev, 0, "/late", &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_OVERLAP);
	g_assert_nonnull(strstr(err->message, "/late"));
	g_assert_nonnull(strstr(err->message, "/ram"));
	g_clear_error(&err);
	g_assert_false(soc_as_map_unmodelled(f->as, 0x0fffff00, 0x101, "/edge", &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_OVERLAP);
	g_clear_error(&err);
	g_assert_false(soc_as_map_unmodelled(f->as, 0xfffffffffffff000ULL, 0x2000, "/wrap", &err));
	g_assert_nonnull(strstr(err->message, "wraps"));
	g_clear_error(&err);
	/* Adjacent windows are fine, and lookups find each. */
	g_assert_true(soc_as_map_unmodelled(f->as, 0x10000100, 0x100, "/next", &err));
	g_assert_cmpstr(soc_as_lookup(f->as, 0x100001ff)->owner, ==, "/next");
	g_assert_cmpstr(soc_as_lookup(f->as, 0x100000ff)->owner, ==, "/dev");
	g_assert_null(soc_as_lookup(f->as, 0x10000200));
}

static void test_unmodelled_logs(Fixture *f, gconstpointer data)
{
	GError *err = NULL;
	uint64_t v = 5;
	g_assert_true(soc_as_map_unmodelled(f->as, 0x20000000, 0x1000, "/soc/gpio@20000000", &err));
	g_assert_cmpint(soc_as_read(f->as, 0x20000010, 4, &v, NULL), ==, SOC_MEM_OK);
	g_assert_cmphex(v, ==, 0);
	g_assert_cmpint(soc_as_write(f->as, 0x20000014, 4, 7, NULL), ==, SOC_MEM_OK);
	fflush(f->logf);
	g_assert_nonnull(strstr(f->logbuf, "/soc/gpio@20000000: 4-byte read at offset 0x10 of an unmodelled node"));
	g_assert_nonnull(strstr(f->logbuf, "/soc/gpio@20000000: 4-byte write of 0x7 at offset 0x14"));
}

static void test_bytes(Fixture *f, gconstpointer data)
{
	uint8_t buf[32], back[32];
	uint64_t bad = 0;
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	g_assert_true(soc_as_write_bytes(f->as, 0x8000fff0, buf, 16, &bad));
	g_assert_true(soc_as_read_bytes(f->as, 0x8000fff0, back, 16, &bad));
	g_assert_cmpmem(buf, 16, back, 16);
	g_assert_false(soc_as_write_bytes(f->as, 0x8000fff0, buf, 32, &bad));
	g_assert_cmphex(bad, ==, 0x80010000);
	g_assert_false(soc_as_read_bytes(f->as, 0x10000000, back, 4, &bad));
	g_assert_cmphex(bad, ==, 0x10000000);
}

static void test_shared_block_two_spaces(Fixture *f, gconstpointer data)
{
	GError *err = NULL;
	SocAddressSpace *other = soc_as_new("other", f->log);
	uint64_t v;
	/* The same memory seen at another address, from its middle. */
	g_assert_true(soc_as_map_ram(other, 0x20000000, 0x8000, f->ram, 0x8000, "/ram", &err));
	g_assert_cmpint(soc_as_write(f->as, 0x80008004, 4, 0x600dcafe, NULL), ==, SOC_MEM_OK);
	g_assert_cmpint(soc_as_read(other, 0x20000004, 4, &v, NULL), ==, SOC_MEM_OK);
	g_assert_cmphex(v, ==, 0x600dcafe);
	g_assert_false(soc_as_map_ram(other, 0x30000000, 0x9000, f->ram, 0x8000, "/ram", &err));
	g_assert_nonnull(strstr(err->message, "larger than its memory"));
	g_clear_error(&err);
	soc_as_free(other);
}

static void test_rom_is_read_only(void)
{
	GError *err = NULL;
	SocAddressSpace *as = soc_as_new("rom", NULL);
	SocRamBlock *rom = soc_ram_new("/rom", 0x1000, true, &err);
	uint64_t v;
	uint32_t word = 0x12345678;
	g_assert_true(soc_as_map_ram(as, 0, 0x1000, rom, 0, "/rom", &err));
	g_assert_cmpint(soc_as_write(as, 0, 4, 1, NULL), ==, SOC_MEM_READ_ONLY);
	g_assert_true(soc_as_write_bytes(as, 0, &word, 4, NULL));   /* the loader's way in */
	g_assert_cmpint(soc_as_read(as, 0, 4, &v, NULL), ==, SOC_MEM_OK);
	g_assert_cmphex(v, ==, 0x12345678);
	g_assert_cmpint(soc_as_window(as, 0)->kind, ==, SOC_WIN_ROM);
	soc_as_free(as);
	soc_ram_unref(rom);
}

static void test_lazy_allocation(void)
{
	GError *err = NULL;
	SocRamBlock *big = soc_ram_new("/big", 1ULL << 32, false, &err);   /* 4 GiB */
	g_assert_no_error(err);
	g_assert_cmpuint(soc_ram_resident(big), <, 1 << 20);
	soc_ram_host(big)[0x12345678] = 1;
	g_assert_cmpuint(soc_ram_resident(big), <, 1 << 20);
	soc_ram_unref(big);
	g_assert_null(soc_ram_new("/zero", 0, false, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_TREE);
	g_clear_error(&err);
}

typedef struct {
	unsigned calls;
	uint64_t offset, len;
} CodeHits;

static void code_written(void *opaque, SocRamBlock *b, uint64_t offset, uint64_t len)
{
	CodeHits *h = opaque;
	h->calls++;
	h->offset = offset;
	h->len = len;
}

static void test_code_tracking(Fixture *f, gconstpointer data)
{
	CodeHits hits = { 0 };
	soc_ram_add_code_listener(f->ram, code_written, &hits);
	soc_ram_mark_code(f->ram, 0x1000, 0x20);
	g_assert_true(soc_ram_page_has_code(f->ram, 0x1fff));
	g_assert_false(soc_ram_page_has_code(f->ram, 0x2000));
	/* A write to the same page but another granule does not disturb decoded code. */
	g_assert_cmpint(soc_as_write(f->as, 0x80001100, 4, 1, NULL), ==, SOC_MEM_OK);
	g_assert_cmpuint(hits.calls, ==, 0);
	g_assert_cmpint(soc_as_write(f->as, 0x80001010, 4, 1, NULL), ==, SOC_MEM_OK);
	g_assert_cmpuint(hits.calls, ==, 1);
	g_assert_cmphex(hits.offset, ==, 0x1000);
	g_assert_cmphex(hits.len, ==, 0x40);
	/* The mark is gone: the next write is free again, and the page holds no code. */
	g_assert_cmpint(soc_as_write(f->as, 0x80001010, 4, 1, NULL), ==, SOC_MEM_OK);
	g_assert_cmpuint(hits.calls, ==, 1);
	g_assert_false(soc_ram_page_has_code(f->ram, 0x1000));
	soc_ram_remove_code_listener(f->ram, code_written, &hits);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define FT(name, fn) g_test_add("/memory/" name, Fixture, NULL, setup, fn, teardown)
	FT("ram-access", test_ram_access);
	FT("unmapped-is-bus-error", test_unmapped_is_bus_error);
	FT("mmio-offsets-and-sizes", test_mmio_offsets_and_sizes);
	FT("overlap-names-both", test_overlap_names_both);
	FT("unmodelled-logs", test_unmodelled_logs);
	FT("bytes", test_bytes);
	FT("shared-block-two-spaces", test_shared_block_two_spaces);
	FT("code-tracking", test_code_tracking);
	g_test_add_func("/memory/rom-read-only", test_rom_is_read_only);
	g_test_add_func("/memory/lazy-allocation", test_lazy_allocation);
	return g_test_run();
}
