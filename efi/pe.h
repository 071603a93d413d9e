/* SPDX-License-Identifier: MIT */
/*
 * PE/COFF images for UEFI: check everything first (pe_parse, pure), then
 * place the checked sections (pe_place) and apply base relocations
 * (pe_relocate). A file is untrusted: every offset, size and count is
 * bounded before it is used, and pe_place reads only what pe_parse kept.
 */
#ifndef EFI_PE_H
#define EFI_PE_H

#include <pvboot/compiler.h>

#define PE_MAX_SECTIONS 96 /* the PE/COFF limit */

/* What the loader needs of one section, checked. */
struct pe_section {
	uint32_t rva;	    /* where it goes in the image */
	uint32_t mem_size;  /* bytes it spans in memory */
	uint32_t file_off;  /* where its data starts in the file */
	uint32_t file_size; /* bytes taken from the file (<= mem_size); the rest is zeroed */
	uint32_t flags;	    /* IMAGE_SCN_* */
};

struct pe_image_info {
	uint16_t machine, subsystem;
	uint64_t image_base;
	uint32_t image_size; /* SizeOfImage */
	uint32_t headers_size;
	uint32_t entry_rva;
	uint32_t section_align;
	uint32_t reloc_rva, reloc_size; /* 0, 0 if none */
	bool relocs_stripped;		/* must run at image_base */
	unsigned int nr_sections;
	struct pe_section sections[PE_MAX_SECTIONS];
};

/*
 * Check a PE32+ EFI image of `machine` in file[0..len). 0, or -ENOEXEC with
 * *why saying what is wrong. Touches nothing but *pi and *why.
 */
int pe_parse(const void *file, size_t len, uint16_t machine, struct pe_image_info *pi,
	     const char **why);

/* Copy headers and sections into dest (pi->image_size bytes), zeroing the rest. */
void pe_place(const void *file, const struct pe_image_info *pi, void *dest);

/*
 * Walk the base relocations of an image placed at `image` and add delta to
 * every DIR64 target. The whole table is checked before anything is
 * written, so a bad table leaves the image as it was: 0, or -ENOEXEC with *why.
 */
int pe_relocate(void *image, const struct pe_image_info *pi, uint64_t delta, const char **why);

#endif
