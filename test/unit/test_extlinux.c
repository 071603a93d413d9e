// SPDX-License-Identifier: MIT
/* extlinux.conf parser: what distributions write, and what they get wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include <pvboot/extlinux.h>

static struct extlinux_conf conf;

static int parse(const char *s)
{
	return extlinux_parse(s, strlen(s), &conf);
}

static void test_debian_style(void **state)
{
	const char *cfg = "## /boot/extlinux/extlinux.conf\n"
			  "default l0\n"
			  "menu title Debian GNU/Linux\n"
			  "prompt 0\n"
			  "timeout 50\n"
			  "\n"
			  "label l0\n"
			  "\tmenu label Debian GNU/Linux, kernel 6.1.0-26-arm64\n"
			  "\tlinux /boot/vmlinuz-6.1.0-26-arm64\n"
			  "\tinitrd /boot/initrd.img-6.1.0-26-arm64\n"
			  "\tappend root=/dev/xvda1 ro quiet\n"
			  "\n"
			  "label l0r\n"
			  "\tmenu label Debian GNU/Linux, kernel 6.1.0-26-arm64 (rescue target)\n"
			  "\tlinux /boot/vmlinuz-6.1.0-26-arm64\n"
			  "\tappend root=/dev/xvda1 ro single\n";

	assert_int_equal(parse(cfg), 0);
	assert_string_equal(conf.title, "Debian GNU/Linux");
	assert_int_equal(conf.timeout, 50);
	assert_false(conf.prompt);
	assert_int_equal(conf.n_labels, 2);
	assert_string_equal(conf.labels[0].kernel, "/boot/vmlinuz-6.1.0-26-arm64");
	assert_int_equal(conf.labels[0].n_initrd, 1);
	assert_string_equal(conf.labels[0].append, "root=/dev/xvda1 ro quiet");
	assert_true(conf.labels[0].has_append);
	assert_int_equal(conf.labels[1].n_initrd, 0);
	assert_string_equal(conf.labels[1].menu,
			    "Debian GNU/Linux, kernel 6.1.0-26-arm64 (rescue target)");
	assert_int_equal(extlinux_default(&conf), 0);
	assert_int_equal(conf.warnings, 0);
}

static void test_keywords_case_and_default(void **state)
{
	const char *cfg = "LABEL a\r\nKERNEL /a\r\nLABEL b\r\n  KeRnEl /b\r\n  FDT /b.dtb\r\n"
			  "  INITRD /i1,/i2,/i3\r\n  MENU DEFAULT\r\n  FDTDIR /dtbs\r\n";

	assert_int_equal(parse(cfg), 0);
	assert_int_equal(conf.n_labels, 2);
	assert_string_equal(conf.labels[1].kernel, "/b");
	assert_string_equal(conf.labels[1].fdt, "/b.dtb");
	assert_string_equal(conf.labels[1].fdtdir, "/dtbs");
	assert_int_equal(conf.labels[1].n_initrd, 3);
	assert_string_equal(conf.labels[1].initrd[2], "/i3");
	assert_int_equal(extlinux_default(&conf), 1);
}

static void test_no_kernel_is_error(void **state)
{
	assert_int_not_equal(parse("label x\nappend foo\n"), 0);
	assert_int_not_equal(parse(""), 0);
	assert_int_not_equal(parse("kernel /outside/a/label\n"), 0);
	assert_true(conf.warnings >= 1);
}

static void test_never_truncates(void **state)
{
	char cfg[8192];
	char longpath[600];

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	snprintf(cfg, sizeof(cfg), "label x\nkernel /%s\nlabel y\nkernel /ok\n", longpath);
	assert_int_equal(parse(cfg), 0);
	/* The over-long value is refused and reported, not cut. */
	assert_string_equal(conf.labels[0].kernel, "");
	assert_string_equal(conf.labels[1].kernel, "/ok");
	assert_int_equal(conf.warnings, 1);
}

static void test_limits(void **state)
{
	char cfg[16384];
	size_t n = 0;

	n += snprintf(cfg + n, sizeof(cfg) - n, "label z\ninitrd a,b,c,d,e,f\nkernel /z\n");
	for (int i = 0; i < EXTLINUX_MAX_LABELS + 3; i++)
		n += snprintf(cfg + n, sizeof(cfg) - n, "label l%d\nkernel /k%d\n", i, i);
	assert_int_equal(parse(cfg), 0);
	assert_int_equal(conf.n_labels, EXTLINUX_MAX_LABELS);
	assert_int_equal(conf.labels[0].n_initrd, EXTLINUX_MAX_INITRDS);
	assert_true(conf.warnings >= 4);
}

static void test_nul_and_garbage(void **state)
{
	const char cfg[] = "label a\nkernel /a\0b\nbogus keyword\n\xff\xfe\n";

	assert_int_equal(extlinux_parse(cfg, sizeof(cfg) - 1, &conf), 0);
	assert_string_equal(conf.labels[0].kernel, "/a b");
	assert_int_equal(conf.warnings, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_debian_style),
	    cmocka_unit_test(test_keywords_case_and_default),
	    cmocka_unit_test(test_no_kernel_is_error),
	    cmocka_unit_test(test_never_truncates),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_nul_and_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
