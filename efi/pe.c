// SPDX-License-Identifier: MIT
/*
 * PE/COFF parsing, placement and base relocation for EFI images. The file
 * may sit at any alignment and is never trusted: headers are copied out
 * with memcpy before use, and every field is checked against the file
 * length or SizeOfImage with 64-bit arithmetic, so nothing can wrap.
 */
#include <errno.h>
#include <string.h>
#include <pvboot/efi_abi.h>
#include "pe.h"

#define PE_MAX_IMAGE (1u << 30) /* larger than any bank 0 a guest can use */
#define PE_MAX_ALIGN SZ_2M

static int bad(const char **why, const char *what)
{
	*why = what;
	return -ENOEXEC;
}

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static bool subsystem_ok(uint16_t s)
{
	return s == IMAGE_SUBSYSTEM_EFI_APPLICATION ||
	       s == IMAGE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER ||
	       s == IMAGE_SUBSYSTEM_EFI_RUNTIME_DRIVER;
}

/* The section table: in the file, ascending, not overlapping, inside SizeOfImage. */
static int parse_sections(const uint8_t *file, size_t len, uint64_t table, struct pe_image_info *pi,
			  const char **why)
{
	uint64_t prev_end = pi->headers_size;
	bool entry_found = false;

	if (table + (uint64_t)pi->nr_sections * sizeof(IMAGE_SECTION_HEADER) > len ||
	    table + (uint64_t)pi->nr_sections * sizeof(IMAGE_SECTION_HEADER) > pi->headers_size)
		return bad(why, "section table beyond the headers");
	for (unsigned int i = 0; i < pi->nr_sections; i++) {
		IMAGE_SECTION_HEADER sh;
		struct pe_section *s = &pi->sections[i];
		uint64_t vsize;

		memcpy(&sh, file + table + i * sizeof(sh), sizeof(sh));
		/* VirtualSize 0: old linkers, the raw size is the size in memory. */
		vsize = sh.Misc.VirtualSize ? sh.Misc.VirtualSize : sh.SizeOfRawData;
		s->rva = sh.VirtualAddress;
		s->mem_size = (uint32_t)vsize;
		s->file_off = sh.PointerToRawData;
		s->file_size = (uint32_t)MIN((uint64_t)sh.SizeOfRawData, vsize);
		s->flags = sh.Characteristics;
		if (s->rva < prev_end)
			return bad(why, "sections overlap each other or the headers");
		if ((uint64_t)s->rva + vsize > pi->image_size)
			return bad(why, "section beyond SizeOfImage");
		if (s->file_size && (uint64_t)s->file_off + s->file_size > len)
			return bad(why, "section data beyond the end of the file");
		prev_end = (uint64_t)s->rva + vsize;
		if ((s->flags & IMAGE_SCN_MEM_EXECUTE) && pi->entry_rva >= s->rva &&
		    pi->entry_rva < prev_end)
			entry_found = true;
	}
	if (!entry_found)
		return bad(why, "entry point is not in an executable section");
	return 0;
}

int pe_parse(const void *file, size_t len, uint16_t machine, struct pe_image_info *pi,
	     const char **why)
{
	const uint8_t *f = file;
	IMAGE_DOS_HEADER dos;
	IMAGE_FILE_HEADER fh;
	struct pe32plus_opt_header oh;
	uint32_t sig, nt, opt_len;
	size_t dir_end;

	memset(pi, 0, sizeof(*pi));
	if (len < sizeof(dos))
		return bad(why, "too short for a DOS header");
	memcpy(&dos, f, sizeof(dos));
	if (dos.e_magic != IMAGE_DOS_SIGNATURE)
		return bad(why, "no MZ signature");
	nt = dos.e_lfanew;
	if (nt < sizeof(dos) || (uint64_t)nt + 4 + sizeof(fh) > len)
		return bad(why, "PE header offset outside the file");
	memcpy(&sig, f + nt, 4);
	memcpy(&fh, f + nt + 4, sizeof(fh));
	if (sig != IMAGE_NT_SIGNATURE)
		return bad(why, "no PE signature");
	if (fh.Machine != machine)
		return bad(why, "built for another machine");
	if (!(fh.Characteristics & IMAGE_FILE_EXECUTABLE_IMAGE))
		return bad(why, "not an executable image");
	opt_len = fh.SizeOfOptionalHeader;
	if (opt_len < offsetof(struct pe32plus_opt_header, DataDirectory) || opt_len > sizeof(oh) ||
	    (uint64_t)nt + 4 + sizeof(fh) + opt_len > len)
		return bad(why, "optional header size out of range");
	memset(&oh, 0, sizeof(oh));
	memcpy(&oh, f + nt + 4 + sizeof(fh), opt_len);
	if (oh.Magic != PE32PLUS_MAGIC)
		return bad(why, "not a PE32+ image");
	dir_end = offsetof(struct pe32plus_opt_header, DataDirectory) +
		  (size_t)MIN(oh.NumberOfRvaAndSizes, 16u) * sizeof(IMAGE_DATA_DIRECTORY);
	if (oh.NumberOfRvaAndSizes > IMAGE_NUMBEROF_DIRECTORY_ENTRIES || dir_end > opt_len)
		return bad(why, "data directory count out of range");
	if (!subsystem_ok(oh.Subsystem))
		return bad(why, "not an EFI application or driver");
	if (!is_pow2(oh.SectionAlignment) || oh.SectionAlignment > PE_MAX_ALIGN)
		return bad(why, "section alignment is not a power of two up to 2 MiB");
	if (!oh.SizeOfImage || oh.SizeOfImage > PE_MAX_IMAGE)
		return bad(why, "SizeOfImage out of range");
	if (oh.SizeOfHeaders > len || oh.SizeOfHeaders > oh.SizeOfImage ||
	    oh.SizeOfHeaders < nt + 4 + sizeof(fh) + opt_len)
		return bad(why, "SizeOfHeaders out of range");
	if (fh.NumberOfSections > PE_MAX_SECTIONS)
		return bad(why, "too many sections");

	pi->machine = fh.Machine;
	pi->subsystem = oh.Subsystem;
	pi->image_base = oh.ImageBase;
	pi->image_size = oh.SizeOfImage;
	pi->headers_size = oh.SizeOfHeaders;
	pi->entry_rva = oh.AddressOfEntryPoint;
	pi->section_align = oh.SectionAlignment;
	pi->relocs_stripped = fh.Characteristics & IMAGE_FILE_RELOCS_STRIPPED;
	pi->nr_sections = fh.NumberOfSections;
	if (oh.NumberOfRvaAndSizes > IMAGE_DIRECTORY_ENTRY_BASERELOC) {
		const IMAGE_DATA_DIRECTORY *d = &oh.DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC];

		if (d->Size && (uint64_t)d->VirtualAddress + d->Size > oh.SizeOfImage)
			return bad(why, "relocation table beyond SizeOfImage");
		if (d->Size) {
			pi->reloc_rva = d->VirtualAddress;
			pi->reloc_size = d->Size;
		}
	}
	return parse_sections(f, len, nt + 4 + sizeof(fh) + opt_len, pi, why);
}

void pe_place(const void *file, const struct pe_image_info *pi, void *dest)
{
	uint8_t *d = dest;

	memset(d, 0, pi->image_size);
	memcpy(d, file, pi->headers_size);
	for (unsigned int i = 0; i < pi->nr_sections; i++) {
		const struct pe_section *s = &pi->sections[i];

		memcpy(d + s->rva, (const uint8_t *)file + s->file_off, s->file_size);
	}
}

/* One pass over the table: check only, or check and apply. */
static int walk_relocs(uint8_t *image, const struct pe_image_info *pi, uint64_t delta, bool apply,
		       const char **why)
{
	uint64_t pos = pi->reloc_rva, end = (uint64_t)pi->reloc_rva + pi->reloc_size;

	while (pos < end) {
		IMAGE_BASE_RELOCATION blk;
		uint64_t n;

		if (end - pos < sizeof(blk))
			return bad(why, "truncated relocation block");
		memcpy(&blk, image + pos, sizeof(blk));
		if (blk.SizeOfBlock < sizeof(blk) || blk.SizeOfBlock > end - pos ||
		    blk.SizeOfBlock % 2)
			return bad(why, "relocation block size out of range");
		n = (blk.SizeOfBlock - sizeof(blk)) / 2;
		for (uint64_t i = 0; i < n; i++) {
			uint16_t e;
			uint64_t at, v;

			memcpy(&e, image + pos + sizeof(blk) + 2 * i, 2);
			at = (uint64_t)blk.VirtualAddress + (e & 0xfff);
			switch (e >> 12) {
			case IMAGE_REL_BASED_ABSOLUTE: /* padding */
				break;
			case IMAGE_REL_BASED_DIR64:
				if (at + 8 > pi->image_size)
					return bad(why, "relocation target beyond SizeOfImage");
				/* Else the walk would change the entries it has still to read. */
				if (at < end && at + 8 > pi->reloc_rva)
					return bad(why,
						   "relocation target inside the relocation table");
				if (apply) {
					memcpy(&v, image + at, 8);
					v += delta;
					memcpy(image + at, &v, 8);
				}
				break;
			default:
				return bad(why, "unsupported relocation type");
			}
		}
		pos += blk.SizeOfBlock;
	}
	return 0;
}

int pe_relocate(void *image, const struct pe_image_info *pi, uint64_t delta, const char **why)
{
	int err;

	if (!delta || !pi->reloc_size)
		return 0;
	err = walk_relocs(image, pi, delta, false, why);
	return err ? err : walk_relocs(image, pi, delta, true, why);
}
