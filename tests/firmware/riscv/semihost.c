/* tests/firmware/riscv/semihost.c — RISC-V semihosting (the slli/ebreak/srai sequence, Arm
 * semihosting v2 operations with XLEN-wide parameter words) called directly: files in the
 * -semihosting-root run-elf.sh gives (a fresh directory): OPEN in its modes, WRITE, READ with
 * its "bytes not read" result, SEEK, FLEN, ISTTY, CLOSE, RENAME, REMOVE, ERRNO after a failed
 * open, paths that would leave the root refused; the console (:tt, WRITE0, WRITEC); CLOCK,
 * ELAPSED, TIME and TICKFREQ against virtual time spent asleep; the feature file; and
 * picolibc's stdio on the same host files. The exit status is exit-status.c's. */
#include "rt.h"

#include <string.h>

enum {
	SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05,
	SYS_READ = 0x06, SYS_ISERROR = 0x08, SYS_ISTTY = 0x09, SYS_SEEK = 0x0a, SYS_FLEN = 0x0c,
	SYS_REMOVE = 0x0e, SYS_RENAME = 0x0f, SYS_CLOCK = 0x10, SYS_TIME = 0x11, SYS_ERRNO = 0x13,
	SYS_GET_CMDLINE = 0x15, SYS_HEAPINFO = 0x16, SYS_ELAPSED = 0x30, SYS_TICKFREQ = 0x31,
};
enum { MODE_R = 0, MODE_RPLUS = 2, MODE_W = 4, MODE_WPLUS = 6, MODE_A = 8 };
#define HOST_ENOENT 2
#define FAIL ((uintptr_t)-1)

static uintptr_t sh(uintptr_t op, uintptr_t a, uintptr_t b, uintptr_t c)
{
	uintptr_t block[3] = { a, b, c };
	return rt_semihost(op, (uintptr_t)block);
}

static uintptr_t sh_open(const char *name, uintptr_t mode)
{
	return sh(SYS_OPEN, (uintptr_t)name, mode, strlen(name));
}

static uintptr_t sh_write(uintptr_t h, const void *p, size_t n) { return sh(SYS_WRITE, h, (uintptr_t)p, n); }
static uintptr_t sh_read(uintptr_t h, void *p, size_t n) { return sh(SYS_READ, h, (uintptr_t)p, n); }
static uintptr_t sh_close(uintptr_t h) { return sh(SYS_CLOSE, h, 0, 0); }
static uintptr_t sh_flen(uintptr_t h) { return sh(SYS_FLEN, h, 0, 0); }
static uintptr_t sh_seek(uintptr_t h, uintptr_t pos) { return sh(SYS_SEEK, h, pos, 0); }
static uintptr_t sh_istty(uintptr_t h) { return sh(SYS_ISTTY, h, 0, 0); }
static uintptr_t sh_errno(void) { return rt_semihost(SYS_ERRNO, 0); }

static uintptr_t sh_remove(const char *name)
{
	return sh(SYS_REMOVE, (uintptr_t)name, strlen(name), 0);
}

static uintptr_t sh_rename(const char *from, const char *to)
{
	uintptr_t block[4] = { (uintptr_t)from, strlen(from), (uintptr_t)to, strlen(to) };
	return rt_semihost(SYS_RENAME, (uintptr_t)block);
}

static bool valid(uintptr_t h)
{
	return h != FAIL && h != 0;
}

static void files(void)
{
	char buf[32];
	uintptr_t h, r;

	h = sh_open("t.txt", MODE_W);
	tap_ok(valid(h), "SYS_OPEN \"w\" creates t.txt in the root (handle %ld)", (long)h);
	tap_eq(sh_write(h, "hello, world", 12), 0, "SYS_WRITE of 12 bytes returns 0 (nothing left unwritten)");
	tap_eq(sh_close(h), 0, "SYS_CLOSE");
	tap_eq(sh_close(h), FAIL, "SYS_CLOSE of a closed handle fails");
	h = sh_open("t.txt", MODE_R);
	tap_eq(sh_flen(h), 12, "SYS_FLEN of the file");
	tap_eq(sh_istty(h), 0, "SYS_ISTTY: a file is not a terminal");
	memset(buf, 0, sizeof(buf));
	r = sh_read(h, buf, 5);
	tap_ok(r == 0 && !memcmp(buf, "hello", 5), "SYS_READ of 5 bytes returns 0 and the data");
	tap_eq(sh_seek(h, 7), 0, "SYS_SEEK to 7");
	memset(buf, 0, sizeof(buf));
	r = sh_read(h, buf, 10);
	tap_ok(r == 5 && !memcmp(buf, "world", 5), "SYS_READ of 10 bytes with 5 left returns 5 (not read): %ld",
	       (long)r);
	tap_eq(sh_read(h, buf, 4), 4, "SYS_READ at the end returns the whole length");
	tap_eq(sh_write(h, "x", 1), 1, "SYS_WRITE to a read-only handle writes nothing");
	sh_close(h);

	h = sh_open("t.txt", MODE_A);
	r = sh_write(h, "!!", 2);
	sh_close(h);
	h = sh_open("t.txt", MODE_R);
	tap_ok(r == 0 && sh_flen(h) == 14, "SYS_OPEN \"a\" appends");
	sh_close(h);

	h = sh_open("w.txt", MODE_WPLUS);
	sh_write(h, "abcdef", 6);
	sh_seek(h, 2);
	memset(buf, 0, sizeof(buf));
	r = sh_read(h, buf, 3);
	sh_close(h);
	tap_ok(r == 0 && !memcmp(buf, "cde", 3), "\"w+\": written, sought back, read");

	h = sh_open("missing.txt", MODE_R);
	tap_eq(h, FAIL, "SYS_OPEN of a missing file fails");
	tap_eq(sh_errno(), HOST_ENOENT, "SYS_ERRNO says ENOENT");
	h = sh_open("missing.txt", MODE_RPLUS);
	tap_eq(h, FAIL, "\"r+\" does not create a file");

	tap_eq(sh_rename("t.txt", "u.txt"), 0, "SYS_RENAME t.txt to u.txt");
	h = sh_open("t.txt", MODE_R);
	tap_ok(h == FAIL && sh_errno() == HOST_ENOENT, "t.txt is gone");
	h = sh_open("u.txt", MODE_R);
	tap_ok(valid(h) && sh_flen(h) == 14, "u.txt has its 14 bytes");
	sh_close(h);
	tap_eq(sh_remove("u.txt"), 0, "SYS_REMOVE u.txt");
	tap_eq(sh_open("u.txt", MODE_R), FAIL, "u.txt is gone");
	tap_ok(sh_remove("u.txt") != 0, "SYS_REMOVE of a missing file fails");
	sh_remove("w.txt");

	h = sh_open("/etc/hostname", MODE_R);
	tap_ok(h == FAIL && sh_errno() != 0, "an absolute path is refused");
	h = sh_open("../escape.txt", MODE_W);
	tap_ok(h == FAIL && sh_errno() != 0, "a path with .. is refused");
	h = sh_open("sub/../../escape.txt", MODE_W);
	tap_ok(h == FAIL, "a path that climbs out through a subdirectory is refused");
	tap_eq(sh_open("t.txt", 12), FAIL, "SYS_OPEN mode 12 does not exist");
}

static void console(void)
{
	static const char line[] = "# SYS_WRITE to :tt\n";
	static const char c[] = "#";
	uintptr_t in = sh_open(":tt", MODE_R), out = sh_open(":tt", MODE_W);

	tap_ok(valid(in) && valid(out) && sh_istty(in) == 1 && sh_istty(out) == 1,
	       ":tt opens for reading and writing, and is a terminal");
	tap_eq(sh_write(out, line, sizeof(line) - 1), 0, "SYS_WRITE to :tt");
	sh_close(in);
	sh_close(out);
	rt_semihost(SYS_WRITE0, (uintptr_t)"# SYS_WRITE0\n");
	rt_semihost(SYS_WRITEC, (uintptr_t)c);
	rt_semihost(SYS_WRITEC, (uintptr_t)"\n");
	tap_ok(true, "SYS_WRITE0 and SYS_WRITEC returned (their lines are TAP comments above)");
	tap_ok(rt_semihost(SYS_ISERROR, (uintptr_t)(uintptr_t[]){ FAIL }) != 0 &&
	       rt_semihost(SYS_ISERROR, (uintptr_t)(uintptr_t[]){ 0 }) == 0, "SYS_ISERROR");
}

/* Virtual time slept, from mtime: in units of 1/hz s. */
static uint64_t slept(uint64_t m0, uint64_t m1, uint64_t hz)
{
	return (m1 - m0) * hz / RT_TIMEBASE;
}

static void clocks(void)
{
	uintptr_t c0, c1, f, t0, t1;
	uint64_t e0 = 0, e1 = 0, m0, m1, want;

	f = rt_semihost(SYS_TICKFREQ, 0);
	tap_ok(f != FAIL && f > 0, "SYS_TICKFREQ: %lu Hz", (unsigned long)f);
	m0 = rt_mtime();
	c0 = rt_semihost(SYS_CLOCK, 0);
	rt_sleep_ticks(RT_TIMEBASE / 10);
	c1 = rt_semihost(SYS_CLOCK, 0);
	m1 = rt_mtime();
	want = slept(m0, m1, 100);
	tap_ok(c1 - c0 + 1 >= want && c1 - c0 <= want + 1,
	       "SYS_CLOCK follows virtual time asleep: %lu centiseconds for %lu", (unsigned long)(c1 - c0),
	       (unsigned long)want);
	m0 = rt_mtime();
	rt_semihost(SYS_ELAPSED, (uintptr_t)&e0);
	rt_sleep_ticks(RT_TIMEBASE / 100);
	rt_semihost(SYS_ELAPSED, (uintptr_t)&e1);
	m1 = rt_mtime();
	want = slept(m0, m1, f);
	tap_ok(e1 - e0 + f / 1000 >= want && e1 - e0 <= want + 1,
	       "SYS_ELAPSED follows virtual time asleep: %lu ticks at %lu Hz for %lu", (unsigned long)(e1 - e0),
	       (unsigned long)f, (unsigned long)want);
	t0 = rt_semihost(SYS_TIME, 0);
	rt_sleep_ticks(RT_TIMEBASE);
	t1 = rt_semihost(SYS_TIME, 0);
	tap_ok(t1 - t0 == 1 || t1 - t0 == 2, "SYS_TIME advances a second over a second asleep (%lu)",
	       (unsigned long)(t1 - t0));
}

static void environment(void)
{
	char buf[64];
	uintptr_t block[4], r;
	uint8_t feat[8] = { 0 };
	uintptr_t h;

	memset(buf, 'x', sizeof(buf));
	block[0] = (uintptr_t)buf;
	block[1] = sizeof(buf);
	r = rt_semihost(SYS_GET_CMDLINE, (uintptr_t)block);
	tap_ok(r == 0 && memchr(buf, 0, sizeof(buf)) && block[1] == strlen(buf),
	       "SYS_GET_CMDLINE: \"%s\", length %lu", r == 0 ? buf : "?", (unsigned long)block[1]);
	for (unsigned i = 0; i < 4; i++)
		block[i] = 0x55;
	{
		uintptr_t *p = block;
		r = rt_semihost(SYS_HEAPINFO, (uintptr_t)&p);
	}
	tap_ok(block[0] != 0x55 && block[1] != 0x55 && block[2] != 0x55 && block[3] != 0x55,
	       "SYS_HEAPINFO fills its four words");
	h = sh_open(":semihosting-features", MODE_R);
	tap_ok(valid(h) && sh_flen(h) >= 5, "the feature file opens, at least 5 bytes");
	r = sh_read(h, feat, 5);
	sh_close(h);
	tap_ok(r == 0 && !memcmp(feat, "SHFB", 4) && (feat[4] & 1),
	       "feature file: magic SHFB, SH_EXT_EXIT_EXTENDED set (0x%02x)", feat[4]);
	tap_eq(sh_open(":semihosting-features", MODE_W), FAIL, "the feature file does not open for writing");
}

static void stdio(void)
{
	char line[32] = "";
	FILE *f = fopen("s.txt", "w");
	long size = -1;
	int c = -1;

	tap_ok(f != NULL, "picolibc fopen(\"s.txt\", \"w\")");
	if (f) {
		fprintf(f, "line %d\nmore\n", 42);
		fclose(f);
	}
	f = fopen("s.txt", "r");
	if (f) {
		fgets(line, sizeof(line), f);
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		fseek(f, 5, SEEK_SET);
		c = fgetc(f);
		fclose(f);
	}
	tap_ok(!strcmp(line, "line 42\n"), "picolibc fgets reads what fprintf wrote");
	tap_eq((uintptr_t)size, 13, "fseek to the end, ftell: 13 bytes");
	tap_eq((uintptr_t)c, '4', "fseek back, fgetc");
	tap_eq(remove("s.txt"), 0, "picolibc remove()");
}

int main(void)
{
	tap_plan(26 + 4 + 4 + 5 + 5);
	rt_init();
	files();
	console();
	clocks();
	environment();
	stdio();
	return tap_done();
}
