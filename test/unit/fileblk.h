/* SPDX-License-Identifier: MIT */
/*
 * Test support for partition/filesystem tests: a block device backed by a
 * host file or a memory buffer (registered as "host N" through the real block
 * layer), log and stdout capture.
 */
#ifndef TEST_UNIT_FILEBLK_H
#define TEST_UNIT_FILEBLK_H

#include <pvboot/blk.h>

struct fileblk {
	struct blk_desc desc;
	int fd;		    /* file backed, or -1 */
	const uint8_t *mem; /* memory backed */
	uint8_t *wmem;	    /* memory backed and writable (fileblk_open_mem_rw) */
	uint64_t reads;	    /* requests seen by the "driver" */
	uint64_t read_blocks;
	uint64_t max_req; /* largest single request, in blocks */
	uint64_t writes, flushes;
	/*
	 * A cut, as when the domain is destroyed: after this many write
	 * requests have landed, every later write or flush fails and changes
	 * nothing. -1: never.
	 */
	long cut_after;
};

int fileblk_open(struct fileblk *fb, const char *path, int devnum, unsigned int blksz);
/* The same, writable (the file changes). */
int fileblk_open_rw(struct fileblk *fb, const char *path, int devnum, unsigned int blksz);
void fileblk_open_mem_rw(struct fileblk *fb, void *data, size_t size, int devnum,
			 unsigned int blksz);
void fileblk_open_mem(struct fileblk *fb, const void *data, size_t size, int devnum,
		      unsigned int blksz);
void fileblk_close(struct fileblk *fb);

/* Everything logged through pr_*() since the last log_reset(). */
const char *log_text(void);
void log_reset(void);

/* Capture stdout into a buffer between the two calls (returned, static). */
void stdout_capture_start(void);
const char *stdout_capture_end(void);

#endif
