/* SPDX-License-Identifier: MIT */
/* What the files of efi/ share. Only efi/ includes this. */
#ifndef EFI_INTERNAL_H
#define EFI_INTERNAL_H

#include <pvboot/efi_abi.h>
#include "memory.h"

/* tables.c: the tables handed to images (efi.c fills them). */
#define EFI_MAX_CONFIG_TABLES 16
/* What must survive ExitBootServices, in one EfiRuntimeServicesData allocation. */
struct efi_rt_area {
	EFI_SYSTEM_TABLE systab;
	EFI_RUNTIME_SERVICES rt;
	EFI_CONFIGURATION_TABLE tables[EFI_MAX_CONFIG_TABLES];
	EFI_RT_PROPERTIES_TABLE rt_properties;
	CHAR16 vendor[8];
};

extern EFI_SYSTEM_TABLE *efi_systab;
extern EFI_BOOT_SERVICES efi_boot_services;
extern EFI_RUNTIME_SERVICES *efi_runtime;
EFI_STATUS efi_install_config_table(const EFI_GUID *guid, void *table);
void efi_table_crc(EFI_TABLE_HEADER *h);

/* pool.c */
EFI_STATUS efi_pool_alloc(EFI_MEMORY_TYPE type, UINTN size, void **out);
EFI_STATUS efi_pool_free(void *p);
void efi_pool_exit(void);

/* handle.c */
bool efi_guid_eq(const EFI_GUID *a, const EFI_GUID *b);
bool efi_handle_valid(EFI_HANDLE h);
EFI_STATUS efi_install_protocol(EFI_HANDLE *handle, const EFI_GUID *guid, void *iface);
EFI_STATUS efi_uninstall_protocol(EFI_HANDLE handle, const EFI_GUID *guid, void *iface);
EFI_STATUS efi_handle_protocol(EFI_HANDLE handle, const EFI_GUID *guid, void **iface);
void efi_delete_handle(EFI_HANDLE handle);
void efi_handles_exit(void);
void efi_handle_services(EFI_BOOT_SERVICES *bs);

/* device_path.c: sizes with the end node; 0 means not a valid path. */
size_t efi_dp_size(const void *dp);
/* Bytes of path covered by prefix (without prefix's end node), or 0. */
size_t efi_dp_prefix_len(const void *prefix, const void *path);
/* A path built node by node (node bodies may be unaligned: they are copied in). */
struct efi_dp_buf {
	uint8_t data[512];
	size_t len;
	bool overflow;
};
void efi_dp_add(struct efi_dp_buf *b, uint8_t type, uint8_t subtype, const void *body, size_t len);
/* All of dp's nodes but its end node. */
void efi_dp_add_path(struct efi_dp_buf *b, const void *dp);
/* A FilePath node: path with '/' as '\'. */
void efi_dp_add_file(struct efi_dp_buf *b, const char *path);
/* A copy in pool memory with the end node; NULL if it overflowed or no memory. */
void *efi_dp_finish(struct efi_dp_buf *b);
/* The FilePath nodes that make up the rest of dp, as one '/'-separated path; 0 or -1. */
int efi_dp_file_path(const void *dp, char *out, size_t size);

/* utf16.c: at most n units with the NUL; the units without it, or SIZE_MAX if too long. */
#define EFI_FILE_PATH_MAX 256
size_t efi_utf8_to_utf16(const char *s, CHAR16 *out, size_t n);
/* UTF-16 (at most n units, NUL-terminated) to UTF-8 in out[size]; -1 if too long. */
int efi_utf16_to_utf8(const CHAR16 *s, size_t n, char *out, size_t size);

/* event.c */
EFI_STATUS efi_create_event(UINT32 type, EFI_TPL tpl, EFI_EVENT_NOTIFY fn, void *ctx,
			    const EFI_GUID *group, EFI_EVENT *event);
EFI_STATUS efi_close_event(EFI_EVENT event);
EFI_STATUS efi_signal_event(EFI_EVENT event);
/* Fire due timers and pending notifications; called wherever an image may wait. */
void efi_timer_check(void);
void efi_events_exit(void);
/* ExitBootServices: notify its event group, then cancel every timer and the watchdog. */
void efi_events_exit_boot_services(void);
void efi_event_services(EFI_BOOT_SERVICES *bs);

/* console.c */
EFI_STATUS efi_console_init(void);

/* variable.c */
void efi_variables_exit(void);
void efi_variable_services(EFI_RUNTIME_SERVICES *rt);

/* runtime.c */
void efi_runtime_services(EFI_RUNTIME_SERVICES *rt);
extern const EFI_RT_PROPERTIES_TABLE efi_rt_properties;

/* image.c */
EFI_STATUS efi_load_image_from_buffer(EFI_HANDLE parent, const void *buf, size_t len,
				      EFI_HANDLE *image);
void efi_images_exit(void);
EFI_STATUS efi_set_load_options(EFI_HANDLE handle, void *options, UINT32 size);
EFI_STATUS efi_start(EFI_HANDLE handle, UINTN *exit_size, CHAR16 **exit_data);
void efi_image_services(EFI_BOOT_SERVICES *bs);
struct efi_disk;
/* The image came from path on disk d: its DeviceHandle, FilePath and LoadedImageDevicePath. */
void efi_image_set_file(EFI_HANDLE handle, struct efi_disk *d, const char *path);

/* disk.c: a handle per block device and per partition. */
struct blk_desc;
struct fs_mount;
struct efi_disk_ifaces;
struct efi_disk {
	struct efi_disk *next;
	struct efi_disk_ifaces *ifc; /* pool memory: what images see */
	EFI_HANDLE handle;
	void *dp;
	struct blk_desc *dev;
	uint64_t start, nblocks; /* in device blocks */
	int part;		 /* 0: the whole disk */
	bool esp;		 /* an EFI System Partition by its type */
	struct fs_mount *fs;	 /* NULL: no filesystem pvboot knows */
};
EFI_STATUS efi_disks_init(void);
void efi_disks_exit(void);
struct efi_disk *efi_disk_find(struct blk_desc *dev, int part);
struct efi_disk *efi_disk_first(void);

/* file.c: EFI_FILE_PROTOCOL over a mounted filesystem (read-only). */
EFI_STATUS efi_file_open_root(struct efi_disk *d, EFI_FILE_PROTOCOL **root);
void efi_files_exit(void);

/* initrd.c: Linux's initrd through LoadFile2 at its vendor media path. */
EFI_STATUS efi_initrd_install(const void *initrd, size_t size);
void efi_initrd_exit(void);

/* efi.c: UEFI around one image (or one efidebug view); teardown undoes all. */
EFI_STATUS efi_setup(const void *fdt);
void efi_teardown(void);

/* boot_services.c */
void efi_misc_services(EFI_BOOT_SERVICES *bs);

#endif
