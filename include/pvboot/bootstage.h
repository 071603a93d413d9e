/* SPDX-License-Identifier: MIT */
/* Timestamps of boot phases, printed by the `bootstage` command. */
#ifndef PVBOOT_BOOTSTAGE_H
#define PVBOOT_BOOTSTAGE_H

#include <pvboot/compiler.h>

void bootstage_mark(const char *name);
/* A phase that happened before the table could be written (e.g. entry, MMU on). */
void bootstage_record(const char *name, uint64_t us);
void bootstage_report(void);

#endif
