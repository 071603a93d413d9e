// SPDX-License-Identifier: MIT
/* U-Boot legacy images: what `mkimage -T script` and `-T ramdisk` produce. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/crc32.h>
#include <pvboot/legacy_image.h>

static uint32_t be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

bool legacy_image_magic(const void *p, size_t avail)
{
	uint32_t m;

	if (avail < sizeof(m))
		return false;
	memcpy(&m, p, sizeof(m));
	return be32(m) == IH_MAGIC;
}

int legacy_image_check(const void *p, size_t avail, struct legacy_image *img)
{
	struct legacy_image_header h;
	uint32_t want;

	if (avail < sizeof(h) || !legacy_image_magic(p, avail)) {
		printf("Bad image magic\n");
		return -EINVAL;
	}
	memcpy(&h, p, sizeof(h));
	want = be32(h.ih_hcrc);
	h.ih_hcrc = 0;
	if (crc32_le(0, &h, sizeof(h)) != want) {
		printf("Bad header checksum: image header is corrupt\n");
		return -EBADMSG;
	}
	img->size = be32(h.ih_size);
	if (img->size > avail - sizeof(h)) {
		printf("Image data is truncated: header says %u bytes, %zu available\n", img->size,
		       avail - sizeof(h));
		return -EBADMSG;
	}
	img->data = (const uint8_t *)p + sizeof(h);
	if (crc32_le(0, img->data, img->size) != be32(h.ih_dcrc)) {
		printf("Bad data CRC: image data is corrupt\n");
		return -EBADMSG;
	}
	img->type = h.ih_type;
	memcpy(img->name, h.ih_name, IH_NMLEN);
	img->name[IH_NMLEN] = '\0';
	return 0;
}
