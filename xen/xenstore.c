// SPDX-License-Identifier: MIT
/*
 * XenStore client: one request in flight at a time over the xs_wire ring of
 * HVM_PARAM_STORE_PFN, polled. Replies are matched by req_id; watch events
 * that arrive in between are queued (bounded) for xenstore_wait_watch().
 * Every wait is bounded by CONFIG_XEN_WAIT_TIMEOUT_MS and the interruption
 * check the layer above hands down (Ctrl-C), both checked on every turn, and
 * every byte from the ring goes through the xs_msg codec's checks. Finding
 * the ring, which may come late, is xs_connect.c's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/errstr.h>
#include <pvboot/log.h>
#include <pvboot/timer.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/interrupt.h>
#include <pvboot/xen/poll.h>
#include <pvboot/xen/stats.h>
#include <pvboot/xen/xenstore.h>
#include <pvboot/xen/xs_msg.h>
#include "xs_internal.h"

#define EVENT_QUEUE_LEN 32
#define MAX_WATCHES 16
#define MAX_DIR_ENTRIES 8192
/* XS_DIRECTORY_PART: bounds on what we assemble, and on restarts when it changes. */
#define DIR_PART_MAX_BYTES (64 * 1024)
#define DIR_PART_RETRIES 3
/* After a protocol error: discard input until the ring has been quiet this long. */
#define RESYNC_QUIET_MS 20
#define RESYNC_MAX_MS 1000

struct watch_event {
	char *path;
	char *token;
};

struct watch {
	char *path;
	char *token;
};

static struct {
	struct xenstore_domain_interface *intf;
	evtchn_port_t port;
	uint64_t pfn;
	uint32_t req_id;
	struct xs_rx rx;
	char tx[XS_MSG_MAX];
	struct watch_event events[EVENT_QUEUE_LEN];
	unsigned int ev_head, ev_count;
	struct watch watches[MAX_WATCHES];
	struct xenstore_stats st;
	bool came_late;
} xs;

static bool xs_ready(void)
{
	return xs.intf != NULL;
}

static bool watch_with_token(const char *token)
{
	for (unsigned int i = 0; i < MAX_WATCHES; i++)
		if (xs.watches[i].token && !strcmp(xs.watches[i].token, token))
			return true;
	return false;
}

static void free_event(struct watch_event *ev)
{
	free(ev->path);
	free(ev->token);
	ev->path = ev->token = NULL;
}

static void queue_event(const char *payload, uint32_t len)
{
	const char *path, *token;
	struct watch_event *ev;

	if (xs_parse_watch_event(payload, len, &path, &token) < 0) {
		xs.st.proto_errors++;
		return;
	}
	/* Not ours (never set, or removed): a flood of them must not push ours out. */
	if (!watch_with_token(token)) {
		xs.st.events_stray++;
		return;
	}
	if (xs.ev_count == EVENT_QUEUE_LEN) {
		/* Drop the oldest: a waiter re-reads the node anyway. */
		free_event(&xs.events[xs.ev_head]);
		xs.ev_head = (xs.ev_head + 1) % EVENT_QUEUE_LEN;
		xs.ev_count--;
		xs.st.events_dropped++;
	}
	ev = &xs.events[(xs.ev_head + xs.ev_count) % EVENT_QUEUE_LEN];
	ev->path = strdup(path);
	ev->token = strdup(token);
	if (!ev->path || !ev->token) {
		free_event(ev);
		xs.st.events_dropped++;
		return;
	}
	xs.ev_count++;
}

/* Take the oldest queued event for token; true if one was found. */
static bool take_event(const char *token, char **path)
{
	for (unsigned int i = 0; i < xs.ev_count; i++) {
		unsigned int idx = (xs.ev_head + i) % EVENT_QUEUE_LEN;
		struct watch_event ev = xs.events[idx];

		if (strcmp(ev.token, token) != 0)
			continue;
		/* Close the gap, keeping the order of the others. */
		for (unsigned int j = i; j + 1 < xs.ev_count; j++)
			xs.events[(xs.ev_head + j) % EVENT_QUEUE_LEN] =
			    xs.events[(xs.ev_head + j + 1) % EVENT_QUEUE_LEN];
		xs.ev_count--;
		*path = ev.path;
		free(ev.token);
		return true;
	}
	return false;
}

static void drop_events(const char *token)
{
	char *path;

	while (take_event(token, &path))
		free(path);
}

static void notify(void)
{
	evtchn_send(xs.port);
}

/*
 * Pull bytes from the response ring into xs.rx, stopping at the end of a
 * message. Returns 1 if a whole message is in xs.rx, 0 if not yet, -errno on a
 * protocol violation.
 */
static int pull(void)
{
	struct xenstore_domain_interface *intf = xs.intf;
	XENSTORE_RING_IDX cons = READ_ONCE(intf->rsp_cons);
	XENSTORE_RING_IDX prod = READ_ONCE(intf->rsp_prod);
	bool done = false;
	int rc = 0;

	arch_rmb(); /* read the data only after seeing rsp_prod */
	if (prod - cons > XENSTORE_RING_SIZE)
		return -EPROTO;
	while (cons != prod && !done) {
		uint32_t off = MASK_XENSTORE_IDX(cons);
		size_t chunk = MIN(prod - cons, XENSTORE_RING_SIZE - off);

		rc = xs_rx_feed(&xs.rx, intf->rsp + off, chunk, &done);
		if (rc <= 0) /* 0 cannot happen with chunk > 0; never spin on it */
			break;
		cons += rc;
	}
	if (cons != READ_ONCE(intf->rsp_cons)) {
		arch_mb(); /* finish reading before giving the space back */
		WRITE_ONCE(intf->rsp_cons, cons);
		notify();
	}
	if (rc < 0)
		return rc;
	return done;
}

/*
 * A protocol error: count it and discard input until the peer has been quiet
 * for a while (bounded), so the next reply starts on a message boundary.
 * Returns err, for the caller to pass on.
 */
static int protocol_error(int err)
{
	struct xenstore_domain_interface *intf = xs.intf;
	uint64_t give_up = deadline_ms(RESYNC_MAX_MS);
	uint64_t quiet = deadline_ms(RESYNC_QUIET_MS);

	xs.st.proto_errors++;
	while (!deadline_passed(quiet) && !deadline_passed(give_up)) {
		XENSTORE_RING_IDX prod = READ_ONCE(intf->rsp_prod);

		if (xen_interrupted()) {
			err = -EINTR;
			break;
		}
		if (READ_ONCE(intf->rsp_cons) != prod) {
			arch_mb();
			WRITE_ONCE(intf->rsp_cons, prod);
			notify();
			quiet = deadline_ms(RESYNC_QUIET_MS);
		}
		arch_cpu_relax();
	}
	xs_rx_reset(&xs.rx);
	return err;
}

/*
 * Handle the message in xs.rx. Returns true if it is the reply to req_id
 * (left in xs.rx), false if it was queued or dropped.
 */
static bool dispatch(bool waiting, uint32_t req_id)
{
	switch (xs_rx_classify(&xs.rx.hdr, waiting, req_id)) {
	case XS_RX_REPLY:
		return true;
	case XS_RX_EVENT:
		queue_event(xs.rx.payload, xs.rx.hdr.len);
		break;
	case XS_RX_STRAY:
		xs.st.wrong_reqid++;
		break;
	}
	xs_rx_reset(&xs.rx);
	return false;
}

/*
 * Asked on every turn of every wait, whether or not a message came: a server
 * that keeps the ring full must not keep us from our deadline or Ctrl-C.
 * 0 to go on, -ETIMEDOUT or -EINTR to stop.
 */
static int wait_check(uint64_t deadline)
{
	if (deadline_passed(deadline))
		return -ETIMEDOUT;
	if (xen_interrupted())
		return -EINTR;
	return 0;
}

/*
 * The ring was empty: sleep until the server notifies. A notification that
 * came since the ring was read is taken as news at once, so none is lost.
 */
static void wait_idle(uint64_t deadline)
{
	if (!evtchn_clear_pending(xs.port))
		xen_poll_wait(xs.port, deadline);
}

/*
 * Take one message the server sent while no reply is expected (events, late
 * replies), or wait one step: 0 to go on, -errno to stop.
 */
static int pump(uint64_t deadline)
{
	int rc = pull();

	if (rc < 0)
		return protocol_error(rc);
	if (rc > 0)
		dispatch(false, 0);
	else
		wait_idle(deadline);
	return wait_check(deadline);
}

static int send(const char *msg, size_t len, uint64_t deadline)
{
	struct xenstore_domain_interface *intf = xs.intf;
	size_t sent = 0;

	while (sent < len) {
		XENSTORE_RING_IDX cons = READ_ONCE(intf->req_cons);
		XENSTORE_RING_IDX prod = READ_ONCE(intf->req_prod);
		int n, rc;

		arch_mb(); /* see the consumer's progress before overwriting its data */
		n = xs_ring_put(intf->req, cons, &prod, msg + sent, len - sent);
		if (n < 0) {
			xs.st.proto_errors++; /* req_cons moved where it cannot be */
			return n;
		}
		if (n > 0) {
			arch_wmb(); /* data before the index */
			WRITE_ONCE(intf->req_prod, prod);
			notify();
			sent += n;
			continue;
		}
		/*
		 * Ring full: keep taking what the server sends (events, late
		 * replies), in case it waits for room before it reads more.
		 */
		rc = pump(deadline);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Receive the reply to req_id into xs.rx. */
static int receive(uint32_t req_id, uint64_t deadline)
{
	uint32_t strays = xs.st.wrong_reqid;

	for (;;) {
		int rc = pull();

		if (rc < 0)
			return protocol_error(rc);
		if (rc > 0 && dispatch(true, req_id))
			return 0;
		if (rc == 0)
			wait_idle(deadline);
		rc = wait_check(deadline);
		if (rc == -ETIMEDOUT) {
			xs.st.timeouts++;
			/* A half-received message would corrupt the next reply. */
			if (xs_rx_partial(&xs.rx))
				return protocol_error(-EPROTO);
			/* Answers came, none with our id: say so rather than "timed out". */
			return xs.st.wrong_reqid != strays ? -EPROTO : -ETIMEDOUT;
		}
		if (rc < 0)
			return rc;
	}
}

/* Use this ring (mapped, connected) from now on. */
static void attach(const struct xs_ring *r)
{
	xs.pfn = r->pfn;
	xs.port = r->port;
	xs_rx_reset(&xs.rx);
	xs.intf = r->intf;
	xs.came_late = r->late;
}

/*
 * One request/reply. On success the reply payload is returned malloc'd and
 * NUL terminated (if reply is not NULL) and its length is the result.
 */
static int talk(uint32_t type, xs_transaction_t t, const struct xs_part *parts, unsigned int nparts,
		char **reply)
{
	uint64_t deadline = deadline_ms(CONFIG_XEN_WAIT_TIMEOUT_MS);
	uint32_t req_id;
	int len, rc;

	/* Not up at start-up (dom0less): it may be by now. */
	if (!xs_ready()) {
		struct xs_ring r;

		rc = xs_find_ring(&r);
		if (rc < 0)
			return rc == -EAGAIN ? -ENOTCONN : rc;
		r.late = true;
		attach(&r);
		printf("XenStore: up\n");
	}
	if (++xs.req_id == 0)
		xs.req_id = 1;
	req_id = xs.req_id;
	len = xs_msg_build(xs.tx, sizeof(xs.tx), type, req_id, t, parts, nparts);
	if (len < 0)
		return len;
	xs.st.requests++;
	rc = send(xs.tx, len, deadline);
	if (rc == -ETIMEDOUT)
		xs.st.timeouts++;
	if (rc < 0)
		return rc;
	rc = receive(req_id, deadline);
	if (rc < 0)
		return rc;
	rc = xs_reply_check(&xs.rx.hdr, xs.rx.payload, type);
	if (rc == -EPROTO && xs.rx.hdr.type != XS_ERROR)
		xs.st.proto_errors++;
	if (rc == 0) {
		rc = (int)xs.rx.hdr.len;
		if (reply) {
			*reply = malloc(xs.rx.hdr.len + 1);
			if (*reply)
				memcpy(*reply, xs.rx.payload, xs.rx.hdr.len + 1);
			else
				rc = -ENOMEM;
		}
	}
	xs_rx_reset(&xs.rx);
	return rc;
}

static struct xs_part str_part(const char *s)
{
	return (struct xs_part){s, strlen(s) + 1};
}

static int path_op(uint32_t type, xs_transaction_t t, const char *path, char **reply)
{
	struct xs_part p = str_part(path);

	return talk(type, t, &p, 1, reply);
}

int xenstore_connect(unsigned long wait_ms)
{
	struct xs_ring r;
	int rc;

	if (xs_ready())
		return 0;
	rc = xs_wait_for_ring(wait_ms, &r);
	if (!rc)
		attach(&r);
	return rc;
}

bool xenstore_came_late(void)
{
	return xs_ready() && xs.came_late;
}

void xenstore_teardown(void)
{
	if (!xs_ready())
		return;
	for (unsigned int i = 0; i < MAX_WATCHES; i++) {
		if (xs.watches[i].path)
			xenstore_unwatch(xs.watches[i].path, xs.watches[i].token);
	}
	while (xs.ev_count) {
		free_event(&xs.events[xs.ev_head]);
		xs.ev_head = (xs.ev_head + 1) % EVENT_QUEUE_LEN;
		xs.ev_count--;
	}
}

int xenstore_read(xs_transaction_t t, const char *path, char **value)
{
	int rc = path_op(XS_READ, t, path, value);

	return rc < 0 ? rc : 0;
}

int xenstore_write(xs_transaction_t t, const char *path, const char *value)
{
	struct xs_part p[2] = {str_part(path), {value, strlen(value)}};
	int rc = talk(XS_WRITE, t, p, 2, NULL);

	return rc < 0 ? rc : 0;
}

int xenstore_mkdir(xs_transaction_t t, const char *path)
{
	int rc = path_op(XS_MKDIR, t, path, NULL);

	return rc < 0 ? rc : 0;
}

int xenstore_rm(xs_transaction_t t, const char *path)
{
	int rc = path_op(XS_RM, t, path, NULL);

	return rc < 0 ? rc : 0;
}

void xenstore_free_list(char **names, unsigned int count)
{
	if (!names)
		return;
	for (unsigned int i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

/* NUL-separated strings of a reply -> malloc'd array of malloc'd strings. */
static int to_list(const char *payload, int len, char ***names, unsigned int *count)
{
	int n = xs_split_strings(payload, len, NULL, 0);
	const char **s;
	char **out;

	if (n < 0)
		return n;
	if (n > MAX_DIR_ENTRIES)
		return -E2BIG;
	if (n == 0) { /* nothing to free for the caller */
		*names = NULL;
		*count = 0;
		return 0;
	}
	s = calloc(n, sizeof(*s));
	out = calloc(n, sizeof(*out));
	if (!s || !out)
		goto nomem;
	xs_split_strings(payload, len, s, n);
	for (int i = 0; i < n; i++) {
		out[i] = strdup(s[i]);
		if (!out[i]) {
			xenstore_free_list(out, i);
			out = NULL;
			goto nomem;
		}
	}
	free(s);
	*names = out;
	*count = n;
	return 0;
nomem:
	free(s);
	free(out);
	return -ENOMEM;
}

struct dir_parts {
	uint32_t len;
	char gen[24]; /* generation of the first part, "" before it */
	unsigned int restarts;
};

/*
 * Take one XS_DIRECTORY_PART reply. Returns 1 at the end of the list, 0 for
 * more, -errno on a bad reply or when the list keeps changing.
 */
static int dir_parts_add(struct dir_parts *dp, char *buf, const char *reply, int len)
{
	const char *gen, *names;
	uint32_t n;
	bool end;
	int rc = xs_dir_part_parse(reply, len, &gen, &names, &n, &end);

	if (rc < 0)
		return rc;
	if (!end && n == 0)
		return -EPROTO; /* no progress: would loop forever */
	if (strlen(gen) >= sizeof(dp->gen))
		return -EPROTO;
	if (dp->gen[0] && strcmp(dp->gen, gen) != 0) {
		/* Changed between parts: read it again from the start. */
		if (++dp->restarts > DIR_PART_RETRIES)
			return -EAGAIN;
		dp->len = 0;
		dp->gen[0] = '\0';
		return 0;
	}
	strcpy(dp->gen, gen);
	if (dp->len + n > DIR_PART_MAX_BYTES)
		return -E2BIG;
	memcpy(buf + dp->len, names, n);
	dp->len += n;
	return end;
}

/*
 * A list too long for one reply, in parts (as xenstored 4.17 asks): each part
 * starts at a byte offset of the whole list and carries the node's
 * generation; if that changes between parts the list is read again.
 */
static int directory_part(xs_transaction_t t, const char *path, char **list, uint32_t *list_len)
{
	/* Names so far, NUL separated. */
	char *buf = malloc(DIR_PART_MAX_BYTES + 1);
	struct dir_parts dp = {0};
	int rc;

	if (!buf)
		return -ENOMEM;
	do {
		char off[16], *reply = NULL;
		struct xs_part p[2] = {str_part(path), {off, 0}};
		int len;

		p[1].len = snprintf(off, sizeof(off), "%u", dp.len) + 1;
		len = talk(XS_DIRECTORY_PART, t, p, 2, &reply);
		rc = len < 0 ? len : dir_parts_add(&dp, buf, reply, len);
		free(reply);
	} while (rc == 0);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*list = buf;
	*list_len = dp.len;
	return 0;
}

int xenstore_directory(xs_transaction_t t, const char *path, char ***names, unsigned int *count)
{
	char *reply = NULL;
	uint32_t part_len = 0;
	int len = path_op(XS_DIRECTORY, t, path, &reply);
	int rc;

	/* Too long for one reply: xenstored says E2BIG, the parts protocol gets it all. */
	if (len == -E2BIG) {
		free(reply); /* NULL: talk() returns a reply only with a length */
		reply = NULL;
		rc = directory_part(t, path, &reply, &part_len);
		if (rc < 0)
			return rc;
		len = (int)part_len;
	}
	if (len < 0)
		return len;
	rc = to_list(reply ? reply : "", len, names, count);
	free(reply);
	return rc;
}

int xenstore_get_perms(xs_transaction_t t, const char *path, char **perms)
{
	char *reply = NULL;
	int len = path_op(XS_GET_PERMS, t, path, &reply);

	if (len < 0)
		return len;
	if (!reply || len == 0 || reply[len - 1] != '\0') {
		free(reply);
		return -EPROTO;
	}
	/* "n0\0r1\0" -> "n0,r1" */
	for (int i = 0; i < len - 1; i++)
		if (reply[i] == '\0')
			reply[i] = ',';
	*perms = reply;
	return 0;
}

int xenstore_set_perms(xs_transaction_t t, const char *path, const char *perms)
{
	size_t n = strlen(perms);
	char *buf = malloc(n + 1);
	struct xs_part p[2];
	int rc;

	if (!buf)
		return -ENOMEM;
	/* "n0,r1" -> "n0\0r1\0" */
	for (size_t i = 0; i <= n; i++)
		buf[i] = perms[i] == ',' ? '\0' : perms[i];
	p[0] = str_part(path);
	p[1] = (struct xs_part){buf, n + 1};
	rc = talk(XS_SET_PERMS, t, p, 2, NULL);
	free(buf);
	return rc < 0 ? rc : 0;
}

int xenstore_transaction_start(xs_transaction_t *t)
{
	struct xs_part p = {"", 1};
	uint64_t id;
	char *reply = NULL;
	int rc = talk(XS_TRANSACTION_START, XBT_NIL, &p, 1, &reply);

	if (rc < 0)
		return rc;
	rc = xs_parse_u64(reply, &id);
	free(reply);
	if (rc < 0 || id == XBT_NIL || id > UINT32_MAX)
		return -EPROTO;
	*t = (xs_transaction_t)id;
	return 0;
}

int xenstore_transaction_end(xs_transaction_t t, bool abort)
{
	struct xs_part p = {abort ? "F" : "T", 2};
	int rc = talk(XS_TRANSACTION_END, t, &p, 1, NULL);

	return rc < 0 ? rc : 0;
}

static int watch_op(uint32_t type, const char *path, const char *token)
{
	struct xs_part p[2] = {str_part(path), str_part(token)};
	int rc = talk(type, XBT_NIL, p, 2, NULL);

	return rc < 0 ? rc : 0;
}

static struct watch *find_watch(const char *path, const char *token)
{
	for (unsigned int i = 0; i < MAX_WATCHES; i++) {
		struct watch *w = &xs.watches[i];

		if (w->path && !strcmp(w->path, path) && !strcmp(w->token, token))
			return w;
	}
	return NULL;
}

int xenstore_watch(const char *path, const char *token)
{
	struct watch *w = find_watch(path, token);
	int rc;

	if (w)
		return -EEXIST;
	for (unsigned int i = 0; i < MAX_WATCHES && !w; i++)
		if (!xs.watches[i].path)
			w = &xs.watches[i];
	if (!w)
		return -ENOSPC;
	/* Known before the request: xenstored may fire it before we see the reply. */
	w->path = strdup(path);
	w->token = strdup(token);
	rc = w->path && w->token ? watch_op(XS_WATCH, path, token) : -ENOMEM;
	if (rc < 0) {
		drop_events(token);
		free(w->path);
		free(w->token);
		w->path = w->token = NULL;
		return rc;
	}
	xs.st.watches++;
	return 0;
}

int xenstore_unwatch(const char *path, const char *token)
{
	struct watch *w = find_watch(path, token);
	int rc = watch_op(XS_UNWATCH, path, token);

	/* Before freeing: path and token may be w's own strings (teardown). */
	drop_events(token);
	/* Forget it even if the server failed: we will ignore its events anyway. */
	if (w) {
		free(w->path);
		free(w->token);
		w->path = w->token = NULL;
		xs.st.watches--;
	}
	return rc;
}

int xenstore_wait_watch(const char *token, char **path, unsigned long timeout_ms)
{
	uint64_t deadline = deadline_ms(timeout_ms);

	if (!xs_ready())
		return -ENODEV;
	for (;;) {
		int rc;

		if (take_event(token, path))
			return 0;
		rc = pump(deadline);
		if (rc < 0) /* the last message taken may have been ours */
			return take_event(token, path) ? 0 : rc;
	}
}

int xenstore_read_u64(xs_transaction_t t, const char *path, uint64_t *value)
{
	char *s = NULL;
	int rc = xenstore_read(t, path, &s);

	if (rc < 0)
		return rc;
	rc = xs_parse_u64(s, value);
	free(s);
	return rc;
}

int xenstore_printf(xs_transaction_t t, const char *path, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -E2BIG;
	return xenstore_write(t, path, buf);
}

int xenstore_get_stats(struct xenstore_stats *st)
{
	if (!xs_ready())
		return -ENODEV;
	*st = xs.st;
	st->pfn = xs.pfn;
	st->port = xs.port;
	st->events_queued = xs.ev_count;
	return 0;
}

const char *xenstore_strerror(int err)
{
	switch (err) {
	case -E2BIG:
		return "reply too large (protocol violation)";
	case -EPROTO:
		return "malformed or mismatched reply (protocol error)";
	case -ETIMEDOUT:
		return "no reply from xenstored (timed out)";
	case -ENOTCONN:
		return "XenStore is not up yet (dom0 has not run init-dom0less)";
	default:
		return errno_str(err);
	}
}
