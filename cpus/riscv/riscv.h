/* cpus/riscv/riscv.h — the RISC-V hart model: its class and the services other parts of
 * socemu use (semihosting, machine boot arguments, register access for debuggers and tests).
 *
 * A hart is configured only from its cpu node: `riscv,isa` (e.g. "rv64imac_zicsr_zifencei") or
 * `riscv,isa-base` + `riscv,isa-extensions`, `reg` (hart id), `mmu-type` and
 * `socemu,reset-vector`. Supported: RV32/RV64 I M A C Zicsr Zifencei Zicntr Zihpm (and the
 * subsets Zmmul, Zaamo, Zalrsc, hint Zihintpause), privilege modes M, S ('s' in the ISA string
 * or an mmu-type other than "riscv,none") and U ('u', or implied by S). Anything else in the
 * ISA is an error naming the node. Interrupt inputs are "irqN", N being the mip bit (1 SSIP,
 * 3 MSIP, 5 STIP, 7 MTIP, 9 SEIP, 11 MEIP). */
#ifndef SOC_RISCV_H
#define SOC_RISCV_H

#include "cpus/cpu.h"

extern const SocCpuClass soc_riscv_cpu_class;

/* Semihosting call-out. When a hook is set, an uncompressed `ebreak` placed between
 * `slli x0,x0,0x1f` and `srai x0,x0,7` (the RISC-V semihosting sequence) calls it instead of
 * raising a breakpoint exception. The hook reads the operation from a0 and the parameter from
 * a1 (soc_riscv_get_xreg), uses the hart's address space (cpu->as) for memory, writes the
 * result to a0 (soc_riscv_set_xreg) and returns true; the hart then continues after the
 * ebreak. Returning false raises the breakpoint exception as if no hook were set. The hart's
 * instruction count is exact during the call (soc_cpu_local_time gives the time of the ebreak);
 * to stop the run (SYS_EXIT) the hook requests a shutdown and may soc_cpu_kick() the hart. */
typedef bool (*SocRiscvSemihostFn)(void *opaque, SocCpu *cpu);
void soc_riscv_set_semihost_hook(SocCpu *cpu, SocRiscvSemihostFn fn, void *opaque);

/* a1 at reset (the address of the guest's device tree blob); a0 is always the hart id. Takes
 * effect at the next reset and immediately on the current register. */
void soc_riscv_set_boot_args(SocCpu *cpu, uint64_t a1);

unsigned soc_riscv_xlen(const SocCpu *cpu);
uint64_t soc_riscv_hartid(const SocCpu *cpu);
/* x0..x31 (x0 reads 0, writes are ignored); values are XLEN wide (zero-extended on RV32). */
uint64_t soc_riscv_get_xreg(const SocCpu *cpu, unsigned n);
/* Blocks compiled to host code so far (0 when the host has no compiler or SOCEMU_JIT=off). */
uint64_t soc_riscv_jit_blocks(const SocCpu *cpu);
void soc_riscv_set_xreg(SocCpu *cpu, unsigned n, uint64_t value);
void soc_riscv_set_pc(SocCpu *cpu, uint64_t pc);
/* 0 = U, 1 = S, 3 = M. */
unsigned soc_riscv_priv(const SocCpu *cpu);
/* Debugger access to a CSR as M-mode would see it, without side effects on other state and
 * without privilege checks; false when the hart does not implement it. */
bool soc_riscv_read_csr(SocCpu *cpu, unsigned csr, uint64_t *value);
bool soc_riscv_write_csr(SocCpu *cpu, unsigned csr, uint64_t value);

#endif
