# SPDX-License-Identifier: MIT
# Helpers for the sandbox boot tests (sourced, not run): kernels the sandbox
# can "boot", disks holding them, legacy image headers typed with mw.l, and
# crc32 comparisons of memory before and after a command.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# fake_image FILE [TEXT_OFFSET IMAGE_SIZE FILE_SIZE]: an arm64 Image header
# (LE, 4K pages, anywhere) and, by default (text_offset 0, image_size 3 MiB,
# 2 MiB of file), a PE/COFF header whose one section ends at 2 MiB as an
# EFI-stub kernel (Debian's) has; the rest is random, or zeros when sizes are
# given (a gzip'd copy stays small).
fake_image() {
	python3 - "$@" <<'PY'
import os, struct, sys
path = sys.argv[1]
custom = len(sys.argv) > 2
text, isize, size = (int(a, 0) for a in sys.argv[2:5]) if custom else (0, 0x300000, 0x200000)
hdr = struct.pack('<IIQQQQQQII', 0x14000010, 0, text, isize, 0xa, 0, 0, 0, 0x644d5241,
                  0 if custom else 0x40)
if not custom:
    coff = b'PE\0\0' + struct.pack('<HHIIIHH', 0xaa64, 1, 0, 0, 0, 0, 0x206)
    sect = struct.pack('<8sIIIIIIHHI', b'.text', size - 0x1000, 0x1000, size - 0x1000, 0x1000,
                       0, 0, 0, 0, 0)
    hdr += coff + sect
body = bytes(size - len(hdr)) if custom else os.urandom(size - len(hdr))
open(path, 'wb').write(hdr + body)
PY
}

# mkdisk IMG ROOTDIR [MKFS_OPTIONS]: MBR disk with one bootable ext4 partition
# holding ROOTDIR; the partition starts at sector 2048.
mkdisk() {
	truncate -s 48M "$1"
	printf 'label: dos\n2048,,83,*\n' | sfdisk -q "$1"
	truncate -s 47M "$1.p1"
	# shellcheck disable=SC2086 # options are words
	mkfs.ext4 -q ${3:-} -d "$2" "$1.p1"
	dd if="$1.p1" of="$1" bs=512 seek=2048 conv=notrunc status=none
	rm -f "$1.p1"
}

# mw_image_header ADDR TYPE SIZE [DCRC]: mw.l commands that write a legacy
# (mkimage) image header at ADDR with a correct header CRC, claiming SIZE
# bytes of data of TYPE (3 ramdisk, 6 script) with data CRC DCRC.
mw_image_header() {
	python3 - "$@" <<'PY'
import struct, sys, zlib
addr, typ, size = int(sys.argv[1], 16), int(sys.argv[2]), int(sys.argv[3], 0)
dcrc = int(sys.argv[4], 0) if len(sys.argv) > 4 else 0
def hdr(hcrc):
    return struct.pack('>IIIIIIIBBBB32s', 0x27051956, hcrc, 0, size, 0, 0, dcrc, 5, 22, typ, 0,
                       b'hostile')
h = hdr(zlib.crc32(hdr(0)))
print('; '.join('mw.l %x %08x' % (addr + i, struct.unpack('<I', h[i:i + 4])[0])
                for i in range(0, len(h), 4)))
PY
}

# same_crcs WHAT: the first two "crc32 for" lines of $OUT carry the same CRC.
same_crcs() {
	local a b
	a=$(sed -n 's/^crc32 for .* ==> \([0-9a-f]*\)$/\1/p' "$OUT" | sed -n 1p)
	b=$(sed -n 's/^crc32 for .* ==> \([0-9a-f]*\)$/\1/p' "$OUT" | sed -n 2p)
	if [ -n "$a" ] && [ "$a" = "$b" ]; then ok "$1"; else bad "$1 (crc32 $a, then $b)"; fi
}

# no_crash: no sanitizer report and no fault in the transcript.
no_crash() {
	expect_no "AddressSanitizer|runtime error|SEGV|Sandbox: fault" "${1:-no crash}"
}
