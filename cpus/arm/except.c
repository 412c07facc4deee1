/* cpus/arm/except.c — the M-profile exception model: priorities, the NVIC's pending/active
 * state, exception entry (stacking, lazy FP stacking, vector fetch) and return (EXC_RETURN,
 * unstacking), synchronous faults with their escalation to HardFault and to lockup, sleep and
 * wake-up, and the core's interrupt inputs. Follows the pseudocode of the ARMv7-M and ARMv8-M
 * Architecture Reference Manuals (ExceptionEntry, PushStack, ExceptionTaken, ExceptionReturn,
 * PopStack, ExecutionPriority).
 *
 * Timing: exception entry and return take no time of their own (an exception taken after a
 * faulting instruction costs the one cycle that instruction counted). Tail-chaining is
 * functionally a return followed by an entry at the same instruction boundary: the stack frame
 * is popped and pushed again with the same contents. Late arrival needs nothing special: the
 * exception entered is always the highest-priority one pending at that boundary. */
#include "cpus/arm/arm-internal.h"
#include "core/machine.h"

#include <stdarg.h>
#include <stdio.h>

static const char *exc_name(unsigned exc, char *buf, size_t len)
{
	static const char *const names[16] = {
		[1] = "Reset", [2] = "NMI", [3] = "HardFault", [4] = "MemManage", [5] = "BusFault",
		[6] = "UsageFault", [11] = "SVCall", [12] = "DebugMonitor", [14] = "PendSV", [15] = "SysTick",
	};
	if (exc < 16 && names[exc])
		return names[exc];
	snprintf(buf, len, "IRQ%u", exc - 16);
	return buf;
}

uint32_t arm_get_xpsr(const ArmCpu *c)
{
	uint32_t it = c->itstate;
	return arm_get_apsr(c) | (it & 3) << 25 | (c->tbit ? 1u << 24 : 0) | (it >> 2) << 10 | c->ipsr;
}

/* ---- priorities ------------------------------------------------------------------------------ */

int arm_exc_prio(const ArmCpu *c, unsigned exc)
{
	switch (exc) {
	case ARM_EXC_RESET: return -3;
	case ARM_EXC_NMI: return -2;
	case ARM_EXC_HARDFAULT: return -1;
	default: return c->prio[exc];
	}
}

int arm_group_prio(const ArmCpu *c, int prio)
{
	if (prio < 0 || ARM_IS_V6M(c))
		return prio;
	return prio & (0xFF << (c->prigroup + 1)) & 0xFF;
}

bool arm_exc_enabled(const ArmCpu *c, unsigned exc)
{
	switch (exc) {
	case ARM_EXC_NMI: case ARM_EXC_HARDFAULT: case ARM_EXC_SVCALL: case ARM_EXC_PENDSV:
	case ARM_EXC_SYSTICK:
		return true;
	case ARM_EXC_MEMMANAGE: return !ARM_IS_V6M(c) && (c->shcsr_en & (1u << 16));
	case ARM_EXC_BUSFAULT: return !ARM_IS_V6M(c) && (c->shcsr_en & (1u << 17));
	case ARM_EXC_USAGEFAULT: return !ARM_IS_V6M(c) && (c->shcsr_en & (1u << 18));
	case ARM_EXC_DEBUGMON: return !ARM_IS_V6M(c) && (c->demcr & (1u << 16));
	default:
		return exc >= ARM_EXC_IRQ0 && exc < ARM_EXC_IRQ0 + c->n_irqs && arm_bit(c->en, exc);
	}
}

/* Pending candidates are compared by group priority, then priority (subpriority), then
 * exception number. */
static bool better(const ArmCpu *c, unsigned a, unsigned b)
{
	int pa = arm_exc_prio(c, a), pb = arm_exc_prio(c, b);
	int ga = arm_group_prio(c, pa), gb = arm_group_prio(c, pb);
	if (ga != gb)
		return ga < gb;
	if (pa != pb)
		return pa < pb;
	return a < b;
}

void arm_update_irq(ArmCpu *c)
{
	int highest = ARM_PRIO_NONE, boosted = ARM_PRIO_NONE, best = 0;
	unsigned words = (ARM_EXC_IRQ0 + c->n_irqs + 31) / 32, nact = 0;

	for (unsigned w = 0; w < words; w++) {
		uint32_t a = c->act[w], p = c->pend[w];
		while (a) {
			unsigned exc = w * 32 + (unsigned)__builtin_ctz(a);
			int g = arm_group_prio(c, arm_exc_prio(c, exc));
			a &= a - 1;
			nact++;
			if (g < highest)
				highest = g;
		}
		while (p) {
			unsigned exc = w * 32 + (unsigned)__builtin_ctz(p);
			p &= p - 1;
			if (arm_exc_enabled(c, exc) && (!best || better(c, exc, (unsigned)best)))
				best = (int)exc;
		}
	}
	c->n_active = nact;
	if (c->basepri)
		boosted = arm_group_prio(c, (int)c->basepri);
	if (c->primask)
		boosted = 0;
	if (c->faultmask)
		boosted = -1;
	c->exec_prio = MIN(highest, boosted);
	c->best_exc = best;
	c->best_prio = best ? arm_group_prio(c, arm_exc_prio(c, (unsigned)best)) : ARM_PRIO_NONE + 1;
	if (best && c->best_prio < c->exec_prio)
		c->slow |= ARM_SLOW_IRQ;
	if (c->cpu.state == SOC_CPU_SLEEPING)
		arm_wake_check(c);
}

/* The execution priority with PRIMASK ignored: what decides whether WFI wakes. */
static int exec_prio_without_primask(const ArmCpu *c)
{
	int highest = ARM_PRIO_NONE, boosted = ARM_PRIO_NONE;
	unsigned words = (ARM_EXC_IRQ0 + c->n_irqs + 31) / 32;
	for (unsigned w = 0; w < words; w++) {
		uint32_t a = c->act[w];
		while (a) {
			unsigned exc = w * 32 + (unsigned)__builtin_ctz(a);
			int g = arm_group_prio(c, arm_exc_prio(c, exc));
			a &= a - 1;
			if (g < highest)
				highest = g;
		}
	}
	if (c->basepri)
		boosted = arm_group_prio(c, (int)c->basepri);
	if (c->faultmask)
		boosted = -1;
	return MIN(highest, boosted);
}

void arm_set_pending(ArmCpu *c, unsigned exc)
{
	bool was = arm_bit(c->pend, exc);
	arm_bit_set(c->pend, exc);
	/* SEVONPEND: an interrupt becoming pending is a WFE wake-up event, enabled or not. */
	if (!was && (c->scr & (1u << 4)))
		c->event = true;
	arm_update_irq(c);
}

void arm_clear_pending(ArmCpu *c, unsigned exc)
{
	arm_bit_clear(c->pend, exc);
	arm_update_irq(c);
}

/* ---- sleep --------------------------------------------------------------------------------- */

static bool wake_pending(const ArmCpu *c)
{
	return c->best_exc && c->best_prio < exec_prio_without_primask(c);
}

static void wake(ArmCpu *c)
{
	c->cpu.state = SOC_CPU_RUNNING;
	soc_cpu_kick(&c->cpu);
	soc_log(c->cpu.log, SOC_LOG_INT, "int: %s wakes up at pc 0x%08x", c->cpu.path, c->pc);
}

void arm_wake_check(ArmCpu *c)
{
	if (c->cpu.state != SOC_CPU_SLEEPING)
		return;
	if (c->sleep_wfe && c->event) {
		c->event = false;
		wake(c);
	} else if (wake_pending(c)) {
		wake(c);
	}
}

static void go_to_sleep(ArmCpu *c, bool wfe)
{
	c->cpu.state = SOC_CPU_SLEEPING;
	c->sleep_wfe = wfe;
	c->slow |= ARM_SLOW_STOP;
	soc_log(c->cpu.log, SOC_LOG_INT, "int: %s sleeps (%s) at pc 0x%08x", c->cpu.path, wfe ? "WFE" : "WFI",
	        c->pc);
}

void arm_wfi(ArmCpu *c)
{
	if (wake_pending(c))
		return;
	go_to_sleep(c, false);
}

void arm_wfe(ArmCpu *c)
{
	if (c->event) {
		c->event = false;
		return;
	}
	if (wake_pending(c))
		return;
	go_to_sleep(c, true);
}

void arm_sev(ArmCpu *c)
{
	c->event = true;
}

/* ---- lockup and faults ----------------------------------------------------------------------- */

void arm_lockup(ArmCpu *c, const char *fmt, ...)
{
	va_list ap;
	char *cause;

	va_start(ap, fmt);
	cause = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_free(c->cpu.stop_reason);
	c->cpu.stop_reason = g_strdup_printf("lockup: %s at pc 0x%08x", cause, c->pc);
	g_free(cause);
	c->cpu.state = SOC_CPU_LOCKED_UP;
	c->slow |= ARM_SLOW_STOP;
	soc_cpu_kick(&c->cpu);
	soc_log(c->cpu.log, SOC_LOG_INT, "int: %s %s", c->cpu.path, c->cpu.stop_reason);
}

typedef struct {
	unsigned exc;            /* MemManage, BusFault, UsageFault or HardFault */
	uint32_t cfsr, hfsr;     /* status bits */
	const char *what;
} FaultInfo;

static FaultInfo fault_info(ArmFault f)
{
	switch (f) {
	case ARM_F_IACCVIOL: return (FaultInfo){ ARM_EXC_MEMMANAGE, 1u << 0, 0, "instruction fetch from execute-never or MPU-protected memory" };
	case ARM_F_DACCVIOL: return (FaultInfo){ ARM_EXC_MEMMANAGE, 1u << 1 | ARM_CFSR_MMARVALID, 0, "MPU violation on a data access" };
	case ARM_F_MUNSTKERR: return (FaultInfo){ ARM_EXC_MEMMANAGE, 1u << 3, 0, "MPU violation while unstacking" };
	case ARM_F_MSTKERR: return (FaultInfo){ ARM_EXC_MEMMANAGE, 1u << 4, 0, "MPU violation while stacking" };
	case ARM_F_MLSPERR: return (FaultInfo){ ARM_EXC_MEMMANAGE, 1u << 5, 0, "MPU violation during lazy FP stacking" };
	case ARM_F_IBUSERR: return (FaultInfo){ ARM_EXC_BUSFAULT, 1u << 8, 0, "bus error on an instruction fetch" };
	case ARM_F_PRECISERR: return (FaultInfo){ ARM_EXC_BUSFAULT, 1u << 9 | ARM_CFSR_BFARVALID, 0, "bus error on a data access" };
	case ARM_F_UNSTKERR: return (FaultInfo){ ARM_EXC_BUSFAULT, 1u << 11, 0, "bus error while unstacking" };
	case ARM_F_STKERR: return (FaultInfo){ ARM_EXC_BUSFAULT, 1u << 12, 0, "bus error while stacking" };
	case ARM_F_LSPERR: return (FaultInfo){ ARM_EXC_BUSFAULT, 1u << 13, 0, "bus error during lazy FP stacking" };
	case ARM_F_UNDEFINSTR: return (FaultInfo){ ARM_EXC_USAGEFAULT, 1u << 16, 0, "undefined instruction" };
	case ARM_F_INVSTATE: return (FaultInfo){ ARM_EXC_USAGEFAULT, 1u << 17, 0, "invalid state (EPSR.T is 0)" };
	case ARM_F_INVPC: return (FaultInfo){ ARM_EXC_USAGEFAULT, 1u << 18, 0, "invalid exception return" };
	case ARM_F_NOCP: return (FaultInfo){ ARM_EXC_USAGEFAULT, 1u << 19, 0, "coprocessor not present or disabled" };
	case ARM_F_STKOF: return (FaultInfo){ ARM_EXC_USAGEFAULT, 1u << 20, 0, "stack limit violation" };
	case ARM_F_UNALIGNED: return (FaultInfo){ ARM_EXC_USAGEFAULT, 1u << 24, 0, "unaligned access" };
	case ARM_F_DIVBYZERO: return (FaultInfo){ ARM_EXC_USAGEFAULT, 1u << 25, 0, "divide by zero" };
	case ARM_F_VECTTBL: return (FaultInfo){ ARM_EXC_HARDFAULT, 0, ARM_HFSR_VECTTBL, "vector table read failed" };
	default: return (FaultInfo){ ARM_EXC_HARDFAULT, 0, ARM_HFSR_DEBUGEVT, "breakpoint with no debugger attached" };
	}
}

static const char *context_name(const ArmCpu *c)
{
	if (c->ipsr == ARM_EXC_NMI)
		return "in the NMI handler";
	if (c->ipsr == ARM_EXC_HARDFAULT)
		return "in the HardFault handler";
	if (c->faultmask)
		return "with FAULTMASK set";
	return "at priority -1";
}

/* Where a synchronous fault goes: its own exception when enabled and able to preempt, else
 * HardFault (HFSR.FORCED), else lockup (0). Records the status bits. */
static unsigned fault_route(ArmCpu *c, ArmFault f, uint32_t addr)
{
	FaultInfo fi = fault_info(f);
	unsigned exc = fi.exc;

	if (ARM_IS_V6M(c)) {
		exc = ARM_EXC_HARDFAULT;
	} else {
		c->cfsr |= fi.cfsr;
		c->hfsr |= fi.hfsr;
		if (f == ARM_F_DACCVIOL)
			c->mmfar = addr;
		if (f == ARM_F_PRECISERR)
			c->bfar = addr;
		if (exc != ARM_EXC_HARDFAULT &&
		    (!arm_exc_enabled(c, exc) || arm_group_prio(c, arm_exc_prio(c, exc)) >= c->exec_prio)) {
			c->hfsr |= ARM_HFSR_FORCED;
			exc = ARM_EXC_HARDFAULT;
		}
	}
	if (exc == ARM_EXC_HARDFAULT && c->exec_prio <= -1) {
		if (f == ARM_F_DACCVIOL || f == ARM_F_PRECISERR)
			arm_lockup(c, "%s (address 0x%08x) %s", fi.what, addr, context_name(c));
		else
			arm_lockup(c, "%s %s", fi.what, context_name(c));
		return 0;
	}
	soc_log(c->cpu.log, SOC_LOG_INT, "int: %s fault at pc 0x%08x: %s -> %s", c->cpu.path, c->pc, fi.what,
	        exc == ARM_EXC_HARDFAULT ? "HardFault" : fi.exc == ARM_EXC_MEMMANAGE ? "MemManage" :
	        fi.exc == ARM_EXC_BUSFAULT ? "BusFault" : "UsageFault");
	return exc;
}

void arm_fault(ArmCpu *c, ArmFault f, uint32_t addr)
{
	unsigned exc = fault_route(c, f, addr);
	if (exc)
		arm_set_pending(c, exc);
}

void arm_svc(ArmCpu *c)
{
	if (arm_group_prio(c, arm_exc_prio(c, ARM_EXC_SVCALL)) >= c->exec_prio) {
		/* SVC at a priority that cannot take SVCall escalates. */
		if (c->exec_prio <= -1) {
			arm_lockup(c, "SVC %s", context_name(c));
			return;
		}
		if (!ARM_IS_V6M(c))
			c->hfsr |= ARM_HFSR_FORCED;
		arm_set_pending(c, ARM_EXC_HARDFAULT);
		return;
	}
	arm_set_pending(c, ARM_EXC_SVCALL);
}

void arm_bkpt(ArmCpu *c, unsigned imm)
{
	if (imm == 0xAB)
		soc_log_guest_error(c->cpu.log, "%s: pc 0x%08x: BKPT 0xab (a semihosting call) without -semihosting: "
		                    "a debug event, escalated to HardFault", c->cpu.path, c->pc);
	c->dfsr |= 1u << 1;
	if (!ARM_IS_V6M(c) && arm_exc_enabled(c, ARM_EXC_DEBUGMON) &&
	    arm_group_prio(c, arm_exc_prio(c, ARM_EXC_DEBUGMON)) < c->exec_prio) {
		arm_set_pending(c, ARM_EXC_DEBUGMON);
		return;
	}
	if (c->exec_prio <= -1) {
		arm_lockup(c, "BKPT 0x%02x with no debugger attached %s", imm, context_name(c));
		return;
	}
	arm_fault(c, ARM_F_DEBUGEVT, 0);
}

/* ---- exception entry ------------------------------------------------------------------------- */

static void set_active(ArmCpu *c, unsigned exc, bool on)
{
	if (on)
		arm_bit_set(c->act, exc);
	else
		arm_bit_clear(c->act, exc);
}

/* MSP and PSP as they are now, whichever is in r13. */
static bool psp_in_use(const ArmCpu *c)
{
	return !arm_handler_mode(c) && (c->control & ARM_CONTROL_SPSEL);
}

static uint32_t get_msp(const ArmCpu *c)
{
	return psp_in_use(c) ? c->sp_other : c->r[13];
}

static uint32_t get_psp(const ArmCpu *c)
{
	return psp_in_use(c) ? c->r[13] : c->sp_other;
}

/* Put MSP and PSP back for the mode and SPSEL now in effect. */
static void set_sps(ArmCpu *c, uint32_t msp, uint32_t psp)
{
	if (psp_in_use(c)) {
		c->r[13] = psp;
		c->sp_other = msp;
	} else {
		c->r[13] = msp;
		c->sp_other = psp;
	}
}

static bool fault_ready(const ArmCpu *c, unsigned exc)
{
	return arm_exc_enabled(c, exc) && arm_group_prio(c, arm_exc_prio(c, exc)) < c->exec_prio;
}

/* ExceptionTaken: the vector fetch and the switch to handler mode (no stacking). */
static void exception_taken(ArmCpu *c, unsigned exc, uint32_t exc_return)
{
	uint32_t msp = get_msp(c), psp = get_psp(c), vec = 0;
	char nb[16];

	if (arm_mem_access(c, (c->vtor & ~0x7Fu) + 4 * exc, 4, &vec, ARM_ACC_NOMPU | ARM_ACC_PRIV) != ARM_MEM_OK) {
		if (exc == ARM_EXC_HARDFAULT || c->exec_prio <= -1) {
			arm_lockup(c, "vector table read failed for %s (VTOR 0x%08x)", exc_name(exc, nb, sizeof(nb)),
			           c->vtor);
			return;
		}
		/* The exception was taken, but its vector could not be read: HardFault instead. */
		if (!ARM_IS_V6M(c))
			c->hfsr |= ARM_HFSR_VECTTBL;
		arm_bit_clear(c->pend, exc);
		exc = ARM_EXC_HARDFAULT;
		if (arm_mem_access(c, (c->vtor & ~0x7Fu) + 4 * exc, 4, &vec, ARM_ACC_NOMPU | ARM_ACC_PRIV) != ARM_MEM_OK) {
			arm_lockup(c, "vector table read failed for HardFault (VTOR 0x%08x)", c->vtor);
			return;
		}
	}
	c->r[14] = exc_return;
	c->ipsr = exc;
	c->control &= ~(ARM_CONTROL_SPSEL | ARM_CONTROL_FPCA);
	set_sps(c, msp, psp);
	c->pc = vec & ~1u;
	c->tbit = vec & 1;
	arm_set_itstate(c, 0);
	if (!c->tbit)
		c->slow |= ARM_SLOW_TBIT;
	arm_bit_clear(c->pend, exc);
	set_active(c, exc, true);
	c->event = true;
	c->excl_valid = false;
	c->exc_taken++;
	arm_update_irq(c);
	arm_set_mpu_ctx(c);
	arm_fp_update_ready(c);
	soc_log(c->cpu.log, SOC_LOG_INT, "int: %s takes %s (exception %u), handler 0x%08x, LR 0x%08x",
	        c->cpu.path, exc_name(exc, nb, sizeof(nb)), exc, c->pc, exc_return);
}

static uint32_t make_exc_return(const ArmCpu *c, bool fpca)
{
	bool handler = arm_handler_mode(c), psp = psp_in_use(c);
	if (ARM_IS_V8M(c))
		return 0xFFFFFFA0u | (fpca ? 0 : 0x10u) | (handler ? 0 : 0x8u) | (psp ? 0x4u : 0);
	if (handler)
		return fpca ? 0xFFFFFFE1u : 0xFFFFFFF1u;
	return (fpca ? 0xFFFFFFE9u : 0xFFFFFFF9u) | (psp ? 0x4u : 0);
}

/* Lazy FP stacking bookkeeping (UpdateFPCCR). */
static void update_fpccr(ArmCpu *c, uint32_t frameptr)
{
	uint32_t f = c->fpccr & ~(ARM_FPCCR_USER | ARM_FPCCR_THREAD | ARM_FPCCR_HFRDY | ARM_FPCCR_MMRDY |
	                          ARM_FPCCR_BFRDY | ARM_FPCCR_MONRDY | ARM_FPCCR_UFRDY | ARM_FPCCR_SPLIMVIOL);
	c->fpcar = (frameptr + 0x20) & ~7u;
	f |= ARM_FPCCR_LSPACT;
	if (!arm_privileged(c))
		f |= ARM_FPCCR_USER;
	if (!arm_handler_mode(c))
		f |= ARM_FPCCR_THREAD;
	if (c->exec_prio > -1)
		f |= ARM_FPCCR_HFRDY;
	if (fault_ready(c, ARM_EXC_MEMMANAGE))
		f |= ARM_FPCCR_MMRDY;
	if (fault_ready(c, ARM_EXC_BUSFAULT))
		f |= ARM_FPCCR_BFRDY;
	if (fault_ready(c, ARM_EXC_DEBUGMON))
		f |= ARM_FPCCR_MONRDY;
	if (ARM_IS_V8M(c) && fault_ready(c, ARM_EXC_USAGEFAULT))
		f |= ARM_FPCCR_UFRDY;
	c->fpccr = f;
}

/* PushStack + ExceptionTaken. Stacking faults become pending derived exceptions once the
 * exception has been entered. */
static void exception_entry(ArmCpu *c, unsigned exc)
{
	bool fpca = (c->feat & ARM_FT_FP) && (c->control & ARM_CONTROL_FPCA);
	uint32_t framesize = fpca ? 0x68 : 0x20;
	bool forcealign = fpca || (c->ccr & ARM_CCR_STKALIGN);
	uint32_t sp = c->r[13], align = forcealign ? (sp >> 2) & 1 : 0;
	uint32_t frameptr = (sp - framesize) & (forcealign ? ~7u : ~3u), exc_return;
	uint32_t regs[8] = { c->r[0], c->r[1], c->r[2], c->r[3], c->r[12], c->r[14], c->pc,
	                     (arm_get_xpsr(c) & ~(1u << 9)) | align << 9 };
	unsigned acc = ARM_ACC_WRITE | (arm_privileged(c) ? ARM_ACC_PRIV : ARM_ACC_UNPRIV);
	ArmFault derived = ARM_F_DEBUGEVT;
	bool have_derived = false;
	uint32_t limit = arm_sp_limit(c, psp_in_use(c)), lowest = frameptr;

	if (c->trap_exceptions) {
		c->trapped_exc = (int)exc;
		arm_bit_clear(c->pend, exc);
		c->exc_taken++;
		c->slow |= ARM_SLOW_STOP;
		arm_update_irq(c);
		return;
	}
	/* Armv8-M: stacking below the stack limit is not done; SP stops at the limit. */
	if (ARM_IS_V8M(c) && frameptr < limit) {
		derived = ARM_F_STKOF;
		have_derived = true;
		lowest = limit;
	}
	for (unsigned k = 0; k < 8; k++) {
		uint32_t a = frameptr + 4 * k;
		ArmMemResult r;
		if (a < lowest)
			continue;
		r = arm_mem_access(c, a, 4, &regs[k], acc);
		if (r != ARM_MEM_OK && !have_derived) {
			derived = r == ARM_MEM_MPU ? ARM_F_MSTKERR : ARM_F_STKERR;
			have_derived = true;
		}
	}
	if (fpca) {
		if (c->fpccr & ARM_FPCCR_LSPEN) {
			update_fpccr(c, frameptr);
		} else {
			for (unsigned k = 0; k < 17; k++) {
				uint32_t a = frameptr + 0x20 + 4 * k, v = k < 16 ? c->fp.s[k] : c->fpscr;
				ArmMemResult r;
				if (a < lowest)
					continue;
				r = arm_mem_access(c, a, 4, &v, acc);
				if (r != ARM_MEM_OK && !have_derived) {
					derived = r == ARM_MEM_MPU ? ARM_F_MSTKERR : ARM_F_STKERR;
					have_derived = true;
				}
			}
		}
	}
	c->r[13] = have_derived && derived == ARM_F_STKOF ? limit : frameptr;
	exc_return = make_exc_return(c, fpca);
	exception_taken(c, exc, exc_return);
	if (have_derived && c->cpu.state != SOC_CPU_LOCKED_UP)
		arm_fault(c, derived, 0);
}

bool arm_take_pending(ArmCpu *c)
{
	arm_update_irq(c);
	if (!c->best_exc || c->best_prio >= c->exec_prio)
		return false;
	exception_entry(c, (unsigned)c->best_exc);
	return true;
}

/* ---- exception return ------------------------------------------------------------------------ */

/* A synchronous fault found during exception return is taken by tail-chaining: the frame stays
 * where it is and LR keeps the EXC_RETURN value. */
static void tail_chain_fault(ArmCpu *c, ArmFault f, uint32_t exc_return)
{
	unsigned exc = fault_route(c, f, 0);
	if (exc)
		exception_taken(c, exc, 0xF0000000u | exc_return);
}

static void deactivate(ArmCpu *c, unsigned exc)
{
	set_active(c, exc, false);
	if (exc != ARM_EXC_NMI)
		c->faultmask = 0;
	/* A level-sensitive line still high pends its interrupt again. */
	if (exc >= ARM_EXC_IRQ0 && arm_bit(c->level, exc))
		arm_bit_set(c->pend, exc);
	arm_update_irq(c);
}

void arm_exception_return(ArmCpu *c, uint32_t er)
{
	unsigned ret_exc = c->ipsr, nested, mode = er & 0xF;
	bool fp = (c->feat & ARM_FT_FP) != 0, ftype = (er >> 4) & 1, to_thread, to_psp, valid;
	uint32_t frameptr, framesize, psr = 0, regs[8], msp = get_msp(c), psp = get_psp(c);
	bool forcealign;
	unsigned acc;
	char nb[16];

	nested = c->n_active;
	if (!ARM_IS_V8M(c) && ((fp ? (er & 0x0FFFFFE0u) != 0x0FFFFFE0u : (er & 0x0FFFFFF0u) != 0x0FFFFFF0u))) {
		deactivate(c, ret_exc);
		tail_chain_fault(c, ARM_F_INVPC, er);
		return;
	}
	if (!fp && !ftype) {
		deactivate(c, ret_exc);
		tail_chain_fault(c, ARM_F_INVPC, er);
		return;
	}
	if (!arm_bit(c->act, ret_exc)) {
		deactivate(c, ret_exc);
		tail_chain_fault(c, ARM_F_INVPC, er);
		return;
	}
	/* Armv7-M: bits [3:0] are 0001, 1001 or 1101. Armv8-M: Mode (3), SPSEL (2), 0, ES (0),
	 * ES and bit 1 zero without the Security Extension. */
	if (ARM_IS_V8M(c))
		valid = !(mode & 3) && (mode != 0x4);
	else
		valid = mode == 0x1 || mode == 0x9 || mode == 0xD;
	to_thread = (mode & 8) != 0;
	to_psp = (mode & 4) != 0;
	if (!valid || (!to_thread && nested == 1) ||
	    (to_thread && nested != 1 && !(c->ccr & ARM_CCR_NONBASETHRDENA))) {
		deactivate(c, ret_exc);
		tail_chain_fault(c, ARM_F_INVPC, er);
		return;
	}

	deactivate(c, ret_exc);
	/* PopStack */
	frameptr = to_psp ? psp : msp;
	framesize = (fp && !ftype) ? 0x68 : 0x20;
	forcealign = (fp && !ftype) || (c->ccr & ARM_CCR_STKALIGN);
	acc = (!to_thread || !(c->control & ARM_CONTROL_NPRIV)) ? ARM_ACC_PRIV : ARM_ACC_UNPRIV;
	for (unsigned k = 0; k < 8; k++) {
		ArmMemResult r = arm_mem_access(c, frameptr + 4 * k, 4, &regs[k], acc);
		if (r != ARM_MEM_OK) {
			tail_chain_fault(c, r == ARM_MEM_MPU ? ARM_F_MUNSTKERR : ARM_F_UNSTKERR, er);
			return;
		}
	}
	psr = regs[7];
	if (fp && !ftype) {
		if (c->fpccr & ARM_FPCCR_LSPACT) {
			c->fpccr &= ~ARM_FPCCR_LSPACT;   /* the registers still hold the state */
		} else {
			uint32_t s[17];
			for (unsigned k = 0; k < 17; k++) {
				ArmMemResult r = arm_mem_access(c, frameptr + 0x20 + 4 * k, 4, &s[k], acc);
				if (r != ARM_MEM_OK) {
					tail_chain_fault(c, r == ARM_MEM_MPU ? ARM_F_MUNSTKERR : ARM_F_UNSTKERR, er);
					return;
				}
			}
			memcpy(c->fp.s, s, 16 * sizeof(uint32_t));
			c->fpscr = s[16] & ARM_FPSCR_MASK;
		}
	}
	if (fp) {
		if (ftype)
			c->control &= ~ARM_CONTROL_FPCA;
		else
			c->control |= ARM_CONTROL_FPCA;
	}
	frameptr = (frameptr + framesize) | ((forcealign && (psr & (1u << 9))) ? 4u : 0u);
	if (to_psp)
		psp = frameptr;
	else
		msp = frameptr;

	c->r[0] = regs[0];
	c->r[1] = regs[1];
	c->r[2] = regs[2];
	c->r[3] = regs[3];
	c->r[12] = regs[4];
	c->r[14] = regs[5];
	c->pc = regs[6] & ~1u;
	arm_set_nzcvq(c, psr);
	if (c->feat & ARM_FT_DSP)
		c->ge = (psr >> 16) & 15;
	c->ipsr = psr & 0x1FF;
	c->tbit = (psr >> 24) & 1;
	arm_set_itstate(c, ((psr >> 25) & 3) | ((psr >> 10) & 0x3F) << 2);
	if (to_thread)
		c->control = to_psp ? c->control | ARM_CONTROL_SPSEL : c->control & ~ARM_CONTROL_SPSEL;
	/* The mode comes from EXC_RETURN and the frame's IPSR must agree with it; when it does not,
	 * INVPC is raised from the mode EXC_RETURN names. */
	if (to_thread != (c->ipsr == 0)) {
		if (to_thread) {
			c->ipsr = 0;
		} else {
			c->ipsr = ret_exc;
			for (unsigned e = 2; e < ARM_EXC_MAX; e++) {
				if (arm_bit(c->act, e)) {
					c->ipsr = e;
					break;
				}
			}
		}
		set_sps(c, msp, psp);
		arm_update_irq(c);
		arm_set_mpu_ctx(c);
		arm_fault(c, ARM_F_INVPC, 0);
		return;
	}
	set_sps(c, msp, psp);
	if (!c->tbit)
		c->slow |= ARM_SLOW_TBIT;
	c->excl_valid = false;
	c->event = true;
	arm_update_irq(c);
	arm_set_mpu_ctx(c);
	arm_fp_update_ready(c);
	soc_log(c->cpu.log, SOC_LOG_INT, "int: %s returns from %s to 0x%08x (%s)", c->cpu.path,
	        exc_name(ret_exc, nb, sizeof(nb)), c->pc, to_thread ? "thread" : "handler");
	/* Sleep-on-exit: back in thread mode with nothing active, sleep instead of running. */
	if (to_thread && c->n_active == 0 && (c->scr & (1u << 1)))
		arm_wfi(c);
}

/* ---- inputs and reset ------------------------------------------------------------------------ */

void arm_irq_line(ArmCpu *c, unsigned irq, int level)
{
	unsigned exc = ARM_EXC_IRQ0 + irq;
	if (irq >= c->n_irqs)
		return;
	if (level) {
		arm_bit_set(c->level, exc);
		if (!arm_bit(c->act, exc))
			arm_set_pending(c, exc);
	} else {
		arm_bit_clear(c->level, exc);
	}
}

void arm_nvic_reset(ArmCpu *c)
{
	memset(c->en, 0, sizeof(c->en));
	memset(c->pend, 0, sizeof(c->pend));
	memset(c->act, 0, sizeof(c->act));
	memset(c->prio, 0, sizeof(c->prio));
	/* Lines that are high right now pend their interrupts at once. */
	for (unsigned w = 0; w < ARM_EXC_WORDS; w++)
		c->pend[w] = c->level[w];
	c->n_active = 0;
	c->basepri = c->primask = c->faultmask = 0;
	arm_update_irq(c);
}
