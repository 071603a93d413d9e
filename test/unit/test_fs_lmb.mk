# SPDX-License-Identifier: MIT
test_fs_lmb-srcs := common/lmb.c test/unit/fileblk.c drivers/core/device.c common/errstr.c drivers/block/blk.c
