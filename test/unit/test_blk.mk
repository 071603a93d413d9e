# SPDX-License-Identifier: MIT
test_blk-srcs := drivers/core/device.c common/errstr.c drivers/block/blk.c
