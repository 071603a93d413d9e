/* SPDX-License-Identifier: MIT */
/* Only what zlib's zconf.h looks for: off_t and the SEEK_* values. */
#ifndef PVBOOT_LIBC_UNISTD_H
#define PVBOOT_LIBC_UNISTD_H

#include <sys/types.h>

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#endif
