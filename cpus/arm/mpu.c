/* cpus/arm/mpu.c — the memory protection unit: PMSAv7 (Armv6-M, Armv7-M) and PMSAv8
 * (Armv8-M), registers and permission checks.
 *
 * PMSAv7: power-of-two regions aligned to their size, eight subregions from 256 bytes up, the
 * highest-numbered matching region wins. PMSAv8: regions from a base to a limit (32-byte
 * granules) that must not overlap; an address in two enabled regions is a fault. Without a
 * match, privileged accesses use the default memory map when CTRL.PRIVDEFENA is set; all other
 * accesses fault. The system space (0xE0000000 and up) is never executable. Memory types
 * (TEX/C/B/S, MAIR) are accepted and stored: there is no cache or ordering to model. */
#include "cpus/arm/arm-internal.h"

#define CTRL_ENABLE 1u
#define CTRL_HFNMIENA 2u
#define CTRL_PRIVDEFENA 4u

static bool pmsav8(const ArmCpu *c)
{
	return ARM_IS_V8M(c);
}

static unsigned ap_v7(unsigned ap, bool priv)
{
	switch (ap) {
	case 1: return priv ? ARM_PERM_R | ARM_PERM_W : 0;
	case 2: return priv ? ARM_PERM_R | ARM_PERM_W : ARM_PERM_R;
	case 3: return ARM_PERM_R | ARM_PERM_W;
	case 5: return priv ? ARM_PERM_R : 0;
	case 6: case 7: return ARM_PERM_R;
	default: return 0;
	}
}

static unsigned ap_v8(unsigned ap, bool priv)
{
	switch (ap) {
	case 0: return priv ? ARM_PERM_R | ARM_PERM_W : 0;
	case 1: return ARM_PERM_R | ARM_PERM_W;
	case 2: return priv ? ARM_PERM_R : 0;
	default: return ARM_PERM_R;
	}
}

static unsigned default_perm(uint32_t addr)
{
	return ARM_PERM_R | ARM_PERM_W | (arm_default_xn(addr) ? 0 : ARM_PERM_X);
}

/* PMSAv7 region geometry: false when the region is disabled or its size is reserved. */
static bool v7_region(const ArmMpuRegion *m, uint32_t *base, uint64_t *size)
{
	unsigned sz = (m->rasr >> 1) & 31;
	if (!(m->rasr & 1) || sz < 4)
		return false;
	*size = 1ull << (sz + 1);
	*base = m->rbar & ~(uint32_t)(*size - 1) & ~31u;
	return true;
}

static bool v7_covers(const ArmMpuRegion *m, uint32_t addr)
{
	uint32_t base;
	uint64_t size;
	if (!v7_region(m, &base, &size) || addr < base || (uint64_t)addr - base >= size)
		return false;
	if (size >= 256) {
		unsigned sub = (unsigned)(((uint64_t)addr - base) / (size / 8));
		if ((m->rasr >> (8 + sub)) & 1)
			return false;
	}
	return true;
}

unsigned arm_mpu_perm(const ArmCpu *c, uint32_t addr, unsigned ctx)
{
	bool priv = ctx != ARM_CTX_UNPRIV;
	unsigned perm;

	if (ctx == ARM_CTX_DEFAULT || !(c->mpu_ctrl & CTRL_ENABLE))
		return default_perm(addr);
	if (pmsav8(c)) {
		int hit = -1;
		for (unsigned r = 0; r < c->mpu_nregions; r++) {
			const ArmMpuRegion *m = &c->mpu[r];
			if ((m->rasr & 1) && addr >= (m->rbar & ~31u) && addr <= (m->rasr | 31u)) {
				if (hit >= 0)
					return 0;       /* overlapping regions: always a fault */
				hit = (int)r;
			}
		}
		if (hit < 0)
			return (priv && (c->mpu_ctrl & CTRL_PRIVDEFENA)) ? default_perm(addr) : 0;
		perm = ap_v8((c->mpu[hit].rbar >> 1) & 3, priv);
		if (perm & ARM_PERM_R && !(c->mpu[hit].rbar & 1))
			perm |= ARM_PERM_X;
	} else {
		int hit = -1;
		for (int r = (int)c->mpu_nregions - 1; r >= 0; r--) {
			if (v7_covers(&c->mpu[r], addr)) {
				hit = r;
				break;
			}
		}
		if (hit < 0)
			return (priv && (c->mpu_ctrl & CTRL_PRIVDEFENA)) ? default_perm(addr) : 0;
		perm = ap_v7((c->mpu[hit].rasr >> 24) & 7, priv);
		if (perm & ARM_PERM_R && !(c->mpu[hit].rasr & (1u << 28)))
			perm |= ARM_PERM_X;
	}
	if (addr >= 0xE0000000u)
		perm &= ~(unsigned)ARM_PERM_X;
	return perm;
}

/* Does a region's effect change inside the page [page, page + 4 KiB)? */
static bool region_splits_page(const ArmCpu *c, const ArmMpuRegion *m, uint32_t page)
{
	uint64_t lo = page, hi = (uint64_t)page + ARM_PAGE_SIZE - 1;
	if (pmsav8(c)) {
		uint64_t b = m->rbar & ~31u, l = m->rasr | 31u;
		if (!(m->rasr & 1) || l < lo || b > hi)
			return false;
		return !(b <= lo && l >= hi);
	} else {
		uint32_t base;
		uint64_t size;
		if (!v7_region(m, &base, &size) || base + size - 1 < lo || base > hi)
			return false;
		if (size < ARM_PAGE_SIZE)
			return true;
		/* Subregions smaller than a page split it when any of them is disabled. */
		return size >= 256 && size / 8 < ARM_PAGE_SIZE && ((m->rasr >> 8) & 0xFF);
	}
}

int arm_mpu_page_perm(const ArmCpu *c, uint32_t page, unsigned ctx)
{
	if (ctx == ARM_CTX_DEFAULT || !(c->mpu_ctrl & CTRL_ENABLE))
		return (int)default_perm(page);
	for (unsigned r = 0; r < c->mpu_nregions; r++)
		if (region_splits_page(c, &c->mpu[r], page))
			return -1;
	return (int)arm_mpu_perm(c, page, ctx);
}

/* ---- registers (offsets from 0xE000E000) ------------------------------------------------------- */

static void mpu_changed(ArmCpu *c)
{
	arm_tlb_flush(c);
	arm_set_mpu_ctx(c);
}

uint32_t arm_mpu_read(ArmCpu *c, uint32_t off)
{
	unsigned rnr = c->mpu_rnr;
	if (off == 0xD90)
		return c->mpu_nregions << 8;
	if (off == 0xD94)
		return c->mpu_ctrl;
	if (off == 0xD98)
		return rnr;
	if (pmsav8(c)) {
		if (off == 0xDC0 || off == 0xDC4)
			return c->mpu_mair[(off - 0xDC0) / 4];
		if (off >= 0xD9C && off <= 0xDB8) {
			unsigned alias = (off - 0xD9C) / 8, r = (rnr & ~3u) + alias;
			if (alias == 0)
				r = rnr;
			if (r >= c->mpu_nregions)
				return 0;
			return (off - 0xD9C) % 8 == 0 ? c->mpu[r].rbar : c->mpu[r].rasr;
		}
		return 0;
	}
	if (off >= 0xD9C && off <= 0xDB8 && rnr < c->mpu_nregions)
		return (off - 0xD9C) % 8 == 0 ? (c->mpu[rnr].rbar & ~31u) | rnr : c->mpu[rnr].rasr;
	return 0;
}

void arm_mpu_write(ArmCpu *c, uint32_t off, uint32_t v)
{
	if (off == 0xD94) {
		c->mpu_ctrl = v & 7u;
		mpu_changed(c);
		return;
	}
	if (off == 0xD98) {
		c->mpu_rnr = v & 0xFF;
		return;
	}
	if (pmsav8(c)) {
		if (off == 0xDC0 || off == 0xDC4) {
			c->mpu_mair[(off - 0xDC0) / 4] = v;
			return;
		}
		if (off >= 0xD9C && off <= 0xDB8) {
			unsigned alias = (off - 0xD9C) / 8, r = alias ? (c->mpu_rnr & ~3u) + alias : c->mpu_rnr;
			if (r >= c->mpu_nregions)
				return;
			if ((off - 0xD9C) % 8 == 0)
				c->mpu[r].rbar = v;
			else
				c->mpu[r].rasr = v & ~0x10u;   /* RLAR */
			mpu_changed(c);
		}
		return;
	}
	if (off >= 0xD9C && off <= 0xDB8) {
		if ((off - 0xD9C) % 8 == 0) {
			/* RBAR: VALID selects the region to write. */
			if (v & 0x10) {
				unsigned r = v & 0xF;
				if (r >= c->mpu_nregions)
					return;
				c->mpu_rnr = r;
			}
			if (c->mpu_rnr < c->mpu_nregions)
				c->mpu[c->mpu_rnr].rbar = v & ~31u;
		} else if (c->mpu_rnr < c->mpu_nregions) {
			c->mpu[c->mpu_rnr].rasr = v & 0x173FFF3Fu;
		}
		mpu_changed(c);
	}
}

void arm_mpu_reset(ArmCpu *c)
{
	c->mpu_ctrl = 0;
	c->mpu_rnr = 0;
	c->mpu_mair[0] = c->mpu_mair[1] = 0;
	memset(c->mpu, 0, sizeof(c->mpu));
	arm_tlb_flush(c);
	arm_set_mpu_ctx(c);
}
