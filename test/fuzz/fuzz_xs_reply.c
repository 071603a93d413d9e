// SPDX-License-Identifier: MIT
/*
 * XenStore replies from a hostile xenstored. Two ways in, chosen by the
 * first byte:
 *  - codec: the bytes are a reply stream cut into arbitrary pieces and fed
 *    to the reassembler; each message goes through classification, error
 *    mapping and string splitting;
 *  - client: the bytes steer a fake xenstored answering on the real ring
 *    page (replies of any type/id/length, interleaved watch events, raw
 *    bytes, silence, hostile indexes) while the XenStore client runs
 *    read/directory/perms/transaction/watch requests.
 * Nothing may crash, overflow or hang; every request ends in a bounded time.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/log.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/xenstore.h>
#include <pvboot/xen/xs_msg.h>
#include <xen/hvm/params.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *in;
static size_t in_len, in_pos;
static uint64_t now_ms;
static struct xenstore_domain_interface *intf;

static unsigned int take(unsigned int max)
{
	return in_pos < in_len ? in[in_pos++] % (max + 1) : 0;
}

/* ---- platform fakes --------------------------------------------------- */
int log_level = LOG_ERR;
void log_msg(enum log_level level, const char *fmt, ...)
{
}
int hvm_get_param(int idx, uint64_t *value)
{
	*value = idx == HVM_PARAM_STORE_PFN ? virt_to_pfn(intf) : 1;
	return 0;
}
int evtchn_send(evtchn_port_t port)
{
	return 0;
}
bool evtchn_clear_pending(evtchn_port_t port)
{
	return false;
}
void arch_mb(void)
{
}
void arch_rmb(void)
{
}
void arch_wmb(void)
{
}
uint64_t deadline_ms(unsigned long ms)
{
	return now_ms + ms;
}
bool deadline_passed(uint64_t deadline)
{
	return now_ms >= deadline;
}
uint64_t timer_us(void)
{
	return now_ms * 1000;
}
int arch_map_xen_page(uint64_t pfn)
{
	return 0;
}

/*
 * The fake xenstored. For each request it reads, the input decides what
 * comes back: a reply (of the right or another type, with our req_id or a
 * nearby wrong one, any length and payload), a watch event for our token
 * first, raw bytes, nothing at all, or a hostile producer index.
 */
static char out[16384];
static size_t out_len, out_pos;
static struct xs_rx req_rx;

static void out_bytes(const void *p, size_t n)
{
	n = MIN(n, sizeof(out) - out_len);
	memcpy(out + out_len, p, n);
	out_len += n;
}

static void out_fuzz(size_t n)
{
	n = MIN(n, in_len - in_pos);
	out_bytes(in + in_pos, n);
	in_pos += n;
}

static void respond(const struct xsd_sockmsg *req)
{
	unsigned int op = take(255);
	struct xsd_sockmsg h = {.req_id = req->req_id, .tx_id = req->tx_id};

	switch (op % 4) {
	case 1: /* a watch event for our token, then a reply */
		h.type = XS_WATCH_EVENT;
		h.len = take(40);
		out_bytes(&h, sizeof(h));
		out_fuzz(h.len > 5 ? h.len - 5 : 0);
		out_bytes("\0tok\0", h.len > 5 ? 5 : h.len);
		/* fall through */
	case 0:
		h.type = op & 0x80 ? XS_ERROR : op & 0x40 ? take(31) : req->type;
		h.req_id = req->req_id + (op & 0x20 ? take(3) : 0);
		h.len = take(255) * (op & 0x10 ? 17 : 1);
		out_bytes(&h, sizeof(h));
		out_fuzz(h.len);
		break;
	case 2: /* raw bytes */
		out_fuzz(take(255));
		break;
	case 3: /* no answer */
		break;
	}
}

void arch_cpu_relax(void)
{
	while (intf->req_cons != intf->req_prod) {
		char c;
		bool done;

		xs_ring_get(intf->req, &intf->req_cons, intf->req_prod, &c, 1);
		if (xs_rx_feed(&req_rx, &c, 1, &done) < 0)
			xs_rx_reset(&req_rx);
		else if (done) {
			respond(&req_rx.hdr);
			xs_rx_reset(&req_rx);
		}
	}
	if (out_pos < out_len) {
		int n = xs_ring_put(intf->rsp, intf->rsp_cons, &intf->rsp_prod, out + out_pos,
				    out_len - out_pos);

		if (n > 0)
			out_pos += n;
		if (out_pos == out_len)
			out_pos = out_len = 0;
		now_ms++;
		return;
	}
	if (in_pos >= in_len) {
		now_ms += 1000; /* nothing more will come: let the timeouts run */
		return;
	}
	now_ms++;
	if (take(255) == 255) /* a hostile producer index */
		intf->rsp_prod = intf->rsp_cons + take(255) * 8;
}

static void fuzz_codec(void)
{
	static struct xs_rx rx;

	xs_rx_reset(&rx);
	while (in_pos < in_len) {
		size_t piece = (size_t)take(255) + 1; /* not inside MIN(): evaluated once */
		size_t n = MIN(piece, in_len - in_pos);
		const char *strs[8];
		const char *path, *token, *gen, *names;
		uint32_t names_len;
		uint64_t v;
		bool end;
		bool done;
		int used = xs_rx_feed(&rx, in + in_pos, n, &done);

		if (used < 0) {
			xs_rx_reset(&rx);
			in_pos += n;
			continue;
		}
		in_pos += used;
		if (!done)
			continue;
		xs_rx_classify(&rx.hdr, true, 1);
		xs_reply_check(&rx.hdr, rx.payload, XS_READ);
		xs_split_strings(rx.payload, rx.hdr.len, strs, 8);
		xs_parse_watch_event(rx.payload, rx.hdr.len, &path, &token);
		xs_parse_u64(rx.payload, &v);
		if (xs_dir_part_parse(rx.payload, rx.hdr.len, &gen, &names, &names_len, &end) ==
			0 &&
		    (names_len > rx.hdr.len || (names_len && names[names_len - 1] != '\0')))
			abort(); /* the parser promised whole, in-bounds names */
		xs_rx_reset(&rx);
	}
}

static void fuzz_client(void)
{
	xs_transaction_t t;
	char **names, *v;
	unsigned int n;
	uint64_t u;

	memset(intf, 0, PAGE_SIZE);
	out_len = out_pos = 0;
	xs_rx_reset(&req_rx);
	if (xenstore_connect(0) < 0)
		return;
	xenstore_watch("device", "tok");
	for (int round = 0; round < 4 && in_pos < in_len; round++) {
		if (xenstore_read(XBT_NIL, "name", &v) == 0)
			free(v);
		if (xenstore_directory(XBT_NIL, "device/vbd", &names, &n) == 0)
			xenstore_free_list(names, n);
		if (xenstore_get_perms(XBT_NIL, "name", &v) == 0)
			free(v);
		xenstore_read_u64(XBT_NIL, "domid", &u);
		if (xenstore_transaction_start(&t) == 0)
			xenstore_transaction_end(t, true);
		if (xenstore_wait_watch("tok", &v, 5) == 0)
			free(v);
	}
	xenstore_teardown();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!intf)
		intf = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (size < 1 || size > 65536)
		return 0;
	in = data + 1;
	in_len = size - 1;
	in_pos = 0;
	if (data[0] & 1)
		fuzz_client();
	else
		fuzz_codec();
	return 0;
}
