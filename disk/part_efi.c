// SPDX-License-Identifier: MIT
/*
 * GPT: protective MBR, header at LBA 1 with CRC32 over the header and over
 * the entry array; if the primary is unusable the backup header at the last
 * LBA is used and the user is told. Entry count and size come from the disk
 * and are bounded before any allocation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <pvboot/get_le.h>
#include <pvboot/log.h>
#include <pvboot/utf16.h>
#include "part_internal.h"

#define GPT_SIG "EFI PART"
#define GPT_HDR_MIN 92
#define GPT_ENTRY_MIN 128
#define GPT_ENTRY_MAX 4096
#define GPT_ENTRIES_MAX_BYTES (1024 * 1024)

struct gpt {
	uint64_t hdr_lba;
	uint64_t entries_lba;
	uint64_t first_usable, last_usable;
	uint32_t num, esz;
	uint8_t *entries; /* num * esz bytes, CRC checked */
	bool backup;
};

static uint32_t crc32_buf(const void *buf, size_t len)
{
	return (uint32_t)crc32(0L, buf, (uInt)len);
}

/* Fuzzing builds ignore CRC mismatches so mutations reach the parser behind them. */
#ifdef FUZZING
#define GPT_CRC_ENFORCED 0
#else
#define GPT_CRC_ENFORCED 1
#endif

/* Check the header at lba and load its entry array. NULL *why on success. */
static int gpt_read(struct blk_desc *dev, uint64_t lba, struct gpt *g, const char **why)
{
	uint8_t hdr[PART_MAX_BLKSZ];
	uint32_t hsize, crc, ecrc;
	uint64_t bytes, blocks;
	long got;

	*why = NULL;
	if (part_read_block(dev, lba, hdr)) {
		*why = "unreadable";
		return -EIO;
	}
	if (memcmp(hdr, GPT_SIG, 8)) {
		*why = "no signature";
		return -ENOENT;
	}
	hsize = get_le32(hdr + 12);
	if (hsize < GPT_HDR_MIN || hsize > dev->blksz) {
		*why = "bad header size";
		return -EINVAL;
	}
	crc = get_le32(hdr + 16);
	put_le32(hdr + 16, 0);
	if (GPT_CRC_ENFORCED && crc32_buf(hdr, hsize) != crc) {
		*why = "bad header CRC";
		return -EINVAL;
	}
	if (get_le64(hdr + 24) != lba) {
		*why = "header LBA mismatch";
		return -EINVAL;
	}
	g->hdr_lba = lba;
	g->first_usable = get_le64(hdr + 40);
	g->last_usable = get_le64(hdr + 48);
	g->entries_lba = get_le64(hdr + 72);
	g->num = get_le32(hdr + 80);
	g->esz = get_le32(hdr + 84);
	ecrc = get_le32(hdr + 88);
	if (g->esz < GPT_ENTRY_MIN || g->esz > GPT_ENTRY_MAX || g->esz % 8 || !g->num ||
	    (uint64_t)g->num * g->esz > GPT_ENTRIES_MAX_BYTES) {
		*why = "bad entry count or size";
		return -EINVAL;
	}
	bytes = (uint64_t)g->num * g->esz;
	blocks = DIV_ROUND_UP(bytes, dev->blksz);
	if (g->entries_lba < 1 || g->entries_lba >= dev->lba ||
	    blocks > dev->lba - g->entries_lba) {
		*why = "entry array outside the disk";
		return -EINVAL;
	}
	g->entries = malloc(blocks * dev->blksz);
	if (!g->entries) {
		*why = "out of memory";
		return -ENOMEM;
	}
	got = blk_read(dev, g->entries_lba, blocks, g->entries);
	if (got != (long)blocks) {
		free(g->entries);
		g->entries = NULL;
		*why = "entry array unreadable";
		return -EIO;
	}
	if (GPT_CRC_ENFORCED && crc32_buf(g->entries, bytes) != ecrc) {
		free(g->entries);
		g->entries = NULL;
		*why = "bad entry array CRC";
		return -EINVAL;
	}
	return 0;
}

/*
 * Say once per disk that the backup is in use, not on every lookup: a disk
 * is identified by its descriptor and the bytes of its broken primary header.
 */
static struct {
	struct blk_desc *dev;
	uint64_t lba;
	uint32_t crc;
} warned;

static int gpt_load(struct blk_desc *dev, struct gpt *g, bool quiet)
{
	uint8_t mbr[PART_MAX_BLKSZ];
	const char *why, *why_bak;
	uint64_t last;
	int ret;

	memset(g, 0, sizeof(*g));
	if (dev->lba < 3 || part_read_block(dev, 0, mbr) || !part_mbr_is_protective(mbr))
		return -ENOENT;
	ret = gpt_read(dev, 1, g, &why);
	if (!ret)
		return 0;
	last = dev->lba - 1;
	ret = gpt_read(dev, last, g, &why_bak);
	if (ret) {
		if (!quiet)
			pr_err("GPT: primary header %s, backup header %s: no usable GPT\n", why,
			       why_bak);
		return -EINVAL;
	}
	g->backup = true;
	if (!quiet) {
		uint32_t crc = part_read_block(dev, 1, mbr) ? 0 : crc32_buf(mbr, dev->blksz);

		if (warned.dev != dev || warned.lba != dev->lba || warned.crc != crc) {
			pr_warn(
			    "GPT: primary header invalid (%s); using the backup GPT at LBA %llu\n",
			    why, (unsigned long long)last);
			warned.dev = dev;
			warned.lba = dev->lba;
			warned.crc = crc;
		}
	}
	return 0;
}

static bool guid_is_zero(const uint8_t *g)
{
	for (int i = 0; i < 16; i++)
		if (g[i])
			return false;
	return true;
}

/* Mixed-endian textual form, as U-Boot's %pUl and Linux print it. */
static void guid_to_str(const uint8_t *g, char *out, size_t size)
{
	snprintf(out, size, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", get_le32(g),
		 get_le16(g + 4), get_le16(g + 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14],
		 g[15]);
}

static int efi_test(struct blk_desc *dev)
{
	struct gpt g;
	int ret = gpt_load(dev, &g, true);

	free(g.entries);
	return ret;
}

static int efi_walk(struct blk_desc *dev, part_walk_fn fn, void *arg)
{
	struct gpt g;
	int ret = gpt_load(dev, &g, false);

	for (uint32_t i = 0; !ret && i < g.num; i++) {
		const uint8_t *e = g.entries + (size_t)i * g.esz;
		uint64_t first = get_le64(e + 32), last = get_le64(e + 40);
		struct disk_partition p = {
		    .start = first,
		    .size = last - first + 1,
		    /* Legacy BIOS bootable attribute (bit 2), as U-Boot. */
		    .bootable = get_le64(e + 48) & (1ULL << 2),
		    .number = (int)i + 1,
		};

		/* Unused, or ending before it starts (part.c rejects size 0). */
		if (guid_is_zero(e))
			continue;
		if (last < first)
			p.size = 0;
		guid_to_str(e, p.type, sizeof(p.type));
		guid_to_str(e + 16, p.uuid, sizeof(p.uuid));
		utf16le_to_utf8(e + 56, 36, p.name, sizeof(p.name));
		ret = fn(&p, arg);
	}
	free(g.entries);
	return ret;
}

static void efi_print(struct blk_desc *dev)
{
	char name[72], type[40], uuid[40];
	struct gpt g;

	if (gpt_load(dev, &g, false))
		return;
	printf("Part\tStart LBA\tEnd LBA\t\tName\n");
	printf("\tAttributes\n");
	printf("\tType GUID\n");
	printf("\tPartition GUID\n");
	for (uint32_t i = 0; i < g.num; i++) {
		const uint8_t *e = g.entries + (size_t)i * g.esz;

		if (guid_is_zero(e))
			continue;
		utf16le_to_utf8(e + 56, 36, name, sizeof(name));
		guid_to_str(e, type, sizeof(type));
		guid_to_str(e + 16, uuid, sizeof(uuid));
		printf("%3u\t0x%08llx\t0x%08llx\t\"%s\"\n", i + 1,
		       (unsigned long long)get_le64(e + 32), (unsigned long long)get_le64(e + 40),
		       name);
		printf("\tattrs:\t0x%016llx\n", (unsigned long long)get_le64(e + 48));
		printf("\ttype:\t%s\n", type);
		printf("\tguid:\t%s\n", uuid);
	}
	free(g.entries);
}

/* No table found: if the disk has a protective MBR, print why its GPT is unusable. */
static void efi_explain(struct blk_desc *dev)
{
	struct gpt g;

	if (!gpt_load(dev, &g, false))
		free(g.entries);
}

const struct part_driver part_driver_efi = {
    .name = "efi",
    .title = "EFI",
    .test = efi_test,
    .walk = efi_walk,
    .print = efi_print,
    .explain = efi_explain,
};
