// SPDX-License-Identifier: MIT
/*
 * lib/vsprintf.c against glibc's vsnprintf, differentially.
 *
 * The input never becomes a format string itself: it picks a conversion,
 * flags, width, precision and length modifier from fixed tables (only
 * combinations whose meaning C defines), the argument value, the string
 * argument's bytes and the output buffer size. Each call must:
 *  - write nothing beyond the given size (the buffer is an exact-size heap
 *    block, so ASan sees any overflow),
 *  - terminate the output when size > 0,
 *  - return the full would-be length,
 *  - produce exactly what glibc produces.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*vsnprintf_fn)(char *, size_t, const char *, va_list);

static vsnprintf_fn libc_vsnprintf;

struct reader {
	const uint8_t *p;
	size_t left;
};

static uint8_t take8(struct reader *r)
{
	if (!r->left)
		return 0;
	r->left--;
	return *r->p++;
}

static uint64_t take64(struct reader *r)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | take8(r);
	return v;
}

enum { C_D, C_I, C_U, C_X, C_XX, C_O, C_C, C_S, C_P, C_PCT, C_COUNT };
static const char conv_chars[C_COUNT] = {'d', 'i', 'u', 'x', 'X', 'o', 'c', 's', 'p', '%'};
static const char *const lengths[] = {"", "hh", "h", "l", "ll", "z", "t", "j"};

struct call {
	char fmt[64];
	int conv, len;
	bool has_star_width, has_star_prec;
	int star_width, star_prec;
	uint64_t value;
	char str[64];
};

/* Call f with the arguments the format of c expects. */
static int invoke(vsnprintf_fn f, char *buf, size_t size, const struct call *c, ...)
{
	va_list ap;
	int n;

	va_start(ap, c);
	n = f(buf, size, c->fmt, ap);
	va_end(ap);
	return n;
}

/* Dispatch on how many '*' there are and the argument's type. */
static int run(vsnprintf_fn f, char *buf, size_t size, const struct call *c)
{
	int w = c->star_width, p = c->star_prec;
	uint64_t v = c->value;

#define CALL(arg)                                                                   \
	(c->has_star_width && c->has_star_prec ? invoke(f, buf, size, c, w, p, arg) \
	 : c->has_star_width		       ? invoke(f, buf, size, c, w, arg)    \
	 : c->has_star_prec		       ? invoke(f, buf, size, c, p, arg)    \
					       : invoke(f, buf, size, c, arg))
	switch (c->conv) {
	case C_S:
		return CALL(c->str);
	case C_P:
		return CALL(
		    (void *)(uintptr_t)(v | 1)); /* non-NULL: glibc prints "(nil)" for NULL */
	case C_PCT:
		return invoke(f, buf, size, c);
	case C_C:
		return CALL((int)(v & 0xff));
	default:
		break;
	}
	switch (c->len) {
	case 3: /* l */
		return CALL((long)v);
	case 4: /* ll */
		return CALL((long long)v);
	case 5: /* z */
		return CALL((size_t)v);
	case 6: /* t */
		return CALL((ptrdiff_t)v);
	case 7: /* j */
		return CALL((intmax_t)v);
	default: /* int, hh, h: promoted to int */
		return CALL((int)v);
	}
#undef CALL
}

static void build_call(struct reader *r, struct call *c)
{
	uint8_t flags, wmode, pmode;
	bool integer, unsigned_conv;
	size_t n = 0;

	memset(c, 0, sizeof(*c));
	c->conv = take8(r) % C_COUNT;
	integer = c->conv <= C_O;
	unsigned_conv = c->conv >= C_U && c->conv <= C_O;
	flags = take8(r);
	wmode = take8(r);
	pmode = take8(r);

	c->fmt[n++] = 'A'; /* literal text around the conversion */
	c->fmt[n++] = '%';
	if (c->conv == C_PCT) {
		c->fmt[n++] = '%';
		c->fmt[n++] = 'B';
		c->fmt[n] = '\0';
		return;
	}
	/* Only the flags C defines for this conversion. */
	if (flags & 1)
		c->fmt[n++] = '-';
	if ((flags & 2) && integer && !unsigned_conv)
		c->fmt[n++] = '+';
	if ((flags & 4) && integer && !unsigned_conv)
		c->fmt[n++] = ' ';
	if ((flags & 8) && (c->conv == C_X || c->conv == C_XX || c->conv == C_O))
		c->fmt[n++] = '#';
	if ((flags & 16) && integer)
		c->fmt[n++] = '0';

	switch (wmode % 3) {
	case 1:
		n += (size_t)snprintf(c->fmt + n, 8, "%u", take8(r) * 4u);
		break;
	case 2:
		c->fmt[n++] = '*';
		c->has_star_width = true;
		c->star_width = (int8_t)take8(r) * 3;
		break;
	}
	/* Precision: integers and strings only (C leaves it undefined for %c and %p). */
	if (integer || c->conv == C_S) {
		switch (pmode % 3) {
		case 1:
			n += (size_t)snprintf(c->fmt + n, 8, ".%u", take8(r) % 80u);
			break;
		case 2:
			c->fmt[n++] = '.';
			c->fmt[n++] = '*';
			c->has_star_prec = true;
			c->star_prec = (int8_t)take8(r);
			break;
		}
	}
	if (integer) {
		c->len = take8(r) % (int)(sizeof(lengths) / sizeof(lengths[0]));
		n += (size_t)snprintf(c->fmt + n, 4, "%s", lengths[c->len]);
	}
	c->fmt[n++] = conv_chars[c->conv];
	c->fmt[n++] = 'B';
	c->fmt[n] = '\0';

	c->value = take64(r);
	for (size_t i = 0; i < sizeof(c->str) - 1 && r->left; i++) {
		c->str[i] = (char)take8(r);
		if (!c->str[i])
			break;
	}
}

static void check(const struct call *c, size_t size)
{
	char *ours = malloc(size ? size : 1);
	char *theirs = malloc(8192); /* the widest output is about 1 KiB */
	int n_ours, n_theirs;

	memset(ours, 0x7e, size ? size : 1);
	n_ours = run(vsnprintf, size ? ours : NULL, size, c);
	n_theirs = run(libc_vsnprintf, theirs, 8192, c);
	if (n_ours != n_theirs) {
		fprintf(stderr, "format \"%s\": length %d, glibc %d\n", c->fmt, n_ours, n_theirs);
		abort();
	}
	if (size) {
		size_t k = (size_t)n_ours < size ? (size_t)n_ours : size - 1;

		if (ours[k] != '\0' || memcmp(ours, theirs, k)) {
			fprintf(stderr, "format \"%s\" size %zu: \"%.*s\" vs glibc \"%.*s\"\n",
				c->fmt, size, (int)k, ours, (int)k, theirs);
			abort();
		}
	}
	free(ours);
	free(theirs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = {data, size};

	if (!libc_vsnprintf) {
		/* The next definition after ours: glibc's. */
		libc_vsnprintf = (vsnprintf_fn)dlsym(RTLD_NEXT, "vsnprintf");
		if (!libc_vsnprintf || libc_vsnprintf == vsnprintf)
			abort();
	}
	for (int i = 0; i < 4 && r.left; i++) {
		struct call c;
		size_t bufsize = take8(&r);

		if (bufsize > 200)
			bufsize = 4096 + bufsize; /* sometimes room for the widest output */
		build_call(&r, &c);
		check(&c, bufsize);
	}
	return 0;
}
