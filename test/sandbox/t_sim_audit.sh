#!/bin/bash
# SPDX-License-Identifier: MIT
# The end-of-run audit (lib.sh audit_run) covers every run, however it ends:
# a guest that dies in AddressSanitizer or UBSan, crashes itself, aborts or
# hangs until the time limit still gets the sandbox's report (its console
# output so far, then what the simulated Xen still holds), and the audit
# fails on it. A run with no report at all fails too.
. "$(dirname "$0")/lib.sh"

disk=$TMP/disk.img
truncate -s 4M "$disk"

# The verdict of the ordinary audit (no marks) on the last run: how many failures.
plain_audit_failures() {
	(
		FAIL=0
		unset SB_NO_AUDIT SB_EXPECT_NOT_CLEAN
		audit_run "$OUT" "$STATUS" >/dev/null
		echo "$FAIL"
	)
}

# dies KIND REPORT [sb options]: a connected disk, then `sim die KIND`.
dies() {
	local kind=$1 report=$2
	shift 2
	SB_EXPECT_NOT_CLEAN=1 sb "$@" --disk "$disk" -c "pvblock info; sim die $kind"
	expect_line 'Capacity: 4\.0 MB' "$kind: the console output before the end is in the transcript"
	expect_line "## Sandbox: $report NOT clean" "$kind: the sandbox reports how the run ended"
	expect_line '## Sandbox: [0-9]+ grant reference\(s\) still give access' \
		"$kind: ...and the grants the disk still held"
	expect_line '## Sandbox: shared_info is still in the physmap' "$kind: ...and shared_info"
	if [ "$(plain_audit_failures)" = 1 ]; then ok "$kind: the audit fails on this run"; else
		bad "$kind: the audit let this run pass"
	fi
}

dies asan 'died in a sanitizer'
expect_line 'ERROR: AddressSanitizer: heap-use-after-free' "asan: AddressSanitizer's report is kept"
dies ubsan 'died in a sanitizer'
expect_line 'runtime error: signed integer overflow' "ubsan: UBSan's report is kept"
dies crash 'crash'
expect_status 20 "crash: exit status 20"
SB_TIMEOUT=3 dies hang 'killed by signal 15 \(Terminated\)'
expect_status 124 "hang: killed by the time limit"

# abort(): only a fixed line is safe to write from there, and the audit fails on it.
SB_EXPECT_NOT_CLEAN=1 sb --disk "$disk" -c 'pvblock info; sim die abort'
expect_line '## Sandbox: aborted \(SIGABRT\): what the guest held is unknown, NOT clean' \
	"abort: the sandbox says how the run ended"
if [ "$(plain_audit_failures)" = 1 ]; then ok "abort: the audit fails on this run"; else
	bad "abort: the audit let this run pass"
fi

# A run the sandbox could not report on (SIGKILL at once) fails the audit.
RUNS=$((RUNS + 1))
OUT=$TMP/out.$RUNS
timeout -s KILL 3 "$SANDBOX" -c 'sim die hang' >"$OUT" 2>&1 </dev/null
STATUS=$?
if [ "$(plain_audit_failures)" = 1 ]; then ok "no report at all: the audit fails"; else
	bad "no report at all: the audit let it pass"
fi

# SB_NO_AUDIT is for runs that start no guest: on one that does, it fails.
sb -c version
expect_status 0 "a guest that runs normally"
if [ "$(
	FAIL=0
	SB_NO_AUDIT=1 audit_run "$OUT" "$STATUS" >/dev/null
	echo "$FAIL"
)" = 1 ]; then ok "SB_NO_AUDIT on a run with a guest: the audit fails"; else
	bad "SB_NO_AUDIT on a run with a guest: the audit let it pass"
fi

# And the ordinary case: a clean run passes.
sb --disk "$disk" -c 'pvblock info'
if [ "$(plain_audit_failures)" = 0 ]; then ok "a clean run passes the audit"; else
	bad "a clean run failed the audit"
fi
finish
