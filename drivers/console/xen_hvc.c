// SPDX-License-Identifier: MIT
/*
 * Xen PV console (hvc0) on the ring of HVM_PARAM_CONSOLE_PFN, polled.
 *
 * Output: copied in chunks, one event per chunk. When the ring is full we wait
 * for the backend; only after CONSOLE_STALL_MS without any progress is output
 * dropped, counted, and the loss announced in the output once the backend
 * drains again. While stalled, writes do not wait again (a dead xenconsoled
 * must not make every printf take a second).
 * Input: read byte by byte from the in ring, nothing skipped.
 * The backend's indexes are checked: a producer more than a ring ahead of
 * the consumer is a broken or hostile backend, never a reason to read out of
 * bounds.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include <pvboot/timer.h>
#include <pvboot/xen/console.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/hypervisor.h>
#include <xen/io/console.h>
#include <xen/hvm/params.h>
#include <xen/sched.h>

#define CONSOLE_STALL_MS 1000
#define FLUSH_WAIT_MS 100
#define RENOTIFY_MS 100

static struct {
	struct xencons_interface *intf;
	evtchn_port_t port;
	XENCONS_RING_IDX out_prod; /* ours: never re-read from the shared page */
	XENCONS_RING_IDX in_cons;  /* ours as well */
	bool stalled;
	uint64_t renotify;     /* next time to remind the backend of unread output */
	uint64_t lost_pending; /* dropped bytes not yet announced */
	struct xen_console_stats st;
} hvc;

/* Free space in the out ring, or -EPROTO if out_cons is impossible. */
static int out_space(void)
{
	XENCONS_RING_IDX cons = READ_ONCE(hvc.intf->out_cons);
	XENCONS_RING_IDX used = hvc.out_prod - cons;

	if (used > sizeof(hvc.intf->out)) {
		hvc.st.bad_idx++;
		return -EPROTO;
	}
	return (int)(sizeof(hvc.intf->out) - used);
}

/* Copy up to space bytes; one notification for the whole chunk. */
static size_t put_chunk(const char *buf, size_t len, size_t space)
{
	struct xencons_interface *intf = hvc.intf;
	size_t n = MIN(len, space);

	arch_mb(); /* the backend's out_cons was read before we overwrite its bytes */
	for (size_t i = 0; i < n; i++)
		intf->out[MASK_XENCONS_IDX(hvc.out_prod + i, intf->out)] = buf[i];
	arch_wmb(); /* data before index */
	hvc.out_prod += n;
	WRITE_ONCE(intf->out_prod, hvc.out_prod);
	evtchn_send(hvc.port);
	hvc.st.written += n;
	return n;
}

/* Wait for room. Returns the space, 0 after a stall, or -EPROTO. */
static int wait_space(void)
{
	uint64_t deadline = deadline_ms(CONSOLE_STALL_MS);
	int space;

	for (;;) {
		space = out_space();
		if (space != 0)
			return space;
		if (deadline_passed(deadline))
			return 0;
		arch_cpu_relax();
		/* Already stalled: one look after a relax, not another full wait. */
		if (hvc.stalled)
			return out_space() > 0 ? out_space() : 0;
	}
}

static void drop(size_t len)
{
	hvc.stalled = true;
	hvc.st.dropped += len;
	hvc.lost_pending += len;
}

static void write_raw(const char *buf, size_t len)
{
	while (len) {
		int space = wait_space();
		size_t n;

		if (space <= 0) {
			drop(len);
			return;
		}
		hvc.stalled = false;
		n = put_chunk(buf, len, (size_t)space);
		buf += n;
		len -= n;
	}
}

static void hvc_write(struct console_dev *dev, const char *buf, size_t len)
{
	if (hvc.lost_pending && out_space() > 0) {
		char msg[64];
		int n = snprintf(msg, sizeof(msg), "\r\n[console: %llu bytes lost]\r\n",
				 (unsigned long long)hvc.lost_pending);

		hvc.lost_pending = 0;
		hvc.stalled = false;
		write_raw(msg, MIN((size_t)n, sizeof(msg) - 1));
	}
	write_raw(buf, len);
}

/* Bytes waiting in the in ring (a bogus in_prod discards them). */
static XENCONS_RING_IDX in_avail(void)
{
	XENCONS_RING_IDX prod = READ_ONCE(hvc.intf->in_prod);
	XENCONS_RING_IDX avail = prod - hvc.in_cons;

	if (avail > sizeof(hvc.intf->in)) {
		hvc.st.bad_idx++;
		hvc.in_cons = prod;
		WRITE_ONCE(hvc.intf->in_cons, prod);
		return 0;
	}
	return avail;
}

static bool hvc_tstc(struct console_dev *dev)
{
	/*
	 * xenconsoled may start watching the ring after our last notification
	 * and then wait for the next one: remind it while output is unread.
	 */
	if (READ_ONCE(hvc.intf->out_cons) != hvc.out_prod && deadline_passed(hvc.renotify)) {
		evtchn_send(hvc.port);
		hvc.renotify = deadline_ms(RENOTIFY_MS);
	}
	evtchn_clear_pending(hvc.port);
	return in_avail() != 0;
}

static int hvc_getc(struct console_dev *dev)
{
	struct xencons_interface *intf = hvc.intf;
	unsigned char c;

	if (!in_avail())
		return -EAGAIN;
	arch_rmb(); /* the byte only after seeing in_prod */
	c = intf->in[MASK_XENCONS_IDX(hvc.in_cons, intf->in)];
	hvc.in_cons++;
	arch_mb(); /* done reading before the slot is given back */
	WRITE_ONCE(intf->in_cons, hvc.in_cons);
	hvc.st.read++;
	/* Drained: let the backend refill (it may have stopped on a full ring). */
	if (READ_ONCE(intf->in_prod) == hvc.in_cons)
		evtchn_send(hvc.port);
	return c;
}

static void hvc_flush(struct console_dev *dev)
{
	uint64_t deadline = deadline_ms(FLUSH_WAIT_MS);

	evtchn_send(hvc.port);
	while (!hvc.stalled && out_space() >= 0 && out_space() < (int)sizeof(hvc.intf->out) &&
	       !deadline_passed(deadline))
		arch_cpu_relax();
}

/*
 * Block in Xen until the console port fires (input, or xenconsoled having
 * read our output). tstc() cleared the pending bit before looking at the
 * ring, so an event that came since makes the poll return at once. While
 * output is unread we keep polling instead, so tstc() can remind the backend.
 */
static void hvc_idle(struct console_dev *dev)
{
	struct sched_poll poll = {.nr_ports = 1, .timeout = 0};

	if (READ_ONCE(hvc.intf->out_cons) != hvc.out_prod) {
		arch_cpu_relax();
		return;
	}
	set_xen_guest_handle(poll.ports, &hvc.port);
	if (HYPERVISOR_sched_op(SCHEDOP_poll, &poll))
		arch_cpu_relax();
}

static struct console_dev hvc_dev = {
    .name = "xen-hvc",
    .write = hvc_write,
    .tstc = hvc_tstc,
    .getc = hvc_getc,
    .flush = hvc_flush,
    .idle = hvc_idle,
};

int xen_console_init(void)
{
	uint64_t pfn = 0, port = 0;
	int rc;

	if (hvc.intf)
		return 0;
	rc = hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn);
	if (!rc)
		rc = hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &port);
	if (rc < 0)
		return rc;
	if (!pfn || !port || port > UINT32_MAX)
		return -ENODEV;
	hvc.intf = phys_to_virt(pfn << PAGE_SHIFT);
	hvc.port = (evtchn_port_t)port;
	hvc.st.pfn = pfn;
	hvc.st.port = hvc.port;
	/* Continue where Xen (or an earlier writer) left the rings. */
	hvc.out_prod = READ_ONCE(hvc.intf->out_prod);
	hvc.in_cons = READ_ONCE(hvc.intf->in_cons);
	if (out_space() < 0) /* nonsense left behind: start from the backend's view */
		hvc.out_prod = READ_ONCE(hvc.intf->out_cons);
	console_register(&hvc_dev);
	return 0;
}

int xen_console_get_stats(struct xen_console_stats *st)
{
	if (!hvc.intf)
		return -ENODEV;
	*st = hvc.st;
	return 0;
}
