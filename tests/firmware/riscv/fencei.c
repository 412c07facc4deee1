/* tests/firmware/riscv/fencei.c — Zifencei with self-modifying code: instructions written to
 * RAM as data, fence.i, executed; rewritten (whole words, one byte, a compressed halfword,
 * the half of an instruction that lies in the next 4 KiB page), fence.i, executed again; a
 * hot, already-run function rewritten; and a function that rewrites its own next
 * instructions, then runs fence.i and falls through to them. */
#include "rt.h"

#include <string.h>

#define A0 10
#define A1 11
#define A2 12
#define RA 1

static uint32_t addi(unsigned rd, unsigned rs1, int imm)
{
	return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | rd << 7 | 0x13;
}

static uint32_t sw(unsigned rs2, unsigned rs1, int imm)
{
	uint32_t i = (uint32_t)imm & 0xfff;
	return (i >> 5) << 25 | rs2 << 20 | rs1 << 15 | 2u << 12 | (i & 31) << 7 | 0x23;
}

static uint16_t c_li(unsigned rd, int imm)
{
	uint32_t i = (uint32_t)imm & 0x3f;
	return (uint16_t)(0x4001 | (i >> 5) << 12 | rd << 7 | (i & 31) << 2);
}

#define RET 0x00008067u         /* jalr zero, 0(ra) */
#define C_JR_RA 0x8082u
#define FENCE_I 0x0000100fu
#define NOP 0x00000013u

typedef uintptr_t (*fn_t)(uintptr_t, uintptr_t, uintptr_t);

static uint32_t code[64] __attribute__((aligned(64)));
/* Two 4 KiB pages, for an instruction across their boundary. */
static uint16_t pages[4096] __attribute__((aligned(4096)));

static void fence_i(void)
{
	__asm__ volatile("fence.i" ::: "memory");
}

static uintptr_t call(void *at, uintptr_t a1, uintptr_t a2)
{
	return ((fn_t)at)(0, a1, a2);
}

int main(void)
{
	uintptr_t r, sum = 0;
	volatile uint32_t *vc = code;
	volatile uint16_t *vh = (volatile uint16_t *)code;

	tap_plan(10);
	rt_init();

	vc[0] = addi(A0, 0, 1);
	vc[1] = RET;
	fence_i();
	tap_eq(call(code, 0, 0), 1, "code written to RAM runs after fence.i");

	vc[0] = addi(A0, 0, 2);
	fence_i();
	tap_eq(call(code, 0, 0), 2, "rewritten, fence.i: the new instruction runs");

	for (unsigned i = 0; i < 1000; i++)
		sum += call(code, 0, 0);
	vc[0] = addi(A0, 0, -3);
	fence_i();
	r = call(code, 0, 0);
	tap_ok(sum == 2000 && r == (uintptr_t)-3, "a function run 1000 times, rewritten: the new code runs (%ld)",
	       (long)r);

	vc[0] = addi(A0, 0, 0x10);
	fence_i();
	r = call(code, 0, 0);
	((volatile uint8_t *)code)[3] = 0x02;       /* imm[11:4]: 0x10 -> 0x20 */
	fence_i();
	tap_ok(r == 0x10 && call(code, 0, 0) == 0x20, "one byte of an instruction rewritten with sb");

	/* The function stores a1 over its own instruction at +12, fence.i, falls through to it. */
	vc[0] = sw(A1, A2, 12);
	vc[1] = FENCE_I;
	vc[2] = NOP;
	vc[3] = addi(A0, 0, 4);
	vc[4] = RET;
	fence_i();
	r = call(code, addi(A0, 0, 4), (uintptr_t)code);
	tap_eq(r, 4, "a function that stores its own next instruction unchanged");
	r = call(code, addi(A0, 0, 5), (uintptr_t)code);
	tap_eq(r, 5, "a function that rewrites its next instruction, then fence.i, runs the new one");
	r = call(code, addi(A0, 0, 6), (uintptr_t)code);
	tap_eq(r, 6, "... and again, with the block already decoded");

	vh[0] = c_li(A0, 7);
	vh[1] = C_JR_RA;
	fence_i();
	r = call(code, 0, 0);
	vh[0] = c_li(A0, -9);
	fence_i();
	tap_ok(r == 7 && call(code, 0, 0) == (uintptr_t)-9, "compressed code (c.li; c.jr ra) rewritten");

	/* li a0, 11 at the last halfword of the first page, ret in the second. */
	memset(pages, 0, sizeof(pages));
	{
		volatile uint16_t *p = pages;
		uint32_t li = addi(A0, 0, 11);
		p[2047] = (uint16_t)li;
		p[2048] = (uint16_t)(li >> 16);
		p[2049] = C_JR_RA;
		fence_i();
		r = call((void *)&p[2047], 0, 0);
		tap_eq(r, 11, "a 4-byte instruction across a 4 KiB page boundary");
		p[2048] = (uint16_t)(addi(A0, 0, 12) >> 16);
		fence_i();
		r = call((void *)&p[2047], 0, 0);
		tap_eq(r, 12, "its half in the second page rewritten: the new instruction runs");
	}
	return tap_done();
}
