// SPDX-License-Identifier: MIT
/*
 * Changing the FAT: a transaction collects the modified FAT sectors in RAM
 * (read from the active FAT, patched entry by entry); commit writes them to
 * the active FAT first and then to every mirror, each copy completely before
 * the next. So at any moment each FAT copy on disk is either all-old or
 * all-new for the transaction, and a reader of either copy sees a
 * consistent filesystem (write.c orders the transactions so that this holds).
 *
 * Free clusters are found by one bounded pass over the FAT from a hint (the
 * FSInfo next-free field on FAT32), and handed out in ascending order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/log.h>
#include "fat.h"
#include "fat_write.h"

/* Longest request commit issues (sectors), so the bounce buffer stays small. */
#define FAT_COMMIT_MAX_SECTORS 256

void fat_txn_init(struct fat_txn *t, struct fat_fs *fs)
{
	memset(t, 0, sizeof(*t));
	t->fs = fs;
}

void fat_txn_free(struct fat_txn *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->secs[i].data);
	free(t->secs);
	t->secs = NULL;
	t->n = t->cap = 0;
}

/* Index in t->secs of FAT sector idx, or -(insertion point + 1). */
static long txn_find(const struct fat_txn *t, uint32_t idx)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->secs[mid].index == idx)
			return (long)mid;
		if (t->secs[mid].index < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -(long)lo - 1;
}

/* The RAM copy of FAT sector idx, read from the active FAT the first time. */
static int txn_sector(struct fat_txn *t, uint32_t idx, uint8_t **data)
{
	struct fat_fs *fs = t->fs;
	long i = txn_find(t, idx);
	uint8_t *buf;
	int ret;

	if (i >= 0) {
		*data = t->secs[i].data;
		return 0;
	}
	if ((uint64_t)idx * fs->bps >= fs->fat_bytes)
		return -EUCLEAN;
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 16;
		struct fat_txn_sec *n = realloc(t->secs, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		t->secs = n;
		t->cap = ncap;
	}
	buf = malloc(fs->bps);
	if (!buf)
		return -ENOMEM;
	ret = vol_pread(&fs->vol, fs->fat_offset + (uint64_t)idx * fs->bps, buf, fs->bps);
	if (ret) {
		free(buf);
		return ret;
	}
	i = -i - 1;
	memmove(&t->secs[i + 1], &t->secs[i], (t->n - (size_t)i) * sizeof(*t->secs));
	t->secs[i].index = idx;
	t->secs[i].data = buf;
	t->n++;
	*data = buf;
	return 0;
}

/* Byte off of the FAT, to be modified. */
static int txn_byte(struct fat_txn *t, uint64_t off, uint8_t **p)
{
	uint8_t *sec;
	int ret = txn_sector(t, (uint32_t)(off / t->fs->bps), &sec);

	if (!ret)
		*p = sec + off % t->fs->bps;
	return ret;
}

int fat_txn_set(struct fat_txn *t, uint32_t c, uint32_t val)
{
	struct fat_fs *fs = t->fs;
	uint8_t *b0, *b1;
	uint64_t off;
	int ret;

	if (c < 2 || c - 2 >= fs->clusters)
		return -EINVAL;
	switch (fs->bits) {
	case 12:
		/* An entry may straddle two sectors: patch byte by byte. */
		off = (uint64_t)c + c / 2;
		ret = txn_byte(t, off, &b0);
		if (!ret)
			ret = txn_byte(t, off + 1, &b1);
		if (ret)
			return ret;
		if (c & 1) {
			*b0 = (uint8_t)((*b0 & 0x0f) | (val & 0x0f) << 4);
			*b1 = (uint8_t)(val >> 4);
		} else {
			*b0 = (uint8_t)val;
			*b1 = (uint8_t)((*b1 & 0xf0) | ((val >> 8) & 0x0f));
		}
		return 0;
	case 16:
		off = (uint64_t)c * 2;
		ret = txn_byte(t, off, &b0);
		if (!ret)
			put_le16(b0, (uint16_t)val);
		return ret;
	default:
		/* The top 4 bits are reserved: keep what is there. */
		off = (uint64_t)c * 4;
		ret = txn_byte(t, off, &b0);
		if (ret)
			return ret;
		put_le32(b0, (get_le32(b0) & 0xf0000000) | (val & 0x0fffffff));
		return 0;
	}
}

uint32_t fat_eoc(const struct fat_fs *fs)
{
	return fs->bits == 12 ? 0xfff : fs->bits == 16 ? 0xffff : 0x0fffffff;
}

/* Runs of adjacent dirty sectors [first, first + count) in t->secs, last run first. */
static int commit_copy(struct fat_txn *t, uint64_t base, uint8_t *bounce)
{
	struct fat_fs *fs = t->fs;
	size_t end = t->n;

	while (end > 0) {
		size_t first = end - 1;
		int ret;

		/* FAT12 runs are never split (an entry may straddle); its FAT is tiny. */
		while (first > 0 && t->secs[first - 1].index + 1 == t->secs[first].index &&
		       (fs->bits == 12 || end - first < FAT_COMMIT_MAX_SECTORS))
			first--;
		for (size_t i = first; i < end; i++)
			memcpy(bounce + (i - first) * fs->bps, t->secs[i].data, fs->bps);
		ret = vol_pwrite(&fs->vol, base + (uint64_t)t->secs[first].index * fs->bps, bounce,
				 (uint64_t)(end - first) * fs->bps);
		if (ret)
			return ret;
		end = first;
	}
	return 0;
}

int fat_txn_commit(struct fat_txn *t)
{
	struct fat_fs *fs = t->fs;
	uint64_t active = fs->fat_offset;
	size_t most = fs->bits == 12 ? t->n : MIN(t->n, (size_t)FAT_COMMIT_MAX_SECTORS);
	uint8_t *bounce;
	int ret;

	if (!t->n)
		return 0;
	bounce = malloc(most * fs->bps);
	if (!bounce)
		return -ENOMEM;
	/* The copy readers use first, then the mirrors in order. */
	ret = commit_copy(t, active, bounce);
	for (uint32_t k = 0; !ret && fs->fat_mirror && k < fs->nfats; k++) {
		uint64_t base = fs->fat_start + (uint64_t)k * fs->fat_bytes;

		if (base != active)
			ret = commit_copy(t, base, bounce);
	}
	free(bounce);
	if (ret)
		pr_err("fat: writing the FAT failed (%d)\n", ret);
	return ret;
}

/* ---- free-cluster search ------------------------------------------------ */

#define SCAN_CHUNK 512 /* entries decoded per FAT read */

static uint32_t decode(const struct fat_fs *fs, const uint8_t *b, uint32_t c, uint32_t c0)
{
	uint64_t base = fs->bits == 12 ? (uint64_t)c0 + c0 / 2 : (uint64_t)c0 * fs->bits / 8;
	uint64_t off;
	uint32_t v;

	switch (fs->bits) {
	case 12:
		off = (uint64_t)c + c / 2 - base;
		v = get_le16(b + off);
		return (c & 1) ? v >> 4 : v & 0xfff;
	case 16:
		return get_le16(b + ((uint64_t)c * 2 - base));
	default:
		return get_le32(b + ((uint64_t)c * 4 - base)) & 0x0fffffff;
	}
}

/* FAT bytes holding entries [c0, c1) (plus one for FAT12's last half entry). */
static int read_entries(struct fat_fs *fs, uint32_t c0, uint32_t c1, uint8_t *buf)
{
	uint64_t a, b;

	if (fs->bits == 12) {
		a = (uint64_t)c0 + c0 / 2;
		b = (uint64_t)(c1 - 1) + (c1 - 1) / 2 + 2;
	} else {
		a = (uint64_t)c0 * fs->bits / 8;
		b = (uint64_t)c1 * fs->bits / 8;
	}
	if (b > fs->fat_bytes)
		return -EUCLEAN;
	return vol_pread(&fs->vol, fs->fat_offset + a, buf, (size_t)(b - a));
}

/*
 * One pass over [from, to) appending free clusters to out (or, if contig,
 * keeping only the current run of consecutive ones). Returns how many out
 * holds, or -errno.
 */
static long scan_range(struct fat_fs *fs, uint32_t from, uint32_t to, uint32_t *out, uint32_t got,
		       uint32_t n, bool contig, uint8_t *buf)
{
	for (uint32_t c0 = from; c0 < to && got < n;) {
		uint32_t c1 = to - c0 > SCAN_CHUNK ? c0 + SCAN_CHUNK : to;
		int ret = read_entries(fs, c0, c1, buf);

		if (ret)
			return ret;
		for (uint32_t c = c0; c < c1 && got < n; c++) {
			if (decode(fs, buf, c, c0)) {
				if (contig)
					got = 0;
				continue;
			}
			if (contig && got && out[got - 1] + 1 != c)
				got = 0;
			out[got++] = c;
		}
		c0 = c1;
	}
	return got;
}

int fat_alloc_search(struct fat_fs *fs, uint32_t n, bool contig, uint32_t *out)
{
	uint32_t first = 2, end = fs->clusters + 2;
	uint32_t hint = fs->next_free;
	uint8_t *buf;
	long got, high;

	if (!n)
		return 0;
	if (n > fs->clusters)
		return -ENOSPC;
	if (hint < first || hint >= end)
		hint = first;
	buf = malloc((size_t)SCAN_CHUNK * 4 + 2);
	if (!buf)
		return -ENOMEM;
	/* [hint, end) then [first, hint): every entry looked at once at most. */
	got = scan_range(fs, hint, end, out, 0, n, contig, buf);
	high = got;
	if (got >= 0 && (uint32_t)got < n) {
		if (contig)
			got = high = 0; /* a run cannot wrap around */
		got = scan_range(fs, first, hint, out, (uint32_t)got, n, contig, buf);
	}
	free(buf);
	if (got < 0)
		return (int)got;
	if ((uint32_t)got < n)
		return -ENOSPC;
	/* Ascending: the wrapped part (below hint) goes first. */
	if (high && high < got) {
		uint32_t *tmp = malloc((size_t)high * sizeof(*tmp));

		if (!tmp)
			return -ENOMEM;
		memcpy(tmp, out, (size_t)high * sizeof(*tmp));
		memmove(out, out + high, (size_t)(got - high) * sizeof(*out));
		memcpy(out + (got - high), tmp, (size_t)high * sizeof(*tmp));
		free(tmp);
	}
	fs->next_free = out[n - 1] + 1;
	return 0;
}

/* ---- FSInfo --------------------------------------------------------------- */

#define FSINFO_LEAD 0x41615252u
#define FSINFO_STRUCT 0x61417272u
#define FSINFO_TRAIL 0xaa550000u

static int fsinfo_read(struct fat_fs *fs, uint8_t *b)
{
	int ret;

	if (!fs->fsinfo_off)
		return -ENOENT;
	ret = vol_pread(&fs->vol, fs->fsinfo_off, b, 512);
	if (ret)
		return ret;
	if (get_le32(b) != FSINFO_LEAD || get_le32(b + 484) != FSINFO_STRUCT ||
	    get_le32(b + 508) != FSINFO_TRAIL)
		return -ENOENT;
	return 0;
}

int fat_fsinfo_get(struct fat_fs *fs, uint32_t *free_count, uint32_t *next_free)
{
	uint8_t b[512];
	int ret = fsinfo_read(fs, b);

	if (ret)
		return ret;
	*free_count = get_le32(b + 488);
	*next_free = get_le32(b + 492);
	return 0;
}

int fat_fsinfo_set(struct fat_fs *fs, uint32_t free_count, uint32_t next_free)
{
	uint8_t b[512];
	int ret = fsinfo_read(fs, b);

	if (ret)
		return ret == -ENOENT ? 0 : ret;
	put_le32(b + 488, free_count);
	put_le32(b + 492, next_free);
	return vol_pwrite(&fs->vol, fs->fsinfo_off + 488, b + 488, 8);
}

void fat_op_begin(struct fat_op *op, struct fat_fs *fs)
{
	uint32_t free_count, next;

	memset(op, 0, sizeof(*op));
	op->fs = fs;
	if (fat_fsinfo_get(fs, &free_count, &next))
		return;
	op->fsinfo = free_count != FAT_FSINFO_UNKNOWN && free_count <= fs->clusters;
	op->free0 = free_count;
	if (!fs->next_free && next >= 2 && next - 2 < fs->clusters)
		fs->next_free = next;
}

int fat_op_count(struct fat_op *op, int64_t delta)
{
	int ret;

	if (!delta)
		return 0;
	op->delta += delta;
	if (!op->fsinfo || op->invalidated)
		return 0;
	ret = fat_fsinfo_set(op->fs, FAT_FSINFO_UNKNOWN, op->fs->next_free);
	if (!ret)
		ret = vol_flush(&op->fs->vol);
	if (!ret)
		op->invalidated = true;
	return ret;
}

int fat_op_end(struct fat_op *op)
{
	int64_t now = (int64_t)op->free0 - op->delta;
	int ret = 0;

	if (op->invalidated && now >= 0 && now <= op->fs->clusters)
		ret = fat_fsinfo_set(op->fs, (uint32_t)now, op->fs->next_free);
	if (!ret)
		ret = vol_flush(&op->fs->vol);
	return ret;
}
