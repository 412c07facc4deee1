#!/bin/sh
# examples/firmware-suite, a user's automake project, built and checked against this socemu:
# socemu.m4 finds it, the TAP driver reads the guests' output, and the verdicts are right
# (a pass, an expected failure, a virtual time-out reported as an error), also under make -j.
. "$top_srcdir/tests/integration/lib.sh"
[ -n "${RISCV_CC:-}" ] || skip_all "riscv64-unknown-elf-gcc is needed"
command -v autoreconf >/dev/null || skip_all "autoreconf is needed"
plan 6
cp -R "$top_srcdir/examples/firmware-suite" "$WORK/suite"
chmod -R u+w "$WORK/suite"
cd "$WORK/suite" || exit 1
autoreconf -fi -I "$top_srcdir/m4" >"$WORK/autoreconf.log" 2>&1
ok $? "autoreconf with socemu.m4"
./configure SOCEMU="$SOCEMU" SOCEMU_DTSDIR="$top_srcdir/dts" RISCV_CC="$RISCV_CC" >"$WORK/configure.log" 2>&1
ok $? "configure finds socemu (SOCEMU_PROG)"
make -j4 check >"$WORK/check.log" 2>&1
ok $(test $? -ne 0; echo $?) "make check fails, because one test times out"
grep -q '^PASS: pass.elf 2 - strings' test-suite.log; ok $? "pass.elf passes"
grep -q '^XFAIL: fail.elf 2 - this one fails on purpose' test-suite.log; ok $? "fail.elf fails (expected)"
grep -q '^ERROR: timeout.elf - Bail out! socemu: virtual time-out after 2 s' test-suite.log
ok $? "timeout.elf is an error: Bail out! with the virtual time-out"
[ "$TAP_FAILED" -eq 0 ] || { echo "# test-suite.log:"; diag test-suite.log; }
