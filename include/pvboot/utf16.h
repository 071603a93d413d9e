/* SPDX-License-Identifier: MIT */
/* UTF-16LE (GPT names, FAT long names) to UTF-8 and back. */
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

/*
 * Convert the NUL-terminated UTF-8 string src into at most max UTF-16LE
 * code units at dst (unaligned bytes, 2 per unit; no terminator written).
 * Returns the number of units, -EILSEQ for a malformed sequence (overlong,
 * surrogate, beyond U+10FFFF, truncated) or -ENAMETOOLONG if it needs more
 * than max units.
 */
int utf8_to_utf16le(const char *src, uint8_t *dst, size_t max);

#endif
