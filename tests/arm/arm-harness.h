/* tests/arm/arm-harness.h — a bare Cortex-M core for unit tests: one cpu created through the
 * registry from a two-node tree, with RAM windows in its own address space and no machine
 * (so no semihosting and no shutdown requests). */
#ifndef SOC_TEST_ARM_HARNESS_H
#define SOC_TEST_ARM_HARNESS_H

#include "cpus/arm/arm-internal.h"

typedef struct ArmHarness {
	SocLog *log;
	SocEventQueue *events;
	SocAddressSpace *as;
	SocRamBlock *ram[4];
	unsigned n_ram;
	void *fdt;
	SocCpu *cpu;
	ArmCpu *c;
} ArmHarness;

/* A core of the given compatible ("arm,cortex-m4f") at 100 MHz, not yet reset. */
ArmHarness *arm_harness_new(const char *compatible);
/* Map a RAM window (zeroed) at base. */
void arm_harness_map(ArmHarness *h, uint32_t base, uint32_t size);
void arm_harness_free(ArmHarness *h);
void arm_harness_write(ArmHarness *h, uint32_t addr, const void *buf, size_t len);
uint32_t arm_harness_read32(ArmHarness *h, uint32_t addr);

#endif
