#!/bin/sh
# tests/firmware/run-elf.sh ELF — automake's LOG_COMPILER for guest test programs: runs one
# cross-built image on the board its name asks for, with semihosting, so that the guest's
# own TAP output and exit status are the test's (socemu used as a firmware teams would).
#   NAME-rv32.elf -> dts/boards/riscv32-mcu.dts      NAME-rv64.elf -> dts/boards/riscv-virt.dts
#   NAME-m0.elf, -m3.elf, -m4f.elf, -m33.elf -> the matching Arm boards
set -u
elf=$1
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${SOCEMU:=$top_srcdir/socemu}"
extra=
case "$elf" in
*-rv32.elf) board=riscv32-mcu.dts ;;
# picolibc's start-up code does not park secondary harts: run the programs on hart 0 alone.
*-rv64.elf) board=riscv-virt.dts; extra='-set /cpus/cpu@1:status="disabled"' ;;
*-m0.elf) board=mps2-an385-m0.dts ;;
*-m3.elf) board=mps2-an385.dts ;;
*-m4f.elf) board=mps2-an386.dts ;;
*-m33.elf) board=mps2-an505.dts ;;
*) echo "Bail out! run-elf.sh: no board for $elf"; exit 99 ;;
esac
root=$(mktemp -d "${TMPDIR:-/tmp}/socemu-fw.XXXXXX")
trap 'rm -rf "$root"' EXIT
"$SOCEMU" -dtb "$top_srcdir/dts/boards/$board" -kernel "$elf" -semihosting \
	-semihosting-root "$root" -timeout 20s -serial uart0=null $extra
