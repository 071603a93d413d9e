#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_booti: parameter blocks (see fuzz_booti.c) with a
# plain Image, a gzip'd one (staged and not), a legacy ramdisk image and
# an initrd given with its size.
set -e
out=${1:?usage: corpus_booti.sh DIR}
mkdir -p "$out"
python3 - "$out" <<'PY'
import gzip, os, struct, sys, zlib
out = sys.argv[1]
F_INITRD, F_LEGACY, F_FDT, F_STAGE, F_BOOTARGS, F_KLEN, F_HCRC = 1, 2, 4, 8, 16, 32, 64
MiB = 1 << 20

def image(text_offset=0, image_size=0x40000, size=0x8000):
    hdr = struct.pack('<IIQQQQQQII', 0x14000010, 0, text_offset, image_size, 0xa, 0, 0, 0,
                      0x644d5241, 0)
    return hdr + bytes((i * 7) & 0xff for i in range(size - len(hdr)))

def legacy(data, typ=3):
    def hdr(hcrc):
        return struct.pack('>IIIIIIIBBBB32s', 0x27051956, hcrc, 0, len(data), 0, 0,
                           zlib.crc32(data), 5, 22, typ, 0, b'ramdisk')
    return hdr(zlib.crc32(hdr(0))) + data

def params(flags, kernel, kernel_len=0, initrd=0, initrd_len=0, initrd_loaded=0, fdt=0,
           fdt_dst=3 * MiB, comp=0, comp_size=0, split=0, modes=0):
    return struct.pack('<BB9IH', flags, modes, kernel, initrd, initrd_len, initrd_loaded, fdt,
                       fdt_dst, kernel_len, comp, comp_size, split)

def write(name, blob):
    open(os.path.join(out, name), 'wb').write(blob)

k = image()
write('plain', params(F_KLEN | F_BOOTARGS, 2 * MiB, len(k), split=len(k)) + k)
write('plain-moved', params(F_KLEN, MiB + 0x1000, len(k), split=len(k)) + k)
z = gzip.compress(image(size=0x30000), 9)
write('gzip', params(F_KLEN, 1 * MiB, len(z), split=len(z)) + z)
write('gzip-staged', params(F_KLEN | F_STAGE, 2 * MiB, len(z), comp=3 * MiB + 0x80000,
                            comp_size=0x80000, fdt_dst=MiB, split=len(z)) + z)
r = legacy(bytes(range(256)) * 16)
write('legacy-initrd', params(F_KLEN | F_INITRD | F_LEGACY | F_HCRC, 2 * MiB, len(k), initrd=MiB,
                              split=len(k)) + k + r)
write('initrd-sized', params(F_KLEN | F_INITRD, 2 * MiB, len(k), initrd=MiB, initrd_len=0x1000,
                             split=len(k)) + k)
PY
