// SPDX-License-Identifier: MIT
/*
 * Partition layer: picks the table driver (GPT before MBR, since a GPT disk
 * also carries a protective MBR), whole-disk pseudo partition and U-Boot's
 * "iface dev[:part]" syntax. The drivers use only disk/part_read.c below
 * them, never this file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/bootstage.h>
#include <pvboot/get_le.h>
#include <pvboot/log.h>
#include "part_internal.h"

static const struct part_driver *const part_drivers[] = {
#ifdef CONFIG_PART_EFI
    &part_driver_efi,
#endif
#ifdef CONFIG_PART_DOS
    &part_driver_dos,
#endif
    NULL, /* built without either: every disk is a whole disk */
};

/* No table found: a driver may know why (a GPT behind a protective MBR that does not check out). */
static void explain_no_table(struct blk_desc *dev)
{
	for (const struct part_driver *const *d = part_drivers; *d; d++)
		if ((*d)->explain)
			(*d)->explain(dev);
}

static const struct part_driver *part_find_driver(struct blk_desc *dev)
{
	const struct part_driver *const *d;
	char name[32];
	uint64_t t;

	if (!dev || !dev->lba)
		return NULL;
	t = bootstage_start();
	for (d = part_drivers; *d; d++)
		if (!(*d)->test(dev))
			break;
	snprintf(name, sizeof(name), "%s %d", dev->if_type, dev->devnum);
	bootstage_done("part probe", name, t);
	return *d;
}

const char *part_type_name(struct blk_desc *dev)
{
	const struct part_driver *drv = part_find_driver(dev);

	return drv ? drv->name : NULL;
}

void part_whole_disk(struct blk_desc *dev, struct disk_partition *info)
{
	memset(info, 0, sizeof(*info));
	info->start = 0;
	info->size = dev->lba;
	info->blksz = dev->blksz;
	info->number = 0;
	snprintf(info->name, sizeof(info->name), "Whole Disk");
}

/*
 * A walk of the table with every entry checked: want > 0 looks for that
 * number (an entry of it that is out of range fails the walk with -EINVAL);
 * want 0 visits every entry in range.
 */
struct part_check {
	struct blk_desc *dev;
	int want;
	part_walk_fn fn;
	void *arg;
};

static int part_check_cb(struct disk_partition *p, void *arg)
{
	struct part_check *c = arg;
	struct blk_desc *dev = c->dev;

	if (c->want && p->number != c->want)
		return 0;
	/* A table may claim anything: never hand out a range past the disk. */
	if (!p->size || p->start >= dev->lba || p->size > dev->lba - p->start) {
		pr_err("** Partition %d (start %llu, %llu blocks) lies outside the disk (%llu "
		       "blocks) **\n",
		       p->number, (unsigned long long)p->start, (unsigned long long)p->size,
		       (unsigned long long)dev->lba);
		return c->want ? -EINVAL : 0;
	}
	p->blksz = dev->blksz;
	return c->fn(p, c->arg);
}

static int part_walk_drv(const struct part_driver *drv, struct blk_desc *dev, int want,
			 part_walk_fn fn, void *arg)
{
	struct part_check c = {.dev = dev, .want = want, .fn = fn, .arg = arg};

	return drv->walk(dev, part_check_cb, &c);
}

static int copy_cb(struct disk_partition *p, void *arg)
{
	*(struct disk_partition *)arg = *p;
	return 1;
}

/* Entry part (>= 1) of a table whose driver is already known. */
static int part_info_drv(const struct part_driver *drv, struct blk_desc *dev, int part,
			 struct disk_partition *info)
{
	int ret = part_walk_drv(drv, dev, part, copy_cb, info);

	return ret == 1 ? 0 : ret ?: -ENOENT;
}

int part_get_info(struct blk_desc *dev, int part, struct disk_partition *info)
{
	const struct part_driver *drv;

	if (part < 1)
		return -EINVAL;
	drv = part_find_driver(dev);
	if (!drv)
		return -ENOENT;
	return part_info_drv(drv, dev, part, info);
}

struct part_array {
	struct disk_partition *p;
	int n;
};

static int append_cb(struct disk_partition *p, void *arg)
{
	struct part_array *a = arg;

	if (a->n == PART_LIST_MAX)
		return 1;
	a->p[a->n++] = *p;
	return 0;
}

int part_list(struct blk_desc *dev, struct disk_partition **parts)
{
	const struct part_driver *drv = part_find_driver(dev);
	struct part_array a = {0};
	int ret;

	*parts = NULL;
	if (!drv)
		return 0;
	a.p = malloc(PART_LIST_MAX * sizeof(*a.p));
	if (!a.p)
		return -ENOMEM;
	ret = part_walk_drv(drv, dev, 0, append_cb, &a);
	if (ret < 0 || !a.n) {
		free(a.p);
		return ret < 0 ? ret : 0;
	}
	*parts = a.p;
	return a.n;
}

void part_print(struct blk_desc *dev)
{
	const struct part_driver *drv = part_find_driver(dev);

	if (!drv) {
		explain_no_table(dev);
		printf("## Unknown partition table type 0\n");
		return;
	}
	printf("\nPartition Map for %s device %d  --   Partition Type: %s\n\n", dev->if_type,
	       dev->devnum, drv->title);
	drv->print(dev);
}

/* U-Boot numbers devices and partitions in hex ("0:a" is partition 10). */
static int parse_hex_int(const char *s, size_t len, int *out)
{
	unsigned long v = 0;

	if (!len || len > 7)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = v * 16 + d;
	}
	*out = (int)v;
	return 0;
}

/* "auto": first bootable partition, else the first valid one. */
struct auto_arg {
	struct disk_partition first;
	struct disk_partition *info;
};

static int auto_cb(struct disk_partition *p, void *arg)
{
	struct auto_arg *a = arg;

	if (p->bootable) {
		*a->info = *p;
		return 1;
	}
	if (!a->first.number)
		a->first = *p;
	return 0;
}

static int part_auto(const struct part_driver *drv, struct blk_desc *dev,
		     struct disk_partition *info)
{
	struct auto_arg a = {.info = info};
	int ret = part_walk_drv(drv, dev, 0, auto_cb, &a);

	if (ret < 0)
		return ret;
	if (!ret) {
		if (!a.first.number)
			return -ENOENT;
		*info = a.first;
	}
	return info->number;
}

struct name_arg {
	const char *name;
	struct disk_partition *info;
};

static int name_cb(struct disk_partition *p, void *arg)
{
	struct name_arg *a = arg;

	if (strcmp(p->name, a->name))
		return 0;
	*a->info = *p;
	return 1;
}

static int part_by_name(struct blk_desc *dev, const char *name, struct disk_partition *info)
{
	const struct part_driver *drv = part_find_driver(dev);
	struct name_arg a = {.name = name, .info = info};

	return drv && part_walk_drv(drv, dev, 0, name_cb, &a) == 1 ? info->number : -ENOENT;
}

/* The partition number (0 = whole disk) or -errno. */
static int part_lookup(const char *iface, const char *dev_part_str, struct blk_desc **devp,
		       struct disk_partition *info)
{
	const char *sep, *part_str = NULL;
	struct blk_desc *dev;
	int devnum, part, ret;
	bool by_name = false;

	if (!iface || !dev_part_str || !*dev_part_str) {
		printf("** No device specified **\n");
		return -EINVAL;
	}
	sep = dev_part_str + strcspn(dev_part_str, ":#");
	if (!*sep) {
		sep = NULL;
	} else {
		by_name = *sep == '#';
		part_str = sep + 1;
	}
	if (parse_hex_int(dev_part_str, sep ? (size_t)(sep - dev_part_str) : strlen(dev_part_str),
			  &devnum)) {
		printf("** Bad device specification %s %s **\n", iface, dev_part_str);
		return -EINVAL;
	}
	dev = blk_get_dev(iface, devnum);
	if (!dev || !dev->lba) {
		printf("** Bad device specification %s %s **\n", iface, dev_part_str);
		return -ENODEV;
	}
	*devp = dev;

	if (by_name) {
		ret = part_by_name(dev, part_str, info);
		if (ret < 0)
			printf("** No partition named %s on %s %d **\n", part_str, iface, devnum);
		return ret;
	}
	/*
	 * As U-Boot: no table -> the whole disk; no partition given -> 1;
	 * "auto" -> the first bootable partition, else the first valid one.
	 */
	if (!part_str || !*part_str || !strcmp(part_str, "auto")) {
		const struct part_driver *drv = part_find_driver(dev);

		if (!drv) {
			part_whole_disk(dev, info);
			return 0;
		}
		if (part_str && *part_str) {
			ret = part_auto(drv, dev, info);
			if (ret < 0)
				printf("** No valid partitions found on %s %d **\n", iface, devnum);
			return ret;
		}
		part_str = "1";
	}
	if (parse_hex_int(part_str, strlen(part_str), &part)) {
		printf("** Bad partition specification %s %s **\n", iface, dev_part_str);
		return -EINVAL;
	}
	if (part == 0) {
		part_whole_disk(dev, info);
		return 0;
	}
	ret = part_get_info(dev, part, info);
	if (ret) {
		if (ret == -ENOENT && !part_find_driver(dev)) {
			explain_no_table(dev);
			printf("** No partition table - %s %d **\n", iface, devnum);
		} else
			printf("** Invalid partition %d **\n", part);
		return ret;
	}
	return part;
}

int part_get_info_by_dev_and_part(const char *iface, const char *dev_part_str,
				  struct blk_desc **devp, struct disk_partition *info)
{
	int ret = part_lookup(iface, dev_part_str, devp, info);

	return ret < 0 ? ret : 0; /* the number is in info->number */
}
