// SPDX-License-Identifier: MIT
/*
 * FAT file data: the chain is walked once, physically consecutive clusters
 * are merged into one run, and the runs are streamed straight into the
 * destination (the block layer keeps the disk busy across them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/log.h>
#include "fat.h"

static int fat_stream_file(struct fat_fs *fs, const struct fat_dirent *d, uint8_t *dst,
			   uint64_t pos, uint64_t len, struct blk_stream *st)
{
	const uint64_t cs = fs->cluster_size;
	uint64_t first = pos / cs, last, idx = 0;
	uint32_t run_start = 0, run_len = 0;
	uint64_t run_idx = 0; /* file cluster index of run_start */
	struct fat_chain ch;
	int ret;

	last = (pos + len - 1) / cs;
	if (!fat_cluster_valid(fs, d->cluster)) {
		pr_err("fat: file starts at invalid cluster %u: filesystem corrupt\n", d->cluster);
		return -EUCLEAN;
	}
	fat_chain_start(&ch, d->cluster);
	for (;;) {
		bool flush;

		if (idx >= first) {
			if (run_len && ch.cur == run_start + run_len) {
				run_len++;
			} else {
				run_start = ch.cur;
				run_len = 1;
				run_idx = idx;
			}
		}
		flush = idx == last;
		if (!flush) {
			ret = fat_chain_next(fs, &ch);
			if (ret > 0) {
				pr_err("fat: cluster chain shorter than the file size: filesystem "
				       "corrupt\n");
				return -EUCLEAN;
			}
			if (ret)
				return ret;
			idx++;
			/* Discontiguous: the run so far can go now. */
			flush = run_len && ch.cur != run_start + run_len && idx > first;
		}
		if (flush) {
			uint64_t from = MAX(pos, run_idx * cs);
			uint64_t to = MIN(pos + len, (run_idx + run_len) * cs);

			ret = vol_stream_add(
			    &fs->vol, st, fat_cluster_offset(fs, run_start) + (from - run_idx * cs),
			    dst + (from - pos), to - from);
			if (ret)
				return ret;
			run_len = 0;
			if (to == pos + len)
				return 0;
		}
	}
}

int fat_read_file(struct fat_fs *fs, const struct fat_dirent *d, void *buf, uint64_t pos,
		  uint64_t len)
{
	struct blk_stream st;
	int ret = 0, err;

	if (!len)
		return 0;
	if (!vol_stream_begin(&fs->vol, &st))
		ret = fat_stream_file(fs, d, buf, pos, len, &st);
	if (ret == st.err)
		ret = 0; /* the stream's own error: finish returns it */
	err = vol_stream_finish(&st, ret);
	if (err && !ret)
		pr_err("fat: read error %d\n", err);
	return err;
}

int fat_ops_read(void *priv, const char *path, void *buf, uint64_t pos, uint64_t len,
		 uint64_t *actread)
{
	struct fat_dirent *d = malloc(sizeof(*d));
	int ret;

	*actread = 0;
	if (!d)
		return -ENOMEM;
	ret = fat_lookup_path(priv, path, d);
	if (ret)
		goto out;
	if (d->attr & FAT_ATTR_DIR) {
		ret = -EISDIR;
		goto out;
	}
	if (pos > d->size) {
		printf("** Offset 0x%llx is beyond the end of %s (0x%x bytes) **\n",
		       (unsigned long long)pos, path, d->size);
		ret = -EINVAL;
		goto out;
	}
	if (!len || len > d->size - pos)
		len = d->size - pos;
	ret = fat_read_file(priv, d, buf, pos, len);
	if (!ret)
		*actread = len;
out:
	free(d);
	return ret;
}
