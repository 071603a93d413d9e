// SPDX-License-Identifier: MIT
/*
 * Xen PV block frontend, XenStore side: wait for the backend, read and
 * validate what it offers, publish our ring, go Connected, and undo it all
 * for the OS. Everything read from the backend's directory is untrusted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/errstr.h>
#include <pvboot/log.h>
#include <pvboot/xen/xenstore.h>
#include "pvblock_priv.h"

#define PVBLOCK_XS_RETRIES 10
#define PVBLOCK_MAX_SECTORS (1ULL << 54) /* 8 EiB: sectors * 512 cannot overflow */

#define STATE_BIT(s) (1u << (s))

static const char *pv_name(struct pvblock_dev *d)
{
	return d->xb.nodename;
}

/* Read backend key as unsigned; absent -> def. Malformed -> def with a warning. */
static uint64_t pvblock_be_u64(struct pvblock_dev *d, const char *key, uint64_t def, bool *present)
{
	char path[192];
	uint64_t v;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", d->xb.otherend, key);
	ret = xenstore_read_u64(XBT_NIL, path, &v);
	if (present)
		*present = ret == 0;
	if (ret == -ENOENT)
		return def;
	if (ret) {
		pr_warn("pvblock: %s: backend %s unreadable (%s), using %llu\n", pv_name(d), key,
			errno_str(ret), (unsigned long long)def);
		return def;
	}
	return v;
}

/* A feature flag is "0" or "1"; anything else is treated as absent. */
static bool pvblock_be_flag(struct pvblock_dev *d, const char *key)
{
	uint64_t v = pvblock_be_u64(d, key, 0, NULL);

	if (v > 1) {
		pr_warn("pvblock: %s: bogus %s = %llu, feature not used\n", pv_name(d), key,
			(unsigned long long)v);
		return false;
	}
	return v == 1;
}

int pvblock_xs_wait_backend(struct pvblock_dev *d)
{
	return xenbus_wait_backend_ready(&d->xb, "pvblock", CONFIG_XEN_WAIT_TIMEOUT_MS);
}

int pvblock_xs_read_features(struct pvblock_dev *d)
{
	uint64_t order, segs;

	order = pvblock_be_u64(d, "max-ring-page-order", 0, NULL);
	if (order > BLKIF_MAX_RING_ORDER) {
		pr_warn("pvblock: %s: backend max-ring-page-order %llu, taken as %u\n", pv_name(d),
			(unsigned long long)order, BLKIF_MAX_RING_ORDER);
		order = BLKIF_MAX_RING_ORDER;
	}
	/* No more pages than the request slots can fill (2 pages for 64 slots). */
	d->ring_order = blkif_ring_order_for((unsigned int)order, PVBLOCK_MAX_SLOTS);

	segs = pvblock_be_u64(d, "feature-max-indirect-segments", 0, NULL);
	if (segs && segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		/* Not worth an indirect page: plain requests carry as many. */
		if (segs < BLKIF_MAX_SEGMENTS_PER_REQUEST)
			pr_warn("pvblock: %s: feature-max-indirect-segments %llu is below %d, "
				"indirect not used\n",
				pv_name(d), (unsigned long long)segs,
				BLKIF_MAX_SEGMENTS_PER_REQUEST);
		segs = 0;
	}
	if (segs > BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * BLKIF_SEGS_PER_INDIRECT_PAGE) {
		pr_warn("pvblock: %s: bogus feature-max-indirect-segments %llu, clamped\n",
			pv_name(d), (unsigned long long)segs);
		segs = BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * BLKIF_SEGS_PER_INDIRECT_PAGE;
	}
	d->max_indirect = (unsigned int)segs;

	return 0;
}

/* Published by the backend with Connected (it needs our feature-persistent first). */
static void pvblock_xs_read_flags(struct pvblock_dev *d)
{
	d->be_persistent = pvblock_be_flag(d, "feature-persistent");
	d->persistent = d->be_persistent && d->want_persistent;
	d->flush_cache = pvblock_be_flag(d, "feature-flush-cache");
	d->barrier = pvblock_be_flag(d, "feature-barrier");
	d->discard = pvblock_be_flag(d, "feature-discard");
}

static int pvblock_xs_write_keys(struct pvblock_dev *d, xs_transaction_t t)
{
	char path[128];
	unsigned int i;
	int ret;

#define W(key, ...)                                                         \
	do {                                                                \
		snprintf(path, sizeof(path), "%s/%s", d->xb.nodename, key); \
		ret = xenstore_printf(t, path, __VA_ARGS__);                \
		if (ret < 0)                                                \
			return ret;                                         \
	} while (0)

	if (d->ring_order == 0) {
		W("ring-ref", "%u", d->ring_ref[0]);
	} else {
		char key[16];

		W("ring-page-order", "%u", d->ring_order);
		W("num-ring-pages", "%u", 1u << d->ring_order);
		for (i = 0; i < (1u << d->ring_order); i++) {
			snprintf(key, sizeof(key), "ring-ref%u", i);
			W(key, "%u", d->ring_ref[i]);
		}
	}
	W("event-channel", "%u", d->port);
	W("protocol", "%s", XEN_IO_PROTO_ABI_ARM);
	W("feature-persistent", "%u", d->want_persistent ? 1u : 0u);
#undef W
	return 0;
}

int pvblock_xs_publish(struct pvblock_dev *d)
{
	int ret = -EAGAIN;
	int i;

	d->keys_written = true;
	for (i = 0; i < PVBLOCK_XS_RETRIES && ret == -EAGAIN; i++) {
		xs_transaction_t t;

		ret = xenstore_transaction_start(&t);
		if (ret)
			break;
		ret = pvblock_xs_write_keys(d, t);
		if (ret) {
			xenstore_transaction_end(t, true);
			break;
		}
		ret = xenstore_transaction_end(t, false);
	}
	if (ret) {
		pr_err("pvblock: %s: cannot publish the ring: %s\n", pv_name(d), errno_str(ret));
		return ret;
	}
	/* The backend starts connecting now; pvblock_xs_connect() waits for it. */
	return xenbus_switch_state(&d->xb, XenbusStateInitialised);
}

/* Read and check the geometry the backend publishes when Connected. */
static int pvblock_xs_read_geometry(struct pvblock_dev *d)
{
	char path[192];
	char *mode = NULL;
	bool have;
	uint64_t v;
	int ret;

	d->sectors = pvblock_be_u64(d, "sectors", 0, &have);
	if (!have || d->sectors == 0 || d->sectors >= PVBLOCK_MAX_SECTORS) {
		pr_err("pvblock: %s: backend sectors %s%llu is invalid\n", pv_name(d),
		       have ? "" : "(missing) ", (unsigned long long)d->sectors);
		return -EINVAL;
	}
	v = pvblock_be_u64(d, "sector-size", 512, NULL);
	if (v < 512 || v > PAGE_SIZE || (v & (v - 1))) {
		pr_err("pvblock: %s: backend sector-size %llu is not supported (512..4096, power "
		       "of 2)\n",
		       pv_name(d), (unsigned long long)v);
		return -EINVAL;
	}
	d->sector_size = (unsigned int)v;
	if (d->sectors % (d->sector_size >> BLKIF_SECTOR_SHIFT))
		pr_warn("pvblock: %s: %llu sectors is not a whole number of %u-byte blocks\n",
			pv_name(d), (unsigned long long)d->sectors, d->sector_size);
	if (d->sectors < (d->sector_size >> BLKIF_SECTOR_SHIFT)) {
		pr_err("pvblock: %s: disk smaller than one block\n", pv_name(d));
		return -EINVAL;
	}
	d->info = (unsigned int)pvblock_be_u64(d, "info", 0, NULL);
	snprintf(path, sizeof(path), "%s/mode", d->xb.otherend);
	ret = xenstore_read(XBT_NIL, path, &mode);
	d->readonly = (d->info & VDISK_READONLY) || (ret >= 0 && mode && !strcmp(mode, "r"));
	free(mode);
	return 0;
}

int pvblock_xs_connect(struct pvblock_dev *d)
{
	int st, ret;

	st = xenbus_wait_otherend(&d->xb,
				  STATE_BIT(XenbusStateConnected) | STATE_BIT(XenbusStateClosing) |
				      STATE_BIT(XenbusStateClosed),
				  CONFIG_XEN_WAIT_TIMEOUT_MS);
	if (st == -ETIMEDOUT) {
		pr_err("pvblock: %s: backend did not connect within %d ms (stuck in InitWait?)\n",
		       pv_name(d), CONFIG_XEN_WAIT_TIMEOUT_MS);
		return st;
	}
	if (st < 0)
		return st;
	if (st != XenbusStateConnected) {
		pr_err("pvblock: %s: backend went %s instead of Connected\n", pv_name(d),
		       xenbus_strstate(st));
		return -ENODEV;
	}
	ret = pvblock_xs_read_geometry(d);
	if (ret)
		return ret;
	pvblock_xs_read_flags(d);
	ret = xenbus_switch_state(&d->xb, XenbusStateConnected);
	if (ret)
		return ret;
	d->connected = true;
	return 0;
}

static void pvblock_xs_rm(struct pvblock_dev *d, const char *key)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", d->xb.nodename, key);
	xenstore_rm(XBT_NIL, path);
}

/* The keys pvblock_xs_write_keys() wrote, no more: each removal is a XenStore round trip. */
void pvblock_xs_remove_keys(struct pvblock_dev *d)
{
	unsigned int i;

	if (d->ring_order == 0) {
		pvblock_xs_rm(d, "ring-ref");
	} else {
		char key[16];

		pvblock_xs_rm(d, "ring-page-order");
		pvblock_xs_rm(d, "num-ring-pages");
		for (i = 0; i < (1u << d->ring_order); i++) {
			snprintf(key, sizeof(key), "ring-ref%u", i);
			pvblock_xs_rm(d, key);
		}
	}
	pvblock_xs_rm(d, "event-channel");
	pvblock_xs_rm(d, "protocol");
	pvblock_xs_rm(d, "feature-persistent");
	d->keys_written = false;
}

/*
 * Remove our keys, Closing -> Closed -> Initialising, then wait until the backend has let go
 * of the ring (Closed, or InitWait ready for the next frontend) before the
 * caller ends the ring grants.
 */
int pvblock_xs_disconnect(struct pvblock_dev *d)
{
	int ret;

	/*
	 * Keys first: the backend read them when it connected, and the OS's
	 * blkfront must find none of ours when it sees Initialising.
	 */
	pvblock_xs_remove_keys(d);
	ret = xenbus_disconnect_released(&d->xb, CONFIG_XEN_WAIT_TIMEOUT_MS);
	if (ret)
		pr_err("pvblock: %s: disconnect: %s\n", pv_name(d), errno_str(ret));
	d->connected = false;
	return ret;
}
