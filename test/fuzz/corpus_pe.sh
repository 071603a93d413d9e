#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_pe: the EFI test applications built with gnu-efi
# (x86_64 and AArch64), and a small PE32+ image with a DIR64 relocation.
set -e
out=${1:?usage: corpus_pe.sh DIR}
mkdir -p "$out"
apps=$(mktemp -d)
trap 'rm -rf "$apps"' EXIT
if make -s -f test/efi/Makefile O="$apps" >/dev/null 2>&1; then
	cp "$apps"/*.efi "$out/"
fi
python3 - "$out/small.efi" <<'PY'
import struct, sys
f = bytearray(0x800)
f[0:2] = b"MZ"; struct.pack_into("<I", f, 0x3c, 0x40)
f[0x40:0x44] = b"PE\0\0"
struct.pack_into("<HHIIIHH", f, 0x44, 0x8664, 2, 0, 0, 0, 240, 0x22)
oh = 0x58
struct.pack_into("<HBBIIIII", f, oh, 0x20b, 0, 0, 0x200, 0x200, 0, 0x1000, 0x1000)
struct.pack_into("<QII", f, oh + 24, 0x10000000, 0x1000, 0x200)
struct.pack_into("<II", f, oh + 56, 0x3000, 0x200)
struct.pack_into("<HH", f, oh + 68, 10, 0)
struct.pack_into("<I", f, oh + 108, 16)
struct.pack_into("<II", f, oh + 112 + 5 * 8, 0x2000, 12)
sh = oh + 240
struct.pack_into("<8sIIII12xI", f, sh, b".text", 0x100, 0x1000, 0x200, 0x200, 0x60000020)
struct.pack_into("<8sIIII12xI", f, sh + 40, b".data", 0x100, 0x2000, 0x200, 0x400, 0xc0000040)
struct.pack_into("<IIHH", f, 0x400, 0x2000, 12, 0xa010, 0)
struct.pack_into("<Q", f, 0x410, 0x10001000)
open(sys.argv[1], "wb").write(f)
PY
