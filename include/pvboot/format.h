/* SPDX-License-Identifier: MIT */
/*
 * The printf engine behind vsnprintf() and printf() (lib/vsprintf.c), and
 * human-readable sizes in U-Boot's style (lib/display.c).
 */
#ifndef PVBOOT_FORMAT_H
#define PVBOOT_FORMAT_H

#include <pvboot/compiler.h>
#include <stdarg.h>

/* Receives formatted output in pieces; must accept any length. */
typedef void (*format_emit_fn)(void *ctx, const char *s, size_t len);

/*
 * Format fmt with ap, handing the output to emit. Returns the number of
 * characters produced (clamped to INT_MAX).
 */
int vformat(format_emit_fn emit, void *ctx, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* "512 Bytes", "4 KiB", "205.1 MiB", as U-Boot's print_size() (one decimal, rounded). */
void format_size(char *buf, size_t len, uint64_t size);

/* "67108864 bytes read in 312 ms (205.1 MiB/s)", as U-Boot's load; no newline. */
void format_rate(char *buf, size_t len, uint64_t bytes, uint64_t us);

#endif
