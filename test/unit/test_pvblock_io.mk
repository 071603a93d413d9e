# SPDX-License-Identifier: MIT
test_pvblock_io-srcs := test/fuzz/pvblock_fake.c drivers/block/pvblock_ring.c drivers/block/pvblock_io.c drivers/block/blkif_ring.c
