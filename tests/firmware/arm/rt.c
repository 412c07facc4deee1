/* tests/firmware/arm/rt.c — see rt.h. The vector table replaces picolibc's (a strong
 * __interrupt_vector in .data.init.enter, which picolibc.ld puts at the start of flash). */
#include "rt.h"

#include <stdarg.h>
#include <stdlib.h>

extern char __stack[];
extern void _start(void);
void rt_exception_entry(void);
void rt_dispatch(rt_frame *frame, uint32_t exc_return);

__attribute__((section(".data.init.enter"), used, aligned(256)))
const void *const __interrupt_vector[RT_VECTORS] = {
	[0] = __stack,
	[1] = (const void *)_start,
	[2 ... RT_VECTORS - 1] = (const void *)rt_exception_entry,
};

/* Every exception comes here: find the frame (MSP or PSP, from EXC_RETURN bit 2) and call the
 * dispatcher with it; return with the EXC_RETURN value. Armv6-M instructions only. */
__asm__(
	"	.text\n"
	"	.syntax unified\n"
	"	.thumb\n"
	"	.global rt_exception_entry\n"
	"	.type rt_exception_entry, %function\n"
	"	.thumb_func\n"
	"rt_exception_entry:\n"
	"	mov r2, lr\n"
	"	movs r3, #4\n"
	"	tst r2, r3\n"
	"	bne 1f\n"
	"	mrs r0, msp\n"
	"	b 2f\n"
	"1:	mrs r0, psp\n"
	"2:	mov r1, r2\n"
	"	push {r1, r2}\n"
	"	bl rt_dispatch\n"
	"	pop {r1, r2}\n"
	"	bx r2\n"
	"	.size rt_exception_entry, . - rt_exception_entry\n");

static rt_handler handlers[RT_VECTORS];

void rt_set_handler(unsigned exc, rt_handler h)
{
	if (exc < RT_VECTORS)
		handlers[exc] = h;
}

void rt_dispatch(rt_frame *frame, uint32_t exc_return)
{
	uint32_t ipsr;
	__asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
	ipsr &= 0x1FF;
	if (ipsr < RT_VECTORS && handlers[ipsr]) {
		handlers[ipsr](frame, exc_return);
		return;
	}
	printf("Bail out! unexpected exception %lu at pc 0x%08lx (EXC_RETURN 0x%08lx)\n", (unsigned long)ipsr,
	       (unsigned long)frame->pc, (unsigned long)exc_return);
	exit(99);
}

unsigned rt_insn_len(uint32_t pc)
{
	uint16_t hw = *(volatile uint16_t *)pc;
	return (hw & 0xF800) >= 0xE800 ? 4 : 2;
}

static int tests, failures;

void rt_ok(bool cond, const char *fmt, ...)
{
	va_list ap;
	tests++;
	if (!cond)
		failures++;
	printf("%s %d - ", cond ? "ok" : "not ok", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int rt_done(void)
{
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}

bool rt_is_v6m(void)
{
	return ((CPUID >> 16) & 0xF) == 0xC;
}

bool rt_is_v8m(void)
{
	return ((CPUID >> 4) & 0xFFF) == 0xD21;
}
