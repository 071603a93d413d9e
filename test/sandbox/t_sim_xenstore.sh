#!/bin/bash
# SPDX-License-Identifier: MIT
# The simulated xenstored through pvboot's client: the preloaded tree,
# permissions as xenstored enforces them, and every reply fault ending in a
# clear error with the prompt still alive (the next request works again).
. "$(dirname "$0")/sim_helpers.sh"

touch "$TMP/d.img" && truncate -s 8M "$TMP/d.img"

sb "$TMP/tree" --disk "$TMP/d.img" -c 'xenstore read name; xenstore read domid; xenstore read device/vbd/51712/backend; xenstore read /local/domain/0/backend/vbd/1/51712/frontend-id; xenstore ls console'
expect_rc "$TMP/tree" 0 "reads of the preloaded tree succeed"
expect "$TMP/tree" "^pvboot-sandbox" "name"
expect "$TMP/tree" "^1" "domid"
expect "$TMP/tree" "^/local/domain/0/backend/vbd/1/51712" "relative path resolved in /local/domain/1"
expect "$TMP/tree" "ring-ref" "console directory listed"

sb "$TMP/perm" -c 'xenstore write /local/domain/0/name evil || echo refused; xenstore write data/test hello && xenstore read data/test'
expect "$TMP/perm" "permission denied" "guest cannot write dom0's nodes (EACCES)"
expect "$TMP/perm" "^refused" "the failed write fails the command"
expect "$TMP/perm" "^hello" "guest can write its own data/ node and read it back"

sb "$TMP/rm" -c 'xenstore read no/such/node || echo missing-ok; xenstore write data/a/b x; xenstore rm data/a; xenstore read data/a/b || echo gone-ok'
expect "$TMP/rm" "^missing-ok" "missing node is an error"
expect "$TMP/rm" "^gone-ok" "rm removes the subtree"

# Faults switched on after boot, one request fails, the next (faults off) works.
for f in xs-garbage xs-oversize xs-error=EACCES xs-wrong-reqid xs-truncated xs-stall; do
	sb "$TMP/$f" -c "sim fault $f; xenstore read name || echo FAILED-AS-EXPECTED; sim fault clear; xenstore read domid; echo alive"
	expect "$TMP/$f" "^FAILED-AS-EXPECTED" "$f: the request fails"
	expect "$TMP/$f" "xenstore: read name: [a-z]" "$f: with a message"
	expect "$TMP/$f" "^alive" "$f: prompt alive afterwards"
	expect_not "$TMP/$f" "^pvboot-sandbox[[:space:]]*$" "$f: no value taken from a bad reply"
	expect_not "$TMP/$f" "AddressSanitizer|runtime error" "$f: no memory error"
done
expect "$TMP/xs-stall" "timed out" "xs-stall: reported as a timeout"
expect "$TMP/xs-error=EACCES" "permission denied" "xs-error=EACCES: mapped to EACCES"

# From the command line, before boot: pvblock cannot enumerate, the shell still runs.
sb "$TMP/boot-err" --disk "$TMP/d.img" --sim-fault=xs-error=EIO -c "echo alive"
expect_rc "$TMP/boot-err" 0 "every reply EIO from boot: the shell still runs"
expect "$TMP/boot-err" "pvblock: .*(I/O error|EIO|error)" "pvblock says why it has no disks"

finish
