// SPDX-License-Identifier: MIT
/* lib/strto.c, lib/qsort.c, lib/crc32.c and common/errstr.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <errno.h>
#include <cmocka.h>
#include <pvboot/crc32.h>
#include <pvboot/errstr.h>

struct strto_case {
	const char *s;
	int base;
	unsigned long long value;
	size_t used; /* characters consumed (end - s) */
};

static void test_strtoull(void **state)
{
	static const struct strto_case cases[] = {
	    {"0", 0, 0, 1},
	    {"123", 10, 123, 3},
	    {"  42xyz", 10, 42, 4},
	    {"0x1F", 0, 0x1f, 4},
	    {"0X1f", 16, 0x1f, 4},
	    {"1f", 16, 0x1f, 2},
	    {"40200000", 16, 0x40200000, 8},
	    {"0755", 0, 0755, 4},
	    {"0755", 10, 755, 4},
	    {"089", 0, 0, 1}, /* octal stops at 8 */
	    {"0x", 0, 0, 1},  /* "0" then an x that starts nothing */
	    {"0xg", 16, 0, 1},
	    {"", 10, 0, 0},
	    {"   ", 10, 0, 0},
	    {"-", 10, 0, 0},
	    {"+7", 10, 7, 2},
	    {"zz", 36, 35 * 36 + 35, 2},
	    {"101", 2, 5, 3},
	    {"18446744073709551615", 10, ULLONG_MAX, 20},
	    {"18446744073709551616", 10, ULLONG_MAX, 20}, /* saturates */
	    {"0xffffffffffffffffff", 0, ULLONG_MAX, 20},
	    {"12", 1, 0, 0}, /* invalid base */
	    {"12", 37, 0, 0},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *end = NULL;
		unsigned long long v = strtoull(cases[i].s, &end, cases[i].base);

		assert_int_equal(v, cases[i].value);
		assert_ptr_equal(end, cases[i].s + cases[i].used);
		assert_int_equal(strtoul(cases[i].s, NULL, cases[i].base),
				 (unsigned long)cases[i].value);
	}
	/* C semantics: "-1" as unsigned is the negation. */
	assert_int_equal(strtoull("-1", NULL, 10), ULLONG_MAX);
	assert_int_equal(strtoul("-2", NULL, 0), ULONG_MAX - 1);
}

static void test_strtoll(void **state)
{
	char *end;

	assert_int_equal(strtol("-123", &end, 10), -123);
	assert_int_equal(*end, '\0');
	assert_int_equal(strtol("  -0x10", NULL, 0), -16);
	assert_int_equal(strtoll("9223372036854775807", NULL, 10), LLONG_MAX);
	assert_int_equal(strtoll("9223372036854775808", NULL, 10), LLONG_MAX);
	assert_int_equal(strtoll("-9223372036854775808", NULL, 10), LLONG_MIN);
	assert_int_equal(strtoll("-9223372036854775809", NULL, 10), LLONG_MIN);
	assert_int_equal(strtoll("-99999999999999999999999", NULL, 10), LLONG_MIN);
	assert_int_equal(strtol("2147483648", NULL, 10), 2147483648L);
	assert_int_equal(strtol("x", &end, 10), 0);
	assert_string_equal(end, "x");
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

struct rec {
	char name[10];
	uint32_t key;
};

static int cmp_rec(const void *a, const void *b)
{
	return strcmp(((const struct rec *)a)->name, ((const struct rec *)b)->name);
}

static void test_qsort(void **state)
{
	int v[257];
	uint32_t x = 1;
	struct rec r[] = {{"pvblock", 1}, {"echo", 2}, {"load", 3}, {"booti", 4}, {"ls", 5}};

	for (size_t n = 0; n < ARRAY_SIZE(v); n += (n < 20 ? 1 : 37)) {
		for (size_t i = 0; i < n; i++) {
			x = x * 1664525 + 1013904223;
			v[i] = (int)(x >> 24) - 128; /* many duplicates */
		}
		qsort(v, n, sizeof(v[0]), cmp_int);
		for (size_t i = 1; i < n; i++)
			assert_true(v[i - 1] <= v[i]);
	}
	qsort(r, ARRAY_SIZE(r), sizeof(r[0]), cmp_rec);
	assert_string_equal(r[0].name, "booti");
	assert_int_equal(r[0].key, 4);
	assert_string_equal(r[1].name, "echo");
	assert_string_equal(r[2].name, "load");
	assert_string_equal(r[3].name, "ls");
	assert_string_equal(r[4].name, "pvblock");
	assert_int_equal(r[4].key, 1);
}

static void test_crc32(void **state)
{
	static unsigned char zeros[4096];
	const char *s = "123456789";
	uint32_t crc;

	/* The standard check value of CRC-32/ISO-HDLC. */
	assert_int_equal(crc32_le(0, s, 9), 0xcbf43926);
	assert_int_equal(crc32_le(0, "", 0), 0);
	assert_int_equal(crc32_le(0, "a", 1), 0xe8b7be43);
	assert_int_equal(crc32_le(0, "The quick brown fox jumps over the lazy dog", 43),
			 0x414fa339);
	/* Continuation: in pieces gives the same as in one go. */
	crc = crc32_le(0, s, 4);
	assert_int_equal(crc32_le(crc, s + 4, 5), 0xcbf43926);
	/* 4 KiB of zeros (as U-Boot's `crc32` prints for zeroed memory). */
	assert_int_equal(crc32_le(0, zeros, sizeof(zeros)), 0xc71c0011);
}

static void test_errno_str(void **state)
{
	assert_string_equal(errno_str(-ETIMEDOUT), "timed out");
	assert_string_equal(errno_str(ETIMEDOUT), "timed out");
	assert_string_equal(errno_str(-EIO), "I/O error");
	assert_string_equal(errno_str(-ENOENT), "no such file or directory");
	assert_string_equal(errno_str(0), "success");
	assert_string_equal(errno_str(-9999), "unknown error");
	assert_string_equal(errno_str(INT_MIN), "unknown error");
	assert_string_equal(errno_str(-10), "unknown error"); /* a hole in the table */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strtoull),  cmocka_unit_test(test_strtoll),
	    cmocka_unit_test(test_qsort),     cmocka_unit_test(test_crc32),
	    cmocka_unit_test(test_errno_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
