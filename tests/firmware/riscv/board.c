/* tests/firmware/riscv/board.c — the example board the ELF runs on, as its guest sees it:
 * riscv-virt.dts (rv64: 128 MiB of RAM at 0x80000000, CLINT, PLIC, ns16550a, test device) or
 * riscv32-mcu.dts (rv32: 512 KiB of flash ROM at 0x20000000, 64 KiB of SRAM at 0x80000000,
 * CLINT, PLIC, sifive,uart0, test device). Every region is reachable where the tree puts it
 * and ends where the tree says (one byte further is an access fault), RAM is writable, ROM is
 * not (a store traps with store access fault and changes nothing), the gaps between devices
 * fault, devices refuse access sizes their bindings do not list, and mtime counts at the
 * tree's timebase-frequency against the hart's clock-frequency. */
#include "rt.h"

static uintptr_t probe_load(uintptr_t a, unsigned size)
{
	uintptr_t v = 0;
	rt_clear();
	switch (size) {
	case 1: __asm__ volatile("lbu %0, 0(%1)" : "+r"(v) : "r"(a) : "memory"); break;
	case 2: __asm__ volatile("lhu %0, 0(%1)" : "+r"(v) : "r"(a) : "memory"); break;
#if XLEN == 64
	case 8: __asm__ volatile("ld %0, 0(%1)" : "+r"(v) : "r"(a) : "memory"); break;
#endif
	default: __asm__ volatile("lw %0, 0(%1)" : "+r"(v) : "r"(a) : "memory"); break;
	}
	return v;
}

static void probe_store(uintptr_t a, unsigned size, uintptr_t v)
{
	rt_clear();
	switch (size) {
	case 1: __asm__ volatile("sb %0, 0(%1)" :: "r"(v), "r"(a) : "memory"); break;
	case 2: __asm__ volatile("sh %0, 0(%1)" :: "r"(v), "r"(a) : "memory"); break;
#if XLEN == 64
	case 8: __asm__ volatile("sd %0, 0(%1)" :: "r"(v), "r"(a) : "memory"); break;
#endif
	default: __asm__ volatile("sw %0, 0(%1)" :: "r"(v), "r"(a) : "memory"); break;
	}
}

static void faults(bool store, uintptr_t a, unsigned size, const char *what)
{
	unsigned cause = store ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS;
	bool ok;

	if (store)
		probe_store(a, size, 0x5a);
	else
		(void)probe_load(a, size);
	ok = rt_ntraps == 1 && rt_last.cause == cause && rt_last.tval == a;
	tap_ok(ok, "%s: %u-byte %s at 0x%lx is a %s access fault", what, size, store ? "store" : "load",
	       (unsigned long)a, store ? "store" : "load");
	if (!ok)
		tap_diag("  %u trap(s), cause %lu, mtval 0x%lx", rt_ntraps, (unsigned long)rt_last.cause,
		         (unsigned long)rt_last.tval);
}

static void reads(uintptr_t a, unsigned size, const char *what)
{
	(void)probe_load(a, size);
	tap_ok(rt_ntraps == 0, "%s: %u-byte load at 0x%lx works", what, size, (unsigned long)a);
}

static void ram_rw(uintptr_t a, const char *what)
{
	uintptr_t v;
	probe_store(a, 4, 0xc0ffee11u);
	v = probe_load(a, 4);
	tap_ok(rt_ntraps == 0 && (uint32_t)v == 0xc0ffee11u, "%s: RAM at 0x%lx is writable", what, (unsigned long)a);
}

/* mtime against the cycles of a busy loop: timebase-frequency / clock-frequency. */
static void time_rate(void)
{
	uintptr_t c0, c1;
	uint64_t m0, m1, want, got;
	uintptr_t n = XLEN == 64 ? 1000000 : 2000000;

	c0 = csr_read(mcycle);
	m0 = rt_mtime();
	while (csr_read(mcycle) - c0 < n)
		;
	m1 = rt_mtime();
	c1 = csr_read(mcycle);
	want = (uint64_t)(c1 - c0) * RT_TIMEBASE / RT_CPU_HZ;
	got = m1 - m0;
	tap_ok(got + 2 >= want && got <= want + 2,
	       "mtime counts %lu Hz against the hart's %lu Hz: %lu ticks over %lu cycles (expected %lu)",
	       (unsigned long)RT_TIMEBASE, (unsigned long)RT_CPU_HZ, (unsigned long)got,
	       (unsigned long)(c1 - c0), (unsigned long)want);
}

static void common_devices(void)
{
	reads(RT_CLINT, 4, "CLINT msip");
	reads(RT_CLINT_MTIME, 4, "CLINT mtime");
	reads(RT_CLINT + 0xfffc, 4, "the end of the CLINT's window");
	faults(false, RT_CLINT + 0x10000, 4, "past the CLINT");
	faults(false, RT_CLINT, 1, "CLINT (4- and 8-byte registers)");
	reads(RT_PLIC + 4 * RT_UART_IRQ, 4, "PLIC priority");
	faults(false, RT_PLIC + 4 * RT_UART_IRQ, 2, "PLIC (32-bit registers only)");
	reads(RT_TEST, 4, "the test device");
	faults(false, RT_TEST + 0x1000, 4, "past the test device");
	faults(false, 0, 4, "address 0");
	faults(true, RT_UNMAPPED, 4, "low memory");
	faults(false, RT_UART + RT_UART_SIZE, 4, "past the UART");
	{
		uintptr_t misa = csr_read(misa);
		tap_ok(misa >> (XLEN - 2) == (XLEN == 64 ? 2u : 1u) && (misa & 0x1105) == 0x1105,
		       "the hart is RV%dIMAC (misa 0x%lx)", XLEN, (unsigned long)misa);
	}
	time_rate();
}

#if XLEN == 64
static void virt(void)
{
	uintptr_t end = RT_RAM_BASE + RT_RAM_SIZE;

	reads(RT_RAM_BASE, 8, "the start of RAM (the program)");
	ram_rw(RT_RAM_BASE + 0x4000000, "the middle of RAM");
	ram_rw(end - 4, "the last word of the 128 MiB");
	faults(false, end, 1, "one byte past RAM");
	faults(true, end, 8, "one doubleword past RAM");
	faults(false, RT_RAM_BASE - 8, 8, "just below RAM");
	tap_eq(probe_load(RT_UART + 5, 1), 0x60, "ns16550a at 0x10000000: LSR (offset 5) reads 0x60");
	reads(RT_UART + 4, 4, "ns16550a (1-, 2- and 4-byte accesses; MCR)");
	faults(false, RT_PLIC + 4 * RT_UART_IRQ, 8, "PLIC (no 8-byte accesses)");
	reads(RT_PLIC + 0x5ffffc, 4, "the end of the PLIC's 6 MiB window");
	faults(false, RT_PLIC + 0x600000, 4, "past the PLIC");
	reads(RT_CLINT_MTIME, 8, "CLINT mtime as one 8-byte access");
}
#else
static void mcu(void)
{
	extern char _start[];
	uintptr_t fend = RT_FLASH_BASE + RT_FLASH_SIZE, rend = RT_RAM_BASE + RT_RAM_SIZE;
	uint32_t first = (uint32_t)probe_load(RT_FLASH_BASE, 4);
	static volatile uint32_t in_sram = 1;

	tap_ok(rt_ntraps == 0 && (uintptr_t)_start == RT_FLASH_BASE && first == *(volatile uint32_t *)_start,
	       "flash at 0x20000000 holds the program (its first word 0x%08lx)", (unsigned long)first);
	reads(fend - 4, 4, "the last word of the 512 KiB of flash");
	faults(false, fend, 1, "one byte past flash");
	faults(true, RT_FLASH_BASE + 0x100, 4, "flash is ROM");
	faults(true, RT_FLASH_BASE + 0x101, 1, "flash is ROM");
	faults(true, RT_FLASH_BASE + 0x102, 2, "flash is ROM");
	tap_eq(probe_load(RT_FLASH_BASE, 4), first, "the stores left flash unchanged");
	rt_clear();
	__asm__ volatile("amoadd.w zero, %0, (%1)" :: "r"(1), "r"(RT_FLASH_BASE) : "memory");
	tap_ok(rt_ntraps == 1 && rt_last.cause == CAUSE_STORE_ACCESS && rt_last.tval == RT_FLASH_BASE,
	       "an AMO on flash is a store access fault");
	rt_clear();
	{
		uintptr_t fail = 5;
		__asm__ volatile("sc.w %0, %1, (%2)" : "+r"(fail) : "r"(1), "r"(RT_FLASH_BASE + 8) : "memory");
	}
	tap_ok(rt_ntraps == 1 && rt_last.cause == CAUSE_STORE_ACCESS && rt_last.tval == RT_FLASH_BASE + 8,
	       "an sc.w on flash (no reservation) is a store access fault: no SC retires without write permission");
	tap_ok((uintptr_t)&in_sram >= RT_RAM_BASE && (uintptr_t)&in_sram < rend && in_sram == 1,
	       "initialised data lives in SRAM at 0x80000000");
	ram_rw(RT_RAM_BASE + 0x8000, "the middle of SRAM");
	reads(rend - 4, 4, "the last word of the 64 KiB of SRAM");
	faults(false, rend, 4, "past SRAM");
	faults(true, rend, 4, "past SRAM");
	faults(false, 0x80020000, 4, "128 KiB above SRAM");
	tap_eq(probe_load(RT_UART + 0x08, 4) & ~0x70007u, 0, "sifive,uart0 at 0x10013000: txctrl readable");
	faults(false, RT_UART + 0x08, 1, "sifive,uart0 (32-bit registers only)");
	reads(RT_PLIC + 0x3fffffc, 4, "the end of the PLIC's 64 MiB window");
	faults(false, RT_PLIC + 0x4000000, 4, "past the PLIC");
}
#endif

int main(void)
{
	tap_plan(14 + (XLEN == 64 ? 12 : 19));
	rt_init();
	tap_diag("board %s", RT_BOARD);
	common_devices();
#if XLEN == 64
	virt();
#else
	mcu();
#endif
	return tap_done();
}
