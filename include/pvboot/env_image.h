/* SPDX-License-Identifier: MIT */
/*
 * The environment as U-Boot stores it and Linux's fw_printenv reads it:
 *
 *   offset 0   CRC-32 (little-endian) of the data area
 *   offset 4   flag byte, redundant layout only (a serial, higher = newer)
 *   then       data area: "name=value\0" ... "\0", zero padded to the end
 *
 * and the two forms `env export`/`env import` move through memory: the
 * binary list (-b, the data area alone) and text (-t, one name=value per
 * line, '\n' and '\\' in values escaped with '\\').
 */
#ifndef PVBOOT_ENV_IMAGE_H
#define PVBOOT_ENV_IMAGE_H

#include <pvboot/compiler.h>

#define ENV_IMAGE_HDR(redund) ((redund) ? 5u : 4u)

/*
 * The current environment into img[0..size), or only the variables named in
 * names[0..n) when n > 0. -ENOSPC if it does not fit (img untouched then).
 */
int env_image_export(uint8_t *img, size_t size, bool redund, uint8_t flags,
		     const char *const *names, int n);
/*
 * 0 if img holds a valid environment: the CRC matches and the list ends
 * (an empty entry) inside the data area. -EBADMSG for a bad CRC, -EUCLEAN
 * for a list without its end, -EINVAL if size is too small for a header.
 */
int env_image_check(const uint8_t *img, size_t size, bool redund);
uint8_t env_image_flags(const uint8_t *img);
/*
 * Replace the environment by img's variables, after env_image_check();
 * on an error nothing has changed. Entries that are not name=value with a
 * valid name are reported and skipped. Returns how many were set.
 */
int env_image_import(const uint8_t *img, size_t size, bool redund);

/*
 * Which of two redundant copies to use, as U-Boot and libubootenv decide:
 * the valid one, or of two valid ones the higher serial (255 < 0 wraps).
 * -1 if neither is valid.
 */
int env_redund_pick(bool ok0, uint8_t flags0, bool ok1, uint8_t flags1);

/*
 * env export -b / -t: the variables (all, or names[0..n)) as a list into
 * buf[0..size). Binary: "name=value\0"... "\0"; text: "name=value\n"...
 * "\0". Returns the bytes written (the final NUL included), -ENOSPC.
 */
long env_list_export(char *buf, size_t size, bool text, const char *const *names, int n);
/*
 * env import -b: "name=value\0" entries up to an empty one or len bytes;
 * "name" or "name=" deletes. replace (-d) clears the environment first, once
 * the list is known to be well formed. Returns how many were set, -errno.
 */
int env_list_import(const char *buf, size_t len, bool replace);

#endif
