# SPDX-License-Identifier: MIT
# Helpers for the t_sim_*.sh sandbox tests (sourced): run pvboot-sandbox with a
# time guard, keep the transcript and exit status, check them.

SB=${1:-${PVBOOT_SANDBOX:-}}
if [ -z "$SB" ] || [ ! -x "$SB" ]; then
	echo "usage: $0 PVBOOT_SANDBOX" >&2
	exit 2
fi
SRCTREE=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0

# sb OUT ARGS...: stdin from /dev/null, 60 s guard; transcript in OUT, status in OUT.rc.
sb() {
	local out=$1
	shift
	timeout 60 "$SB" "$@" >"$out" 2>&1 </dev/null
	echo $? >"$out.rc"
}

# sb_in OUT INPUT ARGS...: the same with INPUT piped to stdin.
sb_in() {
	local out=$1 input=$2
	shift 2
	printf '%b' "$input" | timeout 60 "$SB" "$@" >"$out" 2>&1
	echo $? >"$out.rc"
}

ok() {
	PASS=$((PASS + 1))
	echo "ok: $*"
}

bad() {
	FAIL=$((FAIL + 1))
	echo "FAIL: $*"
}

show() {
	sed 's/^/    | /' "$1" | tail -30
}

expect() {
	if grep -Eq -- "$2" "$1"; then ok "$3"; else
		bad "$3 (no /$2/ in transcript)"
		show "$1"
	fi
}

expect_not() {
	if grep -Eq -- "$2" "$1"; then
		bad "$3 (/$2/ found)"
		grep -E -- "$2" "$1" | sed 's/^/    | /' | head -5
	else ok "$3"; fi
}

expect_rc() {
	local rc
	rc=$(cat "$1.rc")
	if [ "$rc" = "$2" ]; then ok "$3 (exit $rc)"; else
		bad "$3 (exit $rc, expected $2)"
		show "$1"
	fi
}

# dtb NAME SED-SCRIPT: the built-in DT source edited by sed, compiled by dtc.
dtb() {
	sed -e "$2" "$SRCTREE/arch/sandbox/sandbox.dts" >"$TMP/$1.dts"
	dtc -q -I dts -O dtb -o "$TMP/$1.dtb" "$TMP/$1.dts"
}

finish() {
	echo "$(basename "$0" .sh): $PASS passed, $FAIL failed"
	[ "$FAIL" = 0 ]
}
