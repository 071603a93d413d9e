/* SPDX-License-Identifier: MIT */
/*
 * The Xen services under pvblock's data path (grant table, event channel,
 * the backend's state, grantable memory, time), faked in one process, with
 * a blkback whose every answer a script of bytes chooses. The fuzz harness
 * and the unit tests run the real pvblock_ring.c and pvblock_io.c on it.
 */
#ifndef TEST_FUZZ_PVBLOCK_FAKE_H
#define TEST_FUZZ_PVBLOCK_FAKE_H

#include "../../drivers/block/pvblock_priv.h"

#define FAKE_DISK_SIZE (256u << 10)
#define FAKE_RAM_SIZE (1u << 20) /* half for the data path's own pages, half for buffers */

struct fake_setup {
	bool persistent;	     /* the backend offers persistent grants, and they are used */
	bool indirect;		     /* the backend offers 32 indirect segments */
	unsigned int blksz;	     /* 512 or 4096 */
	unsigned int grant_capacity; /* references the fake grant table holds (>= 1) */
};

/* Script bytes, read one per decision; honest answers once it runs out. */
struct fake_script {
	const uint8_t *p;
	size_t len;
};

/*
 * A fresh disk with a connected ring on a fresh fake Xen. Returns NULL if
 * the slots cannot be allocated (too few grants): nothing to test then.
 */
struct pvblock_dev *fake_pvblock_new(const struct fake_setup *setup, struct fake_script script);
/* The backend lets go (unmaps everything), the disk is freed; checks nothing leaked. */
void fake_pvblock_free(struct pvblock_dev *d);

/* Guest RAM the caller may use as buffers: grantable (32-bit frames). */
uint8_t *fake_ram_buffers(size_t *size);
/* The fake disk's bytes (what reads must return, where writes must land). */
uint8_t *fake_disk(void);

/* What the fake saw, for the harness's checks. */
struct fake_stats {
	bool dishonest;		    /* an answer named the wrong request, or came twice */
	unsigned int grants_in_use; /* grants the frontend holds now */
	unsigned int base_grants;   /* ring + indirect pages: held for the disk's life */
	unsigned int requests, responses;
	unsigned int polls, ctrlc;
};
void fake_get_stats(struct fake_stats *st);
/* Pages of d's persistent pool that some answered request named (blkback mapped them). */
unsigned int fake_pool_pages_named(const struct pvblock_dev *d);

/*
 * From now on, a page may be granted only if it lies wholly within [lo, hi)
 * (the caller's buffer) or in memory the data path allocated for itself
 * (pool, ring, indirect pages): otherwise the backend could write outside
 * them. fake_grants_stayed_inside() says whether that held since.
 */
void fake_allow_grants(uintptr_t lo, uintptr_t hi);
bool fake_grants_stayed_inside(void);
/* Make the backend write the whole granted page on reads, as a hostile one may. */
void fake_backend_whole_page(bool on);
/* Press Ctrl-C times times, from the at-th wait of the disk on (at 0: never). */
void fake_ctrlc(unsigned int at, unsigned int times);
/* Make the backend stop answering altogether (requests are consumed, never answered). */
void fake_backend_stall(bool on);
/* Make the backend's state read as gone (xl block-detach). */
void fake_backend_gone(bool on);
/* Make the backend's state read see a Ctrl-C (the XenStore request consumed it). */
void fake_state_read_interrupted(bool on);

#endif
