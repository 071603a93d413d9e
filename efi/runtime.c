// SPDX-License-Identifier: MIT
/*
 * Runtime services while boot services run. There is no clock to offer (a
 * Xen guest has no RTC device; the OS takes wall time from Xen), no capsule
 * update and no virtual address map. The properties table says what is
 * left after ExitBootServices: nothing, since this code lives in pvboot's
 * image, which the OS reuses; an OS must not call these then.
 */
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include "efi_internal.h"

const EFI_RT_PROPERTIES_TABLE efi_rt_properties = {
    .Version = EFI_RT_PROPERTIES_TABLE_VERSION,
    .Length = sizeof(EFI_RT_PROPERTIES_TABLE),
    .RuntimeServicesSupported = 0,
};

static EFI_STATUS EFIAPI get_time(EFI_TIME *time, EFI_TIME_CAPABILITIES *caps)
{
	return time ? EFI_UNSUPPORTED : EFI_INVALID_PARAMETER;
}

static EFI_STATUS EFIAPI set_time(EFI_TIME *time)
{
	return EFI_UNSUPPORTED;
}

static EFI_STATUS EFIAPI get_wakeup_time(BOOLEAN *enabled, BOOLEAN *pending, EFI_TIME *time)
{
	return EFI_UNSUPPORTED;
}

static EFI_STATUS EFIAPI set_wakeup_time(BOOLEAN enable, EFI_TIME *time)
{
	return EFI_UNSUPPORTED;
}

static EFI_STATUS EFIAPI set_virtual_address_map(UINTN size, UINTN desc_size, UINT32 version,
						 EFI_MEMORY_DESCRIPTOR *map)
{
	return EFI_UNSUPPORTED;
}

static EFI_STATUS EFIAPI convert_pointer(UINTN flags, VOID **address)
{
	return EFI_UNSUPPORTED;
}

static EFI_STATUS EFIAPI get_next_high_mono_count(UINT32 *count)
{
	return EFI_UNSUPPORTED;
}

/* VOID in UEFI; gnu-efi declares it returning EFI_STATUS. It does not return. */
static EFI_STATUS EFIAPI reset_system(EFI_RESET_TYPE type, EFI_STATUS status, UINTN size,
				      CHAR16 *data)
{
	console_flush();
	if (type == EfiResetShutdown)
		arch_poweroff();
	arch_reset(); /* cold, warm and platform specific are the same for a guest */
}

static EFI_STATUS EFIAPI update_capsule(EFI_CAPSULE_HEADER **capsules, UINTN count,
					EFI_PHYSICAL_ADDRESS sg_list)
{
	return EFI_UNSUPPORTED;
}

static EFI_STATUS EFIAPI query_capsule_capabilities(EFI_CAPSULE_HEADER **capsules, UINTN count,
						    UINT64 *max_size, EFI_RESET_TYPE *type)
{
	return EFI_UNSUPPORTED;
}

void efi_runtime_services(EFI_RUNTIME_SERVICES *rt)
{
	rt->GetTime = get_time;
	rt->SetTime = set_time;
	rt->GetWakeupTime = get_wakeup_time;
	rt->SetWakeupTime = set_wakeup_time;
	rt->SetVirtualAddressMap = set_virtual_address_map;
	rt->ConvertPointer = convert_pointer;
	rt->GetNextHighMonotonicCount = get_next_high_mono_count;
	rt->ResetSystem = reset_system;
	rt->UpdateCapsule = update_capsule;
	rt->QueryCapsuleCapabilities = query_capsule_capabilities;
	efi_variable_services(rt);
}
