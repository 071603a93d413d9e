#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_fdt: the real Xen 4.17 guest DT and variants made by dtc.
set -e
out=${1:?usage: corpus_fdt.sh DIR}
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
for d in "$here"/arch/sandbox/*.dts; do
	[ -f "$d" ] && dtc -q -I dts -O dtb -o "$out/$(basename "$d" .dts).dtb" "$d" || true
done
ref=$here/../shared/reference/xen-4.17-domu-128M.dtb
[ -f "$ref" ] && cp "$ref" "$out/" || true
