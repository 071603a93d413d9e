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

/* event.c */
EFI_STATUS efi_create_event(UINT32 type, EFI_TPL tpl, EFI_EVENT_NOTIFY fn, void *ctx,
			    const EFI_GUID *group, EFI_EVENT *event);
EFI_STATUS efi_close_event(EFI_EVENT event);
EFI_STATUS efi_signal_event(EFI_EVENT event);
/* Fire due timers and pending notifications; called wherever an image may wait. */
void efi_timer_check(void);
void efi_events_exit(void);
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

/* boot_services.c */
void efi_misc_services(EFI_BOOT_SERVICES *bs);

#endif
