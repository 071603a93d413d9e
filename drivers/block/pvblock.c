// SPDX-License-Identifier: MIT
/*
 * Xen PV block frontend (blkfront), the driver: connect each device/vbd/<id>
 * (pvblock_xs.c negotiates), register it as a block device with the device
 * registry, which owns it from then on, and serve the block layer's reads,
 * writes and flushes through pvblock_io.c. When the data path finds the
 * backend gone, the driver follows it to Closed and lets go of the ring
 * here, once the transfer has returned; the disk stays registered, failed,
 * until the registry removes it (rescan, hand-off).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/bootstage.h>
#include <pvboot/errstr.h>
#include <pvboot/log.h>
#include <pvboot/xen/gnttab.h>
#include <pvboot/xen/xenstore.h>
#include "pvblock_priv.h"

#ifdef CONFIG_PVBLOCK_PERSISTENT
#define PVBLOCK_DEFAULT_PERSISTENT true
#else
#define PVBLOCK_DEFAULT_PERSISTENT false
#endif

/* What the next probe uses: the Kconfig default until a rescan chooses. */
static struct pvblock_options pvblock_opts = {.persistent = PVBLOCK_DEFAULT_PERSISTENT};

static struct pvblock_dev *to_pv(struct blk_desc *blk)
{
	return container_of(blk, struct pvblock_dev, blk);
}

static const char *pv_name(struct pvblock_dev *d)
{
	return d->xb.nodename;
}

/* ---- ring ------------------------------------------------------------------ */

static int pvblock_alloc_ring(struct pvblock_dev *d)
{
	size_t size = PAGE_SIZE << d->ring_order;
	unsigned int i;
	int ret;

	d->ring_mem = arch_shared_alloc(size);
	if (!d->ring_mem)
		return -ENOMEM;
	SHARED_RING_INIT((blkif_sring_t *)d->ring_mem);
	FRONT_RING_INIT(&d->ring, (blkif_sring_t *)d->ring_mem, size);
	for (i = 0; i < (1u << d->ring_order); i++) {
		ret = gnttab_grant_access(
		    d->xb.otherend_id, virt_to_pfn((uint8_t *)d->ring_mem + i * PAGE_SIZE), false);
		if (ret < 0)
			return ret;
		d->ring_ref[i] = ret;
		d->nr_ring_refs++;
	}
	ret = evtchn_alloc_unbound(d->xb.otherend_id, &d->port);
	if (ret)
		return ret;
	d->port_open = true;
	return 0;
}

/* Only once the backend has let go of the ring (Closed), or it never mapped it. */
static void pvblock_free_ring(struct pvblock_dev *d)
{
	bool leaked = false;

	if (d->port_open) {
		evtchn_close(d->port);
		d->port_open = false;
	}
	while (d->nr_ring_refs)
		if (pvblock_end_grant(d, d->ring_ref[--d->nr_ring_refs]))
			leaked = true;
	if (!leaked && d->ring_mem)
		arch_shared_free(d->ring_mem, PAGE_SIZE << d->ring_order);
	d->ring_mem = NULL;
}

/* ---- block operations ------------------------------------------------------ */

static void pvblock_release(struct pvblock_dev *d);

/*
 * The backend is closing (xl block-detach, dom0 shutting down): follow it
 * to Closed so that it can free its side, and let go of ours. Only between
 * transfers, never from inside the data path.
 */
static void pvblock_let_go(struct pvblock_dev *d)
{
	if (d->connected)
		pvblock_xs_disconnect(d);
	pvblock_release(d);
}

static int pvblock_check_usable(struct pvblock_dev *d)
{
	int gone;

	if (d->failed) {
		pr_err("pvblock %d: device failed earlier, no I/O\n", d->blk.devnum);
		return -EIO;
	}
	if (!d->connected)
		return -ENODEV;
	/* A backend that is closing (xl block-detach) still answers: do not use it. */
	gone = xenbus_otherend_changed(&d->xb) ? xenbus_otherend_gone(&d->xb) : 0;
	if (gone < 0)
		return gone; /* Ctrl-C */
	if (gone) {
		pr_err("pvblock %d: backend is closing (disk detached?)\n", d->blk.devnum);
		d->backend_gone = true;
		pvblock_mark_failed(d, "backend closed the device");
		pvblock_let_go(d);
		return -ENODEV;
	}
	return 0;
}

/* After a transfer: a backend the data path found gone is let go of now. */
static int pvblock_after(struct pvblock_dev *d, int ret)
{
	if (d->backend_gone && d->connected)
		pvblock_let_go(d);
	return ret;
}

static long pvblock_rw(struct pvblock_dev *d, uint8_t op, uint64_t lba, uint64_t cnt, void *buf)
{
	uint64_t sector = lba * (d->blk.blksz >> BLKIF_SECTOR_SHIFT);
	size_t len = cnt * d->blk.blksz;
	int ret = pvblock_check_usable(d);

	if (ret)
		return ret;
	ret = pvblock_after(d, pvblock_transfer(d, op, sector, buf, len));
	if (ret)
		return ret;
	d->st.bytes += len;
	return (long)cnt;
}

static long pvblock_read(struct blk_desc *blk, uint64_t lba, uint64_t cnt, void *buf)
{
	return pvblock_rw(to_pv(blk), BLKIF_OP_READ, lba, cnt, buf);
}

static int pvblock_read_runs(struct blk_desc *blk, const struct blk_run *runs, unsigned int n)
{
	struct pvblock_dev *d = to_pv(blk);
	unsigned int shift = __builtin_ctz(blk->blksz), i;
	struct pvblock_span *sp;
	uint64_t bytes = 0;
	int ret = pvblock_check_usable(d);

	if (ret)
		return ret;
	sp = malloc((size_t)n * sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		/* The layer checked each run against the device and SIZE_MAX. */
		sp[i] = (struct pvblock_span){
		    .sector = runs[i].lba << (shift - BLKIF_SECTOR_SHIFT),
		    .buf = runs[i].buf,
		    .len = (size_t)runs[i].cnt << shift,
		};
		bytes += sp[i].len;
	}
	ret = pvblock_after(d, pvblock_read_spans(d, sp, n));
	free(sp);
	if (!ret)
		d->st.bytes += bytes;
	return ret;
}

static long pvblock_write(struct blk_desc *blk, uint64_t lba, uint64_t cnt, const void *buf)
{
	struct pvblock_dev *d = to_pv(blk);

	if (d->readonly) {
		pr_err("pvblock %d: disk is read-only (backend mode 'r'): write refused\n",
		       blk->devnum);
		return -EROFS;
	}
	return pvblock_rw(d, BLKIF_OP_WRITE, lba, cnt, (void *)buf);
}

static int pvblock_flush(struct blk_desc *blk)
{
	struct pvblock_dev *d = to_pv(blk);
	int ret = pvblock_check_usable(d);

	if (ret)
		return ret;
	if (d->readonly || !(d->flush_cache || d->barrier))
		return 0; /* the backend's writes are not cached */
	ret = pvblock_after(d, pvblock_flush_cache(d));
	if (ret == -EOPNOTSUPP) {
		/* Offered, then refused (as Linux's blkfront, stop asking). */
		pr_warn("pvblock %d: backend refused the flush; flushes disabled\n", blk->devnum);
		d->flush_cache = d->barrier = false;
		ret = 0;
	}
	return ret;
}

static const struct blk_ops pvblock_ops = {
    .read = pvblock_read,
    .read_runs = pvblock_read_runs,
    .write = pvblock_write,
    .flush = pvblock_flush,
};

/* ---- device lifetime ------------------------------------------------------- */

static void pvblock_release(struct pvblock_dev *d)
{
	xenbus_device_exit(&d->xb);
	d->leaked = 0;
	pvblock_free_slots(d);
	pvblock_free_pool(d);
	pvblock_free_ring(d);
	if (d->leaked)
		pr_err("pvblock %d: the backend still maps %u of our pages: they stay granted to "
		       "it (quarantined), and an OS cannot be started safely\n",
		       d->blk.devnum, d->leaked);
}

/*
 * The first half of the handshake: offer the ring and go Initialised. The
 * backend's half (map the ring, open the device) runs in dom0 meanwhile:
 * every disk is started before any is waited for (pvblock_finish).
 */
static int pvblock_start(struct pvblock_dev *d)
{
	int ret;

	ret = pvblock_xs_wait_backend(d);
	if (ret)
		return ret;
	ret = pvblock_xs_read_features(d);
	if (ret)
		return ret;
	d->segs_per_req = d->max_indirect ? MIN(d->max_indirect, PVBLOCK_MAX_SEGS)
					  : BLKIF_MAX_SEGMENTS_PER_REQUEST;
	ret = pvblock_alloc_ring(d);
	if (ret) {
		pr_err("pvblock: %s: cannot set up the ring: %s\n", pv_name(d), errno_str(ret));
		return ret;
	}
	return pvblock_xs_publish(d);
}

/* The second half: wait for the backend's Connected. */
static int pvblock_finish(struct pvblock_dev *d)
{
	int ret = pvblock_xs_connect(d);

	if (ret)
		return ret;
	/* Slots after Connected: persistent grants are known only now. Pool at first use. */
	ret = pvblock_alloc_slots(d);
	if (ret)
		pr_err("pvblock: %s: cannot allocate requests: %s\n", pv_name(d), errno_str(ret));
	return ret;
}

/*
 * Stop a disk for the registry (rescan, hand-off): write back the backend's
 * cache, give the backend back so that the next frontend (the OS's) starts
 * from scratch, end every grant. A disk whose backend already left was let
 * go of then; only its memory is left, for pvblock_free.
 */
static int pvblock_remove(struct device *dev)
{
	struct pvblock_dev *d = container_of(dev, struct pvblock_dev, blk.dev);
	int err = 0, ret;

	pvblock_settle(d); /* nothing of ours in flight when the grants end */
	if (d->connected && !d->failed && !d->readonly) {
		ret = pvblock_flush(&d->blk);
		if (ret)
			pr_err("pvblock %d: flush before disconnecting failed: %s\n", d->blk.devnum,
			       errno_str(ret));
		err = ret;
	}
	if (d->connected) {
		ret = pvblock_xs_disconnect(d);
		err = err ?: ret;
	}
	pvblock_release(d);
	return err;
}

static void pvblock_free(struct device *dev)
{
	free(container_of(dev, struct pvblock_dev, blk.dev));
}

static const struct device_driver pvblock_driver = {
    .name = "pvblock",
    .flags = DEVICE_FLAG_OS_PREPARE,
    .remove = pvblock_remove,
    .free = pvblock_free,
};

/* A disk that did not connect: give the backend back, end our grants. */
static void pvblock_discard(struct pvblock_dev *d, int err)
{
	pr_err("pvblock: %s: not connected (%s), disk skipped\n", pv_name(d), errno_str(err));
	if (d->keys_written)
		pvblock_xs_disconnect(d);
	pvblock_release(d);
	free(d);
}

/* Start the handshake of device/vbd/<id>; NULL (reported) if it failed. */
static struct pvblock_dev *pvblock_start_one(const char *id, const struct pvblock_options *opts)
{
	struct pvblock_dev *d = calloc(1, sizeof(*d));
	int ret;

	if (!d)
		return NULL;
	d->t_start = bootstage_start();
	ret = xenbus_device_init(&d->xb, "vbd", id);
	if (ret) {
		pr_err("pvblock: device/vbd/%s: %s\n", id, errno_str(ret));
		free(d);
		return NULL;
	}
	d->handle = (blkif_vdev_t)strtoul(d->xb.devid, NULL, 10);
	d->want_persistent = opts->persistent;
	ret = pvblock_start(d);
	if (ret) {
		pvblock_discard(d, ret);
		return NULL;
	}
	return d;
}

/* Finish the handshake of a started disk and register it (or let it go). */
static void pvblock_finish_one(struct pvblock_dev *d)
{
	char name[24];
	int ret = pvblock_finish(d);

	if (ret) {
		pvblock_discard(d, ret);
		return;
	}
	d->blk.dev.drv = &pvblock_driver;
	d->blk.if_type = "pvblock";
	d->blk.devnum = -1; /* the lowest free number: XenStore's order after a rescan */
	d->blk.blksz = d->sector_size;
	d->blk.lba = d->sectors / (d->sector_size >> BLKIF_SECTOR_SHIFT);
	d->blk.readonly = d->readonly;
	d->blk.ops = &pvblock_ops;
	d->blk.priv = d;
	snprintf(d->blk.vendor, sizeof(d->blk.vendor), "Xen");
	snprintf(d->blk.product, sizeof(d->blk.product), "Virtual disk %s", d->xb.devid);
	snprintf(d->blk.revision, sizeof(d->blk.revision), "1");
	ret = blk_register(&d->blk);
	if (ret) {
		pvblock_discard(d, ret);
		return;
	}
	/* The registry owns it from here. */
	snprintf(name, sizeof(name), "pvblock %s", d->xb.devid);
	bootstage_done(name, "connected", d->t_start);
}

/*
 * Connect every device/vbd/<id> with opts; a disk that fails is reported and
 * skipped. All frontends are offered first, then all backends waited for:
 * the backends connect at the same time instead of one after the other.
 * Each wait stays bounded (CONFIG_XEN_WAIT_TIMEOUT_MS, Ctrl-C).
 */
static int pvblock_probe_all(const struct pvblock_options *opts)
{
	struct pvblock_dev **started;
	char **ids = NULL;
	unsigned int n = 0, i;
	int ret;

	pvblock_opts = *opts;
	ret = xenbus_list_devices("vbd", &ids, &n);
	if (ret == -ENOENT || (!ret && !n)) {
		pr_info("pvblock: no PV disks\n");
		return 0;
	}
	if (ret) {
		pr_err("pvblock: cannot list device/vbd: %s\n", errno_str(ret));
		return ret;
	}
	// NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
	started = calloc(n, sizeof(*started));
	if (!started) {
		xenstore_free_list(ids, n);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		started[i] = pvblock_start_one(ids[i], opts);
	/* In XenStore's order: disk numbers do not depend on which backend was quicker. */
	for (i = 0; i < n; i++)
		if (started[i])
			pvblock_finish_one(started[i]);
	free(started);
	xenstore_free_list(ids, n);
	return 0; /* a disk that failed was reported and skipped: not fatal for boot */
}

int pvblock_init(void)
{
	return pvblock_probe_all(&pvblock_opts);
}

int pvblock_warm_up_all(void)
{
	for (struct blk_desc *b = blk_next(0); b; b = blk_next(b->dev.handle))
		if (b->dev.drv == &pvblock_driver)
			pvblock_warm_up(to_pv(b));
	return 0;
}

int pvblock_rescan(const struct pvblock_options *opts)
{
	int ret = device_remove_driver(&pvblock_driver);

	if (ret)
		pr_warn("pvblock: disconnect before rescan: %s\n", errno_str(ret));
	ret = pvblock_probe_all(opts ? opts : &pvblock_opts);
	return ret < 0 ? ret : (int)device_count(DEVICE_CLASS_BLK, "pvblock");
}

void pvblock_get_options(struct pvblock_options *opts)
{
	*opts = pvblock_opts;
}

int pvblock_get_stats(struct blk_desc *blk, struct pvblock_stats *st)
{
	if (!blk || blk->dev.drv != &pvblock_driver || !st)
		return -EINVAL;
	*st = to_pv(blk)->st;
	return 0;
}

void pvblock_print_info(struct blk_desc *blk)
{
	struct pvblock_dev *d = to_pv(blk);
	uint64_t bytes = blk->lba * blk->blksz;

	printf("  Device %d: Vendor: %s Prod.: %s Rev: %s\n", blk->devnum, blk->vendor,
	       blk->product, blk->revision);
	printf("            Type: Hard Disk%s\n", d->readonly ? " (read-only)" : "");
	printf("            Capacity: %llu.%llu MB = %llu.%llu GB (%llu x %u)\n",
	       (unsigned long long)(bytes >> 20),
	       (unsigned long long)(((bytes & (SZ_1M - 1)) * 10) >> 20),
	       (unsigned long long)(bytes >> 30),
	       (unsigned long long)(((bytes & (SZ_1G - 1)) * 10) >> 30),
	       (unsigned long long)blk->lba, blk->blksz);
	printf("            Xen: %s, backend %s (domain %u)%s\n", d->xb.nodename, d->xb.otherend,
	       d->xb.otherend_id, d->failed ? " FAILED" : "");
	printf("            ring: %u page(s), %u slots, %u segments/request%s%s%s%s\n",
	       1u << d->ring_order, d->nslots, d->segs_per_req, d->max_indirect ? ", indirect" : "",
	       d->persistent ? ", persistent" : "",
	       d->flush_cache ? ", flush" : (d->barrier ? ", barrier" : ""),
	       d->discard ? ", discard" : "");
	printf("            requests: %llu, bytes: %llu, errors: %llu, max in flight: %u\n",
	       (unsigned long long)d->st.requests, (unsigned long long)d->st.bytes,
	       (unsigned long long)d->st.errors, d->st.max_inflight);
	printf("            bounce copies: %llu (%llu bytes), persistent-pool copies: %llu (%llu "
	       "bytes)\n",
	       (unsigned long long)d->st.bounce_copies, (unsigned long long)d->st.bounce_bytes,
	       (unsigned long long)d->st.pool_copies, (unsigned long long)d->st.pool_bytes);
}
