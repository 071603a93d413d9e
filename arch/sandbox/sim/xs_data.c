// SPDX-License-Identifier: MIT
/*
 * The XenStore tree libxl writes for a domU before it runs, in the shape of
 * a real Xen 4.17 capture (xenstore-ls -fp after `xl create -p`): the guest's
 * home, its console and store rings, and per --disk the frontend and the
 * toolstack's half of the backend directory. The block backend adds its own
 * keys (features, InitWait) when it attaches, as blkback's probe does.
 *
 * Values may use: $DOMID $MEMKB $STOREPFN $STOREPORT $CONSPFN $CONSPORT, and
 * in disk entries $VDEV $DEV $PARAMS $MODE $FE $BE.
 */
#include <stdio.h>
#include <string.h>
#include "sim_internal.h"
#include "xenstored.h"

struct xs_entry {
	const char *path; /* relative to /local/domain/1 unless absolute */
	const char *value;
	const char *perms;
};

static const struct xs_entry domain_tree[] = {
    {"/vm/8c4b3e7d-2f1a-4d2e-9a51-5d0c6a7e1b01/name", "pvboot-sandbox", "n0"},
    {"/local/domain/0/name", "Domain-0", "n0"},
    {"/local/domain/0/domid", "0", "n0"},
    {"/local/domain/0/backend", "", "n0"},
    {"", "", "n0,r1"},
    {"vm", "/vm/8c4b3e7d-2f1a-4d2e-9a51-5d0c6a7e1b01", "n0,r1"},
    {"name", "pvboot-sandbox", "n0,r1"},
    {"cpu", "", "n0,r1"},
    {"cpu/0", "", "n0,r1"},
    {"cpu/0/availability", "online", "n0,r1"},
    {"memory", "", "n0,r1"},
    {"memory/static-max", "$MEMKB", "n0,r1"},
    {"memory/target", "$MEMKB", "n0,r1"},
    {"memory/videoram", "0", "n0,r1"},
    {"device", "", "n0,r1"},
    {"device/suspend", "", "n0,r1"},
    {"device/suspend/event-channel", "", "n1"},
    {"device/vbd", "", "n0,r1"},
    {"control", "", "n0,r1"},
    {"control/shutdown", "", "n1"},
    {"control/feature-poweroff", "", "n1"},
    {"control/feature-reboot", "", "n1"},
    {"control/feature-suspend", "", "n1"},
    {"control/sysrq", "", "n1"},
    {"control/platform-feature-multiprocessor-suspend", "1", "n0,r1"},
    {"control/platform-feature-xs_reset_watches", "1", "n0,r1"},
    {"data", "", "n1"},
    {"drivers", "", "n1"},
    {"feature", "", "n1"},
    {"attr", "", "n1"},
    {"error", "", "n1"},
    {"domid", "$DOMID", "n0,r1"},
    {"store", "", "n0,r1"},
    {"store/port", "$STOREPORT", "n0,r1"},
    {"store/ring-ref", "$STOREPFN", "n0,r1"},
    {"console", "", "n0,r1"},
    {"console/backend", "/local/domain/0/backend/console/$DOMID/0", "n0,r1"},
    {"console/backend-id", "0", "n1,r0"},
    {"console/limit", "1048576", "n0,r1"},
    {"console/type", "xenconsoled", "n0,r1"},
    {"console/output", "pty", "n0,r1"},
    {"console/tty", "/dev/pts/0", "n0,r1"},
    {"console/port", "$CONSPORT", "n0,r1"},
    {"console/ring-ref", "$CONSPFN", "n0,r1"},
    {"/local/domain/0/backend/console", "", "n0"},
    {"/local/domain/0/backend/console/$DOMID", "", "n0"},
    {"/local/domain/0/backend/console/$DOMID/0", "", "n0,r1"},
    {"/local/domain/0/backend/console/$DOMID/0/frontend", "/local/domain/$DOMID/console", "n0,r1"},
    {"/local/domain/0/backend/console/$DOMID/0/frontend-id", "$DOMID", "n0,r1"},
    {"/local/domain/0/backend/console/$DOMID/0/online", "1", "n0,r1"},
    {"/local/domain/0/backend/console/$DOMID/0/state", "1", "n0,r1"},
    {"/local/domain/0/backend/console/$DOMID/0/protocol", "vt100", "n0,r1"},
};

/* Per --disk: what libxl writes (the backend's own keys come from blkback). */
static const struct xs_entry disk_tree[] = {
    {"$FE", "", "n1,r0"},
    {"$FE/backend", "$BE", "n1,r0"},
    {"$FE/backend-id", "0", "n1,r0"},
    {"$FE/state", "1", "n1,r0"},
    {"$FE/virtual-device", "$VDEV", "n1,r0"},
    {"$FE/device-type", "disk", "n1,r0"},
    {"$FE/trusted", "1", "n1,r0"},
    {"/local/domain/0/backend/vbd", "", "n0"},
    {"/local/domain/0/backend/vbd/$DOMID", "", "n0"},
    {"$BE", "", "n0,r1"},
    {"$BE/frontend", "$FE", "n0,r1"},
    {"$BE/params", "$PARAMS", "n0,r1"},
    {"$BE/script", "/etc/xen/scripts/block", "n0,r1"},
    {"$BE/frontend-id", "$DOMID", "n0,r1"},
    {"$BE/online", "1", "n0,r1"},
    {"$BE/removable", "0", "n0,r1"},
    {"$BE/bootable", "1", "n0,r1"},
    {"$BE/state", "1", "n0,r1"},
    {"$BE/dev", "$DEV", "n0,r1"},
    {"$BE/type", "phy", "n0,r1"},
    {"$BE/mode", "$MODE", "n0,r1"},
    {"$BE/device-type", "disk", "n0,r1"},
    {"$BE/discard-enable", "1", "n0,r1"},
    {"$BE/specification", "xen", "n0,r1"},
};

struct var {
	const char *name;
	char value[160];
};

static void expand(const char *in, char *out, size_t size, const struct var *vars, size_t n)
{
	size_t o = 0;

	while (*in && o + 1 < size) {
		size_t best = 0, blen = 0;

		if (*in == '$') {
			for (size_t i = 0; i < n; i++) {
				size_t l = strlen(vars[i].name);

				if (!strncmp(in + 1, vars[i].name, l) && l > blen) {
					best = i;
					blen = l;
				}
			}
		}
		if (blen) {
			size_t l = strlen(vars[best].value);

			if (o + l >= size)
				break;
			memcpy(out + o, vars[best].value, l);
			o += l;
			in += blen + 1;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
}

static void load(const struct xs_entry *t, size_t count, const struct var *vars, size_t n)
{
	for (size_t i = 0; i < count; i++) {
		char path[256], rel[256], value[256];

		expand(t[i].path, rel, sizeof(rel), vars, n);
		if (rel[0] == '/')
			snprintf(path, sizeof(path), "%s", rel);
		else
			snprintf(path, sizeof(path), "/local/domain/%d%s%s", SIM_GUEST_DOMID,
				 rel[0] ? "/" : "", rel);
		expand(t[i].value, value, sizeof(value), vars, n);
		if (xs_write_perms(path, value, t[i].perms))
			sim_log("xenstored: cannot preload %s", path);
	}
}

void sim_xs_populate(void)
{
	const struct sim_layout *l = sim_get_layout();
	struct var vars[] = {
	    {.name = "DOMID"},	   {.name = "MEMKB"},	{.name = "STOREPFN"},
	    {.name = "STOREPORT"}, {.name = "CONSPFN"}, {.name = "CONSPORT"},
	};

	snprintf(vars[0].value, sizeof(vars[0].value), "%d", SIM_GUEST_DOMID);
	snprintf(vars[1].value, sizeof(vars[1].value), "%llu",
		 (unsigned long long)(l->ram_size >> 10));
	snprintf(vars[2].value, sizeof(vars[2].value), "%llu",
		 (unsigned long long)(l->magic_base >> PAGE_SHIFT) + SIM_XENSTORE_PAGE);
	snprintf(vars[3].value, sizeof(vars[3].value), "%u", sim_xenstore_port());
	snprintf(vars[4].value, sizeof(vars[4].value), "%llu",
		 (unsigned long long)(l->magic_base >> PAGE_SHIFT) + SIM_CONSOLE_PAGE);
	snprintf(vars[5].value, sizeof(vars[5].value), "%u", sim_console_port());
	load(domain_tree, sizeof(domain_tree) / sizeof(domain_tree[0]), vars,
	     sizeof(vars) / sizeof(vars[0]));
}

void sim_xs_populate_disks(void)
{
	struct var vars[] = {
	    {.name = "DOMID"}, {.name = "VDEV"}, {.name = "DEV"}, {.name = "PARAMS"},
	    {.name = "MODE"},  {.name = "FE"},	 {.name = "BE"},
	};

	snprintf(vars[0].value, sizeof(vars[0].value), "%d", SIM_GUEST_DOMID);
	for (unsigned int i = 0; i < sim_disk_count(); i++) {
		const struct sim_disk *d = sim_disk_get(i);

		snprintf(vars[1].value, sizeof(vars[1].value), "%u", d->vdev);
		snprintf(vars[2].value, sizeof(vars[2].value), "xvd%c", 'a' + d->index);
		snprintf(vars[3].value, sizeof(vars[3].value), "%s", d->path);
		snprintf(vars[4].value, sizeof(vars[4].value), "%s", d->readonly ? "r" : "w");
		snprintf(vars[5].value, sizeof(vars[5].value), "%s", d->frontend);
		snprintf(vars[6].value, sizeof(vars[6].value), "%s", d->backend);
		load(disk_tree, sizeof(disk_tree) / sizeof(disk_tree[0]), vars,
		     sizeof(vars) / sizeof(vars[0]));
	}
}
