// SPDX-License-Identifier: MIT
/*
 * efidebug's views (U-Boot's names): the memory map, the configuration
 * tables and the handles with their protocols, as an image finds them when
 * bootefi starts it. UEFI lives only while an image runs, so each view sets
 * it up, reads it through the same boot services an image calls, and takes
 * it down again.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/efi.h>
#include "efi_internal.h"

/* Names without pointers (each would cost a relocation): NUL-separated, by index. */
static const char *nth(const char *names, unsigned int n)
{
	for (; n && *names; n--)
		names += strlen(names) + 1;
	return *names ? names : "?";
}

/* EFI_MEMORY_TYPE, as U-Boot's efidebug prints them. */
static const char mem_types[] =
    "RESERVED\0LOADER CODE\0LOADER DATA\0BOOT CODE\0BOOT DATA\0RUNTIME CODE\0"
    "RUNTIME DATA\0CONVENTIONAL\0UNUSABLE MEM\0ACPI RECLAIM MEM\0ACPI NVS\0IO\0"
    "IO PORT\0PAL\0";

static struct {
	EFI_GUID guid;
	char name[24];
} const known[] = {
    {EFI_DTB_TABLE_GUID, "Device Tree"},
    {EFI_RT_PROPERTIES_TABLE_GUID, "Runtime properties"},
    {EFI_DEVICE_PATH_PROTOCOL_GUID, "Device Path"},
    {EFI_BLOCK_IO_PROTOCOL_GUID, "Block IO"},
    {EFI_DISK_IO_PROTOCOL_GUID, "Disk IO"},
    {EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID, "Simple File System"},
    {EFI_SIMPLE_TEXT_INPUT_PROTOCOL_GUID, "Text Input"},
    {EFI_SIMPLE_TEXT_INPUT_EX_PROTOCOL_GUID, "Text Input Ex"},
    {EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL_GUID, "Text Output"},
    {EFI_LOADED_IMAGE_PROTOCOL_GUID, "Loaded Image"},
    {EFI_LOADED_IMAGE_DEVICE_PATH_PROTOCOL_GUID, "Loaded Image Device Path"},
    {EFI_LOAD_FILE2_PROTOCOL_GUID, "Load File2"},
};

static void print_guid(const EFI_GUID *g)
{
	for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
		if (efi_guid_eq(g, &known[i].guid)) {
			printf("%s", known[i].name);
			return;
		}
	}
	printf("%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", g->Data1, g->Data2, g->Data3,
	       g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5],
	       g->Data4[6], g->Data4[7]);
}

static int show_memmap(void)
{
	EFI_BOOT_SERVICES *bs = &efi_boot_services;
	UINTN size = 0, key, desc_size;
	UINT32 version;
	uint8_t *map = NULL;
	EFI_STATUS ret;

	/* The buffer is pool memory and may add a region: ask twice, with room for it. */
	for (int tries = 0; tries < 2; tries++) {
		ret = bs->GetMemoryMap(&size, (void *)map, &key, &desc_size, &version);
		if (ret != EFI_BUFFER_TOO_SMALL)
			break;
		if (map)
			bs->FreePool(map);
		size += 4 * desc_size;
		if (bs->AllocatePool(EfiBootServicesData, size, (void **)&map))
			return -ENOMEM;
	}
	if (ret || !map) {
		if (map)
			bs->FreePool(map);
		return -EIO;
	}
	printf("Type             Start            End              Attributes\n"
	       "================ ================ ================ ==========\n");
	for (UINTN off = 0; off + desc_size <= size; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)(map + off);

		printf("%-16s %016llx-%016llx %s%s\n", nth(mem_types, d->Type),
		       (unsigned long long)d->PhysicalStart,
		       (unsigned long long)(d->PhysicalStart + d->NumberOfPages * EFI_PAGE_SIZE),
		       d->Attribute & EFI_MEMORY_WB ? "WB" : "",
		       d->Attribute & EFI_MEMORY_RUNTIME ? "|RT" : "");
	}
	bs->FreePool(map);
	return 0;
}

static int show_tables(void)
{
	for (UINTN i = 0; i < efi_systab->NumberOfTableEntries; i++) {
		const EFI_CONFIGURATION_TABLE *t = &efi_systab->ConfigurationTable[i];

		printf("%016llx ", (unsigned long long)(uintptr_t)t->VendorTable);
		print_guid(&t->VendorGuid);
		printf("\n");
	}
	return 0;
}

static int show_handles(void)
{
	EFI_BOOT_SERVICES *bs = &efi_boot_services;
	EFI_HANDLE *handles;
	EFI_GUID **guids;
	UINTN n, nr_guids;

	if (bs->LocateHandleBuffer(AllHandles, NULL, NULL, &n, &handles))
		return -EIO;
	printf("Handle           Protocols\n"
	       "================ ====================\n");
	for (UINTN i = 0; i < n; i++) {
		printf("%016llx", (unsigned long long)(uintptr_t)handles[i]);
		if (!bs->ProtocolsPerHandle(handles[i], &guids, &nr_guids)) {
			for (UINTN j = 0; j < nr_guids; j++) {
				printf(j ? ", " : " ");
				print_guid(guids[j]);
			}
			bs->FreePool(guids);
		}
		printf("\n");
	}
	bs->FreePool(handles);
	return 0;
}

int efi_debug_show(enum efi_debug_view view, const void *fdt)
{
	int err = -ENOMEM;

	if (!efi_setup(fdt)) {
		if (view == EFI_DEBUG_MEMMAP)
			err = show_memmap();
		else if (view == EFI_DEBUG_TABLES)
			err = show_tables();
		else
			err = show_handles();
	}
	efi_teardown();
	if (err)
		printf("efidebug: cannot show it: %s\n",
		       err == -ENOMEM ? "UEFI could not be set up (out of memory)"
				      : "a boot service failed");
	return err;
}
