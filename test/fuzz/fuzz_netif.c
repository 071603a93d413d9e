// SPDX-License-Identifier: MIT
/*
 * netfront's data path against a hostile netback: the real driver
 * (drivers/net/netfront.c) is connected through fake XenStore and grant
 * services, then the input plays the backend: it writes RX and TX
 * responses (plausible or raw) and rsp_prod values into the shared rings
 * while the driver polls and sends. Every frame handed up must lie within
 * a private buffer and a frame's bounds; nothing may crash, read out of
 * bounds or loop forever; the hand-off must release every grant.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/device.h>
#include <pvboot/errstr.h>
#include <pvboot/eth.h>
#include <pvboot/log.h>
#include <pvboot/netfront.h>
#include <pvboot/timer.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/gnttab.h>
#include <pvboot/xen/xenbus.h>
#include <pvboot/xen/xenstore.h>
#include "../../drivers/net/netif_ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ALLOCS 64
#define MAX_GRANTS 1024

static const uint8_t *in;
static size_t in_len, in_pos;
static uint64_t now_us;
static struct {
	void *p;
	size_t size;
} allocs[MAX_ALLOCS];
static uint64_t granted_frame[MAX_GRANTS]; /* 0: free */
static unsigned int grants_live;

static uint8_t take8(void)
{
	return in_pos < in_len ? in[in_pos++] : 0;
}

/* ---- fake services ---------------------------------------------------------- */
int log_level = LOG_ERR;
void log_msg(enum log_level level, const char *fmt, ...)
{
}
const char *errno_str(int err)
{
	return "error";
}
uint64_t timer_us(void)
{
	return now_us;
}
unsigned long get_timer(unsigned long base)
{
	return (unsigned long)(now_us / 1000) - base;
}
uint64_t deadline_ms(unsigned long ms)
{
	return now_us + (uint64_t)ms * 1000;
}
bool deadline_passed(uint64_t deadline)
{
	return now_us >= deadline;
}
void arch_rmb(void)
{
}
void arch_wmb(void)
{
}
void arch_mb(void)
{
}
void *arch_shared_alloc(size_t size)
{
	/* A small domU: netfront must make do with 32 RX buffers (and runs faster here). */
	if (size > 128 * 1024)
		return NULL;
	for (int i = 0; i < MAX_ALLOCS; i++) {
		if (allocs[i].p)
			continue;
		allocs[i].p = aligned_alloc(PAGE_SIZE, size);
		if (!allocs[i].p)
			return NULL;
		memset(allocs[i].p, 0, size);
		allocs[i].size = size;
		return allocs[i].p;
	}
	return NULL;
}
void arch_shared_free(void *p, size_t size)
{
	for (int i = 0; i < MAX_ALLOCS; i++) {
		if (allocs[i].p != p)
			continue;
		if (allocs[i].size != size)
			abort();
		free(p);
		allocs[i].p = NULL;
		return;
	}
	abort(); /* freeing what was never allocated */
}
static bool in_shared(const void *p, size_t len)
{
	for (int i = 0; i < MAX_ALLOCS; i++)
		if (allocs[i].p && (const uint8_t *)p < (uint8_t *)allocs[i].p + allocs[i].size &&
		    (const uint8_t *)p + len > (uint8_t *)allocs[i].p)
			return true;
	return false;
}
int gnttab_grant_access(domid_t domid, uint64_t frame, bool readonly)
{
	for (int r = 8; r < MAX_GRANTS; r++) {
		if (granted_frame[r])
			continue;
		granted_frame[r] = frame;
		grants_live++;
		return r;
	}
	return -ENOSPC;
}
int gnttab_end_access(grant_ref_t ref)
{
	if (ref >= MAX_GRANTS || !granted_frame[ref])
		abort(); /* ending a grant that was never made, or twice */
	granted_frame[ref] = 0;
	grants_live--;
	return 0;
}
int evtchn_alloc_unbound(domid_t d, evtchn_port_t *port)
{
	*port = 5;
	return 0;
}
int evtchn_close(evtchn_port_t port)
{
	return 0;
}
int evtchn_send(evtchn_port_t port)
{
	return 0;
}
int evtchn_poll(evtchn_port_t port, unsigned long ms)
{
	now_us += ms * 1000;
	return -ETIMEDOUT;
}
int xenbus_list_devices(const char *type, char ***ids, unsigned int *count)
{
	*ids = calloc(1, sizeof(char *));
	(*ids)[0] = strdup("0");
	*count = 1;
	return 0;
}
void xenstore_free_list(char **names, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		free(names[i]);
	free(names);
}
int xenbus_device_init(struct xenbus_device *dev, const char *type, const char *id)
{
	memset(dev, 0, sizeof(*dev));
	snprintf(dev->nodename, sizeof(dev->nodename), "device/%s/%s", type, id);
	snprintf(dev->otherend, sizeof(dev->otherend), "/backend/%s/%s", type, id);
	strcpy(dev->devid, id);
	return 0;
}
int xenbus_switch_state(struct xenbus_device *dev, XenbusState state)
{
	return 0;
}
static XenbusState backend_state;
int xenbus_read_otherend_state(struct xenbus_device *dev, XenbusState *state)
{
	*state = backend_state;
	return 0;
}
/* The backend reaches whatever state is waited for (InitWait, then Connected). */
int xenbus_wait_otherend(struct xenbus_device *dev, unsigned int mask, unsigned long ms)
{
	if (mask & (1u << XenbusStateInitWait))
		return XenbusStateInitWait;
	if (mask & (1u << XenbusStateConnected))
		return XenbusStateConnected;
	return XenbusStateClosed;
}
int xenbus_wait_backend_ready(struct xenbus_device *dev, const char *who, unsigned long ms)
{
	return 0; /* InitWait, as xenbus_wait_otherend() above */
}
int xenbus_disconnect(struct xenbus_device *dev, unsigned long ms)
{
	backend_state = XenbusStateClosed;
	return 0;
}
int xenbus_disconnect_released(struct xenbus_device *dev, unsigned long ms)
{
	return xenbus_disconnect(dev, ms);
}
int xenbus_otherend_gone(struct xenbus_device *dev)
{
	return backend_state != XenbusStateConnected;
}
const char *xenbus_strstate(XenbusState state)
{
	return "state";
}
int xenstore_read(xs_transaction_t t, const char *path, char **value)
{
	*value = strdup(strstr(path, "/mac") ? "00:16:3e:00:00:01" : "1");
	return 0;
}
int xenstore_read_u64(xs_transaction_t t, const char *path, uint64_t *value)
{
	*value = 1; /* every feature on, as netback offers them */
	return 0;
}
int xenstore_printf(xs_transaction_t t, const char *path, const char *fmt, ...)
{
	return 0;
}
int xenstore_rm(xs_transaction_t t, const char *path)
{
	return 0;
}
int xenstore_transaction_start(xs_transaction_t *t)
{
	*t = 1;
	return 0;
}
int xenstore_transaction_end(xs_transaction_t t, bool abort_it)
{
	return 0;
}

/* ---- the hostile backend ------------------------------------------------------ */
static netif_rx_sring_t *rx_sring(void)
{
	/* The rings are the first two shared pages netfront allocated: TX, then RX. */
	return allocs[1].p;
}
static netif_tx_sring_t *tx_sring(void)
{
	return allocs[0].p;
}

static void backend_rx(void)
{
	netif_rx_sring_t *s = rx_sring();
	unsigned int n = take8() % 40;
	RING_IDX prod = s->rsp_prod;

	for (unsigned int i = 0; i < n; i++, prod++) {
		netif_rx_response_t *r = &s->ring[prod % NETIF_RING_SLOTS].rsp;
		uint8_t how = take8();

		if (how & 1) { /* plausible: the id posted in the slot, a frame at 0 */
			r->id = s->ring[prod % NETIF_RING_SLOTS].req.id;
			r->offset = (uint16_t)(how & 2 ? take8() * 16 : 0);
			r->flags = (uint16_t)(take8() & 0x1f);
			r->status = (int16_t)(take8() * 8 - 64);
		} else {
			for (size_t k = 0; k < sizeof(*r); k++)
				((uint8_t *)r)[k] = take8();
		}
	}
	if (take8() & 1)
		prod += (uint32_t)take8() << 8; /* a wild index */
	s->rsp_prod = prod;
}

static void backend_tx(void)
{
	netif_tx_sring_t *s = tx_sring();
	unsigned int n = take8() % 8;
	RING_IDX prod = s->rsp_prod;

	for (unsigned int i = 0; i < n && prod != s->req_prod; i++, prod++) {
		netif_tx_response_t *r = &s->ring[prod % NETIF_RING_SLOTS].rsp;
		uint16_t id = s->ring[prod % NETIF_RING_SLOTS].req.id;

		r->id = take8() & 1 ? id : (uint16_t)(take8() | take8() << 8);
		r->status = (int16_t)((int8_t)take8() % 3);
	}
	s->rsp_prod = prod;
}

static void rx_cb(void *ctx, const uint8_t *frame, size_t len, unsigned int flags)
{
	static uint8_t sink[ETH_RX_MAX];

	if (len > ETH_RX_MAX || in_shared(frame, len))
		abort();	  /* oversized, or still in memory the backend can write */
	memcpy(sink, frame, len); /* ASan checks every byte handed up */
	if (getenv("FUZZ_NET_DEBUG"))
		fprintf(stderr, "frame of %zu bytes\n", len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t frame[ETH_FRAME_MAX];
	struct eth_dev *dev;
	unsigned int steps = 0;

	in = data;
	in_len = size;
	in_pos = 0;
	backend_state = XenbusStateConnected;
	netfront_init();
	dev = eth_first();
	if (!dev)
		abort(); /* the fakes connect it */
	while (dev && in_pos < in_len && steps++ < 200) {
		switch (take8() % 4) {
		case 0:
			backend_rx();
			break;
		case 1:
			backend_tx();
			break;
		case 2:
			if (dev->ops->poll(dev, rx_cb, NULL, 64) < 0)
				dev = NULL;
			break;
		case 3:
			if (dev->ops->send(dev, frame, 14 + take8() * 5) == -ENODEV)
				dev = NULL;
			break;
		}
	}
	device_remove_all(DEVICE_FLAG_OS_PREPARE);
	if (grants_live || eth_first())
		abort(); /* the hand-off must give everything back */
	return 0;
}
