// SPDX-License-Identifier: MIT
/*
 * booti as plan then commit, on a RAM bank of our own (32 MiB, 2 MiB
 * aligned, pvboot's DT at its top): placements of plain and gzip'd Images
 * (in place, moved, staged at kernel_comp_addr_r or inflated above the
 * stream), every refusal (truncated, larger than it says, under-stated
 * gzip, no room, a busy range reaching into the destination, legacy
 * ramdisk headers, bad or missing DTs), that planning never writes RAM,
 * and that a committed plan leaves the kernel and the DT where it said.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include <libfdt.h>
#include <zlib.h>
#include <pvboot/board.h>
#include <pvboot/memgate.h>
#include <pvboot/booti.h>
#include <pvboot/crc32.h>
#include <pvboot/image.h>
#include <pvboot/legacy_image.h>
#include "stdout_capture.h"

#define MiB (1024ULL * 1024)
#define RAM_SIZE (32 * MiB)

struct board_info board;
static const char *out; /* what the code under test printed last */
static uint8_t *ram, *snapshot;
static uint64_t R; /* RAM base as a guest-physical address */
static struct mem_map map;
static struct booti_env env;

/* gunzip_measure() checks for Ctrl-C. */
bool ctrlc(void)
{
	return false;
}

/* ---- images -------------------------------------------------------------------------- */
static void put_image(uint64_t at, uint64_t text_offset, uint64_t image_size, size_t len)
{
	struct arm64_image_header h = {.text_offset = text_offset,
				       .image_size = image_size,
				       .flags = 0xa,
				       .magic = ARM64_IMAGE_MAGIC};
	uint8_t *p = ram + (at - R);

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	memcpy(p, &h, sizeof(h));
}

/* gzip (RFC 1952, through zlib) the len bytes at src into dst; the stream's length. */
static size_t put_gzip(uint64_t dst, const uint8_t *src, size_t len)
{
	z_stream zs = {0};
	size_t n;

	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
			 Z_OK);
	zs.next_in = (Bytef *)src;
	zs.avail_in = (uInt)len;
	zs.next_out = ram + (dst - R);
	zs.avail_out = (uInt)(RAM_SIZE - (dst - R));
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	n = zs.total_out;
	deflateEnd(&zs);
	return n;
}

/* An Image built in a scratch buffer, then gzip'd into RAM at dst. */
static size_t put_gzip_image(uint64_t dst, uint64_t text_offset, uint64_t image_size, size_t len)
{
	uint8_t *tmp = malloc(len);
	struct arm64_image_header h = {.text_offset = text_offset,
				       .image_size = image_size,
				       .flags = 0xa,
				       .magic = ARM64_IMAGE_MAGIC};
	size_t n;

	memset(tmp, 0, len);
	for (size_t i = sizeof(h); i < len; i += 4096)
		tmp[i] = (uint8_t)i;
	memcpy(tmp, &h, sizeof(h));
	n = put_gzip(dst, tmp, len);
	free(tmp);
	return n;
}

static void put_legacy(uint64_t at, unsigned int type, uint32_t size, uint32_t claimed)
{
	struct legacy_image_header h = {0};
	uint8_t *p = ram + (at - R);

	for (uint32_t i = 0; i < size; i++)
		p[sizeof(h) + i] = (uint8_t)(i ^ 0x5a);
	h.ih_magic = __builtin_bswap32(IH_MAGIC);
	h.ih_size = __builtin_bswap32(claimed);
	h.ih_type = (uint8_t)type;
	h.ih_dcrc = __builtin_bswap32(crc32_le(0, p + sizeof(h), size));
	h.ih_hcrc = __builtin_bswap32(crc32_le(0, &h, sizeof(h)));
	memcpy(p, &h, sizeof(h));
}

/* ---- fixture --------------------------------------------------------------------------- */
static int setup_ram(void **state)
{
	ram = aligned_alloc(2 * MiB, RAM_SIZE);
	snapshot = malloc(RAM_SIZE);
	assert_non_null(ram);
	R = (uintptr_t)ram;
	return 0;
}

static int teardown_ram(void **state)
{
	free(ram);
	free(snapshot);
	return 0;
}

static int setup(void **state)
{
	uint8_t *dt = ram + RAM_SIZE - MiB;

	memset(ram, 0, RAM_SIZE);
	memset(&board, 0, sizeof(board));
	mem_gate_init(&board);
	board.nr_banks = 1;
	board.banks[0] = (struct mem_bank){R, RAM_SIZE};
	board.fdt = R + RAM_SIZE - MiB; /* pvboot's DT; the top MiB is pvboot's */
	board.fdt_size = 0x10000;
	board.reserved_start = board.fdt;
	assert_int_equal(fdt_create_empty_tree(dt, 0x10000), 0);
	assert_int_equal(fdt_setprop_string(dt, 0, "model", "test"), 0);
	assert_int_equal(fdt_pack(dt), 0);
	mem_map_build(&board, &map);
	env = (struct booti_env){.fdt = board.fdt, .fdt_dst = R + 24 * MiB};
	return 0;
}

/* Plan with the output captured; RAM must be exactly as it was. */
static int plan(const struct booti_args *a, struct booti_plan *p)
{
	int err;

	memcpy(snapshot, ram, RAM_SIZE);
	stdout_capture_begin();
	err = booti_plan(a, &env, &map, p);
	out = stdout_captured();
	if (memcmp(snapshot, ram, RAM_SIZE))
		fail_msg("planning changed RAM");
	return err;
}

static void expect_refused(const struct booti_args *a, int err, const char *text)
{
	struct booti_plan p;

	assert_int_equal(plan(a, &p), err);
	if (!strstr(out, text))
		fail_msg("expected \"%s\" in:\n%s", text, out);
	assert_null(p.fdt_blob);
}

static void commit(struct booti_plan *p)
{
	stdout_capture_begin();
	assert_int_equal(booti_commit(p), 0);
	out = stdout_captured();
}

/* ---- plain Images -------------------------------------------------------------------- */
static void test_plain_in_place(void **state)
{
	struct booti_args a = {.kernel = R + 2 * MiB, .kernel_len = 0x20000};
	struct booti_plan p;

	put_image(a.kernel, 0, 0x100000, 0x20000);
	assert_int_equal(plan(&a, &p), 0);
	assert_int_equal(p.op, BOOTI_IN_PLACE);
	assert_int_equal(p.entry, a.kernel);
	assert_int_equal(p.kernel.start, a.kernel);
	assert_int_equal(p.kernel.end, a.kernel + 0x100000);
	assert_int_equal(p.fdt.start, env.fdt_dst);
	commit(&p);
	assert_int_equal(fdt_check_header(ram + (env.fdt_dst - R)), 0);
	assert_string_equal(fdt_getprop(ram + (env.fdt_dst - R), 0, "model", NULL), "test");
}

static void test_plain_moved(void **state)
{
	struct booti_args a = {.kernel = R + 2 * MiB + 0x1000, .kernel_len = 0x20000};
	static uint8_t loaded[0x20000];
	struct booti_plan p;

	put_image(a.kernel, 0, 0x100000, 0x20000);
	memcpy(loaded, ram + (a.kernel - R), sizeof(loaded));
	assert_int_equal(plan(&a, &p), 0);
	assert_int_equal(p.op, BOOTI_MOVE);
	assert_int_equal(p.entry, R + 4 * MiB);
	commit(&p);
	assert_memory_equal(ram + 4 * MiB, loaded, sizeof(loaded));
}

static void test_plain_text_offset(void **state)
{
	/* Loaded text_offset above a 2 MiB boundary: stays; the range starts at the boundary. */
	struct booti_args a = {.kernel = R + 2 * MiB + 0x80000, .kernel_len = 0x1000};
	struct booti_plan p;

	put_image(a.kernel, 0x80000, 0x100000, 0x1000);
	assert_int_equal(plan(&a, &p), 0);
	assert_int_equal(p.op, BOOTI_IN_PLACE);
	assert_int_equal(p.kernel.start, R + 2 * MiB);
	assert_int_equal(p.kernel.end, R + 2 * MiB + 0x180000);
	booti_plan_free(&p);
}

static void test_plain_refusals(void **state)
{
	struct booti_args a = {.kernel = R + 2 * MiB, .kernel_len = 0x20000};

	put_image(a.kernel, 0, 0x10000, 0x20000);
	expect_refused(&a, -ENOEXEC, "larger than the Image says");
	memset(ram + 2 * MiB + 56, 0, 4);
	expect_refused(&a, -ENOEXEC, "Bad Linux ARM64 Image magic");
	/* Its range would reach pvboot's DT at the top of RAM. */
	a.kernel = R + 30 * MiB;
	put_image(a.kernel, 0, 0x200000, 0x1000);
	a.kernel_len = 0x1000;
	expect_refused(&a, -EFAULT, "it would overwrite pvboot's device tree");
	/* Loaded length from a hostile ${filesize}: past RAM. */
	a.kernel = R + 2 * MiB;
	put_image(a.kernel, 0, 0x10000, 0x1000);
	a.kernel_len = RAM_SIZE;
	expect_refused(&a, -EFAULT, "outside RAM");
}

static void test_initrd_and_kernel_overlap(void **state)
{
	struct booti_args a = {.kernel = R + 2 * MiB,
			       .kernel_len = 0x1000,
			       .has_initrd = true,
			       .initrd = R + 3 * MiB,
			       .initrd_len = 0x1000};

	put_image(a.kernel, 0, 2 * MiB, 0x1000);
	expect_refused(&a, -EFAULT, "it would overwrite the initrd");
	/* The OS's DT may not land on the initrd either. */
	a.initrd = env.fdt_dst;
	expect_refused(&a, -EFAULT, "it would overwrite the initrd");
}

/* ---- gzip'd Images ---------------------------------------------------------------------- */
static void test_gzip_above_stream(void **state)
{
	struct booti_args a = {.kernel = R + 2 * MiB};
	struct booti_plan p;
	size_t n = put_gzip_image(a.kernel, 0, 0x300000, 0x200000);

	a.kernel_len = n;
	assert_int_equal(plan(&a, &p), 0);
	assert_int_equal(p.op, BOOTI_INFLATE);
	assert_int_equal(p.stage, 0);
	assert_int_equal(p.entry, R + 4 * MiB); /* next 2 MiB boundary above the stream */
	assert_int_equal(p.out_len, 0x200000);
	assert_int_equal(p.kernel.end - p.kernel.start, 0x300000);
	commit(&p); /* inflates to exactly out_len */
	assert_int_equal(((struct arm64_image_header *)(ram + 4 * MiB))->magic, ARM64_IMAGE_MAGIC);
	assert_int_equal(ram[4 * MiB + 0x1000 * 7], (uint8_t)(0x1000 * 7));
}

static void test_gzip_staged(void **state)
{
	struct booti_args a = {.kernel = R + 2 * MiB};
	struct booti_plan p;
	size_t n = put_gzip_image(a.kernel, 0, 0x300000, 0x200000);

	a.kernel_len = n;
	env.comp_addr = R + 16 * MiB;
	env.comp_size = 4 * MiB;
	assert_int_equal(plan(&a, &p), 0);
	assert_int_equal(p.stage, R + 16 * MiB);
	assert_int_equal(p.entry, R + 2 * MiB); /* inflated over the load address */
	commit(&p);
	assert_int_equal(((struct arm64_image_header *)(ram + 2 * MiB))->magic, ARM64_IMAGE_MAGIC);
	/* Too small a staging area: inflate above the stream instead. */
	n = put_gzip_image(a.kernel, 0, 0x300000, 0x200000);
	env.comp_size = n - 1;
	assert_int_equal(plan(&a, &p), 0);
	assert_int_equal(p.stage, 0);
	booti_plan_free(&p);
}

static void test_gzip_understated(void **state)
{
	/* The header says 4 KiB; the stream gives 6 MiB, moved up by text_offset. */
	struct booti_args a = {.kernel = R + 2 * MiB,
			       .has_initrd = true,
			       .initrd = R + 10 * MiB,
			       .initrd_len = 0x1000};

	a.kernel_len = put_gzip_image(a.kernel, 0x1f0000, 0x1000, 0x5f0000);
	expect_refused(&a, -EFBIG, "kernel needs 0x7e0000 bytes at");
	/* With room for it, it is refused all the same: larger than it says. */
	a.initrd = R + 20 * MiB;
	expect_refused(&a, -ENOEXEC, "larger than the Image says");
}

static void test_gzip_room_starts_below(void **state)
{
	/* An initrd that starts below the inflate destination and reaches into it. */
	struct booti_args a = {.kernel = R + 2 * MiB, .has_initrd = true, .initrd_len = 0x2000};

	a.kernel_len = put_gzip_image(a.kernel, 0, 0x300000, 0x200000);
	a.initrd = R + 4 * MiB - 0x1000;
	expect_refused(&a, -EFAULT, "it would overwrite the initrd");
}

static void test_gzip_bad_streams(void **state)
{
	struct booti_args a = {.kernel = R + 2 * MiB};
	size_t n = put_gzip_image(a.kernel, 0, 0x300000, 0x200000);

	a.kernel_len = n - 100;
	expect_refused(&a, -EIO, "compressed data is truncated");
	a.kernel_len = n;
	ram[2 * MiB + n / 2] ^= 0xff;
	expect_refused(&a, -EIO, "gunzip: corrupt gzip stream");
	/* Length unknown and no kernel_comp_size: nothing bounds the stream. */
	a.kernel_len = 0;
	expect_refused(&a, -EINVAL, "size of the compressed Image unknown");
	/* Not an Image inside. */
	a.kernel_len = put_gzip(a.kernel, (const uint8_t *)"hello", 5);
	expect_refused(&a, -ENOEXEC, "Bad Linux ARM64 Image");
	/* More than fits below pvboot: stops at the room, however long the stream. */
	a.kernel = R + 20 * MiB;
	a.kernel_len = put_gzip_image(a.kernel, 0, 16 * MiB, 12 * MiB);
	env.fdt_dst = R + MiB;
	expect_refused(&a, -EFBIG, "does not fit at");
}

static void test_gunzip_exact_fit(void **state)
{
	size_t n = put_gzip_image(R + 2 * MiB, 0, 0x300000, 0x123457), got;
	uint8_t head[64];

	assert_int_equal(gunzip_measure(ram + 2 * MiB, n, 0x123457, head, sizeof(head), &got), 0);
	assert_int_equal(got, 0x123457);
	assert_int_equal(gunzip(ram + 8 * MiB, 0x123457, ram + 2 * MiB, n, &got), 0);
	assert_int_equal(got, 0x123457);
	stdout_capture_begin();
	assert_int_equal(gunzip(ram + 8 * MiB, 0x123456, ram + 2 * MiB, n, &got), -EFBIG);
	assert_int_equal(gunzip_measure(ram + 2 * MiB, n, 0x123456, head, sizeof(head), &got),
			 -EFBIG);
	out = stdout_captured();
	assert_int_equal(((struct arm64_image_header *)head)->magic, ARM64_IMAGE_MAGIC);
}

/* ---- initrd ------------------------------------------------------------------------------- */
static void test_legacy_ramdisk(void **state)
{
	struct booti_args a = {.kernel = R + 2 * MiB,
			       .kernel_len = 0x1000,
			       .has_initrd = true,
			       .initrd = R + 12 * MiB};
	struct booti_plan p;

	put_image(a.kernel, 0, 0x100000, 0x1000);
	put_legacy(a.initrd, IH_TYPE_RAMDISK, 0x3000, 0x3000);
	assert_int_equal(plan(&a, &p), 0);
	assert_int_equal(p.initrd.start, a.initrd + 64);
	assert_int_equal(p.initrd.end, a.initrd + 64 + 0x3000);
	commit(&p);
	/* A size that runs past what was loaded, then past RAM: not believed. */
	a.initrd_loaded = 0x2000;
	expect_refused(&a, -EBADMSG, "Image data is truncated");
	a.initrd_loaded = 0;
	put_legacy(a.initrd, IH_TYPE_RAMDISK, 0x3000, 0x3fff0000);
	expect_refused(&a, -EBADMSG, "header says 1073676288 bytes");
	put_legacy(a.initrd, IH_TYPE_SCRIPT, 0x3000, 0x3000);
	expect_refused(&a, -EINVAL, "is not a ramdisk image");
	memset(ram + 12 * MiB, 0, 64);
	expect_refused(&a, -EINVAL, "has no size: use addr:size");
	/* ${filesize} claiming more than RAM holds. */
	put_legacy(a.initrd, IH_TYPE_RAMDISK, 0x3000, 0x3000);
	a.initrd_loaded = RAM_SIZE;
	expect_refused(&a, -EFAULT, "outside RAM");
	/* Header in the last bytes of RAM. */
	a.initrd_loaded = 0;
	a.initrd = R + RAM_SIZE - 16;
	expect_refused(&a, -EFAULT, "outside RAM");
}

/* ---- device tree -------------------------------------------------------------------------- */
static void test_fdt(void **state)
{
	struct booti_args a = {.kernel = R + 2 * MiB,
			       .kernel_len = 0x1000,
			       .has_initrd = true,
			       .initrd = R + 12 * MiB,
			       .initrd_len = 0x1234,
			       .bootargs = "console=hvc0"};
	struct booti_plan p;
	const void *dt = ram + 24 * MiB;
	const fdt64_t *v;
	int node;

	put_image(a.kernel, 0, 0x100000, 0x1000);
	assert_int_equal(plan(&a, &p), 0);
	commit(&p);
	node = fdt_path_offset(dt, "/chosen");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop(dt, node, "bootargs", NULL), "console=hvc0");
	v = fdt_getprop(dt, node, "linux,initrd-end", NULL);
	assert_non_null(v);
	assert_int_equal(fdt64_ld(v), R + 12 * MiB + 0x1234);
	/* pvboot's own DT is untouched: it was copied. */
	assert_true(fdt_path_offset(ram + RAM_SIZE - MiB, "/chosen") < 0);

	env.fdt_dst = 0;
	expect_refused(&a, -EINVAL, "fdt_addr_r is not set");
	env.fdt_dst = R + 2 * MiB + 0x80000; /* inside the kernel's range */
	expect_refused(&a, -EFAULT, "it would overwrite the kernel");
	env.fdt_dst = R + 24 * MiB;
	a.has_fdt = true;
	a.fdt = R + 16 * MiB; /* zeros */
	expect_refused(&a, -EINVAL, "no valid device tree at");
	a.fdt = R + RAM_SIZE - 8;
	expect_refused(&a, -EFAULT, "outside RAM");
	/* A DT whose totalsize runs past RAM. */
	memcpy(ram + RAM_SIZE - MiB + 0x20000, ram + RAM_SIZE - MiB, 0x100);
	*(fdt32_t *)(ram + RAM_SIZE - MiB + 0x20000 + 4) = cpu_to_fdt32(0x200000);
	a.fdt = R + RAM_SIZE - MiB + 0x20000;
	expect_refused(&a, -EINVAL, "totalsize out of range");
}

static void test_addresses_outside_ram(void **state)
{
	struct booti_args a = {.kernel = R + RAM_SIZE};

	expect_refused(&a, -EFAULT, "outside RAM");
	a.kernel = 0;
	expect_refused(&a, -EFAULT, "## Cannot read 0x0-0x40: outside RAM");
	a.kernel = R + RAM_SIZE - 0x10;
	expect_refused(&a, -EFAULT, "outside RAM");
	a.kernel = UINT64_MAX - 0x20;
	expect_refused(&a, -EFAULT, "wraps around");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_plain_in_place, setup),
	    cmocka_unit_test_setup(test_plain_moved, setup),
	    cmocka_unit_test_setup(test_plain_text_offset, setup),
	    cmocka_unit_test_setup(test_plain_refusals, setup),
	    cmocka_unit_test_setup(test_initrd_and_kernel_overlap, setup),
	    cmocka_unit_test_setup(test_gzip_above_stream, setup),
	    cmocka_unit_test_setup(test_gzip_staged, setup),
	    cmocka_unit_test_setup(test_gzip_understated, setup),
	    cmocka_unit_test_setup(test_gzip_room_starts_below, setup),
	    cmocka_unit_test_setup(test_gzip_bad_streams, setup),
	    cmocka_unit_test_setup(test_gunzip_exact_fit, setup),
	    cmocka_unit_test_setup(test_legacy_ramdisk, setup),
	    cmocka_unit_test_setup(test_fdt, setup),
	    cmocka_unit_test_setup(test_addresses_outside_ram, setup),
	};

	return cmocka_run_group_tests(tests, setup_ram, teardown_ram);
}
