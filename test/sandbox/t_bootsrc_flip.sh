#!/bin/bash
# SPDX-License-Identifier: MIT
# A file's size is checked, then the file is read: between the two, the
# backend returns other data for the same sectors (--sim-fault=blk-flip).
# Here /extlinux's directory block, re-read, points extlinux.conf at a
# 96 MiB file. sysboot must read no more than the size it checked: memory
# past that (a marker 14 MiB above pxefile_addr_r) stays as it was.
. "$(dirname "$0")/boot_helpers.sh"

R=$TMP/root
mkdir -p "$R/extlinux"
printf 'label x\n kernel /nope\n' >"$R/extlinux/extlinux.conf"
truncate -s 96M "$R/extlinux/big.bin" # sparse: reads as zeros
P=$TMP/p1.img
truncate -s 47M "$P"
mkfs.ext4 -q -d "$R" "$P"
# The directory block as the lying backend will return it: extlinux.conf -> big.bin.
cp "$P" "$P.flip"
debugfs -w -R "unlink /extlinux/extlinux.conf" "$P.flip" >/dev/null 2>&1
debugfs -w -R "link /extlinux/big.bin /extlinux/extlinux.conf" "$P.flip" >/dev/null 2>&1
blk=$(debugfs -R "bmap /extlinux 0" "$P" 2>/dev/null)
bs=$(dumpe2fs -h "$P" 2>/dev/null | sed -n 's/^Block size: *//p')
if [ -z "$blk" ] || [ "$bs" != 1024 ] || cmp -s "$P" "$P.flip"; then
	bad "test disk: /extlinux at block '$blk', block size '$bs', flipped copy differs"
	finish
	exit 1
fi
D=$TMP/disk.img
truncate -s 48M "$D"
printf 'label: dos\n2048,,83,*\n' | sfdisk -q "$D"
dd if="$P" of="$D" bs=512 seek=2048 conv=notrunc status=none
# The flipped block goes to sectors 64-65 (free space before the partition).
dd if="$P.flip" of="$D" bs=1024 skip="$blk" seek=32 count=1 conv=notrunc status=none
S=$((2048 + 2 * blk))

sb --disk "$D" --sim-fault="blk-flip=$S:64:2" -c 'mw 41000000 a5a5a5a5 400; crc32 41000000 1000
sysboot pvblock 0:1 any 0 /extlinux/extlinux.conf; echo alive; crc32 41000000 1000'
expect_line "fault blk-flip: sectors $S\.\.$((S + 1)) re-read as 64\.\.65" \
	"the backend returned other data on the re-read"
same_crcs "nothing written past the length that was checked"
expect_line "^alive$" "prompt alive"
no_crash

# Without the fault the same disk boots its label (kernel missing: a clear error).
sb --disk "$D" -c 'sysboot pvblock 0:1 any 0 /extlinux/extlinux.conf; echo alive'
expect_line "file /nope not found" "the real extlinux.conf was parsed"
expect_line "^alive$"

finish
