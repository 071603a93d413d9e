// SPDX-License-Identifier: MIT
/*
 * Freestanding string functions for the target (the sandbox uses glibc's).
 * memcpy/memmove/memset move a word at a time when the pointers allow it:
 * the target is built with -mstrict-align, so unaligned words are avoided.
 * Built with -fno-tree-loop-distribute-patterns so that GCC does not turn
 * these loops back into calls to themselves.
 */
#include <stdint.h>
#include <libc/string.h>

typedef unsigned long __attribute__((may_alias)) word_t;
#define WSIZE sizeof(word_t)
#define WMASK (WSIZE - 1)

static inline int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Same misalignment: bring both to a word boundary, then copy words. */
	if ((((uintptr_t)d ^ (uintptr_t)s) & WMASK) == 0) {
		while (n && ((uintptr_t)d & WMASK)) {
			*d++ = *s++;
			n--;
		}
		while (n >= 4 * WSIZE) {
			word_t *dw = (word_t *)d;
			const word_t *sw = (const word_t *)s;

			/* Loads before stores: lets the compiler pair them (ldp/stp). */
			word_t w0 = sw[0], w1 = sw[1], w2 = sw[2], w3 = sw[3];

			dw[0] = w0;
			dw[1] = w1;
			dw[2] = w2;
			dw[3] = w3;
			d += 4 * WSIZE;
			s += 4 * WSIZE;
			n -= 4 * WSIZE;
		}
		while (n >= WSIZE) {
			*(word_t *)d = *(const word_t *)s;
			d += WSIZE;
			s += WSIZE;
			n -= WSIZE;
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	/* Forward copy is safe when dst is below src or the areas are apart. */
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);

	d += n;
	s += n;
	if ((((uintptr_t)d ^ (uintptr_t)s) & WMASK) == 0) {
		while (n && ((uintptr_t)d & WMASK)) {
			*--d = *--s;
			n--;
		}
		while (n >= WSIZE) {
			d -= WSIZE;
			s -= WSIZE;
			*(word_t *)d = *(const word_t *)s;
			n -= WSIZE;
		}
	}
	while (n--)
		*--d = *--s;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t pattern = (unsigned char)c;

	pattern |= pattern << 8;
	pattern |= pattern << 16;
	pattern |= (pattern << 16) << 16;

	while (n && ((uintptr_t)d & WMASK)) {
		*d++ = (unsigned char)c;
		n--;
	}
	while (n >= 4 * WSIZE) {
		word_t *dw = (word_t *)d;

		dw[0] = pattern;
		dw[1] = pattern;
		dw[2] = pattern;
		dw[3] = pattern;
		d += 4 * WSIZE;
		n -= 4 * WSIZE;
	}
	while (n >= WSIZE) {
		*(word_t *)d = pattern;
		d += WSIZE;
		n -= WSIZE;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (!*x)
			break;
	}
	return 0;
}

int strcasecmp(const char *a, const char *b)
{
	return strncasecmp(a, b, SIZE_MAX);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		int d = lower(*x) - lower(*y);

		if (d)
			return d;
		if (!*x)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *h, const char *n)
{
	size_t nlen = strlen(n);

	if (!nlen)
		return (char *)h;
	for (; *h; h++)
		if (*h == *n && !strncmp(h, n, nlen))
			return (char *)h;
	return NULL;
}

char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

char *strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t k = len < size - 1 ? len : size - 1;

		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return len;
}

size_t strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size) /* no terminator within size: nothing can be appended */
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}

char *strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

char *strsep(char **stringp, const char *delim)
{
	char *s = *stringp, *e;

	if (!s)
		return NULL;
	e = s + strcspn(s, delim);
	if (*e) {
		*e = '\0';
		*stringp = e + 1;
	} else {
		*stringp = NULL;
	}
	return s;
}

char *strtok_r(char *s, const char *delim, char **saveptr)
{
	char *end;

	if (!s)
		s = *saveptr;
	if (!s)
		return NULL;
	s += strspn(s, delim);
	if (!*s) {
		*saveptr = NULL;
		return NULL;
	}
	end = s + strcspn(s, delim);
	if (*end)
		*end++ = '\0';
	else
		end = NULL;
	*saveptr = end;
	return s;
}
