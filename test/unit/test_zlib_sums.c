// SPDX-License-Identifier: MIT
/*
 * lib/zlib_sums.c, the crc32() and adler32() the target gives zlib's inflate,
 * against the host's zlib: random buffers of every awkward length (empty,
 * one byte, around the 5552-byte block where adler32 reduces its sums, long
 * runs of 0xff that push the sums hardest), in one call and in pieces.
 * Included with its functions renamed, so both can be called side by side.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#define crc32 pv_crc32
#define adler32 pv_adler32
#include "../../lib/zlib_sums.c"
#undef crc32
#undef adler32

static unsigned char buf[3 * 5552 + 77];

static void fill(unsigned int seed, int ones)
{
	srand(seed);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = ones ? 0xff : (unsigned char)rand();
}

static void test_known_values(void **state)
{
	assert_int_equal(pv_adler32(1, (const Bytef *)"Wikipedia", 9), 0x11e60398);
	assert_int_equal(pv_crc32(0, (const Bytef *)"123456789", 9), 0xcbf43926);
	/* A NULL buffer asks for the initial value, as zlib's. */
	assert_int_equal(pv_adler32(12345, NULL, 0), 1);
	assert_int_equal(pv_crc32(12345, NULL, 0), 0);
}

static void test_against_zlib(void **state)
{
	static const size_t lens[] = {0, 1, 2, 15, 16, 5551, 5552, 5553, 11104, 11105, sizeof(buf)};

	for (int ones = 0; ones < 2; ones++) {
		fill(42 + ones, ones);
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			size_t n = lens[i];

			assert_int_equal(pv_adler32(1, buf, n), adler32(1, buf, n));
			assert_int_equal(pv_crc32(0, buf, n), crc32(0, buf, n));
			/* Continued from a value mid-stream, as inflate does. */
			assert_int_equal(pv_adler32(0xfff0fff0, buf, n),
					 adler32(0xfff0fff0, buf, n));
		}
		/* In pieces: the running value carries everything. */
		{
			uLong a = 1, c = 0;

			for (size_t off = 0; off < sizeof(buf); off += 1000) {
				size_t n = sizeof(buf) - off < 1000 ? sizeof(buf) - off : 1000;

				a = pv_adler32(a, buf + off, n);
				c = pv_crc32(c, buf + off, n);
			}
			assert_int_equal(a, adler32(1, buf, sizeof(buf)));
			assert_int_equal(c, crc32(0, buf, sizeof(buf)));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_values),
	    cmocka_unit_test(test_against_zlib),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
