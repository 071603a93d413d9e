# SPDX-License-Identifier: MIT
test_blk-srcs := drivers/block/blk.c
