// SPDX-License-Identifier: MIT
/* The --disk IMG[,ro][,sector=4096] table: what libxl's disk = [...] line would say. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_internal.h"

#define VDEV_XVDA 51712 /* (202 << 8): xvda; each next disk +16, as libxl numbers them */

static struct sim_disk disks[SIM_MAX_DISKS];
static unsigned int nr_disks;

static int parse_option(struct sim_disk *d, const char *opt)
{
	char *end;

	if (!strcmp(opt, "ro")) {
		d->readonly = true;
		return 0;
	}
	if (!strcmp(opt, "rw")) {
		d->readonly = false;
		return 0;
	}
	if (!strncmp(opt, "sector=", 7)) {
		unsigned long v = strtoul(opt + 7, &end, 10);

		if (*end || (v != 512 && v != 4096)) {
			sim_log("--disk: sector=%s: only 512 and 4096 are supported", opt + 7);
			return -EINVAL;
		}
		d->sector_size = v;
		return 0;
	}
	sim_log("--disk: unknown option '%s' (use IMG[,ro][,sector=4096])", opt);
	return -EINVAL;
}

int sim_disk_add(const char *spec)
{
	struct sim_disk *d;
	char *copy, *opt, *save = NULL;
	int err = 0;

	if (!spec[0] || spec[0] == ',') {
		sim_log("--disk: missing image file name");
		return -EINVAL;
	}
	if (nr_disks == SIM_MAX_DISKS) {
		sim_log("--disk: at most %d disks", SIM_MAX_DISKS);
		return -ENOSPC;
	}
	copy = strdup(spec);
	if (!copy)
		return -ENOMEM;
	d = &disks[nr_disks];
	memset(d, 0, sizeof(*d));
	d->path = strtok_r(copy, ",", &save);
	d->sector_size = 512;
	while (!err && (opt = strtok_r(NULL, ",", &save)))
		err = parse_option(d, opt);
	if (err) {
		free(copy);
		return err;
	}
	d->spec = copy;
	d->index = nr_disks;
	d->vdev = VDEV_XVDA + 16 * nr_disks;
	snprintf(d->frontend, sizeof(d->frontend), "/local/domain/%d/device/vbd/%u",
		 SIM_GUEST_DOMID, d->vdev);
	snprintf(d->backend, sizeof(d->backend), "/local/domain/%d/backend/vbd/%d/%u",
		 SIM_BACKEND_DOMID, SIM_GUEST_DOMID, d->vdev);
	nr_disks++;
	return 0;
}

unsigned int sim_disk_count(void)
{
	return nr_disks;
}

struct sim_disk *sim_disk_get(unsigned int index)
{
	return index < nr_disks ? &disks[index] : NULL;
}
