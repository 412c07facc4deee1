/* tests/firmware/riscv/atomic.c — the A extension on one hart: every AMO (.w, and .d on RV64)
 * returns the old value and stores op(old, rs2) — signed and unsigned min/max told apart at
 * the sign boundary, .w results sign-extended and rs2's upper half ignored on RV64 — and
 * LR/SC: a pair succeeds (rd 0), an SC without a reservation fails with code 1 and stores
 * nothing, every SC ends the reservation. Other harts' interference: atomic-smp.c. */
#include "rt.h"

static volatile uint32_t w[2];
#if XLEN == 64
static volatile uint64_t d;
#endif

#define AMO(insn, p, v) ({ uintptr_t r_; \
	__asm__ volatile(insn " %0, %2, (%1)" : "=r"(r_) : "r"(p), "r"((uintptr_t)(v)) : "memory"); r_; })
#define SEXT32(v) ((uintptr_t)(intptr_t)(int32_t)(uint32_t)(v))

/* X(instruction, memory before, rs2, rd after, memory after) */
#define AMO_W(X) \
	X("amoswap.w", 0x11111111, 0x22222222, 0x11111111, 0x22222222) \
	X("amoadd.w", 0xffffffff, 1, SEXT32(0xffffffff), 0) \
	X("amoadd.w", 0x7fffffff, 1, 0x7fffffff, 0x80000000) \
	X("amoxor.w", 0xff00ff00, 0x0ff00ff0, SEXT32(0xff00ff00), 0xf0f0f0f0) \
	X("amoand.w", 0xff00ff00, 0x0ff00ff0, SEXT32(0xff00ff00), 0x0f000f00) \
	X("amoor.w", 0xff00ff00, 0x0ff00ff0, SEXT32(0xff00ff00), 0xfff0fff0) \
	X("amomin.w", 0x80000000, 1, SEXT32(0x80000000), 0x80000000) \
	X("amominu.w", 0x80000000, 1, SEXT32(0x80000000), 1) \
	X("amomax.w", 0x80000000, 1, SEXT32(0x80000000), 1) \
	X("amomaxu.w", 0x80000000, 1, SEXT32(0x80000000), 0x80000000) \
	X("amomin.w", 5, (uintptr_t)-3, 5, 0xfffffffd) \
	X("amomax.w", 0xfffffffd, (uintptr_t)-5, SEXT32(0xfffffffd), 0xfffffffd) \
	X("amominu.w", 0xfffffffd, 7, SEXT32(0xfffffffd), 7) \
	X("amomaxu.w", 7, 0xfffffffd, 7, 0xfffffffd) \
	X("amoadd.w.aq", 40, 2, 40, 42) \
	X("amoadd.w.rl", 40, 2, 40, 42) \
	X("amoswap.w.aqrl", 1, 2, 1, 2)

#if XLEN == 64
/* RV64: rs2's upper half does not take part in a .w operation. */
#define AMO_W64(X) \
	X("amoadd.w", 3, 0x1000000001ull, 3, 4) \
	X("amomax.w", 3, 0xffffffff00000005ull, 3, 5) \
	X("amominu.w", 3, 0x0000000100000005ull, 3, 3)

#define AMO_D(X) \
	X("amoswap.d", 0x1111111122222222ull, 0x3333333344444444ull, 0x1111111122222222ull, 0x3333333344444444ull) \
	X("amoadd.d", ONES, 1, ONES, 0) \
	X("amoadd.d", 0xffffffffull, 1, 0xffffffffull, 0x100000000ull) \
	X("amoxor.d", 0xff00ff00ff00ff00ull, ONES, 0xff00ff00ff00ff00ull, 0x00ff00ff00ff00ffull) \
	X("amoand.d", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull, 0xff00ff00ff00ff00ull, 0x0f000f000f000f00ull) \
	X("amoor.d", 0xff00000000000000ull, 0xff, 0xff00000000000000ull, 0xff000000000000ffull) \
	X("amomin.d", MIN_X, 1, MIN_X, MIN_X) \
	X("amominu.d", MIN_X, 1, MIN_X, 1) \
	X("amomax.d", MIN_X, 1, MIN_X, 1) \
	X("amomaxu.d", MIN_X, 1, MIN_X, MIN_X) \
	X("amomax.d", 0x80000000ull, 1, 0x80000000ull, 0x80000000ull) \
	X("amoadd.d.aqrl", 40, 2, 40, 42)
#else
#define AMO_W64(X)
#define AMO_D(X)
#endif

#define COUNT5(a, b, c, e, f) + 1

static void amo_w(const char *insn, uintptr_t rd, uint32_t mem, uintptr_t want_rd, uint32_t want_mem)
{
	tap_ok(rd == want_rd && w[0] == want_mem && w[1] == 0x5a5a5a5a,
	       "%s: rd 0x%lx, memory 0x%lx, the next word untouched", insn, (unsigned long)rd,
	       (unsigned long)w[0]);
	if (rd != want_rd || w[0] != want_mem)
		tap_diag("  from 0x%lx: expected rd 0x%lx, memory 0x%lx", (unsigned long)mem,
		         (unsigned long)want_rd, (unsigned long)want_mem);
}

#define RUN_W(insn, mem, src, want_rd, want_mem) \
	w[0] = (mem); \
	w[1] = 0x5a5a5a5a; \
	amo_w(insn, AMO(insn, &w[0], src), mem, want_rd, want_mem);

#if XLEN == 64
static void amo_d(const char *insn, uintptr_t rd, uint64_t mem, uintptr_t want_rd, uint64_t want_mem)
{
	tap_ok(rd == want_rd && d == want_mem, "%s: rd 0x%lx, memory 0x%lx", insn, (unsigned long)rd,
	       (unsigned long)d);
	if (rd != want_rd || d != want_mem)
		tap_diag("  from 0x%lx: expected rd 0x%lx, memory 0x%lx", (unsigned long)mem,
		         (unsigned long)want_rd, (unsigned long)want_mem);
}

#define RUN_D(insn, mem, src, want_rd, want_mem) \
	d = (mem); \
	amo_d(insn, AMO(insn, &d, src), mem, want_rd, want_mem);
#endif

static uintptr_t lr_w(volatile void *p)
{
	uintptr_t r;
	__asm__ volatile("lr.w %0, (%1)" : "=r"(r) : "r"(p) : "memory");
	return r;
}

static uintptr_t sc_w(volatile void *p, uintptr_t v)
{
	uintptr_t r;
	__asm__ volatile("sc.w %0, %2, (%1)" : "=&r"(r) : "r"(p), "r"(v) : "memory");
	return r;
}

/* An atomic increment built from LR/SC, as compilers emit it. */
static void lrsc_increment(volatile uint32_t *p)
{
	uintptr_t tmp, fail;
	__asm__ volatile("1:\tlr.w.aq %0, (%2)\n\t"
	                 "addi %0, %0, 1\n\t"
	                 "sc.w.rl %1, %0, (%2)\n\t"
	                 "bnez %1, 1b" : "=&r"(tmp), "=&r"(fail) : "r"(p) : "memory");
}

int main(void)
{
	uintptr_t v, r1, r2;

	tap_plan(0 AMO_W(COUNT5) AMO_W64(COUNT5) AMO_D(COUNT5) + 10 + (XLEN == 64 ? 3 : 0));
	rt_init();
	AMO_W(RUN_W)
	AMO_W64(RUN_W)
#if XLEN == 64
	AMO_D(RUN_D)
#endif

	w[0] = 7;
	__asm__ volatile("amoswap.w zero, %1, (%0)" :: "r"(&w[0]), "r"(9) : "memory");
	tap_eq(w[0], 9, "amoswap.w with rd = x0 still stores");

	w[0] = 0x80000000u;
	v = lr_w(&w[0]);
	tap_eq(v, SEXT32(0x80000000u), "lr.w loads the word, sign-extended");
	r1 = sc_w(&w[0], 0x1234);
	tap_ok(r1 == 0 && w[0] == 0x1234, "sc.w after lr.w succeeds (rd 0x%lx) and stores (0x%lx)",
	       (unsigned long)r1, (unsigned long)w[0]);
	r2 = sc_w(&w[0], 0x5678);
	tap_eq(r2, 1, "a second sc.w fails with code 1: the first one ended the reservation");
	tap_eq(w[0], 0x1234, "the failed sc.w stored nothing");

	w[1] = 3;
	r1 = sc_w(&w[1], 4);
	tap_ok(r1 == 1 && w[1] == 3, "sc.w with no reservation at all fails (rd 0x%lx, memory 0x%lx)",
	       (unsigned long)r1, (unsigned long)w[1]);

	(void)lr_w(&w[1]);
	r1 = sc_w(&w[1], 5);
	r2 = lr_w(&w[1]);
	tap_ok(r1 == 0 && r2 == 5, "lr.w sees the value its pair's sc.w stored");
	(void)sc_w(&w[1], 5);

	(void)lr_w(&w[0]);
	(void)sc_w(&w[1], 8);
	r1 = sc_w(&w[0], 9);
	tap_ok(r1 == 1 && w[0] != 9, "an sc.w to another word between lr.w and sc.w makes the sc.w fail");

	w[0] = 0;
	for (unsigned i = 0; i < 100; i++)
		lrsc_increment(&w[0]);
	tap_eq(w[0], 100, "an lr.w.aq/sc.w.rl increment loop counts to 100");

#if XLEN == 64
	{
		uintptr_t got, fail;
		d = 0x8000000000000001ull;
		__asm__ volatile("lr.d %0, (%2)\n\tsc.d %1, %3, (%2)" : "=&r"(got), "=&r"(fail)
		                 : "r"(&d), "r"(0x0123456789abcdefull) : "memory");
		tap_ok(got == 0x8000000000000001ull && fail == 0 && d == 0x0123456789abcdefull,
		       "lr.d/sc.d pair: loaded 0x%lx, rd 0x%lx, stored 0x%lx", (unsigned long)got,
		       (unsigned long)fail, (unsigned long)d);
		__asm__ volatile("sc.d %0, %2, (%1)" : "=&r"(fail) : "r"(&d), "r"(1) : "memory");
		tap_ok(fail == 1 && d == 0x0123456789abcdefull, "sc.d without a reservation fails");
		w[0] = 0x11111111;
		w[1] = 0x22222222;
		v = AMO("amoadd.w", &w[1], 1);
		tap_ok(v == 0x22222222 && w[0] == 0x11111111 && w[1] == 0x22222223,
		       "amoadd.w on the upper word of a doubleword leaves the lower word alone");
	}
#endif
	rt_check_no_trap("no A instruction trapped on aligned RAM");
	return tap_done();
}
