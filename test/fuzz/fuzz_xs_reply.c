// SPDX-License-Identifier: MIT
/*
 * XenStore replies from a hostile xenstored. Two ways in, chosen by the
 * first byte:
 *  - codec: the bytes are a reply stream cut into arbitrary pieces and fed
 *    to the reassembler; each message goes through classification, error
 *    mapping and string splitting;
 *  - client: the bytes are what a fake xenstored writes on the real ring
 *    page (with arbitrary chunking and ring indexes) while the XenStore
 *    client runs read/directory/perms/transaction/watch requests.
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
bool ctrlc(void)
{
	return false;
}

/* The fake xenstored: eats requests, writes fuzz bytes as its "replies". */
void arch_cpu_relax(void)
{
	unsigned int op;

	intf->req_cons = intf->req_prod;
	if (in_pos >= in_len) {
		now_ms += 1000; /* nothing more will come: let the timeouts run */
		return;
	}
	now_ms++;
	op = take(255);
	if (op == 255) { /* a hostile producer index */
		intf->rsp_prod = intf->rsp_cons + take(255) * 8;
		return;
	}
	while (op-- && in_pos < in_len) {
		char c = (char)in[in_pos++];

		if (xs_ring_put(intf->rsp, intf->rsp_cons, &intf->rsp_prod, &c, 1) != 1)
			break;
	}
}

static void fuzz_codec(void)
{
	static struct xs_rx rx;

	xs_rx_reset(&rx);
	while (in_pos < in_len) {
		size_t piece = (size_t)take(255) + 1; /* not inside MIN(): evaluated once */
		size_t n = MIN(piece, in_len - in_pos);
		const char *strs[8];
		const char *path, *token;
		uint64_t v;
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
	if (xenstore_init() < 0)
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
