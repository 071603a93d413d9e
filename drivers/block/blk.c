// SPDX-License-Identifier: MIT
/*
 * Block layer: block devices in the device registry, bounds-checked I/O and
 * a small LRU cache of single blocks for filesystem metadata (superblocks,
 * group descriptors, directories, FATs). Drivers only move whole blocks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/blk.h>
#include <pvboot/log.h>

#define BLK_CACHE_MAX_BLKSZ 4096
/* Reads larger than this bypass the cache: bulk data would only evict metadata. */
#define BLK_CACHE_MAX_CNT 8

struct blk_cache_ent {
	struct blk_desc *dev; /* NULL: free */
	uint64_t lba;
	uint64_t stamp; /* last use, for LRU */
	uint8_t *data;
};

static struct blk_cache_ent blk_cache[CONFIG_BLK_CACHE_BLOCKS];
static uint64_t blk_cache_clock;
static unsigned int blk_cache_hits, blk_cache_misses;

static struct blk_desc *to_blk(struct device *dev)
{
	return dev ? container_of(dev, struct blk_desc, dev) : NULL;
}

/* A removed device must leave no block in the cache: its memory is about to go. */
static void blk_device_removed(struct device *dev)
{
	if (dev->class == DEVICE_CLASS_BLK)
		blk_cache_invalidate(to_blk(dev));
}

static struct device_listener blk_listener = {.removed = blk_device_removed};

int blk_register(struct blk_desc *dev)
{
	int ret;

	if (!dev || !dev->ops || !dev->ops->read || !dev->if_type)
		return -EINVAL;
	if (dev->blksz < 512 || dev->blksz > 65536 || (dev->blksz & (dev->blksz - 1))) {
		pr_err("%s %d: unsupported block size %u\n", dev->if_type, dev->devnum, dev->blksz);
		return -EINVAL;
	}
	device_listen(&blk_listener);
	dev->dev.class = DEVICE_CLASS_BLK;
	dev->dev.name = dev->if_type;
	dev->dev.seq = dev->devnum;
	ret = device_register(&dev->dev);
	if (ret)
		return ret;
	dev->devnum = dev->dev.seq;
	return 0;
}

void blk_unregister(struct blk_desc *dev)
{
	if (dev)
		device_remove(&dev->dev);
}

struct blk_desc *blk_get_dev(const char *if_type, int devnum)
{
	return to_blk(device_find(DEVICE_CLASS_BLK, if_type, devnum));
}

struct blk_desc *blk_next(uint32_t after)
{
	return to_blk(device_next(DEVICE_CLASS_BLK, after));
}

struct blk_desc *blk_get_by_handle(uint32_t handle)
{
	struct device *d = device_get(handle);

	return d && d->class == DEVICE_CLASS_BLK ? to_blk(d) : NULL;
}

/* Reject ranges past the end (and lba + cnt wrapping around) before any I/O. */
static int blk_check_range(struct blk_desc *dev, uint64_t lba, uint64_t cnt, const void *buf)
{
	if (!dev || !buf)
		return -EINVAL;
	if (lba > dev->lba || cnt > dev->lba - lba) {
		pr_err("%s %d: blocks %llu+%llu beyond the end of the device (%llu blocks)\n",
		       dev->if_type, dev->devnum, (unsigned long long)lba, (unsigned long long)cnt,
		       (unsigned long long)dev->lba);
		return -EINVAL;
	}
	if (cnt > SIZE_MAX / dev->blksz) {
		pr_err("%s %d: %llu blocks is too large a transfer\n", dev->if_type, dev->devnum,
		       (unsigned long long)cnt);
		return -EINVAL;
	}
	return 0;
}

static long blk_result(struct blk_desc *dev, long ret, uint64_t cnt)
{
	if (ret >= 0 && (uint64_t)ret != cnt) {
		pr_err("%s %d: short transfer (%ld of %llu blocks)\n", dev->if_type, dev->devnum,
		       ret, (unsigned long long)cnt);
		return -EIO;
	}
	return ret;
}

long blk_read(struct blk_desc *dev, uint64_t lba, uint64_t cnt, void *buf)
{
	int ret = blk_check_range(dev, lba, cnt, buf);

	if (ret)
		return ret;
	if (!cnt)
		return 0;
	return blk_result(dev, dev->ops->read(dev, lba, cnt, buf), cnt);
}

static void blk_cache_drop_range(struct blk_desc *dev, uint64_t lba, uint64_t cnt)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(blk_cache); i++) {
		struct blk_cache_ent *e = &blk_cache[i];

		if (e->dev == dev && e->lba >= lba && e->lba - lba < cnt)
			e->dev = NULL;
	}
}

long blk_write(struct blk_desc *dev, uint64_t lba, uint64_t cnt, const void *buf)
{
	int ret = blk_check_range(dev, lba, cnt, buf);

	if (ret)
		return ret;
	if (dev->readonly || !dev->ops->write) {
		pr_err("%s %d: device is read-only\n", dev->if_type, dev->devnum);
		return -EROFS;
	}
	if (!cnt)
		return 0;
	/* Drop before writing: a failed write leaves the disk content unknown. */
	blk_cache_drop_range(dev, lba, cnt);
	return blk_result(dev, dev->ops->write(dev, lba, cnt, buf), cnt);
}

int blk_flush(struct blk_desc *dev)
{
	if (!dev)
		return -EINVAL;
	return dev->ops->flush ? dev->ops->flush(dev) : 0;
}

static struct blk_cache_ent *blk_cache_lookup(struct blk_desc *dev, uint64_t lba)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(blk_cache); i++)
		if (blk_cache[i].dev == dev && blk_cache[i].lba == lba)
			return &blk_cache[i];
	return NULL;
}

static struct blk_cache_ent *blk_cache_victim(void)
{
	struct blk_cache_ent *v = &blk_cache[0];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(blk_cache); i++) {
		if (!blk_cache[i].dev)
			return &blk_cache[i];
		if (blk_cache[i].stamp < v->stamp)
			v = &blk_cache[i];
	}
	return v;
}

static bool blk_cacheable(const struct blk_desc *dev)
{
	return CONFIG_BLK_CACHE_BLOCKS > 0 && dev->blksz <= BLK_CACHE_MAX_BLKSZ;
}

/* The cache entry holding block lba, read on a miss. NULL with *err set on failure. */
static struct blk_cache_ent *blk_cache_get(struct blk_desc *dev, uint64_t lba, long *err)
{
	struct blk_cache_ent *e = blk_cache_lookup(dev, lba);
	long ret;

	if (e) {
		blk_cache_hits++;
		e->stamp = ++blk_cache_clock;
		return e;
	}
	blk_cache_misses++;
	e = blk_cache_victim();
	e->dev = NULL;
	if (!e->data) {
		/* A whole page of its own, like every buffer handed to a driver whole. */
		e->data = aligned_alloc(PAGE_SIZE, BLK_CACHE_MAX_BLKSZ);
		if (!e->data) {
			*err = -ENOMEM;
			return NULL;
		}
	}
	ret = blk_read(dev, lba, 1, e->data);
	if (ret != 1) {
		*err = ret < 0 ? ret : -EIO;
		return NULL;
	}
	e->dev = dev;
	e->lba = lba;
	e->stamp = ++blk_cache_clock;
	return e;
}

/* One block through the cache (straight into buf if no entry can be had). */
static long blk_read_one_cached(struct blk_desc *dev, uint64_t lba, void *buf)
{
	long err = 0;
	struct blk_cache_ent *e = blk_cache_get(dev, lba, &err);

	if (e) {
		memcpy(buf, e->data, dev->blksz);
		return 1;
	}
	return err == -ENOMEM ? blk_read(dev, lba, 1, buf) : err;
}

long blk_read_cached(struct blk_desc *dev, uint64_t lba, uint64_t cnt, void *buf)
{
	uint64_t i;
	int ret = blk_check_range(dev, lba, cnt, buf);

	if (ret)
		return ret;
	if (!cnt)
		return 0;
	if (!blk_cacheable(dev) || cnt > BLK_CACHE_MAX_CNT)
		return blk_read(dev, lba, cnt, buf);
	for (i = 0; i < cnt; i++) {
		long r = blk_read_one_cached(dev, lba + i, (uint8_t *)buf + i * dev->blksz);

		if (r < 0)
			return r;
	}
	return (long)cnt;
}

void blk_cache_invalidate(struct blk_desc *dev)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(blk_cache); i++)
		if (!dev || blk_cache[i].dev == dev)
			blk_cache[i].dev = NULL;
}

void blk_cache_stats(unsigned int *hits, unsigned int *misses)
{
	if (hits)
		*hits = blk_cache_hits;
	if (misses)
		*misses = blk_cache_misses;
}

/*
 * n bytes at in of block lba, through a block of pvboot's own: a page-
 * aligned bounce that is never given to anything else (whole pages, for
 * drivers that grant memory to a backend).
 */
static long blk_read_bounced(struct blk_desc *dev, uint64_t lba, size_t in, void *out, size_t n)
{
	static uint8_t bounce[BLK_CACHE_MAX_BLKSZ] __aligned(PAGE_SIZE);
	uint8_t *b = bounce;
	long ret;

	if (dev->blksz > sizeof(bounce)) {
		b = aligned_alloc(PAGE_SIZE, ALIGN_UP(dev->blksz, PAGE_SIZE));
		if (!b)
			return -ENOMEM;
	}
	ret = blk_read(dev, lba, 1, b);
	if (ret == 1)
		memcpy(out, b + in, n);
	if (b != bounce)
		free(b);
	return ret;
}

/* Part of one block: metadata from the cache, file data through the bounce block. */
static long blk_read_partial(struct blk_desc *dev, uint64_t lba, size_t in, void *out, size_t n,
			     enum blk_read_hint hint)
{
	if (hint == BLK_READ_META && blk_cacheable(dev)) {
		long err = 0;
		struct blk_cache_ent *e = blk_cache_get(dev, lba, &err);

		if (e) {
			memcpy(out, e->data + in, n);
			return 1;
		}
		if (err != -ENOMEM)
			return err;
	}
	return blk_read_bounced(dev, lba, in, out, n);
}

/* A byte range of the device, checked before any of it is read. */
static int blk_check_bytes(struct blk_desc *dev, uint64_t offset, const void *buf, size_t len)
{
	uint64_t size;

	if (!dev || !buf)
		return -EINVAL;
	size = dev->lba > UINT64_MAX / dev->blksz ? UINT64_MAX : dev->lba * dev->blksz;
	if (offset > size || len > size - offset) {
		pr_err("%s %d: read of %zu bytes at offset %llu beyond the end of the device\n",
		       dev->if_type, dev->devnum, len, (unsigned long long)offset);
		return -EINVAL;
	}
	return 0;
}

int blk_pread(struct blk_desc *dev, uint64_t offset, void *buf, size_t len, enum blk_read_hint hint)
{
	uint8_t *out = buf;
	unsigned int bs;
	int err = blk_check_bytes(dev, offset, buf, len);

	if (err)
		return err;
	bs = dev->blksz;
	while (len) {
		uint64_t lba = offset / bs;
		size_t in = offset % bs, n;
		long ret;

		if (in || len < bs) {
			n = MIN(len, bs - in);
			ret = blk_read_partial(dev, lba, in, out, n, hint);
		} else {
			uint64_t cnt = len / bs;

			/* Bulk data: one request, straight into buf. */
			ret = hint == BLK_READ_META ? blk_read_cached(dev, lba, cnt, out)
						    : blk_read(dev, lba, cnt, out);
			n = cnt * bs;
		}
		if (ret < 0)
			return (int)ret;
		out += n;
		offset += n;
		len -= n;
	}
	return 0;
}

/* ---- streamed reads -------------------------------------------------------- */

int blk_stream_init(struct blk_stream *s, struct blk_desc *dev)
{
	*s = (struct blk_stream){.dev = dev};
	if (!dev)
		return s->err = -EINVAL;
	s->runs = malloc(BLK_STREAM_RUNS * sizeof(*s->runs));
	if (!s->runs)
		s->err = -ENOMEM;
	return s->err;
}

/* Hand the queued runs to the driver: all at once if it can keep them in flight. */
static int blk_stream_flush(struct blk_stream *s)
{
	struct blk_desc *dev = s->dev;
	unsigned int i;
	int ret = 0;

	for (i = 0; !s->err && !dev->ops->read_runs && i < s->n && !ret; i++) {
		const struct blk_run *r = &s->runs[i];
		long got = blk_result(dev, dev->ops->read(dev, r->lba, r->cnt, r->buf), r->cnt);

		ret = got < 0 ? (int)got : 0;
	}
	if (!s->err && dev->ops->read_runs && s->n)
		ret = dev->ops->read_runs(dev, s->runs, s->n);
	s->n = 0;
	if (ret && !s->err)
		s->err = ret;
	return s->err;
}

/* Whole blocks: merged into the last run when they follow it on disk and in memory. */
static int blk_stream_queue(struct blk_stream *s, uint64_t lba, uint64_t cnt, uint8_t *buf)
{
	struct blk_run *last = s->n ? &s->runs[s->n - 1] : NULL;
	size_t bs = s->dev->blksz;
	int ret = blk_check_range(s->dev, lba, cnt, buf);

	if (ret)
		return ret;
	if (!s->runs)
		return -EINVAL; /* init failed: blk_stream_add does not get here */
	if (last && last->lba + last->cnt == lba && (uint8_t *)last->buf + last->cnt * bs == buf &&
	    cnt <= SIZE_MAX / bs - last->cnt) {
		last->cnt += cnt;
		return 0;
	}
	if (s->n == BLK_STREAM_RUNS) {
		ret = blk_stream_flush(s);
		if (ret)
			return ret;
	}
	s->runs[s->n++] = (struct blk_run){.lba = lba, .cnt = cnt, .buf = buf};
	return 0;
}

int blk_stream_add(struct blk_stream *s, uint64_t offset, void *buf, size_t len)
{
	uint8_t *out = buf;
	unsigned int bs;

	if (s->err || !s->runs)
		return s->err ?: -EINVAL;
	s->err = blk_check_bytes(s->dev, offset, buf, len);
	bs = s->dev->blksz;
	while (len && !s->err) {
		uint64_t lba = offset / bs;
		size_t in = offset % bs, n;
		long ret;

		if (in || len < bs) {
			n = MIN(len, bs - in);
			ret = blk_read_partial(s->dev, lba, in, out, n, BLK_READ_DATA);
		} else {
			n = len / bs * bs;
			ret = blk_stream_queue(s, lba, n / bs, out);
		}
		if (ret < 0)
			s->err = (int)ret;
		out += n;
		offset += n;
		len -= n;
	}
	return s->err;
}

int blk_stream_finish(struct blk_stream *s, int err)
{
	if (err && !s->err)
		s->err = err;
	if (s->runs)
		blk_stream_flush(s);
	free(s->runs);
	s->runs = NULL;
	return s->err;
}
