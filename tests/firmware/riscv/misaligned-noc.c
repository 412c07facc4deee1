/* tests/firmware/riscv/misaligned-noc.c — a hart without C (run-elf.sh: riscv,isa without c;
 * built with -march=rv32im/rv64im), where IALIGN is 32: a taken jump or branch to an address
 * that is 2 mod 4 raises instruction address misaligned on the jump itself (mepc the jump,
 * mtval the target, nothing written to rd), a branch not taken does not, mepc keeps bits 1:0
 * clear, and 16-bit encodings are illegal instructions. */
#include "rt.h"

/* Runs hand-encoded words at label 1 with t0 = label 2 (a 4-aligned address after them) and
 * t1 = 7; returns the address of label 1 and leaves t1 in *t1v. */
#define WORDS(words, t1v) ({ \
	uintptr_t at_, v_; \
	rt_clear(); \
	__asm__ volatile("lla t0, 2f\n\t" \
	                 "li t1, 7\n\t" \
	                 "lla %0, 1f\n" \
	                 "1:\t" words "\n\t" \
	                 "nop\n\tnop\n" \
	                 "2:\tnop\n\t" \
	                 "mv %1, t1" : "=&r"(at_), "=&r"(v_) :: "t0", "t1", "memory"); \
	*(t1v) = v_; \
	at_; })

int main(void)
{
	uintptr_t at, t1, v;

	tap_plan(9);
	rt_init();
	tap_eq(csr_read(misa) >> ('C' - 'A') & 1, 0, "misa.C is clear");

	/* jal x0, +6 */
	at = WORDS(".4byte 0x0060006f", &t1);
	rt_check_trap(CAUSE_INSN_MISALIGNED, at, at + 6, at + 6, "jal to pc + 6: instruction address misaligned on the jal, mtval the target");
	/* jalr t1, 2(t0) */
	at = WORDS(".4byte 0x00228367", &t1);
	rt_check_trap(CAUSE_INSN_MISALIGNED, at, at + 12 + 2, at + 12 + 2, "jalr to a target 2 mod 4: misaligned, mtval the target");
	tap_eq(t1, 7, "the faulting jalr did not write rd");
	/* beq x0, x0, +6 */
	at = WORDS(".4byte 0x00000363", &t1);
	rt_check_trap(CAUSE_INSN_MISALIGNED, at, at + 6, at + 6, "a taken beq to pc + 6: misaligned");
	/* bne x0, x0, +6: not taken */
	at = WORDS(".4byte 0x00001363", &t1);
	rt_check_no_trap("a beq not taken to a misaligned target does not trap");
	(void)at;

	csr_write(mepc, 0x80000006ul);
	v = csr_read(mepc);
	tap_eq(v & 3, 0, "mepc bits 1:0 read 0 with IALIGN 32");

	/* c.li a0, 0 and c.ebreak encodings, with a zero upper half */
	at = WORDS(".4byte 0x00004501", &t1);
	rt_check_trap(CAUSE_ILLEGAL, at, 0x4501, 0, "a compressed encoding (c.li) is illegal without C");
	at = WORDS(".4byte 0x00009002", &t1);
	rt_check_trap(CAUSE_ILLEGAL, at, 0x9002, 0, "c.ebreak is illegal without C");
	return tap_done();
}
