// SPDX-License-Identifier: MIT
/*
 * Walking a '/'-separated path, for the filesystem drivers (apart from
 * fs/fs.c, which calls them).
 */
#include "fs_internal.h"

enum fs_path_step fs_path_next(const char **p, const char **name, size_t *len)
{
	const char *s = *p;

	while (*s == '/')
		s++;
	*name = s;
	while (*s && *s != '/')
		s++;
	*len = (size_t)(s - *name);
	*p = s;
	if (!*len)
		return FS_PATH_END;
	if (*len == 1 && (*name)[0] == '.')
		return FS_PATH_DOT;
	if (*len == 2 && (*name)[0] == '.' && (*name)[1] == '.')
		return FS_PATH_DOTDOT;
	return FS_PATH_NAME;
}
