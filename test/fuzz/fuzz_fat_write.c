// SPDX-License-Identifier: MIT
/*
 * FAT write on a hostile image: replace, create (short and long names, in
 * the root and a subdirectory) and delete, then list. Nothing may crash,
 * no write may leave the disk (the block layer and memblk check), and a
 * write that reports success must read back byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../fs/fs_internal.h"
#include "memblk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IMAGE_MAX (256 * 1024)

static uint8_t pattern[9000];

/* Whatever the image, a write that succeeded reads back as written. */
static void write_and_check(const char *path, size_t len)
{
	static uint8_t back[sizeof(pattern) + 1];
	uint64_t act = 0, got = 0;

	if (fs_write(path, pattern, len))
		return;
	if (fs_size(path, &got) || got != len)
		abort();
	back[len] = 0x5a;
	if (fs_read(path, (uintptr_t)back, 0, len, &act) || act != len ||
	    memcmp(back, pattern, len) || back[len] != 0x5a)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct disk_partition part;
	struct blk_desc *dev;
	FILE *saved = stdout;
	uint8_t *img;

	if (size > IMAGE_MAX)
		return 0;
	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		for (size_t i = 0; i < sizeof(pattern); i++)
			pattern[i] = (uint8_t)(i * 7 + 3);
	}
	img = malloc(size ? size : 1);
	memcpy(img, data, size);
	dev = memblk_attach_rw(img, size, 512);
	if (!dev) {
		free(img);
		return 0;
	}
	stdout = devnull;
	part_whole_disk(dev, &part);
	if (!fs_set_blk_dev_with_part(dev, &part) && !strcmp(fs_get_type_name(), "fat")) {
		write_and_check("/uboot.env", 4096);
		write_and_check("/uboot.env", 100);
		write_and_check("/dir/A Long Name That Needs Three.entries", 9000);
		write_and_check("/Mixed.Case", 0);
		fs_unlink("/A Long File Name.txt");
		fs_unlink("/dir/two");
		write_and_check("/uboot.env", 5000);
		fs_ls("/");
		fs_ls("/dir");
	}
	fs_close();
	stdout = saved;
	blk_cache_invalidate(dev);
	memblk_detach();
	free(img);
	return 0;
}
