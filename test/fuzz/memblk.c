// SPDX-License-Identifier: MIT
/* An in-memory block device over the fuzzer's input, and a silent log. */
#include <errno.h>
#include <string.h>
#include <pvboot/log.h>
#include "memblk.h"

static struct blk_desc dev;
static const uint8_t *mem;
static uint8_t *wmem; /* writable (memblk_attach_rw), else NULL */
int log_level = LOG_INFO;

void log_msg(enum log_level level, const char *fmt, ...)
{
}

static long memblk_read(struct blk_desc *d, uint64_t lba, uint64_t cnt, void *buf)
{
	/* The block layer checked the range: this must hold. */
	if (lba > d->lba || cnt > d->lba - lba)
		__builtin_trap();
	memcpy(buf, mem + lba * d->blksz, cnt * d->blksz);
	return (long)cnt;
}

static long memblk_write(struct blk_desc *d, uint64_t lba, uint64_t cnt, const void *buf)
{
	if (!wmem || lba > d->lba || cnt > d->lba - lba)
		__builtin_trap();
	memcpy(wmem + lba * d->blksz, buf, cnt * d->blksz);
	return (long)cnt;
}

static const struct blk_ops memblk_ops = {
    .read = memblk_read,
    .write = memblk_write,
};

struct blk_desc *memblk_attach(const uint8_t *data, size_t size, unsigned int blksz)
{
	if (size < blksz)
		return NULL;
	memset(&dev, 0, sizeof(dev));
	dev.if_type = "host";
	dev.devnum = 0;
	dev.blksz = blksz;
	dev.lba = size / blksz;
	dev.readonly = true;
	dev.ops = &memblk_ops;
	mem = data;
	wmem = NULL;
	if (blk_register(&dev))
		return NULL;
	return &dev;
}

struct blk_desc *memblk_attach_rw(uint8_t *data, size_t size, unsigned int blksz)
{
	struct blk_desc *d = memblk_attach(data, size, blksz);

	if (d) {
		wmem = data;
		d->readonly = false;
	}
	return d;
}

void memblk_detach(void)
{
	blk_unregister(&dev);
}
