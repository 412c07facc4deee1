#!/bin/sh
# The command line as a new user meets it: help, version, and mistakes.
. "$top_srcdir/tests/integration/lib.sh"
plan 10
board="$top_srcdir/dts/boards/riscv-virt.dts"

run_socemu --help
ok $(test "$STATUS" -eq 0 && grep -q "Usage: socemu -dtb" "$WORK/out"; echo $?) "--help prints usage on stdout"
run_socemu -help
ok $(test "$STATUS" -eq 0 && grep -q "Exit status:" "$WORK/out"; echo $?) "-help (one dash) documents exit statuses"
run_socemu -version
ok $(test "$STATUS" -eq 0 && grep -q "^socemu [0-9]" "$WORK/out"; echo $?) "-version"
run_socemu -bogus
expect_fail 1 "unknown option '-bogus'" "unknown option is a usage error"
run_socemu -dtb
expect_fail 1 "needs an argument" "missing option argument"
run_socemu
expect_fail 1 "no machine given" "no -dtb"
run_socemu -dtb "$WORK/nonexistent.dtb" -report
expect_fail 1 "nonexistent.dtb" "missing tree file named"
run_socemu -dtb "$board" -d nonsense -report
expect_fail 1 "unknown log category 'nonsense'" "bad -d category"
run_socemu -dtb "$board" -timeout 5parsecs -report
expect_fail 1 "'5parsecs' is not a duration" "bad -timeout"
run_socemu -list-devices
ok $(test "$STATUS" -eq 0 && grep -q '"ns16550a"' "$WORK/out"; echo $?) "-list-devices names compatibles"
