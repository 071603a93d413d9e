// SPDX-License-Identifier: MIT
/* Short words for errno values, for messages like "read failed: timed out". */
#include <errno.h>
#include <pvboot/compiler.h>
#include <pvboot/errstr.h>

static const char *const errstr[] = {
    [EPERM] = "operation not permitted",
    [ENOENT] = "no such file or directory",
    [ESRCH] = "no such entry",
    [EINTR] = "interrupted",
    [EIO] = "I/O error",
    [ENXIO] = "no such device or address",
    [E2BIG] = "argument list too long",
    [ENOEXEC] = "bad executable format",
    [EBADF] = "bad handle",
    [EAGAIN] = "try again",
    [ENOMEM] = "out of memory",
    [EACCES] = "permission denied",
    [EFAULT] = "bad address",
    [EBUSY] = "busy",
    [EEXIST] = "already exists",
    [EXDEV] = "cross-device link",
    [ENODEV] = "no such device",
    [ENOTDIR] = "not a directory",
    [EISDIR] = "is a directory",
    [EINVAL] = "invalid argument",
    [ENFILE] = "too many open files",
    [EMFILE] = "too many open files",
    [EFBIG] = "file too large",
    [ENOSPC] = "no space left",
    [ESPIPE] = "illegal seek",
    [EROFS] = "read-only",
    [EMLINK] = "too many links",
    [EPIPE] = "broken pipe",
    [ERANGE] = "out of range",
    [ENAMETOOLONG] = "name too long",
    [ENOSYS] = "not implemented",
    [ENOTEMPTY] = "directory not empty",
    [ELOOP] = "too many symbolic links",
    [ENODATA] = "no data",
    [ETIME] = "timer expired",
    [EPROTO] = "protocol error",
    [EBADMSG] = "bad message",
    [EOVERFLOW] = "value too large",
    [EILSEQ] = "illegal byte sequence",
    [EOPNOTSUPP] = "not supported",
    [ECONNRESET] = "connection reset",
    [ENOBUFS] = "no buffer space",
    [EISCONN] = "already connected",
    [ENOTCONN] = "not connected",
    [ESHUTDOWN] = "shut down",
    [ETIMEDOUT] = "timed out",
    [ECONNREFUSED] = "connection refused",
    [EALREADY] = "already in progress",
    [EUCLEAN] = "corrupted data",
    [ENOMEDIUM] = "no medium",
    [ECANCELED] = "cancelled",
};

const char *errno_str(int err)
{
	unsigned int e = err < 0 ? 0U - (unsigned int)err : (unsigned int)err;

	if (e == 0)
		return "success";
	if (e < ARRAY_SIZE(errstr) && errstr[e])
		return errstr[e];
	return "unknown error";
}
