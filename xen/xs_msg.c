// SPDX-License-Identifier: MIT
/*
 * xs_wire codec: pure functions over buffers, no hypercalls, no globals.
 * Every length here may come from a hostile xenstored.
 */
#include <errno.h>
#include <string.h>
#include <pvboot/xen/xs_msg.h>

int xs_msg_build(void *out, size_t cap, uint32_t type, uint32_t req_id, uint32_t tx_id,
		 const struct xs_part *parts, unsigned int nparts)
{
	struct xsd_sockmsg hdr = {.type = type, .req_id = req_id, .tx_id = tx_id};
	char *p = out;
	size_t len = 0;

	for (unsigned int i = 0; i < nparts; i++) {
		if (parts[i].len > XENSTORE_PAYLOAD_MAX - len)
			return -E2BIG;
		len += parts[i].len;
	}
	if (cap < XS_HDR_SIZE + len)
		return -EINVAL;
	hdr.len = (uint32_t)len;
	memcpy(p, &hdr, XS_HDR_SIZE);
	p += XS_HDR_SIZE;
	for (unsigned int i = 0; i < nparts; i++) {
		if (parts[i].len)
			memcpy(p, parts[i].data, parts[i].len);
		p += parts[i].len;
	}
	return (int)(XS_HDR_SIZE + len);
}

int xs_hdr_check(const struct xsd_sockmsg *hdr)
{
	if (hdr->len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	if (hdr->type >= XS_TYPE_COUNT)
		return -EPROTO;
	return 0;
}

int xs_ring_put(char *ring, XENSTORE_RING_IDX cons, XENSTORE_RING_IDX *prod, const void *data,
		size_t len)
{
	XENSTORE_RING_IDX used = *prod - cons;
	size_t n, done = 0;

	if (used > XENSTORE_RING_SIZE)
		return -EPROTO;
	len = MIN(len, (size_t)(XENSTORE_RING_SIZE - used));
	while (done < len) {
		uint32_t off = MASK_XENSTORE_IDX(*prod);

		n = MIN(len - done, (size_t)(XENSTORE_RING_SIZE - off));
		memcpy(ring + off, (const char *)data + done, n);
		*prod += n;
		done += n;
	}
	return (int)done;
}

int xs_ring_get(const char *ring, XENSTORE_RING_IDX *cons, XENSTORE_RING_IDX prod, void *dst,
		size_t len)
{
	XENSTORE_RING_IDX avail = prod - *cons;
	size_t n, done = 0;

	if (avail > XENSTORE_RING_SIZE)
		return -EPROTO;
	len = MIN(len, (size_t)avail);
	while (done < len) {
		uint32_t off = MASK_XENSTORE_IDX(*cons);

		n = MIN(len - done, (size_t)(XENSTORE_RING_SIZE - off));
		memcpy((char *)dst + done, ring + off, n);
		*cons += n;
		done += n;
	}
	return (int)done;
}

void xs_rx_reset(struct xs_rx *rx)
{
	rx->have = 0;
	rx->payload[0] = '\0';
}

bool xs_rx_partial(const struct xs_rx *rx)
{
	return rx->have != 0;
}

int xs_rx_feed(struct xs_rx *rx, const void *data, size_t len, bool *done)
{
	const char *src = data;
	size_t used = 0, n;

	*done = false;
	if (rx->have < XS_HDR_SIZE) {
		n = MIN(len, XS_HDR_SIZE - rx->have);
		memcpy((char *)&rx->hdr + rx->have, src, n);
		rx->have += n;
		used += n;
		if (rx->have < XS_HDR_SIZE)
			return (int)used;
		int rc = xs_hdr_check(&rx->hdr);

		if (rc < 0)
			return rc;
	}
	/* hdr.len <= XENSTORE_PAYLOAD_MAX from here on: payload[] cannot overflow. */
	n = MIN(len - used, rx->hdr.len - (rx->have - XS_HDR_SIZE));
	memcpy(rx->payload + (rx->have - XS_HDR_SIZE), src + used, n);
	rx->have += n;
	used += n;
	if (rx->have == XS_HDR_SIZE + rx->hdr.len) {
		rx->payload[rx->hdr.len] = '\0';
		*done = true;
	}
	return (int)used;
}

enum xs_rx_kind xs_rx_classify(const struct xsd_sockmsg *hdr, bool waiting, uint32_t req_id)
{
	if (hdr->type == XS_WATCH_EVENT)
		return XS_RX_EVENT;
	if (waiting && hdr->req_id == req_id)
		return XS_RX_REPLY;
	return XS_RX_STRAY;
}

int xs_error_to_errno(const char *payload, uint32_t len)
{
	size_t n = strnlen(payload, len);

	for (size_t i = 0; i < ARRAY_SIZE(xsd_errors); i++) {
		const char *s = xsd_errors[i].errstring;

		if (strlen(s) == n && !memcmp(s, payload, n))
			return -xsd_errors[i].errnum;
	}
	return -EPROTO;
}

int xs_reply_check(const struct xsd_sockmsg *hdr, const char *payload, uint32_t want)
{
	if (hdr->type == XS_ERROR)
		return xs_error_to_errno(payload, hdr->len);
	if (hdr->type != want)
		return -EPROTO;
	return 0;
}

int xs_split_strings(const char *payload, uint32_t len, const char **out, unsigned int max)
{
	uint32_t pos = 0;
	int count = 0;

	if (len && payload[len - 1] != '\0')
		return -EPROTO;
	while (pos < len) {
		size_t n = strnlen(payload + pos, len - pos);

		if ((unsigned int)count < max)
			out[count] = payload + pos;
		count++;
		pos += n + 1;
	}
	return count;
}

int xs_parse_watch_event(const char *payload, uint32_t len, const char **path, const char **token)
{
	const char *s[2];
	int n = xs_split_strings(payload, len, s, 2);

	if (n < 2)
		return -EPROTO;
	*path = s[0];
	*token = s[1];
	return 0;
}

int xs_dir_part_parse(const char *payload, uint32_t len, const char **gen, const char **names,
		      uint32_t *names_len, bool *end)
{
	size_t glen = strnlen(payload, len);
	uint32_t rest;

	if (glen == 0 || glen == len)
		return -EPROTO; /* no generation, or not terminated */
	*gen = payload;
	*names = payload + glen + 1;
	rest = len - (uint32_t)glen - 1;
	if (rest == 0 || (*names)[rest - 1] != '\0')
		return -EPROTO; /* nothing at all, or a cut name */
	/* "\0" alone, or "...\0\0": the empty name that ends the list. */
	*end = rest == 1 || (*names)[rest - 2] == '\0';
	*names_len = *end ? rest - 1 : rest;
	return 0;
}

int xs_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d = (unsigned char)*s - '0';

		if (d > 9)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}
