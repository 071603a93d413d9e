/* SPDX-License-Identifier: MIT */
/* Booting an OS. */
#ifndef PVBOOT_BOOT_H
#define PVBOOT_BOOT_H

#include <pvboot/compiler.h>

/* Quiesce every device and Xen service before an OS starts (see boot/handoff.c). */
struct handoff_ops {
	const char *name;
	int (*quiesce)(void);
	struct handoff_ops *next;
};
void handoff_register(struct handoff_ops *ops);
/* Runs every registered quiesce, then grants/evtchn/shared_info teardown. 0 or -errno. */
int handoff_prepare(void);
/*
 * The same, but Xen services are torn down even when a driver failed to
 * quiesce: the end of a sandbox run, where what is left must show.
 */
int handoff_release_all(void);

/* Autoboot: bootdelay countdown then bootcmd. Returns if interrupted or failed. */
void autoboot(void);
/*
 * Boot counting (boot/bootcount.c, U-Boot's BOOTCOUNT_ENV): count this boot
 * (saved when upgrade_available is set), and tell whether bootlimit is
 * exceeded so that altbootcmd runs instead of bootcmd.
 */
void bootcount_inc(void);
bool bootcount_exceeded(void);

#endif
