// SPDX-License-Identifier: MIT
/*
 * lib/strto.c against glibc, differentially: value and end pointer of
 * strtoull() and strtoll() for any text and every valid base. The input
 * is data (the text to parse), never a format.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long long (*strtoull_fn)(const char *, char **, int);
typedef long long (*strtoll_fn)(const char *, char **, int);

static strtoull_fn libc_strtoull;
static strtoll_fn libc_strtoll;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int bases[] = {0, 2, 8, 10, 16, 36, 3, 7};
	char *text, *e1, *e2;
	int base;

	if (!libc_strtoull) {
		libc_strtoull = (strtoull_fn)dlsym(RTLD_NEXT, "strtoull");
		libc_strtoll = (strtoll_fn)dlsym(RTLD_NEXT, "strtoll");
		if (!libc_strtoull || !libc_strtoll || libc_strtoull == strtoull)
			abort();
	}
	if (!size)
		return 0;
	base = bases[data[0] % (sizeof(bases) / sizeof(bases[0]))];
	/* An exact-size copy: reading past the terminator is an ASan error. */
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	if (strtoull(text, &e1, base) != libc_strtoull(text, &e2, base) || e1 != e2) {
		fprintf(stderr, "strtoull(\"%s\", %d) differs from glibc\n", text, base);
		abort();
	}
	if (strtoll(text, &e1, base) != libc_strtoll(text, &e2, base) || e1 != e2) {
		fprintf(stderr, "strtoll(\"%s\", %d) differs from glibc\n", text, base);
		abort();
	}
	free(text);
	return 0;
}
