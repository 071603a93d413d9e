// SPDX-License-Identifier: MIT
/*
 * Writing directory entries. A new name is stored as one contiguous run of
 * slots (long-name entries, then the 8.3 entry) written in one request, so
 * a cut leaves either no entry or the whole one. Runs are taken only where
 * the slots are adjacent on disk; a directory with no such room grows by
 * zeroed clusters first (a complete, harmless step of its own). Slots after
 * an end-of-directory marker (0x00) are only used once every slot before
 * them is marked deleted (0xe5), so readers that stop at the marker still
 * see the new entry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/log.h>
#include <pvboot/utf16.h>
#include "fat_write.h"

#define SLOT_FREE 0xe5
#define LFN_LAST 0x40
#define LFN_UNITS 13
#define NTRES_LOWER_BASE 0x08
#define NTRES_LOWER_EXT 0x10
#define ATTR_ARCHIVE 0x20
#define DOS_DATE_1980_01_01 0x0021 /* no clock: the FAT epoch, as U-Boot */
#define MAX_TAIL 65535		   /* "~N" tails tried for a generated 8.3 name */

static bool short_char_ok(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("!#$%&'()-@^_`{}~", c);
}

static unsigned char upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* 0: no letters, 1: all lower case, 2: all upper case, 3: mixed. */
static int letter_case(const char *s, size_t n)
{
	int seen = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			seen |= 1;
		else if (s[i] >= 'A' && s[i] <= 'Z')
			seen |= 2;
	}
	return seen;
}

/* A name that an 8.3 entry holds exactly (case through the NT flags). */
static bool fits_83(const char *name, struct fat_newname *nn)
{
	const char *dot = strchr(name, '.');
	size_t blen = dot ? (size_t)(dot - name) : strlen(name);
	size_t elen = dot ? strlen(dot + 1) : 0;
	int bc, ec;

	if (!blen || blen > 8 || elen > 3 || (dot && (!elen || strchr(dot + 1, '.'))))
		return false;
	for (size_t i = 0; i < blen + (dot ? 1 + elen : 0); i++)
		if (name[i] != '.' && !short_char_ok(upper((unsigned char)name[i])))
			return false;
	bc = letter_case(name, blen);
	ec = dot ? letter_case(dot + 1, elen) : 0;
	if (bc == 3 || ec == 3)
		return false;
	memset(nn->short11, ' ', 11);
	for (size_t i = 0; i < blen; i++)
		nn->short11[i] = upper((unsigned char)name[i]);
	for (size_t i = 0; i < elen; i++)
		nn->short11[8 + i] = upper((unsigned char)dot[1 + i]);
	nn->ntres = (bc == 1 ? NTRES_LOWER_BASE : 0) | (ec == 1 ? NTRES_LOWER_EXT : 0);
	return true;
}

/* The basis of a generated 8.3 name: upper case, unusable characters as '_'. */
static void short_basis(const char *name, uint8_t *out11)
{
	const char *dot = strrchr(name, '.');
	size_t o = 0;

	if (dot == name)
		dot = NULL; /* ".profile": no extension */
	memset(out11, ' ', 11);
	for (const char *p = name; *p && p != dot && o < 8; p++) {
		unsigned char c = upper((unsigned char)*p);

		if (c == ' ' || c == '.')
			continue;
		out11[o++] = short_char_ok(c) ? c : '_';
		if (c >= 0x80) /* one '_' per UTF-8 sequence */
			while ((p[1] & 0xc0) == 0x80)
				p++;
	}
	if (!o)
		out11[o++] = '_';
	o = 8;
	for (const char *p = dot ? dot + 1 : ""; *p && o < 11; p++) {
		unsigned char c = upper((unsigned char)*p);

		if (c == ' ')
			continue;
		out11[o++] = short_char_ok(c) ? c : '_';
		if (c >= 0x80)
			while ((p[1] & 0xc0) == 0x80)
				p++;
	}
}

int fat_name_prepare(const char *name, struct fat_newname *nn)
{
	size_t len = strlen(name);
	int units;

	memset(nn, 0, sizeof(*nn));
	if (!len || !strcmp(name, ".") || !strcmp(name, "..") || name[len - 1] == '.' ||
	    name[len - 1] == ' ')
		return -EINVAL;
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || strchr("\"*/:<>?\\|", *p))
			return -EINVAL;
	if (fits_83(name, nn))
		return 0;
	units = utf8_to_utf16le(name, nn->utf16, FAT_LFN_MAX_UNITS);
	if (units < 0)
		return units == -EILSEQ ? -EINVAL : units;
	nn->units = (uint16_t)units;
	short_basis(name, nn->short11);
	return 0;
}

unsigned int fat_name_slots(const struct fat_newname *nn)
{
	return 1 + (nn->units + LFN_UNITS - 1) / LFN_UNITS;
}

/* ---- walking every slot of a directory ----------------------------------- */

typedef int (*slot_cb)(void *arg, const uint8_t *e, uint64_t pos, uint32_t idx);

struct dir_end {
	uint32_t last_cluster; /* 0 for the fixed root */
	uint32_t slots;
};

/* Every 32-byte slot in order (free ones too); cb > 0 stops the walk. */
static int walk_slots(struct fat_fs *fs, uint32_t dir_cluster, slot_cb cb, void *arg,
		      struct dir_end *end)
{
	uint8_t e[FAT_DIRENT_SIZE];
	struct fat_chain ch;
	uint32_t idx = 0;
	int ret = 0;

	memset(end, 0, sizeof(*end));
	if (!dir_cluster) {
		for (; idx < fs->root_entries && !ret; idx++) {
			uint64_t pos = fs->root_offset + (uint64_t)idx * FAT_DIRENT_SIZE;

			ret = vol_pread(&fs->vol, pos, e, sizeof(e));
			if (!ret)
				ret = cb(arg, e, pos, idx);
		}
		end->slots = idx;
		return ret < 0 ? ret : 0;
	}
	if (!fat_cluster_valid(fs, dir_cluster))
		return -EUCLEAN;
	fat_chain_start(&ch, dir_cluster);
	for (;;) {
		uint32_t per = fs->cluster_size / FAT_DIRENT_SIZE;

		for (uint32_t i = 0; i < per && !ret; i++, idx++) {
			uint64_t pos =
			    fat_cluster_offset(fs, ch.cur) + (uint64_t)i * FAT_DIRENT_SIZE;

			if (idx >= FAT_MAX_DIR_ENTRIES)
				return -EUCLEAN;
			ret = vol_pread(&fs->vol, pos, e, sizeof(e));
			if (!ret)
				ret = cb(arg, e, pos, idx);
		}
		end->last_cluster = ch.cur;
		end->slots = idx;
		if (ret)
			return ret < 0 ? ret : 0;
		ret = fat_chain_next(fs, &ch);
		if (ret)
			return ret < 0 ? ret : 0;
	}
}

/* ---- finding room --------------------------------------------------------- */

struct place_scan {
	const struct fat_newname *nn;
	unsigned int need;
	uint8_t *tails; /* bitmap of "~N" tails in use for nn's basis */
	/* free-run search */
	bool in_end;	  /* past the first 0x00 slot */
	uint32_t end_idx; /* its index */
	uint64_t run_pos; /* current run of free adjacent slots */
	uint32_t run_idx, run_len;
	uint64_t prev_pos;
	bool found;
	uint64_t found_pos;
	uint32_t found_idx;
};

/* An existing 8.3 name "<basis prefix>~N" marks tail N as taken. */
static void note_tail(struct place_scan *s, const uint8_t *e)
{
	const uint8_t *b = s->nn->short11;
	const uint8_t *tilde = memchr(e, '~', 8);
	uint32_t n = 0;
	size_t k, i, blen = 8;

	if (!tilde || memcmp(e + 8, b + 8, 3))
		return;
	k = (size_t)(tilde - e);
	for (i = k + 1; i < 8 && e[i] >= '0' && e[i] <= '9' && n <= MAX_TAIL; i++)
		n = n * 10 + (e[i] - '0');
	if (i == k + 1 || n == 0 || n > MAX_TAIL || (i < 8 && e[i] != ' '))
		return;
	while (blen && b[blen - 1] == ' ')
		blen--;
	if (k != MIN(blen, 8 - (i - k)) || memcmp(e, b, k))
		return;
	s->tails[n / 8] |= (uint8_t)(1u << (n % 8));
}

static int place_cb(void *arg, const uint8_t *e, uint64_t pos, uint32_t idx)
{
	struct place_scan *s = arg;
	bool free;

	if (e[0] == 0 && !s->in_end) {
		s->in_end = true;
		s->end_idx = idx;
	}
	free = s->in_end || e[0] == SLOT_FREE;
	if (!free) {
		s->run_len = 0;
		if ((e[11] & 0x3f) != FAT_ATTR_LFN && !(e[11] & FAT_ATTR_VOLUME) && s->tails)
			note_tail(s, e);
	} else if (!s->found) {
		if (s->run_len && pos == s->prev_pos + FAT_DIRENT_SIZE) {
			s->run_len++;
		} else {
			s->run_pos = pos;
			s->run_idx = idx;
			s->run_len = 1;
		}
		if (s->run_len == s->need) {
			s->found = true;
			s->found_pos = s->run_pos;
			s->found_idx = s->run_idx;
		}
	}
	s->prev_pos = pos;
	/* Past the end marker nothing more is in use: the scan may stop once placed. */
	return s->found && s->in_end ? 1 : 0;
}

/* Mark free slots [from, to) (walk indexes) deleted, adjacent ones in one write. */
struct fill {
	struct fat_fs *fs;
	uint32_t from, to;
	uint64_t start, len; /* pending group */
	int err;
};

static int fill_flush(struct fill *f)
{
	uint8_t *buf;

	if (!f->len)
		return 0;
	buf = malloc(f->len);
	if (!buf)
		return -ENOMEM;
	f->err = vol_pread(&f->fs->vol, f->start, buf, f->len);
	if (!f->err) {
		for (uint64_t o = 0; o < f->len; o += FAT_DIRENT_SIZE)
			if (!buf[o])
				buf[o] = SLOT_FREE;
		f->err = vol_pwrite(&f->fs->vol, f->start, buf, f->len);
	}
	free(buf);
	f->len = 0;
	return f->err;
}

static int fill_cb(void *arg, const uint8_t *e, uint64_t pos, uint32_t idx)
{
	struct fill *f = arg;

	if (idx < f->from)
		return 0;
	if (idx >= f->to)
		return 1;
	if (f->len && pos != f->start + f->len && fill_flush(f))
		return f->err;
	if (!f->len)
		f->start = pos;
	f->len += FAT_DIRENT_SIZE;
	return 0;
}

static int fill_deleted(struct fat_fs *fs, uint32_t dir_cluster, uint32_t from, uint32_t to)
{
	struct fill f = {fs, from, to, 0, 0, 0};
	struct dir_end end;
	int ret;

	if (from >= to)
		return 0;
	ret = walk_slots(fs, dir_cluster, fill_cb, &f, &end);
	if (!ret)
		ret = fill_flush(&f);
	return ret;
}

/* Append k zeroed, consecutive clusters to the directory ending at last. */
static int grow_dir(struct fat_op *op, uint32_t last, uint32_t k, uint64_t *first_pos)
{
	struct fat_fs *fs = op->fs;
	uint32_t c[2];
	struct fat_txn t;
	void *zero;
	int ret;

	ret = fat_alloc_search(fs, k, true, c);
	if (ret)
		return ret;
	zero = calloc(k, fs->cluster_size);
	if (!zero)
		return -ENOMEM;
	ret = vol_pwrite(&fs->vol, fat_cluster_offset(fs, c[0]), zero,
			 (uint64_t)k * fs->cluster_size);
	free(zero);
	if (!ret)
		ret = fat_op_count(op, k);
	/* First the new clusters as a chain of their own (lost if cut here) ... */
	fat_txn_init(&t, fs);
	for (uint32_t i = 0; !ret && i < k; i++)
		ret = fat_txn_set(&t, c[i], i + 1 < k ? c[i + 1] : fat_eoc(fs));
	if (!ret)
		ret = fat_txn_commit(&t);
	if (!ret)
		ret = vol_flush(&fs->vol);
	fat_txn_free(&t);
	/* ... then one entry links them to the directory. */
	fat_txn_init(&t, fs);
	if (!ret)
		ret = fat_txn_set(&t, last, c[0]);
	if (!ret)
		ret = fat_txn_commit(&t);
	if (!ret)
		ret = vol_flush(&fs->vol);
	fat_txn_free(&t);
	*first_pos = fat_cluster_offset(fs, c[0]);
	return ret;
}

/* Give nn a tail "~N" that no entry in the directory has. */
static int pick_tail(struct fat_newname *nn, const uint8_t *tails)
{
	size_t blen = 8;

	while (blen && nn->short11[blen - 1] == ' ')
		blen--;
	for (uint32_t n = 1; n <= MAX_TAIL; n++) {
		char tail[8];
		size_t tl = 0, keep;

		if (tails[n / 8] & (1u << (n % 8)))
			continue;
		for (uint32_t v = n; v; v /= 10)
			tail[tl++] = (char)('0' + v % 10);
		keep = MIN(blen, 8 - (tl + 1));
		memset(nn->short11 + keep, ' ', 8 - keep);
		nn->short11[keep] = '~';
		for (size_t i = 0; i < tl; i++)
			nn->short11[keep + 1 + i] = (uint8_t)tail[tl - 1 - i];
		return 0;
	}
	return -ENOSPC;
}

int fat_dir_place(struct fat_op *op, uint32_t dir_cluster, struct fat_newname *nn,
		  struct fat_place *pl)
{
	struct fat_fs *fs = op->fs;
	struct place_scan s;
	struct dir_end end;
	int ret;

	memset(&s, 0, sizeof(s));
	s.nn = nn;
	s.need = fat_name_slots(nn);
	if (nn->units) {
		s.tails = calloc(1, MAX_TAIL / 8 + 1);
		if (!s.tails)
			return -ENOMEM;
	}
	ret = walk_slots(fs, dir_cluster, place_cb, &s, &end);
	if (!ret && nn->units)
		ret = pick_tail(nn, s.tails);
	free(s.tails);
	if (ret)
		return ret;
	if (s.found) {
		/* Slots between the end marker and the run must not hide it. */
		if (s.in_end && s.end_idx < s.found_idx)
			ret = fill_deleted(fs, dir_cluster, s.end_idx, s.found_idx);
		pl->pos = s.found_pos;
		return ret;
	}
	if (!dir_cluster) {
		pr_err("fat: the root directory is full\n");
		return -ENOSPC;
	}
	if (end.slots + s.need > FAT_MAX_DIR_ENTRIES) {
		pr_err("fat: directory has the maximum of %u entries\n", FAT_MAX_DIR_ENTRIES);
		return -ENOSPC;
	}
	if (s.in_end)
		ret = fill_deleted(fs, dir_cluster, s.end_idx, end.slots);
	if (!ret)
		ret = grow_dir(op, end.last_cluster,
			       DIV_ROUND_UP(s.need * FAT_DIRENT_SIZE, fs->cluster_size), &pl->pos);
	return ret;
}

/* ---- writing entries -------------------------------------------------------- */

static void put_short(uint8_t *e, const struct fat_newname *nn, uint32_t cluster, uint32_t size)
{
	memset(e, 0, FAT_DIRENT_SIZE);
	memcpy(e, nn->short11, 11);
	e[11] = ATTR_ARCHIVE;
	e[12] = nn->ntres;
	put_le16(e + 16, DOS_DATE_1980_01_01); /* created */
	put_le16(e + 18, DOS_DATE_1980_01_01); /* accessed */
	put_le16(e + 20, (uint16_t)(cluster >> 16));
	put_le16(e + 24, DOS_DATE_1980_01_01); /* written */
	put_le16(e + 26, (uint16_t)cluster);
	put_le32(e + 28, size);
}

static void put_lfn(uint8_t *e, const struct fat_newname *nn, unsigned int seq, bool last,
		    uint8_t csum)
{
	static const uint8_t unit_at[LFN_UNITS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

	memset(e, 0, FAT_DIRENT_SIZE);
	e[0] = (uint8_t)(seq | (last ? LFN_LAST : 0));
	e[11] = FAT_ATTR_LFN;
	e[13] = csum;
	for (unsigned int i = 0; i < LFN_UNITS; i++) {
		unsigned int u = (seq - 1) * LFN_UNITS + i;

		/* After the name: one 0x0000, then 0xffff padding. */
		if (u < nn->units)
			memcpy(e + unit_at[i], nn->utf16 + 2 * u, 2);
		else
			put_le16(e + unit_at[i], u == nn->units ? 0x0000 : 0xffff);
	}
}

int fat_dir_create(struct fat_fs *fs, const struct fat_place *pl, const struct fat_newname *nn,
		   uint32_t cluster, uint32_t size)
{
	unsigned int n = fat_name_slots(nn);
	uint8_t *buf = malloc((size_t)n * FAT_DIRENT_SIZE);
	uint8_t csum = fat_short_csum(nn->short11);
	int ret;

	if (!buf)
		return -ENOMEM;
	for (unsigned int i = 0; i + 1 < n; i++)
		put_lfn(buf + i * FAT_DIRENT_SIZE, nn, n - 1 - i, i == 0, csum);
	put_short(buf + (n - 1) * FAT_DIRENT_SIZE, nn, cluster, size);
	ret = vol_pwrite(&fs->vol, pl->pos, buf, (uint64_t)n * FAT_DIRENT_SIZE);
	free(buf);
	return ret;
}

int fat_dir_update(struct fat_fs *fs, const struct fat_dirent *d, uint32_t cluster, uint32_t size)
{
	uint8_t e[FAT_DIRENT_SIZE];
	int ret = vol_pread(&fs->vol, d->pos, e, sizeof(e));

	if (ret)
		return ret;
	put_le16(e + 20, fs->bits == 32 ? (uint16_t)(cluster >> 16) : 0);
	put_le16(e + 26, (uint16_t)cluster);
	put_le32(e + 28, size);
	e[11] |= ATTR_ARCHIVE;
	return vol_pwrite(&fs->vol, d->pos, e, sizeof(e));
}

/* Mark [start, start + len) deleted: every slot in it belongs to the entry. */
static int delete_group(struct fat_fs *fs, uint64_t start, uint64_t len)
{
	uint8_t *buf = malloc(len);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = vol_pread(&fs->vol, start, buf, len);
	for (uint64_t o = 0; !ret && o < len; o += FAT_DIRENT_SIZE)
		buf[o] = SLOT_FREE;
	if (!ret)
		ret = vol_pwrite(&fs->vol, start, buf, len);
	free(buf);
	return ret;
}

int fat_dir_remove(struct fat_fs *fs, const struct fat_dirent *d)
{
	uint64_t start = 0, len = 0;
	int ret;

	/*
	 * Disk order is long-name entries, then the 8.3 one: the group holding
	 * the 8.3 entry goes last, so a cut before it leaves the file with its
	 * short name only, never a long name without its file.
	 */
	for (unsigned int i = 0; i <= d->nlfn; i++) {
		uint64_t pos = i < d->nlfn ? d->lfn_pos[i] : d->pos;

		if (len && pos != start + len) {
			ret = delete_group(fs, start, len);
			if (ret)
				return ret;
			len = 0;
		}
		if (!len)
			start = pos;
		len += FAT_DIRENT_SIZE;
	}
	return delete_group(fs, start, len);
}
