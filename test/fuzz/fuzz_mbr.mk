# SPDX-License-Identifier: MIT
fuzz_mbr-srcs := test/fuzz/memblk.c drivers/block/blk.c disk/part.c disk/part_read.c disk/part_dos.c disk/part_efi.c disk/utf16.c
fuzz_mbr-libs := -lz
fuzz_mbr-corpus := test/fuzz/corpus_mbr.sh
