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
 * efidebug: show one view of the UEFI environment bootefi would set up with
 * the DT at fdt (NULL: none), as an image sees it when it starts. 0, or
 * -ENOMEM/-EIO (printed).
 */
enum efi_debug_view { EFI_DEBUG_MEMMAP, EFI_DEBUG_TABLES, EFI_DEBUG_HANDLES };
int efi_debug_show(enum efi_debug_view view, const void *fdt);

/* What UEFI boots from a disk when it has no boot option (UEFI 2.x, 3.5.1.1). */
#if defined(__aarch64__)
#define EFI_REMOVABLE_MEDIA_FILE "/EFI/BOOT/BOOTAA64.EFI"
#else
#define EFI_REMOVABLE_MEDIA_FILE "/EFI/BOOT/BOOTX64.EFI"
#endif

/*
 * `load` read path from iface dev_part (U-Boot's spelling) to addr, size
 * bytes: an image run from there gets that partition as its device and the
 * path as its file (GRUB and systemd-boot look for their files beside it).
 */
#ifdef CONFIG_EFI_LOADER
void efi_set_bootdev(const char *iface, const char *dev_part, const char *path, uintptr_t addr,
		     uint64_t size);
#else
static inline void efi_set_bootdev(const char *iface, const char *dev_part, const char *path,
				   uintptr_t addr, uint64_t size)
{
}
#endif

#endif
