/* cpus/arm/disas.c without capstone: the library is loaded on first use, and when it cannot
 * be (missing, or not capstone), disassembly falls back to socemu's own instruction names
 * with a single warning, for every cpu, and never fails. SOCEMU_CAPSTONE picks the file. */
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

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/arm/disas/missing-library", test_missing_library);
	g_test_add_func("/arm/disas/not-capstone", test_not_capstone);
	g_test_add_func("/arm/disas/unused-never-loads", test_unused);
	return g_test_run();
}
