// SPDX-License-Identifier: MIT
/*
 * The console backend (xenconsoled's job): guest output from the ring's
 * out[] to stdout, stdin into in[] without losing a byte (what does not fit
 * waits in a pending buffer until the guest makes room).
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <pvboot/sandbox.h>
#include "sim_internal.h"
#include <xen/io/console.h>

#define PENDING_MAX 4096
#define EOF_IDLE_NS 300000000ull /* quiet this long at its prompt after stdin EOF: done */
/* ...or silent this long without a prompt (its prompt may have been lost): give up. */
#define EOF_SILENT_NS 10000000000ull
#ifndef CONFIG_SYS_PROMPT
#define CONFIG_SYS_PROMPT "=> "
#endif

static struct xencons_interface *intf;
static evtchn_port_t port;
static char pending[PENDING_MAX];
static size_t pending_len;
static bool stdin_eof, stdout_broken, exit_on_eof;
static unsigned long long drained;
static char tail[32]; /* the last bytes of output, to see the shell's prompt */
static size_t tail_len;

evtchn_port_t sim_console_port(void)
{
	return sim_vpl011_enabled() ? 0 : port;
}

struct xencons_interface *sim_console_ring(void)
{
	return intf;
}

void sim_consback_exit_on_eof(bool on)
{
	exit_on_eof = on;
}

static void write_all(const char *buf, size_t len)
{
	while (len && !stdout_broken) {
		ssize_t n = write(1, buf, len);

		if (n > 0) {
			buf += n;
			len -= n;
		} else if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = {1, POLLOUT, 0};

			poll(&pfd, 1, 100);
		} else if (n < 0 && errno != EINTR) {
			stdout_broken = true; /* reader gone: drop output rather than hang */
		}
	}
}

static bool drain_output(void)
{
	XENCONS_RING_IDX cons = intf->out_cons,
			 prod = __atomic_load_n(&intf->out_prod, __ATOMIC_ACQUIRE);
	long stall = sim_fault_value("console-stall", -1);
	char buf[sizeof(intf->out)];
	size_t n = 0;

	if (prod - cons > sizeof(intf->out)) {
		sim_violation("console ring: out_prod %u - out_cons %u > ring size", prod, cons);
		__atomic_store_n(&intf->out_cons, prod, __ATOMIC_RELEASE);
		return false;
	}
	while (cons != prod) {
		if (stall >= 0 && drained >= (unsigned long long)stall)
			break;
		buf[n++] = intf->out[MASK_XENCONS_IDX(cons, intf->out)];
		cons++;
		drained++;
	}
	if (!n)
		return false;
	write_all(buf, n);
	if (n >= sizeof(tail)) {
		memcpy(tail, buf + n - sizeof(tail), sizeof(tail));
		tail_len = sizeof(tail);
	} else {
		size_t keep = MIN(tail_len, sizeof(tail) - n);

		memmove(tail, tail + tail_len - keep, keep);
		memcpy(tail + keep, buf, n);
		tail_len = keep + n;
	}
	__atomic_store_n(&intf->out_cons, cons, __ATOMIC_RELEASE);
	return true;
}

static void read_stdin(void)
{
	struct pollfd pfd = {0, POLLIN, 0};
	ssize_t n;

	if (stdin_eof || pending_len == PENDING_MAX || poll(&pfd, 1, 0) <= 0)
		return;
	if (pfd.revents & (POLLNVAL)) {
		stdin_eof = true;
		return;
	}
	n = read(0, pending + pending_len, PENDING_MAX - pending_len);
	if (n > 0)
		pending_len += n;
	else if (n == 0 || (errno != EINTR && errno != EAGAIN))
		stdin_eof = true;
}

static bool feed_input(void)
{
	XENCONS_RING_IDX prod = intf->in_prod,
			 cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);
	size_t i = 0;

	if (prod - cons > sizeof(intf->in)) {
		sim_violation("console ring: in_prod %u - in_cons %u > ring size", prod, cons);
		return false;
	}
	while (i < pending_len && prod - cons < sizeof(intf->in))
		intf->in[MASK_XENCONS_IDX(prod++, intf->in)] = pending[i++];
	if (!i)
		return false;
	memmove(pending, pending + i, pending_len - i);
	pending_len -= i;
	__atomic_store_n(&intf->in_prod, prod, __ATOMIC_RELEASE);
	return true;
}

/* The guest's last output is its prompt: it waits for a line. */
static bool at_prompt(void)
{
	size_t p = strlen(CONFIG_SYS_PROMPT);

	return p <= tail_len && !memcmp(tail + tail_len - p, CONFIG_SYS_PROMPT, p);
}

/* stdin at EOF and every byte of it taken by the guest. */
static bool input_idle(void)
{
	return stdin_eof && !pending_len &&
	       __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE) == intf->in_prod;
}

static void consback_poll(struct sim_backend *be)
{
	static XENCONS_RING_IDX last_in_cons;
	bool notify;

	sim_evtchn_backend_pending(port);
	notify = drain_output();
	read_stdin();
	notify |= feed_input();
	if (notify)
		sim_evtchn_notify_guest(port);
	if (notify || intf->in_cons != last_in_cons)
		sim_note_activity();
	last_in_cons = intf->in_cons;
	if (exit_on_eof && input_idle() && intf->out_cons == intf->out_prod) {
		uint64_t quiet = sim_now_ns() - sim_last_activity();

		if (quiet > EOF_SILENT_NS)
			sim_log("stdin ended, the guest has been silent for 10 s and shows no "
				"prompt: ending the run");
		if ((at_prompt() && quiet > EOF_IDLE_NS) || quiet > EOF_SILENT_NS)
			sandbox_exit(0);
	}
}

void sim_consback_drain(void)
{
	if (!intf)
		return;
	for (int i = 0; i < 64 && intf->out_cons != intf->out_prod; i++)
		if (!drain_output())
			break;
}

static struct sim_backend consback = {.name = "console", .poll = consback_poll};

void sim_consback_init(void)
{
	intf = sim_magic_page(SIM_CONSOLE_PAGE);
	memset(intf, 0, sizeof(*intf));
	port = sim_evtchn_alloc_pair();
	sim_backend_register(&consback);
}
