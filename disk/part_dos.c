// SPDX-License-Identifier: MIT
/*
 * MBR/DOS partition tables: four primary entries (numbered 1-4 whatever is
 * empty, as fdisk and U-Boot do) and logical partitions in the chain of
 * extended boot records (numbered from 5). The chain comes from the disk, so
 * its length and every record's position are bounded.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/get_le.h>
#include <pvboot/log.h>
#include "part_internal.h"

#define MBR_TABLE 446
#define MBR_SIG 440
#define DOS_MAX_LOGICAL 128

struct dos_entry {
	int number;
	uint64_t start; /* absolute, in device blocks */
	uint64_t size;
	uint8_t type;
	bool boot;
	bool extended;
};

/* Return non-zero to stop the walk; that value is returned by dos_walk(). */
typedef int (*dos_cb)(const struct dos_entry *e, void *arg);

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

static void dos_parse(const uint8_t *p, struct dos_entry *e)
{
	e->boot = p[0] == 0x80;
	e->type = p[4];
	e->start = get_le32(p + 8);
	e->size = get_le32(p + 12);
	e->extended = is_extended(e->type);
}

static bool dos_sector_valid(const uint8_t *b)
{
	if (b[510] != 0x55 || b[511] != 0xaa)
		return false;
	for (int i = 0; i < 4; i++) {
		uint8_t boot = b[MBR_TABLE + 16 * i];

		if (boot != 0 && boot != 0x80)
			return false;
	}
	return true;
}

/* A FAT boot sector also ends in 55 aa: a whole-disk FAT is not a table. */
static bool looks_like_fat_boot(const uint8_t *b)
{
	return !memcmp(b + 0x36, "FAT", 3) || !memcmp(b + 0x52, "FAT32", 5);
}

static int dos_walk_logical(struct blk_desc *dev, uint8_t *buf, uint64_t ext_start,
			    uint64_t ext_size, dos_cb cb, void *arg)
{
	uint64_t ebr = ext_start, seen[DOS_MAX_LOGICAL];
	int number = 5;

	for (int n = 0; n < DOS_MAX_LOGICAL; n++) {
		struct dos_entry e, next;
		int ret;

		for (int k = 0; k < n; k++) {
			// cppcheck-suppress uninitvar ; seen[0..n) was set by earlier rounds
			if (seen[k] == ebr) {
				pr_warn("MBR: extended boot record chain loops at block %llu, rest "
					"ignored\n",
					(unsigned long long)ebr);
				return 0;
			}
		}
		seen[n] = ebr;

		if (part_read_block(dev, ebr, buf) || !dos_sector_valid(buf)) {
			pr_warn("MBR: bad extended boot record at block %llu, chain ignored\n",
				(unsigned long long)ebr);
			return 0;
		}
		dos_parse(buf + MBR_TABLE, &e);
		dos_parse(buf + MBR_TABLE + 16, &next);
		if (e.type && !e.extended && e.size) {
			e.start += ebr;
			e.number = number++;
			ret = cb(&e, arg);
			if (ret)
				return ret;
		}
		if (!next.extended || !next.start)
			return 0;
		/* Next EBR is relative to the extended partition and must stay inside it. */
		if (next.start >= ext_size) {
			pr_warn("MBR: extended boot record chain leaves the extended partition\n");
			return 0;
		}
		ebr = ext_start + next.start;
	}
	pr_warn("MBR: more than %d logical partitions (loop?), rest ignored\n", DOS_MAX_LOGICAL);
	return 0;
}

static int dos_walk(struct blk_desc *dev, dos_cb cb, void *arg, uint32_t *disksig)
{
	uint8_t buf[PART_MAX_BLKSZ];
	struct dos_entry prim[4];
	int ret;

	ret = part_read_block(dev, 0, buf);
	if (ret)
		return ret;
	if (!dos_sector_valid(buf) || looks_like_fat_boot(buf) || part_mbr_is_protective(buf))
		return -ENOENT;
	if (disksig)
		*disksig = get_le32(buf + MBR_SIG);
	for (int i = 0; i < 4; i++) {
		dos_parse(buf + MBR_TABLE + 16 * i, &prim[i]);
		prim[i].number = i + 1;
	}
	for (int i = 0; i < 4; i++) {
		if (!prim[i].type)
			continue;
		ret = cb(&prim[i], arg);
		if (ret)
			return ret;
	}
	/* Only the first extended partition holds a chain (as Linux). */
	for (int i = 0; i < 4; i++)
		if (prim[i].extended && prim[i].size)
			return dos_walk_logical(dev, buf, prim[i].start, prim[i].size, cb, arg);
	return 0;
}

static int dos_test(struct blk_desc *dev)
{
	uint8_t buf[PART_MAX_BLKSZ];
	int ret = part_read_block(dev, 0, buf);

	if (ret)
		return ret;
	if (!dos_sector_valid(buf) || looks_like_fat_boot(buf) || part_mbr_is_protective(buf))
		return -ENOENT;
	return 0;
}

struct list_arg {
	part_walk_fn fn;
	void *arg;
	uint32_t sig;
};

static int list_cb(const struct dos_entry *e, void *arg)
{
	struct list_arg *la = arg;
	struct disk_partition p = {
	    .start = e->start,
	    .size = e->size,
	    .bootable = e->boot,
	    .number = e->number,
	};

	snprintf(p.type, sizeof(p.type), "0x%02x", e->type);
	snprintf(p.uuid, sizeof(p.uuid), "%08x-%02x", la->sig, e->number);
	return la->fn(&p, la->arg);
}

static int dos_list(struct blk_desc *dev, part_walk_fn fn, void *arg)
{
	struct list_arg la = {.fn = fn, .arg = arg};

	/* dos_walk sets the signature before the first entry: each uuid carries it. */
	return dos_walk(dev, list_cb, &la, &la.sig);
}

static int print_cb(const struct dos_entry *e, void *arg)
{
	uint32_t sig = *(uint32_t *)arg;

	printf("%3d\t%-10llu\t%-10llu\t%08x-%02x\t%02x%s%s\n", e->number,
	       (unsigned long long)e->start, (unsigned long long)e->size, sig, e->number, e->type,
	       e->extended ? " Extd" : "", e->boot ? " Boot" : "");
	return 0;
}

static void dos_print(struct blk_desc *dev)
{
	uint8_t buf[PART_MAX_BLKSZ];
	uint32_t sig;

	if (part_read_block(dev, 0, buf))
		return;
	sig = get_le32(buf + MBR_SIG);
	printf("Part\tStart Sector\tNum Sectors\tUUID\t\tType\n");
	dos_walk(dev, print_cb, &sig, NULL);
}

const struct part_driver part_driver_dos = {
    .name = "dos",
    .title = "DOS",
    .test = dos_test,
    .walk = dos_list,
    .print = dos_print,
};
