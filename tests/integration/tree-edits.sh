#!/bin/sh
# -overlay, -profile and -set edit the tree before the build, in command-line order;
# -dump-dtb writes the result. Values are read back with fdtget (device-tree-compiler).
. "$top_srcdir/tests/integration/lib.sh"
command -v fdtget >/dev/null || skip_all "fdtget (device-tree-compiler) is needed"
plan 9
board="$top_srcdir/dts/boards/riscv-virt.dts"

cat >"$WORK/speed.dtso" <<'DTS'
/dts-v1/;
/plugin/;
&uart0 { current-speed = <9600>; };
&{/soc} { extra: gpio@20000000 { compatible = "vendor,unknown-gpio"; reg = <0x0 0x20000000 0x0 0x1000>; }; };
DTS
cat >"$WORK/speed2.dtso" <<'DTS'
/dts-v1/;
/plugin/;
&uart0 { current-speed = <19200>; };
DTS

run_socemu -dtb "$board" -overlay "$WORK/speed.dtso" -dump-dtb "$WORK/a.dtb" -report
ok $STATUS "an overlay source (.dtso) is compiled and applied"
ok $(test "$(fdtget "$WORK/a.dtb" /soc/serial@10000000 current-speed)" = 9600; echo $?) "overlay value is in the dumped tree"
ok $(grep -q '"/soc/gpio@20000000"' "$WORK/out" && grep -q unmodelled "$WORK/out"; echo $?) "a node added by the overlay is reported unmodelled"

run_socemu -dtb "$board" -overlay "$WORK/speed.dtso" -overlay "$WORK/speed2.dtso" -dump-dtb "$WORK/b.dtb" -report
ok $(test "$(fdtget "$WORK/b.dtb" /soc/serial@10000000 current-speed)" = 19200; echo $?) "overlays apply in order"

run_socemu -dtb "$board" -overlay "$WORK/speed.dtso" -set '/soc/serial@10000000:current-speed=<115200>' \
	-set '/soc/serial@10000000:socemu,note="hello"' -set '/soc/serial@10000000:socemu,bytes=[0a 0b]' \
	-dump-dtb "$WORK/c.dtb" -report
ok $STATUS "-set with cells, string and bytes"
ok $(test "$(fdtget "$WORK/c.dtb" /soc/serial@10000000 current-speed)" = 115200; echo $?) "-set after -overlay wins"
ok $(test "$(fdtget "$WORK/c.dtb" /soc/serial@10000000 socemu,note)" = hello; echo $?) "-set string value"
ok $(test "$(fdtget -tx "$WORK/c.dtb" /soc/serial@10000000 socemu,bytes)" = "a b"; echo $?) "-set byte string"

run_socemu -dtb "$board" -set '/soc/nothing@0:foo=<1>' -report
expect_fail 1 "/soc/nothing@0" "-set on an unknown node path names it"
