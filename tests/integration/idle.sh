#!/bin/sh
# Idle is free: a hart asleep in WFI with only host input able to wake it blocks the process
# (no host CPU used); with nothing able to wake it the run ends as stuck; a timer wakes it
# after a jump of virtual time, not after host time.
. "$top_srcdir/tests/integration/lib.sh"
plan 7
board="$top_srcdir/dts/boards/riscv32-mcu.dts"
# wfi; j .-4 at the start of flash
printf '\163\000\120\020\157\360\337\377' >"$WORK/wfi.bin"
vec='-set /cpus/cpu@0:socemu,reset-vector=<0x20000000>'
# lui t0, 0x10013; li t1, 1; sw t1, 12(t0) (the console UART's rxctrl: receive on); then as
# above: a guest whose UART takes input, asleep with no interrupt enabled
printf '\267\062\001\020\023\003\020\000\043\246\142\000\163\000\120\020\157\360\337\377' >"$WORK/rx.bin"

# Nothing can wake the hart (mie = 0, console input at end of file): stuck, status 125.
run_socemu -dtb "$board" -kernel "$WORK/wfi.bin@0x20000000" $vec -serial uart0=null
ok $(test "$STATUS" -eq 125 && grep -q 'Bail out! socemu: guest stuck' "$WORK/out"; echo $?) \
	"a sleeping machine that nothing can wake ends as stuck (125) with Bail out!"

# The console on stdin, which is at its end (run_socemu reads /dev/null): nothing more can
# come, so the same machine is stuck rather than waiting forever.
run_socemu -dtb "$board" -kernel "$WORK/rx.bin@0x20000000" $vec
ok $(test "$STATUS" -eq 125 && grep -q 'Bail out! socemu: guest stuck' "$WORK/out"; echo $?) \
	"console on stdin at end of file: stuck (125), not waiting forever"

# More input than the UART can hold, for a guest that never reads it: once its receive FIFO
# is full nothing can change, so the run is stuck too (it used to wait forever).
i=0; : >"$WORK/in"; while [ $i -lt 64 ]; do printf 'abcd' >>"$WORK/in"; i=$((i + 1)); done
run_socemu -dtb "$board" -kernel "$WORK/rx.bin@0x20000000" $vec \
	-serial "uart0=file:$WORK/o,in=$WORK/in"
ok $(test "$STATUS" -eq 125 && grep -q 'Bail out! socemu: guest stuck' "$WORK/out"; echo $?) \
	"256 bytes of input for a guest that never reads: stuck (125) once the FIFO is full"

# Input could arrive on a socket: the process waits, using no CPU.
"$SOCEMU" -dtb "$board" -kernel "$WORK/rx.bin@0x20000000" $vec -serial "uart0=unix:$WORK/sock" \
	>"$WORK/out" 2>"$WORK/err" </dev/null &
pid=$!
sleep 1.5
if [ -r /proc/$pid/stat ]; then
	ticks=$(awk '{print $14 + $15}' /proc/$pid/stat)
	hz=$(getconf CLK_TCK)
	kill -TERM $pid; wait $pid; st=$?
	echo "# $ticks ticks (of $hz per second) of CPU used in 1.5 s of waiting"
	ok $(test "$ticks" -le $((hz / 10)); echo $?) "waiting for host input uses under 0.1 s of CPU in 1.5 s"
	ok $(test "$st" -eq 130; echo $?) "SIGTERM ends the run with status 130"
else
	wait $pid; ok 1 "socemu kept running while waiting for input"; ok 1 "SIGTERM"
fi

# A timer 10 s of virtual time ahead: WFI, time jumps there, the hart wakes and passes.
if [ -n "${RISCV_CC:-}" ]; then
	cat >"$WORK/timer.S" <<'ASM'
	.globl _start
_start:
	lui t0, 0x2004          /* CLINT mtimecmp of hart 0 */
	lui t1, 0x50            /* 0x50000 ticks of 32768 Hz = 10 s */
	sw t1, 0(t0)
	sw zero, 4(t0)
	li t2, 0x80             /* mie.MTIE; mstatus.MIE stays 0: WFI wakes without a trap */
	csrw mie, t2
	wfi
	lui t0, 0x100           /* test finisher: pass */
	lui t1, 0x5
	addi t1, t1, 0x555
	sw t1, 0(t0)
1:	j 1b
ASM
	$RISCV_CC -march=rv32imac_zicsr -mabi=ilp32 -nostdlib -Wl,-N -Wl,-Ttext=0x20000000 -o "$WORK/timer.elf" "$WORK/timer.S"
	start=$(date +%s)
	run_socemu -dtb "$board" -kernel "$WORK/timer.elf" -serial uart0=null -timeout 60s -stats
	took=$(( $(date +%s) - start ))
	virt=$(sed -n 's/^socemu: stats: virtual \([0-9]*\)\..*/\1/p' "$WORK/err")
	ok $(test "$STATUS" -eq 0 && test "$virt" -eq 10; echo $?) "WFI until a timer 10 s ahead: the guest passes at 10 s of virtual time"
	ok $(test "$took" -le 2; echo $?) "...within a moment of host time (${took} s): sleeping time is skipped"
else
	echo "ok 6 # SKIP no RISC-V cross compiler"; echo "ok 7 # SKIP no RISC-V cross compiler"
fi
