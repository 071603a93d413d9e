// SPDX-License-Identifier: MIT
/*
 * The environment in a file on a FAT partition, as U-Boot's ENV_IS_IN_FAT:
 * CONFIG_ENV_FAT_INTERFACE / _DEVICE_AND_PART / _FILE (/ _FILE_REDUND),
 * each of which a variable of the same name in lower case overrides for
 * saveenv and env load (at power-on only the built-in values exist).
 * An empty device-and-partition means the first partition of disk 0 that
 * holds a FAT filesystem. FAT write replaces a file as a whole (the old or
 * the new one at any cut), which is what env_store.c relies on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/env.h>
#include <pvboot/env_store.h>
#include <pvboot/fs.h>
#include <pvboot/log.h>
#include <pvboot/part.h>

static char resolved[64]; /* "pvblock 0:1" once a partition was found */

static const char *setting(const char *var, const char *builtin)
{
	const char *v = env_get(var);

	return v && *v ? v : builtin;
}

static const char *file_of(int copy)
{
#ifdef CONFIG_ENV_REDUNDANT
	if (copy)
		return setting("env_fat_file_redund", CONFIG_ENV_FAT_FILE_REDUND);
#endif
	return setting("env_fat_file", CONFIG_ENV_FAT_FILE);
}

/*
 * Select the partition in the fs layer. -ENODEV: no such disk or no FAT
 * partition on it; -EMEDIUMTYPE: the partition named holds something else.
 */
static int select_partition(void)
{
	char *spec = resolved;
	size_t len = sizeof(resolved);

	const char *iface = setting("env_fat_interface", CONFIG_ENV_FAT_INTERFACE);
	const char *dp = setting("env_fat_device_and_part", CONFIG_ENV_FAT_DEVICE_AND_PART);
	struct disk_partition info, *parts;
	struct blk_desc *dev;
	int ret, n;

	if (*dp) {
		snprintf(spec, len, "%s %s", iface, dp);
		ret = fs_set_blk_dev(iface, dp);
		if (!ret && strcmp(fs_get_type_name(), "fat")) {
			fs_close();
			return -EMEDIUMTYPE;
		}
		return ret == -ENOENT ? -EMEDIUMTYPE : ret;
	}
	snprintf(spec, len, "%s 0", iface);
	dev = blk_get_dev(iface, 0);
	if (!dev)
		return -ENODEV;
	if (!part_type_name(dev)) {
		part_whole_disk(dev, &info);
		ret = fs_set_blk_dev_with_part(dev, &info);
		if (!ret && !strcmp(fs_get_type_name(), "fat")) {
			snprintf(spec, len, "%s 0:0", iface);
			return 0;
		}
		fs_close();
		return -ENODEV;
	}
	n = part_list(dev, &parts);
	for (int i = 0; i < n; i++) {
		if (!fs_set_blk_dev_with_part(dev, &parts[i]) &&
		    !strcmp(fs_get_type_name(), "fat")) {
			snprintf(spec, len, "%s 0:%x", iface, parts[i].number);
			free(parts);
			return 0;
		}
		fs_close();
	}
	free(parts);
	return n < 0 ? n : -ENODEV;
}

static int fat_env_read(int copy, void *buf, size_t size)
{
	const char *file = file_of(copy);
	uint64_t fsize, got;
	int ret = select_partition();

	if (ret)
		return ret;
	ret = fs_size(file, &fsize);
	if (!ret && fsize < size)
		ret = -EBADMSG; /* cut short: cannot hold a valid environment */
	if (!ret) {
		/* fs_read's messages would be noise here: env_load says it once. */
		ret = fs_read(file, (uintptr_t)buf, 0, size, &got);
		if (!ret && got != size)
			ret = -EIO;
	}
	fs_close();
	return ret == -EISDIR ? -ENOENT : ret;
}

static int fat_env_write(int copy, const void *buf, size_t size)
{
	int ret = select_partition();

	if (ret)
		return ret;
	ret = fs_write(file_of(copy), buf, size);
	fs_close();
	return ret;
}

static void fat_env_describe(int copy, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", resolved[0] ? resolved : "?", file_of(copy));
}

const struct env_location env_location_fat = {
    .name = "FAT",
    .read = fat_env_read,
    .write = fat_env_write,
    .describe = fat_env_describe,
};
