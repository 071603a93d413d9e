#!/bin/bash
# SPDX-License-Identifier: MIT
# Hostile or broken blkback: every fault ends in a clear error, a live
# prompt, no "OK" for failed I/O, and no hang (each run is bounded).
. "$(dirname "$0")/pvblock_helpers.sh"

mkimg "$TMP/d.img" 4 31
READ='pvblock read 40200000 0 2000; echo ALIVE'

io_fault() { # name regex-of-error fault...
	local name=$1 err=$2
	shift 2
	sb_to "$TMP/$name" --disk "$TMP/d.img" "$@" -c "$READ"
	expect "$TMP/$name" "$err" "$name: clear error"
	expect_not "$TMP/$name" "blocks read: OK" "$name: no success reported"
	expect "$TMP/$name" "^ALIVE" "$name: prompt alive"
	expect_not "$TMP/$name" "VIOLATION" "$name: no grant violation"
}

io_fault error "I/O error reported by the backend" --sim-fault=blk-error
io_fault error-later "I/O error reported by the backend" --sim-fault=blk-error=3
io_fault eopnotsupp "operation not supported by the backend" --sim-fault=blk-eopnotsupp
io_fault wrong-id "response with an unknown id" --sim-fault=blk-wrong-id
io_fault dup-id "duplicate response for an id" --sim-fault=blk-dup-id
io_fault rsp-prod-garbage "rsp_prod [0-9]+ is impossible" --sim-fault=blk-rsp-prod-garbage
io_fault stall "backend does not answer; disk disabled" --sim-fault=blk-stall
io_fault close-midway "backend closed the device; disk disabled" --sim-fault=blk-close-midway=2

# A backend that closes mid-transfer is followed to Closed and let go of.
sb_to "$TMP/closed" --disk "$TMP/d.img" --sim-fault=blk-close-midway=2 \
	-c 'pvblock read 40200000 0 2000; xen check; pvblock read 40200000 0 8; echo ALIVE'
expect "$TMP/closed" "blkback 0: frontend closed after 2 requests" "close-midway: frontend followed to Closed"
expect "$TMP/closed" "device failed earlier, no I/O" "close-midway: later I/O refused at once"
expect_not "$TMP/closed" "blocks read: OK" "close-midway: no success"
expect_xen_clean "$TMP/closed" "close-midway: xen check finds no grant in use or busy, no port open"
expect "$TMP/closed" "^ALIVE" "close-midway: prompt alive"

# The check above can fail: a connected disk holds its ring and pool grants.
sb_to "$TMP/held" --disk "$TMP/d.img" -c 'pvblock read 40200000 0 8; xen check'
if xen_clean "$TMP/held"; then
	bad "xen check judged clean with a disk connected: the grant check cannot fail"
	sed 's/^/    | /' "$TMP/held" | tail -10
else
	ok "the grant check fails while a disk holds grants ($(grep -Eo 'left behind: [0-9]+ grants in use' "$TMP/held"))"
fi

# xl block-detach while idle at the prompt: the backend goes Closing but
# still answers; pvboot must notice, refuse the I/O and let the disk go.
sb_to "$TMP/detach" --disk "$TMP/d.img" --disk "$TMP/d.img" --sim-fault=blk-disk=1 \
	-c 'pvblock device 1; pvblock read 40200000 0 8; sim fault blk-detach; sleep 1; pvblock read 40200000 0 8; echo ALIVE; pvblock device 0; pvblock read 40200000 0 8'
expect "$TMP/detach" "backend is closing \(disk detached\?\)" "detach: clear error"
expect "$TMP/detach" "blkback 1: detached, frontend let go" "detach: frontend closed its side"
expect "$TMP/detach" "^ALIVE" "detach: prompt alive"
if [ "$(grep -c 'blocks read: OK' "$TMP/detach")" = 2 ]; then
	ok "detach: read before detach and on the other disk OK, read after detach not"
else
	bad "detach: expected exactly 2 successful reads"
	sed 's/^/    | /' "$TMP/detach" | tail -20
fi

# After an inconsistent ring the disk is disabled: later I/O fails at once.
sb_to "$TMP/after" --disk "$TMP/d.img" --sim-fault=blk-wrong-id \
	-c 'pvblock read 40200000 0 8; pvblock read 40200000 0 8; echo ALIVE'
expect "$TMP/after" "device failed earlier, no I/O" "failed disk refuses further I/O"
expect_not "$TMP/after" "blocks read: OK" "failed disk: no success"

# Connection faults: the disk is skipped with a reason, pvboot carries on.
conn_fault() { # name regex fault...
	local name=$1 err=$2
	shift 2
	sb_to "$TMP/$name" --disk "$TMP/d.img" "$@" -c 'pvblock info; echo ALIVE'
	expect "$TMP/$name" "$err" "$name: clear error"
	expect "$TMP/$name" "disk skipped" "$name: disk skipped"
	expect "$TMP/$name" "no pvblock devices available" "$name: no device registered"
	expect "$TMP/$name" "^ALIVE" "$name: prompt alive"
}
conn_fault never-connect "did not connect within [0-9]+ ms" --sim-fault=blk-never-connect
conn_fault bad-sectors "backend sectors 0 is invalid" --sim-fault=blk-bad-sectors
conn_fault huge-sectors "backend sectors [0-9]+ is invalid" --sim-fault=blk-bad-sectors=36028797018963968
conn_fault bad-sector-size "sector-size 1000 is not supported" --sim-fault=blk-bad-sector-size
conn_fault zero-sector-size "sector-size 0 is not supported" --sim-fault=blk-bad-sector-size=0

# A second, healthy disk still works when the first one cannot connect.
mkimg "$TMP/e.img" 1 32
sb_to "$TMP/mixed" --disk "$TMP/d.img" --disk "$TMP/e.img" --sim-fault=blk-bad-sector-size --sim-fault=blk-disk=0 \
	-c 'pvblock info; pvblock read 40200000 0 800; crc32 40200000 100000'
expect "$TMP/mixed" "Capacity: 1\.0 MB" "the other disk is registered"
expect_crc "$TMP/mixed" "$(hostcrc "$TMP/e.img" 0 1048576)" "the other disk reads byte-exact"
finish
