/* tests/firmware/riscv/rt.S — the assembly half of the guest tests' run-time (see rt.h):
 * the ELF entry (secondary harts park, hart 0 goes to picolibc's _start), trap entries that
 * save every register into an rt_frame_t for the C handlers, the vector table, the
 * semihosting call and rt_run()'s switch to a lower privilege mode and back. */
#include "rt.h"

#if __riscv_xlen == 64
#define SREG sd
#define LREG ld
#define RB 8
#else
#define SREG sw
#define LREG lw
#define RB 4
#endif
#define FRAME (32 * RB)

	.macro SAVE_ALL
	addi sp, sp, -FRAME
	.irp n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	SREG x\n, \n * RB(sp)
	.endr
	addi t0, sp, FRAME
	SREG t0, 2 * RB(sp)
	.endm

	.macro RESTORE_ALL
	.irp n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	LREG x\n, \n * RB(sp)
	.endr
	addi sp, sp, FRAME
	.endm

	.section .text.rt, "ax", @progbits

/* Every hart starts here (-Wl,--entry=rt_entry): picolibc's start-up code is for one hart. */
	.globl rt_entry
	.type rt_entry, @function
rt_entry:
	csrr t0, mhartid
	bnez t0, 1f
	la t1, _start
	jr t1
1:	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	li t1, RT_SMP_MAX
	bgeu t0, t1, 3f
	la sp, rt_smp_stacks
	slli t1, t0, RT_SMP_STACK_SHIFT
	add sp, sp, t1
	la t1, rt_trap_entry
	csrw mtvec, t1
	mv a0, t0
	call rt_secondary
3:	csrw mie, zero
	wfi
	j 3b
	.size rt_entry, . - rt_entry

	.balign 4
	.globl rt_trap_entry
	.type rt_trap_entry, @function
rt_trap_entry:
	SAVE_ALL
	mv a0, sp
	call rt_trap_c
	RESTORE_ALL
	mret
	.size rt_trap_entry, . - rt_trap_entry

	.balign 4
	.globl rt_strap_entry
	.type rt_strap_entry, @function
rt_strap_entry:
	SAVE_ALL
	mv a0, sp
	call rt_strap_c
	RESTORE_ALL
	sret
	.size rt_strap_entry, . - rt_strap_entry

/* Vectored mode: slot n is at base + 4n; each notes n + 1 in mscratch for the handler. */
	.balign 256
	.globl rt_vector_table
rt_vector_table:
	.option push
	.option norvc
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	j rt_vec_\n
	.endr
	.option pop
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
rt_vec_\n:
	csrwi mscratch, \n + 1
	j rt_trap_entry
	.endr

/* a0 = operation, a1 = parameter; the three instructions must be uncompressed. */
	.balign 16
	.globl rt_semihost
	.type rt_semihost, @function
rt_semihost:
	.option push
	.option norvc
	slli zero, zero, 0x1f
	ebreak
	srai zero, zero, 7
	.option pop
	ret
	.size rt_semihost, . - rt_semihost

/* rt_run(priv, fn, arg): callee-saved registers and sp are kept here; fn runs at priv with
 * ra = rt_run_exit, whose ecall makes rt_trap_c resume at rt_run_back in M-mode. */
	.globl rt_run
	.type rt_run, @function
rt_run:
	addi sp, sp, -16 * RB
	SREG ra, 0 * RB(sp)
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	SREG s\n, (\n + 1) * RB(sp)
	.endr
	la t0, rt_run_sp
	SREG sp, 0(t0)
	li t0, 0x1800            /* mstatus.MPP */
	csrc mstatus, t0
	andi a0, a0, 3
	slli a0, a0, 11
	csrs mstatus, a0
	csrw mepc, a1
	mv a0, a2
	li a7, 0                 /* no stale RT_EXIT_MAGIC for fn's own ecalls */
	la ra, rt_run_exit
	mret
	.size rt_run, . - rt_run

	.globl rt_run_exit
rt_run_exit:
	li a7, RT_EXIT_MAGIC
	ecall
	j rt_run_exit

	.globl rt_run_back
rt_run_back:
	li a7, 0
	la t0, rt_run_sp
	LREG sp, 0(t0)
	LREG ra, 0 * RB(sp)
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	LREG s\n, (\n + 1) * RB(sp)
	.endr
	addi sp, sp, 16 * RB
	ret

	.section .bss.rt, "aw", @nobits
	.balign 16
rt_run_sp:
	.space RB
	.balign 16
	.globl rt_smp_stacks
rt_smp_stacks:
	.space (RT_SMP_MAX - 1) << RT_SMP_STACK_SHIFT
