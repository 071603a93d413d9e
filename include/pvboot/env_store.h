/* SPDX-License-Identifier: MIT */
/*
 * The environment on storage (U-Boot's format, include/pvboot/env_image.h):
 * loaded once at boot, saved by saveenv, with U-Boot's redundant scheme
 * when CONFIG_ENV_REDUNDANT is set.
 */
#ifndef PVBOOT_ENV_STORE_H
#define PVBOOT_ENV_STORE_H

#include <pvboot/compiler.h>

/* Where the environment lives: copy 0, and copy 1 when redundant. */
struct env_location {
	const char *name; /* "FAT", as U-Boot names it in its messages */
	/* Read copy into buf[0..size): 0, -ENOENT if it does not exist, -errno. */
	int (*read)(int copy, void *buf, size_t size);
	/* Replace copy by buf[0..size): the old or the new content at any cut. */
	int (*write)(int copy, const void *buf, size_t size);
	/* Where copy is ("pvblock 0:1 uboot.env"), for messages. */
	void (*describe)(int copy, char *buf, size_t len);
};

extern const struct env_location env_location_fat;

/* The stored environment's geometry (CONFIG_ENV_SIZE, CONFIG_ENV_REDUNDANT). */
struct env_store_cfg {
	const struct env_location *loc;
	size_t size;
	bool redundant;
};

/* Where to load from and save to. */
void env_store_configure(const struct env_store_cfg *cfg);
/* The Kconfig location (env/env_location.c): CONFIG_ENV_IS_IN_FAT, or nowhere. */
void env_store_setup(void);
/* Is there anywhere to save to? */
bool env_store_available(void);
/* The stored image's size and layout (0 / false without storage). */
size_t env_store_size(void);
bool env_store_redundant(void);

/*
 * At boot, after the disks: replace the defaults by the stored environment,
 * or say why not and keep the defaults. 0 when loaded, -errno otherwise
 * (the message is printed either way).
 */
int env_load(void);
/* saveenv: 0 or -errno, "Saving Environment to FAT... OK/Failed" printed. */
int env_save(void);
/* env info: which copy is in use, where it is, its serial. */
void env_store_info(void);

#endif
