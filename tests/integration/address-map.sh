#!/bin/sh
# System Device Tree clusters: each cluster sees what its address-map maps, at its own
# addresses; indirect-bus children only through a map; clipped device windows are warned about.
. "$top_srcdir/tests/integration/lib.sh"
command -v python3 >/dev/null || skip_all "python3 is needed to read the JSON report"
plan 14
run_socemu -dtb "$top_srcdir/tests/data/sdt-clusters.dts" -report
ok $STATUS "a tree with three clusters builds"
win() {  # win CLUSTER BASE SIZE NODE: that window exists in that cluster's space
	json "any(w['base']=='$2' and w['size']=='$3' and w['node']=='$4' for a in r['address-spaces'] if a['name']=='$1' for w in a['windows'])"
}
nwin() { # nwin CLUSTER NODE: the node is not visible in that cluster
	json "not any(w['node']=='$2' for a in r['address-spaces'] if a['name']=='$1' for w in a['windows'])"
}
win cpus 0x20000000 0x10000 /sram@20000000; ok $? "the default cluster sees the shared SRAM at its root address"
win rt 0x30000000 0x10000 /sram@20000000; ok $? "cluster rt sees the same SRAM at 0x30000000"
win rt 0x0 0x8000 /tcm-bus/tcm@0; ok $? "cluster rt sees its TCM on an indirect bus at 0"
nwin cpus /tcm-bus/tcm@0; ok $? "the indirect-bus TCM is not on the root bus"
nwin rt /soc/serial@40000000; ok $? "cluster rt does not see the application UART"
win mgmt 0x50000000 0x8 /soc/serial@40000000; ok $? "cluster mgmt sees the UART clipped to its map (inferred widths)"
nwin mgmt /soc/ram2@20008000; ok $? "a node of a mapped bus outside the mapped range stays invisible"
grep -q "warning: /soc/serial@40000000: address-map of cluster mgmt shows only" "$WORK/err"; ok $? "the clipped window is warned about on stderr"
json "[len(c['address-map'] or []) for c in r['clusters']] == [0, 3, 2]"; ok $? "the report lists each cluster's map"
run_socemu -dtb "$top_srcdir/tests/data/sdt-2cell.dts" -report
win r5 0xf0000000 0x1000 /bus@ff000000/serial@ff000000; ok $? "2-cell lopper-style map: a device under a mapped bus"
win r5 0x0 0x100000 /memory@800000000; ok $? "2-cell map: the first MiB of DDR above 4 GiB at 0 (clipped memory, no warning)"
# One source, controllers of two clusters: interrupt-map with two matching entries.
run_socemu -dtb "$top_srcdir/tests/data/fanout.dts" -report
json "sorted(i for n in r['nodes'] if n['path']=='/serial@10000000' for i in n['irqs']) == ['/serial@10000000:irq0 -> /cluster@1/cpu@0/interrupt-controller:in11', '/serial@10000000:irq0 -> /interrupt-controller@c000000:in5']"
ok $? "an interrupt-map fans one source out to the PLIC of /cpus and the hart controller of cluster@1"
json "any(i == '/mailbox@11000000:irq3 -> /cluster@1/cpu@0/interrupt-controller:in9' for n in r['nodes'] for i in n['irqs'])"
ok $? "interrupts-extended sends a mailbox's other side to the other cluster"
