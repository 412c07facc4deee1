#!/bin/sh
# The shipped heterogeneous demo (dts/boards/demo.dts + examples/demo): three clusters of two
# architectures exchange messages through mailboxes and shared SRAM, deterministically.
. "$top_srcdir/tests/integration/lib.sh"
[ -f "$top_builddir/examples/demo/rt.elf" ] || skip_all "the demo firmware was not built (cross compilers missing)"
command -v python3 >/dev/null || skip_all "python3 is needed to read the JSON report"
plan 8
dts="$top_srcdir/dts/boards/demo.dts"
imgs="-kernel app=$top_builddir/examples/demo/app.elf -kernel rt=$top_builddir/examples/demo/rt.elf -kernel mgmt=$top_builddir/examples/demo/mgmt.elf"

run_socemu -dtb "$dts" $imgs -timeout 1s -stats
ok $STATUS "the demo ends with status 0 (the app cluster powers off)"
grep -q '^app: rt answered: pong from rt (Cortex-M4F): sqrt(2) = 1.414214$' "$WORK/out"
ok $? "RV64 <-> Cortex-M4F: the rt cluster's FPU result reaches the app cluster"
grep -q '^\[mgmt\] mgmt: rt says: hello from rt$' "$WORK/out"; ok $? "Cortex-M4F <-> RV32, on the prefixed mgmt console"
grep -q '^app: mgmt answered hart 1: pong from mgmt (RV32)$' "$WORK/out"; ok $? "RV64 hart 1 <-> RV32"
cp "$WORK/out" "$WORK/out1"; grep -v 'host' "$WORK/err" >"$WORK/stats1"
run_socemu -dtb "$dts" $imgs -timeout 1s -stats
grep -v 'host' "$WORK/err" >"$WORK/stats2"
cmp -s "$WORK/out1" "$WORK/out" && cmp -s "$WORK/stats1" "$WORK/stats2"; ok $? "two runs: identical consoles and instruction counts"

run_socemu -dtb "$dts" $imgs -report
shared() { json "any(w['base']=='$2' and w['node']=='/sram@30000000' for a in r['address-spaces'] if a['name']=='$1' for w in a['windows'])"; }
shared app 0x30000000 && shared rt 0x20100000 && shared mgmt 0x60000000
ok $? "the shared SRAM is at 0x30000000 (app), 0x20100000 (rt) and 0x60000000 (mgmt)"
json "[n['part-of'] for n in r['nodes'] if n['path']=='/cluster@1/interrupt-controller@e000e100'] == ['/cluster@1/cpu@0']"
ok $? "the NVIC is part of the Cortex-M4F"
json "any('/soc/mailbox@11002000:irq3 -> ' in i and 'cluster@2/cpu@0/interrupt-controller:in11' in i for n in r['nodes'] for i in n['irqs'])"
ok $? "the rt-mgmt mailbox interrupts the mgmt core"
