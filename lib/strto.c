// SPDX-License-Identifier: MIT
/*
 * strtoul() and friends for the target. Base 0 picks 16 for "0x", 8 for a
 * leading "0", else 10; base 16 accepts an optional "0x". Values that do
 * not fit saturate (there is no errno on the target). *end points after
 * the last digit used, or at s when there is no number.
 */
#include <limits.h>
#include <stdbool.h>
#include <libc/stdlib.h>

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Magnitude parser shared by all four; reports the sign and overflow. */
static unsigned long long parse(const char *s, char **end, int base, bool *neg, bool *overflow)
{
	const char *p = s;
	const char *digits;
	unsigned long long v = 0;

	*neg = false;
	*overflow = false;
	if (base < 0 || base == 1 || base > 36) {
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (is_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	digits = p;
	for (; digit_value(*p) < base; p++) {
		unsigned int d = (unsigned int)digit_value(*p);

		if (v > (ULLONG_MAX - d) / (unsigned int)base)
			*overflow = true;
		else
			v = v * (unsigned int)base + d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	return v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	bool neg, ovf;
	unsigned long long v = parse(s, end, base, &neg, &ovf);

	if (ovf)
		return ULLONG_MAX;
	return neg ? 0ULL - v : v;
}

long long strtoll(const char *s, char **end, int base)
{
	bool neg, ovf;
	unsigned long long v = parse(s, end, base, &neg, &ovf);

	if (neg) {
		if (ovf || v > (unsigned long long)LLONG_MAX + 1)
			return LLONG_MIN;
		return (long long)(0ULL - v);
	}
	if (ovf || v > LLONG_MAX)
		return LLONG_MAX;
	return (long long)v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long long v = strtoull(s, end, base);

	/* Keep C's negation semantics when long is narrower than long long. */
	if (v > ULONG_MAX && (long long)v >= LONG_MIN && (long long)v < 0)
		return (unsigned long)v;
	return v > ULONG_MAX ? ULONG_MAX : (unsigned long)v;
}

long strtol(const char *s, char **end, int base)
{
	long long v = strtoll(s, end, base);

	if (v > LONG_MAX)
		return LONG_MAX;
	if (v < LONG_MIN)
		return LONG_MIN;
	return (long)v;
}
