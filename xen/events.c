// SPDX-License-Identifier: MIT
/*
 * Event channels in polling mode: pvboot never takes the upcall interrupt, it
 * test-and-clears pending bits in shared_info (2-level ABI, vcpu 0). Ports we
 * allocate are remembered so that the hand-off can close every one of them.
 */
#include <errno.h>
#include <pvboot/arch.h>
#include <pvboot/log.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/stats.h>

#define BITS_PER_XEN_ULONG (sizeof(xen_ulong_t) * 8)
#define MAX_OWN_PORTS 32

static evtchn_port_t own_ports[MAX_OWN_PORTS];
static unsigned int nr_own_ports;

/* The word holding port's bit in one of shared_info's bitmaps, or NULL. */
static xen_ulong_t *port_word(xen_ulong_t *bitmap, size_t bitmap_bytes, evtchn_port_t port)
{
	if (port >= bitmap_bytes * 8)
		return NULL;
	return &bitmap[port / BITS_PER_XEN_ULONG];
}

static xen_ulong_t port_bit(evtchn_port_t port)
{
	return (xen_ulong_t)1 << (port % BITS_PER_XEN_ULONG);
}

static xen_ulong_t *pending_word(evtchn_port_t port)
{
	struct shared_info *s = xen_shared_info();

	return s ? port_word(s->evtchn_pending, sizeof(s->evtchn_pending), port) : NULL;
}

static xen_ulong_t *mask_word(evtchn_port_t port)
{
	struct shared_info *s = xen_shared_info();

	return s ? port_word(s->evtchn_mask, sizeof(s->evtchn_mask), port) : NULL;
}

static void remember_port(evtchn_port_t port)
{
	if (nr_own_ports < MAX_OWN_PORTS)
		own_ports[nr_own_ports++] = port;
	else
		pr_warn("evtchn: too many ports to track, port %u will not be closed at hand-off\n",
			port);
}

/* true if port was ours (and is now forgotten). */
static bool forget_port(evtchn_port_t port)
{
	for (unsigned int i = 0; i < nr_own_ports; i++) {
		if (own_ports[i] == port) {
			own_ports[i] = own_ports[--nr_own_ports];
			return true;
		}
	}
	return false;
}

int evtchn_alloc_unbound(domid_t remote_domid, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {.dom = DOMID_SELF, .remote_dom = remote_domid};
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	if (rc < 0)
		return (int)rc;
	/* A stale pending bit from a previous user of the port must not look like an event. */
	evtchn_clear_pending(op.port);
	remember_port(op.port);
	*port = op.port;
	return 0;
}

int evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = {.port = port};
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);

	if (rc < 0)
		return (int)rc;
	forget_port(port);
	return 0;
}

int evtchn_send(evtchn_port_t port)
{
	struct evtchn_send op = {.port = port};

	return (int)HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

void evtchn_mask(evtchn_port_t port)
{
	xen_ulong_t *w = mask_word(port);

	if (w)
		__atomic_fetch_or(w, port_bit(port), __ATOMIC_SEQ_CST);
}

void evtchn_unmask(evtchn_port_t port)
{
	xen_ulong_t *w = mask_word(port);
	xen_ulong_t *p = pending_word(port);
	struct evtchn_unmask op = {.port = port};

	if (!w)
		return;
	__atomic_fetch_and(w, ~port_bit(port), __ATOMIC_SEQ_CST);
	/* Already pending: let Xen redo the upcall bookkeeping for it. */
	if (__atomic_load_n(p, __ATOMIC_SEQ_CST) & port_bit(port))
		HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

bool evtchn_port_valid(evtchn_port_t port)
{
	return pending_word(port) != NULL;
}

bool evtchn_is_pending(evtchn_port_t port)
{
	xen_ulong_t *w = pending_word(port);

	return w && (__atomic_load_n(w, __ATOMIC_ACQUIRE) & port_bit(port));
}

bool evtchn_clear_pending(evtchn_port_t port)
{
	xen_ulong_t *w = pending_word(port);
	xen_ulong_t bit = port_bit(port);

	if (!w)
		return false;
	/* Cheap read first: the shared cache line is only written when set. */
	if (!(__atomic_load_n(w, __ATOMIC_ACQUIRE) & bit))
		return false;
	return __atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST) & bit;
}

unsigned int evtchn_open_count(void)
{
	return nr_own_ports;
}

unsigned int evtchn_open_ports(evtchn_port_t *ports, unsigned int max)
{
	unsigned int n = MIN(max, nr_own_ports);

	for (unsigned int i = 0; i < n; i++)
		ports[i] = own_ports[i];
	return n;
}

int evtchn_close_all(void)
{
	int first = 0;

	while (nr_own_ports) {
		evtchn_port_t port = own_ports[nr_own_ports - 1];
		int rc = evtchn_close(port);

		if (rc < 0) {
			pr_err("evtchn: cannot close port %u (error %d)\n", port, rc);
			forget_port(port); /* do not loop on it */
			if (!first)
				first = rc;
		}
	}
	return first;
}
