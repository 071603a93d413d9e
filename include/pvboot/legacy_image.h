/* SPDX-License-Identifier: MIT */
/* U-Boot legacy image (mkimage -T script / ramdisk): 64-byte big-endian header. */
#ifndef PVBOOT_LEGACY_IMAGE_H
#define PVBOOT_LEGACY_IMAGE_H

#include <pvboot/compiler.h>

#define IH_MAGIC 0x27051956
#define IH_NMLEN 32
#define IH_TYPE_RAMDISK 3
#define IH_TYPE_MULTI 4
#define IH_TYPE_SCRIPT 6
#define IH_COMP_NONE 0

struct legacy_image_header {
	uint32_t ih_magic; /* all fields big endian */
	uint32_t ih_hcrc;
	uint32_t ih_time;
	uint32_t ih_size;
	uint32_t ih_load;
	uint32_t ih_ep;
	uint32_t ih_dcrc;
	uint8_t ih_os;
	uint8_t ih_arch;
	uint8_t ih_type;
	uint8_t ih_comp;
	uint8_t ih_name[IH_NMLEN];
};

struct legacy_image {
	unsigned int type;
	const uint8_t *data; /* payload after the header */
	uint32_t size;
	char name[IH_NMLEN + 1];
};

bool legacy_image_magic(const void *p, size_t avail);
/*
 * Check header and data CRCs within avail bytes. 0 or -EBADMSG/-EINVAL with a
 * message printed; never reads past avail.
 */
int legacy_image_check(const void *p, size_t avail, struct legacy_image *img);

#endif
