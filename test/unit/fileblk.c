// SPDX-License-Identifier: MIT
/* Host-file / memory block devices and log capture for fs and part tests. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pvboot/log.h>
#include "fileblk.h"

static long fileblk_read(struct blk_desc *dev, uint64_t lba, uint64_t cnt, void *buf)
{
	struct fileblk *fb = dev->priv;
	size_t len = cnt * dev->blksz;
	off_t off = (off_t)(lba * dev->blksz);

	fb->reads++;
	fb->read_blocks += cnt;
	if (cnt > fb->max_req)
		fb->max_req = cnt;
	if (fb->mem) {
		memcpy(buf, fb->mem + off, len);
		return (long)cnt;
	}
	for (size_t done = 0; done < len;) {
		ssize_t n = pread(fb->fd, (char *)buf + done, len - done, off + (off_t)done);

		if (n <= 0)
			return -EIO;
		done += (size_t)n;
	}
	return (long)cnt;
}

static bool fileblk_cut(struct fileblk *fb)
{
	return fb->cut_after >= 0 && fb->writes >= (uint64_t)fb->cut_after;
}

static long fileblk_write(struct blk_desc *dev, uint64_t lba, uint64_t cnt, const void *buf)
{
	struct fileblk *fb = dev->priv;
	size_t len = cnt * dev->blksz;
	off_t off = (off_t)(lba * dev->blksz);

	if (fileblk_cut(fb))
		return -EIO;
	fb->writes++;
	if (fb->wmem) {
		memcpy(fb->wmem + off, buf, len);
		return (long)cnt;
	}
	for (size_t done = 0; done < len;) {
		ssize_t n = pwrite(fb->fd, (const char *)buf + done, len - done, off + (off_t)done);

		if (n <= 0)
			return -EIO;
		done += (size_t)n;
	}
	return (long)cnt;
}

static int fileblk_flush(struct blk_desc *dev)
{
	struct fileblk *fb = dev->priv;

	if (fileblk_cut(fb))
		return -EIO;
	fb->flushes++;
	return 0;
}

static const struct blk_ops fileblk_ops = {
    .read = fileblk_read,
    .write = fileblk_write,
    .flush = fileblk_flush,
};

static void fileblk_init(struct fileblk *fb, uint64_t size, int devnum, unsigned int blksz)
{
	struct blk_desc *old = blk_get_dev("host", devnum);

	/* Left behind by a failed test (instances are static): replace it. */
	if (old)
		blk_unregister(old);
	memset(&fb->desc, 0, sizeof(fb->desc));
	fb->desc.if_type = "host";
	fb->desc.devnum = devnum;
	fb->desc.blksz = blksz;
	fb->desc.lba = size / blksz;
	fb->desc.readonly = true;
	fb->desc.ops = &fileblk_ops;
	fb->desc.priv = fb;
	fb->reads = fb->read_blocks = fb->max_req = 0;
	fb->writes = fb->flushes = 0;
	fb->cut_after = -1;
	blk_register(&fb->desc);
}

static int fileblk_open_mode(struct fileblk *fb, const char *path, int devnum, unsigned int blksz,
			     bool rw)
{
	off_t size;

	fb->mem = NULL;
	fb->wmem = NULL;
	fb->fd = open(path, rw ? O_RDWR : O_RDONLY);
	if (fb->fd < 0)
		return -errno;
	size = lseek(fb->fd, 0, SEEK_END);
	fileblk_init(fb, (uint64_t)size, devnum, blksz);
	fb->desc.readonly = !rw;
	return 0;
}

int fileblk_open(struct fileblk *fb, const char *path, int devnum, unsigned int blksz)
{
	return fileblk_open_mode(fb, path, devnum, blksz, false);
}

int fileblk_open_rw(struct fileblk *fb, const char *path, int devnum, unsigned int blksz)
{
	return fileblk_open_mode(fb, path, devnum, blksz, true);
}

void fileblk_open_mem(struct fileblk *fb, const void *data, size_t size, int devnum,
		      unsigned int blksz)
{
	fb->fd = -1;
	fb->mem = data;
	fb->wmem = NULL;
	fileblk_init(fb, size, devnum, blksz);
}

void fileblk_open_mem_rw(struct fileblk *fb, void *data, size_t size, int devnum,
			 unsigned int blksz)
{
	fileblk_open_mem(fb, data, size, devnum, blksz);
	fb->wmem = data;
	fb->desc.readonly = false;
}

void fileblk_close(struct fileblk *fb)
{
	blk_unregister(&fb->desc);
	if (fb->fd >= 0)
		close(fb->fd);
	fb->fd = -1;
}

/* ---- log capture: the tree's pr_*() land here in these tests ---- */
static char logbuf[65536];
static size_t loglen;
int log_level = LOG_INFO;

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (loglen < sizeof(logbuf) - 1) {
		n = vsnprintf(logbuf + loglen, sizeof(logbuf) - loglen, fmt, ap);
		if (n > 0)
			loglen = MIN(loglen + (size_t)n, sizeof(logbuf) - 1);
	}
	va_end(ap);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

const char *log_text(void)
{
	return logbuf;
}

void log_reset(void)
{
	loglen = 0;
	logbuf[0] = '\0';
}

static int saved_stdout = -1;
static FILE *capture;

void stdout_capture_start(void)
{
	fflush(stdout);
	capture = tmpfile();
	saved_stdout = dup(1);
	dup2(fileno(capture), 1);
}

const char *stdout_capture_end(void)
{
	static char buf[262144];
	size_t n;

	fflush(stdout);
	dup2(saved_stdout, 1);
	close(saved_stdout);
	rewind(capture);
	n = fread(buf, 1, sizeof(buf) - 1, capture);
	buf[n] = '\0';
	fclose(capture);
	return buf;
}
