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
	truncate -s 64K "$tmp/$1"
	printf '%s\n' "$2" | /usr/sbin/sfdisk -q "$tmp/$1" >/dev/null
	{ printf '\0'; cat "$tmp/$1"; } >"$out/$1"
}
mk primary "label: dos
label-id: 0x12345678
start=64, size=32, type=83, bootable
start=96, size=16, type=c"
mk logical "label: dos
start=16, size=32, type=83
start=48, size=76, type=5
start=56, size=16, type=83
start=80, size=16, type=b
start=104, size=16, type=83"
mk extlba "label: dos
start=16, size=100, type=f
start=32, size=16, type=83, bootable
start=64, size=16, type=82"
