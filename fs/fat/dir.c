// SPDX-License-Identifier: MIT
/*
 * FAT directories: 8.3 entries with VFAT long names (UTF-16 -> UTF-8,
 * checksum and sequence checked; a broken long name falls back to the short
 * one), case-insensitive lookup, at most 65536 entries per directory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pvboot/log.h>
#include <pvboot/utf16.h>
#include "fat.h"

#define LFN_LAST 0x40
#define LFN_UNITS_PER_ENTRY 13
#define NTRES_LOWER_BASE 0x08
#define NTRES_LOWER_EXT 0x10

struct lfn_state {
	uint8_t units[FAT_LFN_MAX_ENTRIES * LFN_UNITS_PER_ENTRY * 2];
	int expect; /* next sequence number wanted; 0 = complete or none */
	int count;  /* entries in this name */
	uint8_t csum;
	bool valid;
	uint64_t pos[FAT_LFN_MAX_ENTRIES]; /* where each entry is, in disk order */
};

struct dir_walk {
	struct lfn_state lfn;
	struct fat_dirent d;
};

uint8_t fat_short_csum(const uint8_t *name)
{
	uint8_t s = 0;

	for (int i = 0; i < 11; i++)
		s = (uint8_t)(((s & 1) << 7) + (s >> 1) + name[i]);
	return s;
}

static void lfn_add(struct lfn_state *l, const uint8_t *e, uint64_t pos)
{
	static const uint8_t unit_at[LFN_UNITS_PER_ENTRY] = {1,	 3,  5,	 7,  9,	 14, 16,
							     18, 20, 22, 24, 28, 30};
	int seq = e[0] & 0x1f;

	if (e[0] & LFN_LAST) {
		memset(l->units, 0, sizeof(l->units));
		l->count = seq;
		l->expect = seq;
		l->csum = e[13];
		l->valid = seq >= 1 && seq <= FAT_LFN_MAX_ENTRIES;
	}
	if (!l->valid || seq != l->expect || e[13] != l->csum || get_le16(e + 26)) {
		l->valid = false;
		return;
	}
	for (int i = 0; i < LFN_UNITS_PER_ENTRY; i++)
		memcpy(l->units + 2 * ((seq - 1) * LFN_UNITS_PER_ENTRY + i), e + unit_at[i], 2);
	l->pos[l->count - seq] = pos;
	l->expect--;
}

static void short_name(const uint8_t *e, char *out)
{
	size_t o = 0;
	int base_end = 8, ext_end = 11;

	while (base_end > 0 && e[base_end - 1] == ' ')
		base_end--;
	while (ext_end > 8 && e[ext_end - 1] == ' ')
		ext_end--;
	for (int i = 0; i < base_end; i++) {
		uint8_t c = (i == 0 && e[0] == 0x05) ? 0xe5 : e[i];

		if (e[12] & NTRES_LOWER_BASE && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		out[o++] = c < 0x80 ? (char)c : '?';
	}
	if (ext_end > 8) {
		out[o++] = '.';
		for (int i = 8; i < ext_end; i++) {
			uint8_t c = e[i];

			if (e[12] & NTRES_LOWER_EXT && c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			out[o++] = c < 0x80 ? (char)c : '?';
		}
	}
	out[o] = '\0';
}

/* One 32-byte entry. 1: end of directory; <0 error; else callback's value. */
static int dir_entry(struct fat_fs *fs, struct dir_walk *w, const uint8_t *e, uint64_t pos,
		     fat_dirent_cb cb, void *arg)
{
	struct fat_dirent *d = &w->d;

	if (e[0] == 0)
		return 1;
	if (e[0] == 0xe5) {
		w->lfn.valid = false;
		return 0;
	}
	if ((e[11] & 0x3f) == FAT_ATTR_LFN) {
		lfn_add(&w->lfn, e, pos);
		return 0;
	}
	if (e[11] & FAT_ATTR_VOLUME) {
		w->lfn.valid = false;
		return 0;
	}
	short_name(e, d->short_name);
	d->attr = e[11];
	d->cluster = get_le16(e + 26) | (fs->bits == 32 ? (uint32_t)get_le16(e + 20) << 16 : 0);
	d->size = get_le32(e + 28);
	d->pos = pos;
	d->nlfn = 0;
	if (w->lfn.valid && w->lfn.expect == 0 && w->lfn.csum == fat_short_csum(e) &&
	    utf16le_to_utf8(w->lfn.units, (size_t)w->lfn.count * LFN_UNITS_PER_ENTRY, d->name,
			    sizeof(d->name)) > 0) {
		d->nlfn = (unsigned int)w->lfn.count;
		memcpy(d->lfn_pos, w->lfn.pos, sizeof(d->lfn_pos));
	} else {
		memcpy(d->name, d->short_name, sizeof(d->short_name));
	}
	w->lfn.valid = false;
	return cb(arg, d);
}

int fat_iterate_dir(struct fat_fs *fs, const struct fat_dir *dir, fat_dirent_cb cb, void *arg)
{
	struct dir_walk *w = calloc(1, sizeof(*w));
	uint8_t e[FAT_DIRENT_SIZE];
	struct fat_chain ch;
	uint32_t n = 0;
	int ret = 0;

	if (!w)
		return -ENOMEM;
	w->d.dir_cluster = dir->cluster;
	if (!dir->cluster) {
		for (n = 0; n < fs->root_entries && !ret; n++) {
			uint64_t pos = fs->root_offset + (uint64_t)n * FAT_DIRENT_SIZE;

			ret = vol_pread(&fs->vol, pos, e, sizeof(e));
			if (!ret)
				ret = dir_entry(fs, w, e, pos, cb, arg);
		}
		goto out;
	}
	if (!fat_cluster_valid(fs, dir->cluster)) {
		pr_err("fat: directory starts at invalid cluster %u: filesystem corrupt\n",
		       dir->cluster);
		ret = -EUCLEAN;
		goto out;
	}
	fat_chain_start(&ch, dir->cluster);
	for (;;) {
		uint32_t per = fs->cluster_size / FAT_DIRENT_SIZE;

		for (uint32_t i = 0; i < per && !ret; i++, n++) {
			uint64_t pos =
			    fat_cluster_offset(fs, ch.cur) + (uint64_t)i * FAT_DIRENT_SIZE;

			if (n >= FAT_MAX_DIR_ENTRIES) {
				pr_err("fat: directory longer than 65536 entries: filesystem "
				       "corrupt\n");
				ret = -EUCLEAN;
				goto out;
			}
			ret = vol_pread(&fs->vol, pos, e, sizeof(e));
			if (!ret)
				ret = dir_entry(fs, w, e, pos, cb, arg);
		}
		if (ret)
			break;
		ret = fat_chain_next(fs, &ch);
		if (ret) {
			ret = ret > 0 ? 0 : ret;
			break;
		}
	}
out:
	free(w);
	return ret == 1 ? 0 : ret;
}

struct find_arg {
	const char *name;
	size_t len;
	struct fat_dirent *out;
	bool found;
};

static int find_cb(void *arg, const struct fat_dirent *d)
{
	struct find_arg *fa = arg;

	if ((strlen(d->name) == fa->len && !strncasecmp(d->name, fa->name, fa->len)) ||
	    (strlen(d->short_name) == fa->len && !strncasecmp(d->short_name, fa->name, fa->len))) {
		*fa->out = *d;
		fa->found = true;
		return 2; /* stop: not 1, which means end of directory */
	}
	return 0;
}

static void fat_root(const struct fat_fs *fs, struct fat_dirent *d)
{
	memset(d, 0, sizeof(*d));
	d->attr = FAT_ATTR_DIR;
	d->cluster = fs->bits == 32 ? fs->root_cluster : 0;
	strcpy(d->name, "/");
}

int fat_lookup_path(struct fat_fs *fs, const char *path, struct fat_dirent *out)
{
	uint32_t stack[FS_MAX_PATH_DEPTH];
	int depth = 0;
	const char *p = path;

	fat_root(fs, out);
	stack[0] = out->cluster;
	for (;;) {
		struct find_arg fa;
		struct fat_dir dir;
		enum fs_path_step step = fs_path_next(&p, &fa.name, &fa.len);
		int ret;

		if (step == FS_PATH_END)
			return 0;
		if (step == FS_PATH_DOT)
			continue;
		if (step == FS_PATH_DOTDOT) {
			if (depth)
				depth--;
			if (!depth) {
				fat_root(fs, out);
			} else {
				out->cluster = stack[depth];
				out->attr = FAT_ATTR_DIR;
			}
			continue;
		}
		if (!(out->attr & FAT_ATTR_DIR))
			return -ENOTDIR;
		dir.cluster = out->cluster;
		fa.out = out;
		fa.found = false;
		ret = fat_iterate_dir(fs, &dir, find_cb, &fa);
		if (ret < 0)
			return ret;
		if (!fa.found)
			return -ENOENT;
		/* ".." to the root is stored as cluster 0: use the real root. */
		if (out->attr & FAT_ATTR_DIR && !out->cluster && fs->bits == 32)
			out->cluster = fs->root_cluster;
		if (++depth >= FS_MAX_PATH_DEPTH)
			return -ENAMETOOLONG;
		stack[depth] = out->cluster;
	}
}

struct ls_arg {
	fs_dir_cb cb;
	void *arg;
};

static int ls_cb(void *arg, const struct fat_dirent *d)
{
	struct ls_arg *la = arg;
	int ret = la->cb(la->arg, d->name, d->attr & FAT_ATTR_DIR ? FS_DT_DIR : FS_DT_REG, d->size);

	return ret ? 2 : 0;
}

int fat_ops_ls(void *priv, const char *path, fs_dir_cb cb, void *arg)
{
	struct fat_dirent *d = malloc(sizeof(*d));
	struct ls_arg la = {cb, arg};
	struct fat_dir dir;
	int ret;

	if (!d)
		return -ENOMEM;
	ret = fat_lookup_path(priv, path, d);
	if (!ret && !(d->attr & FAT_ATTR_DIR))
		ret = -ENOTDIR;
	if (!ret) {
		dir.cluster = d->cluster;
		ret = fat_iterate_dir(priv, &dir, ls_cb, &la);
	}
	free(d);
	return ret > 0 ? 0 : ret;
}

int fat_ops_stat(void *priv, const char *path, enum fs_dt *type, uint64_t *size)
{
	struct fat_dirent *d = malloc(sizeof(*d));
	int ret;

	if (!d)
		return -ENOMEM;
	ret = fat_lookup_path(priv, path, d);
	if (!ret) {
		*type = d->attr & FAT_ATTR_DIR ? FS_DT_DIR : FS_DT_REG;
		*size = d->attr & FAT_ATTR_DIR ? 0 : d->size;
	}
	free(d);
	return ret;
}
