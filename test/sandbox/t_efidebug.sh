#!/bin/bash
# SPDX-License-Identifier: MIT
# efidebug memmap/tables/dh: what an image run by bootefi finds, set up for
# the command and taken down again (nothing leaks); the memory map covers
# RAM bank 0 without a gap; a disk with a FAT partition has its handles.
. "$(dirname "$0")/lib.sh"

truncate -s 16M "$TMP/disk.img"
printf 'label: dos\n2048,,c\n' | sfdisk -q "$TMP/disk.img"
truncate -s 15M "$TMP/p1"
mkfs.vfat "$TMP/p1" >/dev/null
dd if="$TMP/p1" of="$TMP/disk.img" bs=512 seek=2048 conv=notrunc status=none

sb -m 128 --disk "$TMP/disk.img" -c "efidebug memmap; efidebug tables; efidebug dh; sim leakcheck"
# Each region starts where the one before ended, from the start of the bank to its end.
gaps=$(awk '/^[A-Z][A-Z ]* +[0-9a-f]+-[0-9a-f]+ W/{
	split($(NF-1), r, "-"); if (n++ && r[1] != end) print "gap at " end; end = r[2]
	if (n == 1) first = r[1] }
	END { if (first != "0000000040000000" || end != "0000000048000000")
		print "map " first "-" end " is not the bank 40000000-48000000" }' "$OUT")
if [ -z "$gaps" ]; then ok "memmap covers bank 0 with no gap"; else bad "memmap: $gaps"; fi
expect_line '^CONVENTIONAL +[0-9a-f-]{33} WB$' "free memory is conventional, write-back"
expect_line '^RUNTIME DATA +[0-9a-f-]{33} WB\|RT$' "the tables are in runtime data"
expect_line '^BOOT DATA +[0-9a-f-]{33} WB$' "pvboot's own memory is boot services data"
expect_line '^[0-9a-f]{16} Device Tree$' "the DT is a configuration table"
expect_line '^[0-9a-f]{16} Runtime properties$' "so is EFI_RT_PROPERTIES_TABLE"
expect_line '^[0-9a-f]{16} Text Input Ex, Text Input, Text Output$' "the console's handle"
expect_count 1 '^[0-9a-f]{16} Disk IO, Block IO, Device Path$' "the disk's handle"
expect_count 1 '^[0-9a-f]{16} Simple File System, Disk IO, Block IO, Device Path$' \
	"the FAT partition's handle"
expect_exact 'sim: leak check: no leak' "UEFI was taken down after each view"
expect_status 0 "all three views succeed"

sb -c "efidebug; echo none \$?; efidebug images; echo bad \$?; efidebug dh extra"
expect_exact 'none 1' "efidebug without a view fails"
expect_exact 'bad 1' "an unknown view fails"
expect_count 3 '^efidebug dh$' "and each prints the usage"

# UEFI that cannot be set up is reported, not shown half.
sb -c "setenv fdtcontroladdr 0x10; efidebug tables; echo st \$?"
expect_exact 'bootefi: no valid device tree at 0x10: its header is not in RAM' "a bad DT is refused"
expect_exact 'st 1' "and efidebug fails"

finish
