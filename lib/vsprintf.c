// SPDX-License-Identifier: MIT
/*
 * printf-style formatting: one engine (vformat) that hands its output to a
 * callback, so vsnprintf() fills a bounded buffer and printf() streams to
 * the console without any length limit.
 *
 * Supported: %d %i %u %x %X %o %c %s %p %%, flags "-+ #0", width and
 * precision (also '*'), length modifiers hh h l ll z t j (L, q accepted).
 * Anything else (including %n, never supported) is printed verbatim.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <pvboot/format.h>

#define F_LEFT 0x01
#define F_PLUS 0x02
#define F_SPACE 0x04
#define F_ALT 0x08
#define F_ZERO 0x10
#define F_UPPER 0x20

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

struct out {
	format_emit_fn emit;
	void *ctx;
	size_t count;
};

static void out_str(struct out *o, const char *s, size_t len)
{
	if (len) {
		o->emit(o->ctx, s, len);
		o->count += len;
	}
}

static void out_pad(struct out *o, char c, size_t n)
{
	char pad[16];
	size_t i;

	for (i = 0; i < sizeof(pad); i++)
		pad[i] = c;
	while (n) {
		size_t k = n < sizeof(pad) ? n : sizeof(pad);

		out_str(o, pad, k);
		n -= k;
	}
}

struct spec {
	unsigned int flags;
	int width;     /* >= 0 */
	int precision; /* < 0: not given */
};

/* Emit a field body with its prefix, padded to spec->width. */
static void out_field(struct out *o, const struct spec *sp, const char *prefix, size_t plen,
		      size_t zeros, const char *body, size_t blen)
{
	size_t total = plen + zeros + blen;
	size_t pad = (size_t)sp->width > total ? (size_t)sp->width - total : 0;

	if (!(sp->flags & F_LEFT) && !(sp->flags & F_ZERO))
		out_pad(o, ' ', pad);
	out_str(o, prefix, plen);
	if (!(sp->flags & F_LEFT) && (sp->flags & F_ZERO))
		out_pad(o, '0', pad);
	out_pad(o, '0', zeros);
	out_str(o, body, blen);
	if (sp->flags & F_LEFT)
		out_pad(o, ' ', pad);
}

static void out_number(struct out *o, struct spec sp, unsigned long long v, bool negative,
		       unsigned int base)
{
	const char *digits = (sp.flags & F_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24]; /* 22 octal digits cover 64 bits */
	char prefix[2];
	size_t plen = 0, n = 0, zeros = 0;

	while (v) {
		/* base is 8, 10 or 16 (cppcheck confuses v with the divisor) */
		// cppcheck-suppress zerodivcond
		tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
		v /= base;
	}
	/* The zero value prints one digit unless the precision is explicitly 0. */
	if (n == 0 && sp.precision != 0)
		tmp[sizeof(tmp) - 1 - n++] = '0';

	if (negative)
		prefix[plen++] = '-';
	else if (sp.flags & F_PLUS)
		prefix[plen++] = '+';
	else if (sp.flags & F_SPACE)
		prefix[plen++] = ' ';

	if (sp.precision >= 0) {
		if ((size_t)sp.precision > n)
			zeros = (size_t)sp.precision - n;
		sp.flags &= ~F_ZERO; /* C: '0' is ignored when a precision is given */
	}
	if (base == 8 && (sp.flags & F_ALT) && zeros == 0 &&
	    (n == 0 || tmp[sizeof(tmp) - n] != '0'))
		zeros = 1;
	if (base == 16 && (sp.flags & F_ALT)) {
		prefix[plen++] = '0';
		prefix[plen++] = (sp.flags & F_UPPER) ? 'X' : 'x';
	}
	out_field(o, &sp, prefix, plen, zeros, tmp + sizeof(tmp) - n, n);
}

static size_t bounded_strlen(const char *s, int precision)
{
	size_t n = 0;

	while ((precision < 0 || n < (size_t)precision) && s[n])
		n++;
	return n;
}

static unsigned long long get_unsigned(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	case LEN_PTRDIFF:
		return (unsigned long long)va_arg(*ap, ptrdiff_t);
	case LEN_MAX:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static long long get_signed(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return (long long)va_arg(*ap, size_t);
	case LEN_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	case LEN_MAX:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

/* Parse a decimal field, saturating so absurd widths cannot overflow int. */
static int parse_num(const char **p)
{
	int v = 0;

	while (**p >= '0' && **p <= '9') {
		if (v < INT_MAX / 10)
			v = v * 10 + (**p - '0');
		else
			v = INT_MAX;
		(*p)++;
	}
	return v;
}

static const char *parse_length(const char *p, enum length *len)
{
	*len = LEN_INT;
	switch (*p) {
	case 'h':
		if (p[1] == 'h') {
			*len = LEN_CHAR;
			return p + 2;
		}
		*len = LEN_SHORT;
		return p + 1;
	case 'l':
		if (p[1] == 'l') {
			*len = LEN_LLONG;
			return p + 2;
		}
		*len = LEN_LONG;
		return p + 1;
	case 'q':
	case 'L':
		*len = LEN_LLONG;
		return p + 1;
	case 'z':
		*len = LEN_SIZE;
		return p + 1;
	case 't':
		*len = LEN_PTRDIFF;
		return p + 1;
	case 'j':
		*len = LEN_MAX;
		return p + 1;
	}
	return p;
}

/*
 * The va_list is passed by pointer (va_copy'd) so helpers can consume
 * arguments portably: on some ABIs va_list is an array type.
 */
static void format_one(struct out *o, const char *start, const char **pp, va_list *ap)
{
	const char *p = *pp;
	struct spec sp = {0, 0, -1};
	enum length len;
	char c;

	for (;; p++) {
		if (*p == '-')
			sp.flags |= F_LEFT;
		else if (*p == '+')
			sp.flags |= F_PLUS;
		else if (*p == ' ')
			sp.flags |= F_SPACE;
		else if (*p == '#')
			sp.flags |= F_ALT;
		else if (*p == '0')
			sp.flags |= F_ZERO;
		else
			break;
	}
	if (*p == '*') {
		int w = va_arg(*ap, int);

		if (w < 0) {
			sp.flags |= F_LEFT;
			w = w == INT_MIN ? INT_MAX : -w;
		}
		sp.width = w;
		p++;
	} else {
		sp.width = parse_num(&p);
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			sp.precision = va_arg(*ap, int);
			if (sp.precision < 0)
				sp.precision = -1;
			p++;
		} else {
			sp.precision = parse_num(&p);
		}
	}
	if (sp.flags & F_LEFT)
		sp.flags &= ~F_ZERO;
	p = parse_length(p, &len);

	c = *p;
	if (c)
		p++;
	*pp = p;

	switch (c) {
	case 'd':
	case 'i': {
		long long v = get_signed(len, ap);
		unsigned long long mag =
		    v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

		out_number(o, sp, mag, v < 0, 10);
		break;
	}
	case 'u':
		sp.flags &= ~(F_PLUS | F_SPACE);
		out_number(o, sp, get_unsigned(len, ap), false, 10);
		break;
	case 'X':
		sp.flags |= F_UPPER;
		/* fall through */
	case 'x': {
		unsigned long long v = get_unsigned(len, ap);

		sp.flags &= ~(F_PLUS | F_SPACE);
		if (v == 0)
			sp.flags &= ~F_ALT; /* C: no 0x prefix for zero */
		out_number(o, sp, v, false, 16);
		break;
	}
	case 'o':
		sp.flags &= ~(F_PLUS | F_SPACE);
		out_number(o, sp, get_unsigned(len, ap), false, 8);
		break;
	case 'p': {
		uintptr_t v = (uintptr_t)va_arg(*ap, void *);

		sp.flags = (sp.flags & (F_LEFT | F_ZERO)) | F_ALT;
		out_number(o, sp, v, false, 16);
		break;
	}
	case 'c': {
		char ch = (char)va_arg(*ap, int);

		sp.flags &= ~F_ZERO;
		out_field(o, &sp, NULL, 0, 0, &ch, 1);
		break;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);

		if (!s)
			s = "(null)";
		sp.flags &= ~F_ZERO;
		out_field(o, &sp, NULL, 0, 0, s, bounded_strlen(s, sp.precision));
		break;
	}
	case '%':
		out_str(o, "%", 1);
		break;
	default:
		/* Unknown or unsupported conversion: show it rather than guess. */
		out_str(o, start, (size_t)(p - start));
		break;
	}
}

int vformat(format_emit_fn emit, void *ctx, const char *fmt, va_list ap)
{
	struct out o = {emit, ctx, 0};
	const char *p = fmt;
	va_list aq;

	va_copy(aq, ap);
	while (*p) {
		const char *lit = p;

		while (*p && *p != '%')
			p++;
		out_str(&o, lit, (size_t)(p - lit));
		if (*p == '%') {
			const char *start = p++;

			format_one(&o, start, &p, &aq);
		}
	}
	va_end(aq);
	return o.count > INT_MAX ? INT_MAX : (int)o.count;
}

struct buf_ctx {
	char *buf;
	size_t size; /* room including the terminating NUL */
	size_t pos;
};

static void buf_emit(void *ctx, const char *s, size_t len)
{
	struct buf_ctx *b = ctx;

	if (b->pos < b->size) {
		size_t room = b->size - 1 - b->pos;
		size_t k = len < room ? len : room;
		size_t i;

		for (i = 0; i < k; i++)
			b->buf[b->pos + i] = s[i];
	}
	b->pos += len;
	if (b->pos < len) /* wrapped: keep it saturated */
		b->pos = SIZE_MAX;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_ctx b = {buf, size, 0};
	int n = vformat(buf_emit, &b, fmt, ap);

	if (size)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, INT_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}
