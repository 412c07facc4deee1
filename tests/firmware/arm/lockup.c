/* tests/firmware/arm/lockup.c — a fault inside the HardFault handler locks the core up; socemu
 * must stop the run and say so (tests/integration/arm-firmware.sh checks exit status 125 and
 * "lockup: undefined instruction in the HardFault handler at pc 0x..."). */
#include "rt.h"

static void h_hardfault(rt_frame *f, uint32_t er)
{
	(void)f;
	(void)er;
	printf("# in the HardFault handler, about to fault again\n");
	__asm__ volatile(".short 0xde00" : : : "memory");
}

int main(void)
{
	rt_set_handler(EXC_HARDFAULT, h_hardfault);
	printf("# expected exit status 125\n");
	__asm__ volatile(".short 0xde01" : : : "memory");
	printf("Bail out! still running after a lockup\n");
	return 1;
}
