// SPDX-License-Identifier: MIT
/*
 * A PE/COFF image from disk (bootefi, LoadImage): the parser must refuse
 * what is wrong, and for what it accepts, placing must stay inside
 * SizeOfImage and the relocation walk inside the image, leaving it
 * untouched when the table is refused.
 */
#include <stdlib.h>
#include <string.h>
#include <pvboot/efi_abi.h>
#include "../../efi/pe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PLACE (8u << 20)

static void check(const uint8_t *data, size_t size, uint16_t machine)
{
	static struct pe_image_info pi;
	const char *why = NULL;
	uint8_t *img, *copy;
	uint64_t delta;

	if (pe_parse(data, size, machine, &pi, &why)) {
		if (!why)
			abort();
		return;
	}
	if (pi.headers_size > size || pi.headers_size > pi.image_size ||
	    pi.entry_rva >= pi.image_size || pi.nr_sections > PE_MAX_SECTIONS)
		abort();
	for (unsigned int i = 0; i < pi.nr_sections; i++) {
		const struct pe_section *s = &pi.sections[i];

		if ((uint64_t)s->rva + s->mem_size > pi.image_size || s->file_size > s->mem_size ||
		    (s->file_size && (uint64_t)s->file_off + s->file_size > size))
			abort();
	}
	if (pi.image_size > MAX_PLACE)
		return;
	/* Exactly SizeOfImage bytes: AddressSanitizer sees any write past them. */
	img = malloc(pi.image_size);
	copy = malloc(pi.image_size);
	if (!img || !copy)
		abort();
	pe_place(data, &pi, img);
	memcpy(copy, img, pi.image_size);
	memcpy(&delta, data + size - MIN(size, 8), MIN(size, 8));
	delta |= 0x1000;
	if (pe_relocate(img, &pi, delta, &why) && memcmp(img, copy, pi.image_size))
		abort(); /* a refused table changed the image */
	free(img);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, EFI_IMAGE_MACHINE_X64);
	check(data, size, EFI_IMAGE_MACHINE_AARCH64);
	return 0;
}
