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

struct blk_ops {
	/* Read/write cnt blocks of blksz at lba. Return blocks done (== cnt) or -errno. */
	long (*read)(struct blk_desc *dev, uint64_t lba, uint64_t cnt, void *buf);
	long (*write)(struct blk_desc *dev, uint64_t lba, uint64_t cnt, const void *buf);
	int (*flush)(struct blk_desc *dev);
	int (*erase)(struct blk_desc *dev, uint64_t lba, uint64_t cnt); /* may be NULL */
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

#endif
