/* SPDX-License-Identifier: MIT */
/*
 * Block layer: a device is an ops table plus geometry. The layer owns the
 * small metadata cache and statistics; drivers only move sectors.
 */
#ifndef PVBOOT_BLK_H
#define PVBOOT_BLK_H

#include <pvboot/compiler.h>
#include <pvboot/device.h>

struct blk_desc;

/* cnt whole blocks at lba, to or from buf: one piece of a streamed read. */
struct blk_run {
	uint64_t lba;
	uint64_t cnt;
	void *buf;
};

struct blk_ops {
	/* Read/write cnt blocks of blksz at lba. Return blocks done (== cnt) or -errno. */
	long (*read)(struct blk_desc *dev, uint64_t lba, uint64_t cnt, void *buf);
	long (*write)(struct blk_desc *dev, uint64_t lba, uint64_t cnt, const void *buf);
	int (*flush)(struct blk_desc *dev);
	int (*erase)(struct blk_desc *dev, uint64_t lba, uint64_t cnt); /* may be NULL */
	/*
	 * Read n runs (checked by the layer), keeping the device busy across
	 * them rather than waiting after each: 0 or -errno. May be NULL: the
	 * layer then reads run after run.
	 */
	int (*read_runs)(struct blk_desc *dev, const struct blk_run *runs, unsigned int n);
};

struct blk_desc {
	/*
	 * In the device registry (class DEVICE_CLASS_BLK, named if_type, seq
	 * devnum), which owns its lifetime: set dev.drv before blk_register.
	 */
	struct device dev;
	const char *if_type; /* "pvblock" */
	int devnum;	     /* pvblock N; < 0 at blk_register: the lowest free number */
	unsigned int blksz;  /* logical block size in bytes (512 or 4096) */
	uint64_t lba;	     /* number of blocks */
	bool readonly;
	char vendor[40];
	char product[64];
	char revision[16];
	const struct blk_ops *ops;
	void *priv;
};

/* Check the geometry and register dev (see <pvboot/device.h>). 0 or -errno. */
int blk_register(struct blk_desc *dev);
/* Remove dev through the registry: its driver stops and frees it. */
void blk_unregister(struct blk_desc *dev);
struct blk_desc *blk_get_dev(const char *if_type, int devnum);
/*
 * Block devices in registration order: the first one registered after the
 * device whose handle is after (0: the first). Keep the handle, not the
 * pointer, where the loop body may remove devices (scripts, rescans).
 */
struct blk_desc *blk_next(uint32_t after);
/* The device behind a handle, or NULL once it was removed. */
struct blk_desc *blk_get_by_handle(uint32_t handle);

/* Bounds-checked I/O through the layer. Return blocks done or -errno. */
long blk_read(struct blk_desc *dev, uint64_t lba, uint64_t cnt, void *buf);
long blk_write(struct blk_desc *dev, uint64_t lba, uint64_t cnt, const void *buf);
int blk_flush(struct blk_desc *dev);

/*
 * Cached single-block read for filesystem metadata (superblocks, tables,
 * directories). Invalidated by writes to that block.
 */
long blk_read_cached(struct blk_desc *dev, uint64_t lba, uint64_t cnt, void *buf);
void blk_cache_invalidate(struct blk_desc *dev);
void blk_cache_stats(unsigned int *hits, unsigned int *misses);

/*
 * Byte-granular read at offset: the one path filesystems read through. A
 * partial block at either end comes from the cache (metadata) or through a
 * bounce block of the layer's own (file data); the whole blocks between go
 * to the driver in one request straight into buf, except that metadata
 * reads of a few blocks are cached too (directories, extent nodes, FATs are
 * read again and again; file data is not).
 */
enum blk_read_hint { BLK_READ_META, BLK_READ_DATA };
int blk_pread(struct blk_desc *dev, uint64_t offset, void *buf, size_t len,
	      enum blk_read_hint hint);

/*
 * A streamed read: the pieces of one file (extents, cluster runs) are added
 * in any number, and go to the driver in batches of up to BLK_STREAM_RUNS,
 * so that it keeps many requests in flight across them instead of waiting
 * for each. A piece that follows the previous one on the disk and in memory
 * is merged into it. Partial blocks at either end of a piece are read at
 * once (through the layer's bounce block). The first error sticks: later
 * adds do nothing and blk_stream_finish returns it. Every init is paired
 * with a finish, which also frees the stream.
 */
#define BLK_STREAM_RUNS 512

struct blk_stream {
	struct blk_desc *dev;
	struct blk_run *runs; /* [BLK_STREAM_RUNS] */
	unsigned int n;
	int err;
};

int blk_stream_init(struct blk_stream *s, struct blk_desc *dev);
/* Queue len bytes at byte offset of the device into buf (may read them at once). */
int blk_stream_add(struct blk_stream *s, uint64_t offset, void *buf, size_t len);
/*
 * Read what is still queued, unless the caller failed itself (err: its
 * -errno, queued runs are dropped); free the stream. 0 or the first -errno.
 */
int blk_stream_finish(struct blk_stream *s, int err);

#endif
