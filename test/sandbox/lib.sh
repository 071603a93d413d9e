# SPDX-License-Identifier: MIT
# Helpers for sandbox tests (sourced by t_*.sh; see test/sandbox/run).
#
#   sb [sandbox options] -c "cmds"   run pvboot-sandbox (stdin empty), transcript
#                                    in $OUT (CRs removed; as sent: $OUT.raw),
#                                    exit status in $STATUS
#   sb_script INPUT [options]        the same, typing INPUT (printf %b escapes,
#                                    so control bytes are "\003", "\033[A")
#   sb_feed FUNC [options]           the same, stdin is what shell function FUNC
#                                    prints (use sleeps in it to pace typing)
#   expect_line REGEX [what]         some transcript line matches (grep -E)
#   expect_no REGEX [what]           no line matches
#   expect_exact TEXT [what]         some line is exactly TEXT
#   expect_status N [what]           $STATUS is N
#   expect_count N REGEX [what]      exactly N lines match
#   finish                           summary line; exit status for run
# Every run is also audited (audit_run): unless it crashed, timed out or
# never started a guest, it must end with the sandbox's "## Sandbox: exit
# clean" (or "hand-off clean") report: nothing left behind in the simulated
# Xen, whatever the test did. finish says how many runs were audited. A run
# that starts no guest at all (--help) is marked with SB_NO_AUDIT=1.
# Every helper can fail; a failing one prints the transcript's tail.

# Helper files source this one; a test that uses two of them loads it once.
if [ -n "${SB_LIB_LOADED:-}" ]; then
	return 0
fi
SB_LIB_LOADED=1

SANDBOX=${SANDBOX:-${1:-}}
if [ -z "$SANDBOX" ] || [ ! -x "$SANDBOX" ]; then
	echo "usage: $0 PVBOOT_SANDBOX (or SANDBOX=path)" >&2
	exit 2
fi
SRCTREE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SB_TIMEOUT=${SB_TIMEOUT:-60}
PASS=0
FAIL=0
RUNS=0
AUDITED=0
OUT=/dev/null
STATUS=0

# audit_run TRANSCRIPT STATUS: the run left nothing behind (see above).
audit_run() {
	[ -z "${SB_NO_AUDIT:-}" ] || return 0
	case $2 in
	19 | 20 | 124 | 137) return 0 ;; # no guest, a crashed one, or killed: the test judges
	esac
	AUDITED=$((AUDITED + 1))
	if ! grep -Eaq '## Sandbox: (exit|hand-off) clean' "$1"; then
		FAIL=$((FAIL + 1))
		echo "FAIL: run $AUDITED (exit $2) left something behind, or was not audited:"
		grep -a '## Sandbox' "$1" | sed 's/^/    | /' | tail -10
	fi
}

sb() {
	RUNS=$((RUNS + 1))
	OUT=$TMP/out.$RUNS
	timeout "$SB_TIMEOUT" "$SANDBOX" "$@" >"$OUT.raw" 2>&1 </dev/null
	STATUS=$?
	tr -d '\r' <"$OUT.raw" >"$OUT"
	audit_run "$OUT" "$STATUS"
}

sb_script() {
	local input=$1
	shift
	RUNS=$((RUNS + 1))
	OUT=$TMP/out.$RUNS
	printf '%b' "$input" | timeout "$SB_TIMEOUT" "$SANDBOX" "$@" >"$OUT.raw" 2>&1
	STATUS=${PIPESTATUS[1]}
	tr -d '\r' <"$OUT.raw" >"$OUT"
	audit_run "$OUT" "$STATUS"
}

sb_feed() {
	local fn=$1
	shift
	RUNS=$((RUNS + 1))
	OUT=$TMP/out.$RUNS
	"$fn" | timeout "$SB_TIMEOUT" "$SANDBOX" "$@" >"$OUT.raw" 2>&1
	STATUS=${PIPESTATUS[1]}
	tr -d '\r' <"$OUT.raw" >"$OUT"
	audit_run "$OUT" "$STATUS"
}

ok() {
	PASS=$((PASS + 1))
	echo "ok: $*"
}

bad() {
	FAIL=$((FAIL + 1))
	echo "FAIL: $*"
	[ -f "$OUT.raw" ] || return 0 # the caller shows its own transcript
	echo "    transcript (exit $STATUS), last lines:"
	tail -20 "$OUT.raw" | cat -A | cut -c1-160 | sed 's/^/    | /'
}

expect_line() {
	if grep -Eq -- "$1" "$OUT"; then ok "${2:-/$1/}"; else bad "${2:-/$1/} (no line matches /$1/)"; fi
}

expect_no() {
	if grep -Eq -- "$1" "$OUT"; then bad "${2:-not /$1/} (/$1/ found)"; else ok "${2:-not /$1/}"; fi
}

expect_exact() {
	if grep -Fxq -- "$1" "$OUT"; then ok "${2:-line '$1'}"; else bad "${2:-line '$1'} (no such line)"; fi
}

expect_status() {
	if [ "$STATUS" = "$1" ]; then ok "${2:-exit status $1}"; else
		bad "${2:-exit status $1} (got $STATUS, expected $1)"
	fi
}

expect_count() {
	local n
	n=$(grep -Ec -- "$2" "$OUT")
	if [ "$n" = "$1" ]; then ok "${3:-$1 x /$2/}"; else bad "${3:-$1 x /$2/} (found $n)"; fi
}

finish() {
	echo "$(basename "$0" .sh): $AUDITED run(s) audited for leftovers at exit"
	echo "$(basename "$0" .sh): $PASS passed, $FAIL failed"
	[ "$FAIL" = 0 ] && [ "$PASS" -gt 0 ]
}
