#!/bin/sh
# socemu,guest-dtb-address places the guest's tree in the cluster's memory and a RISC-V hart
# finds it in a1; without it, a1 holds no tree.
. "$top_srcdir/tests/integration/lib.sh"
[ -n "${RISCV_CC:-}" ] || skip_all "riscv64-unknown-elf-gcc is needed"
plan 3
cat >"$WORK/dtb.S" <<'ASM'
	.globl _start
_start:
	lwu t0, 0(a1)            /* the tree's magic, 0xd00dfeed big-endian */
	li t1, 0xedfe0dd0
	lui t2, 0x100            /* test finisher */
	bne t0, t1, 1f
	lui t1, 0x5
	addi t1, t1, 0x555       /* pass */
	sw t1, 0(t2)
1:	lui t1, 0x13             /* fail, code 1 */
	addi t1, t1, 0x333
	sw t1, 0(t2)
2:	j 2b
ASM
$RISCV_CC -march=rv64imac_zicsr -mabi=lp64 -nostdlib -Wl,-N -Wl,-Ttext=0x80000000 -o "$WORK/dtb.elf" "$WORK/dtb.S" 2>/dev/null
board="$top_srcdir/dts/boards/riscv-virt.dts"
one='/cpus/cpu@1:status="disabled"'
run_socemu -dtb "$board" -kernel "$WORK/dtb.elf" -set "$one" -set '/cpus:socemu,guest-dtb-address=<0x0 0x80100000>' -timeout 1s
ok $STATUS "the hart finds the tree's magic at a1"
run_socemu -dtb "$board" -kernel "$WORK/dtb.elf" -set "$one" -set '/cpus:socemu,guest-dtb-address=<0x0 0x80000000>' -timeout 1s
expect_fail 1 "overlaps image" "a tree placed over the image is refused"
run_socemu -dtb "$board" -kernel "$WORK/dtb.elf" -set "$one" -set '/cpus:socemu,guest-dtb-address=<0x0 0x40000000>' -timeout 1s
expect_fail 1 "0x40000000 is not RAM or ROM of cluster cpus" "a tree placed outside memory is refused"
