/* cpus/arm/scs.c — the Private Peripheral Bus of a Cortex-M core: the System Control Space
 * (SCB, NVIC, SysTick, MPU and FP registers, STIR, debug registers), DWT and the ROM table.
 *
 * Registers follow the ARMv7-M / ARMv8-M ARM; Armv6-M keeps only its subset (no CFSR, HFSR,
 * SHPR1, STIR, PRIGROUP; IPR and SHPR by word). Reserved locations read as zero and ignore
 * writes (writes are reported under -d unimp). Byte and halfword accesses are accepted where
 * the architecture defines them (IPR, SHPR, CFSR) and done as read-modify-write elsewhere.
 *
 * SysTick counts the core clock (CLKSOURCE = 1) in the core's own cycles — retired
 * instructions plus cycles asleep — or the reference clock given by the systick node's
 * clock-frequency. The counter is computed from an anchor when read; a timer on the event
 * queue fires exactly at each wrap while TICKINT is set. DWT.CYCCNT counts the cycles the core
 * spends executing (not asleep) while DEMCR.TRCENA and DWT_CTRL.CYCCNTENA are set. */
#include "cpus/arm/arm-internal.h"
#include "core/machine.h"

/* ---- SysTick ----------------------------------------------------------------------------------- */

#define ST_ENABLE 1u
#define ST_TICKINT 2u
#define ST_CLKSOURCE 4u

static bool st_core_clock(const ArmCpu *c)
{
	return (c->st_csr & ST_CLKSOURCE) || !c->systick_ref_hz;
}

static uint64_t st_now(const ArmCpu *c)
{
	if (st_core_clock(c))
		return c->cpu.insns + c->cpu.sleep_cycles;
	return soc_time_to_cycles(soc_cpu_local_time(&c->cpu), c->systick_ref_hz);
}

static SocTime st_tick_time(const ArmCpu *c, uint64_t tick)
{
	if (st_core_clock(c))
		return soc_cycles_to_time(tick, c->cpu.clock_hz);
	return soc_cycles_to_time(tick, c->systick_ref_hz);
}

/* Ticks after the anchor at which the counter reaches 0 from 1: first, then every period. */
static bool st_first_wrap(const ArmCpu *c, uint64_t *first)
{
	if (c->st_anchor_val)
		*first = c->st_anchor_val;
	else if (c->st_rvr)
		*first = (uint64_t)c->st_rvr + 1;
	else
		return false;
	return true;
}

static uint32_t st_value_at(const ArmCpu *c, uint64_t t)
{
	uint64_t e, k, period = (uint64_t)c->st_rvr + 1;
	if (!(c->st_csr & ST_ENABLE) || t <= c->st_anchor)
		return c->st_anchor_val;
	e = t - c->st_anchor;
	if (c->st_anchor_val && e <= c->st_anchor_val)
		return c->st_anchor_val - (uint32_t)e;
	if (!c->st_rvr)
		return 0;
	k = (e - c->st_anchor_val) % period;
	return k == 0 ? 0 : c->st_rvr - (uint32_t)k + 1;
}

/* The first wrap strictly after tick `after`, if any. */
static bool st_next_wrap(const ArmCpu *c, uint64_t after, uint64_t *tick)
{
	uint64_t first, period = (uint64_t)c->st_rvr + 1, t;
	if (!(c->st_csr & ST_ENABLE) || !st_first_wrap(c, &first))
		return false;
	t = c->st_anchor + first;
	if (t > after) {
		*tick = t;
		return true;
	}
	if (!c->st_rvr)
		return false;
	t += ((after - t) / period + 1) * period;
	*tick = t;
	return true;
}

static void st_rearm(ArmCpu *c)
{
	uint64_t tick;
	if ((c->st_csr & (ST_ENABLE | ST_TICKINT)) == (ST_ENABLE | ST_TICKINT) &&
	    st_next_wrap(c, st_now(c), &tick))
		soc_timer_arm(c->st_timer, st_tick_time(c, tick));
	else
		soc_timer_cancel(c->st_timer);
}

static void st_fire(void *opaque)
{
	ArmCpu *c = opaque;
	uint64_t tick;
	arm_set_pending(c, ARM_EXC_SYSTICK);
	/* The wrap that fired is the one due at the timer's time; arm the one after it. */
	if (st_next_wrap(c, st_core_clock(c) ? soc_time_to_cycles(soc_events_now(c->cpu.events), c->cpu.clock_hz)
	                                      : soc_time_to_cycles(soc_events_now(c->cpu.events), c->systick_ref_hz),
	                 &tick))
		soc_timer_arm(c->st_timer, st_tick_time(c, tick));
}

static bool st_flag(ArmCpu *c)
{
	uint64_t tick;
	if (c->st_flag)
		return true;
	return st_next_wrap(c, c->st_flag_clear, &tick) && tick <= st_now(c);
}

/* Freeze the counter at the current tick (before any change of its parameters). */
static void st_reanchor(ArmCpu *c)
{
	uint64_t now = st_now(c);
	c->st_flag = st_flag(c);
	c->st_anchor_val = st_value_at(c, now);
	c->st_anchor = now;
	c->st_flag_clear = now;
}

void arm_systick_init(ArmCpu *c)
{
	c->st_timer = soc_timer_new(c->cpu.events, st_fire, c);
}

void arm_systick_destroy(ArmCpu *c)
{
	soc_timer_free(c->st_timer);
	c->st_timer = NULL;
}

static uint32_t st_read(ArmCpu *c, uint32_t off)
{
	switch (off) {
	case 0x10: {
		uint32_t v = c->st_csr | (c->systick_ref_hz ? 0 : ST_CLKSOURCE);
		if (st_flag(c))
			v |= 1u << 16;
		c->st_flag = false;
		c->st_flag_clear = st_now(c);
		return v;
	}
	case 0x14: return c->st_rvr;
	case 0x18: return st_value_at(c, st_now(c));
	default:
		if (!c->systick_ref_hz)
			return 1u << 31 | 1u << 30;      /* NOREF, SKEW, no TENMS */
		return (c->systick_ref_hz / 100 - 1) & 0xFFFFFF;
	}
}

static void st_write(ArmCpu *c, uint32_t off, uint32_t v)
{
	st_reanchor(c);
	switch (off) {
	case 0x10:
		c->st_csr = v & (ST_ENABLE | ST_TICKINT | (c->systick_ref_hz ? ST_CLKSOURCE : 0));
		/* A change of clock: the frozen value continues on the new clock's ticks. */
		c->st_anchor = st_now(c);
		c->st_flag_clear = c->st_anchor;
		break;
	case 0x14:
		c->st_rvr = v & 0xFFFFFF;
		break;
	case 0x18:
		c->st_anchor_val = 0;
		c->st_flag = false;
		break;
	default:
		break;
	}
	st_rearm(c);
}

/* ---- DWT ---------------------------------------------------------------------------------- */

static bool cyccnt_running(const ArmCpu *c)
{
	return (c->demcr & (1u << 24)) && (c->dwt_ctrl & 1);
}

static uint32_t cyccnt(const ArmCpu *c)
{
	if (!cyccnt_running(c))
		return c->cyccnt_base;
	return c->cyccnt_base + (uint32_t)(c->cpu.insns - c->cyccnt_anchor);
}

static void cyccnt_freeze(ArmCpu *c)
{
	c->cyccnt_base = cyccnt(c);
	c->cyccnt_anchor = c->cpu.insns;
}

static uint32_t dwt_read(ArmCpu *c, uint32_t off)
{
	if (ARM_IS_V6M(c))
		return off == 0 ? c->model->dwt_comparators << 28 : 0;
	switch (off) {
	case 0x000: return c->model->dwt_comparators << 28 | 1u << 27 | c->dwt_ctrl;
	case 0x004: return cyccnt(c);
	case 0x01C: return c->pc;               /* PCSR */
	default: return 0;
	}
}

static void dwt_write(ArmCpu *c, uint32_t off, uint32_t v)
{
	if (ARM_IS_V6M(c))
		return;
	switch (off) {
	case 0x000:
		cyccnt_freeze(c);
		c->dwt_ctrl = v & 0x1FFFFFu;
		break;
	case 0x004:
		c->cyccnt_base = v;
		c->cyccnt_anchor = c->cpu.insns;
		break;
	default:
		break;
	}
}

/* ---- the SCB and NVIC -------------------------------------------------------------------------- */

uint32_t arm_shcsr(const ArmCpu *c)
{
	static const struct { unsigned exc, act, pend; } map[] = {
		{ ARM_EXC_MEMMANAGE, 0, 13 }, { ARM_EXC_BUSFAULT, 1, 14 }, { ARM_EXC_USAGEFAULT, 3, 12 },
		{ ARM_EXC_SVCALL, 7, 15 }, { ARM_EXC_DEBUGMON, 8, 32 }, { ARM_EXC_PENDSV, 10, 32 },
		{ ARM_EXC_SYSTICK, 11, 32 },
	};
	uint32_t v = c->shcsr_en;
	if (ARM_IS_V6M(c))
		return arm_bit(c->pend, ARM_EXC_SVCALL) ? 1u << 15 : 0;
	for (unsigned k = 0; k < G_N_ELEMENTS(map); k++) {
		if (arm_bit(c->act, map[k].exc))
			v |= 1u << map[k].act;
		if (map[k].pend < 32 && arm_bit(c->pend, map[k].exc))
			v |= 1u << map[k].pend;
	}
	return v;
}

static void write_shcsr(ArmCpu *c, uint32_t v)
{
	static const struct { unsigned exc, act, pend; } map[] = {
		{ ARM_EXC_MEMMANAGE, 0, 13 }, { ARM_EXC_BUSFAULT, 1, 14 }, { ARM_EXC_USAGEFAULT, 3, 12 },
		{ ARM_EXC_SVCALL, 7, 15 }, { ARM_EXC_DEBUGMON, 8, 32 }, { ARM_EXC_PENDSV, 10, 32 },
		{ ARM_EXC_SYSTICK, 11, 32 },
	};
	if (ARM_IS_V6M(c)) {
		if (v & (1u << 15))
			arm_bit_set(c->pend, ARM_EXC_SVCALL);
		else
			arm_bit_clear(c->pend, ARM_EXC_SVCALL);
		arm_update_irq(c);
		return;
	}
	/* Writing the active and pending bits is how an RTOS switches fault contexts: allowed. */
	for (unsigned k = 0; k < G_N_ELEMENTS(map); k++) {
		if (v & (1u << map[k].act))
			arm_bit_set(c->act, map[k].exc);
		else
			arm_bit_clear(c->act, map[k].exc);
		if (map[k].pend < 32) {
			if (v & (1u << map[k].pend))
				arm_bit_set(c->pend, map[k].exc);
			else
				arm_bit_clear(c->pend, map[k].exc);
		}
	}
	c->shcsr_en = v & (7u << 16);
	arm_update_irq(c);
	arm_set_mpu_ctx(c);
}

static uint32_t icsr(const ArmCpu *c)
{
	uint32_t v = c->ipsr;
	bool isr_pending = false;
	for (unsigned w = 0; w < ARM_EXC_WORDS && !isr_pending; w++) {
		uint32_t p = c->pend[w];
		if (w == 0)
			p &= 0xFFFF0000u;
		isr_pending = p != 0;
	}
	if (!ARM_IS_V6M(c) && c->n_active <= 1)
		v |= 1u << 11;                  /* RETTOBASE */
	if (c->best_exc)
		v |= (uint32_t)c->best_exc << 12;
	if (isr_pending)
		v |= 1u << 22;
	if (arm_bit(c->pend, ARM_EXC_SYSTICK))
		v |= 1u << 26;
	if (arm_bit(c->pend, ARM_EXC_PENDSV))
		v |= 1u << 28;
	if (arm_bit(c->pend, ARM_EXC_NMI))
		v |= 1u << 31;
	return v;
}

static void write_icsr(ArmCpu *c, uint32_t v)
{
	if (v & (1u << 31))
		arm_bit_set(c->pend, ARM_EXC_NMI);
	if (v & (1u << 28))
		arm_bit_set(c->pend, ARM_EXC_PENDSV);
	else if (v & (1u << 27))
		arm_bit_clear(c->pend, ARM_EXC_PENDSV);
	if (v & (1u << 26))
		arm_bit_set(c->pend, ARM_EXC_SYSTICK);
	else if (v & (1u << 25))
		arm_bit_clear(c->pend, ARM_EXC_SYSTICK);
	arm_update_irq(c);
}

static void write_aircr(ArmCpu *c, uint32_t v)
{
	if ((v >> 16) != 0x05FA)
		return;
	if (!ARM_IS_V6M(c)) {
		c->prigroup = (v >> 8) & 7;
		arm_update_irq(c);
	}
	if (v & (1u << 2)) {
		soc_log(c->cpu.log, SOC_LOG_INT, "int: %s requests a system reset (AIRCR.SYSRESETREQ)", c->cpu.path);
		if (c->cpu.machine)
			soc_machine_request_shutdown(c->cpu.machine, SOC_SHUTDOWN_RESET, 0, c->cpu.path,
			                             "system reset requested (AIRCR.SYSRESETREQ)");
		c->slow |= ARM_SLOW_STOP;
		soc_cpu_kick(&c->cpu);
	}
}

static void update_alignment(ArmCpu *c)
{
	bool trap = ARM_IS_V6M(c) || (c->ccr & ARM_CCR_UNALIGN_TRP);
	c->amask_w = trap ? 3 : 0;
	c->amask_h = trap ? 1 : 0;
}

static void write_ccr(ArmCpu *c, uint32_t v)
{
	uint32_t writable;
	if (ARM_IS_V6M(c))
		return;
	if (ARM_IS_V8M(c))
		writable = ARM_CCR_USERSETMPEND | ARM_CCR_UNALIGN_TRP | ARM_CCR_DIV_0_TRP | ARM_CCR_BFHFNMIGN |
		           ARM_CCR_STKOFHFNMIGN | 7u << 16;
	else
		writable = ARM_CCR_NONBASETHRDENA | ARM_CCR_USERSETMPEND | ARM_CCR_UNALIGN_TRP |
		           ARM_CCR_DIV_0_TRP | ARM_CCR_BFHFNMIGN | ARM_CCR_STKALIGN |
		           ((c->feat & ARM_FT_FPDP) ? 7u << 16 : 0);
	c->ccr = (c->ccr & ~writable) | (v & writable);
	update_alignment(c);
}

/* Exceptions 4..15 whose priority SHPR1-3 hold. */
static bool shpr_exc(unsigned exc)
{
	return exc == 4 || exc == 5 || exc == 6 || exc == 11 || exc == 12 || exc == 14 || exc == 15;
}

static uint8_t prio_read(const ArmCpu *c, unsigned exc)
{
	if (exc < ARM_EXC_IRQ0 ? !shpr_exc(exc) : exc >= ARM_EXC_IRQ0 + c->n_irqs)
		return 0;
	if (ARM_IS_V6M(c) && exc >= 4 && exc <= 12 && exc != 11)
		return 0;
	return c->prio[exc];
}

static void prio_write(ArmCpu *c, unsigned exc, uint8_t v)
{
	if (exc < ARM_EXC_IRQ0 ? !shpr_exc(exc) : exc >= ARM_EXC_IRQ0 + c->n_irqs)
		return;
	if (ARM_IS_V6M(c) && exc >= 4 && exc <= 12 && exc != 11)
		return;
	c->prio[exc] = v & c->prio_mask;
}

static uint32_t nvic_bits(const ArmCpu *c, const uint32_t *map, unsigned word)
{
	/* Word k of ISER etc. covers IRQs 32k..32k+31, i.e. exceptions 16+32k.. */
	unsigned first = ARM_EXC_IRQ0 + 32 * word;
	uint32_t v = 0;
	for (unsigned b = 0; b < 32; b++) {
		unsigned exc = first + b;
		if (exc < ARM_EXC_IRQ0 + c->n_irqs && arm_bit(map, exc))
			v |= 1u << b;
	}
	return v;
}

static void nvic_write_bits(ArmCpu *c, unsigned reg, unsigned word, uint32_t v)
{
	unsigned first = ARM_EXC_IRQ0 + 32 * word;
	for (unsigned b = 0; b < 32; b++) {
		unsigned exc = first + b;
		if (!(v >> b & 1) || exc >= ARM_EXC_IRQ0 + c->n_irqs)
			continue;
		switch (reg) {
		case 0: arm_bit_set(c->en, exc); break;
		case 1: arm_bit_clear(c->en, exc); break;
		case 2:
			if (!arm_bit(c->pend, exc) && (c->scr & (1u << 4)))
				c->event = true;
			arm_bit_set(c->pend, exc);
			break;
		case 3:
			/* A level-sensitive line still high keeps its interrupt pending. */
			if (!arm_bit(c->level, exc) || arm_bit(c->act, exc))
				arm_bit_clear(c->pend, exc);
			break;
		default: break;
		}
	}
	arm_update_irq(c);
}

static uint32_t id_reg(const ArmCpu *c, uint32_t off)
{
	const ArmCoreModel *m = c->model;
	switch (off) {
	case 0xD40: return m->id_pfr0;
	case 0xD44: return m->id_pfr1;
	case 0xD48: return m->id_dfr0;
	case 0xD50: return m->id_mmfr0;
	case 0xD60: case 0xD64: case 0xD68: case 0xD6C: case 0xD70: return m->id_isar[(off - 0xD60) / 4];
	default: return 0;
	}
}

static uint32_t cache_id(const ArmCpu *c, uint32_t off)
{
	/* Cortex-M7: 16 KiB 2-way instruction and 16 KiB 4-way data caches, 32-byte lines. */
	if (!(c->feat & ARM_FT_FPDP))
		return 0;
	switch (off) {
	case 0xD78: return 0x09000003u;
	case 0xD7C: return 0x8303C003u;
	case 0xD80: return (c->actlr & (1u << 31)) ? 0 : 0x000FE019u;
	default: return 0;
	}
}

/* The SCS at 0xE000E000, word-sized view. `known` is cleared for reserved locations. */
static uint32_t scs_read32(ArmCpu *c, uint32_t off, bool *known)
{
	*known = true;
	if (off >= 0x010 && off <= 0x01C)
		return st_read(c, off);
	if (off >= 0x100 && off < 0x140)
		return nvic_bits(c, c->en, (off - 0x100) / 4);
	if (off >= 0x180 && off < 0x1C0)
		return nvic_bits(c, c->en, (off - 0x180) / 4);
	if (off >= 0x200 && off < 0x240)
		return nvic_bits(c, c->pend, (off - 0x200) / 4);
	if (off >= 0x280 && off < 0x2C0)
		return nvic_bits(c, c->pend, (off - 0x280) / 4);
	if (off >= 0x300 && off < 0x340)
		return ARM_IS_V6M(c) ? 0 : nvic_bits(c, c->act, (off - 0x300) / 4);
	if (off >= 0x400 && off < 0x5F0) {
		unsigned exc = ARM_EXC_IRQ0 + (off - 0x400);
		return (uint32_t)prio_read(c, exc) | (uint32_t)prio_read(c, exc + 1) << 8 |
		       (uint32_t)prio_read(c, exc + 2) << 16 | (uint32_t)prio_read(c, exc + 3) << 24;
	}
	if (off >= 0xD18 && off <= 0xD20) {
		unsigned exc = 4 + (off - 0xD18);
		return (uint32_t)prio_read(c, exc) | (uint32_t)prio_read(c, exc + 1) << 8 |
		       (uint32_t)prio_read(c, exc + 2) << 16 | (uint32_t)prio_read(c, exc + 3) << 24;
	}
	if (off >= 0xD90 && off <= 0xDC4)
		return c->mpu_nregions ? arm_mpu_read(c, off) : 0;
	if (off >= 0xD40 && off <= 0xD70)
		return id_reg(c, off);
	switch (off) {
	case 0x004: return (c->n_irqs + 31) / 32 - 1;
	case 0x008: return c->actlr;
	case 0xD00: return c->model->cpuid;
	case 0xD04: return icsr(c);
	case 0xD08: return c->vtor;
	case 0xD0C: return 0xFA050000u | (ARM_IS_V6M(c) ? 0 : c->prigroup << 8);
	case 0xD10: return c->scr;
	case 0xD14: return c->ccr;
	case 0xD24: return arm_shcsr(c);
	case 0xD28: return ARM_IS_V6M(c) ? 0 : c->cfsr;
	case 0xD2C: return ARM_IS_V6M(c) ? 0 : c->hfsr;
	case 0xD30: return c->dfsr;
	case 0xD34: return ARM_IS_V6M(c) ? 0 : c->mmfar;
	case 0xD38: return ARM_IS_V6M(c) ? 0 : c->bfar;
	case 0xD78: case 0xD7C: case 0xD80: return cache_id(c, off);
	case 0xD84: return (c->feat & ARM_FT_FPDP) ? c->actlr >> 31 : 0;
	case 0xD88: return (c->feat & ARM_FT_FP) ? c->cpacr : 0;
	case 0xDF0: return 0;                   /* DHCSR: no debugger */
	case 0xDFC: return c->demcr;
	case 0xF34: return (c->feat & ARM_FT_FP) ? c->fpccr : 0;
	case 0xF38: return (c->feat & ARM_FT_FP) ? c->fpcar : 0;
	case 0xF3C: return (c->feat & ARM_FT_FP) ? c->fpdscr : 0;
	case 0xF40: return c->model->mvfr0;
	case 0xF44: return c->model->mvfr1;
	case 0xF48: return c->model->mvfr2;
	case 0xFE0: return 0x0C;                /* peripheral ID: SCS */
	case 0xFE4: return 0xB0;
	case 0xFE8: return 0x0B;
	case 0xFF0: return 0x0D;                /* component ID */
	case 0xFF4: return 0xE0;
	case 0xFF8: return 0x05;
	case 0xFFC: return 0xB1;
	case 0xD3C: case 0xDF4: case 0xDF8: case 0xF00: case 0x000:
		return 0;
	default:
		*known = false;
		return 0;
	}
}

static void scs_write32(ArmCpu *c, uint32_t off, uint32_t v, bool *known)
{
	*known = true;
	if (off >= 0x010 && off <= 0x018) {
		st_write(c, off, v);
		return;
	}
	if (off >= 0x100 && off < 0x300) {
		nvic_write_bits(c, (off - 0x100) / 0x80, (off & 0x7F) / 4, v);
		return;
	}
	if (off >= 0x400 && off < 0x5F0) {
		unsigned exc = ARM_EXC_IRQ0 + (off - 0x400);
		for (unsigned b = 0; b < 4; b++)
			prio_write(c, exc + b, (uint8_t)(v >> (8 * b)));
		arm_update_irq(c);
		return;
	}
	if (off >= 0xD18 && off <= 0xD20) {
		unsigned exc = 4 + (off - 0xD18);
		for (unsigned b = 0; b < 4; b++)
			prio_write(c, exc + b, (uint8_t)(v >> (8 * b)));
		arm_update_irq(c);
		return;
	}
	if (off >= 0xD90 && off <= 0xDC4) {
		if (c->mpu_nregions)
			arm_mpu_write(c, off, v);
		return;
	}
	switch (off) {
	case 0x008: c->actlr = v; break;
	case 0xD04: write_icsr(c, v); break;
	case 0xD08:
		if (c->model->cpuid != 0x410CC200u)  /* Cortex-M0 has no VTOR */
			c->vtor = v & (ARM_IS_V6M(c) ? ~0xFFu : ~0x7Fu);
		break;
	case 0xD0C: write_aircr(c, v); break;
	case 0xD10:
		c->scr = v & 0x16u;
		break;
	case 0xD14: write_ccr(c, v); break;
	case 0xD24: write_shcsr(c, v); break;
	case 0xD28:
		if (!ARM_IS_V6M(c))
			c->cfsr &= ~v;
		break;
	case 0xD2C:
		if (!ARM_IS_V6M(c))
			c->hfsr &= ~(v & (ARM_HFSR_VECTTBL | ARM_HFSR_FORCED | ARM_HFSR_DEBUGEVT));
		break;
	case 0xD30: c->dfsr &= ~v; break;
	case 0xD34: if (!ARM_IS_V6M(c)) c->mmfar = v; break;
	case 0xD38: if (!ARM_IS_V6M(c)) c->bfar = v; break;
	case 0xD84: if (c->feat & ARM_FT_FPDP) c->actlr = (c->actlr & 0x7FFFFFFFu) | (v & 1u) << 31; break;
	case 0xD88:
		if (c->feat & ARM_FT_FP) {
			c->cpacr = v & (0xFu << 20);
			arm_fp_update_ready(c);
		}
		break;
	case 0xDFC:
		cyccnt_freeze(c);
		c->demcr = v & 0x010F07F1u;
		arm_update_irq(c);
		break;
	case 0xF00:
		if (!ARM_IS_V6M(c) && (v & 0x1FF) < c->n_irqs) {
			unsigned exc = ARM_EXC_IRQ0 + (v & 0x1FF);
			if (!arm_bit(c->pend, exc) && (c->scr & (1u << 4)))
				c->event = true;
			arm_set_pending(c, exc);
		}
		break;
	case 0xF34:
		if (c->feat & ARM_FT_FP) {
			c->fpccr = v & (ARM_FPCCR_LSPACT | ARM_FPCCR_USER | ARM_FPCCR_THREAD | ARM_FPCCR_HFRDY |
			                ARM_FPCCR_MMRDY | ARM_FPCCR_BFRDY | ARM_FPCCR_MONRDY | ARM_FPCCR_LSPEN |
			                ARM_FPCCR_ASPEN | (ARM_IS_V8M(c) ? ARM_FPCCR_SPLIMVIOL | ARM_FPCCR_UFRDY : 0));
			arm_fp_update_ready(c);
		}
		break;
	case 0xF38: if (c->feat & ARM_FT_FP) c->fpcar = v & ~7u; break;
	case 0xF3C: if (c->feat & ARM_FT_FP) c->fpdscr = v & 0x07C00000u; break;
	case 0xD3C: case 0xDF0: case 0xDF4: case 0xDF8: case 0x000:
		break;
	default:
		/* Cache maintenance (Cortex-M7) has nothing to do. */
		if (off >= 0xF50 && off <= 0xF78 && (c->feat & ARM_FT_FPDP))
			break;
		*known = false;
		break;
	}
}

/* ---- the PPB ------------------------------------------------------------------------------ */

static uint32_t ppb_read32(ArmCpu *c, uint32_t a, bool *known)
{
	*known = true;
	if (a >= 0xE000E000u && a < 0xE000F000u)
		return scs_read32(c, a - 0xE000E000u, known);
	if (a >= 0xE0001000u && a < 0xE0002000u)
		return dwt_read(c, a - 0xE0001000u);
	/* ITM, FPB, TPIU, ETM, ROM table: present as nothing (read as zero). */
	return 0;
}

static void ppb_write32(ArmCpu *c, uint32_t a, uint32_t v, bool *known)
{
	*known = true;
	if (a >= 0xE000E000u && a < 0xE000F000u)
		scs_write32(c, a - 0xE000E000u, v, known);
	else if (a >= 0xE0001000u && a < 0xE0002000u)
		dwt_write(c, a - 0xE0001000u, v);
}

bool arm_ppb_read(ArmCpu *c, uint32_t addr, unsigned size, uint32_t *value)
{
	uint32_t word = addr & ~3u, shift = (addr & 3) * 8, v;
	bool known;
	if (size == 4 && (addr & 3))
		return false;
	v = ppb_read32(c, word, &known);
	*value = size == 4 ? v : (v >> shift) & (size == 2 ? 0xFFFFu : 0xFFu);
	return true;
}

bool arm_ppb_write(ArmCpu *c, uint32_t addr, unsigned size, uint32_t value)
{
	uint32_t word = addr & ~3u, shift = (addr & 3) * 8, off = word - 0xE000E000u, v;
	bool known = true;

	if (size == 4 && (addr & 3))
		return false;
	if (size < 4) {
		uint32_t lane = (size == 2 ? 0xFFFFu : 0xFFu) << shift;
		value = (value << shift) & lane;
		if (word >= 0xE000E000u && ((off >= 0x400 && off < 0x5F0) || (off >= 0xD18 && off <= 0xD20))) {
			/* Priority bytes: only the addressed ones change. */
			for (unsigned b = 0; b < 4; b++) {
				if (lane >> (8 * b) & 0xFF) {
					unsigned exc = off >= 0x400 && off < 0x5F0 ? ARM_EXC_IRQ0 + (off - 0x400) + b
					                                           : 4 + (off - 0xD18) + b;
					prio_write(c, exc, (uint8_t)(value >> (8 * b)));
				}
			}
			arm_update_irq(c);
			return true;
		}
		if (word == 0xE000ED28u) {
			/* CFSR: write-one-to-clear per byte lane. */
			if (!ARM_IS_V6M(c))
				c->cfsr &= ~value;
			return true;
		}
		v = ppb_read32(c, word, &known);
		value = (v & ~lane) | value;
	}
	ppb_write32(c, word, value, &known);
	if (!known)
		soc_log(c->cpu.log, SOC_LOG_UNIMP, "%s: pc 0x%08x: write of 0x%08x to unimplemented system register 0x%08x",
		        c->cpu.path, c->pc, value, word);
	return true;
}

void arm_scs_reset(ArmCpu *c)
{
	c->vtor = c->reset_vtor;
	c->prigroup = 0;
	c->scr = 0;
	c->ccr = c->model->ccr_reset;
	c->shcsr_en = 0;
	c->cfsr = c->hfsr = c->dfsr = c->mmfar = c->bfar = 0;
	c->demcr = 0;
	c->actlr = 0;
	c->cpacr = 0;
	c->fpccr = (c->feat & ARM_FT_FP) ? (ARM_FPCCR_ASPEN | ARM_FPCCR_LSPEN) : 0;
	c->fpcar = 0;
	c->fpdscr = 0;
	update_alignment(c);
	c->st_csr = 0;
	c->st_rvr = 0;
	c->st_anchor = 0;
	c->st_anchor_val = 0;
	c->st_flag = false;
	c->st_flag_clear = 0;
	if (c->st_timer)
		soc_timer_cancel(c->st_timer);
	c->dwt_ctrl = 0;
	c->cyccnt_base = 0;
	c->cyccnt_anchor = c->cpu.insns;
	arm_mpu_reset(c);
}
