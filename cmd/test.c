// SPDX-License-Identifier: MIT
/*
 * test / true / false, as U-Boot's: string and decimal comparisons, -z -n,
 * -e for files on a disk, ! -a -o. Parsed by recursive descent over argv
 * (-o binds weaker than -a, ! binds tightest); depth is bounded by argc.
 * One difference kept on purpose: `-z`/`-n` whose operand vanished (an
 * unquoted empty variable) test the empty string, so `test -z $unset` is
 * true where U-Boot says false.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/command.h>
#include <pvboot/fs.h>

struct test_ctx {
	int argc;
	char *const *argv;
	int pos;
	bool error;
};

static const char *peek_arg(struct test_ctx *t, int ahead)
{
	return t->pos + ahead < t->argc ? t->argv[t->pos + ahead] : NULL;
}

static bool is_binary_op(const char *s)
{
	static const char *const ops[] = {"=",	 "==",	"!=",  "<",   ">",  "-eq",
					  "-ne", "-lt", "-gt", "-le", "-ge"};

	for (size_t i = 0; s && i < ARRAY_SIZE(ops); i++)
		if (!strcmp(s, ops[i]))
			return true;
	return false;
}

static bool binary(const char *a, const char *op, const char *b)
{
	long x, y;

	if (!strcmp(op, "=") || !strcmp(op, "=="))
		return !strcmp(a, b);
	if (!strcmp(op, "!="))
		return strcmp(a, b) != 0;
	if (!strcmp(op, "<"))
		return strcmp(a, b) < 0;
	if (!strcmp(op, ">"))
		return strcmp(a, b) > 0;
	x = strtol(a, NULL, 10);
	y = strtol(b, NULL, 10);
	if (!strcmp(op, "-eq"))
		return x == y;
	if (!strcmp(op, "-ne"))
		return x != y;
	if (!strcmp(op, "-lt"))
		return x < y;
	if (!strcmp(op, "-gt"))
		return x > y;
	if (!strcmp(op, "-le"))
		return x <= y;
	return x >= y; /* -ge */
}

static bool file_exists(const char *iface, const char *dev, const char *path)
{
	bool found;

	if (fs_set_blk_dev(iface, dev))
		return false;
	found = fs_exists(path) > 0;
	fs_close();
	return found;
}

static bool primary(struct test_ctx *t)
{
	const char *a = peek_arg(t, 0);

	if (!a) {
		t->error = true;
		return false;
	}
	if (is_binary_op(peek_arg(t, 1)) && peek_arg(t, 2)) {
		bool r = binary(a, t->argv[t->pos + 1], t->argv[t->pos + 2]);

		t->pos += 3;
		return r;
	}
	if (!strcmp(a, "-z") || !strcmp(a, "-n")) {
		const char *s = peek_arg(t, 1);
		bool empty;

		/* An operand that is an operator of ours means it vanished. */
		if (!s || !strcmp(s, "-a") || !strcmp(s, "-o")) {
			t->pos++;
			empty = true;
		} else {
			t->pos += 2;
			empty = !*s;
		}
		return a[1] == 'z' ? empty : !empty;
	}
	if (!strcmp(a, "-e")) {
		if (t->argc - t->pos < 4) {
			t->error = true;
			return false;
		}
		t->pos += 4;
		return file_exists(t->argv[t->pos - 3], t->argv[t->pos - 2], t->argv[t->pos - 1]);
	}
	t->pos++;
	return *a != '\0';
}

static bool unary(struct test_ctx *t)
{
	const char *a = peek_arg(t, 0);

	/* "! = x" is a comparison of "!", not a negation. */
	if (a && !strcmp(a, "!") && !is_binary_op(peek_arg(t, 1))) {
		t->pos++;
		return !unary(t);
	}
	return primary(t);
}

static bool and_expr(struct test_ctx *t)
{
	bool v = unary(t);

	while (!t->error && peek_arg(t, 0) && !strcmp(peek_arg(t, 0), "-a")) {
		t->pos++;
		v = unary(t) && v;
	}
	return v;
}

static bool or_expr(struct test_ctx *t)
{
	bool v = and_expr(t);

	while (!t->error && peek_arg(t, 0) && !strcmp(peek_arg(t, 0), "-o")) {
		t->pos++;
		v = and_expr(t) || v;
	}
	return v;
}

static int do_test(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	struct test_ctx t = {.argc = argc, .argv = argv, .pos = 1};
	bool v;

	if (argc < 2)
		return CMD_RET_FAILURE;
	v = or_expr(&t);
	if (t.error || t.pos != argc) {
		printf("test: syntax error\n");
		return CMD_RET_FAILURE;
	}
	return v ? CMD_RET_SUCCESS : CMD_RET_FAILURE;
}

static int do_true(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	return CMD_RET_SUCCESS;
}

static int do_false(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	return CMD_RET_FAILURE;
}

PVBOOT_CMD(test, CONFIG_SYS_MAXARGS, do_test, "minimal test like /bin/sh",
	   "[args..]\n"
	   "    - strings: -z s, -n s, s1 = s2, s1 != s2, s1 < s2, s1 > s2\n"
	   "    - decimal numbers: n1 -eq|-ne|-lt|-gt|-le|-ge n2\n"
	   "    - files: -e interface dev[:part] path\n"
	   "    - combine with ! (not), -a (and), -o (or)");

PVBOOT_CMD(true, CONFIG_SYS_MAXARGS, do_true, "do nothing, successfully", "\n    - return success");

PVBOOT_CMD(false, CONFIG_SYS_MAXARGS, do_false, "do nothing, unsuccessfully",
	   "\n    - return failure");
