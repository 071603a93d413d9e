#!/bin/bash
# SPDX-License-Identifier: MIT
# booti against hostile addresses and headers (a 128 MiB guest: RAM is
# 0x40000000-0x48000000). Every case must end in a clear error and a live
# prompt, with memory exactly as it was: booti plans everything first and
# only a complete plan touches memory.
#   - addresses past RAM or at 0 for the kernel, the initrd and the DT;
#   - a legacy ramdisk header claiming 1 GiB of data;
#   - a gzip'd Image whose header under-states its size, so that it inflates
#     past the room that was checked (onto the initrd);
#   - a kernel that must move, with fdt_addr_r unset: refused before the move.
. "$(dirname "$0")/boot_helpers.sh"

# A minimal Image header at kernel_addr_r (0x40200000): magic, image_size 64 KiB.
KHDR='mw.l 40200038 644d5241; mw.l 40200010 10000'

# 1. Addresses outside RAM: each refused, clearly, and the prompt goes on.
for c in "booti 48000000" "booti 40000000 48000000" "booti 40000000 - 47fffff0" "booti 0" \
	"booti 40200000 48000000" "booti 40200000 - 47fffff0" "booti 40200000 - 0" \
	"booti 40200000 47fffff0:100" "booti 40200000 40000000:ffffffffffffff00" \
	"booti 40200000 0:10"; do
	sb -c "$KHDR; $c; echo alive"
	expect_line "^## Cannot (read|write) 0x[0-9a-f]+|^Bad Linux ARM64 Image" "$c: clear error"
	expect_line "^alive$" "$c: prompt alive"
	expect_no "would jump" "$c: not booted"
	no_crash "$c: no fault"
done
# The cases the kernel check does not stop name what was refused.
sb -c "$KHDR; booti 40200000 48000000; echo alive"
expect_line "^## Cannot read 0x48000000-0x48000040: outside RAM" "initrd header past RAM named"
sb -c "$KHDR; booti 40200000 - 47fffff0; echo alive"
expect_line "^## Cannot read 0x47fffff0-0x48000018: outside RAM" "DT header past RAM named"
sb -c "booti 0; echo alive"
expect_line "^## Cannot read 0x0-0x40: outside RAM" "kernel at 0 refused before any read"

# 2. A legacy ramdisk header believed would make the CRC run 1 GiB past RAM.
sb -c "$KHDR; $(mw_image_header 41000000 3 0x3fff0000); booti 40200000 41000000; echo alive"
expect_line "Image data is truncated: header says 1073676288 bytes" "oversized ih_size refused"
expect_line "^alive$" "prompt alive after the hostile ramdisk header"
no_crash

# A disk with the kernels for the remaining cases.
R=$TMP/root
mkdir -p "$R"
fake_image "$R/Image"
# text_offset just under 2 MiB, image_size 4 KiB, 0x5f0000 bytes inflated.
fake_image "$R/Image.under" 0x1f0000 0x1000 0x5f0000
gzip -9 -c "$R/Image.under" >"$R/Image.under.gz"
mkdisk "$TMP/disk.img" "$R"

# 3. Inflated past the room: the room ends at the initrd (0x40a00000); the
#    header says 0x1f1000 bytes are needed, the stream gives 0x5f0000 moved up
#    by text_offset. fdt_addr_r unset makes a late failure visible: the
#    initrd's CRC must not change.
sb --disk "$TMP/disk.img" -c 'setenv kernel_comp_addr_r; setenv fdt_addr_r
load pvblock 0:1 40200000 /Image.under.gz
mw 40a00000 5a5a5a5a 40000; crc32 40a00000 100000
booti 40200000 40a00000:100000; echo booti=$?
crc32 40a00000 100000'
expect_line "^booti=1$" "booti failed"
same_crcs "the initrd is untouched"
no_crash

# The same with fdt_addr_r set: still refused, nothing booted.
sb --disk "$TMP/disk.img" -c 'setenv kernel_comp_addr_r
load pvblock 0:1 40200000 /Image.under.gz; booti 40200000 40a00000:100000; echo alive'
expect_line "kernel needs 0x7e0000 bytes at 0x40400000, only 0x600000 free" \
	"room checked against the real inflated length"
expect_no "would jump"

# 4. A kernel that must move (0x40201000 -> 0x40400000) with fdt_addr_r unset:
#    the plan fails before anything moves; the loaded image is intact, and a
#    second booti with fdt_addr_r set boots it.
sb --disk "$TMP/disk.img" -c 'load pvblock 0:1 40201000 /Image; crc32 40201000 200000
setenv fdt_addr_r; booti 40201000; echo booti=$?
crc32 40201000 200000; setenv fdt_addr_r 43600000; booti 40201000'
expect_line "fdt_addr_r is not set" "missing fdt_addr_r named"
expect_line "^booti=1$" "booti failed"
same_crcs "the loaded kernel is unchanged by the failed booti"
expect_count 1 "Moving Image" "only the second booti moved the kernel"
expect_line "would jump to Linux at 0x40400000" "the second booti boots the intact kernel"
expect_line "hand-off clean"

finish
