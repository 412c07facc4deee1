/* tests/unit/test-log.c — the log's buffered trace path (soc_log_write_raw) against its
 * formatted lines, its destinations and its flush points. */
#include "core/log.h"
#include "core/error.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	char *dir;
	char *path;
	SocLog *log;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	f->dir = g_dir_make_tmp("socemu-log-XXXXXX", &err);
	g_assert_no_error(err);
	f->path = g_build_filename(f->dir, "log.txt", NULL);
	f->log = soc_log_new();
	g_assert_true(soc_log_set_categories(f->log, "guest_errors,exec,mmio", &err));
	g_assert_true(soc_log_set_file(f->log, f->path, &err));
	g_assert_no_error(err);
}

static void teardown(Fixture *f, gconstpointer data)
{
	soc_log_free(f->log);
	g_unlink(f->path);
	g_rmdir(f->dir);
	g_free(f->path);
	g_free(f->dir);
}

/* What the file holds now, as the kernel has it (not what stdio still keeps). */
static char *file_text(const char *path, size_t *len)
{
	char *text = NULL;
	gsize n = 0;
	g_autoptr(GError) err = NULL;
	g_assert_true(g_file_get_contents(path, &text, &n, &err));
	if (len)
		*len = n;
	return text;
}

static void raw(SocLog *log, const char *line)
{
	soc_log_write_raw(log, SOC_LOG_EXEC, line, strlen(line));
}

static void test_buffered_until_flush(Fixture *f, gconstpointer data)
{
	g_autofree char *before = NULL, *after = NULL;
	raw(f->log, "one\n");
	raw(f->log, "two\n");
	before = file_text(f->path, NULL);
	g_assert_cmpstr(before, ==, "");
	soc_log_flush(f->log);
	after = file_text(f->path, NULL);
	g_assert_cmpstr(after, ==, "one\ntwo\n");
}

/* A formatted line never overtakes trace lines written before it. */
static void test_order_with_formatted(Fixture *f, gconstpointer data)
{
	g_autofree char *mid = NULL, *end = NULL;
	raw(f->log, "exec 1\n");
	soc_log_write(f->log, SOC_LOG_GUEST_ERROR, "error %d", 2);   /* flushed at once */
	mid = file_text(f->path, NULL);
	g_assert_cmpstr(mid, ==, "exec 1\nerror 2\n");
	raw(f->log, "exec 3\n");
	soc_log_write(f->log, SOC_LOG_MMIO, "mmio %d", 4);
	raw(f->log, "exec 5\n");
	soc_log_free(f->log);
	f->log = NULL;
	end = file_text(f->path, NULL);
	g_assert_cmpstr(end, ==, "exec 1\nerror 2\nexec 3\nmmio 4\nexec 5\n");
}

static void test_flush_on_free(Fixture *f, gconstpointer data)
{
	g_autofree char *text = NULL;
	raw(f->log, "last words\n");
	soc_log_free(f->log);
	f->log = NULL;
	text = file_text(f->path, NULL);
	g_assert_cmpstr(text, ==, "last words\n");
}

/* Many more lines than the buffer holds: every one arrives, in order, none torn. */
static void test_many_lines(Fixture *f, gconstpointer data)
{
	GString *want = g_string_new(NULL);
	g_autofree char *text = NULL;
	size_t len;
	for (unsigned i = 0; i < 20000; i++) {
		char line[96];
		int n = g_snprintf(line, sizeof(line), "%u: %.*s\n", i, (int)(i % 61), "abcdefghijklmnopqrstuvwxyz"
		                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		soc_log_write_raw(f->log, SOC_LOG_EXEC, line, (size_t)n);
		g_string_append_len(want, line, n);
	}
	g_assert_cmpuint(want->len, >, 4 * 64 * 1024);
	soc_log_flush(f->log);
	text = file_text(f->path, &len);
	g_assert_cmpuint(len, ==, want->len);
	g_assert_true(memcmp(text, want->str, len) == 0);
	g_string_free(want, TRUE);
}

/* A line longer than the whole buffer goes out in one piece between its neighbours. */
static void test_line_larger_than_buffer(Fixture *f, gconstpointer data)
{
	size_t big_len = 300 * 1024, len;
	char *big = g_malloc(big_len);
	g_autofree char *text = NULL;
	for (size_t i = 0; i < big_len - 1; i++)
		big[i] = (char)('a' + i % 26);
	big[big_len - 1] = '\n';
	raw(f->log, "before\n");
	soc_log_write_raw(f->log, SOC_LOG_EXEC, big, big_len);
	raw(f->log, "after\n");
	soc_log_flush(f->log);
	text = file_text(f->path, &len);
	g_assert_cmpuint(len, ==, 7 + big_len + 6);
	g_assert_true(g_str_has_prefix(text, "before\nabc"));
	g_assert_true(memcmp(text + 7, big, big_len) == 0);
	g_assert_true(memcmp(text + 7 + big_len, "after\n", 6) == 0);
	g_free(big);
}

/* Lines built in place (reserve, commit) keep their order with the others, also when the
 * reservation needs the buffer emptied first. */
static void test_reserve_commit(Fixture *f, gconstpointer data)
{
	GString *want = g_string_new(NULL);
	g_autofree char *text = NULL;
	size_t len;
	char *p;
	for (unsigned i = 0; i < 3000; i++) {
		char line[64];
		int n = g_snprintf(line, sizeof(line), "raw line %u\n", i);
		if (i % 3 == 0) {
			p = soc_log_reserve(f->log, SOC_LOG_EXEC, 200);
			g_assert_nonnull(p);
			memcpy(p, line, (size_t)n);
			memset(p + n, '#', 200 - (size_t)n);   /* past the line: must not show */
			soc_log_commit(f->log, (size_t)n);
		} else if (i % 3 == 1) {
			soc_log_write_raw(f->log, SOC_LOG_EXEC, line, (size_t)n);
		} else {
			soc_log_write(f->log, SOC_LOG_MMIO, "%.*s", n - 1, line);
		}
		g_string_append_len(want, line, n);
	}
	/* The formatted line empties the buffer; 1310 lines fill it (64 KiB) to 36 bytes short,
	 * so that the reservation cannot fit. */
	soc_log_write(f->log, SOC_LOG_MMIO, "empty");
	g_string_append(want, "empty\n");
	for (size_t k = 0; k < 1310; k++) {
		soc_log_write_raw(f->log, SOC_LOG_EXEC, "0123456789012345678901234567890123456789012345678\n", 50);
		g_string_append(want, "0123456789012345678901234567890123456789012345678\n");
	}
	p = soc_log_reserve(f->log, SOC_LOG_EXEC, SOC_LOG_RESERVE_MAX);
	g_assert_nonnull(p);
	memcpy(p, "in place\n", 9);
	soc_log_commit(f->log, 9);
	g_string_append(want, "in place\n");
	soc_log_free(f->log);
	f->log = NULL;
	text = file_text(f->path, &len);
	g_assert_cmpuint(len, ==, want->len);
	g_assert_true(memcmp(text, want->str, len) == 0);
	g_string_free(want, TRUE);
}

static void test_reserve_refused(Fixture *f, gconstpointer data)
{
	g_autofree char *text = NULL;
	g_assert_null(soc_log_reserve(f->log, SOC_LOG_IRQ, 10));   /* category off */
	g_assert_null(soc_log_reserve(f->log, SOC_LOG_EXEC, SOC_LOG_RESERVE_MAX + 1));
	g_assert_null(soc_log_reserve(NULL, SOC_LOG_EXEC, 10));
	soc_log_flush(f->log);
	text = file_text(f->path, NULL);
	g_assert_cmpstr(text, ==, "");
}

/* A formatted line longer than soc_log_write's own buffer is kept whole. */
static void test_long_formatted_line(Fixture *f, gconstpointer data)
{
	g_autofree char *pad = g_strnfill(3000, 'x');
	g_autofree char *want = g_strdup_printf("<%s>\n", pad);
	g_autofree char *text = NULL;
	raw(f->log, "t\n");
	soc_log_write(f->log, SOC_LOG_GUEST_ERROR, "<%s>", pad);
	text = file_text(f->path, NULL);
	g_assert_true(g_str_has_prefix(text, "t\n<x"));
	g_assert_cmpstr(text + 2, ==, want);
}

static void test_filtered_and_empty(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *text = NULL;
	soc_log_write_raw(f->log, SOC_LOG_IRQ, "irq is off\n", 11);
	soc_log_write_raw(f->log, SOC_LOG_EXEC, "", 0);
	soc_log_write_raw(NULL, SOC_LOG_EXEC, "no log\n", 7);
	soc_log_flush(NULL);
	raw(f->log, "on\n");
	/* Turning categories off keeps what was written while they were on. */
	g_assert_true(soc_log_set_categories(f->log, "none", &err));
	raw(f->log, "off\n");
	text = file_text(f->path, NULL);
	g_assert_cmpstr(text, ==, "on\n");
}

/* Lines written before a change of destination stay with the old one. */
static void test_change_of_file(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *second = g_build_filename(f->dir, "second.txt", NULL);
	g_autofree char *a = NULL, *b = NULL;
	raw(f->log, "first file\n");
	g_assert_true(soc_log_set_file(f->log, second, &err));
	raw(f->log, "second file\n");
	a = file_text(f->path, NULL);
	g_assert_cmpstr(a, ==, "first file\n");
	soc_log_flush(f->log);
	b = file_text(second, NULL);
	g_assert_cmpstr(b, ==, "second file\n");
	g_assert_false(soc_log_set_file(f->log, "/nonexistent-dir/x/log.txt", &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_IO);
	g_unlink(second);
}

/* A caller's stream gets each line at once: it may read it without asking the log, and may
 * close it before the log is freed. */
static void test_caller_stream(Fixture *f, gconstpointer data)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	char *p;
	soc_log_set_stream(f->log, m);
	raw(f->log, "seen\n");
	fflush(m);
	g_assert_cmpstr(text, ==, "seen\n");
	soc_log_write(f->log, SOC_LOG_MMIO, "then %s", "this");
	raw(f->log, "and this\n");
	p = soc_log_reserve(f->log, SOC_LOG_EXEC, 64);
	g_assert_nonnull(p);
	memcpy(p, "in place\n", 9);
	soc_log_commit(f->log, 9);
	fflush(m);
	g_assert_cmpstr(text, ==, "seen\nthen this\nand this\nin place\n");
	fclose(m);
	free(text);
	/* the log still points at the closed stream: freeing it must not touch it */
	soc_log_free(f->log);
	f->log = NULL;
}

/* On stderr (the default), trace lines wait in the buffer; a formatted line takes them out with
 * it, in one write. fd 2 is pointed at a file for the duration. */
static void test_stderr(Fixture *f, gconstpointer data)
{
	g_autofree char *path = g_build_filename(f->dir, "stderr.txt", NULL);
	g_autofree char *mid = NULL, *end = NULL;
	int saved = dup(2), fd;
	SocLog *log;

	fflush(stderr);
	fd = g_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(dup2(fd, 2), ==, 2);
	close(fd);
	log = soc_log_new();
	g_assert_true(soc_log_set_categories(log, "exec,sched", NULL));
	raw(log, "trace a\n");
	mid = file_text(path, NULL);
	soc_log_write(log, SOC_LOG_SCHED, "sched %c", 'b');
	raw(log, "trace c\n");
	soc_log_free(log);
	end = file_text(path, NULL);
	dup2(saved, 2);
	close(saved);
	g_assert_cmpstr(mid, ==, "");
	g_assert_cmpstr(end, ==, "trace a\nsched b\ntrace c\n");
	g_unlink(path);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define T(name, fn) g_test_add("/log/" name, Fixture, NULL, setup, fn, teardown)
	T("raw/buffered-until-flush", test_buffered_until_flush);
	T("raw/order-with-formatted", test_order_with_formatted);
	T("raw/flush-on-free", test_flush_on_free);
	T("raw/many-lines", test_many_lines);
	T("raw/line-larger-than-buffer", test_line_larger_than_buffer);
	T("reserve/commit", test_reserve_commit);
	T("reserve/refused", test_reserve_refused);
	T("formatted/long-line", test_long_formatted_line);
	T("raw/filtered-and-empty", test_filtered_and_empty);
	T("destination/change-of-file", test_change_of_file);
	T("destination/caller-stream", test_caller_stream);
	T("destination/stderr", test_stderr);
#undef T
	return g_test_run();
}
