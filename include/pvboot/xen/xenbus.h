/* SPDX-License-Identifier: MIT */
/* XenBus device helpers on top of the XenStore client. */
#ifndef PVBOOT_XEN_XENBUS_H
#define PVBOOT_XEN_XENBUS_H

#include <pvboot/compiler.h>
#include <xen/xen.h>
#include <xen/io/xenbus.h>

struct xenbus_device {
	char nodename[64];   /* "device/vbd/51712" */
	char otherend[128];  /* backend path */
	domid_t otherend_id; /* backend domain */
	char devid[16];	     /* "51712" */
	/*
	 * The one watch on <otherend>/state, set by the first wait (or
	 * xenbus_watch_otherend) and kept until xenbus_device_exit: every wait
	 * and the data path's "did the backend change?" share it.
	 */
	char watch_token[sizeof("otherend:") + 64];
	bool watching;
};

/* Enumerate the children of device/<type>; names malloc'd, free with xenstore_free_list. */
int xenbus_list_devices(const char *type, char ***ids, unsigned int *count);
/* Fill nodename, backend path and backend-id for device/<type>/<id>. */
int xenbus_device_init(struct xenbus_device *dev, const char *type, const char *id);
/* Drop the watch on the backend's state (the device is given back). */
void xenbus_device_exit(struct xenbus_device *dev);
/* Set the watch on the backend's state, if not yet. 0, or -errno: then callers poll. */
int xenbus_watch_otherend(struct xenbus_device *dev);
/*
 * Did the backend's state change since the last call or wait? Takes what the
 * watch queued, never waits; false without a watch (callers re-read the
 * state now and then).
 */
bool xenbus_otherend_changed(struct xenbus_device *dev);
int xenbus_switch_state(struct xenbus_device *dev, XenbusState state);
int xenbus_read_otherend_state(struct xenbus_device *dev, XenbusState *state);
/*
 * Wait until the backend is in one of the states in mask (bit per state),
 * on the device's watch (set here if it was not; polling without one).
 * Bounded by timeout_ms and Ctrl-C. Returns the state reached or
 * -ETIMEDOUT/-EINTR/-errno.
 */
int xenbus_wait_otherend(struct xenbus_device *dev, unsigned int state_mask,
			 unsigned long timeout_ms);
/*
 * Wait until device/ holds a device of any type, on a watch, bounded by
 * timeout_ms and Ctrl-C: for a domain whose XenStore came late (dom0less),
 * dom0 attaches its devices after that. Says what it waits for and how it
 * ended. 0, -ETIMEDOUT or -EINTR.
 */
int xenbus_wait_for_devices(unsigned long timeout_ms);
/*
 * Wait until the backend offers a connection (InitWait), for a frontend in
 * Initialising. A backend that a previous frontend closed comes back from
 * Closed on its own: Closed is waited through. Closing, or no backend node,
 * is final. Prints why it failed, prefixed by who. 0, -ENODEV (Closing,
 * gone), -ETIMEDOUT, -EINTR or -errno.
 */
int xenbus_wait_backend_ready(struct xenbus_device *dev, const char *who, unsigned long timeout_ms);
/* Closing -> wait backend Closing/Closed -> Closed -> Initialising. */
int xenbus_disconnect(struct xenbus_device *dev, unsigned long timeout_ms);
/*
 * xenbus_disconnect, then wait until the backend has let go of the rings
 * (Closed, or InitWait ready for the next frontend), so that the caller may
 * end the ring grants. 0 or the first -errno.
 */
int xenbus_disconnect_released(struct xenbus_device *dev, unsigned long timeout_ms);
/*
 * Has the backend left (its node removed, or no longer Connected)? 1 yes,
 * 0 no or cannot tell (the caller's own timeout decides), -EINTR: the read
 * consumed a Ctrl-C, which no later check will see again, so the caller
 * stops as for its own.
 */
int xenbus_otherend_gone(struct xenbus_device *dev);
const char *xenbus_strstate(XenbusState state);

#endif
