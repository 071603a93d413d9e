// SPDX-License-Identifier: MIT
/*
 * The node tree of the simulated xenstored: names, byte values,
 * permissions (as xenstored keeps them: the first entry names the owner
 * and everyone's default access, the others per domain) and a change
 * generation so that backends can poll what changed below a path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xs_tree.h"

static struct xs_node *node_alloc(const char *name, size_t nlen)
{
	struct xs_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->name = strndup(name, nlen);
	n->value = calloc(1, 1);
	if (!n->name || !n->value) {
		free(n->name);
		free(n->value);
		free(n);
		return NULL;
	}
	return n;
}

struct xs_node *xs_tree_new(void)
{
	struct xs_node *root = node_alloc("", 0);

	if (root) {
		root->perms[0] = (struct xs_perm){'n', 0};
		root->nperms = 1;
	}
	return root;
}

void xs_tree_free(struct xs_node *n)
{
	while (n && n->children) {
		struct xs_node *c = n->children;

		n->children = c->next;
		c->next = NULL;
		xs_tree_free(c);
	}
	if (n) {
		free(n->name);
		free(n->value);
		free(n);
	}
}

static struct xs_node *clone(const struct xs_node *src, struct xs_node *parent)
{
	struct xs_node *n = node_alloc(src->name, strlen(src->name));
	struct xs_node **tail;

	if (!n)
		return NULL;
	if (xs_set_value(n, src->value, src->len)) {
		xs_tree_free(n);
		return NULL;
	}
	memcpy(n->perms, src->perms, sizeof(n->perms));
	n->nperms = src->nperms;
	n->gen = src->gen;
	n->parent = parent;
	tail = &n->children;
	for (const struct xs_node *c = src->children; c; c = c->next) {
		*tail = clone(c, n);
		if (!*tail) {
			xs_tree_free(n);
			return NULL;
		}
		tail = &(*tail)->next;
	}
	return n;
}

struct xs_node *xs_tree_clone(const struct xs_node *root)
{
	return clone(root, NULL);
}

static struct xs_node *child(struct xs_node *n, const char *name, size_t len)
{
	for (struct xs_node *c = n->children; c; c = c->next)
		if (strlen(c->name) == len && !memcmp(c->name, name, len))
			return c;
	return NULL;
}

/* Walk path; *rest is left at the first component that does not exist. */
static struct xs_node *walk(struct xs_node *root, const char *path, const char **rest)
{
	struct xs_node *n = root;
	const char *p = path;

	while (*p == '/')
		p++;
	while (*p) {
		size_t len = strcspn(p, "/");
		struct xs_node *c = child(n, p, len);

		if (!c)
			break;
		n = c;
		p += len;
		while (*p == '/')
			p++;
	}
	*rest = p;
	return n;
}

struct xs_node *xs_lookup(struct xs_node *root, const char *path)
{
	const char *rest;
	struct xs_node *n = walk(root, path, &rest);

	return *rest ? NULL : n;
}

struct xs_node *xs_lookup_existing(struct xs_node *root, const char *path)
{
	const char *rest;

	return walk(root, path, &rest);
}

struct xs_node *xs_create(struct xs_node *root, const char *path, unsigned int dom)
{
	const char *p;
	struct xs_node *n = walk(root, path, &p);

	while (*p) {
		size_t len = strcspn(p, "/");
		struct xs_node *c = node_alloc(p, len), **tail;

		if (!c)
			return NULL;
		memcpy(c->perms, n->perms, sizeof(c->perms));
		c->nperms = n->nperms;
		if (dom != 0) /* unprivileged domains own what they create */
			c->perms[0].dom = dom;
		c->parent = n;
		for (tail = &n->children; *tail; tail = &(*tail)->next)
			;
		*tail = c; /* creation order, as xenstored lists children */
		n = c;
		p += len;
		while (*p == '/')
			p++;
	}
	return n;
}

void xs_remove(struct xs_node *n)
{
	struct xs_node **pp;

	if (!n->parent)
		return;
	for (pp = &n->parent->children; *pp; pp = &(*pp)->next) {
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	}
	n->next = NULL;
	xs_tree_free(n);
}

int xs_set_value(struct xs_node *n, const void *value, unsigned int len)
{
	char *v = malloc(len + 1);

	if (!v)
		return -ENOMEM;
	memcpy(v, value, len);
	v[len] = '\0';
	free(n->value);
	n->value = v;
	n->len = len;
	return 0;
}

void xs_touch(struct xs_node *n, uint64_t gen)
{
	for (; n; n = n->parent)
		n->gen = gen;
}

static int perm_parse_one(const char *s, size_t len, struct xs_perm *p)
{
	unsigned long dom = 0;

	if (len < 2 || !strchr("nrwb", s[0]))
		return -EINVAL;
	for (size_t i = 1; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		dom = dom * 10 + (s[i] - '0');
		if (dom > 0xffff)
			return -EINVAL;
	}
	p->perm = s[0];
	p->dom = dom;
	return 0;
}

int xs_perms_parse(const char *s, size_t len, char sep, struct xs_perm *out, unsigned int *n)
{
	size_t i = 0;

	*n = 0;
	while (i < len) {
		size_t j = i;

		while (j < len && s[j] != sep && s[j] != '\0')
			j++;
		if (*n == XS_MAX_PERMS)
			return -E2BIG;
		if (perm_parse_one(s + i, j - i, &out[*n]))
			return -EINVAL;
		(*n)++;
		i = j + 1;
	}
	return *n ? 0 : -EINVAL;
}

int xs_perms_format(const struct xs_node *n, char *buf, size_t size)
{
	size_t off = 0;

	for (unsigned int i = 0; i < n->nperms; i++) {
		char tmp[16];
		size_t l = 0;
		unsigned int d = n->perms[i].dom;
		char digits[8];
		int nd = 0;

		tmp[l++] = n->perms[i].perm;
		do {
			digits[nd++] = '0' + d % 10;
			d /= 10;
		} while (d);
		while (nd)
			tmp[l++] = digits[--nd];
		tmp[l++] = '\0';
		if (off + l > size)
			return -1;
		memcpy(buf + off, tmp, l);
		off += l;
	}
	return off;
}

bool xs_perm_ok(const struct xs_node *n, unsigned int dom, char need)
{
	char have;

	if (dom == 0 || n->perms[0].dom == dom)
		return true; /* dom0 and the owner may do anything */
	have = n->perms[0].perm;
	for (unsigned int i = 1; i < n->nperms; i++)
		if (n->perms[i].dom == dom)
			have = n->perms[i].perm;
	return have == 'b' || have == need;
}
