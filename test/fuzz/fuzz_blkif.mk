# SPDX-License-Identifier: MIT
fuzz_blkif-srcs := drivers/block/blkif_ring.c
fuzz_blkif-corpus := test/fuzz/corpus_blkif.sh
