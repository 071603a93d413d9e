#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_script: real mkimage script images and plain text.
set -e
out=${1:?usage: corpus_script.sh DIR}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'echo hello\nsetenv a b\nif test -n "$a"; then echo yes; fi\n' >"$tmp/boot.cmd"
mkimage -A arm64 -O linux -T script -C none -n boot -d "$tmp/boot.cmd" "$out/boot.scr" >/dev/null
cp "$tmp/boot.cmd" "$out/plain.txt"
printf 'load pvblock 0:1 ${kernel_addr_r} /boot/Image\nbooti ${kernel_addr_r} - ${fdtcontroladdr}\n' >"$tmp/b2"
mkimage -A arm64 -O linux -T script -C none -n b2 -d "$tmp/b2" "$out/boot2.scr" >/dev/null
