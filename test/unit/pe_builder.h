/* SPDX-License-Identifier: MIT */
/*
 * A small, valid PE32+ EFI application for the host's machine, built field
 * by field so that tests can break one field at a time: .text (entry at
 * +0x10), .data (a 64-bit pointer at +8 with a DIR64 relocation, then
 * uninitialised data to zero-fill) and .reloc.
 */
#ifndef TEST_PE_BUILDER_H
#define TEST_PE_BUILDER_H

#include <stdint.h>
#include <pvboot/efi_abi.h>

#define PB_FILE_SIZE 0x800
#define PB_IMAGE_SIZE 0x4000
#define PB_IMAGE_BASE 0x10000000ull
#define PB_PTR_RVA 0x2008 /* the relocated pointer in .data */
#define PB_PTR_VALUE (PB_IMAGE_BASE + 0x1010)

struct pe_builder {
	uint8_t file[PB_FILE_SIZE];
	IMAGE_DOS_HEADER *dos;
	IMAGE_FILE_HEADER *fh;
	struct pe32plus_opt_header *oh;
	IMAGE_SECTION_HEADER *sec; /* [0] .text, [1] .data, [2] .reloc */
	IMAGE_BASE_RELOCATION *reloc;
	uint16_t *reloc_entries; /* two: DIR64 at .data+8, then ABSOLUTE padding */
};

void pe_build(struct pe_builder *b);

#endif
