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

void efi_dp_add(struct efi_dp_buf *b, uint8_t type, uint8_t subtype, const void *body, size_t len)
{
	EFI_DEVICE_PATH h = {type, subtype, {(len + sizeof(h)) & 0xff, (len + sizeof(h)) >> 8}};

	if (b->overflow || b->len + sizeof(h) + len + sizeof(h) > sizeof(b->data)) {
		b->overflow = true;
		return;
	}
	memcpy(b->data + b->len, &h, sizeof(h));
	memcpy(b->data + b->len + sizeof(h), body, len);
	b->len += sizeof(h) + len;
}

void efi_dp_add_path(struct efi_dp_buf *b, const void *dp)
{
	size_t len = efi_dp_size(dp);

	if (!len || b->len + len > sizeof(b->data)) {
		b->overflow = true;
		return;
	}
	len -= sizeof(EFI_DEVICE_PATH); /* without its end node */
	memcpy(b->data + b->len, dp, len);
	b->len += len;
}

void efi_dp_add_file(struct efi_dp_buf *b, const char *path)
{
	CHAR16 name[EFI_FILE_PATH_MAX];
	size_t n = efi_utf8_to_utf16(path, name, ARRAY_SIZE(name));

	if (n == SIZE_MAX) {
		b->overflow = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (name[i] == '/')
			name[i] = '\\';
	efi_dp_add(b, MEDIA_DEVICE_PATH, MEDIA_FILEPATH_DP, name, (n + 1) * sizeof(CHAR16));
}

void *efi_dp_finish(struct efi_dp_buf *b)
{
	static const EFI_DEVICE_PATH end = {
	    END_DEVICE_PATH_TYPE, END_ENTIRE_DEVICE_PATH_SUBTYPE, {sizeof(end), 0}};
	void *dp;

	if (b->overflow || efi_pool_alloc(EfiBootServicesData, b->len + sizeof(end), &dp))
		return NULL;
	memcpy(dp, b->data, b->len);
	memcpy((uint8_t *)dp + b->len, &end, sizeof(end));
	return dp;
}

int efi_dp_file_path(const void *dp, char *out, size_t size)
{
	const uint8_t *p = dp;
	size_t len = 0, o = 0, total = efi_dp_size(dp);

	if (!total || size < 2)
		return -1;
	out[0] = '\0';
	for (size_t off = 0; off < total;) {
		const EFI_DEVICE_PATH *n = (const void *)(p + off);
		size_t nlen = node_len(n);
		int w;

		if (is_end(n))
			break;
		if (n->Type != MEDIA_DEVICE_PATH || n->SubType != MEDIA_FILEPATH_DP)
			return -1;
		if (len + 1 >= size)
			return -1;
		out[len++] = '/'; /* each node is one or more components */
		w = efi_utf16_to_utf8((const CHAR16 *)(n + 1), (nlen - sizeof(*n)) / 2, out + len,
				      size - len);
		if (w < 0)
			return -1;
		len += w;
		off += nlen;
	}
	/* '\' to '/', and one '/' between components ("\\a\\" + "\\b" is "/a/b"). */
	for (size_t i = 0; i < len; i++) {
		char c = out[i] == '\\' ? '/' : out[i];

		if (c != '/' || !o || out[o - 1] != '/')
			out[o++] = c;
	}
	out[o] = '\0';
	return o ? 0 : -1;
}
