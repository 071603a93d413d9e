// SPDX-License-Identifier: MIT
/*
 * The stored environment: U-Boot's image format (against mkenvimage and
 * libubootenv's fw_printenv/fw_setenv when the host has them), the binary
 * list of env export/import -b, the redundant choice, and load/save over a
 * location in memory that can fail or tear a write.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <libfdt.h>
#include <pvboot/crc32.h>
#include <pvboot/env.h>
#include <pvboot/env_image.h>
#include <pvboot/env_internal.h>
#include <pvboot/env_store.h>
#include <pvboot/get_le.h>
#include <pvboot/log.h>

int log_level = LOG_INFO;
static char logbuf[8192];

void log_msg(enum log_level level, const char *fmt, ...)
{
	size_t n = strlen(logbuf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(logbuf + n, sizeof(logbuf) - n, fmt, ap);
	va_end(ap);
}

#define SZ 0x1000

static char tmpdir[] = "/tmp/pvboot-envst-XXXXXX";

static int setup(void **state)
{
	env_clear();
	logbuf[0] = '\0';
	return 0;
}

static void set3(void)
{
	env_clear();
	assert_int_equal(env_set("bootcmd", "run distro_bootcmd"), 0);
	assert_int_equal(env_set("a", "1"), 0);
	assert_int_equal(env_set("upgrade_available", "1"), 0);
}

static void test_image_round_trip(void **state)
{
	uint8_t img[SZ];

	for (int redund = 0; redund < 2; redund++) {
		size_t hdr = ENV_IMAGE_HDR(redund);
		const char want[] = "a=1\0bootcmd=run distro_bootcmd\0upgrade_available=1\0";

		set3();
		memset(img, 0xa5, sizeof(img));
		assert_int_equal(env_image_export(img, SZ, redund, 7, NULL, 0), 0);
		/* Sorted entries, an empty one, zero padding; the CRC over all of it. */
		assert_memory_equal(img + hdr, want, sizeof(want));
		for (size_t i = hdr + sizeof(want); i < SZ; i++)
			assert_int_equal(img[i], 0);
		assert_int_equal(get_le32(img), crc32_le(0, img + hdr, SZ - hdr));
		if (redund)
			assert_int_equal(env_image_flags(img), 7);
		assert_int_equal(env_image_check(img, SZ, redund), 0);
		env_clear();
		assert_int_equal(env_set("stale", "x"), 0);
		assert_int_equal(env_image_import(img, SZ, redund), 3);
		assert_null(env_get("stale")); /* replaced, as U-Boot */
		assert_string_equal(env_get("bootcmd"), "run distro_bootcmd");
		/* The other layout does not check. */
		assert_int_equal(env_image_check(img, SZ, !redund), -EBADMSG);
	}
}

static void test_image_damage(void **state)
{
	uint8_t img[SZ];

	set3();
	assert_int_equal(env_image_export(img, SZ, false, 0, NULL, 0), 0);
	/* One flipped bit anywhere in the data: bad CRC, nothing imported. */
	for (size_t at = 4; at < SZ; at += 997) {
		img[at] ^= 0x10;
		env_clear();
		assert_int_equal(env_set("keep", "me"), 0);
		assert_int_equal(env_image_import(img, SZ, false), -EBADMSG);
		assert_string_equal(env_get("keep"), "me");
		img[at] ^= 0x10;
	}
	/* Truncated: too small for a header, or cut short (the CRC covers the size). */
	assert_int_equal(env_image_check(img, 4, false), -EINVAL);
	assert_int_equal(env_image_check(img, 5, true), -EINVAL);
	assert_int_equal(env_image_check(img, SZ - 1, false), -EBADMSG);
	/* A right CRC over a list with no end: refused. */
	memset(img + 4, 'x', SZ - 4);
	img[100] = '\0';
	put_le32(img, crc32_le(0, img + 4, SZ - 4));
	assert_int_equal(env_image_check(img, SZ, false), -EUCLEAN);
	assert_int_equal(env_image_import(img, SZ, false), -EUCLEAN);
	/* Entries that are not name=value with a valid name are skipped. */
	memset(img, 0, SZ);
	memcpy(img + 4, "good=1\0bad name=2\0=3\0noequals\0also=ok\0", 38);
	put_le32(img, crc32_le(0, img + 4, SZ - 4));
	assert_int_equal(env_image_import(img, SZ, false), 2);
	assert_string_equal(env_get("good"), "1");
	assert_string_equal(env_get("also"), "ok");
	assert_non_null(strstr(logbuf, "skipped"));
}

static void test_image_size_limits(void **state)
{
	uint8_t img[64];
	static char val[64];

	env_clear();
	/* "v=" + 55 + NUL + final NUL = 59 = 64 - 5: fits exactly in the redundant layout. */
	memset(val, 'z', 55);
	assert_int_equal(env_set("v", val), 0);
	assert_int_equal(env_image_export(img, sizeof(img), true, 1, NULL, 0), 0);
	assert_int_equal(env_image_check(img, sizeof(img), true), 0);
	memset(img, 0xee, sizeof(img));
	val[55] = 'z';
	assert_int_equal(env_set("v", val), 0);
	assert_int_equal(env_image_export(img, sizeof(img), true, 1, NULL, 0), -ENOSPC);
	assert_int_equal(img[0], 0xee); /* untouched */
	/* An empty environment is valid: one empty entry. */
	env_clear();
	assert_int_equal(env_image_export(img, sizeof(img), false, 0, NULL, 0), 0);
	assert_int_equal(env_image_import(img, sizeof(img), false), 0);
}

static void test_lists(void **state)
{
	char buf[256];
	const char *names[] = {"a", "missing"};
	long n;

	set3();
	assert_int_equal(env_set("nl", "line1\nline2 \\ end"), 0);
	n = env_list_export(buf, sizeof(buf), false, names, 2);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "a=1\0\0", 5);
	n = env_list_export(buf, sizeof(buf), true, NULL, 0);
	assert_true(n > 0);
	assert_non_null(strstr(buf, "nl=line1\\\nline2 \\\\ end\n"));
	/* The text comes back as it was: escapes undone. */
	env_clear();
	assert_int_equal(env_import_text(buf, (size_t)n), 4);
	assert_string_equal(env_get("nl"), "line1\nline2 \\ end");
	/* Binary: "name" and "name=" delete; merge unless replace; no end: refused. */
	assert_int_equal(env_list_import("a\0bootcmd=\0new=v\0\0junk", 24, false), 1);
	assert_null(env_get("a"));
	assert_null(env_get("bootcmd"));
	assert_string_equal(env_get("new"), "v");
	assert_non_null(env_get("nl"));
	assert_int_equal(env_list_import("x=1\0", 4, true), 1);
	assert_null(env_get("nl"));
	assert_int_equal(env_list_import("x=1", 3, false), -EUCLEAN);
	assert_int_equal(env_list_export(buf, 4, false, NULL, 0), -ENOSPC);
}

static void test_redund_pick(void **state)
{
	assert_int_equal(env_redund_pick(false, 0, false, 0), -1);
	assert_int_equal(env_redund_pick(true, 9, false, 10), 0);
	assert_int_equal(env_redund_pick(false, 9, true, 1), 1);
	assert_int_equal(env_redund_pick(true, 3, true, 4), 1);
	assert_int_equal(env_redund_pick(true, 4, true, 3), 0);
	assert_int_equal(env_redund_pick(true, 255, true, 0), 1); /* wrapped */
	assert_int_equal(env_redund_pick(true, 0, true, 255), 0);
	assert_int_equal(env_redund_pick(true, 5, true, 5), 0); /* tie: the first */
}

/* ---- U-Boot's own tools ---- */

static bool have(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static long slurp(const char *file, uint8_t *buf, size_t max)
{
	FILE *f = fopen(file, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, max, f);
	fclose(f);
	return (long)n;
}

static void spit(const char *file, const void *buf, size_t len)
{
	FILE *f = fopen(file, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

static void test_mkenvimage(void **state)
{
	char cmd[512], txt[256], out[256];
	uint8_t theirs[SZ], ours[SZ];

	if (!have("mkenvimage"))
		skip();
	snprintf(txt, sizeof(txt), "%s/env.txt", tmpdir);
	snprintf(out, sizeof(out), "%s/env.bin", tmpdir);
	spit(txt, "a=1\nbootcmd=run distro_bootcmd\nupgrade_available=1\n", 51);
	for (int redund = 0; redund < 2; redund++) {
		snprintf(cmd, sizeof(cmd), "mkenvimage -s 0x%x -p 0 %s -o %s %s", SZ,
			 redund ? "-r" : "", out, txt);
		assert_int_equal(system(cmd), 0);
		assert_int_equal(slurp(out, theirs, SZ), SZ);
		/* Byte for byte what pvboot writes (mkenvimage's redundant flag is 1). */
		set3();
		assert_int_equal(env_image_export(ours, SZ, redund, 1, NULL, 0), 0);
		assert_memory_equal(ours, theirs, SZ);
		env_clear();
		assert_int_equal(env_image_import(theirs, SZ, redund), 3);
		assert_string_equal(env_get("upgrade_available"), "1");
	}
}

static void test_libubootenv(void **state)
{
	char cmd[768], cfg[256], file[256], out[256];
	uint8_t img[SZ];
	FILE *f;
	char line[256];
	bool seen = false;

	if (!have("fw_printenv"))
		skip();
	snprintf(cfg, sizeof(cfg), "%s/fw_env.config", tmpdir);
	snprintf(file, sizeof(file), "%s/uboot.env", tmpdir);
	snprintf(out, sizeof(out), "%s/printenv.out", tmpdir);
	/* The line docs/environment.md gives: file, offset, size. */
	snprintf(line, sizeof(line), "%s 0x0000 0x%x\n", file, SZ);
	spit(cfg, line, strlen(line));
	set3();
	assert_int_equal(env_image_export(img, SZ, false, 0, NULL, 0), 0);
	spit(file, img, SZ);
	snprintf(cmd, sizeof(cmd), "fw_printenv -c %s >%s 2>&1", cfg, out);
	assert_int_equal(system(cmd), 0);
	f = fopen(out, "r");
	while (fgets(line, sizeof(line), f))
		seen |= !strcmp(line, "bootcmd=run distro_bootcmd\n");
	fclose(f);
	assert_true(seen);
	/* fw_setenv's changes come back to pvboot. */
	snprintf(cmd, sizeof(cmd),
		 "fw_setenv -c %s bootcmd 'run altboot' && fw_setenv -c %s upgrade_available", cfg,
		 cfg);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(slurp(file, img, SZ), SZ);
	env_clear();
	assert_int_equal(env_image_import(img, SZ, false), 2);
	assert_string_equal(env_get("bootcmd"), "run altboot");
	assert_null(env_get("upgrade_available"));
}

/* ---- load and save over a memory location ---- */

static struct {
	uint8_t data[2][SZ];
	bool exists[2];
	int fail_copy;	/* the copy whose next write fails (-1: none) ... */
	size_t tear_at; /* ... after writing this many bytes */
	int writes[2];
} mem;

static int mem_read(int copy, void *buf, size_t size)
{
	if (!mem.exists[copy])
		return -ENOENT;
	memcpy(buf, mem.data[copy], size);
	return 0;
}

static int mem_write(int copy, const void *buf, size_t size)
{
	mem.writes[copy]++;
	if (copy == mem.fail_copy) {
		mem.fail_copy = -1;
		memcpy(mem.data[copy], buf, mem.tear_at);
		return -EIO;
	}
	memcpy(mem.data[copy], buf, size);
	mem.exists[copy] = true;
	return 0;
}

static void mem_describe(int copy, char *buf, size_t len)
{
	snprintf(buf, len, "mem%d", copy);
}

static const struct env_location mem_loc = {"MEM", mem_read, mem_write, mem_describe};

static void use_mem(bool redundant)
{
	struct env_store_cfg c = {&mem_loc, SZ, redundant};

	memset(&mem, 0, sizeof(mem));
	mem.fail_copy = -1;
	env_store_configure(&c);
}

static void test_store_single(void **state)
{
	use_mem(false);
	env_set_default();
	assert_int_equal(env_load(), -ENOENT); /* defaults stay */
	assert_non_null(env_get("bootcmd"));
	assert_int_equal(env_set("x", "1"), 0);
	assert_int_equal(env_save(), 0);
	assert_int_equal(env_set("x", "2"), 0);
	assert_int_equal(env_load(), 0);
	assert_string_equal(env_get("x"), "1");
	/* A failed save reports it; the stored copy is what the location kept. */
	mem.fail_copy = 0;
	assert_int_equal(env_set("x", "3"), 0);
	assert_int_equal(env_save(), -EIO);
	assert_int_equal(env_load(), 0);
	assert_string_equal(env_get("x"), "1");
	/* Damaged: defaults, and the current environment is not kept. */
	mem.data[0][10] ^= 1;
	assert_int_equal(env_set("x", "4"), 0);
	assert_int_equal(env_load(), -EBADMSG);
	assert_non_null(env_get("x")); /* env_load leaves what is there on failure */
}

static void test_store_redundant(void **state)
{
	use_mem(true);
	env_set_default();
	assert_int_equal(env_load(), -ENOENT);
	/* Saves alternate, starting with copy 0, serial one higher each time. */
	for (int i = 1; i <= 4; i++) {
		char v[4];

		snprintf(v, sizeof(v), "%d", i);
		assert_int_equal(env_set("x", v), 0);
		assert_int_equal(env_save(), 0);
		assert_int_equal(mem.writes[(i - 1) % 2], (i + 1) / 2);
		assert_int_equal(mem.data[(i - 1) % 2][4], i);
	}
	assert_int_equal(env_load(), 0);
	assert_string_equal(env_get("x"), "4");
	/*
	 * A save torn anywhere never loses the previous environment: the copy
	 * written is the one not in use, and a torn one fails its CRC (or, torn
	 * past the last byte that changed, is the new environment whole).
	 */
	{
		static const size_t tears[] = {0, 1, 4, 5, 6, 20, SZ / 2, SZ - 1};

		for (size_t t = 0; t < ARRAY_SIZE(tears); t++) {
			char before[16];

			assert_int_equal(env_load(), 0);
			snprintf(before, sizeof(before), "%s", env_get("x"));
			/* The save goes to the copy that was not loaded. */
			mem.fail_copy = !env_redund_pick(
			    !env_image_check(mem.data[0], SZ, true), mem.data[0][4],
			    !env_image_check(mem.data[1], SZ, true), mem.data[1][4]);
			mem.tear_at = tears[t];
			assert_int_equal(env_set("x", "torn-with-a-longer-value"), 0);
			assert_int_equal(env_save(), -EIO);
			assert_int_equal(env_set("x", "lost"), 0);
			assert_int_equal(env_load(), 0);
			if (tears[t] < 30)
				assert_string_equal(env_get("x"), before);
			else
				assert_string_equal(env_get("x"), "torn-with-a-longer-value");
		}
	}
	/* One copy damaged: the other is used, with a warning. */
	mem.data[1][100] ^= 0xff;
	mem.data[0][100] ^= 0;
	assert_int_equal(env_load(), 0);
	/* Serial wrap-around: 255 then 0 is newer. */
	use_mem(true);
	assert_int_equal(env_set("x", "old"), 0);
	assert_int_equal(env_image_export(mem.data[0], SZ, true, 255, NULL, 0), 0);
	assert_int_equal(env_set("x", "new"), 0);
	assert_int_equal(env_image_export(mem.data[1], SZ, true, 0, NULL, 0), 0);
	mem.exists[0] = mem.exists[1] = true;
	assert_int_equal(env_load(), 0);
	assert_string_equal(env_get("x"), "new");
	/* And the next save goes to copy 0 with serial 1. */
	assert_int_equal(env_save(), 0);
	assert_int_equal(mem.data[0][4], 1);
}

static void test_store_runtime_facts(void **state)
{
	static char dtb[256];
	struct env_platform plat = {
	    .ram_start = 0x40000000, .ram_size = 128 << 20, .reserved_start = 0x47000000};
	char want[24];

	assert_int_equal(fdt_create_empty_tree(dtb, sizeof(dtb)), 0);
	plat.fdt = (uintptr_t)dtb;
	snprintf(want, sizeof(want), "%llx", (unsigned long long)plat.fdt);
	use_mem(false);
	env_init(&plat);
	env_clear();
	assert_int_equal(env_set("fdtcontroladdr", "deadbeef"), 0);
	assert_int_equal(env_set("ver", "pvboot 1999"), 0);
	assert_int_equal(env_save(), 0);
	env_clear();
	assert_int_equal(env_load(), 0);
	/* What the DT and the build say, not what was stored. */
	assert_string_equal(env_get("fdtcontroladdr"), want);
	assert_string_not_equal(env_get("ver"), "pvboot 1999");
}

static int group_setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_image_round_trip, setup),
	    cmocka_unit_test_setup(test_image_damage, setup),
	    cmocka_unit_test_setup(test_image_size_limits, setup),
	    cmocka_unit_test_setup(test_lists, setup),
	    cmocka_unit_test_setup(test_redund_pick, setup),
	    cmocka_unit_test_setup(test_mkenvimage, setup),
	    cmocka_unit_test_setup(test_libubootenv, setup),
	    cmocka_unit_test_setup(test_store_single, setup),
	    cmocka_unit_test_setup(test_store_redundant, setup),
	    cmocka_unit_test_setup(test_store_runtime_facts, setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
