#!/bin/sh
# tests/integration/arm-firmware.sh — the Cortex-M guest programs (tests/firmware/arm, built
# at `make check` time with arm-none-eabi-gcc and picolibc) run through socemu on the MPS2
# boards: NAME-m0.elf on mps2-an385-m0, -m3 on mps2-an385, -m4f on mps2-an386, -m7 on
# mps2-an500, -m33 on mps2-an505. Each program checks itself and prints TAP; here each becomes
# one test that passes when socemu exits with the program's status and no check failed.
# Then the runs whose outcome is socemu's, not the guest's: a lockup, a system reset,
# semihosting (exit status, command line, files), traces, and bad trees.
. "$top_srcdir/tests/integration/lib.sh"

fw=$top_builddir/tests/firmware/arm
boards=$top_srcdir/dts/boards
if [ -z "${ARM_CC:-}" ]; then
	skip_all "no arm-none-eabi-gcc: the Cortex-M guest programs are not built"
fi
elfs=
for f in "$fw"/*.elf; do
	[ -e "$f" ] && elfs="$elfs $f"
done
if [ -z "$elfs" ]; then
	skip_all "no guest program built in $fw"
fi

board_of() {
	case "$1" in
	*-m0.elf) echo mps2-an385-m0 ;;
	*-m3.elf) echo mps2-an385 ;;
	*-m4f.elf) echo mps2-an386 ;;
	*-m7.elf) echo mps2-an500 ;;
	*-m33.elf) echo mps2-an505 ;;
	esac
}

special() {
	case "$(basename "$1")" in
	lockup-*|reset-*|semihost-*) return 0 ;;
	esac
	return 1
}

n=0
for f in $elfs; do
	special "$f" || n=$((n + 1))
done
plan $((n + 17))

for f in $elfs; do
	special "$f" && continue
	name=$(basename "$f" .elf)
	mkdir -p "$WORK/root"
	run_socemu -dtb "$boards/$(board_of "$f").dts" -kernel "$f" -semihosting -semihosting-root "$WORK/root" \
		-timeout 10s
	checks=$(grep -c '^ok ' "$WORK/out")
	if [ "$STATUS" -eq 0 ] && ! grep -q '^not ok\|^Bail out' "$WORK/out" && [ "$checks" -gt 0 ]; then
		ok 0 "$name: $checks checks"
	else
		ok 1 "$name (exit status $STATUS)"
		grep '^not ok\|^Bail out' "$WORK/out" | diag
		diag "$WORK/err"
	fi
done

# A fault in the HardFault handler: lockup, reported with its cause and pc.
if [ -e "$fw/lockup-m3.elf" ]; then
	run_socemu -dtb "$boards/mps2-an385.dts" -kernel "$fw/lockup-m3.elf" -semihosting -timeout 2s
	[ "$STATUS" -eq 125 ] && cat "$WORK/out" "$WORK/err" | grep -q "lockup: undefined instruction in the HardFault handler at pc 0x"
	ok $? "a lockup ends the run (exit 125) and names cause and pc"
	run_socemu -dtb "$boards/mps2-an385-m0.dts" -kernel "$fw/lockup-m0.elf" -semihosting -timeout 2s
	[ "$STATUS" -eq 125 ] && cat "$WORK/out" "$WORK/err" | grep -q "lockup: undefined instruction in the HardFault handler"
	ok $? "Armv6-M lockup"
else
	ok 1 "lockup-m3.elf was not built"
	ok 1 "lockup-m0.elf was not built"
fi

# SYSRESETREQ: the machine resets, the image is loaded again, the second boot passes.
run_socemu -dtb "$boards/mps2-an386.dts" -kernel "$fw/reset-m4f.elf" -semihosting -timeout 2s
grep -q '^# first boot' "$WORK/out" && ! grep -q '^not ok' "$WORK/out" && grep -q '^ok 1 - second boot' "$WORK/out"
ok $? "AIRCR.SYSRESETREQ resets the machine and the program boots again"
ok "$STATUS" "  and ends with status 0"

# Semihosting: exit status, command line, files below the root only.
rm -rf "$WORK/root" && mkdir "$WORK/root"
run_socemu -dtb "$boards/mps2-an505.dts" -kernel "$fw/semihost-m33.elf" -semihosting -semihosting-root "$WORK/root" \
	-append hello -timeout 2s
[ "$STATUS" -eq 3 ]
ok $? "semihosting: the program's exit status (3) is socemu's"
! grep -q '^not ok' "$WORK/out"
ok $? "semihosting: console, command line, files, clock"
[ "$(cat "$WORK/root/note.txt" 2>/dev/null)" = "written by the guest" ]
ok $? "semihosting: the file the guest wrote is below -semihosting-root"
[ ! -e "$WORK/escape.txt" ]
ok $? "semihosting: no file outside the root"
run_socemu -dtb "$boards/mps2-an385-m0.dts" -kernel "$fw/semihost-m0.elf" -timeout 1s
[ "$STATUS" -ne 0 ] && grep -q "BKPT 0xab (a semihosting call) without -semihosting" "$WORK/err"
ok $? "without -semihosting, BKPT 0xAB is a debug event and says so"

# Traces
run_socemu -dtb "$boards/mps2-an385.dts" -kernel "$fw/exceptions-m3.elf" -semihosting -d int -timeout 2s
grep -q "int: /cpus/cpu@0 takes SVCall (exception 11)" "$WORK/err" && grep -q "returns from SVCall" "$WORK/err"
ok $? "-d int shows exceptions taken and returned"
run_socemu -dtb "$boards/mps2-an385.dts" -kernel "$fw/insns-m3.elf" -semihosting -d exec -max-insns 50
grep -q "^exec: /cpus/cpu@0 0x0000[0-9a-f]*: [0-9a-f]\{4\}" "$WORK/err" && [ "$(grep -c '^exec:' "$WORK/err")" -eq 50 ]
ok $? "-d exec prints one line per instruction"

# The tree decides: a reset vector elsewhere, and bad values of the core's properties.
run_socemu -dtb "$boards/mps2-an385.dts" -set '/cpus/cpu@0:socemu,reset-vector=<0x40>' -kernel "$fw/insns-m3.elf" \
	-semihosting -timeout 1s
expect_fail 1 "/cpus/cpu@0: socemu,reset-vector 0x40 is not a vector table address" "a misaligned socemu,reset-vector is an error naming the node"
run_socemu -dtb "$boards/mps2-an385.dts" -set '/soc/interrupt-controller@e000e100:arm,num-irq-priority-bits=<9>' \
	-kernel "$fw/insns-m3.elf" -semihosting -timeout 1s
expect_fail 1 "arm,num-irq-priority-bits = 9" "arm,num-irq-priority-bits out of range is an error"
# A modelled device whose interrupt goes to the NVIC: wired to the core's input, or refused.
cat >"$WORK/nvic.dts" <<EOT
/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	cpus {
		#address-cells = <1>;
		#size-cells = <0>;
		cpu@0 { device_type = "cpu"; compatible = "arm,cortex-m3"; reg = <0>; };
	};
	nvic: interrupt-controller@e000e100 {
		compatible = "arm,v7m-nvic";
		reg = <0xe000e100 0xc00>;
		interrupt-controller;
		#interrupt-cells = <2>;
	};
	memory@0 { device_type = "memory"; reg = <0x0 0x10000>; };
	serial@40000000 {
		compatible = "ns16550a";
		reg = <0x40000000 0x100>;
		interrupt-parent = <&nvic>;
		interrupts = <600 3>;
	};
};
EOT
run_socemu -dtb "$WORK/nvic.dts" -report
expect_fail 1 "interrupt 600 is beyond the 496 lines of the NVIC" "an interrupt number beyond the NVIC is an error"
sed -i 's/<600 3>/<5 3>/' "$WORK/nvic.dts"
run_socemu -dtb "$WORK/nvic.dts" -report
json "any('/cpus/cpu@0:irq5' in i for n in r['nodes'] for i in n['irqs'])"
ok $? "a device interrupt aimed at the NVIC is wired to the core's input irqN"
run_socemu -dtb "$boards/mps2-an385.dts" -report
json "any(c['model'] == 'cortex-m3' for k in r['clusters'] for c in k['cpus'])"
ok $? "the MPS2 AN385 board has a Cortex-M3"
json "any(n['path'] == '/soc/interrupt-controller@e000e100' and n['status'] == 'cpu-part' for n in r['nodes'])"
ok $? "the NVIC node is reported as a part of the core"
