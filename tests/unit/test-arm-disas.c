/* cpus/arm/disas.c: the library is loaded on first use, and when it cannot be (missing, or
 * not capstone), disassembly falls back to socemu's own instruction names with a single
 * warning, for every cpu, and never fails. SOCEMU_CAPSTONE picks the file. -d exec lines use
 * the same text, made once per pc. */
#include "tests/arm/arm-harness.h"

#include <string.h>

static const uint16_t code[] = { 0xB5F0, 0xF04F, 0x0101, 0x4770, 0xDE00 };

/* Two cores, each disassembling the same code twice. */
static void disassemble_on_two_cpus(void)
{
	for (int k = 0; k < 2; k++) {
		ArmHarness *h = arm_harness_new("arm,cortex-m3");
		char buf[96];
		arm_harness_map(h, 0, 0x1000);
		arm_harness_write(h, 0, code, sizeof(code));
		for (int round = 0; round < 2; round++) {
			g_assert_cmpuint(h->cpu->cls->disassemble(h->cpu, 0, buf, sizeof(buf)), ==, 2);
			g_assert_cmpstr(buf, ==, "push (0xb5f0)");
			g_assert_cmpuint(h->cpu->cls->disassemble(h->cpu, 2, buf, sizeof(buf)), ==, 4);
			g_assert_nonnull(strstr(buf, "(0xf04f0101)"));
			g_assert_cmpuint(h->cpu->cls->disassemble(h->cpu, 8, buf, sizeof(buf)), ==, 2);
			g_assert_cmpstr(buf, ==, "udf (0xde00)");
			g_assert_cmpuint(h->cpu->cls->disassemble(h->cpu, 0x10000, buf, sizeof(buf)), ==, 0);
			g_assert_cmpstr(buf, ==, "");
		}
		arm_harness_free(h);
	}
}

static void check_fallback(const char *library, const char *reason_pattern)
{
	if (g_test_subprocess()) {
		g_setenv("SOCEMU_CAPSTONE", library, TRUE);
		disassemble_on_two_cpus();
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
	g_test_trap_assert_stdout("");
	g_test_trap_assert_stderr(reason_pattern);
	g_test_trap_assert_stderr_unmatched("*warning*warning*");
}

static void test_missing_library(void)
{
	check_fallback("/nonexistent/libcapstone.so.4",
	               "socemu: warning: Arm disassembly: cannot use /nonexistent/libcapstone.so.4 (*"
	               "No such file or directory); instructions are shown by socemu's own names\n");
}

static void test_not_capstone(void)
{
	check_fallback("libm.so.6",
	               "socemu: warning: Arm disassembly: cannot use libm.so.6 (it lacks cs_open, *)*\n");
}

/* A core that never disassembles never loads the library, and frees cleanly. */
static void test_unused(void)
{
	if (g_test_subprocess()) {
		ArmHarness *h;
		g_setenv("SOCEMU_CAPSTONE", "/nonexistent/libcapstone.so.4", TRUE);
		h = arm_harness_new("arm,cortex-m3");
		arm_harness_free(h);
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
	g_test_trap_assert_stderr("");
}

/* -d exec lines: "exec: PATH 0xPC: ENCODING  TEXT", made once per pc and reused (the loop
 * runs twice), an IT block's instructions marked; capstone's text when it is there, else
 * socemu's names. */
static void trace_lines(bool with_capstone)
{
	/* movs r0,#5; movw r2,#0x101; ite eq; moveq r1,#1; movne r1,#2; b 0x102 (to mov.w) */
	static const uint16_t prog[] = { 0x2005, 0xF240, 0x1201, 0xBF0C, 0x2101, 0x2102, 0xE7F9 };
	static const char *const with_cs[] = {
		"exec: /cpus/cpu@0 0x00000100: 2005       movs r0, #5\n",
		"exec: /cpus/cpu@0 0x00000102: f240 1201  movw r2, #0x101\n",
		"exec: /cpus/cpu@0 0x00000106: bf0c       ite eq\n",
		"exec: /cpus/cpu@0 0x00000108: 2101       moveq r1, #1 (in IT block)\n",
		"exec: /cpus/cpu@0 0x0000010a: 2102       movne r1, #2 (in IT block)\n",
		"exec: /cpus/cpu@0 0x0000010c: e7f9       b #0x102\n",
	};
	static const char *const without_cs[] = {
		"exec: /cpus/cpu@0 0x00000100: 2005       movs (0x2005)\n",
		"exec: /cpus/cpu@0 0x00000102: f240 1201  movw (0xf2401201)\n",
	};
	ArmHarness *h = arm_harness_new("arm,cortex-m3");
	uint32_t vectors[2] = { 0x20008000, 0x101 };
	g_autoptr(GError) err = NULL;
	char *text = NULL, *at;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	arm_harness_map(h, 0, 0x1000);
	arm_harness_map(h, 0x20000000, 0x10000);
	arm_harness_write(h, 0, vectors, sizeof(vectors));
	arm_harness_write(h, 0x100, prog, sizeof(prog));
	g_assert_true(soc_log_set_categories(h->log, "exec", &err));
	soc_log_set_stream(h->log, f);
	h->cpu->cls->reset(h->cpu);
	h->cpu->stop_at = 11;             /* the six, then mov.w to b again */
	h->cpu->cls->run(h->cpu);
	soc_log_flush(h->log);
	fflush(f);
	g_assert_cmpuint(h->cpu->insns, ==, 11);
	if (with_capstone) {
		at = text;
		for (unsigned k = 0; k < G_N_ELEMENTS(with_cs); k++) {
			at = strstr(at, with_cs[k]);
			if (!at)
				g_printerr("missing: %sin:\n%s", with_cs[k], text);
			g_assert_nonnull(at);
		}
		/* The second round: the same lines again, from the cache. */
		g_assert_nonnull(strstr(strstr(text, with_cs[5]) + 1, with_cs[1]));
		g_assert_nonnull(strstr(strstr(strstr(text, with_cs[5]) + 1, with_cs[1]), with_cs[5]));
	} else {
		for (unsigned k = 0; k < G_N_ELEMENTS(without_cs); k++)
			g_assert_nonnull(strstr(text, without_cs[k]));
	}
	{
		unsigned lines = 0;
		for (const char *p = text; *p; p++)
			lines += *p == '\n';
		g_assert_cmpuint(lines, ==, 11);
	}
	g_assert_true(soc_log_set_categories(h->log, "none", &err));
	arm_harness_free(h);
	fclose(f);
	free(text);
}

static void test_trace_with_capstone(void)
{
	trace_lines(true);
}

static void test_trace_without_capstone(void)
{
	if (g_test_subprocess()) {
		g_setenv("SOCEMU_CAPSTONE", "/nonexistent/libcapstone.so.4", TRUE);
		trace_lines(false);
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/arm/disas/missing-library", test_missing_library);
	g_test_add_func("/arm/disas/not-capstone", test_not_capstone);
	g_test_add_func("/arm/disas/unused-never-loads", test_unused);
	g_test_add_func("/arm/disas/trace", test_trace_with_capstone);
	g_test_add_func("/arm/disas/trace-without-capstone", test_trace_without_capstone);
	return g_test_run();
}
