#!/bin/bash
# SPDX-License-Identifier: MIT
# A xenstored that floods its ring: every wait on it still ends within its
# bound (CONFIG_XEN_WAIT_TIMEOUT_MS, 10 s here, or the wait's own), with a
# clear error and a live prompt, and Ctrl-C ends it at once. The flooding
# server refills the ring the moment pvboot takes a message, as a xenstored
# on another CPU would: a client that looks at its clock only when the ring
# is empty never ends.
. "$(dirname "$0")/lib.sh"

# elapsed_since START_NS: whole seconds since then.
elapsed_since() {
	echo $((($(date +%s%N) - $1) / 1000000000))
}

# within SECS MAX WHAT: the last run ended by itself, in at most MAX seconds.
within() {
	if [ "$STATUS" != 124 ] && [ "$STATUS" != 137 ] && [ "$1" -le "$2" ]; then
		ok "$3 (${1} s)"
	else
		bad "$3 (took ${1} s, exit $STATUS)"
	fi
}

# A read whose reply never comes, the ring full of replies to requests
# nobody made.
t0=$(date +%s%N)
sb -c 'sim fault xs-flood-stray; xenstore read name; sim fault clear; echo alive; xenstore read name'
secs=$(elapsed_since "$t0")
expect_line '^xenstore: read name: malformed or mismatched reply \(protocol error\)$' \
	"strays: the read fails with a clear error"
within "$secs" 20 "strays: the read ended within its bound"
expect_exact 'alive' "strays: the prompt is alive"
expect_exact 'pvboot-sandbox' "strays: the next read after the flood works"

# The same wait, ended by Ctrl-C long before its deadline.
typing() {
	printf 'sim fault xs-flood-stray\rxenstore read name\r'
	sleep 1
	printf '\003'
	sleep 0.5
	printf 'sim fault clear\recho alive\r'
}
t0=$(date +%s%N)
sb_feed typing
secs=$(elapsed_since "$t0")
expect_line '^xenstore: read name: interrupted$' "strays: Ctrl-C interrupts the read"
expect_exact 'alive' "strays: the prompt is alive after Ctrl-C"
within "$secs" 6 "strays: Ctrl-C ended it at once"

# Watch events for a watch never set, without end: replies still get
# through, and a watch wait ends at its own deadline.
t0=$(date +%s%N)
sb -c 'sim fault xs-flood-events; xenstore read name; xenstore watch data 2; echo after-watch; sim fault clear; xen info'
secs=$(elapsed_since "$t0")
expect_exact 'pvboot-sandbox' "events: a read works through the flood"
expect_exact 'watching data for 2 s (Ctrl-C stops)' "events: the watch starts"
expect_exact 'after-watch' "events: the watch ends"
expect_no '^flood' "events: no event of a watch never set is reported"
expect_line 'events dropped, [1-9][0-9]* for no watch of ours' "events: xen info counts them"
within "$secs" 12 "events: the watch ended at its deadline"

# A disk connecting while the ring is flooded: the backend-state waits still
# see the backend's state, and the disk comes up.
disk=$TMP/disk.img
truncate -s 4M "$disk"
sb --disk "$disk" --sim-fault=xs-flood-events -c 'pvblock info; sim fault clear'
expect_line 'Capacity: 4\.0 MB' "events: the disk connects through the flood"
expect_status 0 "events: exit status 0"

# A backend that never connects, while flooded: the wait ends at its bound
# with the backend's state named, and the prompt is alive.
t0=$(date +%s%N)
sb --disk "$disk" --sim-fault=xs-flood-events --sim-fault=blk-never-connect -c 'echo alive'
secs=$(elapsed_since "$t0")
expect_line 'backend did not connect within 10000 ms' "events: the connect wait ends with a clear error"
expect_exact 'alive' "events: the prompt is alive after the failed connect"
within "$secs" 30 "events: the connect wait ended within its bound"
finish
