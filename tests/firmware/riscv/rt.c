/* tests/firmware/riscv/rt.c — the C half of the guest tests' run-time (see rt.h). */
#include "rt.h"

extern char rt_trap_entry[], rt_strap_entry[], rt_vector_table[];
void rt_secondary(uintptr_t hart);

/* ---- TAP ---------------------------------------------------------------------------------- */

static unsigned tap_planned, tap_count, tap_failed;

void tap_plan(unsigned n)
{
	tap_planned = n;
	printf("1..%u\n", n);
}

static void tap_line(bool cond, const char *directive, const char *fmt, va_list ap)
{
	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%s %u - ", cond ? "ok" : "not ok", tap_count);
	vprintf(fmt, ap);
	if (directive)
		printf(" # %s", directive);
	putchar('\n');
}

bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_line(cond, NULL, fmt, ap);
	va_end(ap);
	return cond;
}

bool tap_eq(uintptr_t got, uintptr_t want, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_line(got == want, NULL, fmt, ap);
	va_end(ap);
	if (got != want)
		printf("#   got 0x%lx, expected 0x%lx\n", (unsigned long)got, (unsigned long)want);
	return got == want;
}

void tap_skip(const char *why, const char *fmt, ...)
{
	char directive[96];
	va_list ap;
	snprintf(directive, sizeof(directive), "SKIP %s", why);
	va_start(ap, fmt);
	tap_line(true, directive, fmt, ap);
	va_end(ap);
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int tap_done(void)
{
	if (tap_count != tap_planned) {
		printf("# planned %u tests, ran %u\n", tap_planned, tap_count);
		return 1;
	}
	if (tap_failed)
		printf("# %u of %u tests failed\n", tap_failed, tap_count);
	return tap_failed ? 1 : 0;
}

/* ---- traps -------------------------------------------------------------------------------- */

volatile unsigned rt_ntraps, rt_nirqs, rt_nstraps;
volatile rt_trap_t rt_last, rt_last_irq, rt_slast;
volatile unsigned rt_irq_count[16];
volatile uintptr_t rt_irq_mtime;
volatile uintptr_t rt_resume;
void (*volatile rt_irq_hook)(unsigned cause);
void (*volatile rt_sirq_hook)(unsigned cause);

/* The length of the instruction at pc; without C every instruction is 4 bytes (a halfword
 * that looks compressed is part of an illegal 4-byte one). */
static bool has_c = true;      /* misa.C, read by rt_init in M-mode (the S handler cannot) */

static unsigned insn_len(uintptr_t pc)
{
	uint16_t h = *(volatile uint16_t *)pc;
	if (!has_c)
		return 4;
	return (h & 3) == 3 ? 4 : 2;
}

static void record(volatile rt_trap_t *t, uintptr_t cause, uintptr_t tval, uintptr_t epc,
                   unsigned from, unsigned vector, uintptr_t status)
{
	t->status = status;
	t->cause = cause;
	t->tval = tval;
	t->epc = epc;
	t->from = from;
	t->vector = vector;
}

void rt_trap_c(rt_frame_t *f)
{
	uintptr_t cause = csr_read(mcause), epc = csr_read(mepc), tval = csr_read(mtval);
	uintptr_t status = csr_read(mstatus);
	unsigned vector = (unsigned)csr_swap(mscratch, 0);
	unsigned from = (unsigned)((status & MSTATUS_MPP) >> 11);
	unsigned code = (unsigned)(cause & ~RT_INTR);

	if (cause & RT_INTR) {
		rt_irq_mtime = (uintptr_t)rt_mtime();
		record(&rt_last_irq, cause, tval, epc, from, vector, status);
		rt_nirqs++;
		if (code < 16)
			rt_irq_count[code]++;
		if (rt_irq_hook)
			rt_irq_hook(code);
		else
			csr_clear(mie, 1ul << code);
		return;
	}
	if ((code == CAUSE_ECALL_U || code == CAUSE_ECALL_S) && f->x[17] == RT_EXIT_MAGIC) {
		/* rt_run's function is done: back to rt_run_back, in M-mode. */
		csr_write(mepc, (uintptr_t)rt_run_back);
		csr_set(mstatus, MSTATUS_MPP);
		return;
	}
	record(&rt_last, cause, tval, epc, from, vector, status);
	rt_ntraps++;
	if (rt_resume) {
		epc = rt_resume;
		rt_resume = 0;
	} else if (code == CAUSE_INSN_ACCESS) {
		epc = f->x[1];
	} else {
		epc += insn_len(epc);
	}
	if (epc == (uintptr_t)rt_run_back)
		csr_set(mstatus, MSTATUS_MPP);
	csr_write(mepc, epc);
}

void rt_strap_c(rt_frame_t *f)
{
	uintptr_t cause = csr_read(scause), epc = csr_read(sepc), tval = csr_read(stval);
	uintptr_t status = csr_read(sstatus);
	unsigned code = (unsigned)(cause & ~RT_INTR);

	if (!(cause & RT_INTR) && code == CAUSE_ECALL_U && f->x[17] == RT_EXIT_MAGIC) {
		/* A delegated exit of rt_run: pass it on to M-mode. */
		register uintptr_t a0 __asm__("a0") = f->x[10];
		register uintptr_t a7 __asm__("a7") = RT_EXIT_MAGIC;
		__asm__ volatile("ecall" :: "r"(a0), "r"(a7) : "memory");
		for (;;)
			;
	}
	record(&rt_slast, cause, tval, epc, (status & MSTATUS_SPP) ? PRIV_S : PRIV_U, 0, status);
	rt_nstraps++;
	if (cause & RT_INTR) {
		if (rt_sirq_hook)
			rt_sirq_hook(code);
		else
			csr_clear(sie, 1ul << code);
		return;
	}
	if (rt_resume) {
		epc = rt_resume;
		rt_resume = 0;
	} else if (code == CAUSE_INSN_ACCESS) {
		epc = f->x[1];
	} else {
		epc += insn_len(epc);
	}
	csr_write(sepc, epc);
}

void rt_clear(void)
{
	rt_ntraps = rt_nirqs = rt_nstraps = 0;
	record(&rt_last, 0, 0, 0, 0, 0, 0);
	record(&rt_last_irq, 0, 0, 0, 0, 0, 0);
	record(&rt_slast, 0, 0, 0, 0, 0, 0);
	for (unsigned i = 0; i < 16; i++)
		rt_irq_count[i] = 0;
	rt_resume = 0;
}

void rt_init(void)
{
	has_c = (csr_read(misa) >> ('C' - 'A')) & 1;
	csr_write(mscratch, 0);
	csr_write(mtvec, (uintptr_t)rt_trap_entry);
	rt_clear();
}

void rt_set_vectored(bool on)
{
	csr_write(mtvec, on ? (uintptr_t)rt_vector_table | 1 : (uintptr_t)rt_trap_entry);
}

static void show_trap(const char *what, volatile rt_trap_t *t, unsigned n)
{
	printf("#   %s: %u trap(s), last: cause 0x%lx, epc 0x%lx, tval 0x%lx, from %u\n", what, n,
	       (unsigned long)t->cause, (unsigned long)t->epc, (unsigned long)t->tval, t->from);
}

bool rt_check_trap(uintptr_t cause, uintptr_t epc, uintptr_t tval, uintptr_t tval_alt,
                   const char *fmt, ...)
{
	bool ok = rt_ntraps == 1 && rt_last.cause == cause && rt_last.epc == epc &&
	          (rt_last.tval == tval || rt_last.tval == tval_alt);
	va_list ap;
	va_start(ap, fmt);
	tap_line(ok, NULL, fmt, ap);
	va_end(ap);
	if (!ok) {
		show_trap("got", &rt_last, rt_ntraps);
		printf("#   expected: 1 trap, cause 0x%lx, epc 0x%lx, tval 0x%lx", (unsigned long)cause,
		       (unsigned long)epc, (unsigned long)tval);
		if (tval_alt != tval)
			printf(" or 0x%lx", (unsigned long)tval_alt);
		putchar('\n');
	}
	return ok;
}

bool rt_check_no_trap(const char *fmt, ...)
{
	bool ok = rt_ntraps == 0;
	va_list ap;
	va_start(ap, fmt);
	tap_line(ok, NULL, fmt, ap);
	va_end(ap);
	if (!ok)
		show_trap("unexpected", &rt_last, rt_ntraps);
	return ok;
}

volatile uintptr_t rt_at, rt_addr;

uint32_t rt_insn_at(uintptr_t a)
{
	uint32_t lo = *(volatile uint16_t *)a;
	return (lo & 3) == 3 ? lo | (uint32_t)*(volatile uint16_t *)(a + 2) << 16 : lo;
}

bool rt_expect_m(uintptr_t cause, unsigned from, uintptr_t tval, uintptr_t alt, const char *desc)
{
	bool ok = rt_ntraps == 1 && rt_nstraps == 0 && rt_last.cause == cause && rt_last.epc == rt_at &&
	          rt_last.from == from && (rt_last.tval == tval || rt_last.tval == alt);
	tap_ok(ok, "%s", desc);
	if (!ok)
		printf("#   M traps %u, S traps %u; cause 0x%lx epc 0x%lx (expected 0x%lx) tval 0x%lx from %u\n",
		       rt_ntraps, rt_nstraps, (unsigned long)rt_last.cause, (unsigned long)rt_last.epc,
		       (unsigned long)rt_at, (unsigned long)rt_last.tval, rt_last.from);
	return ok;
}

bool rt_expect_s(uintptr_t cause, unsigned from, const char *desc)
{
	bool ok = rt_nstraps == 1 && rt_ntraps == 0 && rt_slast.cause == cause && rt_slast.epc == rt_at &&
	          rt_slast.from == from;
	tap_ok(ok, "%s", desc);
	if (!ok)
		printf("#   S traps %u, M traps %u; scause 0x%lx sepc 0x%lx (expected 0x%lx) from %u\n",
		       rt_nstraps, rt_ntraps, (unsigned long)rt_slast.cause, (unsigned long)rt_slast.epc,
		       (unsigned long)rt_at, rt_slast.from);
	return ok;
}

void rt_pmp_open(void)
{
	csr_write(pmpaddr15, (uintptr_t)-1);
#if XLEN == 64
	csr_set(pmpcfg2, (uintptr_t)0x1f << 56);    /* entry 15: NAPOT, R W X */
#else
	csr_set(pmpcfg3, (uintptr_t)0x1f << 24);
#endif
}

/* ---- timer ------------------------------------------------------------------------------- */

uint64_t rt_mtime(void)
{
#if XLEN == 64
	return *(volatile uint64_t *)RT_CLINT_MTIME;
#else
	uint32_t hi, lo;
	do {
		hi = mmio_read32(RT_CLINT_MTIME + 4);
		lo = mmio_read32(RT_CLINT_MTIME);
	} while (hi != mmio_read32(RT_CLINT_MTIME + 4));
	return (uint64_t)hi << 32 | lo;
#endif
}

void rt_set_mtimecmp(unsigned hart, uint64_t v)
{
#if XLEN == 64
	*(volatile uint64_t *)RT_CLINT_MTIMECMP(hart) = v;
#else
	/* The privileged spec's sequence: never below both the old and the new value. */
	mmio_write32(RT_CLINT_MTIMECMP(hart), 0xffffffffu);
	mmio_write32(RT_CLINT_MTIMECMP(hart) + 4, (uint32_t)(v >> 32));
	mmio_write32(RT_CLINT_MTIMECMP(hart), (uint32_t)v);
#endif
}

uint64_t rt_get_mtimecmp(unsigned hart)
{
	return (uint64_t)mmio_read32(RT_CLINT_MTIMECMP(hart) + 4) << 32 | mmio_read32(RT_CLINT_MTIMECMP(hart));
}

void rt_sleep_ticks(uint64_t ticks)
{
	unsigned hart = (unsigned)csr_read(mhartid);
	uintptr_t mie = csr_read(mie), mstatus = csr_read(mstatus) & MSTATUS_MIE;
	uint64_t old = rt_get_mtimecmp(hart), end;

	csr_clear(mstatus, MSTATUS_MIE);
	end = rt_mtime() + ticks;
	rt_set_mtimecmp(hart, end);
	csr_write(mie, MIP_MTIP);
	while (rt_mtime() < end)
		__asm__ volatile("wfi");
	rt_set_mtimecmp(hart, old);
	csr_write(mie, mie);
	csr_set(mstatus, mstatus);
}

/* ---- secondary harts --------------------------------------------------------------------- */

static uintptr_t (*volatile smp_fn[RT_SMP_MAX])(uintptr_t);
static volatile uintptr_t smp_arg[RT_SMP_MAX], smp_result[RT_SMP_MAX];
static volatile unsigned smp_done[RT_SMP_MAX];

/* A secondary hart, from rt_entry: sleeps until its MSIP, runs the function it was given.
 * Hart 0 clears .bss meanwhile, so nothing is written before the first MSIP. */
void rt_secondary(uintptr_t hart)
{
	csr_write(mie, MIP_MSIP);
	for (;;) {
		uintptr_t (*fn)(uintptr_t);
		while (!(csr_read(mip) & MIP_MSIP))
			__asm__ volatile("wfi");
		mmio_write32(RT_CLINT_MSIP(hart), 0);
		fn = smp_fn[hart];
		if (!fn)
			continue;
		smp_fn[hart] = 0;
		smp_result[hart] = fn(smp_arg[hart]);
		__asm__ volatile("fence rw, rw" ::: "memory");
		smp_done[hart] = 1;
	}
}

void rt_smp_start(unsigned hart, uintptr_t (*fn)(uintptr_t), uintptr_t arg)
{
	smp_done[hart] = 0;
	smp_arg[hart] = arg;
	smp_fn[hart] = fn;
	__asm__ volatile("fence rw, rw" ::: "memory");
	mmio_write32(RT_CLINT_MSIP(hart), 1);
}

uintptr_t rt_smp_wait(unsigned hart, uint64_t ticks)
{
	uint64_t end = rt_mtime() + ticks;
	while (!smp_done[hart])
		if (rt_mtime() > end)
			return UINTPTR_MAX;
	__asm__ volatile("fence rw, rw" ::: "memory");
	return smp_result[hart];
}
