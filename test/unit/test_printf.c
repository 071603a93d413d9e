// SPDX-License-Identifier: MIT
/*
 * lib/vsprintf.c: formats, flags, truncation and return values. Expected
 * strings are written out by hand (C standard semantics), not produced by
 * another printf: in this program snprintf() *is* ours.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <cmocka.h>
#include <pvboot/format.h>

/* Odd but valid-to-test formats ("%05s", "%-05d", "%y") are deliberate. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat-overflow"

static char buf[256];

#define CHECK(expect, ...)                                        \
	do {                                                      \
		int n_ = snprintf(buf, sizeof(buf), __VA_ARGS__); \
		assert_string_equal(buf, expect);                 \
		assert_int_equal(n_, (int)strlen(expect));        \
	} while (0)

static void test_integers(void **state)
{
	CHECK("0", "%d", 0);
	CHECK("-1", "%d", -1);
	CHECK("42", "%i", 42);
	CHECK("-2147483648", "%d", INT_MIN);
	CHECK("2147483647", "%d", INT_MAX);
	CHECK("4294967295", "%u", UINT_MAX);
	CHECK("-9223372036854775808", "%lld", LLONG_MIN);
	CHECK("18446744073709551615", "%llu", ULLONG_MAX);
	CHECK("-9223372036854775808", "%ld", LONG_MIN);
	CHECK("deadbeef", "%x", 0xdeadbeefu);
	CHECK("DEADBEEF", "%X", 0xdeadbeefu);
	CHECK("ffffffffffffffff", "%llx", ULLONG_MAX);
	CHECK("777", "%o", 0777);
	CHECK("1777777777777777777777", "%llo", ULLONG_MAX);
}

static void test_length_modifiers(void **state)
{
	CHECK("-1", "%hhd", 255);
	CHECK("255", "%hhu", -1);
	CHECK("-1", "%hd", 65535);
	CHECK("65535", "%hu", -1);
	CHECK("ff", "%hhx", 0x1ff);
	CHECK("18446744073709551615", "%zu", (size_t)-1);
	CHECK("-5", "%zd", (ssize_t)-5);
	CHECK("-7", "%td", (ptrdiff_t)-7);
	CHECK("18446744073709551615", "%ju", UINTMAX_MAX);
	CHECK("-3", "%jd", (intmax_t)-3);
	CHECK("123456789012", "%lu", 123456789012UL);
}

static void test_flags_width(void **state)
{
	CHECK("   42", "%5d", 42);
	CHECK("42   |", "%-5d|", 42);
	CHECK("00042", "%05d", 42);
	CHECK("-0042", "%05d", -42);
	CHECK("+42", "%+d", 42);
	CHECK(" 42", "% d", 42);
	CHECK("+0", "%+d", 0);
	CHECK("-42", "%+d", -42);
	CHECK("  +42", "%+5d", 42);
	CHECK("+0042", "%+05d", 42);
	CHECK("42   ", "%-05d", 42); /* '-' wins over '0' */
	CHECK("0x1f", "%#x", 0x1f);
	CHECK("0X1F", "%#X", 0x1f);
	CHECK("0", "%#x", 0); /* no prefix for zero */
	CHECK("0x001f", "%#06x", 0x1f);
	CHECK("  0x1f", "%#6x", 0x1f);
	CHECK("017", "%#o", 017);
	CHECK("0", "%#o", 0);
	CHECK("42", "%1d", 42);
	CHECK("   42", "%*d", 5, 42);
	CHECK("42   |", "%*d|", -5, 42);      /* negative '*' width: left-justify */
	CHECK("4294967295", "%+u", UINT_MAX); /* '+' has no effect on unsigned */
}

static void test_precision(void **state)
{
	CHECK("00042", "%.5d", 42);
	CHECK("-00042", "%.5d", -42);
	CHECK("  00042", "%7.5d", 42);
	CHECK("   42", "%05.2d", 42); /* precision disables the '0' flag */
	CHECK("", "%.0d", 0);
	CHECK("   ", "%3.0d", 0);
	CHECK("0", "%#.0o", 0);
	CHECK("", "%.0x", 0);
	CHECK("0x0000ff", "%#.6x", 0xff);
	CHECK("00042", "%.*d", 5, 42);
	CHECK("42", "%.*d", -1, 42); /* negative precision: as if none */
	CHECK("hel", "%.3s", "hello");
	CHECK("hello", "%.10s", "hello");
	CHECK("  hel", "%5.3s", "hello");
	CHECK("he", "%.*s", 2, "hello");
}

static void test_strings_chars(void **state)
{
	char unterminated[3] = {'a', 'b', 'c'};

	CHECK("hello", "%s", "hello");
	CHECK("", "%s", "");
	CHECK("(null)", "%s", (char *)NULL);
	CHECK("(nu", "%.3s", (char *)NULL);
	CHECK("  abc", "%5s", "abc");
	CHECK("abc  |", "%-5s|", "abc");
	CHECK("  abc", "%05s", "abc"); /* '0' does not apply to strings */
	/* Precision bounds the read: ASan would catch reading past 3 bytes. */
	CHECK("abc", "%.3s", unterminated);
	CHECK("x", "%c", 'x');
	CHECK("  x", "%3c", 'x');
	CHECK("x  |", "%-3c|", 'x');
	CHECK("100%", "%d%%", 100);
	CHECK("%", "%%");
	CHECK("a b c", "%c %c %c", 'a', 'b', 'c');
}

static void test_pointer(void **state)
{
	CHECK("0x1234", "%p", (void *)0x1234);
	CHECK("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
	CHECK("0x0", "%p", NULL);
	CHECK("    0x10", "%8p", (void *)0x10);
	CHECK("0x10    |", "%-8p|", (void *)0x10);
}

static void test_unknown_conversion(void **state)
{
	/* Not supported (and %n is never supported): printed as written, no argument used. */
	int n = snprintf(buf, sizeof(buf), "a%yb%d", 7);

	assert_string_equal(buf, "a%yb7");
	assert_int_equal(n, 5);
	n = snprintf(buf, sizeof(buf), "end%");
	assert_string_equal(buf, "end%");
	assert_int_equal(n, 4);
}

static void test_truncation(void **state)
{
	char small[8];
	int n;

	memset(small, 'Z', sizeof(small));
	n = snprintf(small, 5, "%s", "hello world");
	assert_int_equal(n, 11);
	assert_string_equal(small, "hell");
	assert_int_equal(small[5], 'Z'); /* nothing written past size */

	memset(small, 'Z', sizeof(small));
	n = snprintf(small, 1, "%d", 12345);
	assert_int_equal(n, 5);
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'Z');

	memset(small, 'Z', sizeof(small));
	n = snprintf(small, 0, "%d", 12345);
	assert_int_equal(n, 5);
	assert_int_equal(small[0], 'Z');
	n = snprintf(NULL, 0, "%s-%d", "abc", 42);
	assert_int_equal(n, 6);

	/* Exactly fitting and one short. */
	n = snprintf(small, 6, "%05d", 42);
	assert_int_equal(n, 5);
	assert_string_equal(small, "00042");
	n = snprintf(small, 5, "%05d", 42);
	assert_int_equal(n, 5);
	assert_string_equal(small, "0004");
}

static void test_long_output(void **state)
{
	static char big[5000];
	int n;

	/* Width much larger than any internal pad buffer. */
	n = snprintf(big, sizeof(big), "%4000d|", 7);
	assert_int_equal(n, 4001);
	assert_int_equal(big[3998], ' ');
	assert_int_equal(big[3999], '7');
	assert_int_equal(big[4000], '|');
	n = snprintf(big, 10, "%-3000s|", "x");
	assert_int_equal(n, 3001);
	assert_string_equal(big, "x        ");
}

static int call_vsnprintf(char *b, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, size, fmt, ap);
	va_end(ap);
	return n;
}

static int call_vsprintf(char *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsprintf(b, fmt, ap);
	va_end(ap);
	return n;
}

static void test_variants(void **state)
{
	int n = call_vsnprintf(buf, sizeof(buf), "%s=%#lx", "addr", 0x40200000UL);

	assert_int_equal(n, 15);
	assert_string_equal(buf, "addr=0x40200000");
	n = sprintf(buf, "[%3u]", 7u);
	assert_int_equal(n, 5);
	assert_string_equal(buf, "[  7]");
	n = call_vsprintf(buf, "%s%s", "ab", "cd");
	assert_int_equal(n, 4);
	assert_string_equal(buf, "abcd");
}

struct collect {
	char text[64];
	size_t len;
	unsigned int calls;
};

static void collect_emit(void *ctx, const char *s, size_t len)
{
	struct collect *c = ctx;

	assert_true(c->len + len < sizeof(c->text));
	memcpy(c->text + c->len, s, len);
	c->len += len;
	c->calls++;
}

static int call_vformat(struct collect *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vformat(collect_emit, c, fmt, ap);
	va_end(ap);
	return n;
}

static void test_vformat_stream(void **state)
{
	struct collect c = {.len = 0};
	int n = call_vformat(&c, "x=%d, y=%s\n", -3, "ok");

	assert_int_equal(n, 11);
	assert_int_equal(c.len, 11);
	assert_memory_equal(c.text, "x=-3, y=ok\n", 11);
	/* Literal text and each conversion arrive as separate pieces. */
	assert_true(c.calls >= 4);
}

static void test_format_size(void **state)
{
	static const struct {
		uint64_t size;
		const char *text;
	} cases[] = {
	    {0, "0 Bytes"},	     {1023, "1023 Bytes"},
	    {1024, "1 KiB"},	     {1536, "1.5 KiB"},
	    {1048575, "1 MiB"}, /* 1023.999 KiB rounds up a unit */
	    {64ULL << 20, "64 MiB"}, {215064166, "205.1 MiB"},
	    {3ULL << 30, "3 GiB"},   {(1ULL << 40) + (1ULL << 39), "1.5 TiB"},
	    {UINT64_MAX, "16 EiB"},
	};
	char out[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		format_size(out, sizeof(out), cases[i].size);
		assert_string_equal(out, cases[i].text);
	}
}

static void test_format_rate(void **state)
{
	char out[96];

	/* U-Boot prints this for a 64 MiB load taking 312 ms. */
	format_rate(out, sizeof(out), 67108864, 312000);
	assert_string_equal(out, "67108864 bytes read in 312 ms (205.1 MiB/s)");
	format_rate(out, sizeof(out), 512, 0);
	assert_string_equal(out, "512 bytes read in 0 ms");
	format_rate(out, sizeof(out), 4096, 500);
	assert_string_equal(out, "4096 bytes read in 0 ms (7.8 MiB/s)");
	/* Huge sizes must not overflow the bytes-per-second arithmetic. */
	format_rate(out, sizeof(out), 1ULL << 50, 1000000);
	assert_string_equal(out, "1125899906842624 bytes read in 1000 ms (1 PiB/s)");
	format_rate(out, 12, 67108864, 312000); /* truncated, still terminated */
	assert_string_equal(out, "67108864 by");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integers),	       cmocka_unit_test(test_length_modifiers),
	    cmocka_unit_test(test_flags_width),	       cmocka_unit_test(test_precision),
	    cmocka_unit_test(test_strings_chars),      cmocka_unit_test(test_pointer),
	    cmocka_unit_test(test_unknown_conversion), cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_long_output),	       cmocka_unit_test(test_variants),
	    cmocka_unit_test(test_vformat_stream),     cmocka_unit_test(test_format_size),
	    cmocka_unit_test(test_format_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
