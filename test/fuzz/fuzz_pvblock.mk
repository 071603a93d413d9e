# SPDX-License-Identifier: MIT
fuzz_pvblock-srcs := test/fuzz/pvblock_fake.c drivers/block/pvblock_ring.c drivers/block/pvblock_io.c drivers/block/blkif_ring.c
fuzz_pvblock-corpus := test/fuzz/corpus_pvblock.sh
