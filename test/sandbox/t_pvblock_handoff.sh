#!/bin/bash
# SPDX-License-Identifier: MIT
# Hand-off: before booti jumps, every disk is flushed and disconnected, our
# XenStore keys are gone and the backend waits in InitWait for the OS's
# blkfront; the simulator then finds no grant, port or mapping left.
# Also: `pvblock rescan` reconnects (what the OS's blkfront will do) and reads.
. "$(dirname "$0")/pvblock_helpers.sh"

# Disk: a minimal arm64 Image header (what booti checks) in block 0, pattern after.
mkimg "$TMP/d.img" 2 41
python3 - "$TMP/d.img" <<'PY'
import struct, sys
hdr = struct.pack('<IIQQQQQQII', 0x14000010, 0, 0, 0x1000000, 0xa, 0, 0, 0, 0x644d5241, 0)
with open(sys.argv[1], 'r+b') as f:
    f.write(hdr)
PY
mkimg "$TMP/e.img" 1 42

sb_to "$TMP/boot" --disk "$TMP/d.img" --disk "$TMP/e.img" -c 'pvblock device 1; pvblock write 40300000 0 8; pvblock device 0; pvblock read ${kernel_addr_r} 0 80; booti ${kernel_addr_r} - ${fdtcontroladdr}'
expect "$TMP/boot" "128 blocks read: OK" "kernel read from the PV disk"
expect "$TMP/boot" "blkback 1: frontend closed after [0-9]+ requests, [1-9][0-9]* flushes" \
	"written disk flushed before hand-off"
expect "$TMP/boot" "blkback 0: frontend reset cleanly, InitWait for the next one" \
	"disk 0: keys removed, backend ready for the OS"
expect "$TMP/boot" "blkback 1: frontend reset cleanly, InitWait for the next one" \
	"disk 1: keys removed, backend ready for the OS"
expect "$TMP/boot" "hand-off clean" "simulator: nothing left behind at the jump"
expect_not "$TMP/boot" "frontend left|VIOLATION|NOT clean" "no leftovers, no violation"

CRC=$(hostcrc "$TMP/e.img" 0 1048576)
sb_to "$TMP/rescan" --disk "$TMP/d.img" --disk "$TMP/e.img" -c 'pvblock rescan; pvblock rescan; pvblock device 1; pvblock read 40200000 0 800; crc32 40200000 100000; pvblock info'
expect "$TMP/rescan" "pvblock: 2 disk\(s\)" "rescan finds both disks again"
expect_crc "$TMP/rescan" "$CRC" "reads after two reconnections are byte-exact"
expect_not "$TMP/rescan" "frontend left|VIOLATION" "reconnection leaves nothing behind"
finish
