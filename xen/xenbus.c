// SPDX-License-Identifier: MIT
/*
 * XenBus device helpers: find frontends under device/<type>, learn where
 * their backend lives, and walk the XenbusState handshake with bounded waits.
 * Everything read from XenStore is validated: the backend may be hostile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/log.h>
#include <pvboot/timer.h>
#include <pvboot/xen/interrupt.h>
#include <pvboot/xen/xenbus.h>
#include <pvboot/xen/xenstore.h>
#include <pvboot/xen/xs_msg.h>

/* When no watch can be set: re-read the state node this often. */
#define POLL_INTERVAL_MS 10

static const char *const state_names[] = {
    [XenbusStateUnknown] = "Unknown",
    [XenbusStateInitialising] = "Initialising",
    [XenbusStateInitWait] = "InitWait",
    [XenbusStateInitialised] = "Initialised",
    [XenbusStateConnected] = "Connected",
    [XenbusStateClosing] = "Closing",
    [XenbusStateClosed] = "Closed",
    [XenbusStateReconfiguring] = "Reconfiguring",
    [XenbusStateReconfigured] = "Reconfigured",
};

const char *xenbus_strstate(XenbusState state)
{
	if ((unsigned int)state < ARRAY_SIZE(state_names) && state_names[state])
		return state_names[state];
	return "Invalid";
}

static bool valid_id(const char *id)
{
	size_t n = strlen(id);

	return n > 0 && n < sizeof(((struct xenbus_device *)0)->devid) && !strchr(id, '/');
}

/* Device ids in numeric order (xvda before xvdb), anything else after, by name. */
static int compare_ids(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t lx = strspn(x, "0123456789"), ly = strspn(y, "0123456789");
	bool nx = lx && !x[lx], ny = ly && !y[ly];

	if (nx != ny)
		return nx ? -1 : 1;
	if (nx && lx != ly) /* no leading zeros in an id: the longer number is larger */
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

/*
 * The order xenstored lists a directory in is its own (Xen 4.17's and 4.20's
 * differ): sorted here, so that "pvblock 0" is the same disk on every Xen.
 */
int xenbus_list_devices(const char *type, char ***ids, unsigned int *count)
{
	char path[64];
	int rc;

	if (snprintf(path, sizeof(path), "device/%s", type) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	rc = xenstore_directory(XBT_NIL, path, ids, count);
	if (rc == -ENOENT) { /* no device of this type: not an error */
		*ids = NULL;
		*count = 0;
		return 0;
	}
	if (!rc && *count > 1)
		qsort(*ids, *count, sizeof(**ids), compare_ids);
	return rc;
}

/*
 * Does device/ hold a device of any type yet (1, else 0)? device/suspend (its
 * event-channel node, for suspend requests) is in every domain's tree and is
 * no device. -EINTR: a request saw the Ctrl-C, which no later check will.
 */
static int any_device(void)
{
	char **types = NULL, **ids = NULL;
	unsigned int ntypes = 0, nids = 0, i;
	int found = 0, rc;

	rc = xenstore_directory(XBT_NIL, "device", &types, &ntypes);
	if (rc)
		return rc == -EINTR ? rc : 0;
	for (i = 0; i < ntypes && !found; i++) {
		char path[64];

		if (!strcmp(types[i], "suspend") ||
		    snprintf(path, sizeof(path), "device/%s", types[i]) >= (int)sizeof(path))
			continue;
		rc = xenstore_directory(XBT_NIL, path, &ids, &nids);
		if (!rc) {
			found = nids > 0;
			xenstore_free_list(ids, nids);
		} else if (rc == -EINTR) {
			found = rc;
		}
	}
	xenstore_free_list(types, ntypes);
	return found;
}

int xenbus_wait_for_devices(unsigned long timeout_ms)
{
	static const char token[] = "xenbus:device";
	uint64_t start = timer_us(), deadline = deadline_ms(timeout_ms);
	unsigned long long ms;
	bool watching;
	int rc = 0, found;

	if (any_device() > 0)
		return 0;
	printf("Xen: no devices yet: waiting up to %lu s for dom0 to attach one "
	       "(xl block-attach); Ctrl-C goes on without\n",
	       timeout_ms / 1000);
	watching = xenstore_watch("device", token) == 0;
	while ((found = any_device()) <= 0) {
		char *fired;

		if (found == -EINTR) { /* a request saw the Ctrl-C: it is gone now */
			rc = -EINTR;
			break;
		}

		if (deadline_passed(deadline)) {
			rc = -ETIMEDOUT;
			break;
		}
		if (xen_interrupted()) {
			rc = -EINTR;
			break;
		}
		if (!watching) {
			mdelay(POLL_INTERVAL_MS);
			continue;
		}
		/* Short slices: the deadline and Ctrl-C are checked above. */
		rc = xenstore_wait_watch(token, &fired, 100);
		if (rc == 0)
			free(fired);
		else if (rc == -EINTR)
			break; /* it saw the Ctrl-C: checking again would not */
		rc = 0;
	}
	if (watching)
		xenstore_unwatch("device", token);
	ms = (timer_us() - start) / 1000;
	if (!rc)
		printf("Xen: a device appeared after %llu.%llu s\n", ms / 1000, ms % 1000 / 100);
	else
		printf("Xen: %s after %llu s, going on without devices ('pvblock rescan' "
		       "finds them later)\n",
		       rc == -EINTR ? "wait interrupted" : "no device", ms / 1000);
	return rc;
}

int xenbus_device_init(struct xenbus_device *dev, const char *type, const char *id)
{
	char path[sizeof(dev->nodename) + 16];
	char *backend = NULL;
	uint64_t domid;
	int rc;

	memset(dev, 0, sizeof(*dev));
	if (!valid_id(id))
		return -EINVAL;
	if (snprintf(dev->nodename, sizeof(dev->nodename), "device/%s/%s", type, id) >=
	    (int)sizeof(dev->nodename))
		return -ENAMETOOLONG;
	strcpy(dev->devid, id); /* length checked by valid_id */

	snprintf(path, sizeof(path), "%s/backend-id", dev->nodename);
	rc = xenstore_read_u64(XBT_NIL, path, &domid);
	if (rc < 0) {
		pr_err("%s: bad or missing backend-id (%d)\n", dev->nodename, rc);
		return rc == -ENOENT ? rc : -EINVAL;
	}
	if (domid >= DOMID_FIRST_RESERVED) {
		pr_err("%s: backend-id %llu is not a domain\n", dev->nodename,
		       (unsigned long long)domid);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/backend", dev->nodename);
	rc = xenstore_read(XBT_NIL, path, &backend);
	if (rc < 0) {
		pr_err("%s: no backend path (%d)\n", dev->nodename, rc);
		return rc;
	}
	/* Absolute and short enough for "<backend>/<key>" paths of ours. */
	if (backend[0] != '/' || strlen(backend) >= sizeof(dev->otherend)) {
		pr_err("%s: unusable backend path\n", dev->nodename);
		free(backend);
		return -EINVAL;
	}
	strcpy(dev->otherend, backend);
	free(backend);
	dev->otherend_id = (domid_t)domid;
	return 0;
}

int xenbus_switch_state(struct xenbus_device *dev, XenbusState state)
{
	char path[sizeof(dev->nodename) + 8];

	snprintf(path, sizeof(path), "%s/state", dev->nodename);
	return xenstore_printf(XBT_NIL, path, "%d", (int)state);
}

static void otherend_state_path(const struct xenbus_device *dev, char *path, size_t len)
{
	snprintf(path, len, "%s/state", dev->otherend);
}

int xenbus_read_otherend_state(struct xenbus_device *dev, XenbusState *state)
{
	char path[sizeof(dev->otherend) + 8];
	uint64_t v;
	int rc;

	otherend_state_path(dev, path, sizeof(path));
	rc = xenstore_read_u64(XBT_NIL, path, &v);
	if (rc == -ENOENT) { /* a backend that is gone is as good as Closed */
		*state = XenbusStateClosed;
		return 0;
	}
	if (rc < 0)
		return rc;
	if (v > XenbusStateReconfigured)
		return -EPROTO;
	*state = (XenbusState)v;
	return 0;
}

int xenbus_watch_otherend(struct xenbus_device *dev)
{
	char path[sizeof(dev->otherend) + 8];
	int rc;

	if (dev->watching)
		return 0;
	otherend_state_path(dev, path, sizeof(path));
	snprintf(dev->watch_token, sizeof(dev->watch_token), "otherend:%s", dev->nodename);
	rc = xenstore_watch(path, dev->watch_token);
	dev->watching = rc == 0;
	return rc;
}

void xenbus_device_exit(struct xenbus_device *dev)
{
	char path[sizeof(dev->otherend) + 8];

	if (!dev->watching)
		return;
	otherend_state_path(dev, path, sizeof(path));
	xenstore_unwatch(path, dev->watch_token);
	dev->watching = false;
}

bool xenbus_otherend_changed(struct xenbus_device *dev)
{
	bool changed = false;
	char *fired;

	/* Bounded by the client's event queue: it holds a fixed number. */
	while (dev->watching && xenstore_wait_watch(dev->watch_token, &fired, 0) == 0) {
		free(fired);
		changed = true;
	}
	return changed;
}

int xenbus_wait_otherend(struct xenbus_device *dev, unsigned int state_mask,
			 unsigned long timeout_ms)
{
	uint64_t deadline = deadline_ms(timeout_ms);
	XenbusState state = XenbusStateUnknown;
	int rc;

	xenbus_watch_otherend(dev); /* without it: poll */
	for (;;) {
		char *fired;

		rc = xenbus_read_otherend_state(dev, &state);
		if (rc < 0)
			break;
		if (state_mask & (1u << state)) {
			rc = state;
			break;
		}
		if (deadline_passed(deadline)) {
			rc = -ETIMEDOUT;
			break;
		}
		if (xen_interrupted()) {
			rc = -EINTR;
			break;
		}
		if (dev->watching) {
			/* Short slices: the deadline and Ctrl-C are checked above. */
			rc = xenstore_wait_watch(dev->watch_token, &fired, 100);
			if (rc == 0)
				free(fired);
			else if (rc != -ETIMEDOUT)
				break;
		} else {
			mdelay(POLL_INTERVAL_MS);
		}
	}
	if (rc == -ETIMEDOUT)
		pr_err("%s: backend stayed %s (%s) for %lu ms\n", dev->nodename,
		       xenbus_strstate(state), dev->otherend, timeout_ms);
	return rc;
}

/*
 * Linux's blkback and netback go Closed -> InitWait when their watch sees the
 * frontend in Initialising, some time after a frontend let go (Xen 4.20's
 * dom0 is slow enough for a rescan to find Closed). The Initialising written
 * again here fires their watch once more, in case they read the frontend's
 * state while they were still Closing and so missed it.
 */
int xenbus_wait_backend_ready(struct xenbus_device *dev, const char *who, unsigned long timeout_ms)
{
	const unsigned int ready = 1u << XenbusStateInitWait | 1u << XenbusStateClosing;
	char path[sizeof(dev->otherend) + 8];
	uint64_t v;
	int st;

	otherend_state_path(dev, path, sizeof(path));
	st = xenstore_read_u64(XBT_NIL, path, &v);
	if (st == -ENOENT) {
		pr_err("%s: %s: backend %s is gone\n", who, dev->nodename, dev->otherend);
		return -ENODEV;
	}
	if (st == 0 && v == XenbusStateClosed)
		xenbus_switch_state(dev, XenbusStateInitialising);
	st = xenbus_wait_otherend(dev, ready, timeout_ms);
	if (st < 0)
		return st; /* a timeout was reported with the state it stayed in */
	if (st != XenbusStateInitWait) {
		pr_err("%s: %s: backend is %s, not InitWait\n", who, dev->nodename,
		       xenbus_strstate(st));
		return -ENODEV;
	}
	return 0;
}

int xenbus_disconnect(struct xenbus_device *dev, unsigned long timeout_ms)
{
	const unsigned int closing = 1u << XenbusStateClosing | 1u << XenbusStateClosed;
	int rc, wrc;

	rc = xenbus_switch_state(dev, XenbusStateClosing);
	if (rc < 0)
		return rc;
	wrc = xenbus_wait_otherend(dev, closing, timeout_ms);
	rc = xenbus_switch_state(dev, XenbusStateClosed);
	if (rc == 0 && wrc >= 0) {
		/* Closed, or already back to waiting for a new frontend. */
		const unsigned int closed = 1u << XenbusStateClosed | 1u << XenbusStateInitWait |
					    1u << XenbusStateInitialising;

		wrc = xenbus_wait_otherend(dev, closed, MIN(timeout_ms, 1000UL));
		if (wrc == -ETIMEDOUT) /* a slow backend still sees our Closed later */
			wrc = 0;
	}
	if (rc == 0)
		rc = xenbus_switch_state(dev, XenbusStateInitialising);
	if (rc < 0)
		return rc;
	return wrc < 0 ? wrc : 0;
}

int xenbus_disconnect_released(struct xenbus_device *dev, unsigned long timeout_ms)
{
	const unsigned int released = 1u << XenbusStateClosed | 1u << XenbusStateInitWait;
	int ret = xenbus_disconnect(dev, timeout_ms);
	int st = xenbus_wait_otherend(dev, released, timeout_ms);

	return ret ? ret : MIN(st, 0);
}

int xenbus_otherend_gone(struct xenbus_device *dev)
{
	XenbusState st;
	int ret = xenbus_read_otherend_state(dev, &st);

	if (ret == -ENOENT)
		return 1; /* the toolstack removed the backend (xl block-detach) */
	if (ret == -EINTR)
		return ret;
	if (ret)
		return 0; /* cannot tell: the caller's own timeout decides */
	return st != XenbusStateConnected;
}
