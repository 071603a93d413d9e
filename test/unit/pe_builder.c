// SPDX-License-Identifier: MIT
#include <string.h>
#include "pe_builder.h"

static void section(IMAGE_SECTION_HEADER *s, const char *name, uint32_t rva, uint32_t vsize,
		    uint32_t raw, uint32_t raw_size, uint32_t flags)
{
	memcpy(s->Name, name, strlen(name));
	s->VirtualAddress = rva;
	s->Misc.VirtualSize = vsize;
	s->PointerToRawData = raw;
	s->SizeOfRawData = raw_size;
	s->Characteristics = flags;
}

void pe_build(struct pe_builder *b)
{
	uint8_t *f = b->file;
	uint64_t ptr = PB_PTR_VALUE;

	memset(b, 0, sizeof(*b));
	b->dos = (IMAGE_DOS_HEADER *)f;
	b->dos->e_magic = IMAGE_DOS_SIGNATURE;
	b->dos->e_lfanew = 0x40;
	memcpy(f + 0x40, "PE\0\0", 4);
	b->fh = (IMAGE_FILE_HEADER *)(f + 0x44);
	b->fh->Machine = EFI_NATIVE_MACHINE;
	b->fh->NumberOfSections = 3;
	b->fh->SizeOfOptionalHeader = sizeof(struct pe32plus_opt_header);
	b->fh->Characteristics = IMAGE_FILE_EXECUTABLE_IMAGE;
	b->oh = (struct pe32plus_opt_header *)(f + 0x44 + sizeof(IMAGE_FILE_HEADER));
	b->oh->Magic = PE32PLUS_MAGIC;
	b->oh->AddressOfEntryPoint = 0x1010;
	b->oh->ImageBase = PB_IMAGE_BASE;
	b->oh->SectionAlignment = 0x1000;
	b->oh->FileAlignment = 0x200;
	b->oh->SizeOfImage = PB_IMAGE_SIZE;
	b->oh->SizeOfHeaders = 0x200;
	b->oh->Subsystem = IMAGE_SUBSYSTEM_EFI_APPLICATION;
	b->oh->NumberOfRvaAndSizes = IMAGE_NUMBEROF_DIRECTORY_ENTRIES;
	b->oh->DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC].VirtualAddress = 0x3000;
	b->oh->DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC].Size = 12;
	b->sec = (IMAGE_SECTION_HEADER *)((uint8_t *)b->oh + sizeof(struct pe32plus_opt_header));
	section(&b->sec[0], ".text", 0x1000, 0x100, 0x200, 0x200,
		IMAGE_SCN_CNT_CODE | IMAGE_SCN_MEM_EXECUTE | IMAGE_SCN_MEM_READ);
	section(&b->sec[1], ".data", 0x2000, 0x1800, 0x400, 0x200,
		IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE);
	section(&b->sec[2], ".reloc", 0x3800, 12, 0x600, 0x200,
		IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ);
	b->oh->DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC].VirtualAddress = 0x3800;
	memset(f + 0x200, 0xc3, 0x200); /* code: anything */
	memset(f + 0x400, 0x5a, 0x200); /* data */
	memcpy(f + 0x408, &ptr, 8);
	b->reloc = (IMAGE_BASE_RELOCATION *)(f + 0x600);
	b->reloc->VirtualAddress = 0x2000;
	b->reloc->SizeOfBlock = 12;
	b->reloc_entries = (uint16_t *)(f + 0x608);
	b->reloc_entries[0] = (IMAGE_REL_BASED_DIR64 << 12) | 0x008;
	b->reloc_entries[1] = IMAGE_REL_BASED_ABSOLUTE << 12;
}
