/* SPDX-License-Identifier: MIT */
/* UEFI (efi/, see docs/uefi.md): what commands and boot code call. */
#ifndef PVBOOT_EFI_H
#define PVBOOT_EFI_H

#include <pvboot/compiler.h>

/*
 * Run the EFI application in image[0..len) with UEFI set up around it: the
 * DT at fdt (NULL: none) as its EFI_DT_TABLE, options (UTF-8, NULL: none)
 * as its load options. Everything UEFI set up is gone when this returns.
 * 0 if the application returned EFI_SUCCESS; -ENOEXEC if it could not be
 * loaded, -ENOMEM if UEFI could not be set up, -EIO if it returned an
 * error (printed with its status and exit data).
 */
int efi_run_image(const void *image, size_t len, const void *fdt, const char *options);

/*
 * What UEFI is told of the guest, once, by the init sequence: RAM bank 0
 * and the regions pvboot keeps for itself (its image as code, the rest as
 * data), which UEFI's memory map reserves and never hands out.
 */
#define EFI_MAX_RESERVED 8
struct efi_platform {
	uint64_t ram_start, ram_end;
	struct efi_platform_region {
		uint64_t start, end;
		bool code;
		const char *what;
	} reserved[EFI_MAX_RESERVED];
	unsigned int nr_reserved;
};
void efi_init(const struct efi_platform *p);

#endif
