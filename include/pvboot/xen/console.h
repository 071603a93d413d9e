/* SPDX-License-Identifier: MIT */
/* Xen PV console (HVM_PARAM_CONSOLE_PFN / CONSOLE_EVTCHN). */
#ifndef PVBOOT_XEN_CONSOLE_H
#define PVBOOT_XEN_CONSOLE_H

#include <pvboot/compiler.h>

/* Find the ring, register the console device. 0 or -errno. */
int xen_console_init(void);

/* Figures for `xen info` and tests. */
struct xen_console_stats {
	uint64_t pfn;
	uint32_t port;
	uint64_t written; /* bytes put on the out ring */
	uint64_t dropped; /* bytes dropped after a stall (each drop is marked in the output) */
	uint64_t read;	  /* bytes taken from the in ring */
	uint32_t bad_idx; /* times the backend's indexes were out of range */
};
int xen_console_get_stats(struct xen_console_stats *st); /* -ENODEV if not up */

#endif
