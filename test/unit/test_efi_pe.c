// SPDX-License-Identifier: MIT
/*
 * PE/COFF loader: a good image is placed and relocated exactly; every
 * malformed header, section and relocation is refused with a reason, and a
 * refused relocation table leaves the image untouched.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include "../../efi/pe.h"
#include "pe_builder.h"

static struct pe_builder b;
static struct pe_image_info pi;
static const char *why;
static uint8_t image[PB_IMAGE_SIZE] __attribute__((aligned(4096)));

static int setup(void **state)
{
	pe_build(&b);
	why = NULL;
	return 0;
}

static int parse(void)
{
	return pe_parse(b.file, sizeof(b.file), EFI_NATIVE_MACHINE, &pi, &why);
}

/* Parse must fail, and say why with the given words. */
static void refused(const char *words)
{
	assert_int_equal(parse(), -ENOEXEC);
	assert_non_null(why);
	if (!strstr(why, words))
		fail_msg("refused for \"%s\", expected \"%s\"", why, words);
}

static void test_good_image(void **state)
{
	uint64_t ptr, delta = 0x30000000;

	assert_int_equal(parse(), 0);
	assert_int_equal(pi.image_size, PB_IMAGE_SIZE);
	assert_int_equal(pi.entry_rva, 0x1010);
	assert_int_equal(pi.nr_sections, 3);
	assert_int_equal(pi.reloc_rva, 0x3800);
	memset(image, 0xee, sizeof(image));
	pe_place(b.file, &pi, image);
	assert_memory_equal(image, b.file, 0x200); /* headers */
	assert_int_equal(image[0x1000], 0xc3);	   /* .text */
	assert_int_equal(image[0x1100], 0);	   /* past VirtualSize: zero */
	assert_int_equal(image[0x2000], 0x5a);	   /* .data */
	assert_int_equal(image[0x2200], 0);	   /* uninitialised part */
	assert_int_equal(image[0x37ff], 0);
	assert_int_equal(pe_relocate(image, &pi, delta, &why), 0);
	memcpy(&ptr, image + PB_PTR_RVA, 8);
	assert_true(ptr == PB_PTR_VALUE + delta);
	/* Nothing else changed: the padding entry is skipped. */
	assert_int_equal(image[0x2000], 0x5a);
	assert_int_equal(image[0x2010], 0x5a);
}

static void test_delta_zero_is_noop(void **state)
{
	uint64_t ptr;

	assert_int_equal(parse(), 0);
	pe_place(b.file, &pi, image);
	assert_int_equal(pe_relocate(image, &pi, 0, &why), 0);
	memcpy(&ptr, image + PB_PTR_RVA, 8);
	assert_true(ptr == PB_PTR_VALUE);
}

static void test_bad_headers(void **state)
{
	assert_int_equal(pe_parse(b.file, 32, EFI_NATIVE_MACHINE, &pi, &why), -ENOEXEC);
	b.dos->e_magic = 0x4d5b;
	refused("MZ");
	setup(NULL), b.dos->e_lfanew = PB_FILE_SIZE - 8;
	refused("PE header offset");
	setup(NULL), b.dos->e_lfanew = 0xfffffff0;
	refused("PE header offset");
	setup(NULL), b.dos->e_lfanew = 8; /* inside the DOS header */
	refused("PE header offset");
	setup(NULL), b.file[0x42] = 'X';
	refused("PE signature");
	setup(NULL), b.fh->Machine = EFI_NATIVE_MACHINE == 0x8664 ? 0xaa64 : 0x8664;
	refused("another machine");
	setup(NULL), b.fh->Characteristics = 0;
	refused("not an executable");
	setup(NULL), b.fh->SizeOfOptionalHeader = 20;
	refused("optional header size");
	setup(NULL), b.fh->SizeOfOptionalHeader = 0xffff;
	refused("optional header size");
	setup(NULL), b.oh->Magic = IMAGE_NT_OPTIONAL_HDR_MAGIC; /* PE32 */
	refused("PE32+");
	setup(NULL), b.oh->NumberOfRvaAndSizes = 17;
	refused("data directory count");
	setup(NULL), b.oh->NumberOfRvaAndSizes = 0xffffffff;
	refused("data directory count");
	setup(NULL), b.oh->Subsystem = IMAGE_SUBSYSTEM_WINDOWS_CUI;
	refused("not an EFI application");
	setup(NULL), b.oh->SectionAlignment = 0;
	refused("section alignment");
	setup(NULL), b.oh->SectionAlignment = 0x1800;
	refused("section alignment");
	setup(NULL), b.oh->SectionAlignment = 0x400000;
	refused("section alignment");
	setup(NULL), b.oh->SizeOfImage = 0;
	refused("SizeOfImage");
	setup(NULL), b.oh->SizeOfImage = 0xfffff000;
	refused("SizeOfImage");
	setup(NULL), b.oh->SizeOfHeaders = PB_FILE_SIZE + 1;
	refused("SizeOfHeaders");
	setup(NULL), b.oh->SizeOfHeaders = 0x60; /* shorter than the headers it describes */
	refused("SizeOfHeaders");
	setup(NULL), b.fh->NumberOfSections = 97;
	refused("too many sections");
}

static void test_short_directory_is_fine(void **state)
{
	/* Fewer data directories than 16: no relocation table, still valid. */
	b.oh->NumberOfRvaAndSizes = 5;
	assert_int_equal(parse(), 0);
	assert_int_equal(pi.reloc_size, 0);
}

static void test_bad_sections(void **state)
{
	b.fh->NumberOfSections = 6; /* the table runs past SizeOfHeaders */
	refused("section table");
	setup(NULL), b.sec[1].VirtualAddress = 0x1080;
	refused("overlap");
	setup(NULL), b.sec[0].VirtualAddress = 0x100; /* over the headers */
	refused("overlap");
	setup(NULL), b.sec[1].VirtualAddress = 0x3000;
	b.sec[0].VirtualAddress = 0x3100; /* not ascending */
	refused("overlap");
	setup(NULL), b.sec[2].Misc.VirtualSize = 0x900;
	refused("beyond SizeOfImage");
	setup(NULL), b.sec[2].VirtualAddress = 0xfffff000; /* rva + size wraps 32 bits */
	b.sec[2].Misc.VirtualSize = 0x2000;
	refused("beyond SizeOfImage");
	setup(NULL), b.sec[1].PointerToRawData = 0x700;
	refused("beyond the end of the file");
	setup(NULL), b.sec[1].PointerToRawData = 0xffffff00; /* offset + size wraps */
	refused("beyond the end of the file");
	setup(NULL), b.oh->AddressOfEntryPoint = 0x2010; /* in .data */
	refused("entry point");
	setup(NULL), b.oh->AddressOfEntryPoint = 0x1100; /* just past .text */
	refused("entry point");
	setup(NULL), b.sec[0].Characteristics &= ~IMAGE_SCN_MEM_EXECUTE;
	refused("entry point");
	setup(NULL), b.oh->DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC].Size = 0x900;
	refused("relocation table");
	setup(NULL),
	    b.oh->DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC].VirtualAddress = 0xfffffff8;
	refused("relocation table");
}

static void test_raw_larger_than_virtual(void **state)
{
	/* Only VirtualSize bytes are copied: the rest of the raw data must not spill. */
	uint8_t next;

	b.sec[0].Misc.VirtualSize = 0x10 + 1;
	assert_int_equal(parse(), 0);
	memset(image, 0xee, sizeof(image));
	pe_place(b.file, &pi, image);
	next = image[0x1011];
	assert_int_equal(next, 0);
}

/* The relocation walk must refuse, and leave the placed image exactly as it was. */
static void reloc_refused(const char *words)
{
	static uint8_t before[PB_IMAGE_SIZE];

	assert_int_equal(parse(), 0);
	pe_place(b.file, &pi, image);
	memcpy(before, image, sizeof(image));
	assert_int_equal(pe_relocate(image, &pi, 0x1000, &why), -ENOEXEC);
	assert_memory_equal(before, image, sizeof(image));
	if (!strstr(why, words))
		fail_msg("refused for \"%s\", expected \"%s\"", why, words);
}

static void test_bad_relocations(void **state)
{
	b.reloc->SizeOfBlock = 4;
	reloc_refused("block size");
	setup(NULL), b.reloc->SizeOfBlock = 13;
	reloc_refused("block size");
	setup(NULL), b.reloc->SizeOfBlock = 0x10000;
	reloc_refused("block size");
	setup(NULL), b.oh->DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC].Size = 16;
	b.sec[2].Misc.VirtualSize = 16; /* a second block of 4 bytes: truncated */
	reloc_refused("truncated");
	setup(NULL), b.reloc->VirtualAddress = PB_IMAGE_SIZE - 0x1000;
	b.reloc_entries[0] =
	    (IMAGE_REL_BASED_DIR64 << 12) | 0xffc; /* 8 bytes from 4 before the end */
	reloc_refused("target beyond");
	setup(NULL),
	    b.reloc->VirtualAddress = 0xfffff000; /* block address + offset past the image */
	reloc_refused("target beyond");
	setup(NULL), b.reloc_entries[1] = (IMAGE_REL_BASED_HIGHLOW << 12) | 0x10;
	reloc_refused("unsupported relocation type");
	/* A relocation that rewrites the table itself (found by fuzz_pe). */
	setup(NULL), b.reloc->VirtualAddress = 0x3000;
	b.reloc_entries[0] = (IMAGE_REL_BASED_DIR64 << 12) | 0x804;
	reloc_refused("inside the relocation table");
}

static void test_stripped_and_no_relocs(void **state)
{
	b.fh->Characteristics |= IMAGE_FILE_RELOCS_STRIPPED;
	b.oh->DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC].Size = 0;
	assert_int_equal(parse(), 0);
	assert_true(pi.relocs_stripped);
	pe_place(b.file, &pi, image);
	assert_int_equal(pe_relocate(image, &pi, 0x1000, &why), 0); /* nothing to walk */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_good_image, setup),
	    cmocka_unit_test_setup(test_delta_zero_is_noop, setup),
	    cmocka_unit_test_setup(test_bad_headers, setup),
	    cmocka_unit_test_setup(test_short_directory_is_fine, setup),
	    cmocka_unit_test_setup(test_bad_sections, setup),
	    cmocka_unit_test_setup(test_raw_larger_than_virtual, setup),
	    cmocka_unit_test_setup(test_bad_relocations, setup),
	    cmocka_unit_test_setup(test_stripped_and_no_relocs, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
