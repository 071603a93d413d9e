/* SPDX-License-Identifier: MIT */
#ifndef PVBOOT_VERSION_H
#define PVBOOT_VERSION_H

#define PVBOOT_VERSION "2026.11"

/* "pvboot 2026.11 (<build date> - <time>)", defined once so every user agrees. */
extern const char pvboot_version_string[];

#endif
