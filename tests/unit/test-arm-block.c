/* tests/unit/test-arm-block.c — the block executor of the Cortex-M cores (cpus/arm/block.c)
 * against itself one instruction at a time.
 *
 * One program runs for a fixed number of instructions under a small scheduler of the test's
 * own (SysTick fires on the event queue, its deadline stops the core exactly like the
 * machine's scheduler does), once with a budget of one instruction per run() call (every
 * block cut to one instruction) and then with budgets of 2, 3, 7, 64, 1000 and all at once,
 * which run whole chained blocks and cut them at odd places. Every run() must stop exactly at
 * its budget, and the final registers, instruction count, exceptions taken and memory must be
 * the same. The program covers what a block must get right:
 *   - SysTick interrupts every 37 cycles, landing at every position inside blocks; the
 *     handler hashes the stacked return addresses and the loop reads the SysTick counter
 *     (a device read that must see the exact instruction count);
 *   - code in RAM that rewrites the instruction right after its own store, inside the same
 *     block, with a different instruction every call;
 *   - IT blocks inside a block, at a page boundary (ITT at 0x1FFC) and right after a 32-bit
 *     load that straddles the page end (0xFFE);
 *   - loads, stores, PUSH/POP, compare-and-branch pairs, BL/BLX/BX returns, chaining.
 * Then smaller cases: a store rewriting the next instruction of its own block, unaligned
 * accesses through an empty TLB entry, a literal rewritten after its load was decoded.
 *
 * Each comparison runs with the block compiler (cpus/arm/jit.c) off, on from the first entry
 * of every block, and on with a code space so small that it keeps filling up (every block
 * compiled again and again after the flushes); the reference is always one at a time.
 *
 * The program (GNU as, Thumb-2; the words below are its assembled halfwords):
 *
 *   0x100 reset:  ldr r0, =0xE000E010; movs r1, #36; str r1, [r0, #4]; movs r1, #0
 *                 str r1, [r0, #8]; movs r1, #7; str r1, [r0]       @ SysTick every 37 cycles
 *                 mov.w r6, #0x20002000; adr r5, ramfn; movs r4, #8
 *              1: ldr r3, [r5], #4; str r3, [r6], #4; subs r4, #1; bne 1b   @ copy ramfn to RAM
 *                 movs r0, #0; movs r1, #0; ldr r2, =0x20000400; ldr r8, =0xE000E018
 *                 ldr r9, =0x20000800; b.w loop
 *   0x144 ramfn:  ldr r6, =0x20002004; str r5, [r6]                 @ rewrites `patch`
 *         patch:  movs r0, #1; adds r0, #0; add r10, r0
 *                 ldr.w r4, [r9, #8]; adds r4, #1; str.w r4, [r9, #8]; bx lr   @ count calls
 *   0xFD8 loop:   adds r0, r0, r1; eors.w r0, r0, r1, lsl #3; str.w r0, [r2, r1, lsl #2]
 *                 ldrb r3, [r2, #1]; push {r0-r3, lr}; ldr.w r4, [r8]; add r11, r4
 *                 pop {r0-r4}; cmp r0, #100; it hi; addhi r0, #7; nop x5
 *   0xFFE         ldr.w r3, [r2, #4]; ite eq; moveq r3, #1; movne r3, #2; add r12, r3
 *                 ldrh r3, [r2, #2]; strh r3, [r2, #6]; strb r3, [r2, #9]
 *                 ldrsb.w r3, [r2, #9]; ldrsh.w r3, [r2, #6]; lsls r3, r3, #3
 *                 asrs r3, r3, #1; mul.w r3, r3, r1; adds r1, #1; cmp r1, #50; blt loop
 *                 movs r1, #0; lsls r5, r0, #30; ldr r5, =0x30002001; it mi
 *                 ldrmi r5, =0x30002002; ldr r3, =0x20002001; blx r3; bl func; b loop
 *   0x1200 systick: ldr r0, =0x20000800; ldr r1, [r0]; adds r1, #1; str r1, [r0]
 *                 ldr r2, [sp, #24]; ldr r3, [r0, #4]; lsls r1, r3, #5; subs r1, r1, r3
 *                 adds r1, r1, r2; str r1, [r0, #4]; bx lr          @ hash = hash * 31 + pc
 *   0x1FF8 func:  cmp r0, #3; nop; itt ne; addne r7, #1; movne r0, r0; bx lr */
#include "tests/arm/arm-harness.h"
#include "cpus/arm/exec-inl.h"

#define RAM 0x20000000u
#define TOTAL 60000u

#if defined(__x86_64__) && defined(__linux__)
#define HAVE_JIT 1
#else
#define HAVE_JIT 0
#endif

/* How the block compiler runs (whatever SOCEMU_JIT says). */
typedef enum { JIT_OFF, JIT_ON, JIT_TINY } JitMode;

static void set_jit(ArmHarness *h, JitMode mode)
{
	h->c->jit_threshold = mode == JIT_OFF ? UINT32_MAX : 1;
	if (mode == JIT_TINY)
		arm_jit_set_capacity(h->c, 1500);
}

/* Blocks compiled: none when off, some when on (on hosts with the compiler; a tiny code
 * space may hold none of a test's blocks). */
static void check_compiled(const ArmHarness *h, JitMode mode)
{
	if (mode == JIT_OFF || !HAVE_JIT)
		g_assert_cmpuint(h->c->jit_blocks, ==, 0);
	else if (mode == JIT_ON)
		g_assert_cmpuint(h->c->jit_blocks, >, 0);
}

static const uint16_t code_reset[] = {   /* at 0x100, ramfn at 0x144 */
	0x480C, 0x2124, 0x6041, 0x2100, 0x6081, 0x2107, 0x6001, 0xF04F, 0x2620, 0xA50C,
	0x2408, 0xF855, 0x3B04, 0xF846, 0x3B04, 0x3C01, 0xD1F9, 0x2000, 0x2100, 0x4A04,
	0xF8DF, 0x8010, 0xF8DF, 0x9010, 0xF000, 0xBF52, 0xE010, 0xE000, 0x0400, 0x2000,
	0xE018, 0xE000, 0x0800, 0x2000, 0x4E05, 0x6035, 0x2001, 0x3000, 0x4482, 0xF8D9,
	0x4008, 0x3401, 0xF8C9, 0x4008, 0x4770, 0x0000, 0x2004, 0x2000,
};
static const uint16_t code_loop[] = {    /* at 0xFD8 */
	0x1840, 0xEA90, 0x00C1, 0xF842, 0x0021, 0x7853, 0xB50F, 0xF8D8, 0x4000, 0x44A3,
	0xBC1F, 0x2864, 0xBF88, 0x3007, 0xBF00, 0xBF00, 0xBF00, 0xBF00, 0xBF00, 0xF8D2,
	0x3004, 0xBF0C, 0x2301, 0x2302, 0x449C, 0x8853, 0x80D3, 0x7253, 0xF992, 0x3009,
	0xF9B2, 0x3006, 0x00DB, 0x105B, 0xFB03, 0xF301, 0x3101, 0x2932, 0xDBD8, 0x2100,
	0x0785, 0x4D04, 0xBF48, 0x4D04, 0x4B04, 0x4798, 0xF000, 0xFFE0, 0xE7CE, 0x0000,
	0x2001, 0x3000, 0x2002, 0x3000, 0x2001, 0x2000,
};
static const uint16_t code_systick[] = { /* at 0x1200 */
	0x4805, 0x6801, 0x3101, 0x6001, 0x9A06, 0x6843, 0x0159, 0x1AC9, 0x1889, 0x6041,
	0x4770, 0x0000, 0x0800, 0x2000,
};
static const uint16_t code_func[] = {    /* at 0x1FF8 */
	0x2803, 0xBF00, 0xBF1C, 0x3701, 0x4600, 0x4770,
};

/* Flags that later instructions of the same block overwrite (the block executor drops them)
 * and LDRD/STRD (inline unless they cross a page). SysTick every 23 cycles and PendSV, set by
 * a store in the loop, share a handler that hashes the stacked xPSR; every stop of every run
 * is checked against one-at-a-time runs.
 *
 *   0x100 reset: ldr r0, =0xE000E010; movs r1, #22; str r1, [r0, #4]; movs r1, #0
 *                str r1, [r0, #8]; movs r1, #7; str r1, [r0]; movs r0, #0
 *                ldr r1, =0x7FFFFFF3; movs r2, #0; movs r4, #0; movs r5, #0; movs r6, #3
 *                ldr r7, =0x9E3779B9; movs.w r8, #0; ldr.w r11, =0x20000FF8; movs.w r12, #0
 *                ldr.w lr, =0xE000ED04
 *   0x12C loop:  adds r0, r0, r1; eor.w r2, r2, r0; lsls r3, r0, #3; add r4, r3
 *                subs r5, #1; and.w r5, r5, #7; cmp r5, r6           @ all dead but cmp's
 *                adds r1, r1, r7; adc.w r8, r8, #0                    @ C read
 *                strd r0, r2, [r11, #-8]; ldrd r3, r9, [r11, #-8]; add r4, r9
 *                adds.w r10, r10, #1                 @ live: the next STRD calls its handler
 *                strd r4, r8, [r11, #4]; ldrd r3, r9, [r11, #4]        @ across the page end
 *                add r4, r3; adds.w r10, r10, r7     @ live: the store leaves the block
 *                mov.w r3, #0x10000000; str.w r3, [lr]                @ ICSR.PENDSVSET
 *                adds.w r12, r12, #3; tst.w r12, #1                    @ V and C stay live
 *                movs r3, r0; adds.w r3, r3, r9; cmp r3, r4; bne loop; b loop
 *   0x300 systick: ldr r0, =0x20000800; ldr r1, [r0]; ldr r2, [sp, #28]
 *                eor.w r1, r2, r1, ror #7; str r1, [r0]; bx lr */
static const uint16_t flags_main[] = {   /* at 0x100 */
	0x481E, 0x2116, 0x6041, 0x2100, 0x6081, 0x2107, 0x6001, 0x2000, 0x491B, 0x2200,
	0x2400, 0x2500, 0x2603, 0x4F1A, 0xF05F, 0x0800, 0xF8DF, 0xB064, 0xF05F, 0x0C00,
	0xF8DF, 0xE060, 0x1840, 0xEA82, 0x0200, 0x00C3, 0x441C, 0x3D01, 0xF005, 0x0507,
	0x42B5, 0x19C9, 0xF148, 0x0800, 0xE94B, 0x0202, 0xE95B, 0x3902, 0x444C, 0xF11A,
	0x0A01, 0xE9CB, 0x4801, 0xE9DB, 0x3901, 0x441C, 0xEB1A, 0x0A07, 0xF04F, 0x5380,
	0xF8CE, 0x3000, 0xF11C, 0x0C03, 0xF01C, 0x0F01, 0x0003, 0xEB13, 0x0309, 0x42A3,
	0xD1D8, 0xE7D7, 0xE010, 0xE000, 0xFFF3, 0x7FFF, 0x79B9, 0x9E37, 0x0FF8, 0x2000,
	0xED04, 0xE000,
};
static const uint16_t flags_systick[] = {   /* at 0x300 */
	0x4803, 0x6801, 0x9A07, 0xEA82, 0x11F1, 0x6001, 0x4770, 0x0000, 0x0800, 0x2000,
};

typedef struct {
	uint32_t addr;
	const uint16_t *code;
	size_t n;
} Blob;

typedef struct {
	const Blob *blobs;
	unsigned n_blobs;
	uint32_t systick;             /* the handler's address */
	bool pendsv;                  /* PendSV has it too */
	const uint32_t *regs;         /* r0-r12 after reset, or NULL */
	uint64_t total;               /* instructions to run; 0: TOTAL */
} Program;

static const Blob main_blobs[] = {
	{ 0x100, code_reset, G_N_ELEMENTS(code_reset) },
	{ 0xFD8, code_loop, G_N_ELEMENTS(code_loop) },
	{ 0x1200, code_systick, G_N_ELEMENTS(code_systick) },
	{ 0x1FF8, code_func, G_N_ELEMENTS(code_func) },
};
static const Program main_program = { main_blobs, G_N_ELEMENTS(main_blobs), 0x1200, false, NULL, 0 };
static const Blob flags_blobs[] = {
	{ 0x100, flags_main, G_N_ELEMENTS(flags_main) },
	{ 0x300, flags_systick, G_N_ELEMENTS(flags_systick) },
};
static const Program flags_program = { flags_blobs, G_N_ELEMENTS(flags_blobs), 0x300, true, NULL, 0 };

typedef struct {
	uint32_t regs[17];        /* r0-r15, xPSR */
	uint64_t insns, exc_taken;
	uint8_t data[0x1000];     /* RAM 0x20000000-0x20000FFF: the loop's data and the counters */
	uint8_t code[32];         /* the RAM routine as rewritten */
	uint64_t jit_blocks;      /* blocks compiled */
} Outcome;

/* The machine scheduler's rule: a timer armed while the core runs stops it in time. */
static void deadline(void *opaque, SocTime earliest)
{
	SocCpu *cpu = opaque;
	uint64_t cycles = soc_time_to_cycles_up(earliest, cpu->clock_hz);
	if (cycles <= cpu->insns)
		cpu->stop_at = cpu->insns;
	else if (cycles < cpu->stop_at)
		cpu->stop_at = cycles;
}

static void load(ArmHarness *h, uint32_t addr, const uint16_t *code, size_t n)
{
	arm_harness_write(h, addr, code, n * 2);
}

/* Run a program for TOTAL (or its own total) instructions, at most `chunk` per run() call. With xpsr, the xPSR
 * at every stop is recorded there by instruction count (chunk 1) or checked against it. */
static void run_program(const char *compat, const Program *prog, uint64_t chunk, uint32_t *xpsr,
                        JitMode jit, Outcome *o)
{
	ArmHarness *h = arm_harness_new(compat);
	SocCpu *cpu = h->cpu;
	uint64_t total = prog->total ? prog->total : TOTAL;
	uint32_t v;

	set_jit(h, jit);
	arm_harness_map(h, 0, 0x10000);
	arm_harness_map(h, RAM, 0x10000);
	v = RAM + 0x8000;
	arm_harness_write(h, 0, &v, 4);
	v = 0x101;
	arm_harness_write(h, 4, &v, 4);
	for (unsigned k = 2; k < 16; k++) {
		/* SysTick (and PendSV), else an address holding zeros */
		v = k == 15 || (k == 14 && prog->pendsv) ? prog->systick | 1 : 0x181;
		arm_harness_write(h, 4 * k, &v, 4);
	}
	for (unsigned k = 0; k < prog->n_blobs; k++)
		load(h, prog->blobs[k].addr, prog->blobs[k].code, prog->blobs[k].n);
	soc_events_set_deadline_hook(h->events, deadline, cpu);
	cpu->cls->reset(cpu);
	for (unsigned r = 0; prog->regs && r < 13; r++)
		soc_arm_set_reg(cpu, r, prog->regs[r]);

	for (;;) {
		SocTime next;
		uint64_t stop;

		soc_events_run_until(h->events, soc_cpu_local_time(cpu));
		if (cpu->insns >= total)
			break;
		stop = MIN(total, cpu->insns + chunk);
		next = soc_events_next(h->events);
		if (next != SOC_TIME_NEVER)
			stop = MIN(stop, soc_time_to_cycles_up(next, cpu->clock_hz));
		g_assert_cmpuint(stop, >, cpu->insns);
		cpu->stop_at = stop;
		soc_events_set_now(h->events, soc_cpu_local_time(cpu));
		cpu->cls->run(cpu);
		g_assert_cmpint(cpu->state, ==, SOC_CPU_RUNNING);
		/* Exactly the budget, possibly lowered by the deadline while running. */
		g_assert_cmpuint(cpu->insns, ==, cpu->stop_at);
		if (xpsr) {
			g_assert_true(soc_arm_get_reg(cpu, 16, &v));
			if (chunk == 1)
				xpsr[cpu->insns] = v;
			else if (xpsr[cpu->insns] != v)
				g_error("chunk %" G_GUINT64_FORMAT ": xPSR 0x%08x after %" G_GUINT64_FORMAT
				        " instructions, one at a time 0x%08x", chunk, v, cpu->insns,
				        xpsr[cpu->insns]);
		}
	}

	for (unsigned r = 0; r < 17; r++)
		g_assert_true(soc_arm_get_reg(cpu, r, &o->regs[r]));
	o->insns = cpu->insns;
	o->exc_taken = h->c->exc_taken;
	o->jit_blocks = h->c->jit_blocks;
	if (chunk >= 64)
		check_compiled(h, jit);
	g_assert_true(soc_as_read_bytes(h->as, RAM, o->data, sizeof(o->data), NULL));
	g_assert_true(soc_as_read_bytes(h->as, RAM + 0x2000, o->code, sizeof(o->code), NULL));
	soc_events_set_deadline_hook(h->events, NULL, NULL);
	arm_harness_free(h);
}

static uint32_t word_at(const Outcome *o, uint32_t off)
{
	uint32_t v;
	memcpy(&v, o->data + off, 4);
	return v;
}

typedef struct {
	const char *compat;
	JitMode jit;
} Case;

static void check_against_steps(gconstpointer data)
{
	const Case *cs = data;
	const char *compat = cs->compat;
	static const uint64_t chunks[] = { 2, 3, 7, 64, 1000, TOTAL };
	Outcome *ref = g_new0(Outcome, 1), *o = g_new0(Outcome, 1);
	uint64_t compiled = 0;
	uint32_t ticks, calls;

	run_program(compat, &main_program, 1, NULL, JIT_OFF, ref);
	/* The program did what it is meant to cover. */
	ticks = word_at(ref, 0x800);
	calls = word_at(ref, 0x808);
	g_assert_cmpuint(ticks, >, 500);                     /* SysTick interrupts */
	g_assert_cmpuint(ref->exc_taken, ==, ticks);
	g_assert_cmpuint(calls, >, 20);                      /* RAM routine calls ... */
	g_assert_cmpuint(ref->regs[10], >, calls);            /* ... running both patched */
	g_assert_cmpuint(ref->regs[10], <, 2 * calls);        /* versions of itself */
	g_assert_cmpuint(ref->regs[7], >, 0);                 /* the IT across the page ran */
	g_assert_cmpuint(ref->insns, ==, TOTAL);

	for (unsigned k = 0; k < G_N_ELEMENTS(chunks); k++) {
		memset(o, 0, sizeof(*o));
		run_program(compat, &main_program, chunks[k], NULL, cs->jit, o);
		compiled = MAX(compiled, o->jit_blocks);
		for (unsigned r = 0; r < 17; r++) {
			if (o->regs[r] != ref->regs[r])
				g_test_message("chunk %" G_GUINT64_FORMAT ": register %u is 0x%08x, one at a "
				               "time 0x%08x", chunks[k], r, o->regs[r], ref->regs[r]);
			g_assert_cmphex(o->regs[r], ==, ref->regs[r]);
		}
		g_assert_cmpuint(o->insns, ==, ref->insns);
		g_assert_cmpuint(o->exc_taken, ==, ref->exc_taken);
		g_assert_cmphex(word_at(o, 0x804), ==, word_at(ref, 0x804));   /* stacked pcs */
		g_assert_cmpmem(o->data, sizeof(o->data), ref->data, sizeof(ref->data));
		g_assert_cmpmem(o->code, sizeof(o->code), ref->code, sizeof(ref->code));
	}
	/* A code space that keeps filling up: blocks compiled many times over. */
	if (cs->jit == JIT_TINY && HAVE_JIT)
		g_assert_cmpuint(compiled, >, 200);
	g_free(ref);
	g_free(o);
}

/* A Cortex-M3 with flash at 0 (vectors: SP at RAM + 0x8000, reset at RAM + 0x100), RAM, and
 * `code` at RAM + 0x100; compiler mode set, reset. */
static ArmHarness *ram_code(const uint16_t *code, size_t n, JitMode jit)
{
	ArmHarness *h = arm_harness_new("arm,cortex-m3");
	const uint32_t vectors[2] = { RAM + 0x8000, RAM + 0x101 };

	arm_harness_map(h, 0, 0x1000);
	arm_harness_map(h, RAM, 0x10000);
	arm_harness_write(h, 0, vectors, sizeof(vectors));
	load(h, RAM + 0x100, code, n);
	set_jit(h, jit);
	h->cpu->cls->reset(h->cpu);
	return h;
}

/* A store that rewrites the very next instruction of its own block, run in one call. */
static void test_smc_same_block(gconstpointer data)
{
	JitMode jit = GPOINTER_TO_INT(data);
	/* movs r0, #0; str r1, [r2]; movs r0, #5 (rewritten to movs r0, #9); adds r0, #1; b . */
	static const uint16_t code[] = { 0x2000, 0x6011, 0x2005, 0x3001, 0xE7FE };
	ArmHarness *h = ram_code(code, G_N_ELEMENTS(code), jit);
	uint32_t v;

	/* First pass: the block is built (and cached) and run; the store lands beside it. */
	soc_arm_set_reg(h->cpu, 2, RAM + 0x800);
	h->cpu->stop_at = 100;
	h->cpu->cls->run(h->cpu);
	g_assert_cmpuint(h->cpu->insns, ==, 100);
	g_assert_true(soc_arm_get_reg(h->cpu, 0, &v));
	g_assert_cmpuint(v, ==, 6);
	/* Again from the top: now the store rewrites the next two instructions. */
	soc_arm_set_reg(h->cpu, 1, 0x3000u << 16 | 0x2009);   /* movs r0, #9; adds r0, #0 */
	soc_arm_set_reg(h->cpu, 2, RAM + 0x104);
	soc_arm_set_reg(h->cpu, 15, RAM + 0x100);
	h->cpu->stop_at = h->cpu->insns + 100;
	h->cpu->cls->run(h->cpu);
	g_assert_cmpuint(h->cpu->insns, ==, 200);
	g_assert_true(soc_arm_get_reg(h->cpu, 0, &v));
	g_assert_cmpuint(v, ==, 9);
	g_assert_true(soc_arm_get_reg(h->cpu, 15, &v));
	g_assert_cmphex(v, ==, RAM + 0x108);
	check_compiled(h, jit);
	arm_harness_free(h);
}

/* A literal load decoded with its word: a later write of the word (here by a debugger-like
 * write, in another 64-byte granule than the code) must reach the block. */
static void test_literal_rewritten(gconstpointer data)
{
	JitMode jit = GPOINTER_TO_INT(data);
	static const uint16_t code[] = { 0x4B1F, 0xE7FE };   /* ldr r3, [pc, #124]; b . */
	ArmHarness *h = ram_code(code, G_N_ELEMENTS(code), jit);
	uint32_t v = 0x11111111;

	arm_harness_write(h, RAM + 0x180, &v, 4);
	h->cpu->stop_at = 100;
	h->cpu->cls->run(h->cpu);
	g_assert_true(soc_arm_get_reg(h->cpu, 3, &v));
	g_assert_cmphex(v, ==, 0x11111111);
	v = 0x22222222;
	arm_harness_write(h, RAM + 0x180, &v, 4);
	soc_arm_set_reg(h->cpu, 15, RAM + 0x100);
	h->cpu->stop_at = h->cpu->insns + 100;
	h->cpu->cls->run(h->cpu);
	g_assert_true(soc_arm_get_reg(h->cpu, 3, &v));
	g_assert_cmphex(v, ==, 0x22222222);
	g_assert_cmpuint(h->cpu->insns, ==, 200);
	check_compiled(h, jit);
	arm_harness_free(h);
}

/* Flags dropped by the block executor and LDRD/STRD: at every stop of runs cut at odd places,
 * and in the xPSR stacked by interrupts, everything must be as one at a time. */
static void test_dead_flags(gconstpointer data)
{
	JitMode jit = GPOINTER_TO_INT(data);
	static const uint64_t chunks[] = { 2, 3, 5, 7, 11, 64, 1000, TOTAL };
	uint32_t *xpsr = g_new0(uint32_t, TOTAL + 1);
	Outcome *ref = g_new0(Outcome, 1), *o = g_new0(Outcome, 1);

	run_program("arm,cortex-m3", &flags_program, 1, xpsr, JIT_OFF, ref);
	/* The program did what it is meant to cover. */
	g_assert_cmpuint(ref->exc_taken, >, 4000);
	g_assert_cmphex(word_at(ref, 0x800), !=, 0);            /* the xPSR hash */
	g_assert_cmpuint(ref->regs[8], >, 100);                  /* carries from adds r1 */
	g_assert_cmphex(word_at(ref, 0xFF0), !=, 0);            /* STRD within the page */
	g_assert_cmphex(word_at(ref, 0xFFC), !=, 0);            /* STRD across its end */
	for (unsigned k = 0; k < G_N_ELEMENTS(chunks); k++) {
		memset(o, 0, sizeof(*o));
		run_program("arm,cortex-m3", &flags_program, chunks[k], xpsr, jit, o);
		for (unsigned r = 0; r < 17; r++)
			g_assert_cmphex(o->regs[r], ==, ref->regs[r]);
		g_assert_cmpuint(o->insns, ==, ref->insns);
		g_assert_cmpuint(o->exc_taken, ==, ref->exc_taken);
		g_assert_cmpmem(o->data, sizeof(o->data), ref->data, sizeof(ref->data));
	}
	g_free(xpsr);
	g_free(ref);
	g_free(o);
}

/* Random code looping on itself: instructions the decoder turns into simple ones (every
 * data-processing form, shifts, multiplies, extensions, bit fields, saturation) with loads,
 * stores, PUSH and POP through r7 (kept pointing into RAM) between them, and now and then a
 * condition (IT, Bcc, CBZ/CBNZ) on the flags they leave. The
 * xPSR at every stop and the final registers and RAM must be as one at a time, with the
 * compiler off and on; this is what exercises each of the compiler's emitters. */
static const ArmExecFn simple_fns[] = {
#define SIMPLE_FN(name) arm_x_##name,
	ARM_SIMPLE_OPS(SIMPLE_FN)
#undef SIMPLE_FN
};

static bool is_simple_fn(ArmExecFn fn)
{
	for (unsigned k = 0; k < G_N_ELEMENTS(simple_fns); k++)
		if (simple_fns[k] == fn)
			return true;
	return false;
}

/* One random instruction (halfwords into code[*n]). */
static void random_insn(GRand *rnd, const char *compat, uint16_t *code, unsigned *n)
{
	ArmDecodeCtx x = { .pc = 0x1000, .feat = ARM_FT_V6M | ARM_FT_V7M | ARM_FT_DSP };
	unsigned pick = (unsigned)g_rand_int_range(rnd, 0, 16);
	(void)compat;

	if (pick < 3) {
		/* ldr/str/ldrb/strb/ldrh/strh/ldrsb/ldrsh with base r7 */
		static const uint16_t imm_ops[] = { 0x6000, 0x6800, 0x7000, 0x7800, 0x8000, 0x8800 };
		unsigned rt = (unsigned)g_rand_int_range(rnd, 0, 7), k = (unsigned)g_rand_int_range(rnd, 0, 8);
		if (k < 6)
			code[(*n)++] = (uint16_t)(imm_ops[k] | (unsigned)g_rand_int_range(rnd, 0, 32) << 6 |
			                          7u << 3 | rt);
		else    /* ldrsb.w / ldrsh.w rt, [r7, #imm12] */
			code[(*n)++] = k == 6 ? 0xF997 : 0xF9B7,
			code[(*n)++] = (uint16_t)(rt << 12 | (unsigned)g_rand_int_range(rnd, 0, 256));
		return;
	}
	if (pick == 3) {
		/* push {list, lr?}; some simple ones; pop {list} */
		unsigned list = (unsigned)g_rand_int_range(rnd, 1, 128);
		code[(*n)++] = (uint16_t)(0xB400 | list);
		code[(*n)++] = 0x1840;               /* adds r0, r0, r1 */
		code[(*n)++] = (uint16_t)(0xBC00 | list);
		return;
	}
	if (pick == 4) {
		/* strd / ldrd r0, r1/r2, r3 [r7, #imm8*4] */
		unsigned imm = (unsigned)g_rand_int_range(rnd, 0, 64);
		code[(*n)++] = g_rand_boolean(rnd) ? 0xE9C7 : 0xE9D7;
		code[(*n)++] = (uint16_t)(g_rand_boolean(rnd) ? 0x0100 | imm : 0x2300 | imm);
		return;
	}
	for (;;) {
		uint32_t hw = g_rand_int(rnd) & 0xFFFF, w, fixed = 0;
		unsigned size = 16;
		ArmInsn d;
		/* Half of them 32-bit, a quarter from the groups that random words rarely hit:
		 * multiplies, bit fields, MOVT, extensions and the rest of 0xFAxx. */
		static const uint16_t rare[][3] = {   /* first halfword, its random bits, second's fixed */
			{ 0xFB00, 0x007F, 0 }, { 0xF340, 0x000F, 0 }, { 0xF3C0, 0x000F, 0 },
			{ 0xF360, 0x000F, 0 }, { 0xFA00, 0x00FF, 0xF000 }, { 0xF2C0, 0x040F, 0 },
			{ 0xFB80, 0x007F, 0 }, { 0xFA0F, 0x0070, 0xF080 },
		};
		if (pick & 1)
			hw = 0xE800 + (hw % 0x1800);
		if ((pick & 3) == 1) {
			unsigned r = (unsigned)g_rand_int_range(rnd, 0, G_N_ELEMENTS(rare));
			hw = rare[r][0] | (hw & rare[r][1]);
			fixed = rare[r][2];
		}
		w = hw;
		if (arm_is_32bit((uint16_t)hw)) {
			w = hw << 16 | (g_rand_int(rnd) & 0xFFFF) | fixed;
			size = 32;
		}
		if (arm_decode(&x, w, size, &d) != ARM_DEC_OK || !is_simple_fn(d.fn))
			continue;
		/* No pc or SP, and r7 stays the memory base (long multiplies write ra too). */
		if (d.rd == 15 || d.rd == 13 || d.rd == 7 || d.rm == 15 || d.rm == 13 ||
		    d.rn == 13 || d.ra == 13 || d.ra == 7 || d.ra == 15)
			continue;
		if (size == 32) {
			code[(*n)++] = (uint16_t)(w >> 16);
			code[(*n)++] = (uint16_t)w;
		} else {
			code[(*n)++] = (uint16_t)w;
		}
		return;
	}
}

static void test_random_blocks(gconstpointer data)
{
	JitMode jit = GPOINTER_TO_INT(data);
	static const uint64_t chunks[] = { 3, 7, 64, 5000 };
	uint32_t *xpsr = g_new0(uint32_t, 5000 + 1);
	Outcome *ref = g_new0(Outcome, 1), *o = g_new0(Outcome, 1);
	uint32_t regs[13];
	uint16_t code[240];

	for (uint32_t seed = 1; seed <= 60; seed++) {
		GRand *rnd = g_rand_new_with_seed(seed);
		unsigned n = 0;
		Blob blob = { 0x100, code, 0 };
		Program prog = { &blob, 1, 0x181, false, regs, 5000 };
		while (n < 120) {
			/* A few instructions, then a condition: an IT group of one 32-bit instruction,
			 * a conditional branch or CBZ/CBNZ over one instruction (all 14 conditions on
			 * flags set by whatever came before). */
			unsigned cond = (unsigned)g_rand_int_range(rnd, 0, 14), k = (unsigned)g_rand_int_range(rnd, 0, 4);
			for (unsigned m = (unsigned)g_rand_int_range(rnd, 2, 12); m > 0; m--)
				random_insn(rnd, "arm,cortex-m4", code, &n);
			if (k == 0) {
				code[n++] = (uint16_t)(0xBF08 | cond << 4);          /* it <cond> */
				code[n++] = 0xEB10;                                   /* adds.w r0, r0, r1, lsl #1 */
				code[n++] = 0x0041;
			} else {
				if (k == 1)
					code[n++] = (uint16_t)(0xD000 | cond << 8);   /* b<cond> over the next */
				else
					code[n++] = (uint16_t)((k == 2 ? 0xB100 : 0xB900) | (cond & 7)); /* cbz/cbnz */
				code[n++] = 0x3101;                                   /* adds r1, #1 */
			}
		}
		/* b back to the start */
		code[n] = (uint16_t)(0xE000 | (((0x100u - (0x100u + 2 * n + 4)) >> 1) & 0x7FF));
		n++;
		blob.n = n;
		for (unsigned r = 0; r < 13; r++)
			regs[r] = g_rand_int(rnd);
		regs[7] = RAM + 0x400;
		g_rand_free(rnd);

		run_program("arm,cortex-m4", &prog, 1, xpsr, JIT_OFF, ref);
		g_assert_cmpuint(ref->exc_taken, ==, 0);
		for (unsigned k = 0; k < G_N_ELEMENTS(chunks); k++) {
			memset(o, 0, sizeof(*o));
			run_program("arm,cortex-m4", &prog, chunks[k], xpsr, jit, o);
			for (unsigned r = 0; r < 17; r++) {
				if (o->regs[r] != ref->regs[r])
					g_test_message("seed %u chunk %" G_GUINT64_FORMAT ": r%u 0x%08x, one at "
					               "a time 0x%08x", seed, chunks[k], r, o->regs[r], ref->regs[r]);
				g_assert_cmphex(o->regs[r], ==, ref->regs[r]);
			}
			g_assert_cmpuint(o->insns, ==, ref->insns);
			g_assert_cmpmem(o->data, sizeof(o->data), ref->data, sizeof(ref->data));
		}
	}
	g_free(xpsr);
	g_free(ref);
	g_free(o);
}

/* Odd addresses in page 0 while the TLB entry they index is empty: an unaligned access must
 * not mistake the empty entry for a hit. */
static void test_unaligned_empty_tlb(gconstpointer data)
{
	JitMode jit = GPOINTER_TO_INT(data);
	/* ldrh r0, [r1]; ldr r2, [r1]; strh r3, [r1, #4]; b . */
	static const uint16_t code[] = { 0x8808, 0x680A, 0x808B, 0xE7FE };
	static const uint8_t bytes[] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
	ArmHarness *h = ram_code(code, G_N_ELEMENTS(code), jit);
	uint32_t v;

	arm_harness_write(h, 0x100, bytes, sizeof(bytes));
	soc_arm_set_reg(h->cpu, 1, 0x101);
	soc_arm_set_reg(h->cpu, 3, 0xBEEF);
	h->cpu->stop_at = 100;
	h->cpu->cls->run(h->cpu);
	g_assert_cmpuint(h->cpu->insns, ==, 100);
	g_assert_true(soc_arm_get_reg(h->cpu, 0, &v));
	g_assert_cmphex(v, ==, 0x3322);
	g_assert_true(soc_arm_get_reg(h->cpu, 2, &v));
	g_assert_cmphex(v, ==, 0x55443322);
	g_assert_cmphex(arm_harness_read32(h, 0x104), ==, 0x88BEEF55);
	check_compiled(h, jit);
	arm_harness_free(h);
}

int main(int argc, char **argv)
{
	static const char *const modes[] = { "", "compiled-", "compiled-full-code-space-" };
	static const Case cases[] = {
		{ "arm,cortex-m3", JIT_OFF }, { "arm,cortex-m33", JIT_OFF },
		{ "arm,cortex-m3", JIT_ON }, { "arm,cortex-m33", JIT_ON },
		{ "arm,cortex-m3", JIT_TINY }, { "arm,cortex-m33", JIT_TINY },
	};
	static const struct {
		const char *name;
		GTestDataFunc fn;
	} small[] = {
		{ "smc-same-block", test_smc_same_block },
		{ "unaligned-empty-tlb", test_unaligned_empty_tlb },
		{ "literal-rewritten", test_literal_rewritten },
		{ "dead-flags", test_dead_flags },
		{ "random-blocks", test_random_blocks },
	};

	g_test_init(&argc, &argv, NULL);
	for (unsigned k = 0; k < G_N_ELEMENTS(cases); k++) {
		g_autofree char *path = g_strdup_printf("/arm/block/%sagainst-steps/%s",
		                                        modes[cases[k].jit], cases[k].compat + 4);
		g_test_add_data_func(path, &cases[k], check_against_steps);
	}
	for (unsigned m = JIT_OFF; m <= JIT_TINY; m++)
		for (unsigned k = 0; k < G_N_ELEMENTS(small); k++) {
			g_autofree char *path = g_strdup_printf("/arm/block/%s%s", modes[m], small[k].name);
			g_test_add_data_func(path, GINT_TO_POINTER(m), small[k].fn);
		}
	return g_test_run();
}
