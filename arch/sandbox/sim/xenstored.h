/* SPDX-License-Identifier: MIT */
/* Internals of the simulated xenstored, for xs_data.c, the `sim` command and unit tests. */
#ifndef SANDBOX_SIM_XENSTORED_H
#define SANDBOX_SIM_XENSTORED_H

#include "sim.h"
#include "xs_tree.h"
#include <xen/io/xs_wire.h>

/* Empty store, no watches, no transactions, fault counters zero. */
void xs_server_reset(void);
/* Serve ring (zeroed, marked connected) and notify the guest on port. */
void xs_server_attach(struct xenstore_domain_interface *ring, evtchn_port_t port);
/* One round: read whole requests, answer, write what fits. */
void xs_server_poll(void);
/* dom0 write with explicit permissions ("n0,r1"; NULL: inherit). */
int xs_write_perms(const char *path, const char *value, const char *perms);
/* Guest path to canonical absolute path; -EINVAL for what xenstored refuses. */
int xs_canonical(const char *path, char *out, size_t size, bool *relative);

/* Between the request handling (xenstored.c) and the connection (xs_ring.c). */
void xs_handle(const struct xsd_sockmsg *req, const char *payload);
void xs_forget_connection(void); /* watches and transactions of the guest */
void xs_ring_reset(void);
void xs_reply(const struct xsd_sockmsg *req, uint32_t type, const void *data, size_t len);
void xs_reply_ok(const struct xsd_sockmsg *req);
void xs_reply_error(const struct xsd_sockmsg *req, int err); /* err: errno, either sign */
void xs_send_event(const void *data, size_t len);

#endif
