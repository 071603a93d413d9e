// SPDX-License-Identifier: MIT
/*
 * Generic filesystem layer with U-Boot's calling convention: select a
 * device/partition (which probes ext4, then FAT), then ls/read/size. Output
 * formats follow U-Boot's generic ls so scripts and users see the same text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/bootstage.h>
#include <pvboot/log.h>
#include "fs_internal.h"

static const struct fs_driver *const fs_drivers[] = {
#ifdef CONFIG_FS_EXT4
    &fs_driver_ext4,
#endif
#ifdef CONFIG_FS_FAT
    &fs_driver_fat,
#endif
};

struct fs_mount {
	struct fs_vol vol;
	const struct fs_driver *drv;
	void *priv;
};

/* What the commands work on (fs_set_blk_dev). */
static struct fs_mount cur;

static void mount_close(struct fs_mount *m)
{
	if (m->drv && m->drv->close)
		m->drv->close(m->priv);
	m->drv = NULL;
	m->priv = NULL;
}

void fs_close(void)
{
	mount_close(&cur);
}

static int mount_probe_drivers(struct fs_mount *m, struct blk_desc *dev,
			       const struct disk_partition *part)
{
	int ret;

	m->vol.dev = dev;
	m->vol.start = part->start;
	m->vol.nblocks = part->size;
	m->vol.blksz = dev->blksz;
	m->vol.bytes = part->size * dev->blksz;
	for (const struct fs_driver *const *d = fs_drivers; d < fs_drivers + ARRAY_SIZE(fs_drivers);
	     d++) {
		ret = (*d)->probe(&m->vol, &m->priv);
		if (!ret) {
			m->drv = *d;
			return 0;
		}
		if (ret != -ENOENT)
			return ret; /* recognised but unusable: the driver said why */
	}
	return -ENOENT;
}

/* Probe, timed per partition (bootstage: "fs probe pvblock 0:1"). */
static int mount_probe(struct fs_mount *m, struct blk_desc *dev, const struct disk_partition *part)
{
	uint64_t t = bootstage_start();
	char name[32];
	int ret;

	if (!dev || !part || !dev->blksz || part->start >= dev->lba ||
	    part->size > dev->lba - part->start)
		return -EINVAL;
	ret = mount_probe_drivers(m, dev, part);
	snprintf(name, sizeof(name), "%s %d:%d", dev->if_type, dev->devnum, part->number);
	bootstage_done("fs probe", name, t);
	return ret;
}

/* The selected filesystem must not outlive its disk (rescan, hand-off). */
static void fs_device_removed(struct device *dev)
{
	if (cur.drv && &cur.vol.dev->dev == dev)
		fs_close();
}

static struct device_listener fs_listener = {.removed = fs_device_removed};

int fs_set_blk_dev_with_part(struct blk_desc *dev, const struct disk_partition *part)
{
	fs_close();
	device_listen(&fs_listener);
	return mount_probe(&cur, dev, part);
}

int fs_mount(struct blk_desc *dev, const struct disk_partition *part, struct fs_mount **out)
{
	struct fs_mount *m = calloc(1, sizeof(*m));
	int ret = m ? mount_probe(m, dev, part) : -ENOMEM;

	if (ret) {
		free(m);
		return ret;
	}
	*out = m;
	return 0;
}

void fs_unmount(struct fs_mount *m)
{
	if (m)
		mount_close(m);
	free(m);
}

const char *fs_mount_type(const struct fs_mount *m)
{
	return m->drv->name;
}

int fs_mount_stat(struct fs_mount *m, const char *path, enum fs_dt *type, uint64_t *size)
{
	return m->drv->stat(m->priv, path, type, size);
}

int fs_mount_ls(struct fs_mount *m, const char *path, fs_dir_cb cb, void *arg)
{
	return m->drv->ls(m->priv, path, cb, arg);
}

int fs_mount_read(struct fs_mount *m, const char *path, void *buf, uint64_t pos, uint64_t len,
		  uint64_t *actread)
{
	*actread = 0;
	return m->drv->read(m->priv, path, buf, pos, len, actread);
}

int fs_set_blk_dev(const char *iface, const char *dev_part_str)
{
	struct disk_partition info;
	struct blk_desc *dev;
	int ret;

	fs_close();
	ret = part_get_info_by_dev_and_part(iface, dev_part_str, &dev, &info);
	if (ret < 0)
		return ret;
	ret = fs_set_blk_dev_with_part(dev, &info);
	if (ret == -ENOENT)
		printf("** Unrecognized filesystem type **\n");
	return ret;
}

const char *fs_get_type_name(void)
{
	return cur.drv ? cur.drv->name : "unsupported";
}

static int fs_need(void)
{
	if (!cur.drv) {
		printf("** No filesystem selected **\n");
		return -ENODEV;
	}
	return 0;
}

int fs_uuid(char *buf, size_t len)
{
	int ret = fs_need();

	if (ret)
		return ret;
	if (!cur.drv->uuid)
		return -ENOSYS;
	return cur.drv->uuid(cur.priv, buf, len);
}

int fs_size(const char *path, uint64_t *size)
{
	enum fs_dt type;
	int ret = fs_need();

	if (ret)
		return ret;
	ret = cur.drv->stat(cur.priv, path, &type, size);
	if (!ret && type == FS_DT_DIR)
		return -EISDIR;
	return ret;
}

int fs_exists(const char *path)
{
	enum fs_dt type;
	uint64_t size;

	if (fs_need())
		return 0;
	return cur.drv->stat(cur.priv, path, &type, &size) == 0;
}

struct ls_count {
	int files, dirs;
};

static int ls_print(void *arg, const char *name, enum fs_dt type, uint64_t size)
{
	struct ls_count *c = arg;

	if (type == FS_DT_DIR) {
		printf("            %s/\n", name);
		c->dirs++;
	} else if (type == FS_DT_LNK) {
		printf("    <SYM>   %s\n", name);
		c->files++;
	} else {
		printf(" %8llu   %s\n", (unsigned long long)size, name);
		c->files++;
	}
	return 0;
}

int fs_ls(const char *path)
{
	struct ls_count c = {0, 0};
	int ret = fs_need();

	if (ret)
		return ret;
	ret = cur.drv->ls(cur.priv, path && *path ? path : "/", ls_print, &c);
	if (ret) {
		if (ret == -ENOENT || ret == -ENOTDIR)
			printf("** Can not find directory %s **\n", path);
		return ret;
	}
	printf("\n%d file(s), %d dir(s)\n\n", c.files, c.dirs);
	return 0;
}

int fs_read(const char *path, uintptr_t buf, uint64_t pos, uint64_t len, uint64_t *actread)
{
	uint64_t t = bootstage_start();
	int ret = fs_need();

	*actread = 0;
	if (ret)
		return ret;
	ret = cur.drv->read(cur.priv, path, phys_to_virt(buf), pos, len, actread);
	bootstage_done("load", path, t);
	if (ret == -ENOENT)
		printf("** File not found %s **\n", path);
	else if (ret == -EISDIR)
		printf("** %s is a directory **\n", path);
	else if (ret)
		printf("** Reading %s failed: error %d **\n", path, ret);
	return ret;
}

/* Why a write cannot start: read-only disk or filesystem. */
static int fs_need_writable(const char *path, bool can)
{
	int ret = fs_need();

	if (ret)
		return ret;
	if (cur.vol.dev->readonly) {
		printf("** %s %d is read-only: cannot change %s **\n", cur.vol.dev->if_type,
		       cur.vol.dev->devnum, path);
		return -EROFS;
	}
	if (!can) {
		printf("** Writing is not supported on %s filesystems **\n", cur.drv->name);
		return -ENOSYS;
	}
	return 0;
}

static void fs_write_error(const char *what, const char *path, int ret)
{
	if (ret == -ENOENT || ret == -ENOTDIR)
		printf("** %s %s: no such directory **\n", what, path);
	else if (ret == -EISDIR)
		printf("** %s %s: is a directory **\n", what, path);
	else if (ret == -EINVAL)
		printf("** %s %s: invalid file name **\n", what, path);
	else if (ret == -ENAMETOOLONG)
		printf("** %s %s: name too long **\n", what, path);
	else if (ret == -ENOSPC)
		printf("** %s %s: no space left on the filesystem **\n", what, path);
	else if (ret == -EFBIG)
		printf("** %s %s: too large for this filesystem **\n", what, path);
	else
		printf("** %s %s failed: error %d **\n", what, path, ret);
}

int fs_write(const char *path, const void *buf, uint64_t len)
{
	int ret = fs_need_writable(path, cur.drv && cur.drv->write);

	if (ret)
		return ret;
	ret = cur.drv->write(cur.priv, path, buf, len);
	if (ret)
		fs_write_error("Writing", path, ret);
	return ret;
}

int fs_unlink(const char *path)
{
	int ret = fs_need_writable(path, cur.drv && cur.drv->unlink);

	if (ret)
		return ret;
	ret = cur.drv->unlink(cur.priv, path);
	if (ret == -ENOENT)
		printf("** File not found %s **\n", path);
	else if (ret)
		fs_write_error("Deleting", path, ret);
	return ret;
}
