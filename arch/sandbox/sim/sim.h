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
/* The interface the whole tree is built for (see the top Makefile), also in unit tests. */
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif
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

/* Device registers (vpl011.c): a register the simulated Xen does not emulate is a violation. */
uint32_t sim_mmio_read32(uint64_t addr);
void sim_mmio_write32(uint64_t addr, uint32_t val);

/* ---- event channels ---- */
/* A backend-side port bound to a guest port. */
/* Guest allocated port gport (EVTCHNOP_alloc_unbound for dom0); the backend binds to it. */
int sim_evtchn_bind(evtchn_port_t gport);
/* Pre-connected pair (console, xenstore: advertised through HVM params). Returns guest port. */
evtchn_port_t sim_evtchn_alloc_pair(void);
/* Backend: test-and-clear "guest notified us" on the pair of gport. */
bool sim_evtchn_backend_pending(evtchn_port_t gport);
/*
 * The backend of gport runs fn the moment the guest notifies it, as a backend
 * on another CPU would, instead of at the guest's next poll loop. A server
 * that floods its ring needs this: it refills whatever the guest takes.
 */
void sim_evtchn_on_notify(evtchn_port_t gport, void (*fn)(void));
/* Backend notifies the guest: pending bit in shared_info (unmasked: selector, upcall too). */
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
/*
 * Pointer to guest frame gfn (identity: gpa == address in this process), or
 * NULL if gfn is not guest RAM. Note: grant_entry_v1.frame is 32 bits, so a
 * backend can only be granted pages of guest RAM (0x40000000...), never
 * glibc/ASan heap pages (their gfns do not fit in 32 bits).
 */
void *sim_gfn_to_ptr(uint64_t gfn);

/* ---- layout (main.c fills it before sim_init) ---- */
struct sim_layout {
	uint64_t ram_base, ram_size;	   /* guest RAM bank 0 */
	uint64_t gnttab_base, gnttab_size; /* /hypervisor reg[0] */
	uint64_t magic_base;		   /* console page, then xenstore page */
};
void sim_set_layout(const struct sim_layout *layout);
const struct sim_layout *sim_get_layout(void);

/* ---- simulated disks: --disk IMG[,ro][,sector=4096] ---- */
#define SIM_MAX_DISKS 8
struct sim_disk {
	const char *path;	  /* image file */
	char *spec;		  /* our copy of the --disk spec: path points into it */
	bool readonly;		  /* ",ro": mode "r", writes fail */
	unsigned int sector_size; /* 512 (default) or 4096: the "sector-size" key */
	unsigned int index;	  /* 0, 1, ... in command-line order */
	unsigned int vdev;	  /* virtual-device: 51712 (xvda) + 16 * index */
	char frontend[64];	  /* /local/domain/1/device/vbd/<vdev> */
	char backend[64];	  /* /local/domain/0/backend/vbd/1/<vdev> */
};
/* main.c: parse and remember one --disk spec (before sim_init). 0 or -errno. */
int sim_disk_add(const char *spec);
unsigned int sim_disk_count(void);
struct sim_disk *sim_disk_get(unsigned int index);
/*
 * Implemented by the block backend (blkback*.c). sim_init() calls it once per
 * disk after writing the toolstack's nodes (frontend dir with state 1,
 * backend dir with frontend, params, mode, online, device-type, state 1...),
 * as libxl does before the guest runs; the backend then does what blkback's
 * probe does (features, InitWait) and registers its sim_backend. Weak: a
 * build without a block backend refuses --disk with a clear message.
 */
int sim_blkback_attach(struct sim_disk *disk) __attribute__((weak));

/* ---- simulated network: --vif DIR[,mac=MAC][,bootfile=NAME] ---- */
#define SIM_MAX_VIFS 2
struct sim_vif {
	char *spec;	      /* our copy of the --vif spec: root points into it */
	const char *root;     /* directory the TFTP and HTTP server serve */
	const char *bootfile; /* what DHCP offers (NULL: none) */
	uint8_t mac[6];	      /* the guest's, as libxl writes it */
	unsigned int index;   /* handle: 0, 1, ... */
	char frontend[64];    /* /local/domain/1/device/vif/<index> */
	char backend[64];     /* /local/domain/0/backend/vif/1/<index> */
};
int sim_vif_add(const char *spec); /* main.c, before sim_init. 0 or -errno */
unsigned int sim_vif_count(void);
struct sim_vif *sim_vif_get(unsigned int index);
/* Implemented by netback.c: the toolstack's nodes, then netback's probe. Weak as blkback's. */
int sim_netback_attach(struct sim_vif *vif) __attribute__((weak));

/* ---- hand-off check (arch_boot_linux), also shown by the `sim` command ---- */
struct sim_state {
	unsigned int violations;
	unsigned int gnttab_frames; /* grant frames still in the guest physmap */
	unsigned int grants_active; /* entries with GTF_permit_access in mapped frames */
	unsigned int gnttab_mapped; /* backend mappings held */
	unsigned int ports_open;    /* guest ports open, console/xenstore excluded */
	bool shared_info_mapped;    /* still in the physmap */
	unsigned int holes;	    /* gfns removed and not repopulated */
	bool runstate_registered;   /* Xen would still write the runstate area */
};
void sim_get_state(struct sim_state *st);

#endif
