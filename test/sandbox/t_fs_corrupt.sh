#!/bin/bash
# SPDX-License-Identifier: MIT
# Corrupt disks give a clear error and leave a live prompt: a looping extent
# tree, a looping FAT chain, a flipped inode checksum, unsupported features,
# random bytes over superblocks and boot sectors.
. "$(dirname "$0")/fs_helpers.sh"

sb --disk "$IMG/ext4-extloop.img" --disk "$IMG/fat16-loop.img" --disk "$IMG/ext4-badinode.img" \
	--disk "$IMG/ext4-encrypt.img" --disk "$IMG/ext4-unknown.img" \
	-c 'load pvblock 0 ${loadaddr} /frag.bin; echo ALIVE
load pvblock 1 ${loadaddr} /frag.bin; echo ALIVE
load pvblock 2 ${loadaddr} /hello.txt; echo ALIVE
ls pvblock 3 /; echo ALIVE
ls pvblock 4 /; echo ALIVE
load pvblock 0 ${loadaddr} /medium.bin'
expect_line "extent tree depth inconsistent \(loop\?\)" "looping extent tree reported"
expect_line "fat: cluster chain loops at cluster" "looping FAT chain reported"
expect_line "ext4: inode [0-9]+ checksum mismatch: filesystem corrupt" "bad inode checksum reported"
expect_line "unsupported INCOMPAT feature\(s\): encrypt" "encrypt refused by name"
expect_line "unsupported INCOMPAT feature\(s\): unknown\(0x80000000\)" "unknown feature refused"
expect_count 5 "^ALIVE$" "prompt alive after each"
expect_line "^307200 bytes read in" "the rest of a damaged filesystem stays readable"

# Random bytes over the superblock / boot sector (magic and signature kept).
for img in ext4-64csum fat16; do
	python3 - "$IMG/$img.img" "$TMP/$img-rnd.img" <<'PY'
import random, shutil, sys
shutil.copyfile(sys.argv[1], sys.argv[2])
r = random.Random(7)
with open(sys.argv[2], "r+b") as f:
    fat = "fat" in sys.argv[1]
    base, span = (0, 90) if fat else (1024, 400)
    for _ in range(24):
        at = base + r.randrange(span)
        if at in (1024 + 0x38, 1024 + 0x39) or at >= 510 and fat:
            continue
        f.seek(at)
        f.write(bytes([r.randrange(256)]))
PY
done
sb --disk "$TMP/ext4-64csum-rnd.img" --disk "$TMP/fat16-rnd.img" \
	-c 'ls pvblock 0 /; load pvblock 0 ${loadaddr} /medium.bin; echo ALIVE; ls pvblock 1 /; load pvblock 1 ${loadaddr} /medium.bin; echo ALIVE'
expect_count 2 "^ALIVE$" "random superblock bytes: no crash, prompt alive"
expect_no "AddressSanitizer|runtime error" "no sanitizer report"

finish
