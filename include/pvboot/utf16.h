/* SPDX-License-Identifier: MIT */
/* UTF-16LE (GPT names, FAT long names) to UTF-8. */
#ifndef PVBOOT_UTF16_H
#define PVBOOT_UTF16_H

#include <pvboot/compiler.h>

/*
 * Convert up to n UTF-16LE code units at src (unaligned bytes) into a
 * NUL-terminated UTF-8 string of at most size-1 bytes. Stops at a 0 unit.
 * Unpaired surrogates become '?'. Returns the UTF-8 length, or -1 if it did
 * not fit (dst still terminated).
 */
int utf16le_to_utf8(const uint8_t *src, size_t n, char *dst, size_t size);

#endif
