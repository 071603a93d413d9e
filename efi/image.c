// SPDX-License-Identifier: MIT
/*
 * Images: LoadImage (from memory), StartImage, Exit, UnloadImage. An image
 * gets pages of its own, its sections placed and relocated there, and the
 * rights each section asks for where the section alignment allows (the
 * rest of the memory UEFI hands out stays executable: images load code
 * into memory they allocate). Exit() returns to the StartImage that
 * started the image through a long jump; an application is unloaded when
 * it ends, as UEFI says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/fs.h>
#include "efi_internal.h"
#include "pe.h"

struct efi_image {
	struct efi_image *next;
	EFI_LOADED_IMAGE_PROTOCOL li;
	EFI_HANDLE handle;
	uint64_t base, pages;
	EFI_IMAGE_ENTRY_POINT entry;
	uint16_t subsystem;
	bool started;
	struct arch_jmp_buf *exit_jb; /* while it runs: where Exit() goes */
	EFI_STATUS exit_status;
	UINTN exit_data_size;
	CHAR16 *exit_data;
};

static const EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static struct efi_image *images;
static struct efi_image *running; /* innermost started image */

static struct efi_image *find_image(EFI_HANDLE h)
{
	for (struct efi_image *i = images; i; i = i->next)
		if (i->handle == h && h)
			return i;
	return NULL;
}

static enum arch_mem_prot section_prot(uint32_t flags)
{
	bool x = flags & IMAGE_SCN_MEM_EXECUTE, w = flags & IMAGE_SCN_MEM_WRITE;

	return x ? (w ? ARCH_MEM_RWX : ARCH_MEM_RX) : (w ? ARCH_MEM_RW : ARCH_MEM_RO);
}

/* Headers read-only, each section as it asks; RWX throughout if that cannot be done. */
static void protect_sections(const struct efi_image *img, const struct pe_image_info *pi)
{
	int err = 0;

	if (pi->section_align < PAGE_SIZE)
		return; /* sections share pages: the image stays as allocated (RWX) */
	err = arch_mem_protect(img->base, ALIGN_UP((uint64_t)pi->headers_size, PAGE_SIZE),
			       ARCH_MEM_RO);
	for (unsigned int i = 0; i < pi->nr_sections && !err; i++) {
		const struct pe_section *s = &pi->sections[i];

		if (s->mem_size)
			err = arch_mem_protect(img->base + s->rva,
					       ALIGN_UP((uint64_t)s->mem_size, PAGE_SIZE),
					       section_prot(s->flags));
	}
	if (err) {
		printf("EFI: cannot set section rights (error %d): the image runs without them\n",
		       err);
		arch_mem_protect(img->base, img->pages * PAGE_SIZE, ARCH_MEM_RWX);
	}
}

static void free_image(struct efi_image *img)
{
	struct efi_image **pp = &images;

	while (*pp != img)
		pp = &(*pp)->next;
	*pp = img->next;
	efi_delete_handle(img->handle);
	/* Back to what free memory is while UEFI runs. */
	arch_mem_protect(img->base, img->pages * PAGE_SIZE, ARCH_MEM_RWX);
	efi_mem_free(img->base, img->pages);
	free(img);
}

void efi_images_exit(void)
{
	while (images)
		free_image(images);
	running = NULL;
}

static EFI_STATUS place(struct efi_image *img, const void *buf, const struct pe_image_info *pi)
{
	EFI_MEMORY_TYPE code = EfiLoaderCode, data = EfiLoaderData;
	const char *why;
	uint64_t addr = pi->image_base;

	if (pi->subsystem == IMAGE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER) {
		code = EfiBootServicesCode;
		data = EfiBootServicesData;
	} else if (pi->subsystem == IMAGE_SUBSYSTEM_EFI_RUNTIME_DRIVER) {
		code = EfiRuntimeServicesCode;
		data = EfiRuntimeServicesData;
	}
	img->pages = DIV_ROUND_UP((uint64_t)pi->image_size, PAGE_SIZE);
	if (efi_mem_alloc(pi->relocs_stripped ? AllocateAddress : AllocateAnyPages, code,
			  img->pages, pi->section_align, &addr)) {
		printf("EFI: no room for the image (%u KiB%s)\n", pi->image_size >> 10,
		       pi->relocs_stripped ? " at its fixed address" : "");
		return EFI_OUT_OF_RESOURCES;
	}
	img->base = addr;
	pe_place(buf, pi, (void *)(uintptr_t)addr);
	if (pe_relocate((void *)(uintptr_t)addr, pi, addr - pi->image_base, &why)) {
		printf("EFI: cannot relocate the image: %s\n", why);
		efi_mem_free(addr, img->pages);
		return EFI_LOAD_ERROR;
	}
	img->entry = (EFI_IMAGE_ENTRY_POINT)(uintptr_t)(addr + pi->entry_rva);
	img->subsystem = pi->subsystem;
	img->li = (EFI_LOADED_IMAGE_PROTOCOL){
	    .Revision = EFI_LOADED_IMAGE_PROTOCOL_REVISION,
	    .SystemTable = efi_systab,
	    .ImageBase = (void *)(uintptr_t)addr,
	    .ImageSize = pi->image_size,
	    .ImageCodeType = code,
	    .ImageDataType = data,
	};
	protect_sections(img, pi);
	/* The image was written through the data cache: make it visible to instruction fetch. */
	arch_dcache_clean((void *)(uintptr_t)addr, pi->image_size);
	arch_icache_inval_all();
	return EFI_SUCCESS;
}

EFI_STATUS efi_load_image_from_buffer(EFI_HANDLE parent, const void *buf, size_t len,
				      EFI_HANDLE *handle)
{
	struct pe_image_info *pi = malloc(sizeof(*pi));
	struct efi_image *img = calloc(1, sizeof(*img));
	const char *why;
	EFI_STATUS ret = EFI_OUT_OF_RESOURCES;

	if (!pi || !img)
		goto out;
	if (pe_parse(buf, len, EFI_NATIVE_MACHINE, pi, &why)) {
		printf("EFI: not an image this machine can run: %s\n", why);
		ret = EFI_LOAD_ERROR;
		goto out;
	}
	ret = place(img, buf, pi);
	if (ret)
		goto out;
	img->li.ParentHandle = parent;
	ret = efi_install_protocol(&img->handle, &loaded_image_guid, &img->li);
	if (ret) {
		arch_mem_protect(img->base, img->pages * PAGE_SIZE, ARCH_MEM_RWX);
		efi_mem_free(img->base, img->pages);
		goto out;
	}
	img->next = images;
	images = img;
	*handle = img->handle;
	img = NULL;
out:
	free(img);
	free(pi);
	return ret;
}

void efi_image_set_file(EFI_HANDLE handle, struct efi_disk *d, const char *path)
{
	static const EFI_GUID lidp_guid = EFI_LOADED_IMAGE_DEVICE_PATH_PROTOCOL_GUID;
	struct efi_image *img = find_image(handle);
	struct efi_dp_buf *b = calloc(1, sizeof(*b));
	void *file, *full;

	if (!img || !b)
		goto out;
	efi_dp_add_file(b, path);
	file = efi_dp_finish(b);
	b->len = 0;
	efi_dp_add_path(b, d->dp);
	efi_dp_add_file(b, path);
	full = efi_dp_finish(b);
	if (!file || !full)
		goto out;
	img->li.DeviceHandle = d->handle;
	img->li.FilePath = file;
	efi_install_protocol(&img->handle, &lidp_guid, full);
out:
	free(b);
}

/* The longest disk path with a filesystem that starts path, and the file after it. */
static struct efi_disk *disk_of_path(const EFI_DEVICE_PATH *path, char *file, size_t size)
{
	struct efi_disk *best = NULL;
	size_t best_len = 0, len;

	for (struct efi_disk *d = efi_disk_first(); d; d = d->next) {
		len = d->fs ? efi_dp_prefix_len(d->dp, path) : 0;
		if (len > best_len) {
			best = d;
			best_len = len;
		}
	}
	if (!best || efi_dp_file_path((const uint8_t *)path + best_len, file, size))
		return NULL;
	return best;
}

/* LoadImage of a file: read whole into loader data pages, placed from there. */
static EFI_STATUS load_from_file(EFI_HANDLE parent, const EFI_DEVICE_PATH *path, EFI_HANDLE *handle)
{
	char *file = malloc(EFI_FILE_PATH_MAX * 3 + 1);
	struct efi_disk *d = file ? disk_of_path(path, file, EFI_FILE_PATH_MAX * 3 + 1) : NULL;
	uint64_t size = 0, got, addr = 0, pages = 0;
	enum fs_dt type;
	EFI_STATUS ret = EFI_NOT_FOUND;

	if (!d || fs_mount_stat(d->fs, file, &type, &size) || type != FS_DT_REG || !size)
		goto out;
	pages = DIV_ROUND_UP(size, PAGE_SIZE);
	ret = efi_mem_alloc(AllocateAnyPages, EfiLoaderData, pages, 0, &addr);
	if (ret)
		goto out;
	ret = EFI_DEVICE_ERROR;
	if (fs_mount_read(d->fs, file, (void *)(uintptr_t)addr, 0, size, &got) || got != size)
		goto out;
	ret = efi_load_image_from_buffer(parent, (void *)(uintptr_t)addr, size, handle);
	if (!ret)
		efi_image_set_file(*handle, d, file);
out:
	if (addr)
		efi_mem_free(addr, pages);
	free(file);
	return ret;
}

static EFI_STATUS EFIAPI load_image(BOOLEAN boot_policy, EFI_HANDLE parent, EFI_DEVICE_PATH *path,
				    VOID *buf, UINTN size, EFI_HANDLE *handle)
{
	if (!handle || !find_image(parent))
		return EFI_INVALID_PARAMETER;
	if (buf)
		return efi_load_image_from_buffer(parent, buf, size, handle);
	if (!efi_dp_size(path))
		return EFI_INVALID_PARAMETER;
	return load_from_file(parent, path, handle);
}

static EFI_STATUS EFIAPI start_image(EFI_HANDLE handle, UINTN *exit_size, CHAR16 **exit_data)
{
	struct efi_image *img = find_image(handle), *caller = running;
	struct arch_jmp_buf jb;
	EFI_STATUS ret;

	if (!img || img->started)
		return EFI_INVALID_PARAMETER;
	img->started = true;
	img->exit_jb = &jb;
	running = img;
	if (!arch_setjmp(&jb))
		img->exit_status = img->entry(handle, efi_systab);
	/* Here after a return or through Exit(): img is still in the list. */
	running = caller;
	img->exit_jb = NULL;
	ret = img->exit_status;
	if (exit_size)
		*exit_size = img->exit_data ? img->exit_data_size : 0;
	if (exit_data)
		*exit_data = img->exit_data;
	if (img->subsystem == IMAGE_SUBSYSTEM_EFI_APPLICATION || EFI_ERROR(ret))
		free_image(img);
	return ret;
}

static EFI_STATUS EFIAPI exit_image(EFI_HANDLE handle, EFI_STATUS status, UINTN size, CHAR16 *data)
{
	struct efi_image *img = find_image(handle);

	if (!img)
		return EFI_INVALID_PARAMETER;
	if (!img->started) { /* a loaded image that never ran: unload it */
		free_image(img);
		return EFI_SUCCESS;
	}
	if (img != running)
		return EFI_INVALID_PARAMETER; /* only the running image may exit */
	img->exit_status = status;
	img->exit_data_size = data ? size : 0;
	img->exit_data = data;
	arch_longjmp(img->exit_jb, 1);
}

static EFI_STATUS EFIAPI unload_image(EFI_HANDLE handle)
{
	struct efi_image *img = find_image(handle);
	EFI_STATUS ret;

	if (!img)
		return EFI_INVALID_PARAMETER;
	if (img->started) {
		/* A driver that stays: it decides, through its Unload function. */
		if (!img->li.Unload)
			return EFI_UNSUPPORTED;
		ret = img->li.Unload(handle);
		if (ret)
			return ret;
	}
	free_image(img);
	return EFI_SUCCESS;
}

void efi_image_services(EFI_BOOT_SERVICES *bs)
{
	bs->LoadImage = load_image;
	bs->StartImage = start_image;
	bs->Exit = exit_image;
	bs->UnloadImage = unload_image;
}

EFI_STATUS efi_set_load_options(EFI_HANDLE handle, void *options, UINT32 size)
{
	struct efi_image *img = find_image(handle);

	if (!img)
		return EFI_INVALID_PARAMETER;
	img->li.LoadOptions = options;
	img->li.LoadOptionsSize = size;
	return EFI_SUCCESS;
}

/* The handle StartImage runs first, so that what an image gets as parent is real. */
EFI_STATUS efi_start(EFI_HANDLE handle, UINTN *exit_size, CHAR16 **exit_data)
{
	return start_image(handle, exit_size, exit_data);
}
