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
# The outer make's flags and variables must not leak into the project's own make.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -j4 check >"$WORK/check.log" 2>&1
ok $(test $? -ne 0 && test -f test-suite.log; echo $?) "make check runs the suite and fails (one failure, one time-out)"
test "$(grep -c ':test-result: PASS' pass.elf.trs)" -eq 2 && ! grep -q ':test-result: [^P]' pass.elf.trs
ok $? "pass.elf passes (two test points)"
grep -q '^FAIL: fail.elf 2 - this one fails on purpose' test-suite.log; ok $? "fail.elf fails"
grep -q '^ERROR: timeout.elf - Bail out! socemu: virtual time-out after 2 s' test-suite.log
ok $? "timeout.elf is an error: Bail out! with the virtual time-out"
[ "$TAP_FAILED" -eq 0 ] || { echo "# make check:"; diag "$WORK/check.log"; [ -f test-suite.log ] && diag test-suite.log; }
