#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_mbr: small disks partitioned by sfdisk(8). The first
# byte of an input selects the sector size (0 = 512).
set -e
out=${1:?usage: corpus_mbr.sh DIR}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mk() { # mk NAME SFDISK-SCRIPT
	truncate -s 256K "$tmp/$1"
	printf '%s\n' "$2" | /usr/sbin/sfdisk -q "$tmp/$1" >/dev/null
	{ printf '\0'; cat "$tmp/$1"; } >"$out/$1"
}
mk primary "label: dos
label-id: 0x12345678
start=64, size=64, type=83, bootable
start=128, size=64, type=c"
mk logical "label: dos
start=16, size=32, type=83
start=48, size=400, type=5
start=64, size=32, type=83
start=128, size=32, type=b
start=256, size=100, type=83"
mk extlba "label: dos
start=16, size=480, type=f
start=32, size=16, type=83, bootable
start=64, size=16, type=82"
