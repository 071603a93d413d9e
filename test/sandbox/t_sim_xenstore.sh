#!/bin/bash
# SPDX-License-Identifier: MIT
# The simulated xenstored through pvboot's client: the preloaded tree,
# permissions as xenstored enforces them, and every reply fault ending in a
# clear error with the prompt still alive (the next request works again).
. "$(dirname "$0")/lib.sh"

touch "$TMP/d.img" && truncate -s 8M "$TMP/d.img"

sb --disk "$TMP/d.img" -c 'xenstore read name; xenstore read domid; xenstore read device/vbd/51712/backend; xenstore read /local/domain/0/backend/vbd/1/51712/frontend-id; xenstore ls console'
expect_status 0 "reads of the preloaded tree succeed"
expect_line "^pvboot-sandbox" "name"
expect_line "^1" "domid"
expect_line "^/local/domain/0/backend/vbd/1/51712" "relative path resolved in /local/domain/1"
expect_line "ring-ref" "console directory listed"

sb -c 'xenstore write /local/domain/0/name evil || echo refused; xenstore write data/test hello && xenstore read data/test'
expect_line "permission denied" "guest cannot write dom0's nodes (EACCES)"
expect_line "^refused" "the failed write fails the command"
expect_line "^hello" "guest can write its own data/ node and read it back"

sb -c 'xenstore read no/such/node || echo missing-ok; xenstore write data/a/b x; xenstore rm data/a; xenstore read data/a/b || echo gone-ok'
expect_line "^missing-ok" "missing node is an error"
expect_line "^gone-ok" "rm removes the subtree"

# Faults switched on after boot, one request fails, the next (faults off) works.
for f in xs-garbage xs-oversize xs-error=EACCES xs-wrong-reqid xs-truncated xs-stall; do
	sb -c "sim fault $f; xenstore read name || echo FAILED-AS-EXPECTED; sim fault clear; xenstore read domid; echo alive"
	expect_line "^FAILED-AS-EXPECTED" "$f: the request fails"
	expect_line "xenstore: read name: [a-z]" "$f: with a message"
	expect_line "^alive" "$f: prompt alive afterwards"
	expect_no "^pvboot-sandbox[[:space:]]*$" "$f: no value taken from a bad reply"
	expect_no "AddressSanitizer|runtime error" "$f: no memory error"
	case $f in
	xs-stall) expect_line "timed out" "xs-stall: reported as a timeout" ;;
	xs-error=EACCES) expect_line "permission denied" "xs-error=EACCES: mapped to EACCES" ;;
	esac
done

# A slow xenstored (replies 300 ms late): slow, but right.
sb -c 'sim fault xs-delay=300; time xenstore read name'
expect_exact "pvboot-sandbox" "xs-delay: the value still arrives"
expect_line "^time: 0\.[3-9][0-9]* seconds" "xs-delay: it took the 300 ms"

# From the command line, before boot: pvblock cannot enumerate, the shell still runs.
sb --disk "$TMP/d.img" --sim-fault=xs-error=EIO -c "echo alive"
expect_status 0 "every reply EIO from boot: the shell still runs"
expect_line "pvblock: .*(I/O error|EIO|error)" "pvblock says why it has no disks"

finish
