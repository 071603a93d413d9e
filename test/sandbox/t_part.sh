#!/bin/bash
# SPDX-License-Identifier: MIT
# part list/start/size/number/uuid/name on MBR (with logical partitions) and
# GPT disks made by sfdisk/sgdisk; broken GPTs fall back or fail clearly.
. "$(dirname "$0")/fs_helpers.sh"

D="--disk $IMG/mbr.img --disk $IMG/gpt.img --disk $IMG/gpt-badprimary.img --disk $IMG/gpt-badboth.img --disk $IMG/mbr-ebrloop.img"

sb $D -c 'part list pvblock 0'
expect_exact "Partition Map for pvblock device 0  --   Partition Type: DOS" "MBR header"
expect_exact "$(printf 'Part\tStart Sector\tNum Sectors\tUUID\t\tType')" "MBR column titles"
expect_exact "$(printf '  1\t2048      \t32768     \tcafe1234-01\t83 Boot')" "primary, bootable"
expect_exact "$(printf '  3\t75776     \t53248     \tcafe1234-03\t05 Extd')" "extended"
expect_exact "$(printf '  5\t77824     \t32768     \tcafe1234-05\t83')" "first logical is 5"
expect_exact "$(printf '  6\t112640    \t8192      \tcafe1234-06\t01')" "second logical is 6"

sb $D -c 'part list pvblock 1'
expect_exact "Partition Map for pvblock device 1  --   Partition Type: EFI" "GPT header"
expect_exact "$(printf '  2\t0x00008800\t0x0001c7ff\t"EFI boot ü"')" "GPT entry with UTF-8 name"
expect_exact "$(printf '\tguid:\t11111111-2222-3333-4444-555555555555')" "partition GUID"
expect_exact "$(printf '\ttype:\tc12a7328-f81f-11d2-ba4b-00a0c93ec93b')" "type GUID"
expect_no "WARNING" "a good GPT gives no warning"

sb $D -c 'part start pvblock 0:5 s; part size pvblock 0:5 z; part uuid pvblock 0:1 u; part number pvblock 1#rootfs n
part name pvblock 1:2 nm; part uuid pvblock 1 ua; part list pvblock 0 l; printenv s z u n nm ua l; part start pvblock 1:2'
expect_exact "s=13000" "part start in hex"
expect_exact "z=8000" "part size in hex"
expect_exact "u=cafe1234-01" "MBR uuid is <disk signature>-<nn>"
expect_exact "n=0x1" "part number by name"
expect_exact "nm=EFI boot ü" "part name"
expect_exact "ua=11111111-2222-3333-4444-555555555555" "no partition given: the first (none bootable)"
expect_exact "l=1 2 3 5 6" "part list into a variable"
expect_exact "8800" "no variable: printed"

sb $D -c 'part list pvblock 2; ls pvblock 2:2 /deep; echo ALIVE'
expect_line "^WARNING: GPT: primary header invalid \(bad header CRC\); using the backup GPT at LBA 131071" \
	"corrupt primary GPT: backup used and said so"
expect_exact "            d1/" "files readable through the backup GPT"
sb $D -c 'part list pvblock 3; ls pvblock 3:1 /; echo ALIVE'
expect_line "no usable GPT" "both GPT headers bad: clear error"
expect_exact "ALIVE" "prompt alive"
sb $D -c 'part list pvblock 4; echo ALIVE'
expect_line "chain loops" "looping EBR chain detected"
expect_exact "ALIVE" "prompt alive after a looping EBR chain"

# A GPT with 128 entry slots and no FAT partition: the environment's search
# for one and the boot scan each read the table once, not once per slot
# (they took 517 requests, 274 ms in env-load, before part_list).
sb --disk "$IMG/gpt4k.img,sector=4096" -c 'bootflow scan -l; blkcache show'
expect_exact "  pvblock 0:1: ext4" "the scan finds the partition"
reqs=$(sed -n 's/^pvblock 0: requests \([0-9]*\),.*/\1/p' "$OUT")
if [ -n "$reqs" ] && [ "$reqs" -le 40 ]; then
	ok "start-up and a boot scan of a GPT disk: $reqs requests (<= 40)"
else
	bad "start-up and a boot scan of a GPT disk: ${reqs:-no} requests (<= 40 expected)"
fi

finish
