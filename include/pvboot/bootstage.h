/* SPDX-License-Identifier: MIT */
/* Timestamps of boot phases, printed by the `bootstage` command. */
#ifndef PVBOOT_BOOTSTAGE_H
#define PVBOOT_BOOTSTAGE_H

#include <pvboot/compiler.h>

void bootstage_mark(const char *name);
void bootstage_report(void);

#endif
