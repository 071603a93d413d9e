// SPDX-License-Identifier: MIT
/*
 * The initrd for Linux's EFI stub: a LoadFile2 protocol on a handle whose
 * device path is VenMedia(LINUX_EFI_INITRD_MEDIA_GUID), the only way an
 * initrd reaches kernels that no longer parse "initrd=" (Debian's 6.12).
 * LoadFile says the size when the buffer is too small, then copies.
 */
#include <string.h>
#include "efi_internal.h"

static struct {
	EFI_LOAD_FILE_PROTOCOL *lf2; /* pool memory: what the stub sees */
	const void *data;
	size_t size;
} initrd;

static EFI_STATUS EFIAPI load_file2(EFI_LOAD_FILE_PROTOCOL *this, EFI_DEVICE_PATH *path,
				    BOOLEAN boot_policy, UINTN *size, VOID *buf)
{
	if (!this || this != initrd.lf2 || !size)
		return EFI_INVALID_PARAMETER;
	if (boot_policy)
		return EFI_UNSUPPORTED; /* LoadFile2 never loads boot options */
	if (!buf || *size < initrd.size) {
		*size = initrd.size;
		return EFI_BUFFER_TOO_SMALL;
	}
	memcpy(buf, initrd.data, initrd.size);
	*size = initrd.size;
	return EFI_SUCCESS;
}

EFI_STATUS efi_initrd_install(const void *data, size_t size)
{
	static const EFI_GUID media = LINUX_EFI_INITRD_MEDIA_GUID;
	static const EFI_GUID lf2_guid = EFI_LOAD_FILE2_PROTOCOL_GUID;
	static const EFI_GUID dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
	struct efi_dp_buf b = {.len = 0};
	EFI_HANDLE h = NULL;
	void *dp;
	EFI_STATUS ret;

	efi_dp_add(&b, MEDIA_DEVICE_PATH, MEDIA_VENDOR_DP, &media, sizeof(media));
	dp = efi_dp_finish(&b);
	if (!dp || efi_pool_alloc(EfiBootServicesData, sizeof(*initrd.lf2), (void **)&initrd.lf2))
		return EFI_OUT_OF_RESOURCES;
	initrd.lf2->LoadFile = load_file2;
	initrd.data = data;
	initrd.size = size;
	ret = efi_install_protocol(&h, &dp_guid, dp);
	if (!ret)
		ret = efi_install_protocol(&h, &lf2_guid, initrd.lf2);
	return ret;
}

void efi_initrd_exit(void)
{
	initrd.lf2 = NULL;
	initrd.data = NULL;
	initrd.size = 0;
}
