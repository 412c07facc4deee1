#!/bin/sh
# Two clusters (tests/data/hetero-rv.dts): a mailbox ping-pong through shared SRAM seen at
# different addresses, per-cluster console prefixes, the exit rules of multi-cluster runs,
# the clock ratio, and determinism (two runs: identical output and instruction counts).
. "$top_srcdir/tests/integration/lib.sh"
[ -n "${RISCV_CC:-}" ] || skip_all "riscv64-unknown-elf-gcc is needed"
plan 11
dts="$top_srcdir/tests/data/hetero-rv.dts"
cflags="-march=rv32imac -mabi=ilp32 -O2 --specs=picolibc.specs --oslib=semihost --crt0=semihost
 -Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x8000
 -Wl,--defsym=__ram=0x80008000 -Wl,--defsym=__ram_size=0x8000 -I$top_srcdir/tests/firmware/hetero"
for p in ping pong; do
	$RISCV_CC $cflags -o "$WORK/$p.elf" "$top_srcdir/tests/firmware/hetero/$p.c" || exit 99
done
printf 'int main(void) { return 3; }\n' >"$WORK/fail.c"
$RISCV_CC $cflags -o "$WORK/fail.elf" "$WORK/fail.c" || exit 99

run_socemu -dtb "$dts" -kernel a="$WORK/ping.elf" -kernel b="$WORK/pong.elf" -semihosting -timeout 1s -stats
ok $STATUS "ping-pong between two clusters ends with status 0 once both report success"
test "$(grep -c '^\[a\] ok [0-9]* - b doubled' "$WORK/out")" -eq 20; ok $? "cluster a got all 20 answers (lines prefixed [a])"
grep -q '^\[b\] # b answered 20 doorbells$' "$WORK/out"; ok $? "cluster b's line is whole and prefixed [b]"
grep -v 'host\|MIPS' "$WORK/err" >"$WORK/stats1"; cp "$WORK/out" "$WORK/out1"
run_socemu -dtb "$dts" -kernel a="$WORK/ping.elf" -kernel b="$WORK/pong.elf" -semihosting -timeout 1s -stats
grep -v 'host\|MIPS' "$WORK/err" >"$WORK/stats2"
cmp -s "$WORK/out1" "$WORK/out" && cmp -s "$WORK/stats1" "$WORK/stats2"
ok $? "a second run gives byte-identical output and identical per-cpu instruction counts"
grep -q 'cluster@0/cpu@0 (cluster a): [1-9]' "$WORK/stats1"; ok $? "-stats lists each cpu"

run_socemu -dtb "$dts" -kernel a="$WORK/ping.elf" -kernel b="$WORK/fail.elf" -semihosting -timeout 1s
expect_fail 3 "cluster b failed" "a failing cluster ends the run with its status, naming it"

# Clock ratio: the same endless loop (j .) on a 200 MHz and a 100 MHz cluster.
printf '\157\000\000\000' >"$WORK/loop.bin"
run_socemu -dtb "$dts" -kernel a="$WORK/loop.bin@0x80000000" -kernel b="$WORK/loop.bin@0x80000000" \
	-set '/cluster@0/cpu@0:socemu,reset-vector=<0x80000000>' \
	-set '/cluster@1/cpu@0:socemu,reset-vector=<0x80000000>' -timeout 1ms -stats
ok $(test "$STATUS" -eq 124; echo $?) "the endless loops end at the virtual time-out (status 124)"
a=$(sed -n 's/.*(cluster a): \([0-9]*\) instructions.*/\1/p' "$WORK/err")
b=$(sed -n 's/.*(cluster b): \([0-9]*\) instructions.*/\1/p' "$WORK/err")
echo "# a: $a instructions, b: $b instructions in 1 ms"
ok $(test "$a" -eq 200000 && test "$b" -eq 100000; echo $?) "1 ms of virtual time is 200000 instructions at 200 MHz and 100000 at 100 MHz"
grep -q 'Bail out! socemu: virtual time-out after 0.001 s (cluster' "$WORK/out"; ok $? "the time-out is a Bail out! line naming a cluster"

# A load outside cluster b's map: a bus error for b alone, named with cluster, pc and address;
# with no trap handler the hart loops on faults and the run ends as stuck.
printf '\203\042\000\000' >"$WORK/lw0.bin"      # lw t0, 0(zero)
run_socemu -dtb "$dts" -kernel b="$WORK/lw0.bin@0x80000000" \
	-set '/cluster@1/cpu@0:socemu,reset-vector=<0x80000000>' -timeout 1s
grep -q 'cluster b: /cluster@1/cpu@0 pc 0x80000000: 4-byte read at 0x0, which the cluster.s map does not cover: bus error' "$WORK/err"
ok $? "an access outside the cluster's map is a bus error naming cluster, cpu, pc and address"
ok $(test "$STATUS" -eq 125 && grep -q 'Bail out! socemu: guest stuck.*cluster b' "$WORK/out"; echo $?) \
	"the resulting trap loop ends the run as stuck (125), naming cluster b"
