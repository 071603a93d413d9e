// SPDX-License-Identifier: MIT
/*
 * EFI_FILE_PROTOCOL over pvboot's filesystems (FAT and ext4, read-only):
 * what SimpleFileSystem's OpenVolume returns. A file is its absolute path
 * on its volume, its size and a position; a directory's position is the
 * index of the next entry Read returns. The protocol an image sees lives in
 * pool memory, the rest in pvboot's heap, found again from This.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/blk.h>
#include <pvboot/fs.h>
#include "efi_internal.h"

#define PATH_BYTES (EFI_FILE_PATH_MAX * 3 + 1) /* UTF-8 of the longest UTF-16 path */

struct efi_file {
	struct efi_file *next;
	EFI_FILE_PROTOCOL *proto;
	struct efi_disk *disk;
	char path[PATH_BYTES]; /* "/" or "/a/b" */
	bool dir;
	uint64_t size, pos;
};

static const EFI_GUID file_info_guid = EFI_FILE_INFO_ID;
static const EFI_GUID fs_info_guid = EFI_FILE_SYSTEM_INFO_ID;
static const EFI_GUID label_guid = EFI_FILE_SYSTEM_VOLUME_LABEL_ID;

static struct efi_file *files;

static struct efi_file *find_file(EFI_FILE_PROTOCOL *p)
{
	for (struct efi_file *f = files; f; f = f->next)
		if (p && f->proto == p)
			return f;
	return NULL;
}

/* Its disk was removed (a backend went away): the file reads nothing more. */
static bool disk_gone(const struct efi_file *f)
{
	return !f->disk->dev;
}

static void free_file(struct efi_file *f)
{
	struct efi_file **pp = &files;

	while (*pp != f)
		pp = &(*pp)->next;
	*pp = f->next;
	efi_pool_free(f->proto);
	free(f);
}

void efi_files_exit(void)
{
	while (files)
		free_file(files);
}

static EFI_STATUS fs_status(int err)
{
	switch (err) {
	case 0:
		return EFI_SUCCESS;
	case -ENOENT:
	case -ENOTDIR:
	case -ELOOP:
	case -ENAMETOOLONG:
		return EFI_NOT_FOUND;
	case -ENOMEM:
		return EFI_OUT_OF_RESOURCES;
	case -EUCLEAN:
		return EFI_VOLUME_CORRUPTED;
	default:
		return EFI_DEVICE_ERROR;
	}
}

/*
 * name (UTF-16, '\' or '/' between components) relative to base, or from
 * the root if it starts with one, with "." and ".." resolved, into out.
 */
static EFI_STATUS join_path(const char *base, const CHAR16 *name, char *out)
{
	char *tmp = malloc(PATH_BYTES), *p, *c;
	size_t len;
	EFI_STATUS ret = EFI_NOT_FOUND;

	if (!tmp)
		return EFI_OUT_OF_RESOURCES;
	if (efi_utf16_to_utf8(name, EFI_FILE_PATH_MAX, tmp, PATH_BYTES) < 0)
		goto out; /* longer than any path pvboot keeps */
	for (p = tmp; *p; p++)
		if (*p == '\\')
			*p = '/';
	if (tmp[0] == '/')
		out[0] = '\0';
	else
		strcpy(out, strcmp(base, "/") ? base : "");
	for (p = tmp; (c = strsep(&p, "/"));) {
		if (!*c || !strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			char *slash = strrchr(out, '/');

			if (!slash)
				goto out; /* above the root */
			*slash = '\0';
			continue;
		}
		len = strlen(out);
		if (len + 1 + strlen(c) + 1 > PATH_BYTES)
			goto out;
		out[len] = '/';
		strcpy(out + len + 1, c);
	}
	if (!out[0])
		strcpy(out, "/");
	ret = EFI_SUCCESS;
out:
	free(tmp);
	return ret;
}

static EFI_FILE_PROTOCOL file_proto_template;

static EFI_STATUS new_file(struct efi_disk *d, const char *path, EFI_FILE_PROTOCOL **out)
{
	struct efi_file *f = calloc(1, sizeof(*f));
	enum fs_dt type;
	EFI_STATUS ret = EFI_OUT_OF_RESOURCES;

	if (!f || efi_pool_alloc(EfiBootServicesData, sizeof(*f->proto), (void **)&f->proto))
		goto fail;
	ret = fs_status(fs_mount_stat(d->fs, path, &type, &f->size));
	if (ret)
		goto fail;
	*f->proto = file_proto_template;
	f->disk = d;
	f->dir = type == FS_DT_DIR;
	strcpy(f->path, path);
	f->next = files;
	files = f;
	*out = f->proto;
	return EFI_SUCCESS;
fail:
	if (f && f->proto)
		efi_pool_free(f->proto);
	free(f);
	return ret;
}

EFI_STATUS efi_file_open_root(struct efi_disk *d, EFI_FILE_PROTOCOL **root)
{
	return new_file(d, "/", root);
}

static EFI_STATUS EFIAPI file_open(EFI_FILE_PROTOCOL *this, EFI_FILE_PROTOCOL **out, CHAR16 *name,
				   UINT64 mode, UINT64 attrs)
{
	struct efi_file *f = find_file(this);
	char *path;
	EFI_STATUS ret;

	if (!f || !out || !name)
		return EFI_INVALID_PARAMETER;
	if (disk_gone(f))
		return EFI_NO_MEDIA;
	if (mode != EFI_FILE_MODE_READ && mode != (EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE) &&
	    mode != (EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE))
		return EFI_INVALID_PARAMETER;
	if (mode != EFI_FILE_MODE_READ)
		return EFI_WRITE_PROTECTED; /* pvboot's filesystems are read-only */
	path = malloc(PATH_BYTES);
	if (!path)
		return EFI_OUT_OF_RESOURCES;
	ret = join_path(f->path, name, path);
	if (!ret)
		ret = new_file(f->disk, path, out);
	free(path);
	return ret;
}

static EFI_STATUS EFIAPI file_close(EFI_FILE_PROTOCOL *this)
{
	struct efi_file *f = find_file(this);

	if (!f)
		return EFI_INVALID_PARAMETER;
	free_file(f);
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI file_delete(EFI_FILE_PROTOCOL *this)
{
	EFI_STATUS ret = file_close(this);

	return ret ? ret : EFI_WARN_DELETE_FAILURE;
}

/* The index-th entry of a directory. */
struct dir_pick {
	uint64_t skip;
	bool found;
	char name[256];
	enum fs_dt type;
	uint64_t size;
};

static int pick_entry(void *arg, const char *name, enum fs_dt type, uint64_t size)
{
	struct dir_pick *d = arg;

	if (d->skip) {
		d->skip--;
		return 0;
	}
	d->found = true;
	strncpy(d->name, name, sizeof(d->name) - 1);
	d->name[sizeof(d->name) - 1] = '\0';
	d->type = type;
	d->size = size;
	return 1;
}

/* An EFI_FILE_INFO for name into buf, or the size it needs in *size. */
static EFI_STATUS put_file_info(const char *name, bool dir, uint64_t fsize, UINTN *size, void *buf)
{
	CHAR16 uname[EFI_FILE_PATH_MAX];
	size_t n = efi_utf8_to_utf16(name, uname, ARRAY_SIZE(uname));
	EFI_FILE_INFO info;
	UINTN need;

	if (n == SIZE_MAX)
		return EFI_DEVICE_ERROR;
	need = SIZE_OF_EFI_FILE_INFO + (n + 1) * sizeof(CHAR16);
	if (*size < need || !buf) {
		*size = need;
		return EFI_BUFFER_TOO_SMALL;
	}
	memset(&info, 0, sizeof(info));
	info.Size = need;
	info.FileSize = fsize;
	info.PhysicalSize = fsize;
	info.Attribute = EFI_FILE_READ_ONLY | (dir ? EFI_FILE_DIRECTORY : 0);
	memcpy(buf, &info, SIZE_OF_EFI_FILE_INFO);
	memcpy((uint8_t *)buf + SIZE_OF_EFI_FILE_INFO, uname, (n + 1) * sizeof(CHAR16));
	*size = need;
	return EFI_SUCCESS;
}

static EFI_STATUS read_dir(struct efi_file *f, UINTN *size, void *buf)
{
	struct dir_pick *d = calloc(1, sizeof(*d));
	EFI_STATUS ret;

	if (!d)
		return EFI_OUT_OF_RESOURCES;
	d->skip = f->pos;
	ret = fs_status(fs_mount_ls(f->disk->fs, f->path, pick_entry, d));
	if (!ret && !d->found) {
		*size = 0; /* the end of the directory */
	} else if (!ret) {
		bool dir = d->type == FS_DT_DIR;

		if (d->type == FS_DT_LNK) { /* what it points to, as a program would see it */
			char *full = malloc(PATH_BYTES);

			if (full && strlen(f->path) + 1 + strlen(d->name) < PATH_BYTES) {
				strcpy(full, strcmp(f->path, "/") ? f->path : "");
				strcat(full, "/");
				strcat(full, d->name);
				if (!fs_mount_stat(f->disk->fs, full, &d->type, &d->size))
					dir = d->type == FS_DT_DIR;
			}
			free(full);
		}
		ret = put_file_info(d->name, dir, dir ? 0 : d->size, size, buf);
		if (!ret)
			f->pos++;
	}
	free(d);
	return ret;
}

static EFI_STATUS EFIAPI file_read(EFI_FILE_PROTOCOL *this, UINTN *size, VOID *buf)
{
	struct efi_file *f = find_file(this);
	uint64_t n, done;
	EFI_STATUS ret;

	if (!f || !size)
		return EFI_INVALID_PARAMETER;
	if (disk_gone(f))
		return EFI_NO_MEDIA;
	if (f->dir)
		return read_dir(f, size, buf);
	if (f->pos >= f->size || !*size) {
		*size = 0;
		return EFI_SUCCESS;
	}
	if (!buf)
		return EFI_INVALID_PARAMETER;
	n = MIN((uint64_t)*size, f->size - f->pos);
	ret = fs_status(fs_mount_read(f->disk->fs, f->path, buf, f->pos, n, &done));
	if (ret)
		return ret;
	f->pos += done;
	*size = done;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI file_write(EFI_FILE_PROTOCOL *this, UINTN *size, VOID *buf)
{
	return find_file(this) ? EFI_WRITE_PROTECTED : EFI_INVALID_PARAMETER;
}

static EFI_STATUS EFIAPI file_get_pos(EFI_FILE_PROTOCOL *this, UINT64 *pos)
{
	struct efi_file *f = find_file(this);

	if (!f || !pos)
		return EFI_INVALID_PARAMETER;
	if (f->dir)
		return EFI_UNSUPPORTED;
	*pos = f->pos;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI file_set_pos(EFI_FILE_PROTOCOL *this, UINT64 pos)
{
	struct efi_file *f = find_file(this);

	if (!f)
		return EFI_INVALID_PARAMETER;
	if (f->dir) {
		if (pos)
			return EFI_UNSUPPORTED; /* a directory can only start again */
		f->pos = 0;
		return EFI_SUCCESS;
	}
	f->pos = pos == UINT64_MAX ? f->size : pos; /* past the end is allowed: reads get 0 */
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI file_get_info(EFI_FILE_PROTOCOL *this, EFI_GUID *type, UINTN *size,
				       VOID *buf)
{
	struct efi_file *f = find_file(this);
	EFI_FILE_SYSTEM_INFO fsi;
	UINTN need;

	if (!f || !type || !size)
		return EFI_INVALID_PARAMETER;
	if (disk_gone(f))
		return EFI_NO_MEDIA;
	if (efi_guid_eq(type, &file_info_guid))
		return put_file_info(strrchr(f->path, '/') + 1, f->dir, f->dir ? 0 : f->size, size,
				     buf);
	if (efi_guid_eq(type, &label_guid)) {
		need = sizeof(CHAR16); /* no label: "" */
		if (*size < need || !buf) {
			*size = need;
			return EFI_BUFFER_TOO_SMALL;
		}
		memset(buf, 0, need);
		*size = need;
		return EFI_SUCCESS;
	}
	if (!efi_guid_eq(type, &fs_info_guid))
		return EFI_UNSUPPORTED;
	need = SIZE_OF_EFI_FILE_SYSTEM_INFO + sizeof(CHAR16);
	if (*size < need || !buf) {
		*size = need;
		return EFI_BUFFER_TOO_SMALL;
	}
	memset(&fsi, 0, sizeof(fsi));
	fsi.Size = need;
	fsi.ReadOnly = 1;
	fsi.VolumeSize = f->disk->nblocks * f->disk->dev->blksz;
	fsi.FreeSpace = 0;
	fsi.BlockSize = f->disk->dev->blksz;
	memcpy(buf, &fsi, need); /* VolumeLabel[0] is the "" label */
	*size = need;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI file_set_info(EFI_FILE_PROTOCOL *this, EFI_GUID *type, UINTN size,
				       VOID *buf)
{
	return find_file(this) ? EFI_WRITE_PROTECTED : EFI_INVALID_PARAMETER;
}

static EFI_STATUS EFIAPI file_flush(EFI_FILE_PROTOCOL *this)
{
	return find_file(this) ? EFI_SUCCESS : EFI_INVALID_PARAMETER; /* nothing is written */
}

/* Revision 1: no asynchronous OpenEx/ReadEx/WriteEx/FlushEx. */
static EFI_FILE_PROTOCOL file_proto_template = {
    .Revision = EFI_FILE_PROTOCOL_REVISION,
    .Open = file_open,
    .Close = file_close,
    .Delete = file_delete,
    .Read = file_read,
    .Write = file_write,
    .GetPosition = file_get_pos,
    .SetPosition = file_set_pos,
    .GetInfo = file_get_info,
    .SetInfo = file_set_info,
    .Flush = file_flush,
};
