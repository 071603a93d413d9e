// SPDX-License-Identifier: MIT
/*
 * gzip'd kernels through zlib's inflate (Debian zlib1g; no inflate of our
 * own). Two uses: gunzip_measure() runs the whole stream through a small
 * scratch window to learn its real inflated length (and its first bytes, the
 * Image header) without writing anywhere the caller has not got; gunzip()
 * then inflates for real into room that was checked against that length.
 * zlib checks the gzip trailer (CRC-32 and length) either way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
/* Where a measuring pass lets zlib write, over and over. */
#define SCRATCH_SIZE (64u << 10)

struct inflate_out {
	uint8_t *dst; /* NULL: measure only, into scratch */
	size_t max;   /* bytes the output may have in all */
	uint8_t *scratch;
	uint8_t *head; /* measuring: the first head_len bytes of output land here */
	size_t head_len;
	bool interruptible;
};

/* Point zlib at the next piece of output: dst itself, or the scratch window again. */
static void next_out(z_stream *zs, const struct inflate_out *o, size_t *piece_start)
{
	size_t left = o->max - zs->total_out;

	*piece_start = zs->total_out;
	if (o->dst) {
		zs->next_out = o->dst + zs->total_out;
		zs->avail_out = (uInt)MIN(left, (size_t)Z_CHUNK);
	} else {
		zs->next_out = o->scratch;
		zs->avail_out = (uInt)MIN(left, (size_t)SCRATCH_SIZE);
	}
}

/* Measuring: keep what of [0, head_len) the last inflate() call put in scratch. */
static void keep_head(const z_stream *zs, const struct inflate_out *o, size_t piece_start)
{
	if (o->dst || piece_start >= o->head_len)
		return;
	memcpy(o->head + piece_start, o->scratch,
	       MIN((size_t)zs->total_out, o->head_len) - piece_start);
}

static int run_inflate(const void *src, size_t src_max, const struct inflate_out *o,
		       size_t *out_len)
{
	z_stream zs = {.zalloc = z_alloc, .zfree = z_free};
	size_t in_left = src_max, piece_start = 0;
	int ret;

	*out_len = 0;
	if (!is_gzip(src, src_max)) {
		printf("gunzip: no gzip header\n");
		return -EINVAL;
	}
	zs.next_in = (Bytef *)src;
	/* 16 + MAX_WBITS: gzip wrapper only, header and CRC32/ISIZE trailer checked by zlib. */
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		printf("gunzip: out of memory\n");
		return -ENOMEM;
	}
	do {
		if (!zs.avail_in) {
			zs.avail_in = (uInt)MIN(in_left, (size_t)Z_CHUNK);
			in_left -= zs.avail_in;
		}
		if (!zs.avail_out)
			next_out(&zs, o, &piece_start);
		ret = inflate(&zs, Z_NO_FLUSH);
		keep_head(&zs, o, piece_start);
		if (o->interruptible && ctrlc()) {
			ret = Z_ERRNO;
			break;
		}
	} while (ret == Z_OK && (zs.avail_in || in_left) &&
		 (zs.avail_out || zs.total_out < o->max));

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
		if (!zs.avail_out && zs.total_out == o->max) {
			printf("gunzip: uncompressed data does not fit in %zu bytes\n", o->max);
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

int gunzip(void *dst, size_t dst_max, const void *src, size_t src_max, size_t *out_len)
{
	const struct inflate_out o = {.dst = dst, .max = dst_max};

	return run_inflate(src, src_max, &o, out_len);
}

int gunzip_measure(const void *src, size_t src_max, size_t out_max, void *head, size_t head_len,
		   size_t *out_len)
{
	struct inflate_out o = {.max = out_max,
				.head = head,
				.head_len = MIN(head_len, out_max),
				.interruptible = true};
	int err;

	o.scratch = malloc(SCRATCH_SIZE);
	if (!o.scratch) {
		printf("gunzip: out of memory\n");
		return -ENOMEM;
	}
	memset(head, 0, head_len);
	err = run_inflate(src, src_max, &o, out_len);
	free(o.scratch);
	return err;
}
