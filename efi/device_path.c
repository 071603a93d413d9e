// SPDX-License-Identifier: MIT
/* Device paths: walked node by node, every length checked, bounded in size. */
#include <string.h>
#include "efi_internal.h"

#define DP_MAX_SIZE 4096

static size_t node_len(const EFI_DEVICE_PATH *n)
{
	return n->Length[0] | (n->Length[1] << 8);
}

static bool is_end(const EFI_DEVICE_PATH *n)
{
	return n->Type == END_DEVICE_PATH_TYPE && n->SubType == END_ENTIRE_DEVICE_PATH_SUBTYPE;
}

size_t efi_dp_size(const void *dp)
{
	const uint8_t *p = dp;
	size_t off = 0;

	if (!dp)
		return 0;
	while (off + sizeof(EFI_DEVICE_PATH) <= DP_MAX_SIZE) {
		const EFI_DEVICE_PATH *n = (const void *)(p + off);
		size_t len = node_len(n);

		if (len < sizeof(EFI_DEVICE_PATH) || off + len > DP_MAX_SIZE)
			return 0;
		off += len;
		if (is_end(n))
			return off;
	}
	return 0;
}

size_t efi_dp_prefix_len(const void *prefix, const void *path)
{
	size_t plen = efi_dp_size(prefix), len = efi_dp_size(path);

	if (!plen || !len || plen > len)
		return 0;
	plen -= sizeof(EFI_DEVICE_PATH); /* without its end node */
	if (memcmp(prefix, path, plen))
		return 0;
	/* The match must end at a node boundary of path. */
	for (size_t off = 0; off <= plen;) {
		const EFI_DEVICE_PATH *n = (const void *)((const uint8_t *)path + off);

		if (off == plen)
			return plen ? plen : 0;
		off += node_len(n);
	}
	return 0;
}
