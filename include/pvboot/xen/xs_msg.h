/* SPDX-License-Identifier: MIT */
/*
 * The xs_wire codec, kept apart from the ring transport so that unit tests
 * and the fuzzer can drive it with arbitrary bytes: request framing, ring
 * copies with index validation, a reply assembler that never writes past
 * XENSTORE_PAYLOAD_MAX, and reply classification/decoding.
 */
#ifndef PVBOOT_XEN_XS_MSG_H
#define PVBOOT_XEN_XS_MSG_H

#include <errno.h> /* before xs_wire.h: its xsd_errors table needs the E* values */
#include <pvboot/compiler.h>
#include <xen/io/xs_wire.h>

#define XS_HDR_SIZE sizeof(struct xsd_sockmsg)
#define XS_MSG_MAX (XS_HDR_SIZE + XENSTORE_PAYLOAD_MAX)

/* One piece of a request payload (strings carry their NUL in len when wanted). */
struct xs_part {
	const void *data;
	size_t len;
};

/* Header + parts into out. Returns the total length or -E2BIG / -EINVAL. */
int xs_msg_build(void *out, size_t cap, uint32_t type, uint32_t req_id, uint32_t tx_id,
		 const struct xs_part *parts, unsigned int nparts);

/* A reply header we can accept: known type, len <= XENSTORE_PAYLOAD_MAX. */
int xs_hdr_check(const struct xsd_sockmsg *hdr);

/*
 * Ring copies. idx values are free-running as in xs_wire; a producer/consumer
 * distance above XENSTORE_RING_SIZE is a hostile or broken peer: -EPROTO.
 * Both return the number of bytes copied (possibly 0).
 */
int xs_ring_put(char *ring, XENSTORE_RING_IDX cons, XENSTORE_RING_IDX *prod, const void *data,
		size_t len);
int xs_ring_get(const char *ring, XENSTORE_RING_IDX *cons, XENSTORE_RING_IDX prod, void *dst,
		size_t len);

/* Reassembles one message from a byte stream. */
struct xs_rx {
	struct xsd_sockmsg hdr;
	uint32_t have;				/* bytes of header + payload collected so far */
	char payload[XENSTORE_PAYLOAD_MAX + 1]; /* always NUL terminated when complete */
};
void xs_rx_reset(struct xs_rx *rx);
bool xs_rx_partial(const struct xs_rx *rx);
/*
 * Take bytes up to the end of the current message. Returns the number
 * consumed, or -E2BIG (declared length too large) / -EPROTO (bad type): the
 * stream is then out of sync and the caller must resynchronise. *done is set
 * when a whole message is in rx (call xs_rx_reset before the next one).
 */
int xs_rx_feed(struct xs_rx *rx, const void *data, size_t len, bool *done);

enum xs_rx_kind {
	XS_RX_REPLY, /* the answer to the request we wait for */
	XS_RX_EVENT, /* a watch event: queue it */
	XS_RX_STRAY, /* an answer nobody waits for (late, or a wrong req_id): drop it */
};
enum xs_rx_kind xs_rx_classify(const struct xsd_sockmsg *hdr, bool waiting, uint32_t req_id);

/* Error string of an XS_ERROR payload -> -errno (unknown strings: -EPROTO). */
int xs_error_to_errno(const char *payload, uint32_t len);
/* 0 if hdr answers a request of type want, else the mapped error or -EPROTO. */
int xs_reply_check(const struct xsd_sockmsg *hdr, const char *payload, uint32_t want);

/*
 * Split NUL-terminated strings (directory, get_perms, watch events).
 * Stores up to max pointers into payload; returns how many strings there
 * are, or -EPROTO if the last one is not terminated.
 */
int xs_split_strings(const char *payload, uint32_t len, const char **out, unsigned int max);
/* Watch event payload "path\0token\0[...]". */
int xs_parse_watch_event(const char *payload, uint32_t len, const char **path, const char **token);

/*
 * XS_DIRECTORY_PART reply "gen\0name\0...name\0[\0]": the node's generation,
 * then whole names; a final empty name marks the end of the list. On success
 * names and names_len cover the names with their NULs (without the end mark).
 */
int xs_dir_part_parse(const char *payload, uint32_t len, const char **gen, const char **names,
		      uint32_t *names_len, bool *end);

/* Strict decimal: digits only, no sign, no overflow. */
int xs_parse_u64(const char *s, uint64_t *out);

#endif
