/* cpus/arm/arm.h — the Arm Cortex-M cores: their classes and the services other parts of
 * socemu (tests, debuggers) use.
 *
 * One class per core, chosen by the cpu node's compatible:
 *   arm,cortex-m0 / arm,cortex-m0+   Armv6-M (M0+ with an 8-region MPU)
 *   arm,cortex-m3                    Armv7-M, 8-region PMSAv7 MPU
 *   arm,cortex-m4 / arm,cortex-m4f   Armv7E-M (DSP); m4f adds FPv4-SP
 *   arm,cortex-m7                    Armv7E-M with FPv5 single and double precision, 16 regions
 *   arm,cortex-m33 / arm,cortex-m33f Armv8-M Mainline with DSP, no Security Extension,
 *                                    8-region PMSAv8 MPU; m33f adds FPv5 single precision
 *
 * Parts of the core described by their own nodes (as Zephyr's dts/arm/armv*-m.dtsi write
 * them) are claimed through owned_compatibles and attached to the core:
 *   "arm,v6m-nvic", "arm,v7m-nvic", "arm,v8m-nvic": `arm,num-irq-priority-bits` (default: the
 *       core's, 2 on v6-M, 3 otherwise) and the optional `socemu,num-irqs` (external
 *       interrupt lines, default the architecture's maximum: 32, 496 or 480). Interrupt
 *       specifiers are <irq priority> (#interrupt-cells 2, the priority cell is the firmware's
 *       business and is ignored) or <irq>; external interrupt N is the cpu input "irqN",
 *       level-sensitive: a high line pends the interrupt while it is not active, and pends it
 *       again when its handler returns with the line still high.
 *   "arm,armv7m-systick": an optional `clock-frequency` gives SysTick a reference clock
 *       (CSR.CLKSOURCE = 0); without it CALIB.NOREF = 1 and SysTick counts the core clock.
 *   "arm,armv6m-mpu", "arm,armv7m-mpu", "arm,armv8m-mpu": `arm,num-mpu-regions`.
 * The System Control Space (0xE000E000-0xE000EFFF) and the rest of the Private Peripheral
 * Bus (0xE0000000-0xE00FFFFF: DWT, ITM, FPB, ROM table) belong to the core and never reach
 * the cluster's address space, whether or not the tree has nodes for them.
 *
 * Cpu inputs: "irqN" (external interrupt N), "nmi" (level; a rising edge pends NMI) and
 * "rxev" (a rising edge sets the WFE event register).
 *
 * Reset: VTOR starts at the cpu node's `socemu,reset-vector` (default 0); SP_main and the
 * reset handler come from the vector table there, read when the core leaves reset (after the
 * images are loaded). The entry point of an ELF image (set_entry) is only a cross-check: on
 * M-profile the vector table decides, as on silicon, and a mismatch with the reset vector is
 * reported under -d unimp.
 *
 * Semihosting: BKPT 0xAB with -semihosting runs operation r0 with parameter r1 and puts the
 * result in r0. Any other BKPT, and BKPT 0xAB without semihosting, is a debug event: with no
 * debugger attached it escalates to HardFault (HFSR.DEBUGEVT), or locks the core up when it
 * happens at HardFault priority. */
#ifndef SOC_ARM_H
#define SOC_ARM_H

#include "cpus/cpu.h"

/* One class per core (the class name is the core's, e.g. "cortex-m4f"). */
extern const SocCpuClass soc_arm_cortex_m0_class;
extern const SocCpuClass soc_arm_cortex_m0plus_class;
extern const SocCpuClass soc_arm_cortex_m3_class;
extern const SocCpuClass soc_arm_cortex_m4_class;
extern const SocCpuClass soc_arm_cortex_m4f_class;
extern const SocCpuClass soc_arm_cortex_m7_class;
extern const SocCpuClass soc_arm_cortex_m33_class;
extern const SocCpuClass soc_arm_cortex_m33f_class;

/* Register access for debuggers and tests: r0-r15 (r13 is the current SP, r15 the pc),
 * 16 = xPSR, 17 = MSP, 18 = PSP, 19 = PRIMASK, 20 = BASEPRI, 21 = FAULTMASK, 22 = CONTROL,
 * 23 = FPSCR, 32-63 = s0-s31. Returns false for a register the core does not have. */
bool soc_arm_get_reg(const SocCpu *cpu, unsigned n, uint32_t *value);
bool soc_arm_set_reg(SocCpu *cpu, unsigned n, uint32_t value);

#endif
