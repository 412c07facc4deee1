/* Semihosting (core/semihost.c) driven as a CPU model would, with a stand-in cpu whose
 * memory is a RAM window: console, files below the root and the refusals, exits, time. */
#include "core/log.h"
#include "core/memory.h"
#include "core/semihost.h"
#include "cpus/cpu.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define RAM 0x1000
#define BLOCK 0x1000        /* parameter blocks */
#define STR 0x1800          /* strings */
#define BUF 0x2000          /* data buffers */

static uint64_t fake_pc(const SocCpu *cpu) { return 0x1234; }
static const SocCpuClass fake_class = { .name = "fake", .get_pc = fake_pc };

typedef struct {
	SocCpu cpu;
	SocLog *log;
	SocRamBlock *ram;
	SocSemihost *sh;
	char *root;
	int out[2];
	unsigned wb;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
	GError *err = NULL;
	SocSemihostConfig cfg = { 0 };
	f->wb = GPOINTER_TO_UINT(data);
	f->log = soc_log_new();
	soc_log_set_categories(f->log, "none", NULL);
	f->cpu.cls = &fake_class;
	f->cpu.path = "/cpus/cpu@0";
	f->cpu.log = f->log;
	f->cpu.clock_hz = 100000000;
	f->cpu.as = soc_as_new("test", f->log);
	f->ram = soc_ram_new("/ram", 0x10000, false, &err);
	g_assert_true(soc_as_map_ram(f->cpu.as, RAM, 0x10000, f->ram, 0, "/ram", &err));
	f->root = g_dir_make_tmp("socemu-sh-XXXXXX", &err);
	g_assert_no_error(err);
	g_assert_cmpint(pipe(f->out), ==, 0);
	fcntl(f->out[0], F_SETFL, O_NONBLOCK);
	cfg.root = f->root;
	cfg.cmdline = "prog.elf --verbose";
	cfg.epoch = 1700000000;
	cfg.stdout_fd = f->out[1];
	cfg.stderr_fd = f->out[1];
	cfg.stdin_fd = -1;
	f->sh = soc_semihost_new(&cfg);
}

static void teardown(Fixture *f, gconstpointer data)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->root);
	soc_semihost_free(f->sh);
	soc_as_free(f->cpu.as);
	soc_ram_unref(f->ram);
	soc_log_free(f->log);
	close(f->out[0]);
	close(f->out[1]);
	g_assert_cmpint(system(cmd), ==, 0);
	g_free(f->root);
}

static void put_words(Fixture *f, uint64_t addr, const uint64_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		g_assert_true(soc_as_write_bytes(f->cpu.as, addr + i * f->wb, &w[i], f->wb, NULL));
}

static uint64_t put_str(Fixture *f, uint64_t addr, const char *s)
{
	g_assert_true(soc_as_write_bytes(f->cpu.as, addr, s, strlen(s) + 1, NULL));
	return addr;
}

static uint64_t call(Fixture *f, uint64_t op, uint64_t param)
{
	uint64_t r = soc_semihost_call(f->sh, &f->cpu, f->wb, op, param);
	return f->wb == 4 ? (uint64_t)(int64_t)(int32_t)r : r;
}

static uint64_t call_args(Fixture *f, uint64_t op, const uint64_t *w, unsigned n)
{
	put_words(f, BLOCK, w, n);
	return call(f, op, BLOCK);
}

static char *drain(Fixture *f)
{
	char buf[4096];
	ssize_t n = read(f->out[0], buf, sizeof(buf) - 1);
	return g_strndup(buf, n > 0 ? (gsize)n : 0);
}

static int64_t open_file(Fixture *f, const char *name, unsigned mode)
{
	uint64_t w[3] = { put_str(f, STR, name), mode, strlen(name) };
	return (int64_t)call_args(f, SOC_SH_OPEN, w, 3);
}

static void test_console(Fixture *f, gconstpointer data)
{
	g_autofree char *got = NULL;
	int64_t tt;
	uint64_t w[3];
	put_str(f, STR, "A");
	g_assert_cmpuint(call(f, SOC_SH_WRITEC, STR), ==, 0);
	put_str(f, STR, "hello\n");
	g_assert_cmpuint(call(f, SOC_SH_WRITE0, STR), ==, 0);
	tt = open_file(f, ":tt", 4);
	g_assert_cmpint(tt, >, 0);
	w[0] = (uint64_t)tt; w[1] = put_str(f, BUF, "ok 1\n"); w[2] = 5;
	g_assert_cmpuint(call_args(f, SOC_SH_WRITE, w, 3), ==, 0);     /* 0 bytes left unwritten */
	got = drain(f);
	g_assert_cmpstr(got, ==, "Ahello\nok 1\n");
	w[0] = (uint64_t)tt;
	g_assert_cmpuint(call_args(f, SOC_SH_ISTTY, w, 1), ==, 1);
}

static void test_files(Fixture *f, gconstpointer data)
{
	int64_t h = open_file(f, "data.txt", 4);           /* "w" */
	uint64_t w[4];
	char back[16] = { 0 };
	g_autofree char *host = NULL;

	g_assert_cmpint(h, >, 0);
	w[0] = (uint64_t)h; w[1] = put_str(f, BUF, "0123456789"); w[2] = 10;
	g_assert_cmpuint(call_args(f, SOC_SH_WRITE, w, 3), ==, 0);
	g_assert_cmpuint(call_args(f, SOC_SH_CLOSE, w, 1), ==, 0);
	g_assert_cmpuint(call_args(f, SOC_SH_CLOSE, w, 1), ==, (uint64_t)-1);   /* twice: bad handle */
	host = g_build_filename(f->root, "data.txt", NULL);
	g_assert_true(g_file_test(host, G_FILE_TEST_EXISTS));

	h = open_file(f, "data.txt", 0);                    /* "r" */
	w[0] = (uint64_t)h;
	g_assert_cmpuint(call_args(f, SOC_SH_FLEN, w, 1), ==, 10);
	g_assert_cmpuint(call_args(f, SOC_SH_ISTTY, w, 1), ==, 0);
	w[1] = 4;
	g_assert_cmpuint(call_args(f, SOC_SH_SEEK, w, 2), ==, 0);
	w[1] = BUF; w[2] = 10;
	g_assert_cmpuint(call_args(f, SOC_SH_READ, w, 3), ==, 4);      /* 6 read, 4 short */
	g_assert_true(soc_as_read_bytes(f->cpu.as, BUF, back, 6, NULL));
	g_assert_cmpstr(back, ==, "456789");
	g_assert_cmpuint(call_args(f, SOC_SH_READ, w, 3), ==, 10);     /* at EOF */
	g_assert_cmpuint(call_args(f, SOC_SH_CLOSE, w, 1), ==, 0);

	w[0] = put_str(f, STR, "data.txt"); w[1] = 8; w[2] = put_str(f, STR + 0x100, "renamed.txt"); w[3] = 11;
	g_assert_cmpuint(call_args(f, SOC_SH_RENAME, w, 4), ==, 0);
	w[0] = put_str(f, STR, "renamed.txt"); w[1] = 11;
	g_assert_cmpuint(call_args(f, SOC_SH_REMOVE, w, 2), ==, 0);
	g_assert_cmpuint(call_args(f, SOC_SH_REMOVE, w, 2), ==, ENOENT);
	g_assert_cmpint(open_file(f, "missing", 0), ==, -1);
	g_assert_cmpuint(call(f, SOC_SH_ERRNO, 0), ==, ENOENT);
}

static void test_refusals(Fixture *f, gconstpointer data)
{
	g_autofree char *outside = g_build_filename(f->root, "..", "socemu-sh-escape", NULL);
	g_autofree char *link = g_build_filename(f->root, "escape", NULL);
	uint64_t w[1];

	g_assert_cmpint(open_file(f, "/etc/passwd", 0), ==, -1);
	g_assert_cmpuint(call(f, SOC_SH_ERRNO, 0), ==, EACCES);
	g_assert_cmpint(open_file(f, "../x", 4), ==, -1);
	g_assert_cmpint(open_file(f, "a/../../x", 4), ==, -1);
	g_assert_cmpint(symlink("/etc", link), ==, 0);
	g_assert_cmpint(open_file(f, "escape/passwd", 0), ==, -1);
	g_assert_cmpint(open_file(f, "escape", 0), ==, -1);
	g_assert_false(g_file_test(outside, G_FILE_TEST_EXISTS));
	g_assert_cmpint(open_file(f, "x", 12), ==, -1);                 /* no such mode */
	put_str(f, STR, "rm -rf /");
	w[0] = STR;
	g_assert_cmpuint(call_args(f, SOC_SH_SYSTEM, w, 1), ==, (uint64_t)-1);
	/* A parameter block outside memory is a guest error, not a crash. */
	g_assert_cmpuint(call(f, SOC_SH_OPEN, 0x40000000), ==, (uint64_t)-1);
	g_assert_cmpuint(call(f, SOC_SH_WRITE0, 0x40000000), ==, 0);
	g_assert_cmpuint(call(f, 0x99, 0), ==, (uint64_t)-1);
	g_assert_cmpuint(soc_log_guest_error_count(f->log), >=, 7);
}

static void test_features_and_cmdline(Fixture *f, gconstpointer data)
{
	int64_t h = open_file(f, ":semihosting-features", 0);
	uint64_t w[3];
	uint8_t feat[8] = { 0 };
	char line[64] = { 0 };

	g_assert_cmpint(h, >, 0);
	w[0] = (uint64_t)h;
	g_assert_cmpuint(call_args(f, SOC_SH_FLEN, w, 1), ==, 5);
	w[1] = BUF; w[2] = 5;
	g_assert_cmpuint(call_args(f, SOC_SH_READ, w, 3), ==, 0);
	g_assert_true(soc_as_read_bytes(f->cpu.as, BUF, feat, 5, NULL));
	g_assert_cmpmem(feat, 4, "SHFB", 4);
	g_assert_cmphex(feat[4], ==, 0x03);
	g_assert_cmpint(open_file(f, ":semihosting-features", 4), ==, -1);   /* read-only */

	w[0] = BUF; w[1] = 8;
	g_assert_cmpuint(call_args(f, SOC_SH_GET_CMDLINE, w, 2), ==, (uint64_t)-1);   /* too small */
	w[1] = 64;
	g_assert_cmpuint(call_args(f, SOC_SH_GET_CMDLINE, w, 2), ==, 0);
	g_assert_true(soc_as_read_bytes(f->cpu.as, BUF, line, sizeof(line), NULL));
	g_assert_cmpstr(line, ==, "prog.elf --verbose");
	g_assert_true(soc_as_read_bytes(f->cpu.as, BLOCK + f->wb, &w[2], f->wb, NULL));
	g_assert_cmpuint(w[2] & (f->wb == 4 ? 0xffffffffu : ~0ULL), ==, 18);
}

static void test_time(Fixture *f, gconstpointer data)
{
	uint64_t ticks = 0;
	f->cpu.insns = 150000000;                    /* 1.5 s at 100 MHz */
	g_assert_cmpuint(call(f, SOC_SH_CLOCK, 0), ==, 150);
	g_assert_cmpuint(call(f, SOC_SH_TIME, 0), ==, 1700000001);
	g_assert_cmpuint(call(f, SOC_SH_TICKFREQ, 0), ==, 1000000);
	g_assert_cmpuint(call(f, SOC_SH_ELAPSED, BUF), ==, 0);
	g_assert_true(soc_as_read_bytes(f->cpu.as, BUF, &ticks, 8, NULL));
	g_assert_cmpuint(ticks, ==, 1500000);
}

static void test_exit(Fixture *f, gconstpointer data)
{
	int status = -1;
	uint64_t w[2] = { SOC_SH_ADP_STOPPED_APPLICATION_EXIT, 3 };
	g_assert_false(soc_semihost_exited(f->sh, NULL));
	if (f->wb == 4) {
		/* 32-bit SYS_EXIT passes the reason itself: application exit means success. */
		call(f, SOC_SH_EXIT, SOC_SH_ADP_STOPPED_APPLICATION_EXIT);
		g_assert_true(soc_semihost_exited(f->sh, &status));
		g_assert_cmpint(status, ==, 0);
		call(f, SOC_SH_EXIT, 0x20023);           /* run-time error */
		g_assert_true(soc_semihost_exited(f->sh, &status));
		g_assert_cmpint(status, ==, 1);
	} else {
		call_args(f, SOC_SH_EXIT, w, 2);
		g_assert_true(soc_semihost_exited(f->sh, &status));
		g_assert_cmpint(status, ==, 3);
	}
	w[1] = 42;
	call_args(f, SOC_SH_EXIT_EXTENDED, w, 2);
	g_assert_true(soc_semihost_exited(f->sh, &status));
	g_assert_cmpint(status, ==, 42);
	w[0] = 0x20024;
	call_args(f, SOC_SH_EXIT_EXTENDED, w, 2);
	g_assert_true(soc_semihost_exited(f->sh, &status));
	g_assert_cmpint(status, ==, 1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (unsigned wb = 4; wb <= 8; wb += 4) {
		gconstpointer d = GUINT_TO_POINTER(wb);
#define FT(name, fn) do { g_autofree char *p = g_strdup_printf("/semihost/%u/%s", wb * 8, name); \
		g_test_add(p, Fixture, d, setup, fn, teardown); } while (0)
		FT("console", test_console);
		FT("files", test_files);
		FT("refusals", test_refusals);
		FT("features-and-cmdline", test_features_and_cmdline);
		FT("time", test_time);
		FT("exit", test_exit);
	}
	return g_test_run();
}
