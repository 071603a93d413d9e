/* SPDX-License-Identifier: MIT */
/* XenStore client over the xs_wire ring (HVM_PARAM_STORE_PFN / STORE_EVTCHN). */
#ifndef PVBOOT_XEN_XENSTORE_H
#define PVBOOT_XEN_XENSTORE_H

#include <pvboot/compiler.h>
#include <xen/io/xs_wire.h>

typedef uint32_t xs_transaction_t;
#define XBT_NIL 0

/*
 * Attach to XenStore, waiting up to wait_ms for it to come up: a dom0less
 * domain starts before dom0 gives it one (see xen/xs_connect.c). Says on
 * the console what it waits for and how the wait ended. 0 once attached;
 * -EAGAIN (not up, wait_ms 0), -ETIMEDOUT, -EINTR (interrupted); -ENODEV
 * if this domain has no XenStore at all; -errno. Requests made while it is
 * not up fail with -ENOTCONN; the first one after it came up attaches.
 */
int xenstore_connect(unsigned long wait_ms);
/*
 * Attached, but it was not up at the first look (dom0less: dom0 ran
 * init-dom0less while we waited): devices may still be on their way.
 */
bool xenstore_came_late(void);
/* Quiesce before an OS starts: unwatch everything, nothing in flight. */
void xenstore_teardown(void);

/*
 * All return 0 / a positive length or -errno (mapped from the xenstore error
 * string: ENOENT, EACCES, EINVAL, EAGAIN, ...), -ETIMEDOUT, -EINTR (Ctrl-C),
 * -EPROTO (malformed or mismatched reply). Returned strings are malloc'd and
 * NUL terminated; the caller frees them.
 */
int xenstore_read(xs_transaction_t t, const char *path, char **value);
int xenstore_write(xs_transaction_t t, const char *path, const char *value);
int xenstore_mkdir(xs_transaction_t t, const char *path);
int xenstore_rm(xs_transaction_t t, const char *path);
/* Children as a malloc'd array of malloc'd strings; *count set. Free with xenstore_free_list. */
int xenstore_directory(xs_transaction_t t, const char *path, char ***names, unsigned int *count);
void xenstore_free_list(char **names, unsigned int count);
int xenstore_get_perms(xs_transaction_t t, const char *path, char **perms);
int xenstore_set_perms(xs_transaction_t t, const char *path, const char *perms);
int xenstore_transaction_start(xs_transaction_t *t);
int xenstore_transaction_end(xs_transaction_t t, bool abort); /* -EAGAIN: retry the transaction */
int xenstore_watch(const char *path, const char *token);
int xenstore_unwatch(const char *path, const char *token);
/* Next queued watch event for token (path malloc'd), waiting up to timeout_ms. */
int xenstore_wait_watch(const char *token, char **path, unsigned long timeout_ms);

/* Convenience: read an unsigned integer (decimal). */
int xenstore_read_u64(xs_transaction_t t, const char *path, uint64_t *value);
int xenstore_printf(xs_transaction_t t, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
