// SPDX-License-Identifier: MIT
/* The tables an image is handed: system table, boot services, configuration tables. */
#include <string.h>
#include <pvboot/crc32.h>
#include "efi_internal.h"

EFI_SYSTEM_TABLE *efi_systab;
EFI_RUNTIME_SERVICES *efi_runtime;
EFI_BOOT_SERVICES efi_boot_services;

void efi_table_crc(EFI_TABLE_HEADER *h)
{
	h->CRC32 = 0;
	h->CRC32 = crc32_le(0, h, h->HeaderSize);
}

EFI_STATUS efi_install_config_table(const EFI_GUID *guid, void *table)
{
	EFI_CONFIGURATION_TABLE *t = efi_systab->ConfigurationTable;
	UINTN n = efi_systab->NumberOfTableEntries, i;

	for (i = 0; i < n && !efi_guid_eq(&t[i].VendorGuid, guid); i++)
		;
	if (!table) { /* remove */
		if (i == n)
			return EFI_NOT_FOUND;
		memmove(&t[i], &t[i + 1], (n - i - 1) * sizeof(*t));
		efi_systab->NumberOfTableEntries--;
	} else if (i < n) {
		t[i].VendorTable = table;
	} else if (n == EFI_MAX_CONFIG_TABLES) {
		return EFI_OUT_OF_RESOURCES;
	} else {
		t[n] = (EFI_CONFIGURATION_TABLE){*guid, table};
		efi_systab->NumberOfTableEntries++;
	}
	efi_table_crc(&efi_systab->Hdr);
	return EFI_SUCCESS;
}
