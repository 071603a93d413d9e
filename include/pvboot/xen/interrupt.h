/* SPDX-License-Identifier: MIT */
/*
 * How a wait in the Xen layer learns that the user wants it to stop. The
 * console sits above this layer, so the layer above hands down a check
 * (Ctrl-C on the console) once, at start-up; every bounded wait in xen/
 * asks it on every loop turn. Without a check nothing interrupts a wait,
 * and only its deadline ends it.
 */
#ifndef PVBOOT_XEN_INTERRUPT_H
#define PVBOOT_XEN_INTERRUPT_H

#include <pvboot/compiler.h>

/* check returns true when the wait in progress should stop (-EINTR); NULL: never. */
void xen_set_interrupt_check(bool (*check)(void));

/* Asked by every wait loop in xen/. */
bool xen_interrupted(void);

#endif
