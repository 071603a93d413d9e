// SPDX-License-Identifier: MIT
/*
 * The UEFI environment around one application: the memory map of bank 0
 * with pvboot's own regions reserved, the system table and runtime
 * services table in runtime memory, the boot services, the console, the
 * DT as a configuration table. It is set up for each run and taken down
 * completely when the application ends, so nothing is left behind.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/boot.h>
#include <pvboot/console.h>
#include <pvboot/efi.h>
#include <pvboot/env.h>
#include <pvboot/memgate.h>
#include <pvboot/part.h>
#include "efi_internal.h"

#define WATCHDOG_SECONDS 300 /* what UEFI arms before a boot option starts */

/*
 * What pvboot occupies or has not mapped, from the memory gate's map of
 * bank 0 (the one list of it): boot services data in UEFI's map, which
 * the OS may reuse after ExitBootServices, and never handed out before.
 */
static unsigned int reserved_regions(const struct mem_map *m, struct efi_reserved *r)
{
	for (unsigned int i = 0; i < m->nr; i++)
		r[i] = (struct efi_reserved){m->region[i].range.start, m->region[i].range.end,
					     EfiBootServicesData, m->region[i].range.name};
	return m->nr;
}

/* Every page UEFI may hand out: images load code into memory they allocate. */
static void protect_free_memory(enum arch_mem_prot prot)
{
	unsigned int n;
	const struct efi_mem_region *r = efi_mem_regions(&n);

	for (unsigned int i = 0; i < n; i++)
		if (!r[i].firmware)
			arch_mem_protect(r[i].start, r[i].end - r[i].start, prot);
}

/* Where the last `load` read a file from: the device an image loaded there came from. */
static struct {
	char iface[16], dev_part[32], path[EFI_FILE_PATH_MAX];
	uintptr_t addr;
	uint64_t size;
} bootdev;

/* The last file loaded to ${ramdisk_addr_r}: Linux's initrd (LoadFile2). */
static struct {
	uintptr_t addr;
	uint64_t size;
} initrd;

void efi_set_bootdev(const char *iface, const char *dev_part, const char *path, uintptr_t addr,
		     uint64_t size)
{
	if (env_get("ramdisk_addr_r") && env_get_hex("ramdisk_addr_r", 0) == addr) {
		initrd.addr = addr;
		initrd.size = size;
		return; /* an initrd, not an image to run */
	}
	bootdev.size = 0;
	if (strlen(iface) >= sizeof(bootdev.iface) ||
	    strlen(dev_part) >= sizeof(bootdev.dev_part) || strlen(path) + 2 > sizeof(bootdev.path))
		return; /* not one UEFI can name: the image gets a memory path */
	strcpy(bootdev.iface, iface);
	strcpy(bootdev.dev_part, dev_part);
	snprintf(bootdev.path, sizeof(bootdev.path), "%s%s", path[0] == '/' ? "" : "/", path);
	bootdev.addr = addr;
	bootdev.size = size;
}

/* The disk handle of the last load, if the image is what it loaded. */
static struct efi_disk *image_disk(const void *image, size_t len)
{
	struct disk_partition info;
	struct blk_desc *dev;

	if (!bootdev.size || bootdev.addr != virt_to_phys(image) || bootdev.size != len ||
	    part_get_info_by_dev_and_part(bootdev.iface, bootdev.dev_part, &dev, &info))
		return NULL;
	return efi_disk_find(dev, info.number);
}

/*
 * Offer the initrd if there is one, kept out of UEFI's hands (loader data
 * at its address) until the stub has copied it.
 */
static void offer_initrd(void)
{
	uint64_t addr = ALIGN_DOWN(initrd.addr, PAGE_SIZE);

	if (!initrd.size)
		return;
	if (mem_gate(initrd.addr, initrd.size, MEM_READ) ||
	    efi_mem_alloc(AllocateAddress, EfiLoaderData,
			  DIV_ROUND_UP(initrd.addr + initrd.size - addr, PAGE_SIZE), 0, &addr) ||
	    efi_initrd_install(phys_to_virt(initrd.addr), initrd.size)) {
		printf("EFI: cannot offer the initrd at 0x%llx (%llu bytes): not offered\n",
		       (unsigned long long)initrd.addr, (unsigned long long)initrd.size);
		return;
	}
	printf("EFI: initrd at 0x%llx (%llu bytes) offered through LoadFile2\n",
	       (unsigned long long)initrd.addr, (unsigned long long)initrd.size);
}

/*
 * The hand-off to the OS. A stale map key is refused before anything
 * changes: the OS gets the map again and retries.
 */
static EFI_STATUS EFIAPI exit_boot_services(EFI_HANDLE image, UINTN key)
{
	int err;

	if (!efi_handle_valid(image) || key != efi_mem_map_key())
		return EFI_INVALID_PARAMETER;
	efi_events_exit_boot_services();
	handoff_report();
	printf("\n## ExitBootServices: handing the machine over\n\n");
	err = handoff_prepare();
	if (err) {
		printf("EFI: devices could not be handed over cleanly (%d)\n", err);
		return EFI_DEVICE_ERROR;
	}
	/* What is gone with boot services, as UEFI says the table shows it. */
	efi_systab->BootServices = NULL;
	efi_systab->ConIn = NULL;
	efi_systab->ConOut = NULL;
	efi_systab->StdErr = NULL;
	efi_systab->ConsoleInHandle = NULL;
	efi_systab->ConsoleOutHandle = NULL;
	efi_systab->StandardErrorHandle = NULL;
	efi_table_crc(&efi_systab->Hdr);
	return EFI_SUCCESS;
}

void efi_teardown(void)
{
	efi_images_exit();
	efi_initrd_exit();
	efi_files_exit();
	efi_disks_exit();
	efi_handles_exit();
	efi_events_exit();
	efi_variables_exit();
	efi_pool_exit();
	protect_free_memory(ARCH_MEM_RW);
	efi_mem_exit();
	efi_systab = NULL;
	efi_runtime = NULL;
}

static EFI_STATUS install_fdt(const void *fdt)
{
	static const EFI_GUID dtb_guid = EFI_DTB_TABLE_GUID;
	size_t size = fdt_totalsize(fdt);
	uint64_t addr;
	EFI_STATUS ret;

	ret = efi_mem_alloc(AllocateAnyPages, EfiBootServicesData, DIV_ROUND_UP(size, PAGE_SIZE), 0,
			    &addr);
	if (ret)
		return ret;
	memcpy((void *)(uintptr_t)addr, fdt, size);
	return efi_install_config_table(&dtb_guid, (void *)(uintptr_t)addr);
}

EFI_STATUS efi_setup(const void *fdt)
{
	static const EFI_GUID rt_prop_guid = EFI_RT_PROPERTIES_TABLE_GUID;
	const struct mem_map *m = mem_map_board();
	struct efi_reserved res[MEM_MAP_MAX];
	struct efi_rt_area *a;
	uint64_t addr;
	EFI_STATUS ret;

	if (m->overflow || m->ram.end <= m->ram.start)
		return EFI_NOT_READY; /* the gate refuses everything: so does UEFI */
	ret = efi_mem_init(m->ram.start, m->ram.end, res, reserved_regions(m, res));
	if (!ret)
		ret = efi_mem_alloc(AllocateAnyPages, EfiRuntimeServicesData,
				    DIV_ROUND_UP(sizeof(*a), PAGE_SIZE), 0, &addr);
	if (ret)
		return ret;
	a = (void *)(uintptr_t)addr;
	memset(a, 0, sizeof(*a));
	memcpy(a->vendor, u"pvboot", sizeof(u"pvboot"));
	a->rt_properties = efi_rt_properties;
	a->rt.Hdr = (EFI_TABLE_HEADER){EFI_RUNTIME_SERVICES_SIGNATURE, PVBOOT_EFI_REVISION,
				       sizeof(a->rt), 0, 0};
	efi_runtime_services(&a->rt);
	efi_table_crc(&a->rt.Hdr);
	memset(&efi_boot_services, 0, sizeof(efi_boot_services));
	efi_boot_services.Hdr = (EFI_TABLE_HEADER){EFI_BOOT_SERVICES_SIGNATURE, PVBOOT_EFI_REVISION,
						   sizeof(efi_boot_services), 0, 0};
	efi_misc_services(&efi_boot_services);
	efi_boot_services.ExitBootServices = exit_boot_services;
	efi_event_services(&efi_boot_services);
	efi_handle_services(&efi_boot_services);
	efi_image_services(&efi_boot_services);
	efi_table_crc(&efi_boot_services.Hdr);
	a->systab = (EFI_SYSTEM_TABLE){
	    .Hdr = {EFI_SYSTEM_TABLE_SIGNATURE, PVBOOT_EFI_REVISION, sizeof(a->systab), 0, 0},
	    .FirmwareVendor = a->vendor,
	    .FirmwareRevision = 1,
	    .RuntimeServices = &a->rt,
	    .BootServices = &efi_boot_services,
	    .ConfigurationTable = a->tables,
	};
	efi_systab = &a->systab;
	efi_runtime = &a->rt;
	ret = efi_console_init();
	if (!ret)
		ret = efi_install_config_table(&rt_prop_guid, &a->rt_properties);
	if (!ret && fdt)
		ret = install_fdt(fdt);
	if (!ret)
		ret = efi_disks_init();
	protect_free_memory(ARCH_MEM_RWX);
	return ret;
}

/*
 * Where an image loaded from memory came from, as UEFI says it
 * (MemoryMapped(type, start, end)): its FilePath and LoadedImageDevicePath.
 */
static void set_memory_path(EFI_HANDLE handle, EFI_LOADED_IMAGE_PROTOCOL *li, const void *image,
			    size_t len)
{
	static const EFI_GUID lidp_guid = EFI_LOADED_IMAGE_DEVICE_PATH_PROTOCOL_GUID;
	struct {
		MEMMAP_DEVICE_PATH mem;
		EFI_DEVICE_PATH end;
	} * dp;

	if (efi_pool_alloc(EfiBootServicesData, sizeof(*dp), (void **)&dp))
		return;
	dp->mem = (MEMMAP_DEVICE_PATH){{HARDWARE_DEVICE_PATH, HW_MEMMAP_DP, {sizeof(dp->mem), 0}},
				       EfiLoaderData,
				       (uintptr_t)image,
				       (uintptr_t)image + len - 1};
	dp->end = (EFI_DEVICE_PATH){END_DEVICE_PATH_TYPE, END_ENTIRE_DEVICE_PATH_SUBTYPE, {4, 0}};
	li->FilePath = &dp->mem.Header;
	efi_install_protocol(&handle, &lidp_guid, dp);
}

/* UTF-8 to a NUL-terminated UTF-16 copy in pool memory; U+FFFD for what is not valid. */
static CHAR16 *to_utf16(const char *s, UINT32 *bytes)
{
	size_t len = strlen(s), n;
	CHAR16 *out;

	if (len > SZ_64K ||
	    efi_pool_alloc(EfiLoaderData, (len + 1) * 2 * sizeof(CHAR16), (void **)&out))
		return NULL;
	n = efi_utf8_to_utf16(s, out, (len + 1) * 2);
	*bytes = (n + 1) * sizeof(CHAR16);
	return out;
}

/* One string, not a table of pointers: each pointer would cost a relocation. */
static const char *status_name(EFI_STATUS s)
{
	static const char names[] =
	    "load error\0invalid parameter\0unsupported\0bad buffer size\0buffer too small\0"
	    "not ready\0device error\0write protected\0out of resources\0volume corrupted\0"
	    "volume full\0no media\0media changed\0not found\0access denied\0no response\0"
	    "no mapping\0timeout\0not started\0already started\0aborted\0ICMP error\0"
	    "TFTP error\0protocol error\0incompatible version\0security violation\0";
	const char *p = names;
	UINTN code = s & ~EFI_ERROR_MASK;

	if (!EFI_ERROR(s))
		return s ? "warning" : "success";
	for (UINTN i = 1; i < code && *p; i++)
		p += strlen(p) + 1;
	return code && *p ? p : "error";
}

/* What an image said when it exited, as text (at most one line of it). */
static void print_exit_data(const CHAR16 *data, UINTN size)
{
	for (UINTN i = 0; i < MIN(size / sizeof(CHAR16), 200u) && data[i]; i++)
		console_putc(data[i] >= 0x20 && data[i] < 0x7f ? data[i] : '?');
}

int efi_run_image(const void *image, size_t len, const void *fdt, const char *options)
{
	static const EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_LOADED_IMAGE_PROTOCOL *li;
	uint64_t src = ALIGN_DOWN((uintptr_t)image, PAGE_SIZE);
	uint64_t src_pages = DIV_ROUND_UP((uintptr_t)image + len - src, PAGE_SIZE);
	EFI_HANDLE handle = NULL;
	struct efi_disk *disk;
	CHAR16 *exit_data = NULL, *opts;
	UINTN exit_size = 0;
	UINT32 opts_size = 0;
	EFI_STATUS ret;
	int err = -ENOMEM;

	if (efi_setup(fdt)) {
		printf("EFI: cannot set up UEFI (out of memory)\n");
		goto out;
	}
	offer_initrd();
	/* Keep the file where it is while the image is placed (it may lie in free RAM). */
	ret = efi_mem_alloc(AllocateAddress, EfiLoaderData, src_pages, 0, &src);
	err = -ENOEXEC;
	if (!ret && !efi_load_image_from_buffer(NULL, image, len, &handle)) {
		err = 0;
	} else if (ret) {
		printf("EFI: the image at 0x%llx is over memory pvboot uses\n",
		       (unsigned long long)(uintptr_t)image);
	}
	if (!ret)
		efi_mem_free(src, src_pages);
	if (err)
		goto out;
	if (options && *options) {
		opts = to_utf16(options, &opts_size);
		if (opts)
			efi_set_load_options(handle, opts, opts_size);
	}
	efi_handle_protocol(handle, &loaded_image_guid, (void **)&li);
	disk = image_disk(image, len);
	if (disk)
		efi_image_set_file(handle, disk, bootdev.path);
	else
		set_memory_path(handle, li, image, len);
	printf("## Starting EFI application at 0x%llx (placed at 0x%llx, %llu KiB)\n",
	       (unsigned long long)(uintptr_t)image, (unsigned long long)(uintptr_t)li->ImageBase,
	       (unsigned long long)li->ImageSize >> 10);
	console_flush(); /* all of it out before foreign code runs */
	efi_boot_services.SetWatchdogTimer(WATCHDOG_SECONDS, 0, 0, NULL);
	ret = efi_start(handle, &exit_size, &exit_data);
	if (!efi_systab->BootServices) {
		/* Back after ExitBootServices: pvboot's devices are gone, so is the prompt. */
		printf("EFI: the image returned after ExitBootServices: resetting\n");
		console_flush();
		arch_reset();
	}
	efi_boot_services.SetWatchdogTimer(0, 0, 0, NULL);
	if (ret == EFI_SUCCESS) {
		printf("## Application returned (%s)\n", status_name(ret));
	} else {
		printf("## Application failed, r = 0x%llx (%s)", (unsigned long long)ret,
		       status_name(ret));
		if (exit_data && exit_size) {
			printf(": ");
			print_exit_data(exit_data, exit_size);
		}
		printf("\n");
		err = -EIO;
	}
out:
	efi_teardown();
	return err;
}
