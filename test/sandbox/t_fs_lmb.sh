#!/bin/bash
# SPDX-License-Identifier: MIT
# A load that would overwrite pvboot (its reserved top of RAM, the DT) or
# leave RAM is refused before anything is read: memory is unchanged.
. "$(dirname "$0")/fs_helpers.sh"

D="--disk $IMG/mbr.img"
sb $D -c 'bdinfo'
res=$(sed -n 's/^reserved *= 0x0*\([0-9a-f]*\)$/\1/p' "$OUT")
fdt=$(sed -n 's/^fdt_blob *= 0x0*\([0-9a-f]*\)$/\1/p' "$OUT")
[ -n "$res" ] && [ -n "$fdt" ] && ok "bdinfo shows reserved ($res) and fdt ($fdt)" || bad "bdinfo"
below=$(printf '%x' $((0x$res - 0x1000)))

sb $D -c "crc32 $below 1000; load pvblock 0:1 $below /medium.bin; echo rc=\$?; crc32 $below 1000
load pvblock 0:1 $fdt /small.bin; echo rc=\$?
load pvblock 0:1 1000 /small.bin; echo rc=\$?
load pvblock 0:1 $below /small.bin 1000; echo rc=\$?"
expect_line "Cannot write 0x$below-.*: it would overwrite memory reserved by pvboot \(0x$res-" \
	"load running into pvboot's memory is refused, naming it"
expect_line "Cannot write 0x$fdt-.*: it would overwrite pvboot's device tree \(0x$fdt-" \
	"load over the DT copy refused"
expect_line "Cannot write 0x1000-.*: outside RAM" "load below RAM refused"
expect_count 3 "^rc=1$" "refused loads fail"
expect_line "^3000 bytes read in" "the same address with a length that fits is allowed"
a=$(sed -n 's/^crc32 for .* ==> \([0-9a-f]*\)$/\1/p' "$OUT" | sed -n 1p)
b=$(sed -n 's/^crc32 for .* ==> \([0-9a-f]*\)$/\1/p' "$OUT" | sed -n 2p)
[ -n "$a" ] && [ "$a" = "$b" ] && ok "refused load wrote nothing" || bad "memory changed by a refused load ($a vs $b)"

finish
