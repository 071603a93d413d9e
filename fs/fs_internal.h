/* SPDX-License-Identifier: MIT */
/* What a filesystem driver sees of the generic layer (fs/fs.c). */
#ifndef FS_FS_INTERNAL_H
#define FS_FS_INTERNAL_H

#include <pvboot/fs.h>

/* What the next component of a '/'-separated path is (see fs_path_next). */
enum fs_path_step { FS_PATH_END, FS_PATH_NAME, FS_PATH_DOT, FS_PATH_DOTDOT };

/*
 * Step over the next component at *p (slashes skipped): its start in *name,
 * its length in *len, *p left just past it. Shared by every driver's lookup.
 */
enum fs_path_step fs_path_next(const char **p, const char **name, size_t *len);

/* The partition a filesystem lives in; all offsets are relative to it. */
struct fs_vol {
	struct blk_desc *dev;
	uint64_t start;	  /* first device block */
	uint64_t nblocks; /* device blocks */
	unsigned int blksz;
	uint64_t bytes; /* nblocks * blksz */
};

/*
 * Metadata read at a byte offset in the volume, through blk_pread (the block
 * layer's byte-granular path, cached); out of the volume: -EIO. File data
 * goes through a stream (below).
 */
int vol_pread(const struct fs_vol *v, uint64_t off, void *buf, size_t len);
/*
 * A streamed file read inside the volume (see blk_stream in <pvboot/blk.h>):
 * begin, add each piece of the file (out of the volume: -EIO), finish
 * (always, with the caller's own error if it had one: the first error).
 */
int vol_stream_begin(const struct fs_vol *v, struct blk_stream *s);
int vol_stream_add(const struct fs_vol *v, struct blk_stream *s, uint64_t off, void *buf,
		   uint64_t len);
int vol_stream_finish(struct blk_stream *s, int err);
/*
 * Write (fs/vol_write.c): whole device blocks in one request, a partial
 * first/last block read-modify-written; requests in address order, each
 * complete before the next. -EROFS on a read-only device, -EIO out of range.
 */
int vol_pwrite(const struct fs_vol *v, uint64_t off, const void *buf, uint64_t len);
/* Make everything written so far durable (the disk's write cache flushed). */
int vol_flush(const struct fs_vol *v);

struct fs_driver {
	const char *name;
	/*
	 * 0 and *priv set if the volume holds this filesystem; -ENOENT if it
	 * is not this kind; other -errno (with a message printed) if it is but
	 * cannot be used (unsupported features, corruption).
	 */
	int (*probe)(const struct fs_vol *v, void **priv);
	void (*close)(void *priv);
	int (*ls)(void *priv, const char *path, fs_dir_cb cb, void *arg);
	/* Follows symlinks. -ENOENT if missing. */
	int (*stat)(void *priv, const char *path, enum fs_dt *type, uint64_t *size);
	int (*read)(void *priv, const char *path, void *buf, uint64_t pos, uint64_t len,
		    uint64_t *actread);
	int (*uuid)(void *priv, char *buf, size_t len);
	/* Create or replace path with buf (NULL for a read-only driver). */
	int (*write)(void *priv, const char *path, const void *buf, uint64_t len);
	/* Delete a file (NULL for a read-only driver). */
	int (*unlink)(void *priv, const char *path);
};

extern const struct fs_driver fs_driver_ext4;
extern const struct fs_driver fs_driver_fat;

/* Nesting limits shared by drivers. */
#define FS_MAX_SYMLINKS 8
#define FS_MAX_PATH_DEPTH 64

#endif
