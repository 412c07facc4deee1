/* cpus/riscv/csr.c — privileged state of the RISC-V harts (privileged architecture 1.12):
 * CSRs, traps and interrupts, xRET, WFI, PMP.
 *
 * Implemented CSRs (everything else raises illegal instruction, as OpenSBI's probing expects):
 *   U: cycle time instret hpmcounter3-31 (+h on RV32), gated by mcounteren/scounteren;
 *   S (when S-mode exists): sstatus sie stvec scounteren senvcfg sscratch sepc scause stval sip
 *      satp (Bare only: a write selecting any other mode is ignored, WARL; TVM traps S access);
 *   M: mvendorid marchid mimpid (0) mhartid mconfigptr (0) mstatus (+mstatush on RV32) misa
 *      (read-only) medeleg mideleg (S only) mie mtvec mcounteren menvcfg (+h) (U only)
 *      mcountinhibit mhpmevent3-31 (read 0) mscratch mepc mcause mtval mip pmpcfg0-3 (even ones
 *      on RV64) pmpaddr0-15 mcycle minstret mhpmcounter3-31 (read 0) (+h on RV32).
 * mcycle counts the hart's cycles (retired instructions plus cycles asleep, one instruction per
 * cycle), minstret its retired instructions; a CSR write to either is the value the next
 * instruction reads. time is the hart's local virtual time in timebase-frequency ticks (its own
 * cycles when the tree gives no timebase). */
#include "cpus/riscv/internal.h"
#include "core/machine.h"
#include "core/irq.h"
#include "core/log.h"

#include <string.h>

#define MEDELEG_MASK 0xb3ffull          /* every synchronous cause but ecall from M */
#define SSTATUS_VIEW (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_FS | \
                      MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL)
#define SSTATUS_WRITE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR)

static const char *const cause_names[16] = {
	"instruction address misaligned", "instruction access fault", "illegal instruction",
	"breakpoint", "load address misaligned", "load access fault",
	"store/AMO address misaligned", "store/AMO access fault", "environment call from U-mode",
	"environment call from S-mode", "reserved", "environment call from M-mode",
	"instruction page fault", "load page fault", "reserved", "store/AMO page fault",
};

unsigned rv_data_priv(const RvCpu *cpu)
{
	if (cpu->priv == RV_PRIV_M && (cpu->mstatus & MSTATUS_MPRV))
		return (unsigned)((cpu->mstatus >> MSTATUS_MPP_SHIFT) & 3);
	return cpu->priv;
}

void rv_update_priv_caches(RvCpu *cpu)
{
	rv_priv_tables(cpu);
	cpu->dtlb = cpu->tlb[rv_data_priv(cpu)];
	cpu->jc = cpu->jcache[cpu->priv];
	cpu->chain_tag = cpu->chain_epoch << 2 | cpu->priv;
}

uint64_t rv_read_mip(const RvCpu *cpu)
{
	return cpu->mip | (cpu->seip_line ? MIP_SEIP : 0);
}

/* The interrupt to take now, or -1. */
static int irq_to_take(const RvCpu *cpu)
{
	static const int order[] = { 11, 3, 7, 9, 1, 5 };
	uint64_t pend = rv_read_mip(cpu) & cpu->mie;
	uint64_t m, s;
	bool m_en, s_en;

	if (!pend)
		return -1;
	m = pend & ~cpu->mideleg;
	s = pend & cpu->mideleg;
	m_en = cpu->priv < RV_PRIV_M || (cpu->mstatus & MSTATUS_MIE);
	s_en = cpu->priv < RV_PRIV_S || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_SIE));
	for (unsigned i = 0; m_en && m && i < G_N_ELEMENTS(order); i++)
		if (m & (1ull << order[i]))
			return order[i];
	for (unsigned i = 0; s_en && s && i < G_N_ELEMENTS(order); i++)
		if (s & (1ull << order[i]))
			return order[i];
	return -1;
}

void rv_update_irq(RvCpu *cpu)
{
	cpu->irq_ready = irq_to_take(cpu) >= 0;
}

uint64_t rv_cycles_now(const RvCpu *cpu)
{
	return cpu->common.insns + cpu->common.sleep_cycles;
}

static uint64_t tvec_target(uint64_t tvec, bool intr, unsigned cause)
{
	uint64_t base = tvec & ~(uint64_t)3;
	return (tvec & 1) && intr ? base + 4ull * cause : base;
}

static void trap(RvCpu *cpu, unsigned cause, bool intr, uint64_t tval, uint64_t epc)
{
	uint64_t deleg = intr ? cpu->mideleg : cpu->medeleg;
	uint64_t code = (intr ? 1ull << (cpu->xlen - 1) : 0) | cause;
	unsigned from = cpu->priv;

	epc &= cpu->xmask & ~(uint64_t)1;
	tval &= cpu->xmask;
	if (cpu->has_s && cpu->priv <= RV_PRIV_S && ((deleg >> cause) & 1)) {
		cpu->scause = code;
		cpu->sepc = epc;
		cpu->stval = tval;
		cpu->mstatus &= ~(MSTATUS_SPIE | MSTATUS_SPP);
		if (cpu->mstatus & MSTATUS_SIE)
			cpu->mstatus |= MSTATUS_SPIE;
		if (cpu->priv == RV_PRIV_S)
			cpu->mstatus |= MSTATUS_SPP;
		cpu->mstatus &= ~MSTATUS_SIE;
		cpu->priv = RV_PRIV_S;
		cpu->pc = tvec_target(cpu->stvec, intr, cause) & cpu->xmask;
	} else {
		cpu->mcause = code;
		cpu->mepc = epc;
		cpu->mtval = tval;
		cpu->mstatus &= ~(MSTATUS_MPIE | MSTATUS_MPP);
		if (cpu->mstatus & MSTATUS_MIE)
			cpu->mstatus |= MSTATUS_MPIE;
		cpu->mstatus |= (uint64_t)cpu->priv << MSTATUS_MPP_SHIFT;
		cpu->mstatus &= ~MSTATUS_MIE;
		cpu->priv = RV_PRIV_M;
		cpu->pc = tvec_target(cpu->mtvec, intr, cause) & cpu->xmask;
	}
	soc_log(cpu->common.log, SOC_LOG_INT,
	        "int: %s %s %u (%s) at pc 0x%" G_GINT64_MODIFIER "x, tval 0x%" G_GINT64_MODIFIER "x: %c-mode -> %c-mode, pc 0x%" G_GINT64_MODIFIER "x",
	        cpu->common.path, intr ? "interrupt" : "exception", cause,
	        intr ? "" : cause_names[cause & 15], epc, tval, "US?M"[from], "US?M"[cpu->priv], cpu->pc);
	rv_update_priv_caches(cpu);
	rv_update_irq(cpu);
}

void rv_raise(RvCpu *cpu, unsigned cause, uint64_t tval, uint64_t epc)
{
	/* A trap that leads straight to another, forever, without any instruction completing
	 * (e.g. mtvec pointing at unmapped memory) would stop virtual time: report it instead. */
	if (cpu->common.insns == cpu->last_trap_insns) {
		if (++cpu->traps_without_progress >= 1000) {
			cpu->common.state = SOC_CPU_LOCKED_UP;
			g_free(cpu->common.stop_reason);
			cpu->common.stop_reason = g_strdup_printf(
			    "%s: endless exception loop: %s at pc 0x%" G_GINT64_MODIFIER "x (tval 0x%"
			    G_GINT64_MODIFIER "x) with no instruction completing (mtvec 0x%" G_GINT64_MODIFIER
			    "x, stvec 0x%" G_GINT64_MODIFIER "x)",
			    cpu->common.path, cause_names[cause & 15], epc & cpu->xmask, tval & cpu->xmask,
			    cpu->mtvec, cpu->stvec);
			cpu->common.stop_at = cpu->common.insns;
			return;
		}
	} else {
		cpu->last_trap_insns = cpu->common.insns;
		cpu->traps_without_progress = 0;
	}
	trap(cpu, cause, false, tval, epc);
}

void rv_take_interrupt(RvCpu *cpu)
{
	int irq = irq_to_take(cpu);
	if (irq < 0) {
		cpu->irq_ready = false;
		return;
	}
	trap(cpu, (unsigned)irq, true, 0, cpu->pc);
}

static void illegal(RvCpu *cpu, uint32_t raw, uint64_t epc)
{
	rv_raise(cpu, RV_EXC_ILLEGAL, raw, epc);
}

static uint64_t epc_mask(const RvCpu *cpu)
{
	return cpu->xmask & (cpu->has_c ? ~(uint64_t)1 : ~(uint64_t)3);
}

bool rv_mret(RvCpu *cpu, uint64_t epc)
{
	unsigned mpp;
	if (cpu->priv != RV_PRIV_M) {
		illegal(cpu, 0x30200073, epc);
		return false;
	}
	mpp = (unsigned)((cpu->mstatus >> MSTATUS_MPP_SHIFT) & 3);
	cpu->mstatus &= ~(MSTATUS_MIE | MSTATUS_MPP);
	if (cpu->mstatus & MSTATUS_MPIE)
		cpu->mstatus |= MSTATUS_MIE;
	cpu->mstatus |= MSTATUS_MPIE;
	cpu->mstatus |= (uint64_t)(cpu->has_u ? RV_PRIV_U : RV_PRIV_M) << MSTATUS_MPP_SHIFT;
	if (mpp != RV_PRIV_M)
		cpu->mstatus &= ~MSTATUS_MPRV;
	cpu->priv = mpp;
	cpu->pc = cpu->mepc & epc_mask(cpu);
	cpu->common.insns++;
	rv_update_priv_caches(cpu);
	rv_update_irq(cpu);
	return true;
}

bool rv_sret(RvCpu *cpu, uint64_t epc)
{
	unsigned spp;
	if (cpu->priv < RV_PRIV_S || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TSR))) {
		illegal(cpu, 0x10200073, epc);
		return false;
	}
	spp = (cpu->mstatus & MSTATUS_SPP) ? RV_PRIV_S : RV_PRIV_U;
	cpu->mstatus &= ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV);
	if (cpu->mstatus & MSTATUS_SPIE)
		cpu->mstatus |= MSTATUS_SIE;
	cpu->mstatus |= MSTATUS_SPIE;
	cpu->priv = spp;
	cpu->pc = cpu->sepc & epc_mask(cpu);
	cpu->common.insns++;
	rv_update_priv_caches(cpu);
	rv_update_irq(cpu);
	return true;
}

bool rv_wfi(RvCpu *cpu, uint64_t epc)
{
	if ((cpu->priv < RV_PRIV_M && (cpu->mstatus & MSTATUS_TW)) ||
	    (cpu->priv == RV_PRIV_U && cpu->has_s)) {
		illegal(cpu, 0x10500073, epc);
		return false;
	}
	cpu->common.insns++;
	cpu->pc = (epc + 4) & cpu->xmask;
	/* Wakes on any interrupt pending and enabled in mie, whatever mstatus says. */
	if (!(rv_read_mip(cpu) & cpu->mie))
		cpu->common.state = SOC_CPU_SLEEPING;
	return true;
}

bool rv_sfence_vma(RvCpu *cpu, uint64_t epc, uint32_t raw)
{
	if (cpu->priv == RV_PRIV_U || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TVM))) {
		illegal(cpu, raw, epc);
		return false;
	}
	rv_tlb_flush(cpu);
	cpu->common.insns++;
	cpu->pc = (epc + 4) & cpu->xmask;
	return true;
}

void rv_ecall(RvCpu *cpu, uint64_t epc)
{
	static const unsigned cause[4] = { RV_EXC_ECALL_U, RV_EXC_ECALL_S, 10, RV_EXC_ECALL_M };
	rv_raise(cpu, cause[cpu->priv & 3], 0, epc);
}

static bool read_word(RvCpu *cpu, uint64_t addr, uint32_t *w)
{
	return soc_as_read_bytes(cpu->common.as, addr & cpu->xmask, w, 4, NULL);
}

void rv_ebreak(RvCpu *cpu, uint64_t epc, uint32_t raw)
{
	uint32_t before, after;

	/* slli x0,x0,0x1f; ebreak; srai x0,x0,7 — all uncompressed. */
	if (cpu->semihost_fn && raw == 0x00100073 &&
	    read_word(cpu, epc - 4, &before) && before == 0x01f01013 &&
	    read_word(cpu, epc + 4, &after) && after == 0x40705013 &&
	    cpu->semihost_fn(cpu->semihost_opaque, &cpu->common)) {
		cpu->common.insns++;
		cpu->pc = (epc + 4) & cpu->xmask;
		return;
	}
	rv_raise(cpu, RV_EXC_BREAKPOINT, epc, epc);
}

/* ---- PMP ------------------------------------------------------------------------------------ */

static void pmp_update(RvCpu *cpu)
{
	cpu->pmp_active = false;
	for (unsigned i = 0; i < RV_PMP_N; i++) {
		unsigned a = (cpu->pmpcfg[i] >> PMP_A_SHIFT) & 3;
		uint64_t addr = cpu->pmpaddr[i];
		cpu->pmp_lo[i] = 1;
		cpu->pmp_hi[i] = 0;
		switch (a) {
		case 0:
			continue;
		case 1:   /* TOR */
			cpu->pmp_lo[i] = i ? cpu->pmpaddr[i - 1] << 2 : 0;
			cpu->pmp_hi[i] = addr << 2;
			break;
		case 2:   /* NA4 */
			cpu->pmp_lo[i] = addr << 2;
			cpu->pmp_hi[i] = (addr << 2) + 4;
			break;
		default: { /* NAPOT */
			unsigned ones = (unsigned)__builtin_ctzll(~addr);
			cpu->pmp_lo[i] = (addr & ~((1ull << ones) - 1)) << 2;
			cpu->pmp_hi[i] = cpu->pmp_lo[i] + (1ull << (ones + 3));
			break;
		}
		}
		cpu->pmp_active = true;
	}
	rv_tlb_flush(cpu);
	rv_jc_flush(cpu);
}

bool rv_pmp_check(const RvCpu *cpu, uint64_t addr, uint64_t size, unsigned perm, unsigned priv)
{
	uint64_t end = addr + size;
	if (!cpu->pmp_active)
		return priv == RV_PRIV_M;
	for (unsigned i = 0; i < RV_PMP_N; i++) {
		uint64_t lo = cpu->pmp_lo[i], hi = cpu->pmp_hi[i];
		if (lo >= hi || end <= lo || addr >= hi)
			continue;
		if (addr < lo || end > hi)
			return false;   /* a partial match fails, whatever the mode and bits */
		if (priv == RV_PRIV_M && !(cpu->pmpcfg[i] & PMP_L))
			return true;
		return (cpu->pmpcfg[i] & perm) != 0;
	}
	return priv == RV_PRIV_M;
}

int rv_pmp_page(const RvCpu *cpu, uint64_t page, unsigned priv)
{
	uint64_t end = page + SOC_PAGE_SIZE;
	const int all = PMP_R | PMP_W | PMP_X;
	if (!cpu->pmp_active)
		return priv == RV_PRIV_M ? all : 0;
	for (unsigned i = 0; i < RV_PMP_N; i++) {
		uint64_t lo = cpu->pmp_lo[i], hi = cpu->pmp_hi[i];
		if (lo >= hi || end <= lo || page >= hi)
			continue;
		if (page < lo || end > hi)
			return -1;
		if (priv == RV_PRIV_M && !(cpu->pmpcfg[i] & PMP_L))
			return all;
		return cpu->pmpcfg[i] & all;
	}
	return priv == RV_PRIV_M ? all : 0;
}

static void pmpcfg_write_entry(RvCpu *cpu, unsigned i, uint8_t v)
{
	if (cpu->pmpcfg[i] & PMP_L)
		return;
	v &= 0x9f;
	if ((v & (PMP_R | PMP_W)) == PMP_W)
		v &= (uint8_t)~PMP_W;   /* W without R is reserved: WARL to no access */
	cpu->pmpcfg[i] = v;
}

static void pmpaddr_write(RvCpu *cpu, unsigned i, uint64_t v)
{
	if (cpu->pmpcfg[i] & PMP_L)
		return;
	if (i + 1 < RV_PMP_N && (cpu->pmpcfg[i + 1] & PMP_L) &&
	    ((cpu->pmpcfg[i + 1] >> PMP_A_SHIFT) & 3) == 1)
		return;
	cpu->pmpaddr[i] = cpu->xlen == 32 ? (uint32_t)v : v & ((1ull << 54) - 1);
}

/* ---- counters ------------------------------------------------------------------------------- */

static uint64_t mcycle_val(const RvCpu *cpu)
{
	return (cpu->mcountinhibit & 1) ? cpu->cycle_frozen : rv_cycles_now(cpu) + cpu->cycle_off;
}

static uint64_t minstret_val(const RvCpu *cpu)
{
	return (cpu->mcountinhibit & 4) ? cpu->instret_frozen : cpu->common.insns + cpu->instret_off;
}

/* The platform timer's count (MTIME) at this hart's local time: the same timebase and the
 * same offset that guest writes to MTIME move (soc_machine_timebase_offset). */
static uint64_t time_val(const RvCpu *cpu)
{
	uint64_t offset = cpu->common.machine ? soc_machine_timebase_offset(cpu->common.machine) : 0;
	if (!cpu->timebase_hz)
		return rv_cycles_now(cpu);
	return soc_time_to_cycles(soc_cpu_local_time(&cpu->common), cpu->timebase_hz) + offset;
}

/* An instruction writing a counter also retires: the next instruction must read `v`. */
static void write_mcycle(RvCpu *cpu, uint64_t v, bool debug)
{
	if (cpu->mcountinhibit & 1)
		cpu->cycle_frozen = v;
	else
		cpu->cycle_off = v - rv_cycles_now(cpu) - (debug ? 0 : 1);
}

static void write_minstret(RvCpu *cpu, uint64_t v, bool debug)
{
	if (cpu->mcountinhibit & 4)
		cpu->instret_frozen = v;
	else
		cpu->instret_off = v - cpu->common.insns - (debug ? 0 : 1);
}

static void write_mcountinhibit(RvCpu *cpu, uint32_t v)
{
	uint32_t old = cpu->mcountinhibit;
	v &= ~2u;
	if (!(old & 1) && (v & 1))
		cpu->cycle_frozen = mcycle_val(cpu);
	if ((old & 1) && !(v & 1))
		cpu->cycle_off = cpu->cycle_frozen - rv_cycles_now(cpu);
	if (!(old & 4) && (v & 4))
		cpu->instret_frozen = minstret_val(cpu);
	if ((old & 4) && !(v & 4))
		cpu->instret_off = cpu->instret_frozen - cpu->common.insns;
	cpu->mcountinhibit = v;
}

static bool counter_allowed(const RvCpu *cpu, unsigned idx)
{
	if (cpu->priv == RV_PRIV_M)
		return true;
	if (!((cpu->mcounteren >> idx) & 1))
		return false;
	if (cpu->priv == RV_PRIV_U && cpu->has_s && !((cpu->scounteren >> idx) & 1))
		return false;
	return true;
}

static uint64_t user_counter(const RvCpu *cpu, unsigned idx)
{
	switch (idx) {
	case 0: return mcycle_val(cpu);
	case 1: return time_val(cpu);
	case 2: return minstret_val(cpu);
	default: return 0;
	}
}

/* ---- CSR access ----------------------------------------------------------------------------- */

static uint64_t mstatus_view(const RvCpu *cpu)
{
	return cpu->xlen == 32 ? (uint32_t)cpu->mstatus : cpu->mstatus;
}

bool rv_csr_read(RvCpu *cpu, unsigned csr, uint64_t *val, bool debug)
{
	uint64_t v = 0;
	bool rv32 = cpu->xlen == 32;

	if (csr >= 0xc00 && csr <= 0xc1f) {
		if (!debug && !counter_allowed(cpu, csr & 31))
			return false;
		v = user_counter(cpu, csr & 31);
	} else if (csr >= 0xc80 && csr <= 0xc9f) {
		if (!rv32 || (!debug && !counter_allowed(cpu, csr & 31)))
			return false;
		v = user_counter(cpu, csr & 31) >> 32;
	} else if (csr >= 0xb00 && csr <= 0xb1f) {
		v = csr == 0xb00 ? mcycle_val(cpu) : csr == 0xb02 ? minstret_val(cpu) : 0;
		if (csr == 0xb01)
			return false;
	} else if (csr >= 0xb80 && csr <= 0xb9f) {
		if (!rv32 || csr == 0xb81)
			return false;
		v = (csr == 0xb80 ? mcycle_val(cpu) : csr == 0xb82 ? minstret_val(cpu) : 0) >> 32;
	} else if (csr >= 0x323 && csr <= 0x33f) {
		v = 0;
	} else if (csr >= 0x3a0 && csr <= 0x3a3) {
		unsigned n = csr - 0x3a0, per = rv32 ? 4 : 8;
		if (!rv32 && (n & 1))
			return false;
		for (unsigned k = 0; k < per; k++)
			v |= (uint64_t)cpu->pmpcfg[n * 4 + k] << (8 * k);
	} else if (csr >= 0x3b0 && csr <= 0x3bf) {
		v = cpu->pmpaddr[csr - 0x3b0];
	} else if ((csr & 0x300) == 0x100 && !cpu->has_s) {
		return false;
	} else {
		switch (csr) {
		case 0x100: v = cpu->mstatus & SSTATUS_VIEW; if (rv32) v = (uint32_t)v; break;
		case 0x104: v = cpu->mie & cpu->mideleg; break;
		case 0x105: v = cpu->stvec; break;
		case 0x106: v = cpu->scounteren; break;
		case 0x10a: v = cpu->senvcfg; break;
		case 0x140: v = cpu->sscratch; break;
		case 0x141: v = cpu->sepc & epc_mask(cpu); break;
		case 0x142: v = cpu->scause; break;
		case 0x143: v = cpu->stval; break;
		case 0x144: v = rv_read_mip(cpu) & cpu->mideleg; break;
		case 0x180:
			if (!debug && cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TVM))
				return false;
			v = cpu->satp;
			break;
		case 0xf11: case 0xf12: case 0xf13: case 0xf15: v = 0; break;
		case 0xf14: v = cpu->hartid; break;
		case 0x300: v = mstatus_view(cpu); break;
		case 0x310: if (!rv32) return false; v = 0; break;
		case 0x301: v = cpu->misa; break;
		case 0x302: if (!cpu->has_s) return false; v = cpu->medeleg; break;
		case 0x303: if (!cpu->has_s) return false; v = cpu->mideleg; break;
		case 0x304: v = cpu->mie; break;
		case 0x305: v = cpu->mtvec; break;
		case 0x306: if (!cpu->has_u) return false; v = cpu->mcounteren; break;
		case 0x30a: if (!cpu->has_u) return false; v = rv32 ? (uint32_t)cpu->menvcfg : cpu->menvcfg; break;
		case 0x31a: if (!cpu->has_u || !rv32) return false; v = cpu->menvcfg >> 32; break;
		case 0x320: v = cpu->mcountinhibit; break;
		case 0x340: v = cpu->mscratch; break;
		case 0x341: v = cpu->mepc & epc_mask(cpu); break;
		case 0x342: v = cpu->mcause; break;
		case 0x343: v = cpu->mtval; break;
		case 0x344: v = rv_read_mip(cpu); break;
		default: return false;
		}
	}
	*val = v & cpu->xmask;
	return true;
}

static void write_tvec(uint64_t *tvec, uint64_t v)
{
	/* MODE 0 (direct) and 1 (vectored); the reserved modes leave MODE as it was (WARL). */
	if ((v & 3) >= 2)
		v = (v & ~(uint64_t)3) | (*tvec & 3);
	*tvec = v;
}

static void write_mstatus(RvCpu *cpu, uint64_t v)
{
	uint64_t mask = MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP;
	unsigned mpp = (unsigned)((v >> MSTATUS_MPP_SHIFT) & 3);

	if (cpu->has_s)
		mask |= MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR |
		        MSTATUS_TVM | MSTATUS_TSR;
	if (cpu->has_u)
		mask |= MSTATUS_MPRV | MSTATUS_TW;
	if (!(mpp == RV_PRIV_M || (mpp == RV_PRIV_S && cpu->has_s) || (mpp == RV_PRIV_U && cpu->has_u)))
		v = (v & ~MSTATUS_MPP) | (cpu->mstatus & MSTATUS_MPP);   /* WARL: keep a legal value */
	cpu->mstatus = (cpu->mstatus & ~mask) | (v & mask);
	rv_update_priv_caches(cpu);
	rv_update_irq(cpu);
}

bool rv_csr_write(RvCpu *cpu, unsigned csr, uint64_t v, bool debug)
{
	bool rv32 = cpu->xlen == 32;
	uint64_t dummy;

	/* Existence and access checks are those of a read. */
	if (!rv_csr_read(cpu, csr, &dummy, debug))
		return false;
	v &= cpu->xmask;
	if (csr >= 0xc00 && csr <= 0xc9f)
		return debug;   /* read-only shadows */
	if (csr == 0xb00) {
		write_mcycle(cpu, rv32 ? (mcycle_val(cpu) & ~0xffffffffull) | v : v, debug);
		return true;
	}
	if (csr == 0xb02) {
		write_minstret(cpu, rv32 ? (minstret_val(cpu) & ~0xffffffffull) | v : v, debug);
		return true;
	}
	if (csr == 0xb80) {
		write_mcycle(cpu, (mcycle_val(cpu) & 0xffffffffull) | (v << 32), debug);
		return true;
	}
	if (csr == 0xb82) {
		write_minstret(cpu, (minstret_val(cpu) & 0xffffffffull) | (v << 32), debug);
		return true;
	}
	if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0xb83 && csr <= 0xb9f) ||
	    (csr >= 0x323 && csr <= 0x33f))
		return true;    /* hpm counters and events: present, always zero */
	if (csr >= 0x3a0 && csr <= 0x3a3) {
		unsigned n = csr - 0x3a0, per = rv32 ? 4 : 8;
		for (unsigned k = 0; k < per; k++)
			pmpcfg_write_entry(cpu, n * 4 + k, (uint8_t)(v >> (8 * k)));
		pmp_update(cpu);
		return true;
	}
	if (csr >= 0x3b0 && csr <= 0x3bf) {
		pmpaddr_write(cpu, csr - 0x3b0, v);
		pmp_update(cpu);
		return true;
	}
	switch (csr) {
	case 0x100:
		write_mstatus(cpu, (cpu->mstatus & ~SSTATUS_WRITE) | (v & SSTATUS_WRITE));
		return true;
	case 0x104: {
		uint64_t m = cpu->mideleg & MIP_S_BITS;
		cpu->mie = (cpu->mie & ~m) | (v & m);
		rv_update_irq(cpu);
		return true;
	}
	case 0x105: write_tvec(&cpu->stvec, v); return true;
	case 0x106: cpu->scounteren = (uint32_t)v; return true;
	case 0x10a: cpu->senvcfg = v & 1; return true;
	case 0x140: cpu->sscratch = v; return true;
	case 0x141: cpu->sepc = v & ~(uint64_t)1; return true;
	case 0x142: cpu->scause = v; return true;
	case 0x143: cpu->stval = v; return true;
	case 0x144: {
		uint64_t m = cpu->mideleg & MIP_SSIP;
		cpu->mip = (cpu->mip & ~m) | (v & m);
		rv_update_irq(cpu);
		return true;
	}
	case 0x180: {
		uint64_t mode = rv32 ? v >> 31 : v >> 60;
		if (mode == 0)      /* Bare is the only mode: other writes have no effect (WARL) */
			cpu->satp = v;
		return true;
	}
	case 0x300:
		write_mstatus(cpu, rv32 ? (cpu->mstatus & ~0xffffffffull) | v : v);
		return true;
	case 0x310: case 0x301: case 0x31a:
		return true;        /* mstatush (MBE/SBE 0), misa (read-only), menvcfgh: nothing writable */
	case 0x302: cpu->medeleg = v & MEDELEG_MASK; return true;
	case 0x303:
		cpu->mideleg = v & MIP_S_BITS;
		rv_update_irq(cpu);
		return true;
	case 0x304: {
		uint64_t m = MIP_MSIP | MIP_MTIP | MIP_MEIP | (cpu->has_s ? MIP_S_BITS : 0);
		cpu->mie = v & m;
		rv_update_irq(cpu);
		return true;
	}
	case 0x305: write_tvec(&cpu->mtvec, v); return true;
	case 0x306: cpu->mcounteren = (uint32_t)v; return true;
	case 0x30a: cpu->menvcfg = v & 1; return true;
	case 0x320: write_mcountinhibit(cpu, (uint32_t)v); return true;
	case 0x340: cpu->mscratch = v; return true;
	case 0x341: cpu->mepc = v & ~(uint64_t)1; return true;
	case 0x342: cpu->mcause = v; return true;
	case 0x343: cpu->mtval = v; return true;
	case 0x344: {
		uint64_t m = cpu->has_s ? MIP_S_BITS : 0;
		cpu->mip = (cpu->mip & ~m) | (v & m);
		rv_update_irq(cpu);
		return true;
	}
	default:
		return debug;   /* read-only (mvendorid, mhartid, ...) */
	}
}

bool rv_csr_insn(RvCpu *cpu, uint32_t raw, unsigned exec, unsigned csr, uint64_t src, bool do_read,
                 bool do_write, uint64_t *old)
{
	uint64_t v = 0, nv;

	(void)do_read;   /* reads have no side effects here: existence is checked either way */
	if (((csr >> 8) & 3) > cpu->priv || (do_write && (csr >> 10) == 3) ||
	    !rv_csr_read(cpu, csr, &v, false)) {
		illegal(cpu, raw, cpu->pc);
		return false;
	}
	*old = v;
	if (!do_write)
		return true;
	switch (exec) {
	case RV_OP_CSRRW: case RV_OP_CSRRWI: nv = src; break;
	case RV_OP_CSRRS: case RV_OP_CSRRSI: nv = v | src; break;
	default: nv = v & ~src; break;
	}
	if (!rv_csr_write(cpu, csr, nv, false)) {
		illegal(cpu, raw, cpu->pc);
		return false;
	}
	return true;
}

void rv_csr_reset(RvCpu *cpu)
{
	cpu->priv = RV_PRIV_M;
	cpu->mstatus = (uint64_t)RV_PRIV_M << MSTATUS_MPP_SHIFT;
	if (cpu->xlen == 64) {
		if (cpu->has_u)
			cpu->mstatus |= 2ull << 32;
		if (cpu->has_s)
			cpu->mstatus |= 2ull << 34;
	}
	cpu->misa = (cpu->xlen == 64 ? 2ull << 62 : 1ull << 30) | (1u << ('I' - 'A'));
	if (cpu->ext & RV_EXT_M)
		cpu->misa |= 1u << ('M' - 'A');
	if (cpu->ext & RV_EXT_A)
		cpu->misa |= 1u << ('A' - 'A');
	if (cpu->ext & RV_EXT_C)
		cpu->misa |= 1u << ('C' - 'A');
	if (cpu->has_s)
		cpu->misa |= 1u << ('S' - 'A');
	if (cpu->has_u)
		cpu->misa |= 1u << ('U' - 'A');
	cpu->misa &= cpu->xmask;
	cpu->medeleg = cpu->mideleg = cpu->mie = 0;
	cpu->mip = 0;
	/* Inputs keep their levels across a reset. */
	for (unsigned bit = 0; bit < 12; bit++)
		if (cpu->irq_by_bit[bit] && bit != 9 && soc_irq_level(cpu->irq_by_bit[bit]))
			cpu->mip |= 1ull << bit;
	cpu->mtvec = cpu->mscratch = cpu->mepc = cpu->mcause = cpu->mtval = 0;
	cpu->stvec = cpu->sscratch = cpu->sepc = cpu->scause = cpu->stval = cpu->satp = 0;
	cpu->mcounteren = cpu->scounteren = cpu->mcountinhibit = 0;
	cpu->menvcfg = cpu->senvcfg = 0;
	cpu->cycle_off = 0 - rv_cycles_now(cpu);
	cpu->instret_off = 0 - cpu->common.insns;
	memset(cpu->pmpcfg, 0, sizeof(cpu->pmpcfg));
	memset(cpu->pmpaddr, 0, sizeof(cpu->pmpaddr));
	cpu->res_valid = false;
	cpu->traps_without_progress = 0;
	cpu->last_trap_insns = UINT64_MAX;
	pmp_update(cpu);
	rv_update_priv_caches(cpu);
	rv_update_irq(cpu);
}
