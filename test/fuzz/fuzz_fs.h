/* SPDX-License-Identifier: MIT */
/*
 * Shared body of fuzz_ext4 and fuzz_fat: the input is a whole filesystem
 * image. Mount it, list the root, walk directories a few levels deep and
 * read every file found (bounded), then go through the generic layer once.
 */
#ifndef TEST_FUZZ_FUZZ_FS_H
#define TEST_FUZZ_FUZZ_FS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sanitizer/asan_interface.h>
#include "../../fs/fs_internal.h"
#include "memblk.h"

/*
 * Bounds on the work per input: every directory level and file read runs the
 * same code, so more of them add time, not coverage (measured: 16 names, 2
 * levels and 64 KiB reads run twice the inputs per second of 48, 3 and
 * 256 KiB, at the same coverage). Seeds are 128 KiB images.
 */
#define FUZZ_MAX_NAMES 16
#define FUZZ_MAX_DEPTH 2
#define FUZZ_READ_MAX (64 * 1024)

struct fuzz_names {
	char name[FUZZ_MAX_NAMES][300];
	enum fs_dt type[FUZZ_MAX_NAMES];
	int n;
};

static int fuzz_collect(void *arg, const char *name, enum fs_dt type, uint64_t size)
{
	struct fuzz_names *fn = arg;

	if (strlen(name) > 255)
		abort(); /* drivers bound names to 255 units / 765 bytes */
	if (fn->n >= FUZZ_MAX_NAMES)
		return 1;
	snprintf(fn->name[fn->n], sizeof(fn->name[0]), "%s", name);
	fn->type[fn->n++] = type;
	return 0;
}

/*
 * Read len bytes at off into a buffer that ends exactly at the requested
 * length: the byte after it is a guard that AddressSanitizer watches (and a
 * canary, checked too), so one byte written or read past what was asked for
 * is caught, whatever len is. The buffer is static, with the destination
 * placed at its end: no allocation per read.
 */
static void fuzz_read_exact(const struct fs_driver *drv, void *priv, const char *path, uint64_t off,
			    uint64_t len)
{
	static uint8_t buf[FUZZ_READ_MAX + 1]; /* no aligned(): ASan skips such globals */
	uint8_t *guard = buf + FUZZ_READ_MAX, *dst = guard - len;
	uint64_t act = 0;
	int rc;

	if (len > FUZZ_READ_MAX)
		abort();
	*guard = 0x5a;
	ASAN_POISON_MEMORY_REGION(guard, 1);
	rc = drv->read(priv, path, dst, off, len, &act);
	ASAN_UNPOISON_MEMORY_REGION(guard, 1);
	if (*guard != 0x5a)
		abort(); /* wrote past the requested length */
	if (!rc && act > len)
		abort(); /* claims more than was asked for */
}

static void fuzz_walk(const struct fs_driver *drv, void *priv, const char *dir, int depth)
{
	struct fuzz_names *fn = calloc(1, sizeof(*fn));
	char path[1024];

	if (!fn)
		return;
	drv->ls(priv, dir, fuzz_collect, fn);
	for (int i = 0; i < fn->n; i++) {
		enum fs_dt type;
		uint64_t size;

		if (!strcmp(fn->name[i], ".") || !strcmp(fn->name[i], ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, fn->name[i]);
		if (drv->stat(priv, path, &type, &size))
			continue;
		if (type == FS_DT_DIR) {
			if (depth < FUZZ_MAX_DEPTH)
				fuzz_walk(drv, priv, path, depth + 1);
			continue;
		}
		fuzz_read_exact(drv, priv, path, 0, MIN(size, FUZZ_READ_MAX));
		if (size > 4096)
			fuzz_read_exact(drv, priv, path, size - 100, 100);
	}
	free(fn);
}

static inline void fuzz_fs(const struct fs_driver *drv, const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct disk_partition part;
	struct blk_desc *dev = memblk_attach(data, size, 512);
	FILE *saved = stdout;
	struct fs_vol vol;
	void *priv;
	uint64_t fsize;

	if (!dev)
		return;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	stdout = devnull;
	vol.dev = dev;
	vol.start = 0;
	vol.nblocks = dev->lba;
	vol.blksz = dev->blksz;
	vol.bytes = dev->lba * dev->blksz;
	if (!drv->probe(&vol, &priv)) {
		char uuid[64];

		drv->uuid(priv, uuid, sizeof(uuid));
		fuzz_walk(drv, priv, "", 0);
		drv->close(priv);
	}
	part_whole_disk(dev, &part);
	if (!fs_set_blk_dev_with_part(dev, &part)) {
		fs_ls("/");
		fs_size("/hello.txt", &fsize);
		fs_close();
	}
	stdout = saved;
	blk_cache_invalidate(dev);
	memblk_detach();
}

#endif
