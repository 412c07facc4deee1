#!/bin/sh
# tests/firmware/run-elf.sh ELF — automake's LOG_COMPILER for guest test programs: runs one
# cross-built image on the board its name asks for, with semihosting, so that the guest's
# own TAP output and exit status are the test's (socemu used as a firmware teams would).
#   NAME-rv32.elf -> dts/boards/riscv32-mcu.dts      NAME-rv64.elf -> dts/boards/riscv-virt.dts
#   NAME-m0.elf, -m3.elf, -m4f.elf, -m33.elf -> the matching Arm boards
# RISC-V names may ask for a variant of the board's harts:
#   ...-su-rvNN.elf   harts with S and U modes (rv32: "su" in riscv,isa; rv64: an mmu-type)
#   ...-u-rvNN.elf    harts with U mode (M and U)
#   ...-noc-rvNN.elf  harts without the C extension
#   ...-smp-rvNN.elf  every hart runs (rv32: tests/data/riscv32-mcu-smp.dtso adds a second hart)
# A guest that ends with a deliberate exit status prints "# expected exit status N" first; the
# run then passes only with that status (and "Bail out!" says why when it differs).
set -u
elf=$1
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${SOCEMU:=$top_srcdir/socemu}"
extra=
case "$elf" in
*-rv32.elf) board=riscv32-mcu.dts ;;
# Programs that do not use riscv-virt's second hart run with hart 0 alone (NAME-smp keeps both).
*-rv64.elf) board=riscv-virt.dts; extra='-set /cpus/cpu@1:status="disabled"' ;;
*-m0.elf) board=mps2-an385-m0.dts ;;
*-m3.elf) board=mps2-an385.dts ;;
*-m4f.elf) board=mps2-an386.dts ;;
*-m33.elf) board=mps2-an505.dts ;;
*) echo "Bail out! run-elf.sh: no board for $elf"; exit 99 ;;
esac
case "$elf" in
*-su-rv32.elf) extra="$extra -set /cpus/cpu@0:riscv,isa=\"rv32imacsu_zicsr_zifencei\"" ;;
*-su-rv64.elf) extra="$extra -set /cpus/cpu@0:mmu-type=\"riscv,sv39\"" ;;
*-u-rv32.elf) extra="$extra -set /cpus/cpu@0:riscv,isa=\"rv32imacu_zicsr_zifencei\"" ;;
*-u-rv64.elf) extra="$extra -set /cpus/cpu@0:riscv,isa=\"rv64imacu_zicsr_zifencei\"" ;;
*-noc-rv32.elf) extra="$extra -set /cpus/cpu@0:riscv,isa=\"rv32ima_zicsr_zifencei\"" ;;
*-noc-rv64.elf) extra="$extra -set /cpus/cpu@0:riscv,isa=\"rv64ima_zicsr_zifencei\"" ;;
*-smp-rv32.elf) extra="-overlay $top_srcdir/tests/data/riscv32-mcu-smp.dtso" ;;
*-smp-rv64.elf) extra= ;;
esac
work=$(mktemp -d "${TMPDIR:-/tmp}/socemu-fw.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root     # a fresh, empty -semihosting-root for each run
mkdir "$root"
# shellcheck disable=SC2086 # $extra holds several words
"$SOCEMU" -dtb "$top_srcdir/dts/boards/$board" -kernel "$elf" -semihosting \
	-semihosting-root "$root" -timeout 20s -serial uart0=null $extra >"$work/out"
status=$?
cat "$work/out"
want=$(sed -n 's/^# expected exit status \([0-9][0-9]*\)$/\1/p' "$work/out" | tail -n 1)
if [ -n "$want" ]; then
	if [ "$status" -ne "$want" ]; then
		echo "Bail out! socemu exited with status $status, the guest asked for $want"
		exit 1
	fi
	exit 0
fi
exit $status
