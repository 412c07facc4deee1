/* tests/unit/test-arm-core.c — a Cortex-M core on its own (no machine): reset from the vector
 * table and lockup without one, the run budget, decoded-code invalidation when code is
 * rewritten (by the loader and by the guest itself), interrupt inputs waking WFI, SysTick
 * firing on the event queue at the exact cycle, and the tree properties the core reads (with
 * the errors bad values give). */
#include "tests/arm/arm-harness.h"
#include "core/error.h"
#include "core/irq.h"

#include <libfdt.h>

#define FLASH 0x00000000u
#define RAM 0x20000000u

static void put16(ArmHarness *h, uint32_t a, const uint16_t *code, size_t n)
{
	arm_harness_write(h, a, code, n * 2);
}

static void put32(ArmHarness *h, uint32_t a, uint32_t v)
{
	arm_harness_write(h, a, &v, 4);
}

/* A harness with flash and RAM, a vector table whose reset handler is at 0x100. */
static ArmHarness *board(const char *compat)
{
	ArmHarness *h = arm_harness_new(compat);
	arm_harness_map(h, FLASH, 0x10000);
	arm_harness_map(h, RAM, 0x10000);
	put32(h, 0, RAM + 0x8000);
	put32(h, 4, 0x101);
	for (unsigned k = 2; k < 48; k++)
		put32(h, 4 * k, 0x201);            /* every other vector: 0x200 */
	return h;
}

static void run_insns(ArmHarness *h, uint64_t n)
{
	h->cpu->stop_at = h->cpu->insns + n;
	h->cpu->cls->run(h->cpu);
}

static void test_reset_vector(void)
{
	ArmHarness *h = board("arm,cortex-m3");
	static const uint16_t code[] = { 0x2005, 0x3001, 0xE7FD };   /* movs r0,#5; adds r0,#1; b . - 2 */
	uint32_t v;
	put16(h, 0x100, code, 3);
	h->cpu->cls->reset(h->cpu);
	h->cpu->cls->set_entry(h->cpu, 0x100);
	g_assert_cmphex(h->cpu->cls->get_pc(h->cpu), ==, 0x100);
	g_assert_true(soc_arm_get_reg(h->cpu, 13, &v));
	g_assert_cmphex(v, ==, RAM + 0x8000);
	run_insns(h, 10);
	g_assert_cmpuint(h->cpu->insns, ==, 10);
	g_assert_true(soc_arm_get_reg(h->cpu, 0, &v));
	g_assert_cmpuint(v, ==, 5 + 5);          /* movs, then adds/b pairs: 9 insns after movs */
	g_assert_true(soc_arm_get_reg(h->cpu, 16, &v));
	g_assert_cmphex(v & 0x01000000, ==, 0x01000000);
	g_assert_cmpint(h->cpu->state, ==, SOC_CPU_RUNNING);
	arm_harness_free(h);
}

static void test_no_vector_table(void)
{
	ArmHarness *h = arm_harness_new("arm,cortex-m4");
	arm_harness_map(h, RAM, 0x1000);          /* nothing at 0 */
	h->cpu->cls->reset(h->cpu);
	run_insns(h, 100);
	g_assert_cmpint(h->cpu->state, ==, SOC_CPU_LOCKED_UP);
	g_assert_nonnull(h->cpu->stop_reason);
	g_assert_true(g_str_has_prefix(h->cpu->stop_reason, "lockup: no readable vector table at VTOR 0x00000000"));
	arm_harness_free(h);
}

static void test_invalidation(void)
{
	ArmHarness *h = board("arm,cortex-m3");
	static const uint16_t a[] = { 0x2001, 0xE7FE };             /* movs r0, #1; b . */
	static const uint16_t b[] = { 0x2002 };                     /* movs r0, #2 */
	/* In RAM: movs r0, #7; strh r1, [r2] (rewrites the next instruction); movs r0, #9 */
	static const uint16_t smc[] = { 0x2007, 0x8011, 0x2009, 0xE7FE };
	uint32_t v;
	put16(h, 0x100, a, 2);
	h->cpu->cls->reset(h->cpu);
	h->cpu->cls->set_entry(h->cpu, 0x100);
	run_insns(h, 3);
	soc_arm_get_reg(h->cpu, 0, &v);
	g_assert_cmpuint(v, ==, 1);
	/* The loader (or a debugger) rewrites decoded code. */
	put16(h, 0x100, b, 1);
	soc_arm_set_reg(h->cpu, 15, 0x100);
	run_insns(h, 1);
	soc_arm_get_reg(h->cpu, 0, &v);
	g_assert_cmpuint(v, ==, 2);
	/* The guest rewrites the instruction after the store (RAM, page holding decoded code). */
	put16(h, RAM + 0x100, smc, 4);
	soc_arm_set_reg(h->cpu, 15, RAM + 0x100);
	soc_arm_set_reg(h->cpu, 1, 0x2033);          /* movs r0, #0x33 */
	soc_arm_set_reg(h->cpu, 2, RAM + 0x104);
	run_insns(h, 4);                             /* decode all four once */
	soc_arm_set_reg(h->cpu, 15, RAM + 0x100);
	run_insns(h, 3);
	soc_arm_get_reg(h->cpu, 0, &v);
	g_assert_cmphex(v, ==, 0x33);
	arm_harness_free(h);
}

static void test_irq_wakes_wfi(void)
{
	ArmHarness *h = board("arm,cortex-m3");
	/* reset: enable IRQ 2 in the NVIC (via a store), wfi, then count in r4 */
	static const uint16_t code[] = {
		0x4802,         /* ldr r0, [pc, #8] -> 0xE000E100 */
		0x2104,         /* movs r1, #4 */
		0x6001,         /* str r1, [r0] */
		0xBF30,         /* wfi */
		0x3401,         /* adds r4, #1 */
		0xE7FE,         /* b . */
		0xE100, 0xE000, /* .word 0xE000E100 */
	};
	static const uint16_t handler[] = { 0x3501, 0x4770 };   /* adds r5, #1; bx lr */
	SocIrq *line, *out;
	GError *err = NULL;
	uint32_t cells[2] = { 2, 0 }, r4, r5;
	put16(h, 0x100, code, G_N_ELEMENTS(code));
	put16(h, 0x200, handler, 2);
	line = h->cpu->cls->irq_xlate(h->cpu, "arm,v7m-nvic", cells, 2, &err);
	g_assert_no_error(err);
	g_assert_nonnull(line);
	g_assert_cmpstr(soc_irq_name(line), ==, "/cpus/cpu@0:irq2");
	g_assert_true(h->cpu->cls->irq_input(h->cpu, "irq2") == line);
	g_assert_null(h->cpu->cls->irq_input(h->cpu, "irq9999"));
	g_assert_null(h->cpu->cls->irq_input(h->cpu, "bogus"));
	cells[0] = 496;
	g_assert_null(h->cpu->cls->irq_xlate(h->cpu, "arm,v7m-nvic", cells, 2, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_PROPERTY);
	g_clear_error(&err);
	out = soc_irq_new_output("test:out");
	soc_irq_connect(out, line);
	h->cpu->cls->reset(h->cpu);
	h->cpu->cls->set_entry(h->cpu, 0x100);
	run_insns(h, 100);
	g_assert_cmpint(h->cpu->state, ==, SOC_CPU_SLEEPING);
	g_assert_cmpuint(h->cpu->insns, ==, 4);
	soc_irq_raise(out);                          /* the line goes high: pending, wakes WFI */
	g_assert_cmpint(h->cpu->state, ==, SOC_CPU_RUNNING);
	soc_irq_lower(out);
	run_insns(h, 4);
	soc_arm_get_reg(h->cpu, 4, &r4);
	soc_arm_get_reg(h->cpu, 5, &r5);
	g_assert_cmpuint(r5, ==, 1);                 /* the handler ran once */
	g_assert_cmpuint(r4, ==, 1);                 /* then thread code after WFI */
	soc_irq_free(out);
	arm_harness_free(h);
}

static void test_systick_exact(void)
{
	ArmHarness *h = board("arm,cortex-m0");
	/* SysTick: RVR = 99 (period 100 cycles), CVR = 0, CSR = 7; then spin */
	static const uint16_t code[] = {
		0x4803,         /* ldr r0, [pc, #12] -> 0xE000E010 */
		0x2163,         /* movs r1, #99 */
		0x6041,         /* str r1, [r0, #4] */
		0x2100,         /* movs r1, #0 */
		0x6081,         /* str r1, [r0, #8] */
		0x2107,         /* movs r1, #7 */
		0x6001,         /* str r1, [r0] */
		0xE7FE,         /* b . */
		0xE010, 0xE000,
	};
	SocTime when;
	put16(h, 0x100, code, G_N_ELEMENTS(code));
	h->cpu->cls->reset(h->cpu);
	h->cpu->cls->set_entry(h->cpu, 0x100);
	run_insns(h, 7);                             /* up to and including the CSR store */
	/* The CSR store ran as instruction 7 (6 before it): the first wrap is 100 cycles later. */
	when = soc_events_next(h->events);
	g_assert_cmpuint(when, ==, soc_cycles_to_time(6 + 100, 100000000));
	soc_events_run_until(h->events, when);
	g_assert_true(arm_bit(h->c->pend, ARM_EXC_SYSTICK));
	g_assert_cmpuint(soc_events_next(h->events), ==, soc_cycles_to_time(6 + 200, 100000000));
	arm_harness_free(h);
}

/* A two-node tree for the parts of the core, with one property of the test's choosing. */
static bool attach_with(const char *compat, const char *prop, uint32_t value, GError **err)
{
	ArmHarness *h = arm_harness_new(strstr(compat, "v6m") ? "arm,cortex-m0" : "arm,cortex-m3");
	char fdt[1024];
	int node;
	bool ok;
	g_assert_cmpint(fdt_create_empty_tree(fdt, sizeof(fdt)), ==, 0);
	node = fdt_add_subnode(fdt, 0, "part");
	g_assert_cmpint(fdt_setprop_string(fdt, node, "compatible", compat), ==, 0);
	if (prop)
		g_assert_cmpint(fdt_setprop_u32(fdt, node, prop, value), ==, 0);
	ok = h->cpu->cls->attach_node(h->cpu, fdt, node, compat, err);
	arm_harness_free(h);
	return ok;
}

static void test_tree_properties(void)
{
	GError *err = NULL;
	g_assert_true(attach_with("arm,v7m-nvic", "arm,num-irq-priority-bits", 4, &err));
	g_assert_no_error(err);
	g_assert_false(attach_with("arm,v7m-nvic", "arm,num-irq-priority-bits", 9, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_PROPERTY);
	g_assert_true(strstr(err->message, "/part: arm,num-irq-priority-bits = 9") != NULL);
	g_clear_error(&err);
	g_assert_false(attach_with("arm,v6m-nvic", "arm,num-irq-priority-bits", 3, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_PROPERTY);
	g_clear_error(&err);
	g_assert_true(attach_with("arm,v7m-nvic", "socemu,num-irqs", 64, &err));
	g_assert_false(attach_with("arm,v7m-nvic", "socemu,num-irqs", 1000, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_PROPERTY);
	g_clear_error(&err);
	g_assert_true(attach_with("arm,armv7m-mpu", "arm,num-mpu-regions", 16, &err));
	g_assert_false(attach_with("arm,armv7m-mpu", "arm,num-mpu-regions", 17, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_PROPERTY);
	g_clear_error(&err);
	g_assert_false(attach_with("arm,armv7m-systick", "clock-frequency", 0, &err));
	g_assert_error(err, SOC_ERROR, SOC_ERROR_PROPERTY);
	g_clear_error(&err);

	/* socemu,reset-vector must be a vector table address */
	{
		char fdt[1024];
		int cpus, node;
		const SocCpuClass *cls;
		SocCpuConfig cfg = { 0 };
		SocLog *log = soc_log_new();
		SocEventQueue *ev = soc_events_new();
		SocAddressSpace *as = soc_as_new("t", log);
		g_assert_cmpint(fdt_create_empty_tree(fdt, sizeof(fdt)), ==, 0);
		cpus = fdt_add_subnode(fdt, 0, "cpus");
		node = fdt_add_subnode(fdt, cpus, "cpu@0");
		fdt_setprop_string(fdt, node, "compatible", "arm,cortex-m33");
		fdt_setprop_u32(fdt, node, "socemu,reset-vector", 0x1040);
		cls = soc_cpu_class_for_node(fdt, node);
		g_assert_nonnull(cls);
		g_assert_cmpstr(cls->name, ==, "cortex-m33");
		cfg = (SocCpuConfig){ .fdt = fdt, .node = node, .path = "/cpus/cpu@0", .cluster = "cpus",
		                      .clock_hz = 1000000, .as = as, .events = ev, .log = log };
		g_assert_null(cls->create(&cfg, &err));
		g_assert_error(err, SOC_ERROR, SOC_ERROR_PROPERTY);
		g_assert_true(g_str_has_prefix(err->message, "/cpus/cpu@0: socemu,reset-vector 0x1040"));
		g_clear_error(&err);
		soc_as_free(as);
		soc_events_free(ev);
		soc_log_free(log);
	}
}

static void test_registers(void)
{
	ArmHarness *h = arm_harness_new("arm,cortex-m0");
	uint32_t v;
	h->cpu->cls->reset(h->cpu);
	g_assert_true(soc_arm_set_reg(h->cpu, 13, 0x20001003));
	g_assert_true(soc_arm_get_reg(h->cpu, 13, &v));
	g_assert_cmphex(v, ==, 0x20001000);          /* SP bits [1:0] are always zero */
	g_assert_false(soc_arm_get_reg(h->cpu, 20, &v));   /* no BASEPRI on Armv6-M */
	g_assert_false(soc_arm_get_reg(h->cpu, 32, &v));   /* no FP */
	g_assert_false(soc_arm_set_reg(h->cpu, 99, 0));
	arm_harness_free(h);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/arm/core/reset-vector", test_reset_vector);
	g_test_add_func("/arm/core/no-vector-table", test_no_vector_table);
	g_test_add_func("/arm/core/code-invalidation", test_invalidation);
	g_test_add_func("/arm/core/irq-wakes-wfi", test_irq_wakes_wfi);
	g_test_add_func("/arm/core/systick-exact", test_systick_exact);
	g_test_add_func("/arm/core/tree-properties", test_tree_properties);
	g_test_add_func("/arm/core/registers", test_registers);
	return g_test_run();
}
