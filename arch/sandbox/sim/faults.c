// SPDX-License-Identifier: MIT
/*
 * Fault injection: --sim-fault=NAME[=VALUE] on the command line or `sim
 * fault` at the prompt. A small registry; each backend asks by name.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sim_internal.h"

#define MAX_FAULTS 32

struct fault {
	char name[32];
	char value[64];
};

static struct fault faults[MAX_FAULTS];
static unsigned int nr_faults;

/* Known names; "blk-" is the block backend's own namespace. */
static const char *const known[] = {
    "xs-garbage",      /* a reply of nonsense: unknown type, junk payload */
    "xs-oversize",     /* a reply whose len is > XENSTORE_PAYLOAD_MAX */
    "xs-truncated",    /* a header announcing more payload than is ever sent */
    "xs-wrong-reqid",  /* replies carry another req_id */
    "xs-error",	       /* =EACCES: every reply is XS_ERROR with that string */
    "xs-stall",	       /* requests are consumed, never answered */
    "xs-drop",	       /* =N: the next N replies are lost */
    "xs-delay",	       /* =MS: replies leave MS milliseconds late */
    "xs-eagain",       /* =N: the next N transaction commits fail with EAGAIN */
    "xs-after",	       /* =N: xs-* faults start after N good replies */
    "xs-flood-stray",  /* replies to requests never made fill the ring; real ones starve */
    "xs-flood-events", /* watch events for a watch never set fill the ring */
    "xs-late",	       /* [=MS] dom0less: HVM_PARAM_STORE_PFN is ~0 until then */
    "xs-late-unset",   /* [=MS] dom0less: HVM_PARAM_STORE_PFN is 0 until then */
    "xs-unconnected",  /* [=MS] the ring says XENSTORE_RECONNECT until then */
    "console-stall",   /* =N: stop draining guest output after N bytes */
    "no-runstate",     /* VCPUOP_register_runstate_memory_area fails: waits spin */
    "mem-slack",       /* =N: pages the domain may own above its RAM (256; 0: dom0less) */
};

static bool name_known(const char *name)
{
	if (!strncmp(name, "blk-", 4) && name[4])
		return true;
	/* "net-" the network backend's, "peer-" the servers' behind it. */
	if ((!strncmp(name, "net-", 4) && name[4]) || (!strncmp(name, "peer-", 5) && name[5]))
		return true;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(name, known[i]))
			return true;
	return false;
}

static struct fault *find(const char *name)
{
	for (unsigned int i = 0; i < nr_faults; i++)
		if (!strcmp(faults[i].name, name))
			return &faults[i];
	return NULL;
}

static int fault_set(const char *spec)
{
	const char *eq = strchr(spec, '=');
	size_t nlen = eq ? (size_t)(eq - spec) : strlen(spec);
	struct fault *f, tmp = {0};

	if (!nlen || nlen >= sizeof(tmp.name) || (eq && strlen(eq + 1) >= sizeof(tmp.value)))
		return -EINVAL;
	memcpy(tmp.name, spec, nlen);
	if (eq)
		strcpy(tmp.value, eq + 1);
	if (!name_known(tmp.name))
		return -ENOENT;
	f = find(tmp.name);
	if (!f) {
		if (nr_faults == MAX_FAULTS)
			return -ENOSPC;
		f = &faults[nr_faults++];
	}
	*f = tmp;
	return 0;
}

void sim_fault_add(const char *spec)
{
	int err = fault_set(spec);

	if (err == -ENOENT)
		sim_log("unknown fault '%s' ignored", spec);
	else if (err)
		sim_log("fault '%s' not usable (%s)", spec,
			err == -ENOSPC ? "too many" : "too long");
}

/* As sim_fault_add, with the outcome for callers that must refuse a bad spec. */
int sim_fault_add_checked(const char *spec)
{
	return fault_set(spec);
}

bool sim_fault(const char *name)
{
	return find(name) != NULL;
}

long sim_fault_value(const char *name, long def)
{
	struct fault *f = find(name);
	char *end;
	long v;

	if (!f || !f->value[0])
		return def;
	v = strtol(f->value, &end, 0);
	return *end ? def : v;
}

const char *sim_fault_string(const char *name)
{
	struct fault *f = find(name);

	return f && f->value[0] ? f->value : NULL;
}

void sim_fault_clear(void)
{
	nr_faults = 0;
}

void sim_fault_list(void (*cb)(const char *name, const char *value))
{
	for (unsigned int i = 0; i < nr_faults; i++)
		cb(faults[i].name, faults[i].value);
}
