// SPDX-License-Identifier: MIT
/* The --vif DIR[,mac=MAC][,bootfile=NAME] table: what libxl's vif = [...] line would say. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_internal.h"

static struct sim_vif vifs[SIM_MAX_VIFS];
static unsigned int nr_vifs;

static int parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		char *end;
		unsigned long b = strtoul(s, &end, 16);

		if (end != s + 2 || b > 255 || *end != (i == 5 ? '\0' : ':'))
			return -EINVAL;
		mac[i] = (uint8_t)b;
		s = end + 1;
	}
	return 0;
}

int sim_vif_add(const char *spec)
{
	struct sim_vif *v;
	char *copy, *opt, *save = NULL;

	if (nr_vifs == SIM_MAX_VIFS) {
		sim_log("--vif: at most %d interfaces", SIM_MAX_VIFS);
		return -ENOSPC;
	}
	if (!spec[0] || spec[0] == ',') {
		sim_log("--vif: missing the directory to serve");
		return -EINVAL;
	}
	copy = strdup(spec);
	if (!copy)
		return -ENOMEM;
	v = &vifs[nr_vifs];
	memset(v, 0, sizeof(*v));
	v->root = strtok_r(copy, ",", &save);
	/* libxl's default: Xen's OUI, then bytes of its own. */
	memcpy(v->mac, (uint8_t[]){0x00, 0x16, 0x3e, 0x5a, 0x17, (uint8_t)(0x01 + nr_vifs)}, 6);
	while ((opt = strtok_r(NULL, ",", &save))) {
		if (!strncmp(opt, "mac=", 4) && !parse_mac(opt + 4, v->mac))
			continue;
		if (!strncmp(opt, "bootfile=", 9)) {
			v->bootfile = opt + 9;
			continue;
		}
		sim_log("--vif: unknown option '%s' (use DIR[,mac=MAC][,bootfile=NAME])", opt);
		free(copy);
		return -EINVAL;
	}
	v->spec = copy;
	v->index = nr_vifs;
	snprintf(v->frontend, sizeof(v->frontend), "/local/domain/%d/device/vif/%u",
		 SIM_GUEST_DOMID, v->index);
	snprintf(v->backend, sizeof(v->backend), "/local/domain/%d/backend/vif/%d/%u",
		 SIM_BACKEND_DOMID, SIM_GUEST_DOMID, v->index);
	nr_vifs++;
	return 0;
}

unsigned int sim_vif_count(void)
{
	return nr_vifs;
}

struct sim_vif *sim_vif_get(unsigned int index)
{
	return index < nr_vifs ? &vifs[index] : NULL;
}
