/* cpus/arm/mem.c — data accesses: the software TLB and the slow path.
 *
 * The TLB maps 4 KiB guest pages to host pointers, one set of read and write entries per MPU
 * context (default map, privileged, unprivileged), so that a change of privilege is a pointer
 * switch. A page enters the TLB only when it is RAM/ROM in one window and the MPU grants the
 * same rights on all of it; the write side also needs writable RAM that holds no decoded code
 * (writes there go through soc_as_write, which tells the code listeners). Everything else —
 * the Private Peripheral Bus, MMIO, unmapped addresses, pages the MPU splits — takes the slow
 * path on every access. */
#include "cpus/arm/arm-internal.h"

void arm_tlb_flush(ArmCpu *c)
{
	for (unsigned x = 0; x < ARM_CTX_N; x++)
		for (unsigned k = 0; k < 2; k++)
			for (unsigned e = 0; e < ARM_TLB_SIZE; e++)
				c->tlb[x][k][e].tag = ARM_TLB_INVALID;
	arm_code_flush(c);
}

void arm_tlb_flush_writes(ArmCpu *c)
{
	for (unsigned x = 0; x < ARM_CTX_N; x++)
		for (unsigned e = 0; e < ARM_TLB_SIZE; e++)
			c->tlb[x][1][e].tag = ARM_TLB_INVALID;
}

/* Which MPU context applies now: the MPU is off, or bypassed at negative priority when
 * HFNMIENA is clear, or checks privileged or unprivileged rights. */
void arm_set_mpu_ctx(ArmCpu *c)
{
	unsigned ctx;
	if (!(c->mpu_ctrl & 1) || (c->exec_prio < 0 && !(c->mpu_ctrl & 2)))
		ctx = ARM_CTX_DEFAULT;
	else
		ctx = arm_privileged(c) ? ARM_CTX_PRIV : ARM_CTX_UNPRIV;
	if (ctx != c->mpu_ctx) {
		c->mpu_ctx = ctx;
		arm_code_flush(c);
	}
	c->tlb_rd = c->tlb[ctx][0];
	c->tlb_wr = c->tlb[ctx][1];
}

void arm_mem_init(ArmCpu *c)
{
	c->mpu_ctx = ARM_CTX_DEFAULT;
	arm_tlb_flush(c);
	c->tlb_rd = c->tlb[ARM_CTX_DEFAULT][0];
	c->tlb_wr = c->tlb[ARM_CTX_DEFAULT][1];
}

void arm_mem_destroy(ArmCpu *c)
{
	(void)c;
}

static bool in_ppb(uint32_t a)
{
	return a >= 0xE0000000u && a < 0xE0100000u;
}

static void tlb_fill(ArmCpu *c, uint32_t addr, bool write, unsigned ctx)
{
	uint32_t page = addr & ~ARM_PAGE_MASK;
	uint64_t avail, off;
	SocRamBlock *blk;
	uint8_t *host;
	ArmTlbEntry *e;

	if (in_ppb(page))
		return;
	host = soc_as_ram_ptr(c->cpu.as, page, &avail, &blk, &off);
	if (!host || avail < ARM_PAGE_SIZE)
		return;
	if (write && (soc_ram_read_only(blk) || soc_ram_page_has_code(blk, off) ||
	              soc_ram_page_has_code(blk, off + ARM_PAGE_SIZE - 1)))
		return;
	if (write)
		arm_listen_block(c, blk);   /* hear when the page gets code, before writing it fast */
	if (ctx != ARM_CTX_DEFAULT) {
		int perm = arm_mpu_page_perm(c, page, ctx);
		if (perm < 0 || !(perm & (write ? ARM_PERM_W : ARM_PERM_R)))
			return;
	}
	e = &c->tlb[ctx][write][ARM_TLB_IDX(page)];
	e->tag = page;
	e->addend = (uintptr_t)host - page;
}

ArmMemResult arm_mem_access(ArmCpu *c, uint32_t addr, unsigned size, uint32_t *value, unsigned acc)
{
	bool write = acc & ARM_ACC_WRITE;
	bool priv = (acc & ARM_ACC_UNPRIV) ? false : (acc & ARM_ACC_PRIV) ? true : arm_privileged(c);
	SocAddressSpace *as = c->cpu.as;
	const SocWindow *w;
	SocMemStatus st;
	uint64_t v = 0;

	if (in_ppb(addr)) {
		/* Unprivileged code may only pend interrupts through STIR, when CCR allows it. */
		if (!priv && !(write && addr == 0xE000EF00u && (c->ccr & ARM_CCR_USERSETMPEND)))
			return ARM_MEM_BUS;
		if (write)
			return arm_ppb_write(c, addr, size, *value) ? ARM_MEM_OK : ARM_MEM_BUS;
		return arm_ppb_read(c, addr, size, value) ? ARM_MEM_OK : ARM_MEM_BUS;
	}
	if (!(acc & ARM_ACC_NOMPU) && (c->mpu_ctrl & 1) &&
	    !(c->exec_prio < 0 && !(c->mpu_ctrl & 2) && !(acc & ARM_ACC_UNPRIV))) {
		unsigned ctx = priv ? ARM_CTX_PRIV : ARM_CTX_UNPRIV, need = write ? ARM_PERM_W : ARM_PERM_R;
		if (!(arm_mpu_perm(c, addr, ctx) & need) || !(arm_mpu_perm(c, addr + size - 1, ctx) & need))
			return ARM_MEM_MPU;
	}
	w = soc_as_lookup(as, addr);
	if (!w)
		return ARM_MEM_BUS;
	if (w->kind == SOC_WIN_MMIO)
		soc_events_set_now(c->cpu.events, soc_cpu_local_time(&c->cpu));
	if (write)
		st = soc_as_write(as, addr, size, *value, &c->cpu);
	else
		st = soc_as_read(as, addr, size, &v, &c->cpu);
	if (st != SOC_MEM_OK) {
		/* An unaligned access that straddles two RAM windows is done byte by byte. */
		if (st == SOC_MEM_UNMAPPED && size > 1 && w->kind != SOC_WIN_MMIO &&
		    soc_as_lookup(as, addr + size - 1)) {
			uint32_t r = 0;
			for (unsigned k = 0; k < size; k++) {
				uint32_t b = write ? (*value >> (8 * k)) & 0xFF : 0;
				if (arm_mem_access(c, addr + k, 1, &b, acc) != ARM_MEM_OK)
					return ARM_MEM_BUS;
				r |= (b & 0xFF) << (8 * k);
			}
			if (!write)
				*value = r;
			return ARM_MEM_OK;
		}
		return ARM_MEM_BUS;
	}
	if (!write)
		*value = (uint32_t)v;
	return ARM_MEM_OK;
}

/* BFHFNMIGN: precise bus errors of loads and stores are ignored at priority -1 and -2. */
static bool ignore_bus_error(const ArmCpu *c)
{
	return c->exec_prio < 0 && (c->ccr & ARM_CCR_BFHFNMIGN);
}

bool arm_ld_slow(ArmCpu *c, uint32_t addr, unsigned size, uint32_t *value, unsigned acc)
{
	ArmMemResult r;
	if (!acc) {
		const ArmTlbEntry *e;
		tlb_fill(c, addr, false, c->mpu_ctx);
		e = &c->tlb_rd[ARM_TLB_IDX(addr)];
		if (e->tag == (addr & ~ARM_PAGE_MASK) && (addr & ARM_PAGE_MASK) <= ARM_PAGE_SIZE - size) {
			uint32_t v = 0;
			memcpy(&v, (const void *)(e->addend + addr), size);
			*value = v;
			return true;
		}
	}
	r = arm_mem_access(c, addr, size, value, acc);
	if (r == ARM_MEM_OK)
		return true;
	if (r == ARM_MEM_MPU) {
		arm_fault(c, ARM_F_DACCVIOL, addr);
		return false;
	}
	if (ignore_bus_error(c)) {
		*value = 0;
		return true;
	}
	arm_fault(c, ARM_F_PRECISERR, addr);
	return false;
}

bool arm_st_slow(ArmCpu *c, uint32_t addr, unsigned size, uint32_t value, unsigned acc)
{
	ArmMemResult r;
	if (!acc) {
		const ArmTlbEntry *e;
		tlb_fill(c, addr, true, c->mpu_ctx);
		e = &c->tlb_wr[ARM_TLB_IDX(addr)];
		if (e->tag == (addr & ~ARM_PAGE_MASK) && (addr & ARM_PAGE_MASK) <= ARM_PAGE_SIZE - size) {
			memcpy((void *)(e->addend + addr), &value, size);
			return true;
		}
	}
	r = arm_mem_access(c, addr, size, &value, acc | ARM_ACC_WRITE);
	if (r == ARM_MEM_OK)
		return true;
	if (r == ARM_MEM_MPU) {
		arm_fault(c, ARM_F_DACCVIOL, addr);
		return false;
	}
	if (ignore_bus_error(c))
		return true;
	arm_fault(c, ARM_F_PRECISERR, addr);
	return false;
}

/* An unaligned access the core does not allow: UsageFault (HardFault on Armv6-M). */
bool arm_unaligned_fault(ArmCpu *c)
{
	arm_fault(c, ARM_F_UNALIGNED, 0);
	return false;
}
