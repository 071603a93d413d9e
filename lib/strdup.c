// SPDX-License-Identifier: MIT
/* strdup()/strndup() for the target: apart from lib/string.c, which the heap itself uses. */
#include <stdint.h>
#include <libc/string.h>
#include <libc/stdlib.h>

char *strdup(const char *s)
{
	return strndup(s, SIZE_MAX);
}

char *strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = malloc(len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}
