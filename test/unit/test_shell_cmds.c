// SPDX-License-Identifier: MIT
/*
 * The real test/echo/env commands through the real shell: test's operator
 * precedence and corner cases, setenv/printenv/env/run, env import -t from
 * a buffer standing in for guest RAM. fs and the console are stubbed.
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
#include <pvboot/board.h>
#include <pvboot/memgate.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/env.h>
#include <pvboot/env_internal.h>
#include <pvboot/fs.h>
#include <pvboot/log.h>
#include "../../shell/cli.h"
#include "capture_console.h"

struct board_info board;
static char ram[1 << 16] __aligned(4096);
void env_set_default(void)
{
	env_clear();
	env_set("bootcmd", "run distro_bootcmd");
}

void env_defaults_runtime(void)
{
}

/* A "disk" whose only file is /boot/Image on pvblock 0:1. */
static bool fs_selected;
int fs_set_blk_dev(const char *iface, const char *dev_part_str)
{
	fs_selected = !strcmp(iface, "pvblock") && !strcmp(dev_part_str, "0:1");
	return fs_selected ? 0 : -19;
}

int fs_exists(const char *path)
{
	return fs_selected && !strcmp(path, "/boot/Image");
}

void fs_close(void)
{
	fs_selected = false;
}

static int setup(void **state)
{
	env_set_default();
	cli_locals_clear();
	mem_gate_init(&board);
	board.nr_banks = 1;
	board.banks[0].start = (uintptr_t)ram;
	board.banks[0].size = sizeof(ram);
	return 0;
}

#define T(expr, result) assert_run("test " expr, (result) ? 0 : 1, "")

static void test_test_strings(void **state)
{
	T("abc = abc", 1);
	T("abc == abc", 1);
	T("abc = abd", 0);
	T("abc != abd", 1);
	T("a \\< b", 1);
	T("b '<' a", 0);
	T("b '>' a", 1);
	T("-z ''", 1);
	T("-z x", 0);
	T("-n x", 1);
	T("-n ''", 0);
	T("x", 1);
	T("''", 0);
	T("-z $unset", 1); /* the operand vanished: the empty string */
	T("-n $unset", 0);
	T("-z $unset -a -n x", 1);
	/* "=" as an operand, "!" compared as a string. */
	T("= = =", 1);
	T("! = !", 1);
	T("! = x", 0);
}

static void test_test_numbers(void **state)
{
	T("1 -eq 1", 1);
	T("10 -gt 9", 1);
	T("10 -lt 9", 0);
	T("-5 -lt 3", 1);
	T("3 -le 3", 1);
	T("3 -ge 4", 0);
	T("3 -ne 4", 1);
	T("010 -eq 10", 1); /* decimal, as U-Boot */
}

static void test_test_logic(void **state)
{
	T("! a = b", 1);
	T("! ! a = b", 0);
	T("a = a -a b = b", 1);
	T("a = a -a b = c", 0);
	T("a = b -o b = b", 1);
	/* -a binds tighter than -o. */
	T("a = a -o a = b -a c = d", 1);
	T("a = b -a a = a -o c = c", 1);
	T("a = b -a a = a -o c = d", 0);
}

static void test_test_errors(void **state)
{
	assert_run("test", 1, "");
	assert_run("test 1 -eq", 1, "test: syntax error\n");
	assert_run("test a = b c", 1, "test: syntax error\n");
	assert_run("test !", 1, "test: syntax error\n");
	assert_run("test a -a", 1, "test: syntax error\n");
}

static void test_test_files(void **state)
{
	T("-e pvblock 0:1 /boot/Image", 1);
	T("-e pvblock 0:1 /boot/none", 0);
	T("-e pvblock 0:2 /boot/Image", 0);
	T("! -e pvblock 0:1 /x -a -e pvblock 0:1 /boot/Image", 1);
	assert_run("test -e pvblock 0:1", 1, "test: syntax error\n");
}

static void test_echo(void **state)
{
	assert_run("echo a  b 'c  d'", 0, "a b c  d\n");
	assert_run("echo -n x; echo y", 0, "xy\n");
	assert_run("echo", 0, "\n");
}

static void test_env_commands(void **state)
{
	assert_run("setenv a 1 2  3; printenv a", 0, "a=1 2 3\n");
	assert_run("printenv nope", 1, "## Error: \"nope\" not defined\n");
	assert_run("env set b x; env print b; env delete b; env exists b", 1, "b=x\n");
	assert_run("env delete nope", 1, "## Error: \"nope\" not defined\n");
	assert_run("setenv 'a b' 1", 1, "## Error: invalid variable name \"a b\"\n");
	assert_run("env default -a; printenv a", 1,
		   "## Resetting to default environment\n## Error: \"a\" not defined\n");
	assert_int_equal(capture_run("env default"), 1);
	assert_true(!strncmp(capture_out, "env - environment handling commands\n", 36));
	assert_int_equal(capture_run("env frobnicate"), 1);
	assert_true(!strncmp(capture_out, "env - ", 6));
	env_clear();
	assert_run("setenv z 1; setenv y 2; printenv", 0,
		   "y=2\nz=1\n\nEnvironment size: 8/65536 bytes\n");
}

static void test_run_command(void **state)
{
	assert_run("setenv s1 'echo one'; setenv s2 'echo two; false'; setenv s3 'echo three';"
		   "run s1 s2 s3",
		   1, "one\ntwo\n");
	assert_run("run nope", 1, "## Error: \"nope\" not defined\n");
}

static void test_env_import(void **state)
{
	char cmd[128];

	strcpy(ram + 0x100, "# c\r\nfoo=bar\r\nbaz=1 2\n\nbad\n");
	snprintf(cmd, sizeof(cmd), "env import -t %lx; printenv foo baz",
		 (unsigned long)(ram + 0x100));
	capture_on = true;
	assert_int_equal(capture_run(cmd), 0);
	assert_non_null(strstr(capture_out, "foo=bar\nbaz=1 2\n"));
	assert_non_null(strstr(capture_out, "line 5"));

	/* With a size: only the first line. */
	env_clear();
	snprintf(cmd, sizeof(cmd), "env import -t %lx 10; printenv foo baz",
		 (unsigned long)(ram + 0x100));
	assert_int_equal(capture_run(cmd), 1);
	assert_non_null(strstr(capture_out, "foo=bar\n"));
	assert_non_null(strstr(capture_out, "\"baz\" not defined"));

	/* -d wipes first; outside RAM is refused. */
	snprintf(cmd, sizeof(cmd), "setenv keep 1; env import -d -t %lx; printenv keep",
		 (unsigned long)(ram + 0x100));
	assert_int_equal(capture_run(cmd), 1);
	assert_non_null(strstr(capture_out, "\"keep\" not defined"));
	assert_int_equal(capture_run("env import -t 10"), 1);
	assert_non_null(strstr(capture_out, "outside RAM"));
	assert_int_equal(capture_run("env import -b 10"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_test_strings, setup),
	    cmocka_unit_test_setup(test_test_numbers, setup),
	    cmocka_unit_test_setup(test_test_logic, setup),
	    cmocka_unit_test_setup(test_test_errors, setup),
	    cmocka_unit_test_setup(test_test_files, setup),
	    cmocka_unit_test_setup(test_echo, setup),
	    cmocka_unit_test_setup(test_env_commands, setup),
	    cmocka_unit_test_setup(test_run_command, setup),
	    cmocka_unit_test_setup(test_env_import, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
