/* SPDX-License-Identifier: MIT */
/* The simulated xenstored's node tree (one per committed store, one per open transaction). */
#ifndef SANDBOX_SIM_XS_TREE_H
#define SANDBOX_SIM_XS_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XS_MAX_PERMS 8

struct xs_perm {
	char perm; /* 'n' none, 'r' read, 'w' write, 'b' both */
	unsigned int dom;
};

struct xs_node {
	char *name;
	char *value; /* bytes, not necessarily a string; always NUL-terminated extra */
	unsigned int len;
	struct xs_perm perms[XS_MAX_PERMS]; /* [0]: owner and everyone's default */
	unsigned int nperms;
	uint64_t gen; /* last change at or below this node */
	struct xs_node *parent, *children, *next;
};

struct xs_node *xs_tree_new(void); /* just "/", owned by dom0, "n0" */
void xs_tree_free(struct xs_node *root);
struct xs_node *xs_tree_clone(const struct xs_node *root);

/* Absolute, canonical paths only ("/", "/local/domain/1"). */
struct xs_node *xs_lookup(struct xs_node *root, const char *path);
/* Deepest existing node on path (root at worst). */
struct xs_node *xs_lookup_existing(struct xs_node *root, const char *path);
/* Create path and missing parents (inheriting perms, owner = dom when dom != 0). */
struct xs_node *xs_create(struct xs_node *root, const char *path, unsigned int dom);
void xs_remove(struct xs_node *n); /* not the root */
int xs_set_value(struct xs_node *n, const void *value, unsigned int len);
/* Mark n and its ancestors changed at generation gen. */
void xs_touch(struct xs_node *n, uint64_t gen);

/* "r1\0n0\0" style lists (NUL separated, as on the wire) or "n0,r1" (sep ','). */
int xs_perms_parse(const char *s, size_t len, char sep, struct xs_perm *out, unsigned int *n);
/* Write the wire form (each entry NUL terminated); returns bytes, or -1 if it does not fit. */
int xs_perms_format(const struct xs_node *n, char *buf, size_t size);
/* May dom do need ('r' or 'w') on n? */
bool xs_perm_ok(const struct xs_node *n, unsigned int dom, char need);

#endif
