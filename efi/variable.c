// SPDX-License-Identifier: MIT
/*
 * UEFI variables, volatile: kept in pvboot's heap while boot services run
 * and gone when pvboot hands off or the image returns (there is no store
 * that survives a reboot yet; non-volatile variables are accepted and kept
 * only as long). Names and sizes are bounded; authenticated writes are not
 * offered.
 */
#include <stdlib.h>
#include <string.h>
#include "efi_internal.h"

#define MAX_NAME 512 /* characters, with the NUL */
#define MAX_DATA SZ_64K
#define MAX_TOTAL (256 * SZ_1K)
#define ACCESS (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)
#define KNOWN_ATTRS (EFI_VARIABLE_NON_VOLATILE | ACCESS | EFI_VARIABLE_APPEND_WRITE)

struct efi_var {
	struct efi_var *next;
	EFI_GUID guid;
	UINT32 attrs;
	size_t name_len; /* characters with the NUL */
	size_t size;
	CHAR16 *name;
	uint8_t *data;
};

static struct efi_var *vars;
static size_t total;

/* Characters with the NUL, or 0 if there is none within MAX_NAME (or max). */
static size_t name_len(const CHAR16 *name, size_t max)
{
	for (size_t i = 0; i < MIN(max, (size_t)MAX_NAME); i++)
		if (!name[i])
			return i + 1;
	return 0;
}

static struct efi_var *find(const CHAR16 *name, size_t len, const EFI_GUID *guid)
{
	for (struct efi_var *v = vars; v; v = v->next)
		if (v->name_len == len && efi_guid_eq(&v->guid, guid) &&
		    !memcmp(v->name, name, len * sizeof(CHAR16)))
			return v;
	return NULL;
}

static void drop(struct efi_var *v)
{
	struct efi_var **pp = &vars;

	while (*pp != v)
		pp = &(*pp)->next;
	*pp = v->next;
	total -= v->size + v->name_len * sizeof(CHAR16);
	free(v->name);
	free(v->data);
	free(v);
}

void efi_variables_exit(void)
{
	while (vars)
		drop(vars);
}

static EFI_STATUS EFIAPI get_variable(CHAR16 *name, EFI_GUID *guid, UINT32 *attrs, UINTN *size,
				      VOID *data)
{
	size_t len = name ? name_len(name, MAX_NAME) : 0;
	struct efi_var *v;

	if (!len || !guid || !size)
		return EFI_INVALID_PARAMETER;
	v = find(name, len, guid);
	if (!v)
		return EFI_NOT_FOUND;
	if (*size < v->size) {
		*size = v->size;
		return EFI_BUFFER_TOO_SMALL;
	}
	if (!data)
		return EFI_INVALID_PARAMETER;
	memcpy(data, v->data, v->size);
	*size = v->size;
	if (attrs)
		*attrs = v->attrs;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI get_next_variable_name(UINTN *size, CHAR16 *name, EFI_GUID *guid)
{
	size_t len;
	struct efi_var *v;

	if (!size || !name || !guid)
		return EFI_INVALID_PARAMETER;
	len = name_len(name, *size / sizeof(CHAR16));
	if (!len)
		return EFI_INVALID_PARAMETER;
	if (len == 1) {
		v = vars;
	} else {
		v = find(name, len, guid);
		if (!v)
			return EFI_INVALID_PARAMETER;
		v = v->next;
	}
	if (!v)
		return EFI_NOT_FOUND;
	if (*size < v->name_len * sizeof(CHAR16)) {
		*size = v->name_len * sizeof(CHAR16);
		return EFI_BUFFER_TOO_SMALL;
	}
	memcpy(name, v->name, v->name_len * sizeof(CHAR16));
	*guid = v->guid;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI set_variable(CHAR16 *name, EFI_GUID *guid, UINT32 attrs, UINTN size,
				      VOID *data)
{
	size_t len = name ? name_len(name, MAX_NAME) : 0;
	bool append = attrs & EFI_VARIABLE_APPEND_WRITE;
	struct efi_var *v;
	size_t newsize;
	uint8_t *nd;

	if (len < 2 || !guid || (size && !data))
		return EFI_INVALID_PARAMETER;
	if (attrs & ~KNOWN_ATTRS)
		return EFI_UNSUPPORTED; /* authenticated variables, hardware error records */
	if ((attrs & EFI_VARIABLE_RUNTIME_ACCESS) && !(attrs & EFI_VARIABLE_BOOTSERVICE_ACCESS))
		return EFI_INVALID_PARAMETER;
	v = find(name, len, guid);
	attrs &= ~EFI_VARIABLE_APPEND_WRITE;
	if (!(attrs & ACCESS) || (!size && !append)) { /* delete */
		if (!v)
			return EFI_NOT_FOUND;
		drop(v);
		return EFI_SUCCESS;
	}
	if (v && v->attrs != attrs)
		return EFI_INVALID_PARAMETER;
	if (size > MAX_DATA || (v && append && v->size + size > MAX_DATA) ||
	    total + size + (v ? 0 : len * sizeof(CHAR16)) > MAX_TOTAL)
		return EFI_OUT_OF_RESOURCES;
	newsize = (v && append ? v->size : 0) + size;
	nd = malloc(newsize + 1);
	if (!nd)
		return EFI_OUT_OF_RESOURCES;
	if (v && append)
		memcpy(nd, v->data, v->size);
	memcpy(nd + newsize - size, data, size);
	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v || !(v->name = malloc(len * sizeof(CHAR16)))) {
			free(v);
			free(nd);
			return EFI_OUT_OF_RESOURCES;
		}
		memcpy(v->name, name, len * sizeof(CHAR16));
		*v = (struct efi_var){vars, *guid, attrs, len, 0, v->name, NULL};
		vars = v;
		total += len * sizeof(CHAR16);
	}
	total += newsize - v->size;
	free(v->data);
	v->data = nd;
	v->size = newsize;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI query_variable_info(UINT32 attrs, UINT64 *max_storage, UINT64 *remaining,
					     UINT64 *max_size)
{
	if (!max_storage || !remaining || !max_size || !(attrs & ACCESS))
		return EFI_INVALID_PARAMETER;
	*max_storage = MAX_TOTAL;
	*remaining = MAX_TOTAL - total;
	*max_size = MAX_DATA;
	return EFI_SUCCESS;
}

void efi_variable_services(EFI_RUNTIME_SERVICES *rt)
{
	rt->GetVariable = get_variable;
	rt->GetNextVariableName = get_next_variable_name;
	rt->SetVariable = set_variable;
	rt->QueryVariableInfo = query_variable_info;
}
