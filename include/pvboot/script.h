/* SPDX-License-Identifier: MIT */
#ifndef PVBOOT_SCRIPT_H
#define PVBOOT_SCRIPT_H

#include <pvboot/compiler.h>

/*
 * Find the script text in a buffer: a U-Boot legacy script image (mkimage -T
 * script; CRCs checked) or plain text. 0 with *text and *len set, or -errno with
 * a message printed.
 */
int script_extract(const void *buf, size_t avail, const char **text, size_t *len);

/*
 * Run the script at addr, of at most avail bytes (checked by the memory gate
 * before anything is read). Returns the shell status.
 */
int script_source(uintptr_t addr, size_t avail);

#endif
