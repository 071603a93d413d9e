#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_ext4: tiny filesystems made by mkfs.ext2/3/4 -d with
# files, a directory, fast and slow symlinks, a sparse file, inline data.
set -e
out=${1:?usage: corpus_ext4.sh DIR}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export E2FSPROGS_FAKE_TIME=1700000000 PATH=/usr/sbin:/sbin:$PATH
src=$tmp/src
mkdir -p "$src/dir/sub"
echo "hello from pvboot" >"$src/hello.txt"
head -c 5000 /dev/urandom >"$src/dir/file.bin"
truncate -s 40000 "$src/sparse"
printf 'x' | dd of="$src/sparse" bs=1 seek=30000 conv=notrunc status=none
ln -s hello.txt "$src/fast"
ln -s dir/sub/../../dir/sub/../../dir/sub/../../dir/sub/../../hello.txt "$src/slow"
for i in 1 2 3 4 5 6 7 8 9 10; do echo "$i" >"$src/dir/sub/f$i"; done
mk() { # mk NAME KiB MKFS-ARGS...
	name=$1 size=$2
	shift 2
	truncate -s "${size}K" "$tmp/$name"
	"$@" -q -F -N 32 -O ^resize_inode -d "$src" "$tmp/$name" >/dev/null
	cp "$tmp/$name" "$out/$name"
}
mk ext2 128 mkfs.ext2 -b 1024
mk ext4-nocsum 128 mkfs.ext4 -b 1024 -O ^has_journal,^metadata_csum
mk ext4-csum 128 mkfs.ext4 -b 1024 -O ^has_journal,metadata_csum,64bit
mk ext4-inline 128 mkfs.ext4 -b 1024 -I 256 -O ^has_journal,inline_data
mk ext4-noextent 128 mkfs.ext4 -b 1024 -O ^has_journal,^extent,^64bit
# An extent tree of depth 1: fill, free every other block, write into the holes.
truncate -s 128K "$tmp/frag"
mkfs.ext4 -q -F -b 1024 -N 32 -O ^has_journal,^resize_inode "$tmp/frag" >/dev/null
head -c 1000 /dev/urandom >"$tmp/one"
head -c 12000 /dev/urandom >"$tmp/twelve"
{
	for i in $(seq 1 24); do echo "write $tmp/one f$i"; done
	for i in $(seq 1 2 24); do echo "rm f$i"; done
	echo "write $tmp/twelve frag"
} >"$tmp/cmds"
debugfs -w -f "$tmp/cmds" "$tmp/frag" >/dev/null 2>&1
cp "$tmp/frag" "$out/ext4-frag"
