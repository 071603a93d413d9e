// SPDX-License-Identifier: MIT
/*
 * FAT write against images made by mkfs.vfat (FAT12, FAT16, FAT32): every
 * change is checked afterwards by fsck.fat -n and by reading the files back
 * with mtools and with pvboot. The cut tests stop the disk after each write
 * request in turn (as when the domain is destroyed) and check what the
 * documented promise says: the old or the new file, and fsck finding at
 * most lost clusters, differing FAT copies or an unknown free count.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pvboot/fs.h>
#include "fileblk.h"

static char dir[] = "/tmp/pvboot-fatw-XXXXXX";

static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A file in the test's directory; the result lives until 8 more calls. */
static const char *path(const char *name)
{
	static char p[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static uint8_t *pattern(size_t len, unsigned int seed)
{
	uint8_t *b = malloc(len + 1);

	assert_non_null(b);
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
	return b;
}

/* A whole host file into memory; -1 if it cannot be read. */
static long slurp(const char *file, uint8_t **out)
{
	FILE *f = fopen(file, "rb");
	long n;

	*out = NULL;
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	*out = malloc((size_t)n + 1);
	if (fread(*out, 1, (size_t)n, f) != (size_t)n)
		n = -1;
	fclose(f);
	return n;
}

/* A file of the image as mtools reads it; -1 if mtools does not find it. */
static long mt_read(const char *img, const char *fspath, uint8_t **out)
{
	if (sh("MTOOLS_SKIP_CHECK=1 mcopy -n -o -i '%s' '::%s' '%s' 2>/dev/null", img, fspath,
	       path("mt.out"))) {
		*out = NULL;
		return -1;
	}
	return slurp(path("mt.out"), out);
}

/*
 * fsck.fat -n on img: its exit status, and whether every line it printed
 * is in the allowed set (clean output only, or the states a cut may leave).
 */
static int fsck(const char *img, bool cut_states, char *why, size_t whylen)
{
	static const char *const clean[] = {"^fsck\\.fat [0-9.]+ \\(", "^$",
					    "^.*: [0-9]+ files, [0-9]+/[0-9]+ clusters$"};
	static const char *const after_cut[] = {
	    "^FATs differ but appear to be intact\\.$",
	    "^  Using first FAT\\.$",
	    "^Reclaimed [0-9]+ unused clusters? \\([0-9]+ bytes\\)\\.$",
	    "^Free cluster summary uninitialized \\(should be [0-9]+\\)$",
	    "^Leaving filesystem unchanged\\.$",
	};
	char line[512];
	FILE *f;
	int st, bad = 0;

	st = sh("fsck.fat -n '%s' >'%s' 2>&1", img, path("fsck.out"));
	f = fopen(path("fsck.out"), "r");
	assert_non_null(f);
	why[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		bool ok = false;
		regex_t re;

		line[strcspn(line, "\n")] = '\0';
		for (size_t i = 0; !ok && i < 3 + (cut_states ? ARRAY_SIZE(after_cut) : 0); i++) {
			const char *pat = i < 3 ? clean[i] : after_cut[i - 3];

			assert_int_equal(regcomp(&re, pat, REG_EXTENDED | REG_NOSUB), 0);
			ok = !regexec(&re, line, 0, NULL, 0);
			regfree(&re);
		}
		if (!ok && !bad++)
			snprintf(why, whylen, "%s", line);
	}
	fclose(f);
	if (bad)
		return -1;
	return st;
}

static void assert_fsck_clean(const char *img)
{
	char why[512];
	int st = fsck(img, false, why, sizeof(why));

	if (st) {
		sh("cat '%s' >&2", path("fsck.out"));
		fail_msg("fsck.fat -n %s: exit %d, %s", img, st, why);
	}
}

static struct fileblk fb; /* a failed assert leaves it registered: never dangling */

static void mount_rw(const char *img)
{
	struct disk_partition p;

	blk_cache_invalidate(NULL);
	assert_int_equal(fileblk_open_rw(&fb, img, 0, 512), 0);
	part_whole_disk(&fb.desc, &p);
	assert_int_equal(fs_set_blk_dev_with_part(&fb.desc, &p), 0);
	assert_string_equal(fs_get_type_name(), "fat");
}

static void umount(void)
{
	fs_close();
	blk_cache_invalidate(&fb.desc);
	fileblk_close(&fb);
}

/* pvboot's view of a file: its size and bytes; -1 if missing. */
static long pv_read(const char *img, const char *fspath, uint8_t **out)
{
	uint64_t size, act;
	long n = -1;

	*out = NULL;
	mount_rw(img);
	if (!fs_size(fspath, &size)) {
		*out = malloc(size + 1);
		assert_int_equal(fs_read(fspath, (uintptr_t)*out, 0, size, &act), 0);
		assert_int_equal(act, size);
		n = (long)size;
	}
	umount();
	return n;
}

static void expect_file(const char *img, const char *fspath, const uint8_t *want, long len)
{
	uint8_t *got;
	long n = mt_read(img, fspath, &got);

	if (n != len)
		fail_msg("mtools: %s has %ld bytes, want %ld", fspath, n, len);
	if (len > 0 && memcmp(got, want, (size_t)len))
		fail_msg("mtools: %s content differs", fspath);
	free(got);
	n = pv_read(img, fspath, &got);
	if (n != len)
		fail_msg("pvboot: %s has %ld bytes, want %ld", fspath, n, len);
	if (len > 0 && memcmp(got, want, (size_t)len))
		fail_msg("pvboot: %s content differs", fspath);
	free(got);
}

static int pv_write(const char *img, const char *fspath, const void *buf, size_t len)
{
	int ret;

	mount_rw(img);
	ret = fs_write(fspath, buf, len);
	umount();
	return ret;
}

static int pv_rm(const char *img, const char *fspath)
{
	int ret;

	mount_rw(img);
	ret = fs_unlink(fspath);
	umount();
	return ret;
}

/* mkfs.vfat with small clusters (multi-sector FATs, directories that grow). */
static const char *make_image(const char *name, int bits, unsigned int kib, const char *extra)
{
	static char keep[4][512];
	static int i;
	char *img = keep[i = (i + 1) % 4];

	snprintf(img, sizeof(keep[0]), "%s", path(name));
	assert_int_equal(sh("rm -f '%s' && mkfs.vfat -C -F %d -s 1 -S 512 %s '%s' %u >/dev/null",
			    img, bits, extra, img, kib),
			 0);
	assert_int_equal(sh("MTOOLS_SKIP_CHECK=1 mmd -i '%s' ::/dir", img), 0);
	return img;
}

static const struct {
	int bits;
	unsigned int kib;
} kinds[] = {{12, 1024}, {16, 16384}, {32, 66000}};

static void test_create_replace_delete(void **state)
{
	static const char longname[] = "/dir/A Long File Name, ünïcødé – and more.txt";

	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		const char *img = make_image("crd.img", kinds[k].bits, kinds[k].kib, "");
		static const size_t sizes[] = {16384, 40000, 100, 0, 16384, 513};

		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			uint8_t *b = pattern(sizes[i], (unsigned int)(i + 1));

			assert_int_equal(pv_write(img, "/uboot.env", b, sizes[i]), 0);
			assert_fsck_clean(img);
			expect_file(img, "/uboot.env", b, (long)sizes[i]);
			free(b);
		}
		{
			uint8_t *b = pattern(3000, 77);

			assert_int_equal(pv_write(img, longname, b, 3000), 0);
			assert_int_equal(pv_write(img, "/Mixed.Txt", b, 10), 0);
			assert_int_equal(pv_write(img, "/UPPER.TXT", b, 20), 0);
			assert_fsck_clean(img);
			expect_file(img, longname, b, 3000);
			expect_file(img, "/Mixed.Txt", b, 10);
			expect_file(img, "/UPPER.TXT", b, 20);
			/* mtools lists the long name and the case as given. */
			assert_int_equal(
			    sh("MTOOLS_SKIP_CHECK=1 mdir -i '%s' ::/ | grep -q ' Mixed.Txt$'", img),
			    0);
			assert_int_equal(pv_rm(img, longname), 0);
			assert_int_equal(pv_rm(img, "/Mixed.Txt"), 0);
			assert_int_equal(pv_rm(img, "/uboot.env"), 0);
			assert_fsck_clean(img);
			expect_file(img, longname, NULL, -1);
			expect_file(img, "/uboot.env", NULL, -1);
			expect_file(img, "/UPPER.TXT", b, 20);
			assert_int_equal(pv_rm(img, "/uboot.env"), -ENOENT);
			free(b);
		}
	}
}

/* Files written by mtools are replaced in place of their entry; their name stays. */
static void test_replace_foreign(void **state)
{
	const char *img = make_image("foreign.img", 32, 66000, "");
	uint8_t *b = pattern(70000, 5);

	assert_int_equal(sh("head -c 123456 /dev/urandom >'%s' && MTOOLS_SKIP_CHECK=1 mcopy -i "
			    "'%s' '%s' '::/dir/Some Config File.conf'",
			    path("src"), img, path("src")),
			 0);
	assert_int_equal(pv_write(img, "/DIR/some config file.CONF", b, 70000), 0);
	assert_fsck_clean(img);
	expect_file(img, "/dir/Some Config File.conf", b, 70000);
	free(b);
}

/* A directory that fills its clusters grows; the 8.3 names stay unique. */
static void test_directory_grows(void **state)
{
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		const char *img = make_image("grow.img", kinds[k].bits, kinds[k].kib, "");
		char name[300];
		uint8_t *b = pattern(700, 9);

		for (int i = 0; i < 40; i++) {
			snprintf(name, sizeof(name), "/dir/a long name number %d.txt", i);
			b[0] = (uint8_t)i;
			assert_int_equal(pv_write(img, name, b, 700), 0);
		}
		/* And one name of the longest kind: 20 long-name entries + 1. */
		memset(name, 'x', 255);
		name[0] = '/', name[1] = 'd', name[2] = 'i', name[3] = 'r', name[4] = '/';
		name[4 + 255] = '\0';
		assert_int_equal(pv_write(img, name, b, 700), 0);
		assert_fsck_clean(img);
		for (int i = 0; i < 40; i += 13) {
			snprintf(name, sizeof(name), "/dir/a long name number %d.txt", i);
			b[0] = (uint8_t)i;
			expect_file(img, name, b, 700);
		}
		assert_int_equal(
		    sh("MTOOLS_SKIP_CHECK=1 mdir -b -i '%s' ::/dir | grep -c 'a long name' "
		       "| grep -qx 40",
		       img),
		    0);
		free(b);
	}
}

static void test_full(void **state)
{
	const char *img = make_image("small.img", 12, 1024, "-r 16");
	uint8_t *b = pattern(2 << 20, 3), *before;
	char name[64];
	long n;
	int ret = 0, i;

	/* The fixed root of FAT12/16 does not grow. */
	for (i = 0; i < 20 && !ret; i++) {
		snprintf(name, sizeof(name), "/F%d", i);
		ret = pv_write(img, name, b, 10);
	}
	assert_int_equal(ret, -ENOSPC);
	assert_fsck_clean(img);
	/* No room for the data: refused before anything changes. */
	n = slurp(img, &before);
	assert_int_equal(pv_write(img, "/dir/big", b, 2 << 20), -ENOSPC);
	assert_fsck_clean(img);
	{
		uint8_t *after;

		assert_int_equal(slurp(img, &after), n);
		assert_memory_equal(before, after, (size_t)n);
		free(after);
	}
	free(before);
	free(b);
}

static void test_bad_names_and_readonly(void **state)
{
	const char *img = make_image("names.img", 16, 16384, "");
	struct disk_partition p;

	assert_int_equal(pv_write(img, "/a:b", "x", 1), -EINVAL);
	assert_int_equal(pv_write(img, "/trailing.", "x", 1), -EINVAL);
	assert_int_equal(pv_write(img, "/nodir/x", "x", 1), -ENOENT);
	assert_int_equal(pv_write(img, "/dir", "x", 1), -EISDIR);
	assert_int_equal(pv_rm(img, "/dir"), -EISDIR);
	assert_fsck_clean(img);
	blk_cache_invalidate(NULL);
	assert_int_equal(fileblk_open(&fb, img, 0, 512), 0);
	part_whole_disk(&fb.desc, &p);
	assert_int_equal(fs_set_blk_dev_with_part(&fb.desc, &p), 0);
	stdout_capture_start();
	assert_int_equal(fs_write("/x", "x", 1), -EROFS);
	assert_non_null(strstr(stdout_capture_end(), "read-only"));
	assert_int_equal(fb.writes, 0);
	umount();
}

/* ---- cuts ----------------------------------------------------------------- */

enum op { OP_REPLACE_SAME, OP_REPLACE_GROW, OP_CREATE_LONG, OP_CREATE_GROWS_DIR, OP_DELETE };

struct cut_case {
	enum op op;
	const char *file;
	size_t old_len, new_len;
};

/* The operation, on a disk that stops after `cut` writes (-1: never). */
static int run_op(const char *img, const struct cut_case *c, const uint8_t *newb, long cut,
		  uint64_t *writes)
{
	int ret;

	mount_rw(img);
	fb.cut_after = cut;
	if (c->op == OP_DELETE)
		ret = fs_unlink(c->file);
	else
		ret = fs_write(c->file, newb, c->new_len);
	*writes = fb.writes;
	umount();
	return ret;
}

static void prepare(const char *img, const struct cut_case *c, const uint8_t *oldb)
{
	char name[64];

	if (c->op == OP_CREATE_GROWS_DIR) {
		/*
		 * 512-byte clusters hold 16 slots: ".", ".." and 4 names of 3 slots
		 * leave 2, so the next name of 3 slots needs a new cluster.
		 */
		for (int i = 0; i < 4; i++) {
			snprintf(name, sizeof(name), "/dir/a filler name number %d", i);
			assert_int_equal(pv_write(img, name, oldb, 100), 0);
		}
	}
	if (c->old_len != (size_t)-1)
		assert_int_equal(pv_write(img, c->file, oldb, c->old_len), 0);
	assert_fsck_clean(img);
}

static void cut_everywhere(int bits, unsigned int kib, const struct cut_case *c)
{
	const char *base = make_image("cut-base.img", bits, kib, "");
	uint8_t *oldb = pattern(c->old_len == (size_t)-1 ? 100 : MAX(c->old_len, (size_t)100), 11);
	uint8_t *newb = pattern(c->new_len, 12);
	uint64_t total, w;
	int saw_old = 0, saw_new = 0;

	prepare(base, c, oldb);
	assert_int_equal(sh("cp '%s' '%s'", base, path("cut.img")), 0);
	assert_int_equal(run_op(path("cut.img"), c, newb, -1, &total), 0);
	print_message("%d-bit FAT, op %d: %llu writes, each one cut after\n", bits, c->op,
		      (unsigned long long)total);
	assert_true(total >= 3);
	for (long cut = 0; cut <= (long)total; cut++) {
		char img[512];
		bool want_new = c->op != OP_DELETE;
		long want_new_len = want_new ? (long)c->new_len : -1;
		long old_len = c->old_len == (size_t)-1 ? -1 : (long)c->old_len;
		char why[512];
		uint8_t *got;
		long n;
		int st;

		snprintf(img, sizeof(img), "%s", path("cut.img"));
		assert_int_equal(sh("cp '%s' '%s'", base, img), 0);
		st = run_op(img, c, newb, cut, &w);
		/* Short of the last write it must fail; at the end only the flush is lost. */
		assert_true(cut == (long)total || st != 0);
		st = fsck(img, true, why, sizeof(why));
		if (st < 0) {
			sh("cat '%s' >&2", path("fsck.out"));
			fail_msg("%d-bit FAT, op %d, cut after %ld of %llu writes: fsck: %s", bits,
				 c->op, cut, (unsigned long long)total, why);
		}
		n = mt_read(img, c->file, &got);
		if (n == old_len && (n <= 0 || !memcmp(got, oldb, (size_t)n))) {
			saw_old++;
		} else if (n == want_new_len && (n <= 0 || !memcmp(got, newb, (size_t)n))) {
			saw_new++;
		} else {
			fail_msg("%d-bit FAT, op %d, cut after %ld: %s has %ld bytes, neither old "
				 "(%ld) nor new (%ld)",
				 bits, c->op, cut, c->file, n, old_len, want_new_len);
		}
		free(got);
		/* pvboot sees the same, and can carry on without a repair. */
		n = pv_read(img, c->file, &got);
		assert_true(n == old_len || n == want_new_len);
		free(got);
		assert_int_equal(run_op(img, c, newb, -1, &w),
				 c->op == OP_DELETE && n < 0 ? -ENOENT : 0);
		st = fsck(img, true, why, sizeof(why));
		if (st < 0)
			fail_msg("op %d, cut %ld, then redone: fsck: %s", c->op, cut, why);
		/* And fsck's repair leaves it clean. */
		sh("fsck.fat -a '%s' >/dev/null 2>&1", img);
		assert_fsck_clean(img);
	}
	/* Both outcomes were seen: the cut really fell on both sides of the switch. */
	assert_true(saw_old > 0);
	assert_true(saw_new > 0);
	free(oldb);
	free(newb);
}

static void test_cut_everywhere(void **state)
{
	static const struct cut_case cases[] = {
	    {OP_REPLACE_SAME, "/uboot.env", 16384, 16384},
	    {OP_REPLACE_GROW, "/dir/Grow Me.bin", 3000, 9000},
	    {OP_CREATE_LONG, "/A New Long Name.env", (size_t)-1, 5000},
	    {OP_CREATE_GROWS_DIR, "/dir/one more long name.txt", (size_t)-1, 1000},
	    {OP_DELETE, "/dir/Delete This One.bin", 4000, 0},
	};

	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
			cut_everywhere(kinds[k].bits, kinds[k].kib, &cases[i]);
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	return sh("rm -rf '%s'", dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_replace_delete),  cmocka_unit_test(test_replace_foreign),
	    cmocka_unit_test(test_directory_grows),	   cmocka_unit_test(test_full),
	    cmocka_unit_test(test_bad_names_and_readonly), cmocka_unit_test(test_cut_everywhere),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
