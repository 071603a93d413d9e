// SPDX-License-Identifier: MIT
/* The environment store, `env import -t` text and the RAM-derived defaults. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <pvboot/env.h>
#include <pvboot/env_internal.h>
#include <pvboot/log.h>

static struct env_platform plat; /* what init/main.c would give env_init() */
int log_level = LOG_INFO;
static char logbuf[4096];

void log_msg(enum log_level level, const char *fmt, ...)
{
	size_t n = strlen(logbuf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(logbuf + n, sizeof(logbuf) - n, fmt, ap);
	va_end(ap);
}

/* A contributed default, as boot/ does for distro_bootcmd. */
PVBOOT_ENV_DEFAULT(test_contributed, "from a section");

static int setup(void **state)
{
	memset(&plat, 0, sizeof(plat));
	env_init(&plat); /* forget the last test's RAM */
	env_clear();
	logbuf[0] = '\0';
	return 0;
}

static void test_set_get_delete(void **state)
{
	assert_null(env_get("a"));
	assert_int_equal(env_set("a", "1"), 0);
	assert_string_equal(env_get("a"), "1");
	assert_int_equal(env_set("a", "two words"), 0);
	assert_string_equal(env_get("a"), "two words");
	assert_int_equal(env_set("a", ""), 0); /* empty deletes, as U-Boot */
	assert_null(env_get("a"));
	assert_int_equal(env_set("a", "x"), 0);
	assert_int_equal(env_set("a", NULL), 0);
	assert_null(env_get("a"));
	assert_int_equal(env_set("gone", NULL), 0); /* deleting nothing is fine */
	assert_int_equal(env_size_used(), 0);
}

static void test_names(void **state)
{
	char longname[ENV_NAME_MAX + 2];

	assert_int_equal(env_set("bootcmd_pvblock0", "x"), 0);
	assert_int_equal(env_set("fdt-addr.1", "x"), 0);
	assert_int_not_equal(env_set("", "x"), 0);
	assert_int_not_equal(env_set("a=b", "x"), 0);
	assert_int_not_equal(env_set("a b", "x"), 0);
	assert_int_not_equal(env_set("a$b", "x"), 0);
	assert_int_not_equal(env_set("a\nb", "x"), 0);
	assert_int_not_equal(env_set("caf\xc3\xa9", "x"), 0);
	assert_int_not_equal(env_set(NULL, "x"), 0);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_not_equal(env_set(longname, "x"), 0);
	longname[ENV_NAME_MAX] = '\0';
	assert_int_equal(env_set(longname, "x"), 0);
}

static int collect(const char *name, const char *value, void *arg)
{
	char *s = arg;

	strcat(s, name);
	strcat(s, "=");
	strcat(s, value);
	strcat(s, ";");
	return 0;
}

static int stop_at_b(const char *name, const char *value, void *arg)
{
	(*(int *)arg)++;
	return !strcmp(name, "b") ? 7 : 0;
}

static void test_sorted_foreach(void **state)
{
	const char *names[] = {"m", "b", "z", "a", "bb", "A", "c"};
	char all[256] = "";
	int n = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(env_set(names[i], names[i]), 0);
	assert_int_equal(env_foreach(collect, all), 0);
	assert_string_equal(all, "A=A;a=a;b=b;bb=bb;c=c;m=m;z=z;");
	assert_int_equal(env_foreach(stop_at_b, &n), 7);
	assert_int_equal(n, 3);
	env_set("bb", NULL);
	env_set("A", NULL);
	all[0] = '\0';
	env_foreach(collect, all);
	assert_string_equal(all, "a=a;b=b;c=c;m=m;z=z;");
}

static void test_many_vars(void **state)
{
	char name[16], value[16];

	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "v%d", (i * 7919) % 1000);
		snprintf(value, sizeof(value), "%d", i);
		assert_int_equal(env_set(name, value), 0);
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "v%d", (i * 7919) % 1000);
		snprintf(value, sizeof(value), "%d", i);
		assert_string_equal(env_get(name), value);
	}
}

static void test_hex(void **state)
{
	assert_int_equal(env_set_hex("h", 0x40200000), 0);
	assert_string_equal(env_get("h"), "40200000");
	assert_int_equal(env_set_hex("h", 0xfedcba9876543210ULL), 0);
	assert_string_equal(env_get("h"), "fedcba9876543210");
	assert_int_equal(env_set_hex("h", 0), 0);
	assert_string_equal(env_get("h"), "0");
	assert_int_equal(env_set_ulong("d", 1234), 0);
	assert_string_equal(env_get("d"), "1234");

	env_set("x", "0x1F");
	assert_int_equal(env_get_hex("x", 5), 0x1f);
	env_set("x", "abc");
	assert_int_equal(env_get_hex("x", 5), 0xabc);
	env_set("x", "12z");
	assert_int_equal(env_get_hex("x", 5), 5);
	env_set("x", "0x");
	assert_int_equal(env_get_hex("x", 5), 5);
	env_set("x", "10000000000000000");
	assert_int_equal(env_get_hex("x", 5), 5);
	assert_int_equal(env_get_hex("unset", 9), 9);
}

static void test_size_limit(void **state)
{
	char *big = malloc(ENV_SIZE);

	memset(big, 'v', ENV_SIZE - 1);
	big[ENV_SIZE - 1] = '\0';
	assert_int_not_equal(env_set("big", big), 0);
	big[ENV_SIZE / 2] = '\0';
	assert_int_equal(env_set("big1", big), 0);
	assert_int_not_equal(env_set("big2", big), 0); /* would pass ENV_SIZE in total */
	assert_string_equal(env_get("big1"), big);
	/* Replacing a value only counts the difference. */
	assert_int_equal(env_set("big1", big), 0);
	assert_true(env_size_used() <= ENV_SIZE);
	free(big);
}

static void test_import_text(void **state)
{
	const char text[] = "# uEnv.txt\r\n"
			    "bootargs=console=hvc0 root=/dev/xvda2\r\n"
			    "\n"
			    "   uenvcmd=run a; run b\n"
			    "garbage line\n"
			    "bad name=1\n"
			    "=novalue\n"
			    "empty=\n"
			    "eq=a=b\n"
			    "last=no newline";
	int n;

	env_set("empty", "will be deleted");
	n = env_import_text(text, sizeof(text) - 1);
	assert_int_equal(n, 5);
	assert_string_equal(env_get("bootargs"), "console=hvc0 root=/dev/xvda2");
	assert_string_equal(env_get("uenvcmd"), "run a; run b");
	assert_null(env_get("empty"));
	assert_string_equal(env_get("eq"), "a=b");
	assert_string_equal(env_get("last"), "no newline");
	assert_non_null(strstr(logbuf, "line 5"));
	assert_non_null(strstr(logbuf, "line 6"));
	assert_non_null(strstr(logbuf, "line 7"));
	assert_non_null(strstr(logbuf, "3 line(s) skipped"));
}

static void test_import_bounds(void **state)
{
	char *buf = malloc(ENV_LINE_MAX + 64);
	int n;

	/* Stops at NUL; length is honoured without a terminator. */
	assert_int_equal(env_import_text("a=1\nb=2\0c=3\n", 12), 2);
	assert_null(env_get("c"));
	assert_int_equal(env_import_text("d=12345", 4), 1);
	assert_string_equal(env_get("d"), "12");
	assert_int_equal(env_import_text("", 0), 0);
	assert_true(env_import_text(NULL, 5) < 0);

	/* An over-long line is skipped, the next one still imported. */
	memcpy(buf, "long=", 5);
	memset(buf + 5, 'x', ENV_LINE_MAX);
	memcpy(buf + 5 + ENV_LINE_MAX, "\nok=1\n", 6);
	n = env_import_text(buf, 5 + ENV_LINE_MAX + 6);
	assert_int_equal(n, 1);
	assert_null(env_get("long"));
	assert_string_equal(env_get("ok"), "1");
	free(buf);
}

static uint64_t hexvar(const char *name)
{
	const char *v = env_get(name);

	assert_non_null(v);
	return strtoull(v, NULL, 16);
}

/* The defaults must fit below pvboot, in order, for every RAM size. */
static void check_layout(uint64_t start, uint64_t size, uint64_t reserved)
{
	static char dtb[256];
	uint64_t k, kc, kcs, fdt, rd, top;

	setup(NULL);
	assert_int_equal(fdt_create_empty_tree(dtb, sizeof(dtb)), 0);
	plat.ram_start = start;
	plat.ram_size = size;
	plat.reserved_start = reserved;
	plat.fdt = (uintptr_t)dtb;
	env_init(&plat);

	k = hexvar("kernel_addr_r");
	kc = hexvar("kernel_comp_addr_r");
	kcs = hexvar("kernel_comp_size");
	fdt = hexvar("fdt_addr_r");
	rd = hexvar("ramdisk_addr_r");
	top = reserved & ~(uint64_t)0x1fffff;
	assert_true(k == start + 0x200000);
	assert_true(k % 0x200000 == 0);
	assert_true(hexvar("loadaddr") == k);
	assert_true(hexvar("scriptaddr") >= start && hexvar("scriptaddr") < k);
	assert_true(hexvar("pxefile_addr_r") > hexvar("scriptaddr"));
	assert_true(hexvar("pxefile_addr_r") < k);
	assert_true(kc > k && kc % 0x200000 == 0);
	assert_true(kc - k >= 0x400000); /* a kernel of at least 4 MiB fits */
	assert_true(fdt == kc + kcs);
	assert_true(rd >= fdt + 0x100000);
	assert_true(rd + 0x400000 <= top); /* a ramdisk of at least 4 MiB fits */
	assert_true(hexvar("fdtcontroladdr") == plat.fdt);
	assert_string_equal(env_get("arch"), "arm");
	assert_string_equal(env_get("cpu"), "armv8");
	assert_string_equal(env_get("board"), "xenguest_arm64");
	assert_string_equal(env_get("bootcmd"), "run distro_bootcmd");
	assert_non_null(env_get("bootdelay"));
	assert_true(!strncmp(env_get("ver"), "pvboot ", 7));
	assert_string_equal(env_get("test_contributed"), "from a section");
	assert_null(env_get("bootargs"));
	assert_string_equal(logbuf, "");
}

static void test_defaults_layout(void **state)
{
	/* 32 MiB domU: pvboot takes ~8.5 MiB at the top. */
	check_layout(0x40000000, 32 << 20, 0x40000000 + (32 << 20) - (8 << 20) - 0x80000);
	/* 128 MiB, 1 GiB, 3 GiB (the largest bank 0 Xen gives). */
	check_layout(0x40000000, 128 << 20, 0x40000000 + (128 << 20) - (17 << 20));
	check_layout(0x40000000, 1ULL << 30, 0x40000000 + (1ULL << 30) - (17 << 20));
	check_layout(0x40000000, 3ULL << 30, 0x40000000 + (3ULL << 30) - (17 << 20));
	/* Caps: the kernel area does not take half of a huge bank. */
	assert_true(hexvar("kernel_comp_addr_r") - hexvar("kernel_addr_r") <= 128 << 20);
}

static void test_defaults_tiny_ram_warns(void **state)
{
	setup(NULL);
	plat.ram_start = 0x40000000;
	plat.ram_size = 8 << 20;
	plat.reserved_start = 0x40000000 + (4 << 20);
	env_init(&plat);
	assert_non_null(strstr(logbuf, "overlap"));
	assert_non_null(env_get("kernel_addr_r"));
}

static void test_defaults_bootargs_from_dt(void **state)
{
	static char fdt[4096];
	int chosen;

	assert_int_equal(fdt_create_empty_tree(fdt, sizeof(fdt)), 0);
	chosen = fdt_add_subnode(fdt, 0, "chosen");
	assert_true(chosen >= 0);
	assert_int_equal(fdt_setprop_string(fdt, chosen, "bootargs", "root=/dev/xvda1 quiet"), 0);
	plat.ram_start = 0x40000000;
	plat.ram_size = 128 << 20;
	plat.fdt = (uintptr_t)fdt;
	env_set("junk", "1");
	env_init(&plat);
	assert_string_equal(env_get("bootargs"), "root=/dev/xvda1 quiet");
	assert_null(env_get("junk")); /* default -a starts from scratch */
	assert_true(hexvar("fdtcontroladdr") == (uintptr_t)fdt);

	/* An unterminated property is not trusted. */
	assert_int_equal(fdt_setprop(fdt, chosen, "bootargs", "abc", 3), 0);
	env_set_default();
	assert_null(env_get("bootargs"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_set_get_delete, setup),
	    cmocka_unit_test_setup(test_names, setup),
	    cmocka_unit_test_setup(test_sorted_foreach, setup),
	    cmocka_unit_test_setup(test_many_vars, setup),
	    cmocka_unit_test_setup(test_hex, setup),
	    cmocka_unit_test_setup(test_size_limit, setup),
	    cmocka_unit_test_setup(test_import_text, setup),
	    cmocka_unit_test_setup(test_import_bounds, setup),
	    cmocka_unit_test_setup(test_defaults_layout, setup),
	    cmocka_unit_test_setup(test_defaults_tiny_ram_warns, setup),
	    cmocka_unit_test_setup(test_defaults_bootargs_from_dt, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
