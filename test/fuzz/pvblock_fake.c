// SPDX-License-Identifier: MIT
/*
 * A fake Xen and blkback for pvblock's data path (see pvblock_fake.h). The
 * backend consumes requests when notified or polled, serves them from a RAM
 * disk through the fake grant table (which checks every grant it is given,
 * as Xen does), and answers as the script says: at once, later, twice, with
 * an error status, a wrong id or operation, an impossible rsp_prod, or
 * never. What only a frontend bug can cause aborts (libFuzzer reports it);
 * what a hostile backend can cause must be survived.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <pvboot/log.h>
#include <pvboot/timer.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/gnttab.h>
#include "pvblock_fake.h"

/* Low, fixed guest RAM: grant frames are 32-bit, as on Xen. */
#define RAM_BASE 0x30000000UL
#define SHARED_PAGES (FAKE_RAM_SIZE / PAGE_SIZE / 2) /* first half: arch_shared_alloc */
#define MAX_GRANTS 4096
#define MAX_QUEUED 256
#define INDIRECT_SEGS 32

static uint8_t *ram;
static uint8_t shared_used[SHARED_PAGES]; /* 0 free, 1 first page, 2 continuation */
static uint8_t disk[FAKE_DISK_SIZE], pristine[FAKE_DISK_SIZE];

struct fake_grant {
	bool used, readonly;
	bool answered;	/* with persistent grants: in a request answered ... */
	RING_IDX until; /* ... by response number until - 1, maybe not yet taken */
	uint64_t frame;
};
static struct fake_grant grants[MAX_GRANTS];
static unsigned int capacity, in_use, base_grants;

static struct pvblock_dev *dev;
static struct fake_script script;
static RING_IDX req_cons, rsp_prod_pvt;
static struct blkif_response queued[MAX_QUEUED]; /* answers the backend holds back */
static unsigned int nqueued;
static uint64_t prev_id; /* the request before this one: a wrong but plausible id */
static bool garbage_rsp_prod, whole_page, stall, gone, gone_told, state_read_interrupted;
static unsigned int ctrlc_at, ctrlc_times;
static uintptr_t allow_lo, allow_hi;
static bool grants_inside;
static struct fake_stats st;
static uint64_t now_us;

int log_level = LOG_ERR;

void log_msg(enum log_level level, const char *fmt, ...)
{
}

static int next_byte(void)
{
	if (!script.len)
		return -1;
	script.len--;
	return *script.p++;
}

/* ---- memory ---------------------------------------------------------------- */

static void ram_init(void)
{
	if (!ram) {
		ram = mmap((void *)RAM_BASE, FAKE_RAM_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (ram != (void *)RAM_BASE)
			abort();
	}
	memset(shared_used, 0, sizeof(shared_used));
}

void *arch_shared_alloc(size_t size)
{
	unsigned int n = DIV_ROUND_UP(size ? size : 1, PAGE_SIZE), run = 0;

	for (unsigned int i = 0; i < SHARED_PAGES; i++) {
		run = shared_used[i] ? 0 : run + 1;
		if (run == n) {
			unsigned int first = i + 1 - n;

			shared_used[first] = 1;
			memset(shared_used + first + 1, 2, n - 1);
			memset(ram + (size_t)first * PAGE_SIZE, 0, (size_t)n * PAGE_SIZE);
			return ram + (size_t)first * PAGE_SIZE;
		}
	}
	return NULL;
}

void arch_shared_free(void *p, size_t size)
{
	size_t i = ((uint8_t *)p - ram) / PAGE_SIZE;

	if (!p)
		return;
	if ((uint8_t *)p < ram || i >= SHARED_PAGES || shared_used[i] != 1)
		abort(); /* not from arch_shared_alloc, or freed twice */
	shared_used[i++] = 0;
	while (i < SHARED_PAGES && shared_used[i] == 2)
		shared_used[i++] = 0;
}

/* Guest RAM, as on Xen (the sandbox says no to anything else). */
bool arch_grantable(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p;

	return len && a >= (uintptr_t)ram && a - (uintptr_t)ram < FAKE_RAM_SIZE &&
	       len <= FAKE_RAM_SIZE - (a - (uintptr_t)ram);
}

static bool page_is_shared(uint64_t frame)
{
	uintptr_t a = (uintptr_t)frame << PAGE_SHIFT;

	return a >= (uintptr_t)ram && (a - (uintptr_t)ram) / PAGE_SIZE < SHARED_PAGES &&
	       shared_used[(a - (uintptr_t)ram) / PAGE_SIZE];
}

uint8_t *fake_ram_buffers(size_t *size)
{
	*size = FAKE_RAM_SIZE / 2;
	return ram + FAKE_RAM_SIZE / 2;
}

uint8_t *fake_disk(void)
{
	return disk;
}

/* ---- grant table ----------------------------------------------------------- */

int gnttab_grant_access(domid_t domid, uint64_t frame, bool readonly)
{
	uintptr_t a = (uintptr_t)frame << PAGE_SHIFT;

	if (domid != 0 || frame > UINT32_MAX)
		abort(); /* the wrong domain, or a frame a v1 entry cannot hold */
	if (!page_is_shared(frame) && (a < allow_lo || a + PAGE_SIZE > allow_hi))
		grants_inside = false;
	for (unsigned int ref = 0; ref < capacity; ref++) {
		if (grants[ref].used)
			continue;
		grants[ref] =
		    (struct fake_grant){.used = true, .readonly = readonly, .frame = frame};
		in_use++;
		return (int)ref;
	}
	return -ENOSPC;
}

int gnttab_end_access(grant_ref_t ref)
{
	if (ref >= capacity || !grants[ref].used)
		abort(); /* ended twice, or never granted */
	grants[ref].used = false;
	in_use--;
	return 0;
}

unsigned int gnttab_capacity(void)
{
	return capacity;
}

static bool frontend_bug(void);

/* What the backend maps: NULL for a reference the frontend does not grant now. */
static uint8_t *grant_map(grant_ref_t ref, bool write)
{
	if (ref >= capacity || !grants[ref].used)
		return NULL;
	if (write && grants[ref].readonly && frontend_bug())
		return NULL; /* a page the backend must write, granted read-only */
	return (uint8_t *)(uintptr_t)(grants[ref].frame << PAGE_SHIFT);
}

void fake_allow_grants(uintptr_t lo, uintptr_t hi)
{
	allow_lo = lo;
	allow_hi = hi;
	grants_inside = true;
}

bool fake_grants_stayed_inside(void)
{
	return grants_inside;
}

/* ---- the backend ----------------------------------------------------------- */

/*
 * A request that only a frontend bug can produce: abort, so that libFuzzer
 * reports it. Once the backend wrote responses it had no request for, it may
 * have overwritten requests not yet read: then it is its own doing.
 */
static bool frontend_bug(void)
{
	if (!st.dishonest)
		abort();
	return true;
}

/*
 * With persistent grants a grant is blkback's for good, and in use from a
 * request until its answer: a frontend that sends it again before it has
 * taken that answer may have it in two requests in flight (Linux's blkback
 * then logs "requesting a grant already in use"). The synchronous fake
 * answers at once, so it checks what the frontend can know: the answer taken.
 */
static grant_ref_t req_refs[INDIRECT_SEGS + 1];
static unsigned int nreq_refs;

static void persistent_use(grant_ref_t ref)
{
	if (!dev->persistent || ref >= capacity)
		return;
	if (grants[ref].answered && (int32_t)(dev->ring.rsp_cons - grants[ref].until) < 0 &&
	    frontend_bug())
		return;
	if (nreq_refs < ARRAY_SIZE(req_refs))
		req_refs[nreq_refs++] = ref;
}

/* The request's grants are in use until the frontend takes response number rsp. */
static void persistent_answered(RING_IDX rsp)
{
	for (unsigned int i = 0; i < nreq_refs; i++) {
		grants[req_refs[i]].answered = true;
		grants[req_refs[i]].until = rsp + 1;
	}
	nreq_refs = 0;
}

/* Move the segments of one request between the disk and the granted pages. */
static int16_t serve_segments(uint8_t op, uint64_t sector, const struct blkif_request_segment *seg,
			      unsigned int nseg)
{
	uint64_t off = sector * 512;

	for (unsigned int i = 0; i < nseg; i++) {
		size_t first = seg[i].first_sect * 512u, len;
		uint8_t *page;

		if (seg[i].last_sect >= PAGE_SIZE / 512 || seg[i].first_sect > seg[i].last_sect)
			return frontend_bug() ? BLKIF_RSP_ERROR : 0; /* no page holds it */
		len = (seg[i].last_sect + 1u) * 512u - first;
		/* Past the end of the disk: the block layer's checks were lost. */
		if (off > FAKE_DISK_SIZE || len > FAKE_DISK_SIZE - off)
			return frontend_bug() ? BLKIF_RSP_ERROR : 0;
		persistent_use(seg[i].gref);
		page = grant_map(seg[i].gref, op == BLKIF_OP_READ);
		/* NULL: ended before its request was answered. */
		if (!page)
			return frontend_bug() ? BLKIF_RSP_ERROR : 0;
		if (op == BLKIF_OP_READ) {
			memcpy(page + first, disk + off, len);
			if (whole_page) { /* what a hostile backend can do with the grant */
				memset(page, 0xee, first);
				memset(page + first + len, 0xee, PAGE_SIZE - first - len);
			}
		} else {
			memcpy(disk + off, page + first, len);
		}
		off += len;
	}
	return BLKIF_RSP_OKAY;
}

static int16_t serve(const struct blkif_request *req, uint8_t *op)
{
	const struct blkif_request_indirect *ind = (const void *)req;
	struct blkif_request_segment segs[INDIRECT_SEGS];
	uint8_t *page;

	*op = req->operation;
	switch (req->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		if (!req->nr_segments || req->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
			return frontend_bug() ? BLKIF_RSP_ERROR : 0;
		return serve_segments(req->operation, req->sector_number, req->seg,
				      req->nr_segments);
	case BLKIF_OP_INDIRECT:
		*op = ind->indirect_op;
		if (!ind->nr_segments || ind->nr_segments > INDIRECT_SEGS ||
		    (ind->indirect_op != BLKIF_OP_READ && ind->indirect_op != BLKIF_OP_WRITE))
			return frontend_bug() ? BLKIF_RSP_ERROR : 0;
		/* The indirect page is granted for the disk's life. */
		persistent_use(ind->indirect_grefs[0]);
		page = grant_map(ind->indirect_grefs[0], false);
		if (!page)
			return frontend_bug() ? BLKIF_RSP_ERROR : 0;
		memcpy(segs, page, ind->nr_segments * sizeof(segs[0]));
		return serve_segments(ind->indirect_op, ind->sector_number, segs, ind->nr_segments);
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		return BLKIF_RSP_OKAY;
	default:
		return frontend_bug() ? BLKIF_RSP_EOPNOTSUPP : 0;
	}
}

static void respond(struct blkif_response rsp)
{
	struct blkif_sring *s = dev->ring.sring;

	memcpy(&s->ring[rsp_prod_pvt & (RING_SIZE(&dev->ring) - 1)].rsp, &rsp, sizeof(rsp));
	rsp_prod_pvt++;
	st.responses++;
}

static void hold(struct blkif_response rsp)
{
	if (nqueued < MAX_QUEUED)
		queued[nqueued++] = rsp;
}

static void publish(void)
{
	__atomic_store_n(&dev->ring.sring->rsp_prod,
			 garbage_rsp_prod ? rsp_prod_pvt + 1000 : rsp_prod_pvt, __ATOMIC_RELEASE);
}

/* Answer one request as the script says. */
static void answer(uint64_t id, uint8_t op, int16_t status)
{
	struct blkif_response rsp = {.id = id, .operation = op, .status = status};
	int d = next_byte();

	if (d < 0 || d % 16 <= 8)
		return respond(rsp);
	switch (d % 16) {
	case 9:
		return hold(rsp);
	case 10:
		rsp.status = BLKIF_RSP_ERROR;
		return respond(rsp);
	case 11:
		rsp.status = BLKIF_RSP_EOPNOTSUPP;
		return respond(rsp);
	case 12:
		rsp.status = 7; /* no such status */
		return respond(rsp);
	case 13:
		return; /* never answered */
	case 14:
		st.dishonest = true;
		switch (next_byte() & 3) {
		case 0:
			rsp.id ^= 1ull << 33; /* another generation */
			break;
		case 1:
			respond(rsp); /* twice */
			break;
		case 2:
			rsp.id = prev_id;
			break;
		case 3:
			rsp.operation ^= 1;
			break;
		}
		return respond(rsp);
	default:
		st.dishonest = true;
		garbage_rsp_prod = true;
		return respond(rsp);
	}
}

/* What blkback does when notified or polled: take every new request. */
static void backend_run(void)
{
	struct blkif_sring *s = dev->ring.sring;
	RING_IDX prod = __atomic_load_n(&s->req_prod, __ATOMIC_ACQUIRE);

	/* The frontend overran its own ring (unless answers it never asked for misled it). */
	if (prod - req_cons > RING_SIZE(&dev->ring) && frontend_bug())
		req_cons = prod - RING_SIZE(&dev->ring);
	while (req_cons != prod) {
		struct blkif_request req;
		RING_IDX before;
		int16_t status;
		uint8_t op;

		memcpy(&req, &s->ring[req_cons & (RING_SIZE(&dev->ring) - 1)].req, sizeof(req));
		req_cons++;
		st.requests++;
		if (stall)
			continue;
		before = rsp_prod_pvt;
		nreq_refs = 0;
		status = serve(&req, &op);
		answer(req.id, op, status);
		/* Held or never answered: the frontend cannot tell when it is free. */
		if (rsp_prod_pvt != before)
			persistent_answered(before);
		prev_id = req.id;
	}
	/* As RING_FINAL_CHECK_FOR_REQUESTS: notify us of the next one. */
	__atomic_store_n(&s->req_event, req_cons + 1, __ATOMIC_RELEASE);
	publish();
}

/* ---- event channel, backend state, time ----------------------------------- */

int evtchn_send(evtchn_port_t port)
{
	if (port != dev->port)
		abort();
	backend_run();
	return 0;
}

int evtchn_poll(evtchn_port_t port, unsigned long timeout_ms)
{
	if (port != dev->port)
		abort();
	st.polls++;
	if (ctrlc_at && st.polls >= ctrlc_at && st.ctrlc < ctrlc_times) {
		st.ctrlc++;
		return -EINTR;
	}
	backend_run();
	if (nqueued) {
		int d = next_byte();

		/* Held answers go out now, in order or backwards. */
		for (unsigned int i = 0; i < nqueued; i++)
			respond(queued[d > 0 && (d & 1) ? nqueued - 1 - i : i]);
		nqueued = 0;
		publish();
		return 0;
	}
	now_us += timeout_ms * 1000;
	return -ETIMEDOUT;
}

bool xenbus_otherend_changed(struct xenbus_device *xb)
{
	bool changed = gone && !gone_told;

	gone_told |= gone;
	return changed;
}

int xenbus_otherend_gone(struct xenbus_device *xb)
{
	return state_read_interrupted ? -EINTR : gone;
}

uint64_t deadline_ms(unsigned long ms)
{
	return now_us + (uint64_t)ms * 1000;
}

bool deadline_passed(uint64_t deadline)
{
	return now_us >= deadline;
}

void arch_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void arch_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

void arch_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

void fake_backend_whole_page(bool on)
{
	whole_page = on;
}

void fake_ctrlc(unsigned int at, unsigned int times)
{
	ctrlc_at = at;
	ctrlc_times = st.ctrlc + times;
}

void fake_backend_stall(bool on)
{
	stall = on;
}

void fake_state_read_interrupted(bool on)
{
	state_read_interrupted = on;
}

void fake_backend_gone(bool on)
{
	gone = on;
	gone_told = false;
}

unsigned int fake_pool_pages_named(const struct pvblock_dev *d)
{
	unsigned int n = 0;

	for (unsigned int i = 0; d->pool_ref && i < d->pool_pages; i++)
		n += d->pool_ref[i] < capacity && grants[d->pool_ref[i]].answered;
	return n;
}

void fake_get_stats(struct fake_stats *out)
{
	*out = st;
	out->grants_in_use = in_use;
	out->base_grants = base_grants;
}

/* ---- a disk ---------------------------------------------------------------- */

struct pvblock_dev *fake_pvblock_new(const struct fake_setup *setup, struct fake_script s)
{
	struct pvblock_dev *d;
	int ref;

	ram_init();
	memset(grants, 0, sizeof(grants));
	capacity = MIN(MAX(setup->grant_capacity, 1u), (unsigned int)MAX_GRANTS);
	in_use = 0;
	memset(&st, 0, sizeof(st));
	script = s;
	req_cons = rsp_prod_pvt = 0;
	nqueued = 0;
	prev_id = 0;
	garbage_rsp_prod = whole_page = stall = gone = gone_told = state_read_interrupted = false;
	ctrlc_at = ctrlc_times = 0;
	fake_allow_grants(0, 0);
	if (!pristine[1])
		for (size_t i = 0; i < sizeof(pristine); i++)
			pristine[i] = (uint8_t)(i * 131 + (i >> 9));
	memcpy(disk, pristine, sizeof(disk));

	d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	dev = d;
	d->blk.blksz = setup->blksz;
	d->blk.lba = FAKE_DISK_SIZE / setup->blksz;
	d->sector_size = setup->blksz;
	d->persistent = d->be_persistent = setup->persistent;
	d->max_indirect = setup->indirect ? INDIRECT_SEGS : 0;
	d->segs_per_req = setup->indirect ? INDIRECT_SEGS : BLKIF_MAX_SEGMENTS_PER_REQUEST;
	d->flush_cache = true;
	d->connected = true;
	d->port = 7;
	d->ring_mem = arch_shared_alloc(PAGE_SIZE);
	SHARED_RING_INIT((blkif_sring_t *)d->ring_mem);
	FRONT_RING_INIT(&d->ring, (blkif_sring_t *)d->ring_mem, PAGE_SIZE);
	ref = gnttab_grant_access(0, virt_to_pfn(d->ring_mem), false);
	d->ring_ref[0] = (grant_ref_t)ref;
	d->nr_ring_refs = 1;
	if (pvblock_alloc_slots(d)) {
		pvblock_free_slots(d);
		fake_pvblock_free(d);
		return NULL;
	}
	base_grants = in_use;
	return d;
}

void fake_pvblock_free(struct pvblock_dev *d)
{
	/* The backend has let go (Closed): nothing may stay granted after this. */
	pvblock_free_slots(d);
	pvblock_free_pool(d);
	while (d->nr_ring_refs)
		gnttab_end_access(d->ring_ref[--d->nr_ring_refs]);
	arch_shared_free(d->ring_mem, PAGE_SIZE);
	if (in_use)
		abort(); /* a grant the data path forgot to end */
	for (unsigned int i = 0; i < SHARED_PAGES; i++)
		if (shared_used[i])
			abort(); /* shared memory the data path forgot to free */
	free(d);
	dev = NULL;
}
