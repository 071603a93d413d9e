#!/bin/bash
# SPDX-License-Identifier: MIT
# Files in many pieces load byte-exact and as one stream: sparse files from
# `mkfs.ext4 -d` (zero runs become holes) on 1 KiB and 4 KiB blocks, and a
# file fragmented across the gaps of a deliberately aged filesystem. The
# pvblock statistics show the stream: pieces that follow each other on the
# disk share requests, and many requests are in flight at once.
. "$(dirname "$0")/fs_helpers.sh"
export PATH=/usr/sbin:/sbin:$PATH E2FSPROGS_FAKE_TIME=1700000000

# Deterministic content: data runs and zero runs of 1-9 KiB (so 1 KiB holes,
# and on 4 KiB blocks some whole zero blocks), 2 MiB in all.
mkdir -p "$TMP/src"
python3 - "$TMP/src/zeroruns.bin" <<'PY'
import random, sys
r = random.Random(15)
out = bytearray()
while len(out) < 2 << 20:
    n = r.randint(1, 9) * 1024
    out += bytes(n) if r.random() < 0.4 else r.randbytes(n)
open(sys.argv[1], "wb").write(out[:2 << 20])
PY
mkfs.ext4 -q -F -b 1024 -d "$TMP/src" "$TMP/sparse1k.img" 8M >/dev/null
mkfs.ext4 -q -F -b 4096 -d "$TMP/src" "$TMP/sparse4k.img" 8M >/dev/null

# Aged: 200 small files written, every other one deleted, then a 1 MiB file
# (no zero blocks) written into the gaps they left.
python3 -c "import random,sys; open(sys.argv[1],'wb').write(random.Random(16).randbytes(3072))" "$TMP/small"
python3 -c "import random,sys; open(sys.argv[1],'wb').write(random.Random(17).randbytes(1 << 20))" "$TMP/big.bin"
mkfs.ext4 -q -F -b 1024 "$TMP/aged.img" 8M >/dev/null
{
	for i in $(seq 0 199); do echo "write $TMP/small f$i"; done
	for i in $(seq 0 2 199); do echo "rm f$i"; done
	echo "write $TMP/big.bin big.bin"
} | debugfs -w -f - "$TMP/aged.img" >/dev/null 2>&1

# leaf_extents IMG FILE: the extents of FILE (debugfs lines "level/ depth" with level == depth).
leaf_extents() {
	debugfs -R "ex $2" "$1" 2>/dev/null |
		awk 'NR > 1 { split($0, a, "/"); lvl = a[1] + 0; dep = a[2] + 0; if (lvl == dep) n++ } END {print n + 0}'
}
n1k=$(leaf_extents "$TMP/sparse1k.img" /zeroruns.bin)
nag=$(leaf_extents "$TMP/aged.img" /big.bin)
[ "$n1k" -ge 64 ] && ok "sparse 1 KiB-block file has $n1k extents" || bad "sparse file: only $n1k extents"
[ "$nag" -ge 50 ] && ok "aged filesystem: the file has $nag extents" || bad "aged file: only $nag extents"

# requests OUT N: requests of pvblock 0 at the Nth `blkcache show`.
requests() {
	sed -n 's/^pvblock 0: requests \([0-9]*\),.*/\1/p' "$1" | sed -n "$2p"
}
inflight() {
	sed -n 's/^pvblock 0: requests [0-9]*, max in flight \([0-9]*\),.*/\1/p' "$1" | sed -n "$2p"
}

# Each layout, both grant modes: byte-exact, also a range with unaligned ends.
for img in sparse1k sparse4k; do
	for pers in 1 0; do
		sb --disk "$TMP/$img.img" -c "setenv pvblock_persistent $pers; pvblock rescan
load pvblock 0 \${loadaddr} /zeroruns.bin; crc32 \${loadaddr} \${filesize}
load pvblock 0 40400003 /zeroruns.bin 1f001 3039; crc32 40400003 \${filesize}"
		expect_crc "$(hostcrc "$TMP/src/zeroruns.bin")" "$img, persistent=$pers: whole file byte-exact" 1
		expect_crc "$(hostcrc "$TMP/src/zeroruns.bin" 12345 126977)" \
			"$img, persistent=$pers: unaligned range byte-exact" 2
	done
done
for pers in 1 0; do
	sb --disk "$TMP/aged.img" -c "setenv pvblock_persistent $pers; pvblock rescan
load pvblock 0 \${loadaddr} /big.bin; crc32 \${loadaddr} \${filesize}"
	expect_crc "$(hostcrc "$TMP/big.bin")" "aged filesystem, persistent=$pers: fragmented file byte-exact"
done

# The stream: the sparse file's pieces lie back to back on the disk, so its
# load takes far fewer requests than it has extents; the fragmented file's
# pieces are all in flight together, not read one after the other.
sb --disk "$TMP/sparse1k.img" -c 'ls pvblock 0 /; blkcache show; load pvblock 0 ${loadaddr} /zeroruns.bin; blkcache show'
r=$(($(requests "$OUT" 2) - $(requests "$OUT" 1)))
[ "$r" -gt 0 ] && [ $((r * 4)) -le "$n1k" ] && ok "sparse file: $r requests for $n1k extents" ||
	bad "sparse file: $r requests for $n1k extents (expected at most a quarter)"
sb --disk "$TMP/aged.img" -c 'load pvblock 0 ${loadaddr} /big.bin; blkcache show'
m=$(inflight "$OUT" 1)
[ "${m:-0}" -ge 16 ] && ok "fragmented file: $m requests in flight at once" ||
	bad "fragmented file: at most ${m:-?} requests in flight (expected >= 16)"

finish
