/* SPDX-License-Identifier: MIT */
/* State shared between the files of the simulated hypervisor (not the guest's business). */
#ifndef SANDBOX_SIM_INTERNAL_H
#define SANDBOX_SIM_INTERNAL_H

#include "sim.h"
#include <pvboot/compiler.h>
#include <xen/xen.h>

/* gfns of the magic pages (as libxl lays them out: console, then xenstore). */
#define SIM_CONSOLE_PAGE 0
#define SIM_XENSTORE_PAGE 1
#define SIM_MAGIC_PAGES 2

/* Xen's default for a domU: 64 grant frames. */
#define SIM_GNTTAB_MAX_FRAMES 64

/* A guest handle's pointer, whatever the handle's type on this interface version. */
#define SIM_HANDLE_PTR(h) (*(void **)&(h))

/* Messages of the simulator itself go to stderr, prefixed "sim: ". */
void sim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Monotonic nanoseconds (the sandbox's arch counter runs at 1 GHz). */
uint64_t sim_now_ns(void);
/* vcpu.c: Xen's system time (not the guest's counter) and the runstate area. */
uint64_t sim_xen_now_ns(void);
void sim_vcpu_switched_in(void);
bool sim_runstate_registered(void);
long sim_vcpu_op(unsigned long cmd, unsigned long vcpu, void *arg);

/* shared_info: the page the guest mapped, or the sim's own copy until it does. */
struct shared_info *sim_shared_info(void);
int sim_shinfo_map(uint64_t gpfn);
int sim_shinfo_unmap(uint64_t gpfn); /* -ENOENT if gpfn is not shared_info */
bool sim_shinfo_mapped(void);

/* Physmap holes: gfns removed from the physmap, not repopulated. */
void sim_hole_add(uint64_t gpfn);
bool sim_hole_has(uint64_t gpfn);
/*
 * A page of the guest's: its RAM, or (the sandbox's pvboot runs on the
 * host's heap) a page it got from its heap, which stands in for RAM.
 */
bool sim_gfn_addressable(uint64_t gpfn);
/*
 * The domain's page count against its limit, as Xen keeps it: a RAM page
 * that a mapping replaced stays the domain's (Xen on Arm does not free it).
 * The limit is RAM plus 256 pages of slack (xl's maxmem), or plus N with
 * mem-slack=N (0: a dom0less domain's exact memory).
 */
void sim_page_stranded(uint64_t gpfn);
bool sim_may_allocate_page(void);
int sim_hole_fill(uint64_t gpfn);
bool sim_gpa_is_ram(uint64_t gpa, uint64_t len);

/* Event channels, guest side. */
void sim_evtchn_init(void);
long sim_evtchn_op(int cmd, void *arg);
bool sim_evtchn_guest_pending(evtchn_port_t port); /* bit set in shared_info */
unsigned int sim_evtchn_open_count(void);	   /* guest ports open, pre-bound pairs excluded */

/* Grant table, guest side. */
long sim_gnttab_op(unsigned int cmd, void *uop, unsigned int count);
int sim_gnttab_map_frame(unsigned long idx, uint64_t gpfn);
int sim_gnttab_unmap_frame(uint64_t gpfn); /* -ENOENT if not a grant frame */
unsigned int sim_gnttab_frames(void);
unsigned int sim_gnttab_active(void);
void sim_gnttab_reset(void);

/* Magic pages and their backends. */
void *sim_magic_page(unsigned int which);
evtchn_port_t sim_console_port(void);
evtchn_port_t sim_xenstore_port(void);
void sim_consback_init(void);
void sim_consback_drain(void);		/* push everything the guest wrote to stdout (exit path) */
void sim_consback_exit_on_eof(bool on); /* interactive, stdin not a tty: EOF ends the run */
struct xencons_interface *sim_console_ring(void); /* the ring consback serves */
void sim_xenstored_init(void);
/* HVM_PARAM_STORE_PFN as the guest sees it: pfn, or 0 / ~0 while XenStore is late. */
uint64_t sim_xs_store_pfn(uint64_t pfn);
void sim_xs_populate(void);	  /* the domain's initial tree (xs_data.c) */
void sim_xs_populate_disks(void); /* every --disk's frontend and backend nodes */

/* vpl011.c: the emulated UART of a dom0less domain (no PV console then). */
#define SIM_VPL011_BASE 0x22000000ull /* GUEST_PL011_BASE */
#define SIM_VPL011_SIZE 0x1000ull     /* GUEST_PL011_SIZE */
void sim_vpl011_enable(void);
bool sim_vpl011_enabled(void);

/* Faults: forget every fault (the `sim fault clear` command, unit tests). */
void sim_fault_clear(void);
int sim_fault_add_checked(const char *spec);	/* 0, -ENOENT (unknown), -EINVAL, -ENOSPC */
const char *sim_fault_string(const char *name); /* VALUE as given, or NULL */
void sim_fault_list(void (*cb)(const char *name, const char *value));

/* Activity seen from the guest (for the idle detection at stdin EOF). */
void sim_note_activity(void);
uint64_t sim_last_activity(void);

#endif
