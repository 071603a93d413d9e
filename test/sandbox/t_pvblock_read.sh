#!/bin/bash
# SPDX-License-Identifier: MIT
# pvblock over several simulated disks: info lists all with the right
# sizes, reads of known patterns are byte-exact (512 and 4096-byte sectors),
# page-aligned buffers need no bounce copy, unaligned ones do and still match.
. "$(dirname "$0")/pvblock_helpers.sh"

mkimg "$TMP/d0.img" 8 1
mkimg "$TMP/d1.img" 3 2
mkimg "$TMP/d2.img" 8 3
D="--disk $TMP/d0.img --disk $TMP/d1.img --disk $TMP/d2.img,sector=4096"

sb_to "$TMP/info" $D -c "pvblock info"
expect_rc "$TMP/info" 0 "pvblock info succeeds"
expect "$TMP/info" "Device 0: .*" "disk 0 listed"
expect "$TMP/info" "Capacity: 8\.0 MB .*\(16384 x 512\)" "disk 0: 8 MiB of 512-byte blocks"
expect "$TMP/info" "Capacity: 3\.0 MB .*\(6144 x 512\)" "disk 1: 3 MiB"
expect "$TMP/info" "Capacity: 8\.0 MB .*\(2048 x 4096\)" "disk 2: 4 KiB sectors, 2048 blocks"
expect "$TMP/info" "device/vbd/51728" "second disk is xvdb (51728)"

# Whole disk 0 (0x4000 blocks), default (persistent grants: copied via the pool).
sb_to "$TMP/rp" $D -c 'pvblock read ${kernel_addr_r} 0 4000; crc32 ${kernel_addr_r} 800000; blkcache show'
expect "$TMP/rp" "16384 blocks read: OK" "8 MiB read (persistent grants) reports OK"
expect_crc "$TMP/rp" "$(hostcrc "$TMP/d0.img" 0 8388608)" "disk 0 read byte-exact (persistent grants)"

# Direct grants: page-aligned buffers need zero bounce copies.
sb_to "$TMP/r0" $D -c 'setenv pvblock_persistent 0; pvblock rescan; pvblock read ${kernel_addr_r} 0 4000; crc32 ${kernel_addr_r} 800000; blkcache show'
expect "$TMP/r0" "16384 blocks read: OK" "8 MiB read reports OK"
expect "$TMP/r0" "bytes read in [0-9]+ ms \\([0-9.]+ [KMG]iB/s\\)" "read prints bytes, time and rate"
expect_crc "$TMP/r0" "$(hostcrc "$TMP/d0.img" 0 8388608)" "disk 0 read byte-exact"
expect "$TMP/r0" "pvblock 0: requests [0-9]+, max in flight ([2-9]|[1-9][0-9]+), bounce copies 0 " \
	"aligned read: several requests in flight, no bounce copy"

# Offset read from disk 1 into an unaligned buffer (+0x3): bounced, still exact.
sb_to "$TMP/r1" $D -c 'setenv pvblock_persistent 0; pvblock rescan; pvblock device 1; pvblock read 40400003 123 7ff; crc32 40400003 ffe00; blkcache show'
expect "$TMP/r1" "2047 blocks read: OK" "unaligned read OK"
expect_crc "$TMP/r1" "$(hostcrc "$TMP/d1.img" $((0x123 * 512)) $((0x7ff * 512)))" "unaligned read byte-exact"
expect "$TMP/r1" "pvblock 1: requests [0-9]+, max in flight [0-9]+, bounce copies [1-9]" \
	"unaligned buffer counted as bounce copies"

# 4 KiB-sector disk: block numbers and counts are in 4096-byte units.
sb_to "$TMP/r2" $D -c 'pvblock device 2; pvblock read ${kernel_addr_r} 11 200; crc32 ${kernel_addr_r} 200000'
expect "$TMP/r2" "512 blocks read: OK" "4096-sector read OK"
expect_crc "$TMP/r2" "$(hostcrc "$TMP/d2.img" $((0x11 * 4096)) $((0x200 * 4096)))" "4096-sector read byte-exact"

# Out of range: refused, no success.
sb_to "$TMP/r3" $D -c 'pvblock device 1; pvblock read ${kernel_addr_r} 17ff 2; echo ALIVE'
expect "$TMP/r3" "beyond the end" "read past the end refused with a reason"
expect_not "$TMP/r3" "blocks read: OK" "no success for it"
expect "$TMP/r3" "^ALIVE" "prompt alive"
# A 3 TiB disk (sparse file): 64-bit sector counts, data beyond 2 TiB.
if truncate -s 3T "$TMP/big.img" 2>/dev/null; then
	dd if="$TMP/d0.img" of="$TMP/big.img" bs=1M count=1 seek=2621440 conv=notrunc status=none
	sb_to "$TMP/big" --disk "$TMP/big.img" -c 'pvblock info; pvblock read 40200000 140000000 800; crc32 40200000 100000; pvblock read 40200000 17fffffff 1; pvblock read 40200000 180000000 1'
	expect "$TMP/big" "\(6442450944 x 512\)" "3 TiB disk: full 64-bit size"
	expect "$TMP/big" "2048 blocks read: OK" "read at 2.5 TiB OK"
	expect_crc "$TMP/big" "$(hostcrc "$TMP/d0.img" 0 1048576)" "data at 2.5 TiB byte-exact"
	expect "$TMP/big" "block # 6442450943, count 1 ... 1 blocks read: OK" "last block readable"
	expect "$TMP/big" "beyond the end" "one past the last block refused"
	rm -f "$TMP/big.img"
else
	echo "skip: no sparse 3 TiB file on this filesystem"
fi
# pvblock part: the partition table of a GPT disk made by sgdisk.
if command -v sgdisk >/dev/null; then
	truncate -s 16M "$TMP/gpt.img"
	sgdisk -n1:2048:+4M -n2:0:0 "$TMP/gpt.img" >/dev/null
	sb_to "$TMP/part" --disk "$TMP/d0.img" --disk "$TMP/gpt.img" -c 'pvblock part 1'
	expect "$TMP/part" "^  1\s+0x00000800\s+0x000027ff" "pvblock part: partition 1"
	expect "$TMP/part" "^  2\s+0x00002800\s+0x00007fde" "pvblock part: partition 2"
fi
expect_not "$TMP/r0" "VIOLATION" "no grant/protocol violation seen by the simulator"
finish
