/* SPDX-License-Identifier: MIT */
/* Freestanding subset: heap (lib/malloc.c) and number parsing (lib/strto.c). */
#ifndef PVBOOT_LIBC_STDLIB_H
#define PVBOOT_LIBC_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void *aligned_alloc(size_t align, size_t size);
void *memalign(size_t align, size_t size);
void free(void *p);

unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void abort(void) __attribute__((noreturn));

#endif
