# SPDX-License-Identifier: MIT
# Images come from mkfs.vfat/mtools at run time; checked with fsck.fat -n and mtools.
test_fat_write-srcs := test/unit/bootstage_stub.c test/unit/fileblk.c drivers/core/device.c common/errstr.c drivers/block/blk.c disk/part.c disk/part_read.c disk/part_dos.c \
	disk/part_efi.c disk/utf16.c fs/fs.c fs/path.c fs/fs_io.c fs/vol_write.c fs/ext4/crc32c.c \
	fs/ext4/super.c fs/ext4/inode.c fs/ext4/map.c fs/ext4/file.c fs/ext4/dir.c fs/ext4/ops.c \
	fs/fat/boot.c fs/fat/table.c fs/fat/dir.c fs/fat/file.c fs/fat/alloc.c fs/fat/dirent.c \
	fs/fat/write.c
