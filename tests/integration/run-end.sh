#!/bin/sh
# The time a run ends at is the guest's own: the instruction that ended it, not the end of
# the scheduler's slice, whatever -quantum is. A raw RISC-V image of 997 NOPs, then
# "lui t0, 0x100; lui a0, 5; addi a0, a0, 0x555; sw a0, 0(t0)" (0x5555 to the sifive,test0
# device at 0x100000: pass), runs 1001 instructions on a 100 MHz hart: 10.01 us.
. "$top_srcdir/tests/integration/lib.sh"
plan 6
board="$top_srcdir/dts/boards/riscv32-virt.dts"
img="$WORK/end.bin"

: >"$img"
i=0
while [ $i -lt 997 ]; do printf '\023\000\000\000' >>"$img"; i=$((i + 1)); done
printf '\267\002\020\000\067\125\000\000\023\005\125\125\043\240\242\000' >>"$img"

for q in 100us 3ms; do
	run_socemu -dtb "$board" -set '/cpus/cpu@0:socemu,reset-vector=<0x80000000>' \
		-kernel "$img@0x80000000" -quantum $q -stats
	grep -v host "$WORK/err" | grep -v MIPS >"$WORK/stats-$q"
	ok $(test "$STATUS" -eq 0 && grep -q "virtual 0.000010010 s" "$WORK/err" &&
	     grep -q "1001 instructions" "$WORK/err"; echo $?) "-quantum $q: the run ends at 10.01 us, after 1001 instructions"
	[ "$STATUS" -eq 0 ] || diag "$WORK/err"
done
cmp -s "$WORK/stats-100us" "$WORK/stats-3ms"; ok $? "the same -stats with either quantum"

run_socemu -dtb "$board" -set '/cpus/cpu@0:socemu,reset-vector=<0x80000000>' \
	-kernel "$img@0x80000000" -max-insns 500 -stats
ok $(test "$STATUS" -eq 124 && grep -q "virtual 0.000005000 s" "$WORK/err"; echo $?) "-max-insns 500 ends at 5 us"

# pc[0] is always 0: an odd reset vector (or ELF entry) starts at the even address below it.
run_socemu -dtb "$board" -set '/cpus/cpu@0:socemu,reset-vector=<0x80000001>' \
	-kernel "$img@0x80000000" -stats
ok $(test "$STATUS" -eq 0 && grep -q "1001 instructions" "$WORK/err"; echo $?) "an odd reset vector runs from the even address"
# At a page's last byte it used to make a block of no instructions that chained to itself for
# ever (found by tools/fuzz); now the hart fetches at 0x80000ffe, finds zeros, and the run ends.
run_socemu -dtb "$board" -set '/cpus/cpu@0:socemu,reset-vector=<0x80000fff>' \
	-kernel "$img@0x80000000" -timeout 1ms
ok $(test "$STATUS" -eq 125 && grep -q "Bail out! socemu: guest stuck" "$WORK/out"; echo $?) "an odd reset vector at a page's last byte ends the run (125)"
[ "$STATUS" -eq 125 ] || { diag "$WORK/out"; diag "$WORK/err"; }
