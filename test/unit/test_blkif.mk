# SPDX-License-Identifier: MIT
test_blkif-srcs := drivers/block/blkif_ring.c
