#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_fat: small FAT12/16/32 volumes from mkfs.vfat + mtools
# with long names, a subdirectory and a fragmented file.
set -e
out=${1:?usage: corpus_fat.sh DIR}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1 LC_ALL=C.UTF-8 PATH=/usr/sbin:/sbin:$PATH
echo "hello from pvboot" >"$tmp/hello.txt"
head -c 3000 /dev/urandom >"$tmp/small"
head -c 9000 /dev/urandom >"$tmp/big"
mk() { # mk NAME KiB BITS [mkfs args]
	name=$1 size=$2 bits=$3
	shift 3
	truncate -s "${size}K" "$tmp/$name"
	mkfs.vfat -F "$bits" -n SEED "$@" "$tmp/$name" >/dev/null
	mcopy -i "$tmp/$name" "$tmp/hello.txt" "::/A Long File Name.txt"
	mmd -i "$tmp/$name" ::/dir
	mcopy -i "$tmp/$name" "$tmp/small" ::/dir/one
	mcopy -i "$tmp/$name" "$tmp/small" ::/dir/two
	mdel -i "$tmp/$name" ::/dir/one
	mcopy -i "$tmp/$name" "$tmp/big" ::/dir/fragmented.bin
	cp "$tmp/$name" "$out/$name"
}
mk fat12 128 12
mk fat16 2200 16 -s 1
# FAT16 needs >= 4085 clusters (2 MiB here): keep the first 128 KiB (boot
# sector, FATs, root directory, first files); the rest reads as an I/O error.
head -c 131072 "$out/fat16" >"$out/fat16-head"
rm "$out/fat16"
# mtools refuses FAT32 below 65525 clusters (33 MiB, too big for a seed): an
# empty small FAT32 from mkfs.vfat still exercises the BPB and the root chain.
truncate -s 600K "$tmp/fat32"
mkfs.vfat -F 32 -s 2 -n SEED "$tmp/fat32" >/dev/null 2>&1
head -c 131072 "$tmp/fat32" >"$out/fat32-empty-head"
