// SPDX-License-Identifier: MIT
/*
 * The shell language against a fake command table: quoting, expansion,
 * lists, if/for/while, $?, local variables, limits and syntax errors.
 * printf goes to our console_write() below, which records the transcript.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/env.h>
#include <pvboot/env_internal.h>
#include <pvboot/log.h>
#include "../../shell/cli.h"
#include "../../shell/parse.h"
#include "capture_console.h"

static int count_left;

void env_set_default(void)
{
	env_clear();
}

/* ---- fake commands ---- */

static int do_echo(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	for (int i = 1; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	printf("\n");
	return 0;
}
PVBOOT_CMD(echo, 64, do_echo, "echo args", "[args...]");

static int do_args(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	printf("%d:", argc - 1);
	for (int i = 1; i < argc; i++)
		printf("[%s]", argv[i]);
	printf("\n");
	return 0;
}
PVBOOT_CMD(args, 64, do_args, "show args", "[args...]");

static int do_true(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	return 0;
}
PVBOOT_CMD(true, 64, do_true, "succeed", "");

static int do_false(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	return 1;
}
PVBOOT_CMD(false, 64, do_false, "fail", "");

static int do_setenv(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	return env_set(argv[1], argc > 2 ? argv[2] : NULL) ? 1 : 0;
}
PVBOOT_CMD(setenv, 3, do_setenv, "set env", "name [value]");

static int do_run(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	for (int i = 1; i < argc; i++)
		if (run_command_list(env_get(argv[i]), -1, 0))
			return 1;
	return 0;
}
PVBOOT_CMD(run, 64, do_run, "run vars", "var...");

/* Argument lengths, and each argument's first and last byte. */
static int do_lens(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	for (int i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]);

		printf("[%zu%c%c]", n, n ? argv[i][0] : '-', n ? argv[i][n - 1] : '-');
	}
	printf("\n");
	return 0;
}
PVBOOT_CMD(lens, 64, do_lens, "argument lengths", "[args...]");

/* Succeeds count_left times, then fails: drives while/until. */
static int do_count(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	return count_left-- > 0 ? 0 : 1;
}
PVBOOT_CMD(count, 1, do_count, "count down", "");

/* Fails tick_left times, then succeeds. */
static int tick_left;
static int do_tick(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	return tick_left-- > 0 ? 1 : 0;
}
PVBOOT_CMD(tick, 1, do_tick, "count up", "");

static int do_usage(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	return CMD_RET_USAGE;
}
PVBOOT_CMD(usagecmd, 2, do_usage, "always usage", "arg\n    - help text");

static int do_md(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	printf("md as '%s'\n", argv[0]);
	return 0;
}
PVBOOT_CMD(md, 3, do_md, "memory display", "addr");
PVBOOT_CMD(mw, 3, do_md, "memory write", "addr");

/* ---- helpers ---- */

static int setup(void **state)
{
	env_clear();
	cli_locals_clear();
	capture_ctrlc_after = -1;
	count_left = 0;
	return 0;
}

/* ---- tests ---- */

static void test_quoting(void **state)
{
	env_set("x", "X");
	assert_run("args a 'b c' \"d $x\" e\\ f ''", 0, "5:[a][b c][d X][e f][]\n");
	assert_run("args '$x' \"'$x'\" \"\\$x\" \\$x", 0, "4:[$x]['X'][$x][$x]\n");
	assert_run("args \"a\\\"b\" 'it'\\''s'", 0, "2:[a\"b][it's]\n");
	assert_run("args pre'mid'\"$x\"post", 0, "1:[premidXpost]\n");
	assert_run("args \"\\n\" \\\\", 0, "2:[\\n][\\]\n");
}

static void test_expansion(void **state)
{
	env_set("x", "X");
	env_set("list", "a  b\tc");
	assert_run("args $x ${x} ${x}y $xy", 0, "3:[X][X][Xy]\n");
	assert_run("args $nope \"$nope\" ${nope}", 0, "1:[]\n");
	assert_run("args $list \"$list\"", 0, "4:[a][b][c][a  b\tc]\n");
	assert_run("args $ a$ ${x}$", 0, "3:[$][a$][X$]\n");
	assert_run("args $x.$x", 0, "1:[X.X]\n");
}

static void test_lists(void **state)
{
	assert_run("echo a; echo b", 0, "a\nb\n");
	assert_run("false && echo no; true && echo yes", 0, "yes\n");
	assert_run("false || echo or; true || echo never", 0, "or\n");
	assert_run("false && echo x || echo y", 0, "y\n");
	assert_run("true || echo x && echo z", 0, "z\n");
	assert_run("echo a\necho b\n\n;;echo c", 0, "a\nb\nc\n");
	assert_run("false", 1, "");
	assert_run("true\nfalse", 1, "");
	assert_run("false; true", 0, "");
	assert_run("echo a &&\n echo b", 0, "a\nb\n");
}

static void test_status(void **state)
{
	assert_run("false; echo $?; true; echo $?", 0, "1\n0\n");
	assert_run("nosuch; echo \"st=$?\"", 0, "Unknown command 'nosuch' - try 'help'\nst=1\n");
	assert_run("usagecmd", 1,
		   "usagecmd - always usage\n\nUsage:\nusagecmd arg\n    - help text\n");
}

static void test_if(void **state)
{
	assert_run("if true; then echo t; else echo f; fi", 0, "t\n");
	assert_run("if false; then echo t; else echo f; fi", 0, "f\n");
	assert_run("if false; then echo 1; elif true; then echo 2; else echo 3; fi", 0, "2\n");
	assert_run("if false; then echo 1; elif false; then echo 2; else echo 3; fi", 0, "3\n");
	assert_run("if false; then echo 1; fi; echo $?", 0, "0\n");
	assert_run("if true\nthen\n  if false; then echo a; else echo b; fi\nfi", 0, "b\n");
	assert_run("if true && false; then echo a; fi || echo c", 0, "");
	assert_run("if args then fi; then echo ok; fi", 0, "2:[then][fi]\nok\n");
}

static void test_for_while(void **state)
{
	env_set("targets", "pvblock0 pvblock1 dhcp");
	assert_run("for t in ${targets}; do echo run_$t; done", 0,
		   "run_pvblock0\nrun_pvblock1\nrun_dhcp\n");
	assert_run("for t in a 'b c'; do args $t; done", 0, "1:[a]\n2:[b][c]\n");
	assert_run("for t in $empty; do echo never; done; echo after", 0, "after\n");
	count_left = 3;
	assert_run("while count; do echo x; done", 0, "x\nx\nx\n");
	tick_left = 2;
	assert_run("until tick; do echo y; done; echo $?", 0, "y\ny\n0\n");
	tick_left = 0;
	assert_run("until tick; do echo never; done", 0, "");
}

static void test_locals(void **state)
{
	assert_run("a=local; echo $a; setenv a env; echo $a", 0, "local\nlocal\n");
	assert_string_equal(env_get("a"), "env");
	assert_run("b=\"x y\"; args $b \"$b\"; c=$b; args $c", 0, "3:[x][y][x y]\n2:[x][y]\n");
	assert_run("d='$b'; args \"$d\"", 0, "1:[$b]\n");
	assert_null(env_get("b"));
	assert_run("x=1 args y", 0, "1:[y]\n");
	assert_run("1x=2", 1, "Unknown command '1x=2' - try 'help'\n");
}

static void test_comments_continuation(void **state)
{
	assert_run("echo a # comment ; echo no", 0, "a\n");
	assert_run("# whole line\necho b#c", 0, "b#c\n");
	assert_run("echo a \\\n b", 0, "a b\n");
	assert_run("echo crlf\r\necho two\r\n", 0, "crlf\ntwo\n");
}

static void test_run_and_exit(void **state)
{
	env_set("inner", "echo in; exit; echo never");
	assert_run("run inner; echo back", 0, "in\nback\n");
	assert_run("echo a; exit; echo b", 0, "a\n");
	assert_run("for i in 1 2 3; do echo $i; exit 1; done; echo no", 1, "1\n");
	env_set("loop", "run loop");
	assert_run("run loop; echo after", 1, "nesting too deep\n");
	assert_int_equal(capture_run("run loop"), 1);
}

static void test_syntax_errors(void **state)
{
	assert_run("echo before\nif true; then echo x", 1,
		   "before\nsyntax error: unexpected end of input (line 2)\n");
	assert_run("echo a | echo b", 1, "syntax error: pipes are not supported\n");
	assert_run("echo a & echo b", 1, "syntax error: '&' is not supported\n");
	assert_run("fi", 1, "syntax error: unexpected keyword\n");
	assert_run("echo 'abc", 1, "syntax error: unterminated '\n");
	assert_run("echo \"abc", 1, "syntax error: unterminated \"\n");
	assert_run("echo ${abc", 1, "syntax error: unterminated ${\n");
	assert_run("for 1 in a; do echo; done", 1, "syntax error: bad 'for' variable\n");
	assert_run("for x a; do echo; done", 1, "syntax error: missing 'in'\n");
	assert_run("if true; then echo; fi echo", 1, "syntax error: unexpected word\n");
	assert_run("&& echo", 1, "syntax error: unexpected operator\n");
	assert_run("while true; echo; done", 1, "syntax error: unexpected keyword\n");
	assert_run("while true; echo", 1, "syntax error: unexpected end of input\n");
}

static void test_limits(void **state)
{
	char *deep, *big;
	size_t n = 0;

	/* 100 nested ifs: refused, not a stack overflow. */
	deep = malloc(100 * 20 + 100);
	for (int i = 0; i < 100; i++)
		n += sprintf(deep + n, "if true; then ");
	n += sprintf(deep + n, "echo deep");
	for (int i = 0; i < 100; i++)
		n += sprintf(deep + n, "; fi");
	assert_run(deep, 1, "syntax error: nesting too deep\n");
	free(deep);

	/* Expansion cap. */
	big = malloc(60001);
	memset(big, 'a', 60000);
	big[60000] = '\0';
	assert_int_equal(env_set("big", big), 0);
	assert_run("args $big $big $big", 1, "command line too long after expansion\n");
	free(big);

	/* More arguments than the command allows. */
	assert_run("md 1 2 3", 1, "md - memory display\n\nUsage:\nmd addr\n");
}

/*
 * Expansion copies text in runs, not byte by byte: a `while` loop doubling a
 * variable to its 64 KiB cap made the shell (and its fuzzer) crawl. Big
 * values and words must take a handful of appends, and still come out whole.
 */
static void test_expand_in_runs(void **state)
{
	const size_t n = 0x3000;
	char *v = malloc(n + 1), *script = malloc(3 * n + 64), *p = script;

	memset(v, 'v', n);
	v[0] = v[n - 1] = 'e';
	v[n / 2] = ' ';
	v[n / 2 + 1] = '\t';
	v[n] = '\0';
	assert_int_equal(env_set("big", v), 0);
	p += sprintf(p, "lens $big \"$big\" '");
	memset(p, 'q', n);
	p += n;
	p += sprintf(p, "' ");
	memset(p, 'u', n);
	p += n;
	strcpy(p, " \"x${big}\"y");
	expand_appends = 0;
	assert_run(script, 0, "[6144ev][6142ve][12288ee][12288qq][12288uu][12290xy]\n");
	assert_true(expand_appends < 64);
	free(script);
	free(v);
}

static void test_ctrlc_breaks_loops(void **state)
{
	capture_ctrlc_after = 5;
	assert_run("while true; do true; done; echo never", 1, "<INTERRUPT>\n");
	capture_ctrlc_after = 0;
	assert_run("for i in a b; do echo $i; done", 1, "<INTERRUPT>\n");
	/* The next script runs normally. */
	assert_run("echo ok", 0, "ok\n");
}

static void test_find_cmd(void **state)
{
	assert_run("md.b 0", 0, "md as 'md.b'\n");
	assert_run("ech abbreviated", 0, "abbreviated\n");
	/* "m" is ambiguous (md, mw). */
	assert_run("m", 1, "Unknown command 'm' - try 'help'\n");
	assert_null(find_cmd(""));
	assert_null(find_cmd(".b"));
	assert_non_null(find_cmd("mw.q"));
}

static void test_parse_numbers(void **state)
{
	unsigned long v;
	uint64_t u;

	assert_int_equal(parse_ulong("40000000", &v), 0);
	assert_int_equal(v, 0x40000000);
	assert_int_equal(parse_ulong("0xFFff", &v), 0);
	assert_int_equal(v, 0xffff);
	assert_int_not_equal(parse_ulong("", &v), 0);
	assert_int_not_equal(parse_ulong("0x", &v), 0);
	assert_int_not_equal(parse_ulong("12g", &v), 0);
	assert_int_equal(parse_u64("ffffffffffffffff", &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_not_equal(parse_u64("10000000000000000", &u), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_quoting, setup),
	    cmocka_unit_test_setup(test_expansion, setup),
	    cmocka_unit_test_setup(test_lists, setup),
	    cmocka_unit_test_setup(test_status, setup),
	    cmocka_unit_test_setup(test_if, setup),
	    cmocka_unit_test_setup(test_for_while, setup),
	    cmocka_unit_test_setup(test_locals, setup),
	    cmocka_unit_test_setup(test_comments_continuation, setup),
	    cmocka_unit_test_setup(test_run_and_exit, setup),
	    cmocka_unit_test_setup(test_syntax_errors, setup),
	    cmocka_unit_test_setup(test_limits, setup),
	    cmocka_unit_test_setup(test_expand_in_runs, setup),
	    cmocka_unit_test_setup(test_ctrlc_breaks_loops, setup),
	    cmocka_unit_test_setup(test_find_cmd, setup),
	    cmocka_unit_test_setup(test_parse_numbers, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
