/* tests/firmware/arm/reset.c — AIRCR.SYSRESETREQ resets the machine: socemu reloads the image
 * and starts again from the vector table; RAM outside the image keeps its contents, which is
 * how the second boot knows it is the second. */
#include "rt.h"

#define MARK (*(volatile uint32_t *)0x2001F000u)   /* above the image's 64 KiB of RAM */
#define MAGIC 0xB007B007u

int main(void)
{
	if (MARK != MAGIC) {
		MARK = MAGIC;
		printf("# first boot: requesting a system reset\n");
		AIRCR = 0x05FA0000u | 1u << 2;
		rt_barrier();
		printf("Bail out! SYSRESETREQ did not reset\n");
		return 1;
	}
	MARK = 0;
	rt_ok(true, "second boot after SYSRESETREQ");
	rt_eq(VTOR, 0, "VTOR back at its reset value");
	rt_eq(SHCSR, 0, "SHCSR back at its reset value");
	return rt_done();
}
