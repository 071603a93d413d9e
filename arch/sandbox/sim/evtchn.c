// SPDX-License-Identifier: MIT
/*
 * Event channels (2-level ABI): guest ports, each either free, unbound
 * (waiting for dom0) or connected to a backend. Guest-side notifications
 * set a flag the backend polls; backend-side ones set the port's pending
 * bit in shared_info (plus the selector and upcall bits when unmasked), as
 * Xen's evtchn_2l_set_pending does.
 */
#include <errno.h>
#include <string.h>
#include "sim_internal.h"

enum port_state { PORT_FREE, PORT_UNBOUND, PORT_CONNECTED };

struct port {
	enum port_state state;
	domid_t remote;
	bool prebound;		 /* console/xenstore: set up by the toolstack, not the guest */
	bool backend_pending;	 /* the guest sent an event the backend has not seen */
	void (*on_notify)(void); /* a backend that reacts at once (see sim.h) */
};

#define NR_PORTS 1024 /* plenty: Xen allows 4096 with 2-level, a bootloader needs < 10 */
#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

static struct port ports[NR_PORTS];

static struct port *port_get(evtchn_port_t p)
{
	return p > 0 && p < NR_PORTS && ports[p].state != PORT_FREE ? &ports[p] : NULL;
}

static evtchn_port_t port_alloc(void)
{
	for (evtchn_port_t p = 1; p < NR_PORTS; p++) /* port 0 is reserved by Xen */
		if (ports[p].state == PORT_FREE)
			return p;
	return 0;
}

static xen_ulong_t *word(xen_ulong_t *bitmap, evtchn_port_t p)
{
	return &bitmap[p / BITS_PER_WORD];
}

static xen_ulong_t bit(evtchn_port_t p)
{
	return (xen_ulong_t)1 << (p % BITS_PER_WORD);
}

static void set_pending(evtchn_port_t p)
{
	struct shared_info *s = sim_shared_info();
	struct vcpu_info *v = &s->vcpu_info[0];

	if (__atomic_fetch_or(word(s->evtchn_pending, p), bit(p), __ATOMIC_SEQ_CST) & bit(p))
		return;
	if (__atomic_load_n(word(s->evtchn_mask, p), __ATOMIC_SEQ_CST) & bit(p))
		return;
	__atomic_fetch_or(&v->evtchn_pending_sel, (xen_ulong_t)1 << (p / BITS_PER_WORD),
			  __ATOMIC_SEQ_CST);
	__atomic_store_n(&v->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
}

static void clear_pending(evtchn_port_t p)
{
	__atomic_fetch_and(word(sim_shared_info()->evtchn_pending, p), ~bit(p), __ATOMIC_SEQ_CST);
}

bool sim_evtchn_guest_pending(evtchn_port_t p)
{
	if (p >= NR_PORTS)
		return false;
	return __atomic_load_n(word(sim_shared_info()->evtchn_pending, p), __ATOMIC_SEQ_CST) &
	       bit(p);
}

void sim_evtchn_init(void)
{
	memset(ports, 0, sizeof(ports));
}

evtchn_port_t sim_evtchn_alloc_pair(void)
{
	evtchn_port_t p = port_alloc();

	if (p) {
		ports[p] = (struct port){
		    .state = PORT_CONNECTED, .remote = SIM_BACKEND_DOMID, .prebound = true};
	}
	return p;
}

int sim_evtchn_bind(evtchn_port_t gport)
{
	struct port *pt = port_get(gport);

	if (!pt || pt->state != PORT_UNBOUND || pt->remote != SIM_BACKEND_DOMID)
		return -EINVAL;
	pt->state = PORT_CONNECTED;
	pt->backend_pending = false;
	return 0;
}

void sim_evtchn_on_notify(evtchn_port_t gport, void (*fn)(void))
{
	struct port *pt = port_get(gport);

	if (pt)
		pt->on_notify = fn;
}

bool sim_evtchn_backend_pending(evtchn_port_t gport)
{
	struct port *pt = port_get(gport);

	if (!pt || !pt->backend_pending)
		return false;
	pt->backend_pending = false;
	return true;
}

void sim_evtchn_notify_guest(evtchn_port_t gport)
{
	struct port *pt = port_get(gport);

	if (pt && pt->state == PORT_CONNECTED)
		set_pending(gport);
}

bool sim_evtchn_is_open(evtchn_port_t gport)
{
	struct port *pt = port_get(gport);

	return pt && pt->state == PORT_CONNECTED;
}

unsigned int sim_evtchn_open_count(void)
{
	unsigned int n = 0;

	for (evtchn_port_t p = 1; p < NR_PORTS; p++)
		n += ports[p].state != PORT_FREE && !ports[p].prebound;
	return n;
}

static bool dom_is_self(domid_t dom)
{
	return dom == DOMID_SELF || dom == SIM_GUEST_DOMID;
}

static long op_alloc_unbound(struct evtchn_alloc_unbound *a)
{
	evtchn_port_t p;

	if (!dom_is_self(a->dom))
		return -EPERM; /* only the toolstack may allocate for others */
	p = port_alloc();
	if (!p)
		return -ENOSPC;
	ports[p] = (struct port){.state = PORT_UNBOUND, .remote = a->remote_dom};
	a->port = p;
	return 0;
}

static long op_send(const struct evtchn_send *s)
{
	struct port *pt = port_get(s->port);

	if (!pt)
		return -EINVAL;
	/* Unbound: Xen drops the notification silently. */
	sim_note_activity();
	if (pt->state != PORT_CONNECTED)
		return 0;
	pt->backend_pending = true;
	if (pt->on_notify)
		pt->on_notify();
	return 0;
}

static long op_close(const struct evtchn_close *c)
{
	struct port *pt = port_get(c->port);

	if (!pt)
		return -EINVAL;
	clear_pending(c->port);
	memset(pt, 0, sizeof(*pt));
	return 0;
}

static long op_unmask(const struct evtchn_unmask *u)
{
	struct shared_info *s = sim_shared_info();
	evtchn_port_t p = u->port;

	if (!p || p >= NR_PORTS)
		return -EINVAL;
	__atomic_fetch_and(word(s->evtchn_mask, p), ~bit(p), __ATOMIC_SEQ_CST);
	/* A pending event that was masked now reaches the vcpu. */
	if (sim_evtchn_guest_pending(p)) {
		__atomic_fetch_or(&s->vcpu_info[0].evtchn_pending_sel,
				  (xen_ulong_t)1 << (p / BITS_PER_WORD), __ATOMIC_SEQ_CST);
		__atomic_store_n(&s->vcpu_info[0].evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	}
	return 0;
}

static long op_status(struct evtchn_status *st)
{
	struct port *pt;

	if (!dom_is_self(st->dom))
		return -EPERM;
	if (!st->port || st->port >= NR_PORTS)
		return -EINVAL;
	pt = port_get(st->port);
	st->vcpu = 0;
	memset(&st->u, 0, sizeof(st->u));
	if (!pt) {
		st->status = EVTCHNSTAT_closed;
	} else if (pt->state == PORT_UNBOUND) {
		st->status = EVTCHNSTAT_unbound;
		st->u.unbound.dom = pt->remote;
	} else {
		st->status = EVTCHNSTAT_interdomain;
		st->u.interdomain.dom = pt->remote;
		st->u.interdomain.port = st->port; /* the backend's number: mirror ours */
	}
	return 0;
}

long sim_evtchn_op(int cmd, void *arg)
{
	if (!arg)
		return -EFAULT;
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return op_alloc_unbound(arg);
	case EVTCHNOP_send:
		return op_send(arg);
	case EVTCHNOP_close:
		return op_close(arg);
	case EVTCHNOP_unmask:
		return op_unmask(arg);
	case EVTCHNOP_status:
		return op_status(arg);
	default:
		return -ENOSYS;
	}
}
