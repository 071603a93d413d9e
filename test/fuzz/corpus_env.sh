#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_env: stored environments made by U-Boot's mkenvimage
# (plain and redundant), a text file and a binary list.
set -e
out=${1:?usage: corpus_env.sh DIR}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'bootcmd=run distro_bootcmd\nbootlimit=3\nupgrade_available=1\naltbootcmd=run slot_a\nmulti=a\\\nb\n' >"$tmp/env.txt"
mkenvimage -s 0x400 -o "$out/plain.env" "$tmp/env.txt"
mkenvimage -s 0x400 -r -o "$out/redund.env" "$tmp/env.txt"
cp "$tmp/env.txt" "$out/text"
printf 'a=1\000b=2\000c\000\000' >"$out/list"
