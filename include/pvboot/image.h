/* SPDX-License-Identifier: MIT */
/* The arm64 Linux Image header (Documentation/arch/arm64/booting.rst). */
#ifndef PVBOOT_IMAGE_H
#define PVBOOT_IMAGE_H

#include <errno.h>
#include <stdio.h>
#include <pvboot/compiler.h>

#define ARM64_IMAGE_MAGIC 0x644d5241 /* "ARM\x64", little endian */
#define ARM64_IMAGE_FLAG_BE (1u << 0)
#define ARM64_IMAGE_FLAG_ANYWHERE (1u << 3)

struct arm64_image_header {
	uint32_t code0;
	uint32_t code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint64_t res2, res3, res4;
	uint32_t magic;
	uint32_t res5;
};

struct arm64_image_info {
	uint64_t text_offset;
	uint64_t image_size; /* bytes the kernel needs from its load address (incl. bss) */
};

/* Validate a header; fill info. 0 or -ENOEXEC with a message printed. */
int arm64_image_check(const void *hdr, size_t avail, struct arm64_image_info *info);

/*
 * Bytes an EFI-stub Image must have, from its PE/COFF section table (the
 * arm64 header's last word points at "PE\0\0"). 0 when there is no PE
 * header, i.e. the size cannot be known. Reads only within avail.
 */
uint64_t arm64_image_file_size(const void *image, size_t avail);

/* Header (10) + trailer (8): no gzip stream is shorter. */
#define GZIP_MIN_LEN 18
/* A gzip (deflate) stream at p? Reads only within avail. */
bool is_gzip(const void *p, size_t avail);

/*
 * Inflate a gzip stream at src (at most src_max bytes readable) into dst (at
 * most dst_max bytes). *out_len set. 0 or -errno with a clear message
 * (corrupt stream, truncated, does not fit). Not interruptible: it runs
 * where a plan has already been committed to.
 */
#ifdef CONFIG_GZIP
int gunzip(void *dst, size_t dst_max, const void *src, size_t src_max, size_t *out_len);
#else
/* Built without CONFIG_GZIP: a gzip'd Image is refused, saying why. */
static inline int gunzip(void *dst, size_t dst_max, const void *src, size_t src_max,
			 size_t *out_len)
{
	printf("ERROR: the Image is gzip'd, and this pvboot is built without CONFIG_GZIP\n");
	return -EOPNOTSUPP;
}
#endif

/*
 * Run the whole gzip stream at src through zlib without writing it anywhere
 * but a scratch window of its own: *out_len is the real inflated length (the
 * trailer's CRC and length checked), and the first head_len bytes of output
 * are copied to head (zero-filled if the output is shorter). Fails with
 * -EFBIG once the output would exceed out_max, -EINTR on Ctrl-C, and as
 * gunzip() does on a bad stream.
 */
int gunzip_measure(const void *src, size_t src_max, size_t out_max, void *head, size_t head_len,
		   size_t *out_len);

#endif
