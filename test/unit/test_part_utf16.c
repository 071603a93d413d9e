// SPDX-License-Identifier: MIT
/* UTF-16LE -> UTF-8 for GPT and FAT names: pairs, lone surrogates, truncation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <pvboot/utf16.h>

static void test_ascii_and_bmp(void **state)
{
	static const uint8_t s[] = {'r', 0, 'o', 0, 0xfc, 0, 0x0d, 0x54, 0, 0, 'x', 0};
	char out[32];

	/* "roü名" then a terminator: the trailing 'x' is not part of the name. */
	assert_int_equal(utf16le_to_utf8(s, 6, out, sizeof(out)), 7);
	assert_string_equal(out, "ro\xc3\xbc\xe5\x90\x8d");
}

static void test_surrogates(void **state)
{
	/* U+1F600 as d83d de00, then a lone high and a lone low surrogate. */
	static const uint8_t s[] = {0x3d, 0xd8, 0x00, 0xde, 0x3d, 0xd8, 'a', 0, 0x00, 0xde};
	char out[32];

	assert_int_equal(utf16le_to_utf8(s, 5, out, sizeof(out)), 7);
	assert_string_equal(out, "\xf0\x9f\x98\x80?a?");
	/* A high surrogate as the very last unit has no partner. */
	assert_int_equal(utf16le_to_utf8(s, 1, out, sizeof(out)), 1);
	assert_string_equal(out, "?");
}

static void test_truncation(void **state)
{
	static const uint8_t s[] = {'a', 0, 'b', 0, 0x0d, 0x54};
	char out[4];

	/* "ab" fits, the 3-byte character does not: -1, still terminated. */
	assert_int_equal(utf16le_to_utf8(s, 3, out, sizeof(out)), -1);
	assert_string_equal(out, "ab");
	assert_int_equal(utf16le_to_utf8(s, 3, out, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ascii_and_bmp),
	    cmocka_unit_test(test_surrogates),
	    cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
