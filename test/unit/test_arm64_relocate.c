// SPDX-License-Identifier: MIT
/*
 * arch/arm64/relocate.c on the host: an image "linked at 0" in a buffer,
 * with a RELR table written out by hand from the ELF gABI's format (an
 * even word is the offset of a pointer; an odd word is a bitmap of the 63
 * words after the last one covered), relocated where it lies and again as
 * a copy elsewhere, as start.S and setup.c do.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../../arch/arm64/arm64.h"

/* ELF gABI dynamic tags. */
#define DT_NULL 0
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_RELRSZ 35
#define DT_RELR 36

#define WORDS 256
#define DYN 200	  /* word index of .dynamic */
#define TABLE 220 /* word index of the relocation table */
#define SIZE (WORDS * 8)

/* The pointers (word indexes) and what each points to in the image (its addend). */
static const unsigned int ptr[] = {1, 2, 3, 10, 70, 150};
static const uint64_t addend[] = {0x18, 0x0, 0x7f8, SIZE, 0x100, 0x640};

static _Alignas(16) uint64_t img[WORDS], copy[WORDS];

static void make_relr(void)
{
	memset(img, 0, sizeof(img));
	for (unsigned int i = 0; i < 6; i++)
		img[ptr[i]] = addend[i];
	img[DYN + 0] = DT_RELR;
	img[DYN + 1] = TABLE * 8;
	img[DYN + 2] = DT_RELRSZ;
	img[DYN + 3] = 4 * 8;
	img[DYN + 4] = DT_NULL;
	img[TABLE + 0] = 1 * 8;					    /* word 1 */
	img[TABLE + 1] = ((1 << 0) | (1 << 1) | (1 << 8)) << 1 | 1; /* words 2, 3, 10 */
	img[TABLE + 2] = (1 << 5) << 1 | 1;			    /* words 65..127: 70 */
	img[TABLE + 3] = 150 * 8;				    /* word 150 */
	img[99] = 0x1234;					    /* not a pointer */
}

static void check_at(const uint64_t *im, uintptr_t base)
{
	for (unsigned int i = 0; i < 6; i++)
		assert_int_equal(im[ptr[i]], base + addend[i]);
	assert_int_equal(im[99], 0x1234);
	assert_int_equal(im[4], 0);
}

static void test_relr_in_place_then_copy(void **state)
{
	uintptr_t base = (uintptr_t)img, to = (uintptr_t)copy;
	uint64_t start, end;

	make_relr();
	reloc_range(&img[DYN], &start, &end);
	assert_int_equal(start, TABLE * 8);
	assert_int_equal(end, TABLE * 8 + 32);
	assert_int_equal(relocate_image(base, base, &img[DYN], SIZE), 0);
	check_at(img, base);
	memcpy(copy, img, sizeof(img));
	assert_int_equal(relocate_image(to, to - base, &copy[DYN], SIZE), 0);
	check_at(copy, to);
}

/* A pointer set to NULL between the two: refused and counted, not turned into garbage. */
static void test_relr_changed_pointer_refused(void **state)
{
	uintptr_t base = (uintptr_t)img, to = (uintptr_t)copy;

	make_relr();
	assert_int_equal(relocate_image(base, base, &img[DYN], SIZE), 0);
	img[10] = 0;
	memcpy(copy, img, sizeof(img));
	assert_int_equal(relocate_image(to, to - base, &copy[DYN], SIZE), 1);
	assert_int_equal(copy[10], 0);
	assert_int_equal(copy[70], to + 0x100);
}

/* What the linker writes (RELA) still works: pointers set from the addend each time. */
static void test_rela(void **state)
{
	uintptr_t base = (uintptr_t)img, to = (uintptr_t)copy;

	memset(img, 0, sizeof(img));
	img[DYN + 0] = DT_RELA;
	img[DYN + 1] = TABLE * 8;
	img[DYN + 2] = DT_RELASZ;
	img[DYN + 3] = 24;
	img[TABLE + 0] = 5 * 8;
	img[TABLE + 1] = 1027; /* R_AARCH64_RELATIVE */
	img[TABLE + 2] = 0x40;
	assert_int_equal(relocate_image(base, base, &img[DYN], SIZE), 0);
	assert_int_equal(img[5], base + 0x40);
	memcpy(copy, img, sizeof(img));
	relocate_image(to, to - base, &copy[DYN], SIZE);
	assert_int_equal(copy[5], to + 0x40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_relr_in_place_then_copy),
	    cmocka_unit_test(test_relr_changed_pointer_refused),
	    cmocka_unit_test(test_rela),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
