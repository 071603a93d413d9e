/* SPDX-License-Identifier: MIT */
/*
 * The UEFI ABI, from Debian's gnu-efi headers (as the Xen ABI comes from
 * libxen-dev): types, GUIDs, tables and protocol layouts. The build links
 * <efi/...> to the package of the target's architecture: gnu-efi for the
 * x86_64 sandbox, gnu-efi:arm64 for pvboot.bin (scripts/fetch-arm64-libs).
 *
 * EFIAPI is the UEFI calling convention: the platform's own on arm64, the
 * Microsoft x64 one on x86_64 (gnu-efi's efibind.h selects it when
 * HAVE_USE_MS_ABI is set), so that the sandbox runs real x86_64 EFI binaries.
 *
 * Below the includes is the little that gnu-efi 3.0.15 (Debian 12) lacks,
 * each item with where it is defined. Nothing else is typed in by hand.
 */
#ifndef PVBOOT_EFI_ABI_H
#define PVBOOT_EFI_ABI_H

#include <pvboot/compiler.h>

#if defined(__x86_64__) && !defined(HAVE_USE_MS_ABI)
#define HAVE_USE_MS_ABI 1
#endif
#include <efi/efi.h>
/*
 * The PE/COFF layout. gnu-efi ships pe.h only in its x86 directories
 * (x86_64/pe.h and ia32/pe.h are the same file, and nothing in it is
 * specific to x86), so every target takes it from the host's gnu-efi.
 */
#include <efi_pe.h>

/*
 * The machine type of images this build can run, and variable arguments
 * in EFIAPI functions (InstallMultipleProtocolInterfaces): the Microsoft
 * convention's own va_list on x86_64, which gnu-efi's efistdarg.h lacks.
 */
#if defined(__aarch64__)
#define EFI_NATIVE_MACHINE EFI_IMAGE_MACHINE_AARCH64
#define efi_va_list __builtin_va_list
#define efi_va_start __builtin_va_start
#define efi_va_end __builtin_va_end
#define efi_va_copy __builtin_va_copy
#elif defined(__x86_64__)
#define EFI_NATIVE_MACHINE EFI_IMAGE_MACHINE_X64
#define efi_va_list __builtin_ms_va_list
#define efi_va_start __builtin_ms_va_start
#define efi_va_end __builtin_ms_va_end
#define efi_va_copy __builtin_ms_va_copy
#else
#error "no UEFI machine type for this architecture"
#endif

/*
 * PE32+ optional header (magic 0x20b): gnu-efi's pe.h has only the PE32
 * one, whose ImageBase and stack/heap sizes are 32 bits wide.
 * Microsoft PE/COFF specification, "Optional Header (Image Only)".
 */
#define PE32PLUS_MAGIC 0x20b
struct pe32plus_opt_header {
	UINT16 Magic;
	UINT8 MajorLinkerVersion, MinorLinkerVersion;
	UINT32 SizeOfCode, SizeOfInitializedData, SizeOfUninitializedData;
	UINT32 AddressOfEntryPoint, BaseOfCode;
	UINT64 ImageBase;
	UINT32 SectionAlignment, FileAlignment;
	UINT16 MajorOperatingSystemVersion, MinorOperatingSystemVersion;
	UINT16 MajorImageVersion, MinorImageVersion;
	UINT16 MajorSubsystemVersion, MinorSubsystemVersion;
	UINT32 Win32VersionValue, SizeOfImage, SizeOfHeaders, CheckSum;
	UINT16 Subsystem, DllCharacteristics;
	UINT64 SizeOfStackReserve, SizeOfStackCommit, SizeOfHeapReserve, SizeOfHeapCommit;
	UINT32 LoaderFlags, NumberOfRvaAndSizes;
	IMAGE_DATA_DIRECTORY DataDirectory[IMAGE_NUMBEROF_DIRECTORY_ENTRIES];
};
_Static_assert(sizeof(struct pe32plus_opt_header) == 240, "PE32+ optional header");

/*
 * EFI_RT_PROPERTIES_TABLE: which runtime services still work after
 * ExitBootServices (UEFI 2.8, section 4.6.2).
 */
#define EFI_RT_PROPERTIES_TABLE_GUID                                   \
	{                                                              \
		0xeb66918a, 0x7eef, 0x402a,                            \
		{                                                      \
			0x84, 0x2e, 0x93, 0x1d, 0x21, 0xc3, 0x8a, 0xe9 \
		}                                                      \
	}
#define EFI_RT_PROPERTIES_TABLE_VERSION 0x1
#define EFI_RT_SUPPORTED_RESET_SYSTEM 0x0400
typedef struct {
	UINT16 Version;
	UINT16 Length;
	UINT32 RuntimeServicesSupported;
} EFI_RT_PROPERTIES_TABLE;

/* EFI_LOAD_FILE2_PROTOCOL: the layout of EFI_LOAD_FILE_PROTOCOL (UEFI 2.x, 13.2). */
#define EFI_LOAD_FILE2_PROTOCOL_GUID                                   \
	{                                                              \
		0x4006c0c1, 0xfcb3, 0x403e,                            \
		{                                                      \
			0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d \
		}                                                      \
	}

/* The vendor media device path where Linux's EFI stub asks for its initrd (Linux, efi.h). */
#define LINUX_EFI_INITRD_MEDIA_GUID                                    \
	{                                                              \
		0x5568e427, 0x68fc, 0x4f3d,                            \
		{                                                      \
			0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68 \
		}                                                      \
	}

/*
 * The revision in the system, boot services and runtime services tables.
 * gnu-efi's *_REVISION macros say EFI 1.02, the age of its headers; the
 * tables pvboot fills are UEFI 2.x's (OpenProtocol, CreateEventEx, the
 * RT properties table of 2.8), and Linux warns about a 1.x firmware.
 */
#define PVBOOT_EFI_REVISION ((2 << 16) | 80)

/* The event group signalled by ExitBootServices (UEFI 2.x, 7.1, CreateEventEx). */
#define EFI_EVENT_GROUP_EXIT_BOOT_SERVICES                             \
	{                                                              \
		0x27abf055, 0xb1b8, 0x4c26,                            \
		{                                                      \
			0x80, 0x48, 0x74, 0x8f, 0x37, 0xba, 0xa2, 0xdf \
		}                                                      \
	}

#endif
