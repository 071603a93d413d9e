// SPDX-License-Identifier: MIT
/*
 * Creating, replacing and deleting files, ordered so that a cut at any
 * point (the domain destroyed, the backend gone) leaves the old or the new
 * file readable and the filesystem consistent. The promise and the reasons
 * are spelled out in docs/storage.md; in short:
 *
 *   replace or create        1. data into free clusters        (invisible)
 *                            2. their chain into FAT 1, FAT 2  (lost clusters)
 *                            3. flush; the 8.3 entry switched to the new chain
 *                               in one 32-byte write (or the new entry written
 *                               in one request); flush
 *                            4. the old chain freed in FAT 1, FAT 2 (lost
 *                               clusters until then); FSInfo; flush
 *   delete                   1. the entry marked deleted (one write, or per
 *                               device block in the order dirent.c explains)
 *                            2. its chain freed in FAT 1, FAT 2; FSInfo; flush
 *
 * Every request is complete before the next is issued, so the disk sees
 * them in this order. The chain of a file that a directory entry points to
 * is always complete in both FATs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/log.h>
#include "fat_write.h"

/* The clusters of d's chain, checked from end to end before anything changes. */
static int collect_chain(struct fat_fs *fs, const struct fat_dirent *d, uint32_t **out, uint32_t *n)
{
	struct fat_chain ch;
	uint32_t *list = NULL, cap = 0, cnt = 0;
	int ret;

	*out = NULL;
	*n = 0;
	if (!d->cluster)
		return 0;
	if (!fat_cluster_valid(fs, d->cluster)) {
		pr_err("fat: %s starts at invalid cluster %u: filesystem corrupt\n", d->name,
		       d->cluster);
		return -EUCLEAN;
	}
	fat_chain_start(&ch, d->cluster);
	for (;;) {
		if (cnt == cap) {
			uint32_t ncap = cap ? cap * 2 : 64;
			uint32_t *nl = realloc(list, (size_t)ncap * sizeof(*nl));

			if (!nl) {
				free(list);
				return -ENOMEM;
			}
			list = nl;
			cap = ncap;
		}
		list[cnt++] = ch.cur;
		/* Brent's check ends a loop; a chain cannot be longer than the volume. */
		if (cnt > fs->clusters) {
			ret = -EUCLEAN;
			break;
		}
		ret = fat_chain_next(fs, &ch);
		if (ret)
			break;
	}
	if (ret < 0) {
		free(list);
		return ret;
	}
	*out = list;
	*n = cnt;
	return 0;
}

/* Data of the new file into clusters c[] (ascending), consecutive ones in one write. */
static int write_data(struct fat_fs *fs, const uint32_t *c, uint32_t n, const uint8_t *buf,
		      uint64_t len)
{
	const uint64_t cs = fs->cluster_size;

	for (uint32_t i = 0; i < n;) {
		uint32_t j = i + 1;
		uint64_t from = (uint64_t)i * cs, bytes;
		int ret;

		while (j < n && c[j] == c[j - 1] + 1)
			j++;
		bytes = MIN((uint64_t)j * cs, len) - from;
		ret = vol_pwrite(&fs->vol, fat_cluster_offset(fs, c[i]), buf + from, bytes);
		if (ret) {
			pr_err("fat: writing data at cluster %u failed (%d)\n", c[i], ret);
			return ret;
		}
		i = j;
	}
	return 0;
}

/* Link c[0..n) into one chain, or free them, in both FATs. */
static int fat_update(struct fat_fs *fs, const uint32_t *c, uint32_t n, bool link)
{
	struct fat_txn t;
	int ret = 0;

	if (!n)
		return 0;
	fat_txn_init(&t, fs);
	for (uint32_t i = 0; !ret && i < n; i++)
		ret = fat_txn_set(&t, c[i], !link ? 0 : i + 1 < n ? c[i + 1] : fat_eoc(fs));
	if (!ret)
		ret = fat_txn_commit(&t);
	fat_txn_free(&t);
	return ret;
}

/* Split path into its directory (looked up into dir) and last component. */
static int lookup_parent(struct fat_fs *fs, const char *path, struct fat_dirent *dir,
			 const char **name)
{
	const char *slash = strrchr(path, '/');
	char *parent;
	int ret;

	*name = slash ? slash + 1 : path;
	if (!**name)
		return -EINVAL;
	if (!slash)
		return fat_lookup_path(fs, "/", dir);
	parent = malloc((size_t)(slash - path) + 2);
	if (!parent)
		return -ENOMEM;
	memcpy(parent, path, (size_t)(slash - path));
	parent[slash - path] = '\0';
	ret = fat_lookup_path(fs, *parent ? parent : "/", dir);
	free(parent);
	if (!ret && !(dir->attr & FAT_ATTR_DIR))
		ret = -ENOTDIR;
	return ret;
}

/*
 * A damaged or hostile FAT can call free a cluster that a directory uses:
 * the entries written at [pos, pos + len) would then land in the new
 * file's data. Refuse before anything is written.
 */
static int check_entries_outside(struct fat_fs *fs, const uint32_t *c, uint32_t n, uint64_t pos,
				 uint64_t len)
{
	for (uint32_t i = 0; i < n; i++) {
		uint64_t o = fat_cluster_offset(fs, c[i]);

		if (pos < o + fs->cluster_size && o < pos + len) {
			pr_err("fat: cluster %u is free in the FAT but holds a directory: "
			       "the filesystem is damaged (fsck it)\n",
			       c[i]);
			return -EUCLEAN;
		}
	}
	return 0;
}

struct write_state {
	struct fat_dirent dir, old;
	struct fat_newname nn;
	struct fat_place pl;
	struct fat_op op;
};

int fat_ops_write(void *priv, const char *path, const void *buf, uint64_t len)
{
	struct fat_fs *fs = priv;
	struct write_state *w = malloc(sizeof(*w));
	uint32_t *newc = NULL, *oldc = NULL, nnew, nold = 0;
	bool exists;
	const char *name;
	int ret;

	if (!w)
		return -ENOMEM;
	if (len > UINT32_MAX) {
		ret = -EFBIG;
		goto out;
	}
	ret = lookup_parent(fs, path, &w->dir, &name);
	if (ret)
		goto out;
	ret = fat_lookup_path(fs, path, &w->old);
	exists = !ret;
	if (ret && ret != -ENOENT)
		goto out;
	if (exists && (w->old.attr & FAT_ATTR_DIR)) {
		ret = -EISDIR;
		goto out;
	}
	if (exists)
		ret = collect_chain(fs, &w->old, &oldc, &nold);
	else
		ret = fat_name_prepare(name, &w->nn);
	if (ret)
		goto out;
	nnew = (uint32_t)DIV_ROUND_UP(len, fs->cluster_size);
	newc = malloc(((size_t)nnew + 1) * sizeof(*newc));
	if (!newc) {
		ret = -ENOMEM;
		goto out;
	}
	fat_op_begin(&w->op, fs);
	if (!exists)
		ret = fat_dir_place(&w->op, w->dir.cluster, &w->nn, &w->pl);
	if (!ret)
		ret = fat_alloc_search(fs, nnew, false, newc);
	if (ret == -ENOSPC)
		pr_err("fat: no room for %llu bytes (%u clusters of %u)\n", (unsigned long long)len,
		       nnew, fs->cluster_size);
	if (!ret && exists)
		ret = check_entries_outside(fs, newc, nnew, w->old.pos, FAT_DIRENT_SIZE);
	else if (!ret)
		ret = check_entries_outside(fs, newc, nnew, w->pl.pos,
					    (uint64_t)fat_name_slots(&w->nn) * FAT_DIRENT_SIZE);
	/* 1-2: the new chain, invisible until an entry points to it. */
	if (!ret)
		ret = fat_op_count(&w->op, (int64_t)nnew - nold);
	if (!ret)
		ret = write_data(fs, newc, nnew, buf, len);
	if (!ret)
		ret = fat_update(fs, newc, nnew, true);
	if (!ret)
		ret = vol_flush(&fs->vol);
	/* 3: the switch, one write. */
	if (!ret && exists)
		ret = fat_dir_update(fs, &w->old, nnew ? newc[0] : 0, (uint32_t)len);
	else if (!ret)
		ret = fat_dir_create(fs, &w->pl, &w->nn, nnew ? newc[0] : 0, (uint32_t)len);
	if (!ret)
		ret = vol_flush(&fs->vol);
	/* 4: the old chain is unreferenced now. */
	if (!ret)
		ret = fat_update(fs, oldc, nold, false);
	if (!ret)
		ret = fat_op_end(&w->op);
out:
	free(newc);
	free(oldc);
	free(w);
	return ret;
}

int fat_ops_unlink(void *priv, const char *path)
{
	struct fat_fs *fs = priv;
	struct fat_dirent *d = malloc(sizeof(*d));
	struct fat_op op;
	uint32_t *c = NULL, n = 0;
	int ret;

	if (!d)
		return -ENOMEM;
	ret = fat_lookup_path(fs, path, d);
	if (!ret && (d->attr & FAT_ATTR_DIR))
		ret = -EISDIR;
	if (!ret)
		ret = collect_chain(fs, d, &c, &n);
	if (ret)
		goto out;
	fat_op_begin(&op, fs);
	ret = fat_op_count(&op, -(int64_t)n);
	if (!ret)
		ret = fat_dir_remove(fs, d);
	if (!ret)
		ret = vol_flush(&fs->vol);
	if (!ret)
		ret = fat_update(fs, c, n, false);
	if (!ret)
		ret = fat_op_end(&op);
out:
	free(c);
	free(d);
	return ret;
}
