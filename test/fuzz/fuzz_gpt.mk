# SPDX-License-Identifier: MIT
fuzz_gpt-srcs := test/unit/bootstage_stub.c test/fuzz/memblk.c drivers/core/device.c common/errstr.c drivers/block/blk.c disk/part.c disk/part_read.c disk/part_dos.c disk/part_efi.c disk/utf16.c
fuzz_gpt-libs := -lz
fuzz_gpt-corpus := test/fuzz/corpus_gpt.sh
