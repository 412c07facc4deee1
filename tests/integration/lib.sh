# tests/integration/lib.sh — a few TAP helpers for the integration scripts.
# Each script: . "$top_srcdir/tests/integration/lib.sh"; plan N; ok/check...; done_testing
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${SOCEMU:=$top_builddir/socemu}"
: "${DTC:=dtc}"
TAP_N=0
TAP_FAILED=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/socemu-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

ok() {   # ok CONDITION-EXIT-STATUS DESCRIPTION
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then echo "ok $TAP_N - $2"
	else echo "not ok $TAP_N - $2"; TAP_FAILED=$((TAP_FAILED + 1)); fi
}

diag() { sed 's/^/# /' "$@"; }

# run_socemu ARGS...: runs socemu with stdout/stderr captured in $WORK/out and $WORK/err,
# and the exit status in $STATUS.
# A socemu that hangs fails its test (status 137, killed after 60 s) instead of the suite.
run_socemu() {
	STATUS=0
	timeout -s KILL 60 "$SOCEMU" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null || STATUS=$?
}

# expect_fail STATUS SUBSTRING DESCRIPTION: last run exited STATUS with SUBSTRING on stderr.
expect_fail() {
	if [ "$STATUS" -eq "$1" ] && grep -qF -- "$2" "$WORK/err"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "# expected exit $1 and stderr containing: $2"
		echo "# got exit $STATUS, stderr:"; diag "$WORK/err"
	fi
}

# json QUERY: evaluate a python expression over the JSON in $WORK/out (bound to r).
json() {
	python3 -c "import json,sys; r=json.load(open('$WORK/out')); sys.exit(0 if ($1) else 1)"
}
