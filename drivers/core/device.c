// SPDX-License-Identifier: MIT
/*
 * Device registry (see <pvboot/device.h>): one list in registration order,
 * handles from a counter that only grows, and removal in one place and one
 * order: unlink, tell the listeners, stop, free.
 */
#include <errno.h>
#include <string.h>
#include <pvboot/device.h>
#include <pvboot/errstr.h>
#include <pvboot/log.h>

static struct device *device_list;
static struct device_listener *listeners;
static uint32_t last_handle;

static bool device_matches(const struct device *d, enum device_class class, const char *name)
{
	return d->class == class && (!name || !strcmp(d->name, name));
}

/* The lowest seq not taken under class and name. */
static int device_free_seq(enum device_class class, const char *name)
{
	int seq = 0;
	bool taken;

	do {
		taken = device_find(class, name, seq) != NULL;
		seq += taken;
	} while (taken);
	return seq;
}

int device_register(struct device *dev)
{
	struct device **p;

	if (!dev || !dev->name || (unsigned int)dev->class >= DEVICE_CLASS_COUNT)
		return -EINVAL;
	if (dev->handle)
		return -EEXIST; /* already registered */
	if (dev->seq < 0)
		dev->seq = device_free_seq(dev->class, dev->name);
	else if (device_find(dev->class, dev->name, dev->seq))
		return -EEXIST;
	/* 2^32 registrations in one run would be needed to wrap; 0 means "none". */
	if (++last_handle == 0)
		++last_handle;
	dev->handle = last_handle;
	dev->next = NULL;
	for (p = &device_list; *p; p = &(*p)->next)
		;
	*p = dev;
	return 0;
}

static bool device_unlink(struct device *dev)
{
	for (struct device **p = &device_list; *p; p = &(*p)->next) {
		if (*p == dev) {
			*p = dev->next;
			dev->next = NULL;
			return true;
		}
	}
	return false;
}

int device_remove(struct device *dev)
{
	const struct device_driver *drv;
	int err = 0;

	if (!dev || !device_unlink(dev))
		return -ENOENT;
	/* Unreachable from here on: lookups by handle fail too. */
	dev->handle = 0;
	for (struct device_listener *l = listeners; l; l = l->next)
		l->removed(dev);
	drv = dev->drv;
	if (drv && drv->remove)
		err = drv->remove(dev);
	if (err)
		pr_err("%s %d: not stopped cleanly: %s\n", dev->name, dev->seq, errno_str(err));
	if (drv && drv->free)
		drv->free(dev);
	return err;
}

/*
 * Remove, newest first, every device pick() accepts. Bounded by how many
 * there were at the start: a driver that registers again from its remove op
 * cannot keep this going.
 */
static int device_remove_each(bool (*pick)(const struct device *d, const void *arg),
			      const void *arg)
{
	unsigned int todo = 0;
	int first_err = 0;

	for (struct device *d = device_list; d; d = d->next)
		todo += pick(d, arg);
	while (todo--) {
		struct device *victim = NULL;
		int err;

		for (struct device *d = device_list; d; d = d->next)
			if (pick(d, arg))
				victim = d;
		if (!victim)
			break;
		err = device_remove(victim);
		if (err && !first_err)
			first_err = err;
	}
	return first_err;
}

static bool pick_flags(const struct device *d, const void *arg)
{
	return d->drv && (d->drv->flags & *(const unsigned int *)arg);
}

static bool pick_driver(const struct device *d, const void *arg)
{
	return d->drv == arg;
}

int device_remove_all(unsigned int flags)
{
	return device_remove_each(pick_flags, &flags);
}

int device_remove_driver(const struct device_driver *drv)
{
	return drv ? device_remove_each(pick_driver, drv) : -EINVAL;
}

struct device *device_find(enum device_class class, const char *name, int seq)
{
	for (struct device *d = device_list; d; d = d->next)
		if (device_matches(d, class, name) && d->seq == seq)
			return d;
	return NULL;
}

struct device *device_next(enum device_class class, uint32_t after)
{
	/* The list is in registration order and handles only grow. */
	for (struct device *d = device_list; d; d = d->next)
		if (d->class == class && d->handle > after)
			return d;
	return NULL;
}

struct device *device_get(uint32_t handle)
{
	for (struct device *d = device_list; handle && d; d = d->next)
		if (d->handle == handle)
			return d;
	return NULL;
}

unsigned int device_count(enum device_class class, const char *name)
{
	unsigned int n = 0;

	for (struct device *d = device_list; d; d = d->next)
		n += device_matches(d, class, name);
	return n;
}

void device_listen(struct device_listener *l)
{
	for (struct device_listener *p = listeners; p; p = p->next)
		if (p == l)
			return;
	l->next = listeners;
	listeners = l;
}
