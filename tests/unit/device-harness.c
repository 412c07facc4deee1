/* tests/unit/device-harness.c — see device-harness.h. */
#include "tests/unit/device-harness.h"
#include "core/irq.h"
#include "core/tree.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

static char *data_path(const char *name)
{
	g_autofree char *file = g_strconcat(name, ".dts", NULL);
	return g_test_build_filename(G_TEST_DIST, "tests", "data", file, NULL);
}

static void free_override(gpointer p)
{
	SocSerialOverride *o = p;
	g_free(o->target);
	g_free(o->backend);
	g_free(o);
}

void soc_tm_init(SocTestMachine *tm)
{
	memset(tm, 0, sizeof *tm);
	tm->serial = g_ptr_array_new_with_free_func(free_override);
	tm->uart_paths = g_ptr_array_new_with_free_func(g_free);
	tm->log = soc_log_new();
	tm->logf = open_memstream(&tm->logbuf, &tm->loglen);
	g_assert_nonnull(tm->logf);
	soc_log_set_stream(tm->log, tm->logf);
	tm->ctx = g_main_context_new();
}

unsigned soc_tm_add_uart(SocTestMachine *tm, const char *target, const char *input)
{
	SocSerialOverride *o = g_new0(SocSerialOverride, 1);
	unsigned i = tm->serial->len;
	char *out, *in;

	/* The overrides are read when the machine is built. */
	g_assert_null(tm->m);
	if (!tm->dir) {
		GError *err = NULL;
		tm->dir = g_dir_make_tmp("socemu-devtest-XXXXXX", &err);
		g_assert_no_error(err);
	}
	out = g_strdup_printf("%s/out%u", tm->dir, i);
	in = g_strdup_printf("%s/in%u", tm->dir, i);
	g_ptr_array_add(tm->uart_paths, out);
	g_ptr_array_add(tm->uart_paths, in);
	g_assert_true(g_file_set_contents(in, input ? input : "", -1, NULL));
	o->target = g_strdup(target);
	o->backend = g_strdup_printf("file:%s,in=%s", out, in);
	g_ptr_array_add(tm->serial, o);
	return i;
}

const char *soc_tm_uart_out_path(const SocTestMachine *tm, unsigned uart)
{
	g_assert_cmpuint(uart, <, tm->serial->len);
	return tm->uart_paths->pdata[2 * uart];
}

const char *soc_tm_uart_in_path(const SocTestMachine *tm, unsigned uart)
{
	g_assert_cmpuint(uart, <, tm->serial->len);
	return tm->uart_paths->pdata[2 * uart + 1];
}

static void build_again(SocTestMachine *tm)
{
	GError *err = NULL;
	SocTree *tree = soc_tree_load(tm->dts, NULL, &err);
	SocMachineConfig cfg = { .serial = tm->serial, .ctx = tm->ctx, .log = tm->log };

	g_assert_no_error(err);
	tm->m = soc_machine_build(tree, &cfg, &err);
	g_assert_no_error(err);
	tm->as = soc_cluster_as(soc_machine_default_cluster(tm->m));
}

void soc_tm_build(SocTestMachine *tm, const char *name)
{
	g_assert_null(tm->m);
	g_free(tm->dts);
	tm->dts = data_path(name);
	build_again(tm);
}

char *soc_tm_uart_output(SocTestMachine *tm, unsigned uart)
{
	char *out = NULL;

	g_assert_nonnull(tm->m);
	soc_machine_free(tm->m);
	tm->m = NULL;
	tm->as = NULL;
	g_assert_true(g_file_get_contents(soc_tm_uart_out_path(tm, uart), &out, NULL, NULL));
	build_again(tm);
	return out;
}

void soc_tm_free(SocTestMachine *tm)
{
	/* The machine uses the overrides, the context and the log: it goes first. */
	soc_machine_free(tm->m);
	for (unsigned i = 0; i < tm->uart_paths->len; i++)
		g_unlink(tm->uart_paths->pdata[i]);
	if (tm->dir)
		g_rmdir(tm->dir);
	g_ptr_array_free(tm->uart_paths, TRUE);
	g_ptr_array_free(tm->serial, TRUE);
	g_main_context_unref(tm->ctx);
	soc_log_free(tm->log);
	fclose(tm->logf);
	free(tm->logbuf);
	g_free(tm->dts);
	g_free(tm->dir);
	memset(tm, 0, sizeof *tm);
}

void soc_tm_teardown(SocTestMachine *tm, gconstpointer data)
{
	(void)data;
	soc_tm_free(tm);
}

uint64_t soc_tm_rd(SocTestMachine *tm, uint64_t addr, unsigned size)
{
	uint64_t v = 0;
	g_assert_cmpint(soc_as_read(tm->as, addr, size, &v, NULL), ==, SOC_MEM_OK);
	return v;
}

void soc_tm_wr(SocTestMachine *tm, uint64_t addr, unsigned size, uint64_t value)
{
	g_assert_cmpint(soc_as_write(tm->as, addr, size, value, NULL), ==, SOC_MEM_OK);
}

void soc_tm_pump(SocTestMachine *tm)
{
	for (int i = 0; i < 50; i++)
		while (g_main_context_iteration(tm->ctx, FALSE))
			;
}

bool soc_tm_log_has(SocTestMachine *tm, const char *text)
{
	fflush(tm->logf);
	return tm->logbuf && strstr(tm->logbuf, text);
}

SocDevice *soc_tm_device(SocTestMachine *tm, const char *path)
{
	SocDevice *d = soc_machine_find_device(tm->m, path);
	g_assert_nonnull(d);
	return d;
}

int soc_tm_irq_level(SocTestMachine *tm, const char *path, unsigned i)
{
	SocDevice *d = soc_tm_device(tm, path);
	g_assert_cmpuint(i, <, d->n_irq_out);
	return soc_irq_level(d->irq_out[i]);
}

int soc_tm_irq_in_level(SocTestMachine *tm, const char *path, unsigned i)
{
	SocDevice *d = soc_tm_device(tm, path);
	g_assert_cmpuint(i, <, d->n_irq_in);
	return soc_irq_level(d->irq_in[i]);
}

void soc_tm_run_to(SocTestMachine *tm, SocTime t)
{
	soc_events_run_until(soc_machine_events(tm->m), t);
	g_assert_cmpuint(soc_events_now(soc_machine_events(tm->m)), ==, t);
}

SocTime soc_tm_now(SocTestMachine *tm)
{
	return soc_events_now(soc_machine_events(tm->m));
}

SocTime soc_tm_first_ps(uint64_t n, uint64_t hz)
{
	unsigned __int128 ps = (unsigned __int128)n * SOC_PS_PER_SEC;
	return (SocTime)((ps + hz - 1) / hz);
}

/* Build `tree` (taken) and require the failure to mention `expect`; `what` names the case. */
static void expect_build_error(SocTree *tree, const char *what, const char *expect)
{
	GError *err = NULL;
	SocLog *log = soc_log_new();
	SocMachineConfig cfg = { .log = log };

	g_assert_null(soc_machine_build(tree, &cfg, &err));
	g_assert_nonnull(err);
	if (!strstr(err->message, expect))
		g_error("%s: got \"%s\", expected \"%s\"", what, err->message, expect);
	g_error_free(err);
	soc_log_free(log);
}

void soc_tm_expect_bad_edit(const char *name, const char *assignment, const char *expect)
{
	GError *err = NULL;
	g_autofree char *dts = data_path(name);
	SocTree *tree = soc_tree_load(dts, NULL, &err);

	g_assert_no_error(err);
	g_assert_true(soc_tree_set(tree, assignment, &err));
	g_assert_no_error(err);
	expect_build_error(tree, assignment, expect);
}

void soc_tm_expect_bad_tree(const char *name)
{
	static const char tag[] = "// expect: ";
	g_autofree char *path = data_path(name);
	g_autofree char *text = NULL;
	g_autofree char *expect = NULL;
	GError *err = NULL;
	SocTree *tree;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_assert_true(g_str_has_prefix(text, tag));
	expect = g_strndup(text + strlen(tag), strcspn(text + strlen(tag), "\n"));
	tree = soc_tree_load(path, NULL, &err);
	g_assert_no_error(err);
	expect_build_error(tree, name, expect);
}
