// SPDX-License-Identifier: MIT
/*
 * printf() family on the console. Kept apart from console.c so that unit
 * tests can link the console without taking over the test runner's printf.
 * Output is batched in a small stack buffer; there is no length limit.
 */
#include <stdio.h>
#include <pvboot/console.h>
#include <pvboot/format.h>

struct print_ctx {
	char buf[128];
	size_t n;
};

static void print_emit(void *ctx, const char *s, size_t len)
{
	struct print_ctx *p = ctx;

	while (len) {
		size_t k = sizeof(p->buf) - p->n;

		if (k > len)
			k = len;
		for (size_t i = 0; i < k; i++)
			p->buf[p->n + i] = s[i];
		p->n += k;
		s += k;
		len -= k;
		if (p->n == sizeof(p->buf)) {
			console_write(p->buf, p->n);
			p->n = 0;
		}
	}
}

int vprintf(const char *fmt, va_list ap)
{
	struct print_ctx p;
	int n;

	p.n = 0;
	n = vformat(print_emit, &p, fmt, ap);
	if (p.n)
		console_write(p.buf, p.n);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int putchar(int c)
{
	console_putc((char)c);
	return (unsigned char)c;
}
