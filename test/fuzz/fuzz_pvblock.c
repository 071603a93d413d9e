// SPDX-License-Identifier: MIT
/*
 * pvblock's real data path (pvblock_io.c over pvblock_ring.c: queue, push,
 * reap, complete, release, the pool's pipeline) against a fake blkback
 * whose every answer the input chooses: when, in what order, with what id,
 * operation and status, how many times, and what rsp_prod says.
 *
 * Input: [flags] [grants] [transfers] then 6 bytes per transfer (op, block,
 * count, buffer offset), then the backend's script. After every transfer:
 * nothing in flight, every slot free, no data grant left, no page granted
 * that the buffer (or the pool) does not own entirely, the bytes around the
 * buffer untouched even by a backend that writes whole pages, and, while
 * the backend answered honestly, a success moved exactly the right bytes. At the end every grant is
 * ended and every shared page freed (pvblock_fake.c checks).
 */
#include <stdlib.h>
#include <string.h>
#include "pvblock_fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_XFERS 4
#define MAX_BLOCKS_512 128 /* 64 KiB per transfer: fast, and still many requests */
#define GUARD 4096	   /* bytes checked on each side of the buffer */
#define CANARY 0xc5

static unsigned int take(const uint8_t **d, size_t *n)
{
	if (!*n)
		return 0;
	(*n)--;
	return *(*d)++;
}

static void check_idle(const struct pvblock_dev *d)
{
	struct fake_stats st;
	unsigned int held;

	if (d->inflight || d->nfree != d->nslots)
		abort(); /* a transfer returned with requests in flight, or lost a slot */
	for (unsigned int t = 0; t < PVBLOCK_TAGS; t++)
		if (d->tag_inflight[t])
			abort();
	fake_get_stats(&st);
	held = st.base_grants + (d->pool_ref ? d->pool_pages : 0);
	if (st.grants_in_use != held)
		abort(); /* a data grant outlived its request */
}

static void check_guards(const uint8_t *buf, size_t len)
{
	for (size_t i = 1; i <= GUARD; i++)
		if (buf[-(ptrdiff_t)i] != CANARY || buf[len + i - 1] != CANARY)
			abort(); /* the transfer wrote outside the caller's buffer */
}

static void one_transfer(struct pvblock_dev *d, const uint8_t **in, size_t *n)
{
	unsigned int op_sel = take(in, n), bs = d->blk.blksz, spb = bs / 512;
	uint64_t blocks = d->blk.lba, lba, cnt;
	unsigned int shift;
	size_t ram_size, len;
	uint8_t *ram = fake_ram_buffers(&ram_size), *buf;
	uint8_t op = op_sel % 3 == 0
			 ? BLKIF_OP_READ
			 : (op_sel % 3 == 1 ? BLKIF_OP_WRITE : BLKIF_OP_FLUSH_DISKCACHE);
	struct fake_stats st;
	int ret;

	lba = take(in, n);
	lba = (lba | take(in, n) << 8) % blocks;
	cnt = 1 + take(in, n) % (MAX_BLOCKS_512 / spb);
	shift = take(in, n);
	shift |= take(in, n) << 8;
	if (cnt > blocks - lba)
		cnt = blocks - lba;
	len = cnt * bs;
	/* Anywhere in guest RAM: page-aligned, block-aligned or not aligned at all. */
	buf = ram + GUARD + shift % (ram_size - 2 * GUARD - len);
	memset(buf - GUARD, CANARY, len + 2 * GUARD);
	if (op == BLKIF_OP_WRITE)
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)(i * 7 + op_sel);
	fake_allow_grants((uintptr_t)buf, (uintptr_t)buf + len);
	if (op == BLKIF_OP_FLUSH_DISKCACHE)
		ret = pvblock_flush_cache(d);
	else
		ret = pvblock_transfer(d, op, lba * spb, buf, len);
	check_idle(d);
	if (!fake_grants_stayed_inside())
		abort(); /* a page not wholly the buffer's (nor the pool's) went to the backend */
	check_guards(buf, len);
	fake_get_stats(&st);
	if (ret || st.dishonest || op == BLKIF_OP_FLUSH_DISKCACHE)
		return;
	/* An honest backend and a success: exactly the right bytes moved. */
	if (memcmp(buf, fake_disk() + lba * bs, len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *in = data;
	size_t n = size;
	unsigned int flags = take(&in, &n), grants = take(&in, &n), xfers = take(&in, &n);
	struct fake_setup setup = {
	    .persistent = flags & 1,
	    .indirect = flags & 2,
	    .blksz = flags & 4 ? 4096 : 512,
	    .grant_capacity = grants & 0x80 ? 2 + (grants & 0x7f) : 1024,
	};
	size_t ops_len = 6 * (1 + xfers % MAX_XFERS);
	struct pvblock_dev *d;
	const uint8_t *ops = in;

	if (n < ops_len)
		return 0;
	in += ops_len;
	n -= ops_len;
	d = fake_pvblock_new(&setup, (struct fake_script){in, n});
	if (!d)
		return 0;
	fake_backend_whole_page(flags & 8);
	fake_ctrlc((flags >> 4) & 7, flags & 0x80 ? 2 : 1);
	for (unsigned int i = 0; i <= xfers % MAX_XFERS; i++) {
		if (i == 1 && (xfers & 0x80))
			fake_backend_gone(true); /* xl block-detach between two transfers */
		one_transfer(d, &ops, &ops_len);
	}
	fake_pvblock_free(d);
	return 0;
}
