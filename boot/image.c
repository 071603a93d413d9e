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
		printf(
		    "Linux ARM64 Image is big-endian: cannot boot it on a little-endian guest\n");
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

static uint32_t le32_at(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16_at(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

#define PE_COFF_HDR 24 /* "PE\0\0" + COFF file header */
#define PE_SECTION 40

uint64_t arm64_image_file_size(const void *image, size_t avail)
{
	const uint8_t *b = image;
	uint64_t need = 0;
	uint32_t pe, sec;
	unsigned int n;

	if (avail < sizeof(struct arm64_image_header))
		return 0;
	pe = le32_at(b + offsetof(struct arm64_image_header, res5));
	if (pe > avail || avail - pe < PE_COFF_HDR || memcmp(b + pe, "PE\0\0", 4))
		return 0;
	n = le16_at(b + pe + 6);
	sec = pe + PE_COFF_HDR + le16_at(b + pe + 20);
	for (unsigned int i = 0; i < n; i++, sec += PE_SECTION) {
		uint64_t end;

		if (sec > avail || avail - sec < PE_SECTION)
			break; /* the table itself is cut: what we saw is a lower bound */
		end = (uint64_t)le32_at(b + sec + 20) + le32_at(b + sec + 16);
		if (end > need)
			need = end;
	}
	return need;
}

bool is_gzip(const void *p, size_t avail)
{
	const uint8_t *b = p;

	return avail >= GZIP_MIN_LEN && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8;
}
