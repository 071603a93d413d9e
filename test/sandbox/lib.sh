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
# Every run is also audited (audit_run): it must end with the sandbox's own
# report, "## Sandbox: exit clean" (or "hand-off clean"): nothing left behind
# in the simulated Xen, whatever the test did. The sandbox reports however
# the run ends: killed by the time limit (SIGTERM), aborted, dead in ASan or
# UBSan, or crashed; such a run is never clean, and a run with no report at
# all (SIGKILL) fails too. Marks for the few runs that differ, set for one
# call (SB_NO_AUDIT=1 sb ...):
#   SB_NO_AUDIT=1          the run starts no guest (--help, a refused
#                          option or DT): it must not report either
#   SB_EXPECT_NOT_CLEAN=1  the test leaves something behind on purpose: the
#                          report must say "NOT clean"; the test checks what
#   SB_MAY_BE_DESTROYED=1  a fault may destroy the domain (xl destroy): then
#                          the report is "destroyed ... NOT clean"; if the
#                          run ends by itself it is audited as usual
# finish says how many runs were audited. Every helper can fail; a failing
# one prints the transcript's tail.

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
# After SB_TIMEOUT, SIGTERM (the sandbox then reports); SIGKILL this much later.
SB_KILL_AFTER=10
PASS=0
FAIL=0
RUNS=0
AUDITED=0
OUT=/dev/null
STATUS=0

# audit_run TRANSCRIPT STATUS: the run reported, and left nothing behind (see above).
audit_run() {
	local report why=""
	report=$(grep -Eao '## Sandbox: .*(clean|NOT clean).*' "$1" | tail -1)
	if [ -n "${SB_NO_AUDIT:-}" ]; then
		[ -z "$report" ] && return 0
		why="was marked SB_NO_AUDIT but started a guest"
	else
		AUDITED=$((AUDITED + 1))
		if [ -z "$report" ]; then
			why="ended without the sandbox's report (killed outright?)"
		elif [ -n "${SB_MAY_BE_DESTROYED:-}" ] &&
			echo "$report" | grep -q '^## Sandbox: destroyed .*NOT clean'; then
			: # what it held when destroyed: nothing to release it
		elif [ -n "${SB_EXPECT_NOT_CLEAN:-}" ]; then
			echo "$report" | grep -q 'NOT clean' || why="was expected to leave something behind"
		elif ! echo "$report" | grep -Eq '^## Sandbox: (exit|hand-off) clean'; then
			why="left something behind, or did not end by itself"
		fi
	fi
	[ -z "$why" ] && return 0
	FAIL=$((FAIL + 1))
	echo "FAIL: run $RUNS (exit $2) $why:"
	grep -Ea '## Sandbox|^sim: |ERROR: (Address|Undefined)Sanitizer|runtime error' "$1" |
		sed 's/^/    | /' | tail -12
}

sb() {
	RUNS=$((RUNS + 1))
	OUT=$TMP/out.$RUNS
	timeout -k "$SB_KILL_AFTER" "$SB_TIMEOUT" "$SANDBOX" "$@" >"$OUT.raw" 2>&1 </dev/null
	STATUS=$?
	tr -d '\r' <"$OUT.raw" >"$OUT"
	audit_run "$OUT" "$STATUS"
}

sb_script() {
	local input=$1
	shift
	RUNS=$((RUNS + 1))
	OUT=$TMP/out.$RUNS
	printf '%b' "$input" | timeout -k "$SB_KILL_AFTER" "$SB_TIMEOUT" "$SANDBOX" "$@" >"$OUT.raw" 2>&1
	STATUS=${PIPESTATUS[1]}
	tr -d '\r' <"$OUT.raw" >"$OUT"
	audit_run "$OUT" "$STATUS"
}

# In a feeder of sb_feed: wait (at most SECS, default 20) until the run's
# output holds PATTERN, so that a key is typed when the command is running
# rather than after a fixed sleep that a loaded host can outlast (a Ctrl-C
# typed before the command starts is forgotten when it starts, as in U-Boot).
wait_output() {
	local i
	for ((i = 0; i < ${2:-20} * 10; i++)); do
		grep -Eq -- "$1" "$OUT.raw" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "wait_output: no /$1/ in ${2:-20} s" >&2
	return 1
}

sb_feed() {
	local fn=$1
	shift
	RUNS=$((RUNS + 1))
	OUT=$TMP/out.$RUNS
	"$fn" | timeout -k "$SB_KILL_AFTER" "$SB_TIMEOUT" "$SANDBOX" "$@" >"$OUT.raw" 2>&1
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
