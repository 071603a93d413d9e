# SPDX-License-Identifier: MIT
fuzz_blkif-srcs := drivers/block/blkif_ring.c
