/* mgmt-start.S — entry of the management core: stack at the top of its TCM, then main. */
	.section .text.start
	.globl _start
_start:
	la sp, __stack_top
	call main
1:	wfi
	j 1b
