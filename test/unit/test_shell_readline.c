// SPDX-License-Identifier: MIT
/* The line editor, driven by scripted key bytes, checking line and echo. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../shell/cli.h"

struct fake {
	const char *in;
	size_t len, pos;
	char echo[4096];
	size_t echo_len;
};

static int fake_getc(void *ctx)
{
	struct fake *f = ctx;

	return f->pos < f->len ? (unsigned char)f->in[f->pos++] : -1;
}

static void fake_puts(void *ctx, const char *s, size_t len)
{
	struct fake *f = ctx;

	assert_true(f->echo_len + len < sizeof(f->echo));
	memcpy(f->echo + f->echo_len, s, len);
	f->echo_len += len;
	f->echo[f->echo_len] = '\0';
}

static struct fake fk;

/* Completion over a small fixed command list, as shell/loop.c does over the table. */
static int fake_complete(void *ctx, const char *word, size_t len, char *add, size_t addsz,
			 bool list)
{
	static const char *const names[] = {"echo", "env", "md", "mmc", "mw"};
	const char *first = NULL;
	size_t common = 0;
	int n = 0;

	add[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t k = len;

		if (strncmp(names[i], word, len))
			continue;
		if (!first) {
			first = names[i];
			common = strlen(first);
		}
		while (k < common && names[i][k] == first[k])
			k++;
		common = k;
		n++;
		if (list)
			fake_puts(ctx, names[i], strlen(names[i]));
	}
	if (n) {
		snprintf(add, addsz, "%.*s%s", (int)(common - len), first + len, n == 1 ? " " : "");
		if (list)
			fake_puts(ctx, "\n", 1);
	}
	return n;
}
static char line[64];

/* Feed keys (may contain NULs: explicit length); return cli_readline's result. */
static int feed_n(const char *keys, size_t len, size_t size)
{
	struct cli_io io = {
	    .getc = fake_getc, .puts = fake_puts, .complete = fake_complete, .ctx = &fk};

	memset(&fk, 0, sizeof(fk));
	fk.in = keys;
	fk.len = len;
	return cli_readline(&io, "=> ", line, size);
}

static int feed(const char *keys)
{
	return feed_n(keys, strlen(keys), sizeof(line));
}

static int setup(void **state)
{
	cli_history_clear();
	return 0;
}

static void test_plain(void **state)
{
	assert_int_equal(feed("echo hi\r"), 7);
	assert_string_equal(line, "echo hi");
	assert_string_equal(fk.echo, "=> echo hi\n");
	assert_int_equal(feed("x\n"), 1);
	assert_int_equal(feed("\r"), 0);
	assert_string_equal(line, "");
}

static void test_crlf_is_one_line(void **state)
{
	/* CR LF: the LF after a CR does not make a second, empty line. */
	assert_int_equal(feed("a\r"), 1);
	assert_int_equal(feed("\nb\r"), 1);
	assert_string_equal(line, "b");
}

static void test_backspace(void **state)
{
	assert_int_equal(feed("abc\bd\r"), 3);
	assert_string_equal(line, "abd");
	assert_string_equal(fk.echo, "=> abc\b \bd\n");
	assert_int_equal(feed("ab\x7f\x7f\x7fz\r"), 1); /* DEL, and past the start */
	assert_string_equal(line, "z");
}

static void test_cursor_moves(void **state)
{
	assert_int_equal(feed("abc\x01X\r"), 4); /* Ctrl-A */
	assert_string_equal(line, "Xabc");
	assert_int_equal(feed("abc\x1b[D\x1b[DX\r"), 4); /* left, left */
	assert_string_equal(line, "aXbc");
	assert_int_equal(feed("abc\x1b[D\x1b[D\x1b[CX\r"), 4); /* left, left, right */
	assert_string_equal(line, "abXc");
	assert_int_equal(feed("abc\x01\x05X\r"), 4); /* Ctrl-A, Ctrl-E */
	assert_string_equal(line, "abcX");
	assert_int_equal(feed("abc\x1b[H\x1b[3~\r"), 2); /* Home, Delete */
	assert_string_equal(line, "bc");
	assert_int_equal(feed("abc\x1bOH\x1b[F!\r"), 4); /* ESC O H, End */
	assert_string_equal(line, "abc!");
	assert_int_equal(feed("abcd\x02\x02\x0b\r"), 2); /* Ctrl-B twice, Ctrl-K */
	assert_string_equal(line, "ab");
	assert_int_equal(feed("abcd\x01\x04\x06\x04\r"), 2); /* Ctrl-D at 0, Ctrl-F, Ctrl-D */
	assert_string_equal(line, "bd");
}

static void test_kill_and_interrupt(void **state)
{
	assert_int_equal(feed("abc\x15xy\r"), 2); /* Ctrl-U */
	assert_string_equal(line, "xy");
	assert_int_equal(feed("abc\x1b[D\x15Z\r"), 2); /* Ctrl-U kills before the cursor */
	assert_string_equal(line, "Zc");
	assert_int_equal(feed("abc\x03more\r"), -EINTR); /* Ctrl-C abandons */
	assert_int_equal(fk.pos, 4);			 /* and reads nothing after it */
	assert_int_equal(feed("abc"), -EIO);		 /* end of input */
	assert_int_equal(feed("\x1b["), -EIO);
}

static void test_ignored_keys(void **state)
{
	assert_int_equal(feed_n("a\tb\0c\x1b[Zd\x1bxe\x80\xff\r", 15, sizeof(line)), 5);
	assert_string_equal(line, "abcde");
	assert_int_equal(feed("\x1b[1234567890123A!\r"), 1); /* absurd sequence: dropped */
	assert_string_equal(line, "!");
}

static void test_full_line(void **state)
{
	assert_int_equal(feed_n("0123456789abcdef\r", 17, 8), 7);
	assert_string_equal(line, "0123456");
	assert_int_equal(feed_n("x\r", 2, 1), -EINVAL);
}

static void test_history(void **state)
{
	cli_history_add("one");
	cli_history_add("two");
	cli_history_add("two"); /* repeated: kept once */
	cli_history_add("");
	assert_int_equal(feed("\x1b[A\r"), 3);
	assert_string_equal(line, "two");
	assert_int_equal(feed("\x1b[A\x1b[A\r"), 3);
	assert_string_equal(line, "one");
	assert_int_equal(feed("\x1b[A\x1b[A\x1b[A\x1b[A\r"), 3); /* stops at the oldest */
	assert_string_equal(line, "one");
	assert_int_equal(feed("\x1b[A\x1b[A\x1b[B\r"), 3);
	assert_string_equal(line, "two");
	assert_int_equal(feed("xyz\x1b[A\x1b[B\r"), 0); /* back down past newest: empty */
	assert_int_equal(feed("\x10\x10!\r"), 4);	/* Ctrl-P, edit the recalled line */
	assert_string_equal(line, "one!");
	/* Recalling a shorter line blanks the rest of the longer one. */
	cli_history_add("a");
	assert_int_equal(feed("longer line\x1b[A\r"), 1);
	assert_non_null(strstr(fk.echo, "a          \b\b\b\b\b\b\b\b\b\b"));
}

static void test_history_bounded(void **state)
{
	char buf[16];

	for (int i = 0; i < 3 * CLI_HISTORY; i++) {
		snprintf(buf, sizeof(buf), "cmd%d", i);
		cli_history_add(buf);
	}
	char keys[CLI_HISTORY * 3 + 8];
	size_t n = 0;

	for (int i = 0; i < CLI_HISTORY + 5; i++) {
		keys[n++] = 0x10;
	}
	keys[n++] = '\r';
	assert_int_equal(feed_n(keys, n, sizeof(line)), 5);
	snprintf(buf, sizeof(buf), "cmd%d", 3 * CLI_HISTORY - CLI_HISTORY);
	assert_string_equal(line, buf);
}

static void test_tab_completion(void **state)
{
	assert_int_equal(feed("ec\t\r"), 5);
	assert_string_equal(line, "echo ");
	assert_int_equal(feed("mm\tx\r"), 5);
	assert_string_equal(line, "mmc x");
	/* Several matches and nothing to add: list them, redraw the line. */
	assert_int_equal(feed("e\t\r"), 1);
	assert_string_equal(fk.echo, "=> e\nechoenv\n=> e\n");
	assert_int_equal(feed("m\tw\r"), 2);
	assert_string_equal(line, "mw");
	/* Only the first word completes; no match changes nothing. */
	assert_int_equal(feed("echo e\t\r"), 6);
	assert_int_equal(feed("zz\t\r"), 2);
	/* Cursor inside the word: the list is redrawn and the cursor put back. */
	assert_int_equal(feed("mw\x1b[D\t\r"), 2);
	assert_string_equal(fk.echo, "=> mw\b\nmdmmcmw\n=> mw\b\n");
	assert_string_equal(line, "mw");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_plain, setup),
	    cmocka_unit_test_setup(test_crlf_is_one_line, setup),
	    cmocka_unit_test_setup(test_backspace, setup),
	    cmocka_unit_test_setup(test_cursor_moves, setup),
	    cmocka_unit_test_setup(test_kill_and_interrupt, setup),
	    cmocka_unit_test_setup(test_ignored_keys, setup),
	    cmocka_unit_test_setup(test_full_line, setup),
	    cmocka_unit_test_setup(test_history, setup),
	    cmocka_unit_test_setup(test_history_bounded, setup),
	    cmocka_unit_test_setup(test_tab_completion, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
