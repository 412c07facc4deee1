#!/bin/sh
# Every tests/data/bad-*.dts says, on its first line, "// expect: <text>": socemu must refuse
# it with exit status 1 and that text on stderr, without crashing. Plus bad blobs and images.
. "$top_srcdir/tests/integration/lib.sh"
set -- "$top_srcdir"/tests/data/bad-*.dts
plan $(( $# + 10 ))
board="$top_srcdir/dts/boards/riscv-virt.dts"

for f in "$@"; do
	expect=$(sed -n '1s|^// expect: ||p' "$f")
	if [ -z "$expect" ]; then ok 1 "$(basename "$f") has an '// expect:' first line"; continue; fi
	run_socemu -dtb "$f" -report
	expect_fail 1 "$expect" "$(basename "$f"): $expect"
done

# A source without preprocessor directives skips cpp; errors still point at file:line.
run_socemu -dtb "$top_srcdir/tests/data/bad-property-range.dts" -report
expect_fail 1 "bad-property-range.dts:6: /serial@1000:reg-shift" "file:line without cpp"

# Truncated and corrupted blobs: socemu's own check, never a crash.
cpp -nostdinc -undef -x assembler-with-cpp -I "$top_srcdir/dts/include" "$board" |
	"$DTC" -q -I dts -O dtb -o "$WORK/good.dtb" -
size=$(wc -c <"$WORK/good.dtb")
head -c $((size / 2)) "$WORK/good.dtb" >"$WORK/truncated.dtb"
run_socemu -dtb "$WORK/truncated.dtb" -report
expect_fail 1 "truncated.dtb" "a truncated .dtb is refused, naming the file"
# Two siblings of the same name: dtc refuses the source, but a blob can hold them (dtc -f).
# Found by tools/fuzz; it used to crash while mapping the second one.
printf '/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <1>;\n%s\n%s\n};\n' \
	'serial@1000 { compatible = "ns16550a"; reg = <0x1000 0x100>; };' \
	'serial@1000 { compatible = "ns16550a"; reg = <0x2000 0x100>; };' |
	"$DTC" -q -f -I dts -O dtb -o "$WORK/duplicate.dtb" - 2>/dev/null
run_socemu -dtb "$WORK/duplicate.dtb" -report
expect_fail 1 "/serial@1000: two nodes have this path" "two sibling nodes of the same name are refused"
# off_dt_struct (header bytes 8-11) pointing far past the end of the blob.
{ head -c 8 "$WORK/good.dtb"; printf '\377\377\377\000'; tail -c +13 "$WORK/good.dtb"; } >"$WORK/corrupt.dtb"
run_socemu -dtb "$WORK/corrupt.dtb" -report
ok $(test "$STATUS" -eq 1 && test -s "$WORK/err"; echo $?) "a corrupted .dtb is refused with a message"

# A stdout-path through an alias that names itself: a warning, never a crash (libfdt's own
# path lookup recursed until the stack overflowed).
run_socemu -dtb "$board" -set '/aliases:loop="loop"' -set '/chosen:stdout-path="loop"' -report
ok $(test "$STATUS" -eq 0 && grep -q 'stdout-path "loop" names no node' "$WORK/err"; echo $?) \
	"a looping stdout-path alias is a warning, not a crash"

# Overlapping windows added by -set.
run_socemu -dtb "$board" -set '/soc/serial@10000000:reg=<0x0 0x2000000 0x0 0x100>' -report
expect_fail 1 "overlaps" "a window moved onto another is an overlap error"
run_socemu -dtb "$board" -serial nosuchuart=null -report
expect_fail 1 "no modelled UART is called 'nosuchuart'" "-serial with an unknown UART"
run_socemu -dtb "$board" -serial uart0=bogus:thing -report
expect_fail 1 "bogus" "-serial with an unknown backend"

# Images: a raw binary outside memory, and a file that is not ELF.
printf 'abcd' >"$WORK/blob.bin"
run_socemu -dtb "$board" -kernel "$WORK/blob.bin@0x40000000"
expect_fail 1 "0x40000000" "a raw image outside RAM names the address"
run_socemu -dtb "$board" -kernel "$WORK/blob.bin"
expect_fail 1 "not an ELF file" "a non-ELF image without @ADDRESS"
