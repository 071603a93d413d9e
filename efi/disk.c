// SPDX-License-Identifier: MIT
/*
 * Disks as UEFI sees them: a handle for each block device and one for each
 * of its partitions, with a device path, BlockIO and DiskIO, and
 * SimpleFileSystem where pvboot recognises the filesystem (a disk without
 * a partition table is tried whole). The interfaces an image sees live in
 * pool memory; what they stand for (device, first block, size) is kept in
 * pvboot's heap and found again from the This pointer, so an image that
 * rewrites an interface or its Media cannot redirect a read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/fs.h>
#include <pvboot/log.h>
#include <pvboot/part.h>
#include "efi_internal.h"

/*
 * The vendor hardware node that starts a PV disk's path, followed by the
 * disk's number (UINT32): pvboot's own GUID, as no standard node names a
 * Xen virtual block device.
 */
#define PVBOOT_PV_DISK_GUID                                            \
	{                                                              \
		0xd65b25ae, 0x1f13, 0x4be8,                            \
		{                                                      \
			0xaf, 0x4f, 0x97, 0xc5, 0x46, 0x14, 0x58, 0x9b \
		}                                                      \
	}

#define ESP_GPT_TYPE "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"

struct efi_disk_ifaces {
	EFI_BLOCK_IO_PROTOCOL bio;
	EFI_BLOCK_IO_MEDIA media;
	EFI_DISK_IO_PROTOCOL dio;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL sfs;
};

static const EFI_GUID bio_guid = EFI_BLOCK_IO_PROTOCOL_GUID;
static const EFI_GUID dio_guid = EFI_DISK_IO_PROTOCOL_GUID;
static const EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static const EFI_GUID dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;

static struct efi_disk *disks, **disks_tail = &disks;

static struct efi_disk *find_bio(EFI_BLOCK_IO_PROTOCOL *p)
{
	for (struct efi_disk *d = disks; d; d = d->next)
		if (p && d->dev && &d->ifc->bio == p)
			return d;
	return NULL;
}

static struct efi_disk *find_dio(EFI_DISK_IO_PROTOCOL *p)
{
	for (struct efi_disk *d = disks; d; d = d->next)
		if (p && d->dev && &d->ifc->dio == p)
			return d;
	return NULL;
}

static struct efi_disk *find_sfs(EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *p)
{
	for (struct efi_disk *d = disks; d; d = d->next)
		if (p && d->dev && d->fs && &d->ifc->sfs == p)
			return d;
	return NULL;
}

static EFI_STATUS io_status(long ret)
{
	if (ret == -EROFS)
		return EFI_WRITE_PROTECTED;
	return ret < 0 ? EFI_DEVICE_ERROR : EFI_SUCCESS;
}

static EFI_STATUS EFIAPI bio_reset(EFI_BLOCK_IO_PROTOCOL *this, BOOLEAN extended)
{
	return find_bio(this) ? EFI_SUCCESS : EFI_INVALID_PARAMETER;
}

/* Whole blocks inside the disk or partition, as UEFI checks them. */
static EFI_STATUS bio_check(const struct efi_disk *d, UINT32 media, EFI_LBA lba, UINTN size,
			    const void *buf)
{
	uint64_t cnt;

	if (!d)
		return EFI_INVALID_PARAMETER;
	if (media != 0)
		return EFI_MEDIA_CHANGED;
	if (!buf)
		return EFI_INVALID_PARAMETER;
	if (size % d->dev->blksz)
		return EFI_BAD_BUFFER_SIZE;
	cnt = size / d->dev->blksz;
	if (lba > d->nblocks || cnt > d->nblocks - lba)
		return EFI_INVALID_PARAMETER;
	return EFI_SUCCESS;
}

/*
 * Read-ahead for sequential BlockIO reads. GRUB reads a file through
 * BlockIO in its disk cache's 32 KiB units, one after the other, each a
 * round trip to the backend: a sequential read smaller than the window
 * fills the whole window (or up to the end of the disk) in one request
 * and the reads that follow are copied from it. Any write drops it. The
 * window is in pvboot's heap, out of an image's reach, and freed with the
 * disks.
 */
#define READAHEAD_SIZE SZ_1M
static struct {
	uint8_t *buf;
	struct blk_desc *dev; /* NULL: buf holds nothing */
	uint64_t lba, cnt;    /* what buf holds, in device blocks */
	struct blk_desc *last_dev;
	uint64_t next; /* where the last read of last_dev ended */
	unsigned long fills, hits;
} ra;

static long readahead_read(struct blk_desc *dev, uint64_t lba, uint64_t cnt, void *buf)
{
	uint64_t n = READAHEAD_SIZE / dev->blksz;
	bool sequential = dev == ra.last_dev && lba == ra.next;
	long r;

	ra.last_dev = dev;
	ra.next = lba + cnt;
	if (ra.dev == dev && lba >= ra.lba && cnt <= ra.cnt && lba - ra.lba <= ra.cnt - cnt) {
		memcpy(buf, ra.buf + (lba - ra.lba) * dev->blksz, cnt * dev->blksz);
		ra.hits++;
		return (long)cnt;
	}
	if (!sequential || cnt >= n / 2 || (!ra.buf && !(ra.buf = malloc(READAHEAD_SIZE))))
		return blk_read(dev, lba, cnt, buf);
	n = MIN(n, dev->lba - lba); /* bio_check: lba + cnt <= dev->lba */
	ra.dev = NULL;
	r = blk_read(dev, lba, n, ra.buf);
	if (r < 0)
		return r;
	if ((uint64_t)r != n)
		return -EIO;
	ra.dev = dev;
	ra.lba = lba;
	ra.cnt = n;
	ra.fills++;
	memcpy(buf, ra.buf, cnt * dev->blksz);
	return (long)cnt;
}

static void readahead_drop(void)
{
	ra.dev = NULL;
}

static EFI_STATUS EFIAPI bio_read(EFI_BLOCK_IO_PROTOCOL *this, UINT32 media, EFI_LBA lba,
				  UINTN size, VOID *buf)
{
	struct efi_disk *d = find_bio(this);
	EFI_STATUS ret = bio_check(d, media, lba, size, buf);

	if (ret || !size)
		return ret;
	return io_status(readahead_read(d->dev, d->start + lba, size / d->dev->blksz, buf));
}

static EFI_STATUS EFIAPI bio_write(EFI_BLOCK_IO_PROTOCOL *this, UINT32 media, EFI_LBA lba,
				   UINTN size, VOID *buf)
{
	struct efi_disk *d = find_bio(this);
	EFI_STATUS ret = bio_check(d, media, lba, size, buf);

	if (ret)
		return ret;
	if (d->dev->readonly)
		return EFI_WRITE_PROTECTED;
	if (!size)
		return EFI_SUCCESS;
	readahead_drop();
	return io_status(blk_write(d->dev, d->start + lba, size / d->dev->blksz, buf));
}

static EFI_STATUS EFIAPI bio_flush(EFI_BLOCK_IO_PROTOCOL *this)
{
	struct efi_disk *d = find_bio(this);

	if (!d)
		return EFI_INVALID_PARAMETER;
	return d->dev->readonly ? EFI_SUCCESS : io_status(blk_flush(d->dev));
}

/* Byte range inside the disk or partition. */
static EFI_STATUS dio_check(const struct efi_disk *d, UINT32 media, UINT64 off, UINTN size,
			    const void *buf)
{
	uint64_t bytes;

	if (!d)
		return EFI_INVALID_PARAMETER;
	if (media != 0)
		return EFI_MEDIA_CHANGED;
	bytes = d->nblocks * d->dev->blksz;
	if (off > bytes || size > bytes - off)
		return EFI_INVALID_PARAMETER;
	return size && !buf ? EFI_INVALID_PARAMETER : EFI_SUCCESS;
}

static EFI_STATUS EFIAPI dio_read(EFI_DISK_IO_PROTOCOL *this, UINT32 media, UINT64 off, UINTN size,
				  VOID *buf)
{
	struct efi_disk *d = find_dio(this);
	EFI_STATUS ret = dio_check(d, media, off, size, buf);

	if (ret || !size)
		return ret;
	return io_status(
	    blk_pread(d->dev, d->start * d->dev->blksz + off, buf, size, BLK_READ_DATA));
}

/* Partial blocks are read, changed and written back one at a time. */
static EFI_STATUS EFIAPI dio_write(EFI_DISK_IO_PROTOCOL *this, UINT32 media, UINT64 off, UINTN size,
				   VOID *buf)
{
	struct efi_disk *d = find_dio(this);
	EFI_STATUS ret = dio_check(d, media, off, size, buf);
	unsigned int bs;
	const uint8_t *src = buf;
	uint8_t *blk;
	long r = 0;

	if (ret || !size)
		return ret;
	if (d->dev->readonly)
		return EFI_WRITE_PROTECTED;
	readahead_drop();
	bs = d->dev->blksz;
	blk = malloc(bs);
	if (!blk)
		return EFI_OUT_OF_RESOURCES;
	while (size && r >= 0) {
		uint64_t lba = d->start + off / bs;
		size_t skip = off % bs, n = MIN((size_t)bs - skip, size);

		if (!skip && n == bs)
			memcpy(blk, src, bs);
		else
			r = blk_read(d->dev, lba, 1, blk);
		if (r >= 0) {
			memcpy(blk + skip, src, n);
			r = blk_write(d->dev, lba, 1, blk);
		}
		off += n;
		src += n;
		size -= n;
	}
	free(blk);
	return io_status(r);
}

static EFI_STATUS EFIAPI sfs_open_volume(EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *this,
					 EFI_FILE_PROTOCOL **root)
{
	struct efi_disk *d = find_sfs(this);

	if (!d || !root)
		return EFI_INVALID_PARAMETER;
	return efi_file_open_root(d, root);
}

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" as GPT stores it (the first three fields little-endian).
 */
static bool parse_guid(const char *s, uint8_t out[16])
{
	static const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
	unsigned int i = 0;

	for (const char *p = s; *p && i < 32; p++) {
		unsigned int v;

		if (*p == '-')
			continue;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			v = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			v = *p - 'A' + 10;
		else
			return false;
		if (i % 2 == 0)
			out[order[i / 2]] = v << 4;
		else
			out[order[i / 2]] |= v;
		i++;
	}
	return i == 32 && strlen(s) == 36;
}

/* HD(number, MBR|GPT, signature, start, size), as UEFI names a partition. */
static void add_hd_node(struct efi_dp_buf *b, struct blk_desc *dev, const struct disk_partition *p)
{
	const char *table = part_type_name(dev);
	HARDDRIVE_DEVICE_PATH hd = {
	    .PartitionNumber = p->number,
	    .PartitionStart = p->start,
	    .PartitionSize = p->size,
	};
	unsigned long sig;

	if (table && !strcmp(table, "efi") && parse_guid(p->uuid, hd.Signature)) {
		hd.MBRType = MBR_TYPE_EFI_PARTITION_TABLE_HEADER;
		hd.SignatureType = SIGNATURE_TYPE_GUID;
	} else {
		/* MBR: the disk signature ("<disksig>-<nn>"). */
		sig = strtoul(p->uuid, NULL, 16);
		memcpy(hd.Signature, &(UINT32){sig}, sizeof(UINT32));
		hd.MBRType = MBR_TYPE_PCAT;
		hd.SignatureType = SIGNATURE_TYPE_MBR;
	}
	/* The node is 42 bytes; gnu-efi's struct is padded to 48. */
	efi_dp_add(b, MEDIA_DEVICE_PATH, MEDIA_HARDDRIVE_DP, &hd.PartitionNumber,
		   offsetof(HARDDRIVE_DEVICE_PATH, SignatureType) + 1 - sizeof(EFI_DEVICE_PATH));
}

static void disk_free(struct efi_disk *d)
{
	fs_unmount(d->fs);
	free(d);
}

/* One handle: the disk (p->number 0) or a partition of it. */
static EFI_STATUS add_disk(struct blk_desc *dev, const struct disk_partition *p, bool try_fs)
{
	static const EFI_GUID vendor = PVBOOT_PV_DISK_GUID;
	struct {
		EFI_GUID guid;
		UINT32 devnum;
	} __packed ven = {vendor, dev->devnum};
	struct efi_disk *d = calloc(1, sizeof(*d));
	struct efi_dp_buf *b = calloc(1, sizeof(*b));
	EFI_STATUS ret = EFI_OUT_OF_RESOURCES;

	if (!d || !b || efi_pool_alloc(EfiBootServicesData, sizeof(*d->ifc), (void **)&d->ifc))
		goto fail;
	d->dev = dev;
	d->start = p->start;
	d->nblocks = p->size;
	d->part = p->number;
	efi_dp_add(b, HARDWARE_DEVICE_PATH, HW_VENDOR_DP, &ven, sizeof(ven));
	if (p->number)
		add_hd_node(b, dev, p);
	d->dp = efi_dp_finish(b);
	if (!d->dp)
		goto fail;
	d->esp = !strcmp(p->type, "0xef") || !strcmp(p->type, ESP_GPT_TYPE);
	d->ifc->media = (EFI_BLOCK_IO_MEDIA){
	    .MediaPresent = 1,
	    .LogicalPartition = p->number != 0,
	    .ReadOnly = dev->readonly,
	    .BlockSize = dev->blksz,
	    .IoAlign = 0,
	    .LastBlock = p->size - 1,
	    .LogicalBlocksPerPhysicalBlock = 1,
	};
	d->ifc->bio = (EFI_BLOCK_IO_PROTOCOL){EFI_BLOCK_IO_PROTOCOL_REVISION3,
					      &d->ifc->media,
					      bio_reset,
					      bio_read,
					      bio_write,
					      bio_flush};
	d->ifc->dio = (EFI_DISK_IO_PROTOCOL){EFI_DISK_IO_PROTOCOL_REVISION, dio_read, dio_write};
	d->ifc->sfs = (EFI_SIMPLE_FILE_SYSTEM_PROTOCOL){EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_REVISION,
							sfs_open_volume};
	if (try_fs && fs_mount(dev, p, &d->fs))
		d->fs = NULL; /* no filesystem pvboot knows: BlockIO only */
	ret = efi_install_protocol(&d->handle, &dp_guid, d->dp);
	if (!ret)
		ret = efi_install_protocol(&d->handle, &bio_guid, &d->ifc->bio);
	if (!ret)
		ret = efi_install_protocol(&d->handle, &dio_guid, &d->ifc->dio);
	if (!ret && d->fs)
		ret = efi_install_protocol(&d->handle, &sfs_guid, &d->ifc->sfs);
	if (ret)
		goto fail;
	free(b);
	*disks_tail = d;
	disks_tail = &d->next;
	return EFI_SUCCESS;
fail:
	/* Pool memory and a half-made handle go with the rest at teardown. */
	if (d)
		fs_unmount(d->fs);
	free(d);
	free(b);
	return ret;
}

/*
 * A disk the registry removes (its backend went away, a rescan) must not stay
 * reachable through the handles images hold: its protocols answer "no
 * medium" from then on, and its filesystem is closed now.
 */
static void efi_disk_removed(struct device *dev)
{
	for (struct efi_disk *d = disks; d; d = d->next) {
		if (!d->dev || &d->dev->dev != dev)
			continue;
		fs_unmount(d->fs);
		d->fs = NULL;
		d->dev = NULL;
		d->ifc->media.MediaPresent = FALSE;
	}
}

static struct device_listener efi_disk_listener = {.removed = efi_disk_removed};

EFI_STATUS efi_disks_init(void)
{
	struct disk_partition p, *parts;
	EFI_STATUS ret = EFI_SUCCESS;

	device_listen(&efi_disk_listener);
	for (struct blk_desc *dev = blk_next(0); dev && !ret; dev = blk_next(dev->dev.handle)) {
		int n = part_list(dev, &parts);

		part_whole_disk(dev, &p);
		ret = add_disk(dev, &p, !part_type_name(dev));
		for (int i = 0; i < n && !ret; i++)
			ret = add_disk(dev, &parts[i], true);
		free(parts);
	}
	return ret;
}

void efi_disks_exit(void)
{
	if (ra.fills)
		pr_debug(
		    "EFI: BlockIO read-ahead: %lu reads of %lu KiB, %lu reads served from them\n",
		    ra.fills, READAHEAD_SIZE >> 10, ra.hits);
	free(ra.buf);
	memset(&ra, 0, sizeof(ra));
	while (disks) {
		struct efi_disk *d = disks;

		disks = d->next;
		disk_free(d);
	}
	disks_tail = &disks;
}

struct efi_disk *efi_disk_find(struct blk_desc *dev, int part)
{
	for (struct efi_disk *d = disks; d; d = d->next)
		if (d->dev == dev && d->part == part)
			return d;
	return NULL;
}

struct efi_disk *efi_disk_first(void)
{
	return disks;
}
