// SPDX-License-Identifier: MIT
/*
 * Short words for errno values, for messages like "read failed: timed out".
 * A switch rather than a pointer table: in a position-independent image
 * every stored pointer costs a 24-byte relocation, string literals
 * referenced from code cost nothing.
 */
#include <errno.h>
#include <pvboot/errstr.h>

const char *errno_str(int err)
{
	unsigned int e = err < 0 ? 0U - (unsigned int)err : (unsigned int)err;

	switch (e) {
	case 0:
		return "success";
	case EPERM:
		return "operation not permitted";
	case ENOENT:
		return "no such file or directory";
	case ESRCH:
		return "no such entry";
	case EINTR:
		return "interrupted";
	case EIO:
		return "I/O error";
	case ENXIO:
		return "no such device or address";
	case E2BIG:
		return "argument list too long";
	case ENOEXEC:
		return "bad executable format";
	case EBADF:
		return "bad handle";
	case EAGAIN:
		return "try again";
	case ENOMEM:
		return "out of memory";
	case EACCES:
		return "permission denied";
	case EFAULT:
		return "bad address";
	case EBUSY:
		return "busy";
	case EEXIST:
		return "already exists";
	case EXDEV:
		return "cross-device link";
	case ENODEV:
		return "no such device";
	case ENOTDIR:
		return "not a directory";
	case EISDIR:
		return "is a directory";
	case EINVAL:
		return "invalid argument";
	case ENFILE:
		return "too many open files";
	case EMFILE:
		return "too many open files";
	case EFBIG:
		return "file too large";
	case ENOSPC:
		return "no space left";
	case ESPIPE:
		return "illegal seek";
	case EROFS:
		return "read-only";
	case EMLINK:
		return "too many links";
	case EPIPE:
		return "broken pipe";
	case ERANGE:
		return "out of range";
	case ENAMETOOLONG:
		return "name too long";
	case ENOSYS:
		return "not implemented";
	case ENOTEMPTY:
		return "directory not empty";
	case ELOOP:
		return "too many symbolic links";
	case ENODATA:
		return "no data";
	case ETIME:
		return "timer expired";
	case EPROTO:
		return "protocol error";
	case EBADMSG:
		return "bad message";
	case EOVERFLOW:
		return "value too large";
	case EILSEQ:
		return "illegal byte sequence";
	case EMSGSIZE:
		return "message too long";
	case EPROTONOSUPPORT:
		return "protocol not supported";
	case EOPNOTSUPP:
		return "not supported";
	case EADDRINUSE:
		return "address in use";
	case EADDRNOTAVAIL:
		return "no address";
	case ENETDOWN:
		return "network is down";
	case ENETUNREACH:
		return "network unreachable";
	case ECONNRESET:
		return "connection reset";
	case ENOBUFS:
		return "no buffer space";
	case EISCONN:
		return "already connected";
	case ENOTCONN:
		return "not connected";
	case ESHUTDOWN:
		return "shut down";
	case ETIMEDOUT:
		return "timed out";
	case ECONNREFUSED:
		return "connection refused";
	case EHOSTUNREACH:
		return "host unreachable";
	case EALREADY:
		return "already in progress";
	case EUCLEAN:
		return "corrupted data";
	case ENOMEDIUM:
		return "no medium";
	case EMEDIUMTYPE:
		return "wrong medium type";
	case ECANCELED:
		return "cancelled";
	default:
		return "unknown error";
	}
}
