#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_gpt: small disks partitioned by sgdisk(8), including
# one whose primary header is broken (backup path). The first byte of an
# input selects the sector size (0 = 512).
set -e
out=${1:?usage: corpus_gpt.sh DIR}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
truncate -s 64K "$tmp/gpt"
/usr/sbin/sgdisk -n 1:40:+16 -t 1:8300 -c 1:rootfs -n 2:0:+20 -t 2:ef00 -c "2:EFI boot" \
	-A 1:set:2 "$tmp/gpt" >/dev/null
{ printf '\0'; cat "$tmp/gpt"; } >"$out/gpt"
cp "$tmp/gpt" "$tmp/bad"
printf '\377' | dd of="$tmp/bad" bs=1 seek=528 conv=notrunc status=none
{ printf '\0'; cat "$tmp/bad"; } >"$out/gpt-badprimary"
