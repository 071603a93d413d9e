// SPDX-License-Identifier: MIT
/* Boot services that belong to no other file: memory, time, checksums, tables. */
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/crc32.h>
#include <pvboot/timer.h>
#include "efi_internal.h"

static EFI_STATUS EFIAPI allocate_pages(EFI_ALLOCATE_TYPE how, EFI_MEMORY_TYPE type, UINTN pages,
					EFI_PHYSICAL_ADDRESS *addr)
{
	return addr ? efi_mem_alloc(how, type, pages, 0, addr) : EFI_INVALID_PARAMETER;
}

static EFI_STATUS EFIAPI free_pages(EFI_PHYSICAL_ADDRESS addr, UINTN pages)
{
	return efi_mem_free(addr, pages);
}

static EFI_STATUS EFIAPI get_memory_map(UINTN *size, EFI_MEMORY_DESCRIPTOR *map, UINTN *key,
					UINTN *desc_size, UINT32 *version)
{
	return efi_mem_get_map(size, map, key, desc_size, version);
}

static EFI_STATUS EFIAPI allocate_pool(EFI_MEMORY_TYPE type, UINTN size, VOID **buf)
{
	return efi_pool_alloc(type, size, buf);
}

static EFI_STATUS EFIAPI free_pool(VOID *buf)
{
	return efi_pool_free(buf);
}

/* A busy wait that keeps timers running; the watchdog bounds it. */
static EFI_STATUS EFIAPI stall(UINTN us)
{
	uint64_t end = timer_us() + MIN((uint64_t)us, 1ull << 40);

	while (timer_us() < end) {
		efi_timer_check();
		arch_cpu_relax();
	}
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI get_next_monotonic_count(UINT64 *count)
{
	static uint64_t counter;

	if (!count)
		return EFI_INVALID_PARAMETER;
	*count = ++counter;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI calculate_crc32(VOID *data, UINTN size, UINT32 *crc)
{
	if (!data || !size || !crc)
		return EFI_INVALID_PARAMETER;
	*crc = crc32_le(0, data, size);
	return EFI_SUCCESS;
}

static VOID EFIAPI copy_mem(VOID *dst, VOID *src, UINTN len)
{
	memmove(dst, src, len);
}

static VOID EFIAPI set_mem(VOID *buf, UINTN len, UINT8 val)
{
	memset(buf, val, len);
}

static EFI_STATUS EFIAPI install_configuration_table(EFI_GUID *guid, VOID *table)
{
	return guid ? efi_install_config_table(guid, table) : EFI_INVALID_PARAMETER;
}

void efi_misc_services(EFI_BOOT_SERVICES *bs)
{
	bs->AllocatePages = allocate_pages;
	bs->FreePages = free_pages;
	bs->GetMemoryMap = get_memory_map;
	bs->AllocatePool = allocate_pool;
	bs->FreePool = free_pool;
	bs->Stall = stall;
	bs->GetNextMonotonicCount = get_next_monotonic_count;
	bs->CalculateCrc32 = calculate_crc32;
	bs->CopyMem = copy_mem;
	bs->SetMem = set_mem;
	bs->InstallConfigurationTable = install_configuration_table;
}
