#!/bin/bash
# SPDX-License-Identifier: MIT
# A dom0less domain starts before dom0 has given it XenStore: its
# HVM_PARAM_STORE_PFN is ~0 (or unset) until init-dom0less runs in dom0, or
# the ring's connection field says it is not connected yet. pvboot comes
# up anyway, says so, waits for it (bounded, Ctrl-C goes on without it), and
# finds the disks once it is up, at start-up or later at the prompt.
. "$(dirname "$0")/lib.sh"

disk=$TMP/disk.img
truncate -s 4M "$disk"

# XenStore comes up 1.5 s after the start, each of the three ways.
for fault in 'xs-late:HVM_PARAM_STORE_PFN is ~0' 'xs-late-unset:HVM_PARAM_STORE_PFN is not set' \
	'xs-unconnected:its ring is not connected yet'; do
	name=${fault%%:*}
	sb --disk "$disk" --sim-fault="$name=1500" -c 'pvblock info; xenstore read name'
	expect_exact "XenStore: not up yet (${fault#*:})" "$name: says why XenStore is not up"
	expect_line '^XenStore: waiting up to 60 s for dom0 to bring it up \(init-dom0less\); Ctrl-C goes on without it$' \
		"$name: says it waits, how long, and how to stop it"
	expect_line '^XenStore: up after [0-9]+\.[0-9] s$' "$name: says when it came up"
	expect_line 'Capacity: 4\.0 MB' "$name: the disk is found at start-up"
	expect_exact 'pvboot-sandbox' "$name: XenStore works"
	expect_status 0 "$name: exit status 0"
done

# Never up on its own: Ctrl-C ends the wait, the prompt works without
# XenStore and says why a request fails; when init-dom0less has run (the
# fault cleared), the next request attaches and `pvblock rescan` finds the disk.
typing() {
	sleep 1
	printf '\003'
	sleep 0.5
	printf 'xenstore read name\rpvblock info\rsim fault clear\r'
	printf 'xenstore read name\rpvblock rescan\rpvblock info\recho alive\r'
}
t0=$(date +%s%N)
sb_feed typing --disk "$disk" --sim-fault=xs-late
secs=$((($(date +%s%N) - t0) / 1000000000))
expect_exact 'XenStore: not up yet (HVM_PARAM_STORE_PFN is ~0)' "Ctrl-C: says why"
expect_exact 'XenStore: wait interrupted, going on without it' "Ctrl-C: ends the wait"
expect_line "^XenStore: 'xenstore wait' waits again; 'pvblock rescan' finds the disks once it is up$" \
	"Ctrl-C: says what to do later"
expect_exact 'xenstore: read name: XenStore is not up yet (dom0 has not run init-dom0less)' \
	"Ctrl-C: a request while it is not up fails with a clear error"
expect_exact 'XenStore: up' "Ctrl-C: the first request after init-dom0less attaches"
expect_exact 'pvboot-sandbox' "Ctrl-C: ...and gets its answer"
expect_line 'Capacity: 4\.0 MB' "Ctrl-C: pvblock rescan finds the disk"
expect_exact 'alive' "Ctrl-C: the prompt works throughout"
expect_status 0 "Ctrl-C: exit status 0"
if [ "$secs" -lt 20 ]; then ok "Ctrl-C: no 60 s wait (${secs} s)"; else bad "Ctrl-C: took ${secs} s"; fi

# The wait is bounded: `xenstore wait 2` gives up after 2 s.
typing_wait() {
	sleep 1
	printf '\003'
	sleep 0.5
	printf 'xenstore wait 2\recho alive\r'
}
sb_feed typing_wait --sim-fault=xs-unconnected
expect_exact 'XenStore: still not up after 2 s, going on without it' "timeout: gives up after its bound"
expect_exact 'alive' "timeout: the prompt is alive"

# dom0 attaches the disk after init-dom0less (xl block-attach): pvboot waits
# for a first device once XenStore came late, and finds the disk at start-up.
sb --disk "$disk" --sim-fault=xs-late=1000 --sim-fault=blk-attach-late=2500 -c 'pvblock info'
expect_line '^Xen: no devices yet: waiting up to 60 s for dom0 to attach one \(xl block-attach\); Ctrl-C goes on without$' \
	"late disk: says it waits for a device"
expect_line '^Xen: a device appeared after [0-9]+\.[0-9] s$' "late disk: says when it came"
expect_line 'Capacity: 4\.0 MB' "late disk: found at start-up"
expect_status 0 "late disk: exit status 0"

# No device ever comes: the wait is bounded by xenstore_wait, and Ctrl-C ends it.
typing_nodev() {
	sleep 2.5
	printf '\003'
	sleep 0.5
	printf 'echo alive\r'
}
sb_feed typing_nodev --disk "$disk" --sim-fault=xs-late=1000 --sim-fault=blk-attach-late=600000
expect_line '^Xen: wait interrupted after [0-9]+ s, going on without devices' "no device: Ctrl-C ends the wait"
expect_exact 'alive' "no device: the prompt is alive"

# XenStore up from the start (an ordinary domU): no wait for devices at all.
sb -c 'echo up'
expect_no "^Xen: no devices yet" "XenStore up at start: no device wait"

finish
