// SPDX-License-Identifier: MIT
/*
 * Directories (read linearly: htree index blocks parse as empty entries) and
 * path lookup with symlinks followed up to FS_MAX_SYMLINKS times. Every
 * entry's length is checked against its block before the name is touched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/log.h>
#include "crc32c.h"
#include "ext4.h"

#define DIRENT_TAIL_FT 0xde
#define EXT4_NAME_LEN 255
#define EXT4_PATH_MAX 4096

static int parse_dirents(struct ext4_fs *fs, const struct ext4_inode *dir, const uint8_t *b,
			 size_t len, ext4_dirent_cb cb, void *arg)
{
	size_t off = 0;

	while (off + 8 <= len) {
		const uint8_t *d = b + off;
		uint32_t ino = get_le32(d);
		size_t rec_len = get_le16(d + 4);
		size_t name_len = d[6];
		uint8_t ftype = d[7];
		int ret;

		if (!(fs->incompat & INCOMPAT_FILETYPE)) {
			name_len = get_le16(d + 6);
			ftype = 0;
		}
		if (rec_len < 8 || rec_len % 4 || rec_len > len - off || name_len + 8 > rec_len) {
			pr_err("ext4: directory inode %u: bad entry at offset %zu: filesystem "
			       "corrupt\n",
			       dir->ino, off);
			return -EUCLEAN;
		}
		if (ino && name_len) {
			ret = cb(arg, (const char *)d + 8, name_len, ino, ftype);
			if (ret)
				return ret;
		}
		off += rec_len;
	}
	return 0;
}

static int dir_csum_mismatch(const struct ext4_inode *dir, uint64_t lblk)
{
	pr_err("ext4: directory inode %u: block %llu checksum mismatch: filesystem corrupt\n",
	       dir->ino, (unsigned long long)lblk);
	return -EUCLEAN;
}

/*
 * htree index block (root or node): its checksum sits in a dx_tail after
 * 'limit' entries and covers the header, the 'count' used entries and the
 * tail itself (checksum field as zero).
 */
static int dx_block_csum(struct ext4_fs *fs, const struct ext4_inode *dir, const uint8_t *b,
			 size_t count_off, uint64_t lblk)
{
	static const uint8_t zero[4];
	size_t limit, count, tail;
	uint32_t c;

	if (count_off + 4 > fs->block_size)
		return dir_csum_mismatch(dir, lblk);
	limit = get_le16(b + count_off);
	count = get_le16(b + count_off + 2);
	tail = count_off + limit * 8;
	if (count > limit || tail + 8 > fs->block_size)
		return dir_csum_mismatch(dir, lblk);
	c = crc32c_raw(dir->csum_seed, b, count_off + count * 8);
	c = crc32c_raw(c, b + tail, 4); /* dt_reserved */
	c = crc32c_raw(c, zero, 4);	/* dt_checksum counted as zero */
	if (EXT4_CSUM_ENFORCED && c != get_le32(b + tail + 4))
		return dir_csum_mismatch(dir, lblk);
	return 0;
}

/*
 * metadata_csum: leaf blocks end in a fake entry holding their checksum;
 * htree index blocks (block 0 of an indexed directory, and blocks whose only
 * entry is an empty one spanning the block) carry a dx_tail instead.
 */
static int dir_block_csum(struct ext4_fs *fs, const struct ext4_inode *dir, const uint8_t *b,
			  uint64_t lblk)
{
	const uint8_t *t = b + fs->block_size - 12;

	if (!fs->csum)
		return 0;
	if (!get_le32(t) && get_le16(t + 4) == 12 && !t[6] && t[7] == DIRENT_TAIL_FT) {
		if (EXT4_CSUM_ENFORCED &&
		    crc32c_raw(dir->csum_seed, b, fs->block_size - 12) != get_le32(t + 8))
			return dir_csum_mismatch(dir, lblk);
		return 0;
	}
	if (!(dir->flags & EXT4_INDEX_FL))
		return dir_csum_mismatch(dir, lblk); /* a leaf without its tail */
	if (lblk == 0) /* ".", "..", dx_root_info (its length at byte 29) */
		return dx_block_csum(fs, dir, b, 24 + b[29], lblk);
	if (!get_le32(b) && get_le16(b + 4) == (fs->block_size & 0xffff))
		return dx_block_csum(fs, dir, b, 8, lblk);
	return dir_csum_mismatch(dir, lblk);
}

int ext4_iterate_dir(struct ext4_fs *fs, const struct ext4_inode *dir, ext4_dirent_cb cb, void *arg)
{
	uint64_t nblocks;
	uint8_t *b;
	int ret = 0;

	if (!ext4_is_dir(dir))
		return -ENOTDIR;
	if (dir->flags & EXT4_INLINE_DATA_FL) {
		uint8_t data[EXT4_N_BLOCKS * 4 + EXT4_MAX_INODE_SIZE];
		size_t have;

		ret = ext4_inline_data(fs, dir, data, sizeof(data), &have);
		if (ret)
			return ret;
		have = MIN(have, dir->size);
		if (have < 4)
			return -EUCLEAN;
		ret = cb(arg, ".", 1, dir->ino, 2);
		if (!ret)
			ret = cb(arg, "..", 2, get_le32(data), 2);
		if (!ret)
			ret = parse_dirents(fs, dir, data + 4, have - 4, cb, arg);
		return ret;
	}
	b = malloc(fs->block_size);
	if (!b)
		return -ENOMEM;
	nblocks = DIV_ROUND_UP(dir->size, fs->block_size);
	for (uint64_t i = 0; i < nblocks && !ret; i++) {
		ret = ext4_read_data(fs, dir, b, i * fs->block_size, fs->block_size);
		if (!ret)
			ret = dir_block_csum(fs, dir, b, i);
		if (!ret)
			ret = parse_dirents(fs, dir, b, fs->block_size, cb, arg);
	}
	free(b);
	return ret;
}

struct find_arg {
	const char *name;
	size_t len;
	uint32_t ino;
};

static int find_cb(void *arg, const char *name, size_t name_len, uint32_t ino, uint8_t ftype)
{
	struct find_arg *fa = arg;

	if (name_len != fa->len || memcmp(name, fa->name, name_len))
		return 0;
	fa->ino = ino;
	return 1;
}

/* Symlink target into a fresh heap string. */
static char *read_symlink(struct ext4_fs *fs, const struct ext4_inode *in)
{
	char *t;

	if (!in->size || in->size >= EXT4_PATH_MAX) {
		pr_err("ext4: symlink inode %u has invalid length %llu\n", in->ino,
		       (unsigned long long)in->size);
		return NULL;
	}
	t = malloc(in->size + 1);
	if (!t)
		return NULL;
	if (!(in->flags & (EXT4_INLINE_DATA_FL | EXT4_EXTENTS_FL)) && in->size < EXT4_N_BLOCKS * 4)
		memcpy(t, in->raw + I_BLOCK, in->size); /* fast symlink */
	else if (ext4_read_data(fs, in, t, 0, in->size)) {
		free(t);
		return NULL;
	}
	t[in->size] = '\0';
	if (strlen(t) != in->size) {
		pr_err("ext4: symlink inode %u contains a NUL byte\n", in->ino);
		free(t);
		return NULL;
	}
	return t;
}

/* "target" + "/" + "rest": the path still to walk after a symlink. */
static char *splice_path(const char *target, const char *rest)
{
	size_t tl = strlen(target), rl = strlen(rest);
	char *p;

	if (tl + rl + 2 > EXT4_PATH_MAX)
		return NULL;
	p = malloc(tl + rl + 2);
	if (!p)
		return NULL;
	memcpy(p, target, tl);
	p[tl] = '/';
	memcpy(p + tl + 1, rest, rl + 1);
	return p;
}

int ext4_lookup_path(struct ext4_fs *fs, const char *path, bool follow_last, struct ext4_inode *out)
{
	uint32_t stack[FS_MAX_PATH_DEPTH];
	struct ext4_inode *dir;
	int depth = 0, links = 0, ret;
	const char *p;
	char *work;

	if (strlen(path) >= EXT4_PATH_MAX)
		return -ENAMETOOLONG;
	work = malloc(strlen(path) + 1);
	dir = malloc(sizeof(*dir));
	if (!work || !dir) {
		ret = -ENOMEM;
		goto out;
	}
	strcpy(work, path);
	stack[0] = EXT4_ROOT_INO;
	p = work;
	for (;;) {
		struct find_arg fa;
		enum fs_path_step step = fs_path_next(&p, &fa.name, &fa.len);

		if (step == FS_PATH_END)
			break;
		if (step == FS_PATH_DOT)
			continue;
		if (step == FS_PATH_DOTDOT) {
			if (depth)
				depth--;
			continue;
		}
		if (fa.len > EXT4_NAME_LEN) {
			ret = -ENAMETOOLONG;
			goto out;
		}
		ret = ext4_read_inode(fs, stack[depth], dir);
		if (ret)
			goto out;
		fa.ino = 0;
		ret = ext4_iterate_dir(fs, dir, find_cb, &fa);
		if (ret < 0)
			goto out;
		if (!fa.ino) {
			ret = -ENOENT;
			goto out;
		}
		ret = ext4_read_inode(fs, fa.ino, out);
		if (ret)
			goto out;
		while (*p == '/')
			p++;
		if (ext4_is_lnk(out) && (*p || follow_last)) {
			char *target, *next;

			if (++links > FS_MAX_SYMLINKS) {
				pr_err("ext4: too many levels of symbolic links in %s\n", path);
				ret = -ELOOP;
				goto out;
			}
			target = read_symlink(fs, out);
			next = target ? splice_path(target, p) : NULL;
			if (target && target[0] == '/')
				depth = 0;
			free(target);
			if (!next) {
				ret = -EUCLEAN;
				goto out;
			}
			free(work);
			work = next;
			p = next;
			continue;
		}
		if (++depth >= FS_MAX_PATH_DEPTH) {
			ret = -ENAMETOOLONG;
			goto out;
		}
		stack[depth] = fa.ino;
	}
	ret = ext4_read_inode(fs, stack[depth], out);
out:
	free(work);
	free(dir);
	return ret;
}
