#!/bin/bash
# SPDX-License-Identifier: MIT
#
# mkimages.sh OUTDIR: build the partition/filesystem test images with the real
# tools (mkfs.ext2/3/4, debugfs, tune2fs, mkfs.vfat, mtools, sfdisk, sgdisk).
# For every image IMG it writes IMG.list, one line per file to check:
#     <path in the fs> <TAB> <host file with the expected bytes> <TAB> <pos> <TAB> <len>
# (len 0 = whole file). Corrupt variants are derived with dd/python at offsets
# that the tools themselves report. Images are sparse; the whole set is a few
# MiB on disk. Re-running is cheap: a stamp keeps a finished set.
set -euo pipefail
export LC_ALL=C.UTF-8 PATH=/usr/sbin:/sbin:$PATH
out=$(realpath -m "${1:?usage: mkimages.sh OUTDIR}")
here=$(cd "$(dirname "$0")" && pwd)
stamp=$out/.done
# Unit and sandbox tests share the set: one builder at a time, the others wait.
mkdir -p "$(dirname "$out")"
exec 9>"$out.lock"
flock 9
if [ -f "$stamp" ] && [ "$stamp" -nt "$0" ]; then
	exit 0
fi
rm -rf "$out"
mkdir -p "$out"
cd "$out"
export MTOOLS_SKIP_CHECK=1
# Fixed timestamps and hash seed: same images every run.
export E2FSPROGS_FAKE_TIME=1700000000 SOURCE_DATE_EPOCH=1700000000

rnd() { # rnd FILE BYTES SEED: deterministic pseudo-random content
	python3 -c "import random,sys; r=random.Random($3); sys.stdout.buffer.write(r.randbytes($2))" >"$1"
}

# ---- Source trees ------------------------------------------------------------
mkdir -p src/common
(
	cd src/common
	echo "hello from pvboot" >hello.txt
	: >empty
	rnd small.bin 3000 1
	rnd medium.bin 307200 2
	rnd "A Long File Name With Spaces.txt" 5000 3
	rnd "ünïcødé-名前.txt" 1234 4
	rnd MixedCase.TXT 777 5
	d=deep
	for i in $(seq 1 20); do d=$d/d$i; done
	mkdir -p "$d"
	echo "the bottom of a deep tree" >"$d/leaf.txt"
	mkdir many
	for i in $(seq 0 299); do echo "entry $i" >"many/a-rather-long-file-name-number-$i.txt"; done
	# Sparse: data at 0, in the middle and at the end, holes between.
	truncate -s 1048576 sparse.bin
	rnd chunk 4096 6
	dd if=chunk of=sparse.bin conv=notrunc bs=4096 seek=0 status=none
	dd if=chunk of=sparse.bin conv=notrunc bs=4096 seek=100 status=none
	dd if=chunk of=sparse.bin conv=notrunc bs=4096 seek=255 status=none
	rm chunk
)
cp -a src/common src/ext
(
	cd src/ext
	ln -s hello.txt fastlink
	ln -s deep/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18/d19/d20/leaf.txt slowlink
	ln -s /hello.txt abslink
	ln -s deep/d1/d2 dirlink
	ln -s chain2 chain1
	ln -s fastlink chain2
	ln -s loop2 loop1
	ln -s loop1 loop2
	ln -s ../../../../medium.bin deep/d1/d2/d3/uplink
)
# > 4 GiB sparse file: 4 KiB at the start, 64 KiB at the very end.
mkdir -p src/huge
truncate -s $((5 * 1024 * 1024 * 1024 + 12345)) src/huge/huge.bin
rnd head.part 4096 7
rnd tail.part 65536 8
dd if=head.part of=src/huge/huge.bin conv=notrunc status=none
dd if=tail.part of=src/huge/huge.bin conv=notrunc bs=1 seek=$((5 * 1024 * 1024 * 1024 + 12345 - 65536)) status=none

list_tree() { # list_tree SRCDIR [PREFIX]: every regular file, whole
	(cd "$1" && find . -type f | sort) | while read -r f; do
		printf '%s\t%s\t0\t0\n' "${f#.}" "$out/$1/${f#./}"
	done
}

# ---- ext2/3/4 ---------------------------------------------------------------
mkext() { # mkext NAME SIZE_MIB MKFS-ARGS...
	local name=$1 size=$2
	shift 2
	truncate -s "${size}M" "$name.img"
	"$@" -q -F -E root_owner=0:0 -L "$name" -U 0f5e6d7c-1b2a-4c3d-8e9f-$(printf '%012x' $size) \
		-d src/ext "$name.img" >/dev/null
	list_tree src/ext >"$name.list"
	for l in fastlink slowlink abslink chain1; do
		printf '/%s\t%s\t0\t0\n' "$l" "$out/src/ext/${l/slowlink/deep/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18/d19/d20/leaf.txt}" >>"$name.list"
	done
	sed -i "s#\(/[a-z]*link\t\)$out/src/ext/\(fastlink\|abslink\|chain1\)#\1$out/src/ext/hello.txt#" "$name.list"
	printf '/dirlink/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18/d19/d20/leaf.txt\t%s\t0\t0\n' \
		"$out/src/ext/deep/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18/d19/d20/leaf.txt" >>"$name.list"
	printf '/deep/d1/d2/d3/uplink\t%s\t0\t0\n' "$out/src/ext/medium.bin" >>"$name.list"
	printf '/sparse.bin\t%s\t%d\t%d\n' "$out/src/ext/sparse.bin" 409000 200000 >>"$name.list"
}

mkext ext2-1k 16 mkfs.ext2 -b 1024
mkext ext3-4k 16 mkfs.ext3 -b 4096
mkext ext4-32bit 16 mkfs.ext4 -O ^64bit,^metadata_csum
mkext ext4-64csum 16 mkfs.ext4 -O 64bit,metadata_csum -b 4096
mkext ext4-1k 16 mkfs.ext4 -b 1024
mkext ext4-noextent 16 mkfs.ext4 -O ^extent,^64bit
mkext ext4-inline 16 mkfs.ext4 -O inline_data,metadata_csum -b 4096
mkext ext4-metabg 16 mkfs.ext4 -O meta_bg,^resize_inode -b 1024
mkext ext4-bigalloc 16 mkfs.ext4 -O bigalloc -C 16384 -b 1024
mkext ext4-64k 32 mkfs.ext4 -b 65536

# A fragmented file: fill with small files, free every other one, then write
# a big file into the holes (debugfs -w, the real allocator). On 1 KiB blocks
# this needs more than 4 extents, so the extent tree gets depth 1.
fragment() { # fragment IMG BIG_FILE_SIZE
	local img=$1 n=400 i
	rnd frag-$img.bin "$2" 9
	{
		echo "mkdir /fill"
		for i in $(seq 1 $n); do echo "write $out/src/common/small.bin /fill/f$i"; done
		for i in $(seq 1 2 $n); do echo "rm /fill/f$i"; done
		echo "write $out/frag-$img.bin /frag.bin"
	} >frag.cmds
	debugfs -w -f frag.cmds "$img" >/dev/null 2>&1
	printf '/frag.bin\t%s\t0\t0\n' "$out/frag-$img.bin" >>"${img%.img}.list"
	printf '/frag.bin\t%s\t%d\t%d\n' "$out/frag-$img.bin" 100001 300000 >>"${img%.img}.list"
}
fragment ext4-1k.img 600000
fragment ext2-1k.img 600000
fragment ext4-64csum.img 600000
# Index the big directories (htree), as a long-lived filesystem would have them.
for img in ext4-1k.img ext4-64csum.img ext3-4k.img; do
	e2fsck -fyD "$img" >/dev/null 2>&1 || [ $? -le 1 ]
done
debugfs -R "stat /many" ext4-1k.img 2>/dev/null | grep -q "Flags: 0x81000" || {
	echo "mkimages: ext4-1k /many is not an htree directory" >&2
	exit 1
}
debugfs -R "stat /frag.bin" ext4-1k.img 2>/dev/null | grep -q "(ETB0)" || {
	echo "mkimages: ext4-1k /frag.bin has no extent tree block (depth 0)" >&2
	exit 1
}

# > 4 GiB sparse file on two layouts (extents with 64bit, block map on ext2).
for fs in "ext4-huge mkfs.ext4 -O 64bit,metadata_csum" "ext2-huge mkfs.ext2 -b 4096"; do
	set -- $fs
	name=$1
	shift
	truncate -s 16M "$name.img"
	"$@" -q -F -d src/huge "$name.img" >/dev/null
	big=$((5 * 1024 * 1024 * 1024 + 12345))
	printf '/huge.bin\t%s\t%d\t%d\n' "$out/src/huge/huge.bin" $((big - 65536)) 65536 >"$name.list"
	printf '/huge.bin\t%s\t0\t8192\n' "$out/src/huge/huge.bin" >>"$name.list"
done

# ---- FAT12/16/32 --------------------------------------------------------------
mkfat() { # mkfat NAME SIZE_MIB BITS [mkfs.vfat args]
	local name=$1 size=$2 bits=$3 i
	shift 3
	truncate -s "${size}M" "$name.img"
	mkfs.vfat -F "$bits" -i 12345678 -n "${name^^}" "$@" "$name.img" >/dev/null
	# Fragment: small files first, delete every other, then a big file.
	mmd -i "$name.img" ::/fill
	for i in $(seq 1 40); do mcopy -i "$name.img" src/common/small.bin "::/fill/f$i"; done
	for i in $(seq 1 2 40); do mdel -i "$name.img" "::/fill/f$i"; done
	rnd "frag-$name.bin" 100000 10
	mcopy -i "$name.img" "frag-$name.bin" ::/frag.bin
	mcopy -s -i "$name.img" src/common/* ::/
	list_tree src/common >"$name.list"
	printf '/frag.bin\t%s\t0\t0\n' "$out/frag-$name.bin" >>"$name.list"
	printf '/FRAG.BIN\t%s\t7\t50000\n' "$out/frag-$name.bin" >>"$name.list"
	printf '/a long file name with spaces.TXT\t%s\t0\t0\n' "$out/src/common/A Long File Name With Spaces.txt" >>"$name.list"
	printf '/mixedcase.txt\t%s\t0\t0\n' "$out/src/common/MixedCase.TXT" >>"$name.list"
	printf '/sparse.bin\t%s\t%d\t%d\n' "$out/src/common/sparse.bin" 409000 200000 >>"$name.list"
}
mkfat fat12 4 12
mkfat fat16 20 16
mkfat fat32 40 32 -s 1
[ "$(mshowfat -i fat16.img ::/frag.bin | grep -o '<[^>]*>' | wc -l)" -gt 1 ] || {
	echo "mkimages: fat16 /frag.bin is not fragmented" >&2
	exit 1
}

# ---- Partitioned disks ---------------------------------------------------------
put() { # put DISK IMG START_SECTOR
	dd if="$2" of="$1" bs=512 seek="$3" conv=notrunc,sparse status=none
}
relist() { # relist PART < list: prefix each line with the partition number
	sed "s/^/$1\t/"
}

# MBR: p1 ext4 (bootable), p2 FAT16, p3 extended with logicals 5 (ext2) and 6 (FAT12).
truncate -s 64M mbr.img
sfdisk -q mbr.img <<'SF'
label: dos
label-id: 0xcafe1234
start=2048, size=32768, type=83, bootable
start=34816, size=40960, type=6
start=75776, size=53248, type=5
start=77824, size=32768, type=83
start=112640, size=8192, type=1
SF
truncate -s 16M p-ext4.img
mkfs.ext4 -q -F -d src/ext p-ext4.img >/dev/null
put mbr.img p-ext4.img 2048
put mbr.img fat16.img 34816
truncate -s 16M p-ext2.img
mkfs.ext2 -q -F -d src/common p-ext2.img >/dev/null
put mbr.img p-ext2.img 77824
put mbr.img fat12.img 112640
sfdisk -J mbr.img >mbr.json
{
	list_tree src/ext | relist 1
	relist 2 <fat16.list
	list_tree src/common | relist 5
	relist 6 <fat12.list
} >mbr.list

# Only partition 2 is bootable: "0" means partition 1, "0:auto" partition 2.
truncate -s 4M mbr-boot2.img
sfdisk -q mbr-boot2.img <<'SF'
label: dos
start=2048, size=2048, type=83
start=4096, size=2048, type=83, bootable
SF

# The same kind of MBR on a disk with 4 KiB logical sectors (fdisk -b 4096):
# 1 = ext4 at 256, extended 2, logical 5 = FAT16 at 4608 (4 KiB units).
truncate -s 64M mbr4k.img
printf 'o\nn\np\n1\n256\n4351\nn\ne\n2\n4352\n16383\nn\nl\n4608\n9727\nt\n5\nc\nw\n' |
	fdisk -b 4096 mbr4k.img >/dev/null
dd if=p-ext4.img of=mbr4k.img bs=4096 seek=256 conv=notrunc,sparse status=none
dd if=fat16.img of=mbr4k.img bs=4096 seek=4608 conv=notrunc,sparse status=none
{
	list_tree src/ext | relist 1
	relist 5 <fat16.list
} >mbr4k.list

# GPT on a disk with 4 KiB logical sectors (fdisk -b 4096): 1 = ext4 at 256.
truncate -s 32M gpt4k.img
printf 'g\nn\n1\n256\n4351\nw\n' | fdisk -b 4096 gpt4k.img >/dev/null
dd if=p-ext4.img of=gpt4k.img bs=4096 seek=256 conv=notrunc,sparse status=none
list_tree src/ext | relist 1 >gpt4k.list

# GPT: 1 = ext4 "rootfs", 2 = FAT32 "EFI boot ü".
truncate -s 64M gpt.img
sgdisk -n 1:2048:+16M -t 1:8300 -c 1:rootfs -u 1:11111111-2222-3333-4444-555555555555 \
	-n 2:0:+40M -t 2:ef00 -c "2:EFI boot ü" -u 2:66666666-7777-8888-9999-aaaaaaaaaaaa \
	-U 01234567-89ab-cdef-0123-456789abcdef gpt.img >/dev/null
start2=$(sgdisk -i 2 gpt.img | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
echo "$start2" >gpt.start2
put gpt.img p-ext4.img 2048
put gpt.img fat32.img "$start2"
{
	list_tree src/ext | relist 1
	relist 2 <fat32.list
} >gpt.list

# ---- Corrupt variants ------------------------------------------------------------
# GPT: primary header CRC broken -> backup must be used; both broken -> error.
cp --sparse=always gpt.img gpt-badprimary.img
printf '\xde\xad' | dd of=gpt-badprimary.img bs=1 seek=$((512 + 16)) conv=notrunc status=none
cp gpt.list gpt-badprimary.list
cp --sparse=always gpt.img gpt-badentries.img
printf '\x01' | dd of=gpt-badentries.img bs=1 seek=$((1024 + 56)) conv=notrunc status=none
cp gpt.list gpt-badentries.list
cp --sparse=always gpt-badprimary.img gpt-badboth.img
last=$(($(stat -c %s gpt.img) / 512 - 1))
printf '\xde\xad' | dd of=gpt-badboth.img bs=1 seek=$((last * 512 + 16)) conv=notrunc status=none

# MBR whose first EBR links back to itself.
cp --sparse=always mbr.img mbr-ebrloop.img
python3 - mbr-ebrloop.img <<'PY'
import struct, sys
# The second EBR (logical 6) gets a "next" link to itself.
f = open(sys.argv[1], "r+b")
ext = 75776
f.seek(ext * 512 + 446 + 16 + 8)
rel = struct.unpack("<I", f.read(4))[0]
f.seek((ext + rel) * 512 + 446 + 16)
f.write(bytes([0, 0, 0, 0, 5, 0, 0, 0]) + struct.pack("<II", rel, 2048))
PY

# Extent tree that points back at itself (no checksums, so the walk meets it).
truncate -s 16M ext4-extloop.img
mkfs.ext4 -q -F -b 1024 -O ^metadata_csum -d src/common ext4-extloop.img >/dev/null
fragment ext4-extloop.img 600000
rm ext4-extloop.list
leaf=$(debugfs -R "stat /frag.bin" ext4-extloop.img 2>/dev/null | sed -n 's/.*(ETB0):\([0-9]*\).*/\1/p' | head -1)
python3 - ext4-extloop.img "$leaf" <<'PY'
import struct, sys
f = open(sys.argv[1], "r+b")
off = int(sys.argv[2]) * 1024
f.seek(off)
hdr = bytearray(f.read(24))
# depth 1 and a single index entry that points at this very block.
struct.pack_into("<HHHH", hdr, 0, 0xF30A, 1, struct.unpack_from("<H", hdr, 4)[0], 1)
struct.pack_into("<IIHH", hdr, 12, 0, int(sys.argv[2]), 0, 0)
f.seek(off)
f.write(hdr)
PY

# metadata_csum: one flipped byte in /hello.txt's inode must be caught.
cp --sparse=always ext4-64csum.img ext4-badinode.img
read -r blk off < <(debugfs -R "imap /hello.txt" ext4-badinode.img 2>/dev/null |
	sed -n 's/.*located at block \([0-9]*\), offset \(0x[0-9a-f]*\).*/\1 \2/p')
printf '\x55' | dd of=ext4-badinode.img bs=1 seek=$((blk * 4096 + off + 0x1c)) conv=notrunc status=none

# metadata_csum: a flipped byte in an extent tree block and in a directory
# leaf block (the second block of the htree directory /many).
cp --sparse=always ext4-64csum.img ext4-badblocks.img
etb=$(debugfs -R "stat /frag.bin" ext4-badblocks.img 2>/dev/null | sed -n 's/.*(ETB0):\([0-9]*\).*/\1/p' | head -1)
leafdir=$(debugfs -R "bmap /many 1" ext4-badblocks.img 2>/dev/null)
[ -n "$etb" ] && [ -n "$leafdir" ] || {
	echo "mkimages: ext4-64csum has no extent block or no htree leaf" >&2
	exit 1
}
printf '\x7f' | dd of=ext4-badblocks.img bs=1 seek=$((etb * 4096 + 20)) conv=notrunc status=none
printf '\x7f' | dd of=ext4-badblocks.img bs=1 seek=$((leafdir * 4096 + 20)) conv=notrunc status=none
# ... and one in the htree root block of /many (its ".." entry).
cp --sparse=always ext4-64csum.img ext4-baddx.img
dxroot=$(debugfs -R "bmap /many 0" ext4-baddx.img 2>/dev/null)
printf '\x7f' | dd of=ext4-baddx.img bs=1 seek=$((dxroot * 4096 + 20)) conv=notrunc status=none

# Unsupported INCOMPAT features, set with the real tools.
cp --sparse=always ext4-32bit.img ext4-encrypt.img
tune2fs -O encrypt ext4-encrypt.img >/dev/null
cp --sparse=always ext4-32bit.img ext4-unknown.img
inc=$(dumpe2fs -h ext4-unknown.img 2>/dev/null | sed -n 's/^Filesystem features://p' >/dev/null; \
	debugfs -R "stats" ext4-unknown.img 2>/dev/null | head -0; \
	python3 -c "import struct;f=open('ext4-unknown.img','rb');f.seek(1024+0x60);print(struct.unpack('<I',f.read(4))[0])")
debugfs -w -R "ssv feature_incompat $((inc | 0x80000000))" ext4-unknown.img >/dev/null 2>&1

# FAT16 chain loop inside /frag.bin's chain.
cp --sparse=always fat16.img fat16-loop.img
python3 - fat16-loop.img "$(mshowfat -i fat16.img ::/frag.bin)" <<'PY'
import re, struct, sys
img, chain = sys.argv[1], sys.argv[2]
runs = [tuple(int(x) for x in r.split("-")) if "-" in r else (int(r), int(r))
        for r in re.findall(r"<([0-9-]+)>", chain)]
# The end of the first run links back to the start: the loop lies inside the file.
first, last = runs[0][0], runs[0][1]
f = open(img, "r+b")
bs = f.read(64)
bps, reserved, nfats, fatsz = struct.unpack_from("<H", bs, 11)[0], struct.unpack_from("<H", bs, 14)[0], bs[16], struct.unpack_from("<H", bs, 22)[0]
for n in range(nfats):
    f.seek((reserved + n * fatsz) * bps + last * 2)
    f.write(struct.pack("<H", first))
PY

touch "$stamp"
