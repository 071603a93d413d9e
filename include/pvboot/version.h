/* SPDX-License-Identifier: MIT */
#ifndef PVBOOT_VERSION_H
#define PVBOOT_VERSION_H

#define PVBOOT_VERSION "2026.11"
#define PVBOOT_VERSION_STRING "pvboot " PVBOOT_VERSION " (" __DATE__ " - " __TIME__ ")"

#endif
