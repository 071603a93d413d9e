/* SPDX-License-Identifier: MIT */
/* The few POSIX types that zlib's headers (zconf.h) expect on the target. */
#ifndef PVBOOT_LIBC_SYS_TYPES_H
#define PVBOOT_LIBC_SYS_TYPES_H

#include <stddef.h>

typedef long off_t;
typedef long ssize_t;

#endif
