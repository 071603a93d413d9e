// SPDX-License-Identifier: MIT
/*
 * The download sink: every byte a server sends is written at the load
 * address only inside what the destination's gate has accepted, and never
 * past its max.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "net_priv.h"

int net_dest_write(struct net_dest *d, uint64_t off, const void *p, size_t n)
{
	uint64_t end = off + n;

	if (end < off || end > d->max) {
		printf("\n** File too large: more than %llu bytes would not fit **\n",
		       (unsigned long long)d->max);
		return -EFBIG;
	}
	if (end > d->checked) {
		int err = d->gate ? d->gate(d->addr, end) : 0;

		if (err)
			return err;
		d->checked = end;
	}
	memcpy(d->base + off, p, n);
	if (off + n > d->len)
		d->len = off + n;
	return 0;
}

void net_progress(uint64_t bytes, bool done)
{
	static uint64_t shown;

	if (!bytes)
		shown = 0;
	while (shown + SZ_1M <= bytes) {
		shown += SZ_1M;
		printf("#");
		if (!(shown % (64 * SZ_1M)))
			printf("\n         ");
	}
	if (done)
		printf("\n");
}
