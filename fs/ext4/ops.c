// SPDX-License-Identifier: MIT
/* The fs_driver of ext4: its table, and the ls, stat and read operations. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/log.h>
#include "ext4.h"

static enum fs_dt inode_type(const struct ext4_inode *in)
{
	if (ext4_is_dir(in))
		return FS_DT_DIR;
	if (ext4_is_lnk(in))
		return FS_DT_LNK;
	if (ext4_is_reg(in))
		return FS_DT_REG;
	return FS_DT_OTHER;
}

static enum fs_dt ftype_to_dt(uint8_t ft)
{
	switch (ft) {
	case 1:
		return FS_DT_REG;
	case 2:
		return FS_DT_DIR;
	case 7:
		return FS_DT_LNK;
	default:
		return FS_DT_OTHER;
	}
}

struct ls_arg {
	struct ext4_fs *fs;
	struct ext4_inode child;
	fs_dir_cb cb;
	void *arg;
};

static int ls_cb(void *arg, const char *name, size_t name_len, uint32_t ino, uint8_t ftype)
{
	struct ls_arg *la = arg;
	char buf[256];
	enum fs_dt type = ftype_to_dt(ftype);
	uint64_t size = 0;

	memcpy(buf, name, name_len); /* name_len <= 255: checked by the dirent parser */
	buf[name_len] = '\0';
	/* A broken inode spoils its own line, not the whole listing. */
	if (!ext4_read_inode(la->fs, ino, &la->child)) {
		type = inode_type(&la->child);
		size = la->child.size;
	}
	return la->cb(la->arg, buf, type, size);
}

static int ext4_ops_ls(void *priv, const char *path, fs_dir_cb cb, void *arg)
{
	static struct ls_arg la; /* two inodes: keep them off the stack */
	int ret;

	la.fs = priv;
	la.cb = cb;
	la.arg = arg;
	ret = ext4_lookup_path(priv, path, true, &la.child);
	if (ret)
		return ret;
	if (!ext4_is_dir(&la.child))
		return -ENOTDIR;
	{
		static struct ext4_inode dir;

		dir = la.child;
		ret = ext4_iterate_dir(priv, &dir, ls_cb, &la);
	}
	return ret > 0 ? 0 : ret;
}

static int ext4_ops_stat(void *priv, const char *path, enum fs_dt *type, uint64_t *size)
{
	static struct ext4_inode in;
	int ret = ext4_lookup_path(priv, path, true, &in);

	if (ret)
		return ret;
	*type = inode_type(&in);
	*size = in.size;
	return 0;
}

static int ext4_ops_read(void *priv, const char *path, void *buf, uint64_t pos, uint64_t len,
			 uint64_t *actread)
{
	static struct ext4_inode in;
	int ret = ext4_lookup_path(priv, path, true, &in);

	*actread = 0;
	if (ret)
		return ret;
	if (ext4_is_dir(&in))
		return -EISDIR;
	if (!ext4_is_reg(&in))
		return -EINVAL;
	if (pos > in.size) {
		printf("** Offset 0x%llx is beyond the end of %s (0x%llx bytes) **\n",
		       (unsigned long long)pos, path, (unsigned long long)in.size);
		return -EINVAL;
	}
	if (!len || len > in.size - pos)
		len = in.size - pos;
	ret = ext4_read_data(priv, &in, buf, pos, len);
	if (!ret)
		*actread = len;
	return ret;
}

const struct fs_driver fs_driver_ext4 = {
    .name = "ext4",
    .probe = ext4_probe,
    .close = ext4_close,
    .ls = ext4_ops_ls,
    .stat = ext4_ops_stat,
    .read = ext4_ops_read,
    .uuid = ext4_uuid,
};
