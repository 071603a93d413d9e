// SPDX-License-Identifier: MIT
/*
 * A xenstored for one guest, speaking xs_wire over the ring at
 * HVM_PARAM_STORE_PFN: requests are framed by struct xsd_sockmsg, replies
 * echo req_id and tx_id, errors are XS_ERROR with the errno name as text,
 * watches fire once when set (as xenstored does) and on every change at or
 * below their path, transactions see a private copy of the store and fail
 * with EAGAIN when something they touched changed meanwhile. Permissions
 * are enforced for the guest (domain 1) as xenstored enforces them.
 * The ring and the reply faults are in xs_ring.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_internal.h"
#include "xs_tree.h"
#include "xenstored.h"
#include <xen/io/xs_wire.h>

#define GUEST_HOME "/local/domain/1"
#define MAX_TRANSACTIONS 10
#define MAX_WATCHES 128

struct watch {
	char *path; /* absolute, or "@..." special */
	char *token;
	bool relative; /* events report the path relative to GUEST_HOME */
	struct watch *next;
};

enum tx_op { TX_WRITE, TX_MKDIR, TX_RM, TX_SETPERMS };

struct tx_log {
	enum tx_op op;
	char *path;
	char *data; /* value, or wire-form perms */
	unsigned int len;
	struct tx_log *next;
};

struct tx_access {
	char *path;
	struct tx_access *next;
};

struct transaction {
	uint32_t id;
	struct xs_node *root; /* private copy */
	uint64_t start_gen;
	struct tx_log *log, **log_tail;
	struct tx_access *accessed;
	struct transaction *next;
};

/* What an operation works on: the store or a transaction's copy, as which domain. */
struct ctx {
	struct xs_node *root;
	struct transaction *tx;
	unsigned int dom;   /* whose permissions are checked (0: none) */
	unsigned int owner; /* who owns what gets created */
};

static struct xs_node *store;
static uint64_t generation;
static struct watch *watches;
static unsigned int nr_watches;
static struct transaction *transactions;
static uint32_t next_tx_id = 1;
static unsigned int eagain_injected;

/* ---- paths ---- */

static bool valid_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '/' || c == '_' || c == '@';
}

/* Canonical absolute form of a guest path, or -EINVAL as xenstored answers. */
int xs_canonical(const char *path, char *out, size_t size, bool *relative)
{
	size_t len = strlen(path);

	*relative = path[0] != '/';
	if (path[0] == '@') { /* special watch paths: @introduceDomain, @releaseDomain */
		if (len >= size)
			return -EINVAL;
		strcpy(out, path);
		return 0;
	}
	if (len > (*relative ? XENSTORE_REL_PATH_MAX : XENSTORE_ABS_PATH_MAX))
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (!valid_char(path[i]) || (path[i] == '/' && path[i + 1] == '/'))
			return -EINVAL;
	if (len > 1 && path[len - 1] == '/')
		return -EINVAL;
	if (*relative) {
		if (sizeof(GUEST_HOME) + len + 1 > size)
			return -EINVAL;
		strcpy(out, GUEST_HOME);
		if (len) {
			strcat(out, "/");
			strcat(out, path);
		}
	} else {
		if (len >= size)
			return -EINVAL;
		strcpy(out, path);
	}
	return 0;
}

static bool is_under(const char *path, const char *top)
{
	size_t n = strlen(top);

	if (!strcmp(top, "/"))
		return path[0] == '/';
	return !strncmp(path, top, n) && (path[n] == '\0' || path[n] == '/');
}

/* ---- watches ---- */

static void fire(const struct watch *w, const char *path)
{
	char buf[XENSTORE_ABS_PATH_MAX + 256];
	size_t plen, tlen = strlen(w->token) + 1;

	if (w->relative && is_under(path, GUEST_HOME) && strcmp(path, GUEST_HOME))
		path += sizeof(GUEST_HOME); /* "/local/domain/1/" stripped */
	plen = strlen(path) + 1;
	if (plen + tlen > sizeof(buf))
		return;
	memcpy(buf, path, plen);
	memcpy(buf + plen, w->token, tlen);
	xs_send_event(buf, plen + tlen);
}

static void fire_watches(const char *path, bool removed)
{
	struct xs_node *n = removed ? NULL : xs_lookup(store, path);

	/* As xenstored: no event about a node the guest may not read. */
	if (n && !xs_perm_ok(n, SIM_GUEST_DOMID, 'r'))
		return;
	for (struct watch *w = watches; w; w = w->next) {
		if (w->path[0] == '@')
			continue;
		if (is_under(path, w->path))
			fire(w, path);
		else if (removed && is_under(w->path, path))
			fire(w, w->path); /* a watched node went with its parent */
	}
}

/* ---- the store, with or without a transaction ---- */

static void note_access(struct ctx *c, const char *path)
{
	struct tx_access *a;

	if (!c->tx)
		return;
	for (a = c->tx->accessed; a; a = a->next)
		if (!strcmp(a->path, path))
			return;
	a = calloc(1, sizeof(*a));
	if (a && (a->path = strdup(path))) {
		a->next = c->tx->accessed;
		c->tx->accessed = a;
	} else {
		free(a);
	}
}

static void note_change(struct ctx *c, struct xs_node *n, const char *path, enum tx_op op,
			const void *data, unsigned int len)
{
	if (c->tx) {
		struct tx_log *l = calloc(1, sizeof(*l));

		note_access(c, path);
		xs_touch(n, generation + 1);
		if (!l || !(l->path = strdup(path)) || !(l->data = malloc(len + 1))) {
			sim_log("xenstored: out of memory in a transaction");
			if (l)
				free(l->path);
			free(l);
			return;
		}
		l->op = op;
		memcpy(l->data, data, len);
		l->len = len;
		*c->tx->log_tail = l;
		c->tx->log_tail = &l->next;
		return;
	}
	xs_touch(n, ++generation);
	fire_watches(path, op == TX_RM);
}

static int do_read(struct ctx *c, const char *path, struct xs_node **out)
{
	struct xs_node *n = xs_lookup(c->root, path);

	note_access(c, path);
	if (!n)
		return -ENOENT;
	if (!xs_perm_ok(n, c->dom, 'r'))
		return -EACCES;
	*out = n;
	return 0;
}

static int do_write(struct ctx *c, const char *path, const void *value, unsigned int len,
		    bool mkdir)
{
	struct xs_node *n = xs_lookup(c->root, path);

	if (!n) {
		struct xs_node *parent = xs_lookup_existing(c->root, path);

		if (!xs_perm_ok(parent, c->dom, 'w'))
			return -EACCES;
		n = xs_create(c->root, path, c->owner);
		if (!n)
			return -ENOMEM;
	} else if (mkdir) {
		return 0; /* exists already: fine, nothing changes */
	} else if (!xs_perm_ok(n, c->dom, 'w')) {
		return -EACCES;
	}
	if (!mkdir && xs_set_value(n, value, len))
		return -ENOMEM;
	note_change(c, n, path, mkdir ? TX_MKDIR : TX_WRITE, value, len);
	return 0;
}

static int do_rm(struct ctx *c, const char *path)
{
	struct xs_node *n = xs_lookup(c->root, path), *parent;

	if (!n) {
		/* xenstored: removing a missing node under an existing parent succeeds */
		char *slash = strrchr(path, '/');
		char pbuf[XENSTORE_ABS_PATH_MAX + 1];

		note_access(c, path);
		if (!slash || slash == path)
			return -ENOENT;
		memcpy(pbuf, path, slash - path);
		pbuf[slash - path] = '\0';
		return xs_lookup(c->root, pbuf) ? 0 : -ENOENT;
	}
	if (!n->parent)
		return -EINVAL; /* "/" */
	if (!xs_perm_ok(n, c->dom, 'w'))
		return -EACCES;
	parent = n->parent;
	xs_remove(n);
	note_change(c, parent, path, TX_RM, "", 0);
	return 0;
}

static int do_set_perms(struct ctx *c, const char *path, const char *perms, unsigned int len)
{
	struct xs_node *n = xs_lookup(c->root, path);
	struct xs_perm p[XS_MAX_PERMS];
	unsigned int np;

	if (!n)
		return -ENOENT;
	if (c->dom && n->perms[0].dom != c->dom)
		return -EACCES; /* only the owner (or dom0) */
	if (xs_perms_parse(perms, len, '\0', p, &np))
		return -EINVAL;
	memcpy(n->perms, p, sizeof(p));
	n->nperms = np;
	note_change(c, n, path, TX_SETPERMS, perms, len);
	return 0;
}

/* ---- transactions ---- */

static struct transaction *tx_find(uint32_t id)
{
	for (struct transaction *t = transactions; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

static void tx_free(struct transaction *t)
{
	struct transaction **pp;

	for (pp = &transactions; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	while (t->log) {
		struct tx_log *l = t->log;

		t->log = l->next;
		free(l->path);
		free(l->data);
		free(l);
	}
	while (t->accessed) {
		struct tx_access *a = t->accessed;

		t->accessed = a->next;
		free(a->path);
		free(a);
	}
	xs_tree_free(t->root);
	free(t);
}

static int tx_start(uint32_t *id)
{
	struct transaction *t;
	unsigned int n = 0;

	for (t = transactions; t; t = t->next)
		n++;
	if (n >= MAX_TRANSACTIONS)
		return -ENOSPC;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->root = xs_tree_clone(store);
	if (!t->root) {
		free(t);
		return -ENOMEM;
	}
	t->id = next_tx_id++;
	if (!next_tx_id)
		next_tx_id = 1;
	t->start_gen = generation;
	t->log_tail = &t->log;
	t->next = transactions;
	transactions = t;
	*id = t->id;
	return 0;
}

static bool tx_conflicts(struct transaction *t)
{
	for (struct tx_access *a = t->accessed; a; a = a->next)
		if (xs_lookup_existing(store, a->path)->gen > t->start_gen)
			return true;
	return false;
}

/* Replay the transaction's changes on the store; permissions were checked in the copy. */
static void tx_commit(struct transaction *t, unsigned int dom)
{
	struct ctx c = {store, NULL, 0, dom};

	for (struct tx_log *l = t->log; l; l = l->next) {
		switch (l->op) {
		case TX_WRITE:
		case TX_MKDIR:
			do_write(&c, l->path, l->data, l->len, l->op == TX_MKDIR);
			break;
		case TX_RM:
			do_rm(&c, l->path);
			break;
		case TX_SETPERMS:
			do_set_perms(&c, l->path, l->data, l->len);
			break;
		}
	}
}

static int tx_end(uint32_t id, bool commit, unsigned int dom)
{
	struct transaction *t = tx_find(id);
	int err = 0;

	if (!t)
		return -ENOENT;
	if (commit) {
		if (eagain_injected < (unsigned long)sim_fault_value("xs-eagain", 0)) {
			eagain_injected++;
			err = -EAGAIN;
		} else if (tx_conflicts(t)) {
			err = -EAGAIN;
		} else {
			tx_commit(t, dom);
		}
	}
	tx_free(t);
	return err;
}

/* ---- requests ---- */

/* The idx-th NUL-terminated string of the payload, or NULL. */
static const char *arg(const char *p, size_t len, unsigned int idx, size_t *end)
{
	size_t i = 0;

	for (;;) {
		const char *nul = memchr(p + i, '\0', len - i);

		if (!nul)
			return NULL;
		if (!idx--) {
			if (end)
				*end = nul - p + 1;
			return p + i;
		}
		i = nul - p + 1;
		if (i >= len)
			return NULL;
	}
}

static int watch_add(const char *path, const char *token, bool relative)
{
	struct watch *w;

	for (w = watches; w; w = w->next)
		if (!strcmp(w->path, path) && !strcmp(w->token, token))
			return -EEXIST;
	if (nr_watches >= MAX_WATCHES)
		return -E2BIG;
	w = calloc(1, sizeof(*w));
	if (!w || !(w->path = strdup(path)) || !(w->token = strdup(token))) {
		if (w)
			free(w->path);
		free(w);
		return -ENOMEM;
	}
	w->relative = relative;
	w->next = watches;
	watches = w;
	nr_watches++;
	return 0;
}

static int watch_del(const char *path, const char *token)
{
	for (struct watch **pp = &watches; *pp; pp = &(*pp)->next) {
		struct watch *w = *pp;

		if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
			*pp = w->next;
			free(w->path);
			free(w->token);
			free(w);
			nr_watches--;
			return 0;
		}
	}
	return -ENOENT;
}

static void watch_reset(void)
{
	while (watches) {
		struct watch *w = watches;

		watches = w->next;
		free(w->path);
		free(w->token);
		free(w);
	}
	nr_watches = 0;
}

static void handle_directory(const struct xsd_sockmsg *req, struct ctx *c, const char *path)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t off = 0;
	struct xs_node *n;
	int err = do_read(c, path, &n);

	if (err)
		return xs_reply_error(req, err);
	for (struct xs_node *k = n->children; k; k = k->next) {
		size_t l = strlen(k->name) + 1;

		if (off + l > sizeof(buf))
			return xs_reply_error(req, E2BIG);
		memcpy(buf + off, k->name, l);
		off += l;
	}
	xs_reply(req, XS_DIRECTORY, buf, off);
}

/*
 * XS_DIRECTORY_PART (path, byte offset): the node's generation, then the
 * names from that offset of the full list that fit, then an empty name if
 * that was the end, as xenstored answers for lists too long for one reply.
 */
static void handle_directory_part(const struct xsd_sockmsg *req, struct ctx *c, const char *path,
				  const char *offset)
{
	char buf[XENSTORE_PAYLOAD_MAX], *end;
	unsigned long skip = strtoul(offset ? offset : "", &end, 10), pos = 0;
	struct xs_node *n;
	size_t off;
	int err;

	if (!offset || !*offset || *end)
		return xs_reply_error(req, EINVAL);
	err = do_read(c, path, &n);
	if (err)
		return xs_reply_error(req, err);
	off = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)n->gen) + 1;
	for (struct xs_node *k = n->children; k; k = k->next) {
		size_t l = strlen(k->name) + 1;

		if (pos >= skip) {
			if (off + l + 1 > sizeof(buf))
				return xs_reply(req, XS_DIRECTORY_PART, buf,
						off); /* more to come */
			memcpy(buf + off, k->name, l);
			off += l;
		}
		pos += l;
	}
	if (skip > pos)
		return xs_reply_error(req, EINVAL);
	buf[off++] = '\0'; /* the end of the list */
	xs_reply(req, XS_DIRECTORY_PART, buf, off);
}

void xs_handle(const struct xsd_sockmsg *req, const char *payload)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct ctx c = {store, NULL, SIM_GUEST_DOMID, SIM_GUEST_DOMID};
	size_t end = 0;
	const char *p0 = arg(payload, req->len, 0, &end);
	bool relative = false;
	struct xs_node *n;
	uint32_t id;
	int err = 0;

	if (req->tx_id && req->type != XS_WATCH && req->type != XS_UNWATCH) {
		c.tx = tx_find(req->tx_id);
		if (!c.tx)
			return xs_reply_error(req, ENOENT);
		c.root = c.tx->root;
	}
	switch (req->type) {
	case XS_READ:
	case XS_WRITE:
	case XS_MKDIR:
	case XS_RM:
	case XS_DIRECTORY:
	case XS_DIRECTORY_PART:
	case XS_GET_PERMS:
	case XS_SET_PERMS:
	case XS_WATCH:
	case XS_UNWATCH:
		if (!p0 || xs_canonical(p0, path, sizeof(path), &relative))
			return xs_reply_error(req, EINVAL);
		break;
	default:
		break;
	}
	switch (req->type) {
	case XS_READ:
		err = do_read(&c, path, &n);
		if (!err)
			xs_reply(req, XS_READ, n->value, n->len);
		break;
	case XS_WRITE:
		err = do_write(&c, path, payload + end, req->len - end, false);
		if (!err)
			xs_reply_ok(req);
		break;
	case XS_MKDIR:
		err = do_write(&c, path, "", 0, true);
		if (!err)
			xs_reply_ok(req);
		break;
	case XS_RM:
		err = do_rm(&c, path);
		if (!err)
			xs_reply_ok(req);
		break;
	case XS_DIRECTORY:
		handle_directory(req, &c, path);
		break;
	case XS_DIRECTORY_PART:
		handle_directory_part(req, &c, path, arg(payload, req->len, 1, NULL));
		break;
	case XS_GET_PERMS: {
		char buf[XS_MAX_PERMS * 8];
		int len;

		err = do_read(&c, path, &n);
		if (!err) {
			len = xs_perms_format(n, buf, sizeof(buf));
			xs_reply(req, XS_GET_PERMS, buf, len);
		}
		break;
	}
	case XS_SET_PERMS:
		err = do_set_perms(&c, path, payload + end, req->len - end);
		if (!err)
			xs_reply_ok(req);
		break;
	case XS_WATCH: {
		const char *token = arg(payload, req->len, 1, NULL);

		err = token ? watch_add(path, token, relative) : -EINVAL;
		if (!err) {
			xs_reply_ok(req);
			/* xenstored fires every new watch once, whether the node exists or not */
			fire(watches, path);
		}
		break;
	}
	case XS_UNWATCH: {
		const char *token = arg(payload, req->len, 1, NULL);

		err = token ? watch_del(path, token) : -EINVAL;
		if (!err)
			xs_reply_ok(req);
		break;
	}
	case XS_TRANSACTION_START: {
		char buf[16];
		int l = 0;

		if (req->tx_id)
			return xs_reply_error(req, EBUSY);
		err = tx_start(&id);
		if (err)
			break;
		for (uint32_t v = id, d = 1000000000; d; d /= 10)
			if (v / d || l || d == 1)
				buf[l++] = '0' + (v / d) % 10;
		buf[l++] = '\0';
		xs_reply(req, XS_TRANSACTION_START, buf, l);
		break;
	}
	case XS_TRANSACTION_END:
		if (!p0 || (strcmp(p0, "T") && strcmp(p0, "F")))
			return xs_reply_error(req, EINVAL);
		err = tx_end(req->tx_id, !strcmp(p0, "T"), SIM_GUEST_DOMID);
		if (!err)
			xs_reply_ok(req);
		break;
	case XS_GET_DOMAIN_PATH:
		if (!p0)
			return xs_reply_error(req, EINVAL);
		if (strcmp(p0, "1"))
			return xs_reply_error(req, ENOENT);
		xs_reply(req, XS_GET_DOMAIN_PATH, GUEST_HOME, sizeof(GUEST_HOME));
		break;
	case XS_RESET_WATCHES:
		watch_reset();
		xs_reply_ok(req);
		break;
	default:
		/* control, introduce, release...: not for a domU */
		err = req->type < XS_TYPE_COUNT ? -EACCES : -EINVAL;
		break;
	}
	if (err)
		xs_reply_error(req, err);
}

void xs_forget_connection(void)
{
	watch_reset();
	while (transactions)
		tx_free(transactions);
}

void xs_server_reset(void)
{
	xs_forget_connection();
	xs_tree_free(store);
	store = xs_tree_new();
	generation = 0;
	eagain_injected = 0;
	next_tx_id = 1;
	xs_ring_reset();
}

/* ---- dom0's side: toolstack and backends write directly ---- */

static int dom0_path(const char *path, char *out, size_t size)
{
	bool rel;

	if (path[0] != '/')
		return -EINVAL;
	return xs_canonical(path, out, size, &rel);
}

int sim_xs_write(const char *path, const char *value)
{
	char p[XENSTORE_ABS_PATH_MAX + 1];
	struct ctx c = {store, NULL, 0, 0};

	if (dom0_path(path, p, sizeof(p)))
		return -EINVAL;
	return do_write(&c, p, value, strlen(value), false);
}

/* The toolstack's way of creating a node with given permissions ("n0,r1"). */
int xs_write_perms(const char *path, const char *value, const char *perms)
{
	char p[XENSTORE_ABS_PATH_MAX + 1];
	struct ctx c = {store, NULL, 0, 0};
	struct xs_node *n;
	int err;

	if (dom0_path(path, p, sizeof(p)))
		return -EINVAL;
	err = do_write(&c, p, value, strlen(value), false);
	n = err ? NULL : xs_lookup(store, p);
	if (n && perms && xs_perms_parse(perms, strlen(perms), ',', n->perms, &n->nperms))
		return -EINVAL;
	return err;
}

char *sim_xs_read(const char *path)
{
	char p[XENSTORE_ABS_PATH_MAX + 1];
	struct xs_node *n;

	if (dom0_path(path, p, sizeof(p)))
		return NULL;
	n = xs_lookup(store, p);
	return n ? strdup(n->value) : NULL;
}

int sim_xs_rm(const char *path)
{
	char p[XENSTORE_ABS_PATH_MAX + 1];
	struct ctx c = {store, NULL, 0, 0};

	if (dom0_path(path, p, sizeof(p)))
		return -EINVAL;
	return do_rm(&c, p);
}

bool sim_xs_changed(const char *path, unsigned long *gen)
{
	char p[XENSTORE_ABS_PATH_MAX + 1];
	struct xs_node *n;

	if (dom0_path(path, p, sizeof(p)))
		return false;
	n = xs_lookup_existing(store, p); /* a removed node shows as its parent's change */
	if (n->gen == *gen)
		return false;
	*gen = n->gen;
	return true;
}
