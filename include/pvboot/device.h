/* SPDX-License-Identifier: MIT */
/*
 * Device registry: the one owner of every device's lifetime.
 *
 * A driver registers a device once it works and never frees it itself: the
 * registry removes it, when the driver rescans (device_remove_driver) or,
 * for every driver flagged DEVICE_FLAG_OS_PREPARE, before an OS starts
 * (device_remove_all). Removal unlinks the device first, then tells every
 * listener (caches, the selected filesystem, later UEFI handles), then lets
 * the driver stop it and free it: once removal has begun nothing can find
 * the device, and nothing that listened still points at it.
 *
 * Code that has to remember a device across commands or across a script
 * keeps its handle, never the pointer, and looks it up again: a handle is
 * never given to another device during a run.
 */
#ifndef PVBOOT_DEVICE_H
#define PVBOOT_DEVICE_H

#include <pvboot/compiler.h>

enum device_class {
	DEVICE_CLASS_BLK, /* struct blk_desc (pvboot/blk.h) */
	DEVICE_CLASS_NET, /* for a network frontend */
	DEVICE_CLASS_COUNT,
};

/* Remove before an OS starts: the device holds a backend, grants or ports. */
#define DEVICE_FLAG_OS_PREPARE (1u << 0)

struct device;

struct device_driver {
	const char *name;
	unsigned int flags; /* DEVICE_FLAG_* */
	/*
	 * Stop the device: flush, give the backend back, end the grants. The
	 * device is already unreachable; it is freed whatever this returns
	 * (0 or -errno, reported). May be NULL.
	 */
	int (*remove)(struct device *dev);
	/* Free the memory holding dev, last. NULL: not the registry's (static). */
	void (*free)(struct device *dev);
};

struct device {
	const struct device_driver *drv; /* NULL: nothing to stop or free */
	enum device_class class;
	const char *name; /* what users type: "pvblock" */
	int seq;	  /* number under name; < 0 at registration: the lowest free one */
	uint32_t handle;  /* given by device_register, never reused; 0: not registered */
	struct device *next;
};

/* 0, -EINVAL (bad class or no name), -EEXIST (name and seq taken). */
int device_register(struct device *dev);
/* Remove one device (see above). 0, the driver's -errno, or -ENOENT if not registered. */
int device_remove(struct device *dev);
/* Remove every device whose driver has one of flags, newest first; first -errno. */
int device_remove_all(unsigned int flags);
/* Remove every device of one driver (a rescan); first -errno. */
int device_remove_driver(const struct device_driver *drv);

struct device *device_find(enum device_class class, const char *name, int seq);
/*
 * In registration order: the first device of class registered after the one
 * whose handle is after (0: the first of all). A handle, not a pointer, so
 * that a loop whose body may remove devices (a script) stays safe.
 */
struct device *device_next(enum device_class class, uint32_t after);
/* The device a handle names, or NULL once it was removed. */
struct device *device_get(uint32_t handle);
/* Devices of class registered now (under name, unless name is NULL). */
unsigned int device_count(enum device_class class, const char *name);

/* Told of every removal after the device became unreachable, before it is stopped. */
struct device_listener {
	void (*removed)(struct device *dev);
	struct device_listener *next;
};
/* Add l (once; static storage). */
void device_listen(struct device_listener *l);

#endif
