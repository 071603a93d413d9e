#!/bin/bash
# SPDX-License-Identifier: MIT
# Negotiation with and without each backend feature: every combination
# still reads byte-exact, and `pvblock info` shows what was negotiated.
. "$(dirname "$0")/pvblock_helpers.sh"

mkimg "$TMP/d.img" 6 21
CRC=$(hostcrc "$TMP/d.img" 0 6291456)
READ='pvblock read 40200000 0 3000; crc32 40200000 600000; pvblock info; blkcache show'

run_case() { # name expect-regex fault-args...
	local name=$1 want=$2
	shift 2
	sb_to "$TMP/$name" --disk "$TMP/d.img" "$@" -c "$READ"
	expect "$TMP/$name" "12288 blocks read: OK" "$name: read OK"
	expect_crc "$TMP/$name" "$CRC" "$name: byte-exact"
	expect "$TMP/$name" "$want" "$name: negotiated as expected"
	expect_not "$TMP/$name" "VIOLATION" "$name: no violation"
}

run_case default "ring: 2 page\(s\), [0-9]+ slots, 256 segments/request, indirect, persistent, flush"
run_case no-persistent "ring: 2 page\(s\), [0-9]+ slots, 256 segments/request, indirect, flush" --sim-fault=blk-no-persistent
run_case no-indirect "ring: 2 page\(s\), [0-9]+ slots, 11 segments/request, persistent, flush" --sim-fault=blk-no-indirect
run_case ring-order-0 "ring: 1 page\(s\), 32 slots, 256 segments/request" --sim-fault=blk-ring-order=0
run_case ring-order-1 "ring: 2 page\(s\), [0-9]+ slots" --sim-fault=blk-ring-order=1
# A backend that offers more pages than 64 slots fill gets only the two they need.
run_case ring-order-2 "ring: 2 page\(s\)" --sim-fault=blk-ring-order=2
run_case no-flush "segments/request, indirect, persistent, barrier" --sim-fault=blk-no-flush
run_case minimal "ring: 1 page\(s\), 32 slots, 11 segments/request, persistent, barrier" \
	--sim-fault=blk-ring-order=0 --sim-fault=blk-no-indirect --sim-fault=blk-no-flush
# Bogus offers are clamped or ignored, with a warning, and the disk still works.
run_case bad-ring-order "ring: 2 page\(s\)" --sim-fault=blk-bad-ring-order
expect "$TMP/bad-ring-order" "max-ring-page-order 99, taken as 4" "bad-ring-order: warned"
run_case bad-indirect "256 segments/request" --sim-fault=blk-bad-indirect
expect "$TMP/bad-indirect" "bogus feature-max-indirect-segments 100000" "bad-indirect: warned"
run_case tiny-indirect "11 segments/request" --sim-fault=blk-bad-indirect=5
expect "$TMP/tiny-indirect" "below 11, indirect not used" "tiny-indirect: warned"
run_case junk-indirect "11 segments/request" --sim-fault=blk-bad-indirect=lots
expect "$TMP/junk-indirect" "unreadable" "junk-indirect: warned"

# Direct grants, chosen at rescan through the environment: no copy.
sb_to "$TMP/direct" --disk "$TMP/d.img" -c "setenv pvblock_persistent 0; pvblock rescan; $READ"
expect_crc "$TMP/direct" "$CRC" "direct grants: byte-exact"
expect "$TMP/direct" "256 segments/request, indirect, flush" "direct grants: persistent not used"
expect "$TMP/direct" "bounce copies 0 .*persistent-pool copies 0 " "direct grants: no copy"
expect_not "$TMP/direct" "VIOLATION" "direct grants: no violation"

# Persistent grants asked for again at rescan; data copied via the pool.
sb_to "$TMP/persistent" --disk "$TMP/d.img" -c "setenv pvblock_persistent 0; pvblock rescan; setenv pvblock_persistent 1; pvblock rescan; $READ"
expect "$TMP/persistent" "12288 blocks read: OK" "persistent: read OK"
expect_crc "$TMP/persistent" "$CRC" "persistent: byte-exact"
expect "$TMP/persistent" "indirect, persistent" "persistent: negotiated"
expect "$TMP/persistent" "bounce copies 0 .*persistent-pool copies [1-9]" \
	"persistent: aligned data copied through the persistent pool (counted), never bounced"
expect_not "$TMP/persistent" "VIOLATION" "persistent: no violation"
sb_to "$TMP/nopersist" --disk "$TMP/d.img" --sim-fault=blk-no-persistent \
	-c "setenv pvblock_persistent 1; pvblock rescan; $READ"
expect_crc "$TMP/nopersist" "$CRC" "persistent wanted, backend without: byte-exact"
expect_not "$TMP/nopersist" "indirect, persistent" "persistent wanted, backend without: not used"

# XenStore transaction conflicts while publishing the ring: retried.
sb_to "$TMP/eagain" --disk "$TMP/d.img" --sim-fault=xs-eagain=3 -c "$READ"
expect_crc "$TMP/eagain" "$CRC" "3 transaction conflicts: retried, disk works"
sb_to "$TMP/eagain-forever" --disk "$TMP/d.img" --sim-fault=xs-eagain=30 -c 'pvblock info; echo ALIVE'
expect "$TMP/eagain-forever" "cannot publish the ring: try again" "endless conflicts: bounded retries, clear error"
expect "$TMP/eagain-forever" "frontend reset cleanly" "endless conflicts: our keys removed again"
expect "$TMP/eagain-forever" "^ALIVE" "endless conflicts: prompt alive"
finish
