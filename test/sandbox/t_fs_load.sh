#!/bin/bash
# SPDX-License-Identifier: MIT
# ls / load / size / fstype / fsuuid on PV disks holding real filesystems:
# every loaded file's crc32 (computed by pvboot) matches the host's.
. "$(dirname "$0")/fs_helpers.sh"

S=$IMG/src
D="--disk $IMG/mbr.img --disk $IMG/gpt.img"

# ext4 in MBR partition 1: ls output in U-Boot's format.
sb $D -c 'ls pvblock 0:1 /'
expect_status 0 "ls succeeds"
expect_exact "   307200   medium.bin" "file line: size and name"
expect_exact "            deep/" "directory line"
expect_exact "    <SYM>   fastlink" "symlink line"
expect_exact "16 file(s), 5 dir(s)" "summary line"

# load + crc32 against the host on each filesystem kind.
sb $D -c 'load pvblock 0:1 ${loadaddr} /medium.bin; crc32 ${loadaddr} ${filesize}; printenv filesize
load pvblock 0:2 ${loadaddr} /frag.bin; crc32 ${loadaddr} ${filesize}
load pvblock 0:5 ${loadaddr} "/A Long File Name With Spaces.txt"; crc32 ${loadaddr} ${filesize}
load pvblock 1:2 ${loadaddr} /deep/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18/d19/d20/leaf.txt; crc32 ${loadaddr} ${filesize}
load pvblock 1:1 ${loadaddr} /slowlink; crc32 ${loadaddr} ${filesize}
load pvblock 0:1 ${loadaddr} /sparse.bin; crc32 ${loadaddr} ${filesize}'
expect_line "^307200 bytes read in [0-9]+ ms \(.*/s\)$" "load prints bytes, time and rate"
expect_exact "filesize=4b000" "filesize set (hex)"
expect_crc "$(hostcrc "$S/ext/medium.bin")" "ext4 file byte-exact" 1
expect_crc "$(hostcrc "$IMG/frag-fat16.bin")" "fragmented FAT16 file byte-exact" 2
expect_crc "$(hostcrc "$S/common/A Long File Name With Spaces.txt")" "long name on logical ext2" 3
expect_crc "$(hostcrc "$S/common/deep/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18/d19/d20/leaf.txt")" \
	"deep path on GPT FAT32" 4
expect_crc "$(hostcrc "$S/ext/deep/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18/d19/d20/leaf.txt")" \
	"slow symlink followed" 5
expect_crc "$(hostcrc "$S/ext/sparse.bin")" "sparse file (holes as zeros)" 6

# bytes and pos (hex), case-insensitive FAT lookup, aliases.
sb $D -c 'fatload pvblock 0:2 ${loadaddr} /MEDIUM.BIN 1000 2345; crc32 ${loadaddr} ${filesize}
ext4load pvblock 0:1 ${loadaddr} /small.bin; crc32 ${loadaddr} ${filesize}
ext4ls pvblock 0:1 /deep; fatls pvblock 0:2 /deep'
expect_line "^4096 bytes read in" "bytes limit honoured"
expect_crc "$(hostcrc "$S/common/medium.bin" $((0x2345)) 4096)" "bytes+pos range byte-exact" 1
expect_crc "$(hostcrc "$S/ext/small.bin")" "ext4load alias" 2
expect_count 2 "^            d1/$" "ext4ls and fatls aliases list"

# size, fstype, fsuuid; defaults from loadaddr/bootfile.
sb $D -c 'size pvblock 0:2 /sparse.bin; printenv filesize; fstype pvblock 0:1; fstype pvblock 0:2 t; printenv t
fsuuid pvblock 0:2; setenv bootfile /hello.txt; load pvblock 0:1; crc32 ${loadaddr} ${filesize}'
expect_exact "filesize=100000" "size sets filesize"
expect_exact "ext4" "fstype prints ext4"
expect_exact "t=fat" "fstype stores into a variable"
expect_exact "1234-5678" "fsuuid of FAT is the volume serial"
expect_crc "$(hostcrc "$S/ext/hello.txt")" "load defaults to \${loadaddr} and \${bootfile}"

# Errors leave a live prompt.
sb $D -c 'load pvblock 0:1 ${loadaddr} /nonexistent; echo ALIVE1; ls pvblock 0:9 /; echo ALIVE2
load pvblock 0:1 ${loadaddr} /loop1; echo ALIVE3; ls pvblock 7:1 /; echo ALIVE4'
expect_exact "** File not found /nonexistent **" "missing file reported"
expect_line "Invalid partition 9" "missing partition reported"
expect_line "too many levels of symbolic links" "symlink loop reported"
expect_line "Bad device specification pvblock 7" "missing device reported"
expect_count 4 "^ALIVE[1-4]$" "prompt alive after every error"

# A disk with 4 KiB logical sectors (blkif still counts 512-byte units).
sb --disk "$IMG/mbr4k.img,sector=4096" -c 'load pvblock 0:1 ${loadaddr} /medium.bin; crc32 ${loadaddr} ${filesize}
load pvblock 0:5 ${loadaddr} /frag.bin; crc32 ${loadaddr} ${filesize}'
expect_crc "$(hostcrc "$S/ext/medium.bin")" "ext4 on a 4 KiB-sector disk" 1
expect_crc "$(hostcrc "$IMG/frag-fat16.bin")" "FAT16 in a logical partition of a 4 KiB-sector disk" 2
sb --disk "$IMG/gpt4k.img,sector=4096" -c 'part start pvblock 0:1; load pvblock 0:1 ${loadaddr} /medium.bin; crc32 ${loadaddr} ${filesize}'
expect_exact "100" "GPT on a 4 KiB-sector disk: start in 4 KiB units"
expect_crc "$(hostcrc "$S/ext/medium.bin")" "ext4 in GPT on a 4 KiB-sector disk"

finish
