#!/bin/bash
# SPDX-License-Identifier: MIT
# A backend given a page can write all of it (--sim-fault=blk-write-whole-page
# makes the simulated one do so on every read). pvboot must grant only pages
# it owns entirely: the bytes around a buffer that does not cover whole pages
# (a sub-page read, an unaligned one, a small file loaded by a filesystem)
# stay as they were, in both grant modes, and the data is still exact.
. "$(dirname "$0")/pvblock_helpers.sh"

mkimg "$TMP/d.img" 4 51
WHOLE=--sim-fault=blk-write-whole-page
DIRECT='setenv pvblock_persistent 0; pvblock rescan'

# crc32 of N bytes of 0xa5: what untouched guard bytes give.
guardcrc() {
	python3 -c "import zlib; print('%08x' % zlib.crc32(b'\xa5' * $1))"
}

# around MODE NAME READCMD BUF LEN: guard 3 pages (0x40200000..0x40203000)
# with 0xa5, read LEN bytes to BUF, then the guard before, the data and the
# guard after must be what they should.
around() {
	local mode=$1 name=$2 read=$3 buf=$4 len=$5 disk_off=$6
	local before=$((buf - 0x40200000)) after=$((0x40203000 - buf - len))
	sb_to "$TMP/$name" --disk "$TMP/d.img" $WHOLE \
		-c "$mode; mw.b 40200000 a5 3000; $read; crc32 40200000 $(printf %x $before); crc32 $(printf %x $buf) $(printf %x $len); crc32 $(printf %x $((buf + len))) $(printf %x $after)"
	expect "$TMP/$name" "blocks read: OK" "$name: read OK"
	expect_crc "$TMP/$name" "$(guardcrc $before)" "$name: nothing written before the buffer" 1
	expect_crc "$TMP/$name" "$(hostcrc "$TMP/d.img" "$disk_off" "$len")" "$name: data exact" 2
	expect_crc "$TMP/$name" "$(guardcrc $after)" "$name: nothing written after the buffer" 3
	expect_not "$TMP/$name" "VIOLATION" "$name: no violation"
}

for mode in direct persistent; do
	if [ $mode = direct ]; then m=$DIRECT; else m='echo persistent'; fi
	# 3 blocks in the middle of a page.
	around "$m" "$mode-subpage" "pvblock read 40201200 10 3" $((0x40201200)) 1536 $((0x10 * 512))
	# 12 blocks from 0x200 before a page boundary: 1 block of a page, a whole
	# page, then 3 blocks of the next one.
	around "$m" "$mode-straddle" "pvblock read 40200e00 20 c" $((0x40200e00)) 6144 $((0x20 * 512))
done

# A filesystem loads a 1000-byte file: its last, partial block must not
# bring the rest of the page with it.
mkdir -p "$TMP/fat"
head -c 1000 /dev/urandom >"$TMP/small.bin"
truncate -s 8M "$TMP/fat.img"
mkfs.vfat "$TMP/fat.img" >/dev/null
mcopy -i "$TMP/fat.img" "$TMP/small.bin" ::/small.bin
sb_to "$TMP/fatload" --disk "$TMP/fat.img" $WHOLE \
	-c "$DIRECT; mw.b 40200000 a5 3000; load pvblock 0 40201000 /small.bin; crc32 40201000 3e8; crc32 402013e8 1c18"
expect "$TMP/fatload" "1000 bytes read" "fat: small file loaded"
expect_crc "$TMP/fatload" "$(hostcrc "$TMP/small.bin" 0 1000)" "fat: file exact" 1
expect_crc "$TMP/fatload" "$(guardcrc $((0x1c18)))" "fat: nothing written past the file's end" 2
finish
