/* tests/firmware/arm/mpu.c — the MPU (PMSAv7 on Cortex-M3/M4F/M7, PMSAv8 on Cortex-M33):
 * region registers, read-only and privileged-only regions, execute-never, subregions (v7),
 * overlapping regions (v8), the default map for privileged code (PRIVDEFENA), and the MPU
 * being off in the NMI handler unless HFNMIENA. Faults are MemManage with DACCVIOL/IACCVIOL
 * and MMFAR. */
#include "rt.h"

#include <string.h>

static volatile unsigned mm_hits;
static volatile uint32_t mm_cfsr, mm_mmfar;

static void h_memmanage(rt_frame *f, uint32_t er)
{
	(void)er;
	mm_hits++;
	mm_cfsr = CFSR;
	mm_mmfar = MMFAR;
	CFSR = mm_cfsr;
	if (mm_cfsr & 1) {                      /* IACCVIOL: return to the caller */
		f->pc = f->lr & ~1u;
		f->xpsr |= 1u << 24;
	} else {
		f->pc += rt_insn_len(f->pc);
	}
}

static void h_svc(rt_frame *f, uint32_t er)
{
	(void)f;
	(void)er;
	rt_set_control(rt_get_control() & ~1u);
}

static uint32_t load(uint32_t a)
{
	uint32_t v;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static void store(uint32_t a, uint32_t v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static void expect_fault(bool want, const char *what, uint32_t addr)
{
	if (want) {
		rt_eq(mm_hits, 1, what);
		rt_eq(mm_cfsr, (1u << 1) | (1u << 7), "  DACCVIOL and MMARVALID");
		rt_eq(mm_mmfar, addr, "  MMFAR");
	} else {
		rt_eq(mm_hits, 0, what);
	}
	mm_hits = 0;
}

static void become_unprivileged(void)
{
	rt_set_control(rt_get_control() | 1u);
}

static void become_privileged(void)
{
	__asm__ volatile("svc #0" : : : "memory");
}

/* "bx lr", copied into data memory to be executed from there */
static uint16_t ram_code[8] __attribute__((aligned(32)));

static void try_exec(uint32_t a)
{
	void (*fn)(void) = (void (*)(void))(a | 1u);
	fn();
}

#if __ARM_ARCH == 7
static uint8_t ro_buf[256] __attribute__((aligned(256)));
static uint8_t priv_buf[256] __attribute__((aligned(256)));
static uint8_t sub_buf[256] __attribute__((aligned(256)));

static void set_region(unsigned n, uint32_t base, unsigned size_log2, unsigned ap, bool xn, unsigned srd)
{
	MPU_RBAR = base | 1u << 4 | n;
	MPU_RASR = (xn ? 1u << 28 : 0) | ap << 24 | srd << 8 | (size_log2 - 1) << 1 | 1u;
}

static void test_pmsav7(void)
{
	uint32_t other = 0x21000000u;           /* PSRAM: in no region */
	unsigned regions = (MPU_TYPE >> 8) & 0xFF;
	rt_ok(regions == 8 || regions == 16, "MPU_TYPE: %u data regions", regions);
	set_region(0, 0x00000000, 22, 6, false, 0);              /* flash: read-only, executable */
	set_region(1, 0x20000000, 16, 3, true, 0);               /* RAM: read-write, execute-never */
	set_region(2, (uint32_t)ro_buf, 8, 6, true, 0);          /* read-only */
	set_region(3, (uint32_t)priv_buf, 8, 1, true, 0);        /* privileged read-write */
	set_region(4, (uint32_t)sub_buf, 8, 0, true, 0x01);      /* no access, first 32 bytes excluded */
	MPU_RNR = 2;
	rt_eq(MPU_RBAR, (uint32_t)ro_buf | 2, "RBAR reads back the base and the region number");
	rt_eq(MPU_RASR & 0x3F, (7u << 1) | 1, "RASR reads back size and enable");
	MPU_CTRL = 5;                          /* ENABLE, PRIVDEFENA */
	rt_barrier();

	load((uint32_t)ro_buf);
	expect_fault(false, "read of a read-only region", 0);
	store((uint32_t)ro_buf + 8, 1);
	expect_fault(true, "write of a read-only region: MemManage", (uint32_t)ro_buf + 8);
	store((uint32_t)sub_buf + 4, 1);
	expect_fault(false, "a disabled subregion falls through to the region below", 0);
	store((uint32_t)sub_buf + 64, 1);
	expect_fault(true, "an enabled no-access subregion faults", (uint32_t)sub_buf + 64);
	load(other);
	expect_fault(false, "privileged, PRIVDEFENA: the default map outside the regions", 0);

	ram_code[0] = 0x4770;
	try_exec((uint32_t)ram_code);
	rt_eq(mm_hits, 1, "executing from an execute-never region: MemManage");
	rt_eq(mm_cfsr, 1u << 0, "  IACCVIOL");
	mm_hits = 0;

	become_unprivileged();
	load((uint32_t)ro_buf);
	expect_fault(false, "unprivileged read of a read-only region", 0);
	load((uint32_t)priv_buf);
	expect_fault(true, "unprivileged read of a privileged region: MemManage", (uint32_t)priv_buf);
	load(other);
	expect_fault(true, "unprivileged: no default map outside the regions", other);
	become_privileged();
	store((uint32_t)priv_buf, 7);
	expect_fault(false, "privileged write of a privileged region", 0);

	MPU_CTRL = 1;                          /* no PRIVDEFENA */
	rt_barrier();
	load(other);
	expect_fault(true, "privileged without PRIVDEFENA: outside the regions faults", other);

	/* NMI runs with the MPU off unless HFNMIENA. */
	ICSR = 1u << 31;
	rt_barrier();
	rt_eq(mm_hits, 0, "the NMI handler wrote a read-only region: the MPU is off there");
	rt_eq(ro_buf[16], 0x5A, "  and the write landed");
	MPU_CTRL = 0;
	rt_barrier();
}
#endif

#if __ARM_ARCH == 8
/* PMSAv8 regions are base..limit and must not overlap: the test buffers live in the SSRAM at
 * 0x28000000, outside the image. */
#define RO_BUF 0x28000000u
#define PRIV_BUF 0x28000100u
#define OVER_BUF 0x28000200u

static void set_region8(unsigned n, uint32_t base, uint32_t limit, unsigned ap, bool xn)
{
	MPU_RNR = n;
	MPU_RBAR = base | ap << 1 | (xn ? 1u : 0);
	MPU_RASR = (limit & ~31u) | 1u;        /* RLAR */
}

static void test_pmsav8(void)
{
	uint32_t other = 0x28100000u;
	unsigned regions = (MPU_TYPE >> 8) & 0xFF;
	rt_eq(regions, 8, "MPU_TYPE: 8 data regions");
	MPU_MAIR0 = 0x44;
	set_region8(0, 0x00000000, 0x003FFFFF, 3, false);     /* flash: read-only, executable */
	set_region8(1, 0x20000000, 0x2001FFFF, 1, true);      /* RAM: read-write, execute-never */
	set_region8(2, RO_BUF, RO_BUF + 31, 3, true);
	set_region8(3, PRIV_BUF, PRIV_BUF + 31, 0, true);
	set_region8(4, OVER_BUF, OVER_BUF + 63, 1, true);
	set_region8(5, OVER_BUF + 32, OVER_BUF + 95, 1, true); /* overlaps region 4 */
	MPU_RNR = 2;
	rt_eq(MPU_RBAR, RO_BUF | 3u << 1 | 1u, "RBAR reads back");
	rt_eq(MPU_RASR, ((RO_BUF + 31) & ~31u) | 1u, "RLAR reads back");
	MPU_CTRL = 5;
	rt_barrier();

	load(RO_BUF);
	expect_fault(false, "read of a read-only region", 0);
	store(RO_BUF + 4, 1);
	expect_fault(true, "write of a read-only region: MemManage", RO_BUF + 4);
	store(OVER_BUF, 1);
	expect_fault(false, "a region alone", 0);
	store(OVER_BUF + 40, 1);
	expect_fault(true, "an address in two regions faults", OVER_BUF + 40);
	load(other);
	expect_fault(false, "privileged, PRIVDEFENA: the default map outside the regions", 0);

	ram_code[0] = 0x4770;
	try_exec((uint32_t)ram_code);
	rt_eq(mm_hits, 1, "executing from an execute-never region: MemManage");
	rt_eq(mm_cfsr, 1u << 0, "  IACCVIOL");
	mm_hits = 0;

	become_unprivileged();
	load(RO_BUF);
	expect_fault(false, "unprivileged read of a read-only region", 0);
	load(PRIV_BUF);
	expect_fault(true, "unprivileged read of a privileged region: MemManage", PRIV_BUF);
	become_privileged();

	{
		uint32_t tt;
		__asm__ volatile("tt %0, %1" : "=r"(tt) : "r"(RO_BUF + 8));
		rt_eq(tt & 0x100FF, 0x10002, "TT names region 2 (MRVALID)");
		rt_eq(tt & (3u << 18), 1u << 18, "TT: readable, not writable");
	}

	MPU_CTRL = 1;
	rt_barrier();
	load(other);
	expect_fault(true, "privileged without PRIVDEFENA: outside the regions faults", other);

	ICSR = 1u << 31;
	rt_barrier();
	rt_eq(mm_hits, 0, "the NMI handler wrote a read-only region: the MPU is off there");
	rt_eq(*(volatile uint8_t *)(RO_BUF + 16), 0x5A, "  and the write landed");
	MPU_CTRL = 0;
	rt_barrier();
}
#endif

static void h_nmi_write(rt_frame *f, uint32_t er)
{
	(void)f;
	(void)er;
#if __ARM_ARCH == 7
	ro_buf[16] = 0x5A;
#else
	*(volatile uint8_t *)(0x28000000u + 16) = 0x5A;
#endif
}

int main(void)
{
	rt_set_handler(EXC_MEMMANAGE, h_memmanage);
	rt_set_handler(EXC_SVCALL, h_svc);
	rt_set_handler(EXC_NMI, h_nmi_write);
	SHCSR |= 1u << 16;
#if __ARM_ARCH == 7
	test_pmsav7();
#elif __ARM_ARCH == 8
	test_pmsav8();
#endif
	SHCSR &= ~(1u << 16);
	return rt_done();
}
