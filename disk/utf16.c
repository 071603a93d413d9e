// SPDX-License-Identifier: MIT
/* UTF-16LE to UTF-8 for names stored on disk (every unit is untrusted), and back. */
#include <errno.h>
#include <pvboot/get_le.h>
#include <pvboot/utf16.h>

static size_t utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int utf16le_to_utf8(const uint8_t *src, size_t n, char *dst, size_t size)
{
	size_t o = 0;

	if (!size)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = get_le16(src + 2 * i);
		char tmp[4];
		size_t len;

		if (!cp)
			break;
		if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < n) {
			uint32_t lo = get_le16(src + 2 * (i + 1));

			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			} else {
				cp = '?';
			}
		} else if (cp >= 0xd800 && cp < 0xe000) {
			cp = '?';
		}
		len = utf8_put(cp, tmp);
		if (o + len >= size) {
			dst[o] = '\0';
			return -1;
		}
		for (size_t k = 0; k < len; k++)
			dst[o++] = tmp[k];
	}
	dst[o] = '\0';
	return (int)o;
}

/* One code point from UTF-8 at *s (advanced past it), or -1 if malformed. */
static long utf8_get(const unsigned char **s)
{
	const unsigned char *p = *s;
	unsigned int n;
	uint32_t cp, min;

	if (p[0] < 0x80) {
		*s = p + 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 1, cp = p[0] & 0x1f, min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 2, cp = p[0] & 0x0f, min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 3, cp = p[0] & 0x07, min = 0x10000;
	} else {
		return -1;
	}
	for (unsigned int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return -1;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		return -1;
	*s = p + n + 1;
	return cp;
}

int utf8_to_utf16le(const char *src, uint8_t *dst, size_t max)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	while (*s) {
		long cp = utf8_get(&s);

		if (cp < 0)
			return -EILSEQ;
		if (cp >= 0x10000) {
			if (o + 2 > max)
				return -ENAMETOOLONG;
			cp -= 0x10000;
			put_le16(dst + 2 * o++, (uint16_t)(0xd800 + (cp >> 10)));
			put_le16(dst + 2 * o++, (uint16_t)(0xdc00 + (cp & 0x3ff)));
		} else {
			if (o + 1 > max)
				return -ENAMETOOLONG;
			put_le16(dst + 2 * o++, (uint16_t)cp);
		}
	}
	return (int)o;
}
