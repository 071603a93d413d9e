// SPDX-License-Identifier: MIT
/* arm64 Image header checks (the rules of the arm64 boot protocol). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/image.h>

int arm64_image_check(const void *hdr, size_t avail, struct arm64_image_info *info)
{
	struct arm64_image_header h;

	if (avail < sizeof(h)) {
		printf("Bad Linux ARM64 Image: only %zu bytes\n", avail);
		return -ENOEXEC;
	}
	memcpy(&h, hdr, sizeof(h));
	if (h.magic != ARM64_IMAGE_MAGIC) {
		printf("Bad Linux ARM64 Image magic! (0x%08x, expected 0x%08x)\n", h.magic,
		       ARM64_IMAGE_MAGIC);
		return -ENOEXEC;
	}
	if (h.flags & ARM64_IMAGE_FLAG_BE) {
		printf("Linux ARM64 Image is big-endian: cannot boot it on a little-endian guest\n");
		return -ENOEXEC;
	}
	if (h.text_offset >= SZ_2M || h.text_offset % 8) {
		printf("Bad Linux ARM64 Image text_offset 0x%llx\n",
		       (unsigned long long)h.text_offset);
		return -ENOEXEC;
	}
	info->text_offset = h.text_offset;
	/* image_size 0: a kernel older than 3.17; assume a generous 16 MiB as U-Boot does. */
	info->image_size = h.image_size ? h.image_size : 16 * SZ_1M;
	if (info->image_size > SZ_1G) {
		printf("Bad Linux ARM64 Image size 0x%llx\n", (unsigned long long)info->image_size);
		return -ENOEXEC;
	}
	return 0;
}

bool is_gzip(const void *p, size_t avail)
{
	const uint8_t *b = p;

	return avail >= 18 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8;
}
