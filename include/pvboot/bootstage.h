/* SPDX-License-Identifier: MIT */
/*
 * Timestamps of boot phases, printed by the `bootstage` command (and before
 * the hand-off to the OS when asked: boot_report_stages()). Names are cut
 * to 31 characters.
 */
#ifndef PVBOOT_BOOTSTAGE_H
#define PVBOOT_BOOTSTAGE_H

#include <pvboot/compiler.h>

/* A point in time: its Elapsed is the time since the previous mark. */
void bootstage_mark(const char *name);
/* A phase that happened before the table could be written (e.g. entry, MMU on). */
void bootstage_record(const char *name, uint64_t us);
/*
 * A phase with a length: t = bootstage_start(); ...; bootstage_done("load",
 * path, t) records "load PATH" with the time since t (a long arg keeps its
 * end). The same phase again right after it adds to that record.
 */
uint64_t bootstage_start(void);
void bootstage_done(const char *what, const char *arg, uint64_t start_us);
/* A phase timed by someone else (start == end: a point that leaves the marks around it whole). */
void bootstage_record_phase(const char *name, uint64_t start_us, uint64_t end_us);
void bootstage_report(void);

#endif
