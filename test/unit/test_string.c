// SPDX-License-Identifier: MIT
/*
 * lib/string.c (the target's string functions), linked into this program
 * in place of glibc's. Results are checked against values worked out by
 * hand and against simple byte loops written here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <libc/string.h>

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7 + (i >> 3));
}

/* Every alignment and length combination up to a few words. */
static void test_memcpy_alignments(void **state)
{
	unsigned char src[128], dst[128], ref[128];

	for (size_t so = 0; so < 9; so++)
		for (size_t d_o = 0; d_o < 9; d_o++)
			for (size_t n = 0; n < 80; n++) {
				fill(src, sizeof(src), (unsigned int)(so + n));
				memset(dst, 0xee, sizeof(dst));
				for (size_t i = 0; i < sizeof(ref); i++)
					ref[i] = 0xee;
				for (size_t i = 0; i < n; i++)
					ref[d_o + i] = src[so + i];
				assert_ptr_equal(memcpy(dst + d_o, src + so, n), dst + d_o);
				assert_memory_equal(dst, ref, sizeof(dst));
			}
}

static void test_memmove_overlap(void **state)
{
	unsigned char buf[160], ref[160];

	for (size_t n = 0; n < 64; n++)
		for (int shift = -17; shift <= 17; shift++) {
			size_t from = 40, to = (size_t)(40 + shift);

			fill(buf, sizeof(buf), (unsigned int)n);
			memcpy(ref, buf, sizeof(ref));
			/* Reference: copy through a temporary. */
			{
				unsigned char tmp[64];

				for (size_t i = 0; i < n; i++)
					tmp[i] = ref[from + i];
				for (size_t i = 0; i < n; i++)
					ref[to + i] = tmp[i];
			}
			assert_ptr_equal(memmove(buf + to, buf + from, n), buf + to);
			assert_memory_equal(buf, ref, sizeof(buf));
		}
	/* Word-aligned overlapping backward copy. */
	{
		unsigned long w[8] = {1, 2, 3, 4, 5, 6, 7, 8};

		memmove(&w[1], &w[0], 7 * sizeof(w[0]));
		for (int i = 1; i < 8; i++)
			assert_int_equal(w[i], (unsigned long)i);
	}
}

static void test_memset(void **state)
{
	unsigned char buf[100];

	for (size_t off = 0; off < 9; off++)
		for (size_t n = 0; n < 80; n++) {
			memset(buf, 0x11, sizeof(buf));
			assert_ptr_equal(memset(buf + off, 0x1a5, n), buf + off);
			for (size_t i = 0; i < sizeof(buf); i++)
				assert_int_equal(buf[i], i >= off && i < off + n ? 0xa5 : 0x11);
		}
}

static void test_memcmp_memchr(void **state)
{
	assert_int_equal(memcmp("abc", "abc", 3), 0);
	assert_int_equal(memcmp("abc", "abd", 2), 0);
	assert_true(memcmp("abc", "abd", 3) < 0);
	assert_true(memcmp("\xff", "\x01", 1) > 0); /* compared as unsigned */
	assert_int_equal(memcmp("x", "y", 0), 0);
	{
		const char s[] = "hello\0world";

		assert_ptr_equal(memchr(s, 'w', sizeof(s)), s + 6);
		assert_ptr_equal(memchr(s, '\0', sizeof(s)), s + 5);
		assert_null(memchr(s, 'w', 6));
		assert_ptr_equal(memchr(s, 'h' + 256, 5), s); /* c converted to unsigned char */
	}
}

static void test_lengths_compare(void **state)
{
	assert_int_equal(strlen(""), 0);
	assert_int_equal(strlen("pvboot"), 6);
	assert_int_equal(strnlen("pvboot", 3), 3);
	assert_int_equal(strnlen("pv", 10), 2);
	assert_int_equal(strnlen("abc", 0), 0);

	assert_int_equal(strcmp("a", "a"), 0);
	assert_true(strcmp("a", "b") < 0);
	assert_true(strcmp("b", "a") > 0);
	assert_true(strcmp("ab", "abc") < 0);
	assert_true(strcmp("\x80", "a") > 0);
	assert_int_equal(strncmp("abcd", "abce", 3), 0);
	assert_true(strncmp("abcd", "abce", 4) < 0);
	assert_int_equal(strncmp("ab", "ab", 100), 0);
	assert_int_equal(strncmp("x", "y", 0), 0);

	assert_int_equal(strcasecmp("Hello", "hELLO"), 0);
	assert_int_equal(sign(strcasecmp("apple", "Banana")), -1);
	assert_int_equal(sign(strcasecmp("abc", "AB")), 1);
	assert_int_equal(strncasecmp("BOOTCMD", "bootcmd_x", 7), 0);
	assert_true(strncasecmp("BOOTCMD", "bootcmd_x", 8) != 0);
}

static void test_search(void **state)
{
	const char *s = "a/b/c";

	assert_ptr_equal(strchr(s, '/'), s + 1);
	assert_ptr_equal(strrchr(s, '/'), s + 3);
	assert_ptr_equal(strchr(s, '\0'), s + 5);
	assert_ptr_equal(strrchr(s, '\0'), s + 5);
	assert_null(strchr(s, 'x'));
	assert_null(strrchr(s, 'x'));
	{
		const char *h = "kernel_addr_r";

		assert_ptr_equal(strstr(h, "addr"), h + 7);
		assert_ptr_equal(strstr(h, ""), h);
		assert_null(strstr(h, "addr_rr"));
		assert_string_equal(strstr("aaab", "aab"), "aab");
	}
	assert_int_equal(strspn("   x", " "), 3);
	assert_int_equal(strspn("abc", "cba"), 3);
	assert_int_equal(strspn("", "a"), 0);
	assert_int_equal(strcspn("key=value", "="), 3);
	assert_int_equal(strcspn("novalue", "="), 7);
}

static void test_copies(void **state)
{
	char buf[16];

	memset(buf, 'Z', sizeof(buf));
	assert_ptr_equal(strcpy(buf, "abc"), buf);
	assert_string_equal(buf, "abc");
	assert_int_equal(buf[4], 'Z');

	memset(buf, 'Z', sizeof(buf));
	strncpy(buf, "ab", 5); /* pads with NULs up to n */
	assert_memory_equal(buf, "ab\0\0\0Z", 6);
	strncpy(buf, "abcdef", 3); /* no terminator when src is longer */
	assert_memory_equal(buf, "abc\0\0Z", 6);

	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(strlcpy(buf, "hello", 4), 5);
	assert_string_equal(buf, "hel");
	assert_int_equal(buf[4], 'Z');
	assert_int_equal(strlcpy(buf, "hi", sizeof(buf)), 2);
	assert_string_equal(buf, "hi");
	buf[0] = 'Q';
	assert_int_equal(strlcpy(buf, "xyz", 0), 3);
	assert_int_equal(buf[0], 'Q');

	strcpy(buf, "ab");
	assert_int_equal(strlcat(buf, "cdef", 5), 6);
	assert_string_equal(buf, "abcd");
	assert_int_equal(strlcat(buf, "x", 4), 5); /* no terminator within size */
	assert_string_equal(buf, "abcd");
	strcpy(buf, "ab");
	assert_int_equal(strlcat(buf, "cd", sizeof(buf)), 4);
	assert_string_equal(buf, "abcd");

	strcpy(buf, "boot");
	assert_ptr_equal(strcat(buf, "cmd"), buf);
	assert_string_equal(buf, "bootcmd");
}

static void test_dup(void **state)
{
	char *a = strdup("pvblock");
	char *b = strndup("pvblock", 2);
	char *c = strndup("ab", 10);

	assert_string_equal(a, "pvblock");
	assert_string_equal(b, "pv");
	assert_string_equal(c, "ab");
	free(a);
	free(b);
	free(c);
}

static void test_tokens(void **state)
{
	char line[] = "  load pvblock  0:1 ";
	char *save = NULL, *tok;
	const char *want[] = {"load", "pvblock", "0:1"};
	int n = 0;

	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		assert_true(n < 3);
		assert_string_equal(tok, want[n++]);
	}
	assert_int_equal(n, 3);
	assert_null(strtok_r(NULL, " ", &save));

	{
		char empty[] = "   ";

		save = NULL;
		assert_null(strtok_r(empty, " ", &save));
	}
	{
		char s[] = "a,,b";
		char *p = s;

		assert_string_equal(strsep(&p, ","), "a");
		assert_string_equal(strsep(&p, ","), ""); /* empty field kept */
		assert_string_equal(strsep(&p, ","), "b");
		assert_null(p);
		assert_null(strsep(&p, ","));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memcpy_alignments),
	    cmocka_unit_test(test_memmove_overlap),
	    cmocka_unit_test(test_memset),
	    cmocka_unit_test(test_memcmp_memchr),
	    cmocka_unit_test(test_lengths_compare),
	    cmocka_unit_test(test_search),
	    cmocka_unit_test(test_copies),
	    cmocka_unit_test(test_dup),
	    cmocka_unit_test(test_tokens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
