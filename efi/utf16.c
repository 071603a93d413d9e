// SPDX-License-Identifier: MIT
/* UTF-8 (pvboot's strings) to and from UTF-16 (UEFI's), bounded both ways. */
#include <pvboot/utf16.h>
#include "efi_internal.h"

size_t efi_utf8_to_utf16(const char *s, CHAR16 *out, size_t n)
{
	size_t u = 0;

	while (*s) {
		uint8_t c = *s++;
		int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
		uint32_t cp = more ? c & (0x3f >> more) : c;

		for (int i = 0; i < more; i++, s++) {
			if ((*s & 0xc0) != 0x80) {
				cp = 0xfffd;
				break;
			}
			cp = cp << 6 | (*s & 0x3f);
		}
		if ((c >= 0x80 && c < 0xc0) || c > 0xf4 || cp > 0x10ffff)
			cp = 0xfffd; /* not valid UTF-8: the replacement character */
		if (u + (cp >= 0x10000) + 2 > n)
			return SIZE_MAX;
		if (cp >= 0x10000) {
			out[u++] = 0xd800 + ((cp - 0x10000) >> 10);
			out[u++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
		} else {
			out[u++] = cp;
		}
	}
	if (!n)
		return SIZE_MAX;
	out[u] = 0;
	return u;
}

int efi_utf16_to_utf8(const CHAR16 *s, size_t n, char *out, size_t size)
{
	return utf16le_to_utf8((const uint8_t *)s, n, out, size);
}
