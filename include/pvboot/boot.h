/* SPDX-License-Identifier: MIT */
/* Booting an OS. */
#ifndef PVBOOT_BOOT_H
#define PVBOOT_BOOT_H

#include <pvboot/compiler.h>

/*
 * Before an OS starts: remove every device flagged DEVICE_FLAG_OS_PREPARE
 * (<pvboot/device.h>), then tear down grants, event channels and
 * shared_info. 0 or -errno; after a device failed, the Xen services stay.
 */
int handoff_prepare(void);
/*
 * The same, but Xen services are torn down even when a driver failed to
 * quiesce: the end of a sandbox run, where what is left must show.
 */
int handoff_release_all(void);
/*
 * Just before the OS is started (before "Starting kernel ..."): mark
 * "handoff" and, if $bootstage_report is 1/y (as U-Boot's
 * CONFIG_BOOTSTAGE_REPORT), print the bootstage report while the console
 * still works.
 */
void handoff_report(void);

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
