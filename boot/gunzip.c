// SPDX-License-Identifier: MIT
/* gzip'd kernels through zlib's inflate (Debian zlib1g; no inflate of our own). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>
#include <pvboot/console.h>
#include <pvboot/image.h>

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
	if (size && items > (uInt)-1 / size)
		return Z_NULL;
	return calloc(items, size);
}

static void z_free(voidpf opaque, voidpf p)
{
	free(p);
}

/* zlib's avail_in/avail_out are 32-bit: feed it in chunks. */
#define Z_CHUNK (1u << 30)

int gunzip(void *dst, size_t dst_max, const void *src, size_t src_max, size_t *out_len)
{
	z_stream zs = {.zalloc = z_alloc, .zfree = z_free};
	size_t in_left = src_max, out_left = dst_max;
	int ret;

	if (!is_gzip(src, src_max)) {
		printf("gunzip: no gzip header\n");
		return -EINVAL;
	}
	zs.next_in = (Bytef *)src;
	zs.next_out = dst;
	/* 16 + MAX_WBITS: gzip wrapper only, header and CRC32/ISIZE trailer checked by zlib. */
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		printf("gunzip: out of memory\n");
		return -ENOMEM;
	}
	do {
		if (!zs.avail_in) {
			zs.avail_in = in_left > Z_CHUNK ? Z_CHUNK : in_left;
			in_left -= zs.avail_in;
		}
		if (!zs.avail_out) {
			zs.avail_out = out_left > Z_CHUNK ? Z_CHUNK : out_left;
			out_left -= zs.avail_out;
		}
		ret = inflate(&zs, Z_NO_FLUSH);
		if (ctrlc()) {
			ret = Z_ERRNO;
			break;
		}
	} while (ret == Z_OK && (zs.avail_in || in_left) && (zs.avail_out || out_left));

	*out_len = zs.total_out;
	inflateEnd(&zs);
	switch (ret) {
	case Z_STREAM_END:
		return 0;
	case Z_ERRNO:
		printf("gunzip: interrupted\n");
		return -EINTR;
	case Z_OK:
	case Z_BUF_ERROR:
		if (!zs.avail_out && !out_left) {
			printf("gunzip: uncompressed data does not fit in %zu bytes\n", dst_max);
			return -EFBIG;
		}
		printf("gunzip: compressed data is truncated (%zu bytes in, %lu out)\n", src_max,
		       (unsigned long)zs.total_out);
		return -EIO;
	default:
		printf("gunzip: corrupt gzip stream: %s\n", zs.msg ? zs.msg : "error");
		return -EIO;
	}
}
