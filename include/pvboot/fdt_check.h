/* SPDX-License-Identifier: MIT */
#ifndef PVBOOT_FDT_CHECK_H
#define PVBOOT_FDT_CHECK_H

#include <pvboot/compiler.h>

#define FDT_MAX_SIZE (2 * SZ_1M)

/*
 * Walk the whole structure block and check every tag, length and name
 * offset against the blob's bounds (at most max_size bytes), before libfdt
 * sees it: Debian's libfdt 1.6.1 loops forever on a property with a
 * negative length. 0 or -EINVAL with the reason in *why.
 */
int fdt_validate(const void *fdt, size_t max_size, const char **why);

#endif
