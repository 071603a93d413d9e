#!/bin/bash
# SPDX-License-Identifier: MIT
# The banner comes first, then what was recorded before the console existed
# (here: a second RAM bank, reported and ignored: pvboot uses bank 0 only).
. "$(dirname "$0")/lib.sh"

sed 's|reg = <0x00 0x40000000 0x00 0x8000000>;|reg = <0x00 0x40000000 0x00 0x8000000 0x02 0x00 0x00 0x10000000>;|' \
	"$SRCTREE/arch/sandbox/sandbox.dts" >"$TMP/two.dts"
dtc -q -I dts -O dtb -o "$TMP/two.dtb" "$TMP/two.dts"
sb -d "$TMP/two.dtb" -c "bdinfo"
expect_line "RAM bank 1 at 0x200000000 \(256 MiB\) ignored" "second bank reported"
first=$(grep -n '^pvboot ' "$OUT" | head -1 | cut -d: -f1)
warn=$(grep -n 'RAM bank 1' "$OUT" | head -1 | cut -d: -f1)
if [ -n "$first" ] && [ -n "$warn" ] && [ "$first" -lt "$warn" ]; then ok "banner before early messages"; else bad "banner before early messages"; fi
expect_line "DRAM:  128 MiB at 0x40000000" "bank 0 used"
expect_status 0
finish
