# SPDX-License-Identifier: MIT
# Helpers for the t_pvblock_*.sh sandbox tests (sourced, not run).
# Disk images are plain files with a seeded pseudo-random pattern; every
# check compares what pvboot computed (crc32 command) with the host (zlib).

# The runner, ok/bad/finish and $TMP come from lib.sh; the checks here take
# the transcript file as their first argument.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# mkimg FILE MiB SEED: a file of pseudo-random bytes.
mkimg() {
	python3 -c "import random,sys; r=random.Random($3); open(sys.argv[1],'wb').write(r.randbytes($2*1048576))" "$1"
}

# hostcrc FILE OFFSET LEN: crc32 of a byte range, as 8 hex digits.
hostcrc() {
	python3 -c "import zlib,sys; f=open(sys.argv[1],'rb'); f.seek($2); print('%08x' % zlib.crc32(f.read($3)))" "$1"
}

# sb_to OUT ARGS...: run the sandbox with a 60 s guard; transcript (stdout+stderr) in OUT.
sb_to() {
	local out=$1
	shift
	timeout 60 "$SANDBOX" "$@" >"$out" 2>&1 </dev/null
	echo $? >"$out.rc"
	audit_run "$out" "$(cat "$out.rc")"
}

# expect OUT REGEX WHAT / expect_not OUT REGEX WHAT
expect() {
	if grep -Eq -- "$2" "$1"; then ok "$3"; else
		bad "$3 (no /$2/ in transcript)"
		sed 's/^/    | /' "$1" | tail -30
	fi
}

expect_not() {
	if grep -Eq -- "$2" "$1"; then
		bad "$3 (/$2/ found)"
		grep -E -- "$2" "$1" | sed 's/^/    | /' | head -5
	else ok "$3"; fi
}

# expect_crc OUT HOSTCRC WHAT: the Nth crc32 line must match (N = 4th arg, default 1).
expect_crc() {
	local got
	got=$(grep -Eo '==> [0-9a-f]{8}' "$1" | sed -n "${4:-1}p" | cut -c5-)
	if [ "$got" = "$2" ]; then ok "$3 (crc32 $got)"; else
		bad "$3 (pvboot crc32 '${got}', host $2)"
		sed 's/^/    | /' "$1" | tail -30
	fi
}

# xen_clean OUT: the transcript's `xen check` found no grant in use or busy
# and no port open ("xen: nothing left behind ..."), and none said otherwise.
xen_clean() {
	grep -q '^xen: nothing left behind' "$1" && ! grep -q '^xen: left behind:' "$1"
}

# expect_xen_clean OUT WHAT
expect_xen_clean() {
	if xen_clean "$1"; then ok "$2"; else
		bad "$2 ($(grep -E '^xen: ' "$1" | head -1))"
		sed 's/^/    | /' "$1" | tail -20
	fi
}

expect_rc() {
	local rc
	rc=$(cat "$1.rc")
	if [ "$rc" = "$2" ]; then ok "$3 (exit $rc)"; else
		bad "$3 (exit $rc, expected $2)"
		sed 's/^/    | /' "$1" | tail -30
	fi
}
