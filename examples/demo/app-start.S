/* app-start.S — entry of both app harts: a stack each (4 KiB apart), then main(hartid). */
	.section .text.start
	.globl _start
_start:
	csrr a0, mhartid
	la sp, __stack_top
	slli t0, a0, 12
	sub sp, sp, t0
	call main
1:	wfi
	j 1b
