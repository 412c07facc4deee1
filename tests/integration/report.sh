#!/bin/sh
# -report describes the machine built from a tree: models, windows per address space, irqs.
. "$top_srcdir/tests/integration/lib.sh"
command -v python3 >/dev/null || skip_all "python3 is needed to read the JSON report"
plan 17
board="$top_srcdir/dts/boards/riscv-virt.dts"

run_socemu -dtb "$board" -report
ok $STATUS "-report on the riscv-virt board exits 0"
json "r['socemu'] and r['tree'].endswith('riscv-virt.dts')"; ok $? "report names the tree"
json "[c['name'] for c in r['clusters']] == ['cpus']"; ok $? "one cluster, named by its label"
json "any(n['path']=='/soc/serial@10000000' and n['model']=='ns16550a' and n['status']=='modelled' for n in r['nodes'])"
ok $? "the UART is modelled"
json "any(w['base']=='0x10000000' and w['size']=='0x100' and w['kind']=='mmio' and w['node']=='/soc/serial@10000000' for a in r['address-spaces'] for w in a['windows'])"
ok $? "the UART window is mapped at 0x10000000 in the cluster's space"
json "any(w['base']=='0x80000000' and w['size']=='0x8000000' and w['kind']=='ram' for a in r['address-spaces'] for w in a['windows'])"
ok $? "RAM is mapped from the memory node"
json "[n['status'] for n in r['nodes'] if n['path']=='/soc'] == ['bus']"; ok $? "simple-bus is a bus"
json "all(n['status'] in ('modelled','unmodelled','disabled','bus','container') for n in r['nodes'])"
ok $? "every node has a status"
json "[n['properties']['clock-frequency'] for n in r['nodes'] if n['path']=='/soc/serial@10000000'] == ['3686400']"
ok $? "properties filled from the node are reported"
json "any(n['path']=='/poweroff' and n['model']=='syscon-poweroff' for n in r['nodes'])"
ok $? "syscon-poweroff is modelled"
json "[c['backend'] for c in r['consoles'] if c['node']=='/soc/serial@10000000'] == ['stdio']"
ok $? "/chosen/stdout-path (through an alias) puts the UART on stdio"
run_socemu -dtb "$board" -serial uart0=null -report
json "[c['backend'] for c in r['consoles']] == ['null']"; ok $? "-serial LABEL=null overrides the console"

# interrupt-names picks the output: the MPS2 UART lists "rx" first, the model's output 0 is TX.
run_socemu -dtb "$top_srcdir/dts/boards/mps2-an385.dts" -report
json "sorted(i for n in r['nodes'] if n['path']=='/soc/uart@40004000' for i in n['irqs']) == ['/soc/uart@40004000:irq0 -> /cpus/cpu@0:irq1', '/soc/uart@40004000:irq1 -> /cpus/cpu@0:irq0']"
ok $? "interrupt-names connects rx to NVIC 0 and tx to NVIC 1 whatever the order"
run_socemu -dtb "$top_srcdir/dts/boards/mps2-an385.dts" -set '/soc/uart@40004000:interrupt-names="rx", "bogus"' -report
expect_fail 1 "interrupt-names: entry 1 (bogus) is not an output of arm-cmsdk-uart" "an unknown interrupt name is an error naming the node"

# -report-file writes the same description to a file, then runs the images (none here: the
# report was all there was to do, exit 0).
run_socemu -dtb "$board" -report
cp "$WORK/out" "$WORK/report.json"
run_socemu -dtb "$board" -report-file "$WORK/report-file.json"
ok $STATUS "-report-file without an image exits 0 after writing the file"
ok $(cmp -s "$WORK/report.json" "$WORK/report-file.json"; echo $?) "-report-file holds exactly what -report prints"
run_socemu -dtb "$board" -report-file "$WORK/no/such/dir/r.json"
expect_fail 1 "-report-file $WORK/no/such/dir/r.json" "an unwritable -report-file is an error naming it"
