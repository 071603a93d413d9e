// SPDX-License-Identifier: MIT
/*
 * File access on a boot source, one fs_* call per selection (U-Boot's fs
 * semantics). A load is checked by the memory gate with the file's size and
 * reads no more than that size.
 */
#include <errno.h>
#include <stdio.h>
#include <pvboot/blk.h>
#include <pvboot/bootflow.h>
#include <pvboot/fs.h>
#include <pvboot/memgate.h>
#include <pvboot/timer.h>

struct blk_desc *bootsrc_dev(const struct boot_source *src)
{
	struct blk_desc *dev = blk_get_by_handle(src->dev_handle);

	if (!dev)
		printf("** %s: the disk is gone (disconnected or rescanned)\n", src->desc);
	return dev;
}

static int select_src(const struct boot_source *src)
{
	struct blk_desc *dev = bootsrc_dev(src);

	return dev ? fs_set_blk_dev_with_part(dev, &src->part) : -ENODEV;
}

bool bootsrc_exists(const struct boot_source *src, const char *path)
{
	return !src->load && !select_src(src) && fs_exists(path);
}

int bootsrc_load(const struct boot_source *src, const char *path, uintptr_t addr, uint64_t *len)
{
	uint64_t size, got, t0 = timer_us();
	int err;

	printf("Retrieving file: %s\n", path);
	if (src->load)
		return src->load(src, path, addr, len);
	err = select_src(src);
	if (!err)
		err = fs_size(path, &size);
	if (err) {
		printf("** %s: file %s not found\n", src->desc, path);
		return err ? err : -ENOENT;
	}
	err = mem_gate(addr, size, MEM_WRITE);
	if (!err)
		err = select_src(src);
	/*
	 * Exactly the bytes that were checked: the file may look different on
	 * the second lookup (a disk or backend can change under us), and a
	 * length of 0 would mean "to the end of the file", whatever that is now.
	 */
	got = 0;
	if (!err && size)
		err = fs_read(path, addr, 0, size, &got);
	if (err)
		return err;
	if (got != size) {
		printf("** %s: short read of %s (%llu of %llu bytes)\n", src->desc, path,
		       (unsigned long long)got, (unsigned long long)size);
		return -EIO;
	}
	print_rate(got, timer_us() - t0);
	*len = got;
	return 0;
}
