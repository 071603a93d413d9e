// SPDX-License-Identifier: MIT
/*
 * The handle and protocol database. A handle is a list of protocols, each
 * with who has it open. Handles from an image are never dereferenced before
 * they are found in our own list, and everything is in pvboot's heap, so
 * nothing an image writes can corrupt the database.
 */
#include <stdlib.h>
#include <string.h>
#include "efi_internal.h"

struct efi_open {
	struct efi_open *next;
	EFI_HANDLE agent, controller;
	UINT32 attrs, count;
};

struct efi_proto {
	struct efi_proto *next;
	EFI_GUID guid;
	void *iface;
	struct efi_open *opens;
};

struct efi_handle {
	struct efi_handle *next;
	struct efi_proto *protos;
};

static struct efi_handle *handles;

bool efi_guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static struct efi_handle *find_handle(EFI_HANDLE h)
{
	for (struct efi_handle *e = handles; e; e = e->next)
		if (e == h)
			return e;
	return NULL;
}

bool efi_handle_valid(EFI_HANDLE h)
{
	return h && find_handle(h);
}

static struct efi_proto *find_proto(struct efi_handle *h, const EFI_GUID *guid)
{
	for (struct efi_proto *p = h ? h->protos : NULL; p; p = p->next)
		if (efi_guid_eq(&p->guid, guid))
			return p;
	return NULL;
}

static struct efi_handle *new_handle(void)
{
	struct efi_handle *h = calloc(1, sizeof(*h)), **pp = &handles;

	if (!h)
		return NULL;
	while (*pp)
		pp = &(*pp)->next;
	*pp = h;
	return h;
}

static void free_opens(struct efi_proto *p)
{
	while (p->opens) {
		struct efi_open *o = p->opens;

		p->opens = o->next;
		free(o);
	}
}

static void delete_handle(struct efi_handle *h)
{
	struct efi_handle **pp = &handles;

	while (*pp != h)
		pp = &(*pp)->next;
	*pp = h->next;
	while (h->protos) {
		struct efi_proto *p = h->protos;

		h->protos = p->next;
		free_opens(p);
		free(p);
	}
	free(h);
}

void efi_delete_handle(EFI_HANDLE handle)
{
	struct efi_handle *h = find_handle(handle);

	if (h)
		delete_handle(h);
}

void efi_handles_exit(void)
{
	while (handles)
		delete_handle(handles);
}

/* Another handle with the same device path: UEFI keeps device paths unique. */
static bool device_path_taken(const EFI_GUID *guid, void *iface)
{
	static const EFI_GUID dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
	size_t len = efi_dp_size(iface);

	if (!efi_guid_eq(guid, &dp_guid))
		return false;
	for (struct efi_handle *h = handles; h; h = h->next) {
		struct efi_proto *p = find_proto(h, guid);

		if (p && efi_dp_size(p->iface) == len && !memcmp(p->iface, iface, len))
			return true;
	}
	return false;
}

/* Nothing disconnects drivers here: a protocol a driver holds stays installed. */
static bool held_by_driver(const struct efi_proto *p)
{
	for (struct efi_open *o = p->opens; o; o = o->next)
		if (o->attrs & (EFI_OPEN_PROTOCOL_BY_DRIVER | EFI_OPEN_PROTOCOL_EXCLUSIVE))
			return true;
	return false;
}

EFI_STATUS efi_install_protocol(EFI_HANDLE *handle, const EFI_GUID *guid, void *iface)
{
	struct efi_handle *h = NULL;
	struct efi_proto *p;

	if (!handle || !guid)
		return EFI_INVALID_PARAMETER;
	if (*handle && !(h = find_handle(*handle)))
		return EFI_INVALID_PARAMETER;
	if (*handle && find_proto(h, guid))
		return EFI_INVALID_PARAMETER;
	p = calloc(1, sizeof(*p));
	if (!p)
		return EFI_OUT_OF_RESOURCES;
	if (!*handle && !(h = new_handle())) {
		free(p);
		return EFI_OUT_OF_RESOURCES;
	}
	p->guid = *guid;
	p->iface = iface;
	p->next = h->protos;
	h->protos = p;
	*handle = h;
	return EFI_SUCCESS;
}

EFI_STATUS efi_uninstall_protocol(EFI_HANDLE handle, const EFI_GUID *guid, void *iface)
{
	struct efi_handle *h = find_handle(handle);
	struct efi_proto *p = guid ? find_proto(h, guid) : NULL, **pp;

	if (!h || !guid)
		return EFI_INVALID_PARAMETER;
	if (!p || p->iface != iface)
		return EFI_NOT_FOUND;
	if (held_by_driver(p))
		return EFI_ACCESS_DENIED;
	for (pp = &h->protos; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	free_opens(p);
	free(p);
	if (!h->protos)
		delete_handle(h);
	return EFI_SUCCESS;
}

EFI_STATUS efi_handle_protocol(EFI_HANDLE handle, const EFI_GUID *guid, void **iface)
{
	struct efi_proto *p;

	if (!guid || !iface)
		return EFI_INVALID_PARAMETER;
	*iface = NULL;
	if (!find_handle(handle))
		return EFI_INVALID_PARAMETER;
	p = find_proto(handle, guid);
	if (!p)
		return EFI_UNSUPPORTED;
	*iface = p->iface;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI install_protocol_interface(EFI_HANDLE *handle, EFI_GUID *guid,
						    EFI_INTERFACE_TYPE type, VOID *iface)
{
	if (type != EFI_NATIVE_INTERFACE)
		return EFI_INVALID_PARAMETER;
	if (guid && device_path_taken(guid, iface))
		return EFI_ALREADY_STARTED;
	return efi_install_protocol(handle, guid, iface);
}

static EFI_STATUS EFIAPI uninstall_protocol_interface(EFI_HANDLE handle, EFI_GUID *guid,
						      VOID *iface)
{
	return efi_uninstall_protocol(handle, guid, iface);
}

static EFI_STATUS EFIAPI reinstall_protocol_interface(EFI_HANDLE handle, EFI_GUID *guid, VOID *old,
						      VOID *new)
{
	struct efi_proto *p = guid ? find_proto(find_handle(handle), guid) : NULL;

	if (!guid || !find_handle(handle))
		return EFI_INVALID_PARAMETER;
	if (!p || p->iface != old)
		return EFI_NOT_FOUND;
	p->iface = new;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI handle_protocol(EFI_HANDLE handle, EFI_GUID *guid, VOID **iface)
{
	return efi_handle_protocol(handle, guid, iface);
}

static EFI_STATUS EFIAPI open_protocol(EFI_HANDLE handle, EFI_GUID *guid, VOID **iface,
				       EFI_HANDLE agent, EFI_HANDLE controller, UINT32 attrs)
{
	struct efi_handle *h = find_handle(handle);
	struct efi_proto *p = guid ? find_proto(h, guid) : NULL;
	const UINT32 owner = EFI_OPEN_PROTOCOL_BY_DRIVER | EFI_OPEN_PROTOCOL_EXCLUSIVE;
	struct efi_open *o;

	if (!h || !guid || (!iface && attrs != EFI_OPEN_PROTOCOL_TEST_PROTOCOL))
		return EFI_INVALID_PARAMETER;
	switch (attrs) {
	case EFI_OPEN_PROTOCOL_BY_HANDLE_PROTOCOL:
	case EFI_OPEN_PROTOCOL_GET_PROTOCOL:
	case EFI_OPEN_PROTOCOL_TEST_PROTOCOL:
		break;
	case EFI_OPEN_PROTOCOL_BY_CHILD_CONTROLLER:
	case EFI_OPEN_PROTOCOL_BY_DRIVER:
	case EFI_OPEN_PROTOCOL_BY_DRIVER | EFI_OPEN_PROTOCOL_EXCLUSIVE:
		if (!find_handle(controller))
			return EFI_INVALID_PARAMETER;
		/* fall through */
	case EFI_OPEN_PROTOCOL_EXCLUSIVE:
		if (!find_handle(agent))
			return EFI_INVALID_PARAMETER;
		break;
	default:
		return EFI_INVALID_PARAMETER;
	}
	if (iface)
		*iface = NULL;
	if (!p)
		return EFI_UNSUPPORTED;
	if (attrs == EFI_OPEN_PROTOCOL_TEST_PROTOCOL)
		return EFI_SUCCESS;
	for (o = p->opens; o; o = o->next) {
		if (!(o->attrs & owner) || !(attrs & owner))
			continue;
		if (o->agent == agent && o->attrs == attrs)
			return EFI_ALREADY_STARTED;
		return EFI_ACCESS_DENIED; /* held by another driver: no DisconnectController here */
	}
	for (o = p->opens; o; o = o->next)
		if (o->agent == agent && o->controller == controller && o->attrs == attrs)
			break;
	if (!o) {
		o = calloc(1, sizeof(*o));
		if (!o)
			return EFI_OUT_OF_RESOURCES;
		*o = (struct efi_open){p->opens, agent, controller, attrs, 0};
		p->opens = o;
	}
	o->count++;
	*iface = p->iface;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI close_protocol(EFI_HANDLE handle, EFI_GUID *guid, EFI_HANDLE agent,
					EFI_HANDLE controller)
{
	struct efi_handle *h = find_handle(handle);
	struct efi_proto *p = guid ? find_proto(h, guid) : NULL;
	EFI_STATUS ret = EFI_NOT_FOUND;

	if (!h || !guid || !find_handle(agent) || (controller && !find_handle(controller)))
		return EFI_INVALID_PARAMETER;
	if (!p)
		return EFI_NOT_FOUND;
	for (struct efi_open **pp = &p->opens; *pp;) {
		struct efi_open *o = *pp;

		if (o->agent == agent && o->controller == controller) {
			*pp = o->next;
			free(o);
			ret = EFI_SUCCESS;
		} else {
			pp = &o->next;
		}
	}
	return ret;
}

static EFI_STATUS EFIAPI open_protocol_information(EFI_HANDLE handle, EFI_GUID *guid,
						   EFI_OPEN_PROTOCOL_INFORMATION_ENTRY **entries,
						   UINTN *count)
{
	struct efi_handle *h = find_handle(handle);
	struct efi_proto *p = guid ? find_proto(h, guid) : NULL;
	EFI_OPEN_PROTOCOL_INFORMATION_ENTRY *e;
	UINTN n = 0;

	if (!h || !guid || !entries || !count)
		return EFI_INVALID_PARAMETER;
	if (!p)
		return EFI_NOT_FOUND;
	for (struct efi_open *o = p->opens; o; o = o->next)
		n++;
	if (efi_pool_alloc(EfiBootServicesData, MAX(n, 1) * sizeof(*e), (void **)&e))
		return EFI_OUT_OF_RESOURCES;
	n = 0;
	for (struct efi_open *o = p->opens; o; o = o->next)
		e[n++] = (EFI_OPEN_PROTOCOL_INFORMATION_ENTRY){o->agent, o->controller, o->attrs,
							       o->count};
	*entries = e;
	*count = n;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI protocols_per_handle(EFI_HANDLE handle, EFI_GUID ***guids, UINTN *count)
{
	struct efi_handle *h = find_handle(handle);
	EFI_GUID **g;
	UINTN n = 0;

	if (!h || !guids || !count)
		return EFI_INVALID_PARAMETER;
	for (struct efi_proto *p = h->protos; p; p = p->next)
		n++;
	if (efi_pool_alloc(EfiBootServicesData, MAX(n, 1) * sizeof(EFI_GUID *), (void **)&g))
		return EFI_OUT_OF_RESOURCES;
	n = 0;
	for (struct efi_proto *p = h->protos; p; p = p->next)
		g[n++] = &p->guid;
	*guids = g;
	*count = n;
	return EFI_SUCCESS;
}

static bool matches(struct efi_handle *h, EFI_LOCATE_SEARCH_TYPE how, const EFI_GUID *guid)
{
	return how == AllHandles || find_proto(h, guid);
}

static EFI_STATUS check_search(EFI_LOCATE_SEARCH_TYPE how, const EFI_GUID *guid, void *key)
{
	if (how == ByRegisterNotify)
		return EFI_UNSUPPORTED; /* RegisterProtocolNotify is not offered */
	if (how != AllHandles && how != ByProtocol)
		return EFI_INVALID_PARAMETER;
	if (how == ByProtocol && !guid)
		return EFI_INVALID_PARAMETER;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI locate_handle(EFI_LOCATE_SEARCH_TYPE how, EFI_GUID *guid, VOID *key,
				       UINTN *size, EFI_HANDLE *buf)
{
	EFI_STATUS ret = check_search(how, guid, key);
	UINTN n = 0;

	if (ret)
		return ret;
	if (!size)
		return EFI_INVALID_PARAMETER;
	for (struct efi_handle *h = handles; h; h = h->next)
		n += matches(h, how, guid);
	if (!n)
		return EFI_NOT_FOUND;
	if (*size < n * sizeof(EFI_HANDLE)) {
		*size = n * sizeof(EFI_HANDLE);
		return EFI_BUFFER_TOO_SMALL;
	}
	if (!buf)
		return EFI_INVALID_PARAMETER;
	*size = n * sizeof(EFI_HANDLE);
	n = 0;
	for (struct efi_handle *h = handles; h; h = h->next)
		if (matches(h, how, guid))
			buf[n++] = h;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI locate_handle_buffer(EFI_LOCATE_SEARCH_TYPE how, EFI_GUID *guid, VOID *key,
					      UINTN *count, EFI_HANDLE **buf)
{
	UINTN size = 0;
	EFI_STATUS ret;

	if (!count || !buf)
		return EFI_INVALID_PARAMETER;
	*count = 0;
	*buf = NULL;
	ret = locate_handle(how, guid, key, &size, NULL);
	if (ret != EFI_BUFFER_TOO_SMALL)
		return ret;
	if (efi_pool_alloc(EfiBootServicesData, size, (void **)buf))
		return EFI_OUT_OF_RESOURCES;
	ret = locate_handle(how, guid, key, &size, *buf);
	*count = size / sizeof(EFI_HANDLE);
	return ret;
}

static EFI_STATUS EFIAPI locate_protocol(EFI_GUID *guid, VOID *registration, VOID **iface)
{
	if (!guid || !iface)
		return EFI_INVALID_PARAMETER;
	*iface = NULL;
	if (registration)
		return EFI_UNSUPPORTED; /* RegisterProtocolNotify is not offered */
	for (struct efi_handle *h = handles; h; h = h->next) {
		struct efi_proto *p = find_proto(h, guid);

		if (p) {
			*iface = p->iface;
			return EFI_SUCCESS;
		}
	}
	return EFI_NOT_FOUND;
}

/*
 * The handle with `guid` whose device path is the longest prefix of *dp;
 * *dp moves past that prefix.
 */
static EFI_STATUS EFIAPI locate_device_path(EFI_GUID *guid, EFI_DEVICE_PATH **dp,
					    EFI_HANDLE *device)
{
	static const EFI_GUID dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
	struct efi_handle *best = NULL;
	size_t best_len = 0;

	if (!guid || !dp || !*dp || !device)
		return EFI_INVALID_PARAMETER;
	for (struct efi_handle *h = handles; h; h = h->next) {
		struct efi_proto *p = find_proto(h, &dp_guid);
		size_t len;

		if (!p || !find_proto(h, guid))
			continue;
		len = efi_dp_prefix_len(p->iface, *dp);
		if (len && (!best || len > best_len)) {
			best = h;
			best_len = len;
		}
	}
	if (!best)
		return EFI_NOT_FOUND;
	*device = best;
	*dp = (EFI_DEVICE_PATH *)((uint8_t *)*dp + best_len);
	return EFI_SUCCESS;
}

/* InstallMultipleProtocolInterfaces: all or nothing. */
static EFI_STATUS install_multiple(EFI_HANDLE *handle, efi_va_list ap)
{
	EFI_HANDLE orig = *handle;
	EFI_STATUS ret = EFI_SUCCESS;
	unsigned int done = 0;
	efi_va_list again;

	efi_va_copy(again, ap);
	for (EFI_GUID *guid; (guid = __builtin_va_arg(ap, EFI_GUID *)); done++) {
		ret = install_protocol_interface(handle, guid, EFI_NATIVE_INTERFACE,
						 __builtin_va_arg(ap, void *));
		if (ret)
			break;
	}
	for (; ret && done; done--) {
		EFI_GUID *guid = __builtin_va_arg(again, EFI_GUID *);

		efi_uninstall_protocol(*handle, guid, __builtin_va_arg(again, void *));
	}
	if (ret)
		*handle = orig;
	efi_va_end(again);
	return ret;
}

/* UninstallMultipleProtocolInterfaces: everything checked first, so nothing needs undoing. */
static EFI_STATUS uninstall_multiple(EFI_HANDLE handle, efi_va_list ap)
{
	struct efi_handle *h = find_handle(handle);
	efi_va_list again;
	EFI_GUID *guid;

	if (!h)
		return EFI_INVALID_PARAMETER;
	efi_va_copy(again, ap);
	while ((guid = __builtin_va_arg(ap, EFI_GUID *))) {
		struct efi_proto *p = find_proto(h, guid);

		if (!p || p->iface != __builtin_va_arg(ap, void *) || held_by_driver(p)) {
			efi_va_end(again);
			return EFI_INVALID_PARAMETER;
		}
	}
	while ((guid = __builtin_va_arg(again, EFI_GUID *)))
		efi_uninstall_protocol(handle, guid, __builtin_va_arg(again, void *));
	efi_va_end(again);
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI install_multiple_protocol_interfaces(EFI_HANDLE *handle, ...)
{
	efi_va_list ap;
	EFI_STATUS ret;

	if (!handle)
		return EFI_INVALID_PARAMETER;
	efi_va_start(ap, handle);
	ret = install_multiple(handle, ap);
	efi_va_end(ap);
	return ret;
}

static EFI_STATUS EFIAPI uninstall_multiple_protocol_interfaces(EFI_HANDLE handle, ...)
{
	efi_va_list ap;
	EFI_STATUS ret;

	efi_va_start(ap, handle);
	ret = uninstall_multiple(handle, ap);
	efi_va_end(ap);
	return ret;
}

static EFI_STATUS EFIAPI connect_controller(EFI_HANDLE controller, EFI_HANDLE *drivers,
					    EFI_DEVICE_PATH *remaining, BOOLEAN recursive)
{
	return find_handle(controller) ? EFI_NOT_FOUND : EFI_INVALID_PARAMETER; /* no drivers */
}

static EFI_STATUS EFIAPI disconnect_controller(EFI_HANDLE controller, EFI_HANDLE driver,
					       EFI_HANDLE child)
{
	return find_handle(controller) ? EFI_SUCCESS : EFI_INVALID_PARAMETER; /* none connected */
}

static EFI_STATUS EFIAPI register_protocol_notify(EFI_GUID *guid, EFI_EVENT event,
						  VOID **registration)
{
	return EFI_UNSUPPORTED;
}

void efi_handle_services(EFI_BOOT_SERVICES *bs)
{
	bs->InstallProtocolInterface = install_protocol_interface;
	bs->ReinstallProtocolInterface = reinstall_protocol_interface;
	bs->UninstallProtocolInterface = uninstall_protocol_interface;
	bs->HandleProtocol = handle_protocol;
	bs->RegisterProtocolNotify = register_protocol_notify;
	bs->LocateHandle = locate_handle;
	bs->LocateDevicePath = locate_device_path;
	bs->ConnectController = connect_controller;
	bs->DisconnectController = disconnect_controller;
	bs->OpenProtocol = open_protocol;
	bs->CloseProtocol = close_protocol;
	bs->OpenProtocolInformation = open_protocol_information;
	bs->ProtocolsPerHandle = protocols_per_handle;
	bs->LocateHandleBuffer = locate_handle_buffer;
	bs->LocateProtocol = locate_protocol;
	bs->InstallMultipleProtocolInterfaces = install_multiple_protocol_interfaces;
	bs->UninstallMultipleProtocolInterfaces = uninstall_multiple_protocol_interfaces;
}
