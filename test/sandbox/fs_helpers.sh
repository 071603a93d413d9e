# SPDX-License-Identifier: MIT
# Helpers for the t_fs_*.sh / t_part_*.sh sandbox tests (sourced, not run).
# Images come from test/images/mkimages.sh (real mkfs/sgdisk/sfdisk/mtools),
# built once into $PVBOOT_FS_IMAGES (default build/fs-images) and reused.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMG=${PVBOOT_FS_IMAGES:-$SRCTREE/build/fs-images}
"$SRCTREE/test/images/mkimages.sh" "$IMG" >/dev/null 2>&1 || {
	echo "FAIL: could not build the test images (test/images/mkimages.sh $IMG)"
	exit 1
}

# hostcrc FILE [OFFSET LEN]: crc32 of a file or a byte range, 8 hex digits.
hostcrc() {
	python3 -c "import zlib,sys; f=open(sys.argv[1],'rb'); f.seek(${2:-0}); print('%08x' % zlib.crc32(f.read(${3:--1})))" "$1"
}

# expect_crc HOSTCRC [WHAT] [N]: the Nth "crc32 for" line of $OUT has HOSTCRC.
expect_crc() {
	local got
	got=$(sed -n 's/^crc32 for .* ==> \([0-9a-f]*\)$/\1/p' "$OUT" | sed -n "${3:-1}p")
	if [ "$got" = "$1" ]; then ok "${2:-crc32 $1}"; else bad "${2:-crc32 $1} (got '$got')"; fi
}
