#!/bin/bash
# SPDX-License-Identifier: MIT
# pvblock write: data reaches the image file (checked on the host after
# pvboot exits), flush works, a read-only disk refuses writes clearly and
# its image is unchanged.
. "$(dirname "$0")/pvblock_helpers.sh"

mkimg "$TMP/src.img" 2 7
mkimg "$TMP/d0.img" 4 8
mkimg "$TMP/ro.img" 1 9
mkimg "$TMP/d4k.img" 4 10
cp "$TMP/ro.img" "$TMP/ro.orig"
cp "$TMP/d0.img" "$TMP/d0.orig"
D="--disk $TMP/src.img --disk $TMP/d0.img --disk $TMP/ro.img,ro --disk $TMP/d4k.img,sector=4096"

# Read 1 MiB from disk 0 (src) into RAM, write it to disk 1 at block 0x100, flush.
sb_to "$TMP/w" $D -c 'pvblock device 0; pvblock read 40200000 0 800; pvblock device 1; pvblock write 40200000 100 800; pvblock flush 1; pvblock read 40400000 100 800; cmp.b 40200000 40400000 100000'
expect "$TMP/w" "2048 blocks written: OK" "1 MiB write reports OK"
expect "$TMP/w" "1048576 bytes written in [0-9]+ ms" "write prints bytes, time and rate"
expect "$TMP/w" "pvblock 1: flushed" "flush succeeds"
expect_rc "$TMP/w" 0 "the whole sequence succeeds"
if [ "$(hostcrc "$TMP/d0.img" $((0x100 * 512)) 1048576)" = "$(hostcrc "$TMP/src.img" 0 1048576)" ]; then
	ok "written data is in the image file"
else
	bad "image file does not hold the written data"
fi
if [ "$(hostcrc "$TMP/d0.img" 0 $((0x100 * 512)))" = "$(hostcrc "$TMP/d0.orig" 0 $((0x100 * 512)))" ]; then
	ok "blocks before the write are untouched"
else
	bad "blocks before the write changed"
fi

# Unaligned source buffer (bounced) to a 4 KiB-sector disk.
sb_to "$TMP/w4" $D -c 'pvblock device 0; pvblock read 40200000 0 100; pvblock device 3; pvblock write 40200007 3 5; blkcache show'
expect "$TMP/w4" "5 blocks written: OK" "unaligned write to a 4096-sector disk OK"
if [ "$(python3 -c "f=open('$TMP/src.img','rb'); d=f.read(0x100*512)[7:7+5*4096]; g=open('$TMP/d4k.img','rb'); g.seek(3*4096); print(g.read(5*4096)==d)")" = True ]; then
	ok "4096-sector write landed at block 3 (byte offset 12288)"
else
	bad "4096-sector write data mismatch"
fi

# Read-only disk.
sb_to "$TMP/ro" $D -c 'pvblock device 2; pvblock write 40200000 0 1; echo ALIVE'
expect "$TMP/ro" "read-only" "write to a read-only disk refused with a reason"
expect_not "$TMP/ro" "blocks written: OK" "no success reported"
expect "$TMP/ro" "^ALIVE" "prompt alive"
if cmp -s "$TMP/ro.img" "$TMP/ro.orig"; then ok "read-only image unchanged"; else bad "read-only image changed"; fi
sb_to "$TMP/roi" $D -c 'pvblock info'
expect "$TMP/roi" "read-only" "info shows the read-only disk"
finish
