// SPDX-License-Identifier: MIT
/*
 * The PV console ring driven directly, for reports of faults that happen
 * before (or inside) the real console driver. Works with the MMU off: then
 * every access to memory shared with Xen or xenconsoled goes with cache
 * maintenance by VA, since they see the page cacheable and we do not (see
 * docs/arm64.md). Best effort by design: it only has to get a crash report out.
 * Built without stack protector and reaching no global data through the GOT,
 * so it also works before relocation.
 */
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include <pvboot/xen/hypervisor.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>
#include <xen/sched.h>
#include "arm64.h"

#define RING_WAIT_SECONDS 2

static struct xencons_interface *ring;
static evtchn_port_t ring_port;

/* Make memory and cache agree on [p, p+len) when we access it uncached. */
static void sync_shared(const void *p, size_t len)
{
	if (!mmu_is_on())
		arch_dcache_flush(p, len);
}

int early_hvm_param(unsigned int idx, uint64_t *value)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = idx};
	long rc;

	sync_shared(&p, sizeof(p));
	rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);
	sync_shared(&p, sizeof(p));
	if (rc < 0)
		return (int)rc;
	*value = p.value;
	return 0;
}

int earlycon_init(void)
{
	uint64_t pfn, port;
	int err;

	if (ring)
		return 0;
	err = early_hvm_param(HVM_PARAM_CONSOLE_PFN, &pfn);
	if (!err)
		err = early_hvm_param(HVM_PARAM_CONSOLE_EVTCHN, &port);
	if (err)
		return err;
	if (!pfn)
		return -1;
	/* With the MMU on, the ring page (outside /memory) must be mapped first. */
	if (mmu_is_on() && mmu_map(pfn << PAGE_SHIFT, PAGE_SIZE, MAP_NORMAL_RW))
		return -1;
	ring = phys_to_virt(pfn << PAGE_SHIFT);
	ring_port = (evtchn_port_t)port;
	return 0;
}

static void notify(void)
{
	struct evtchn_send send = {.port = ring_port};

	sync_shared(&send, sizeof(send));
	HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);
}

/* Wait (bounded) until the backend has made room; false if it never did. */
static bool wait_room(XENCONS_RING_IDX prod)
{
	uint64_t end = arch_counter() + arch_counter_freq() * RING_WAIT_SECONDS;

	for (;;) {
		sync_shared(&ring->out_cons, sizeof(ring->out_cons));
		if (prod - READ_ONCE(ring->out_cons) < sizeof(ring->out))
			return true;
		if (arch_counter() > end)
			return false;
		notify();
		arch_cpu_relax();
	}
}

static void publish(XENCONS_RING_IDX prod)
{
	/* Write back and drop the line first so a stale copy cannot overwrite ours. */
	sync_shared(ring->out, sizeof(ring->out));
	sync_shared(&ring->out_prod, sizeof(ring->out_prod));
	arch_wmb();
	WRITE_ONCE(ring->out_prod, prod);
	sync_shared(&ring->out_prod, sizeof(ring->out_prod));
	notify();
}

static bool put(XENCONS_RING_IDX *prod, char c)
{
	if (*prod - READ_ONCE(ring->out_cons) >= sizeof(ring->out)) {
		publish(*prod);
		if (!wait_room(*prod))
			return false; /* nobody reads the console: give up, do not hang */
	}
	ring->out[MASK_XENCONS_IDX(*prod, ring->out)] = c;
	(*prod)++;
	return true;
}

void earlycon_write(const char *s, size_t len)
{
	XENCONS_RING_IDX prod;

	if (!ring)
		return;
	sync_shared(&ring->out_cons, 2 * sizeof(ring->out_cons));
	prod = READ_ONCE(ring->out_prod);
	for (; len; len--, s++) {
		/* The ring ends at a terminal: CR LF. */
		if ((*s == '\n' && !put(&prod, '\r')) || !put(&prod, *s))
			break;
	}
	publish(prod);
}

/*
 * Wait (bounded) until the backend has read everything, notifying again and
 * again: xenconsoled may attach to the ring after our first notification and
 * would then not look at it before the next one, which a crashing domain
 * never sends.
 */
void earlycon_drain(void)
{
	uint64_t tick = arch_counter_freq() / 20;
	uint64_t end = arch_counter() + tick * 20 * RING_WAIT_SECONDS;

	if (!ring)
		return;
	while (arch_counter() < end) {
		uint64_t next = arch_counter() + tick;

		sync_shared(&ring->out_cons, 2 * sizeof(ring->out_cons));
		if (READ_ONCE(ring->out_cons) == READ_ONCE(ring->out_prod))
			return;
		notify();
		while (arch_counter() < next)
			arch_cpu_relax();
	}
}

static void dev_write(struct console_dev *dev, const char *buf, size_t len)
{
	earlycon_write(buf, len);
}

static bool dev_tstc(struct console_dev *dev)
{
	return false;
}

static int dev_getc(struct console_dev *dev)
{
	return -1;
}

static void dev_flush(struct console_dev *dev)
{
	earlycon_drain();
}

/*
 * Last resort before the domain stops without a console driver: the ring as
 * an output-only console, so whatever the early log holds (why init failed)
 * is printed when it registers.
 */
void earlycon_register(void)
{
	static struct console_dev dev = {
	    .name = "xen-early",
	    .write = dev_write,
	    .tstc = dev_tstc,
	    .getc = dev_getc,
	    .flush = dev_flush,
	};

	if (!earlycon_init())
		console_register(&dev);
}

__noreturn void xen_crash_domain(void)
{
	struct sched_shutdown sd = {.reason = SHUTDOWN_crash};

	for (;;) {
		sync_shared(&sd, sizeof(sd));
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
		arch_cpu_relax();
	}
}
