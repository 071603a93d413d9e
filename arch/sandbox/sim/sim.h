/* SPDX-License-Identifier: MIT */
/*
 * The simulated hypervisor of the sandbox: the Xen side of the hypercalls
 * pvboot makes, plus "dom0" backends that speak the real wire protocols
 * (xs_wire, console ring, blkif) through event channels and grant mappings
 * that it checks. Single-threaded: backends run from sim_run_backends(),
 * which the guest's arch_cpu_relax() calls in every polling loop.
 */
#ifndef SANDBOX_SIM_H
#define SANDBOX_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>

#define SIM_GUEST_DOMID 1
#define SIM_BACKEND_DOMID 0

/* ---- core ---- */
long sim_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		   unsigned long a3, unsigned long a4);
void sim_init(void); /* after the guest RAM and DT exist, before pvboot_main */

struct sim_backend {
	const char *name;
	void (*poll)(struct sim_backend *be); /* do pending work; must not block */
	struct sim_backend *next;
};
void sim_backend_register(struct sim_backend *be);
void sim_run_backends(void);
/* Report a protocol violation by the guest (a test fails on it). */
void sim_violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned int sim_violations(void);

/* ---- event channels ---- */
/* A backend-side port bound to a guest port. */
/* Guest allocated port gport (EVTCHNOP_alloc_unbound for dom0); the backend binds to it. */
int sim_evtchn_bind(evtchn_port_t gport);
/* Pre-connected pair (console, xenstore: advertised through HVM params). Returns guest port. */
evtchn_port_t sim_evtchn_alloc_pair(void);
/* Backend: test-and-clear "guest notified us" on the pair of gport. */
bool sim_evtchn_backend_pending(evtchn_port_t gport);
/* Backend notifies the guest: sets the pending bit in shared_info (if not masked: also upcall bit). */
void sim_evtchn_notify_guest(evtchn_port_t gport);
bool sim_evtchn_is_open(evtchn_port_t gport);

/* ---- grant table ---- */
/*
 * Map the guest's grant ref into the backend. Checks the entry: GTF_permit_access,
 * domid == SIM_BACKEND_DOMID, and !GTF_readonly when write; sets GTF_reading /
 * GTF_writing while mapped. Returns NULL (and records a violation) otherwise.
 */
void *sim_gnttab_map(grant_ref_t ref, bool write);
void sim_gnttab_unmap(grant_ref_t ref);
unsigned int sim_gnttab_mapped(void); /* backend mappings still held */

/* ---- XenStore (the server side, as dom0 tools see it) ---- */
int sim_xs_write(const char *path, const char *value);
char *sim_xs_read(const char *path); /* malloc'd, NULL if missing */
int sim_xs_rm(const char *path);
/* Backends poll their watched nodes: true if path (or below) changed since the last call. */
bool sim_xs_changed(const char *path, unsigned long *generation);

/* ---- fault injection: --sim-fault=NAME[=VALUE] (repeatable) ---- */
void sim_fault_add(const char *spec);
bool sim_fault(const char *name);
long sim_fault_value(const char *name, long def);

/* ---- guest memory ---- */
void *sim_gfn_to_ptr(uint64_t gfn);

#endif
