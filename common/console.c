// SPDX-License-Identifier: MIT
/*
 * Console multiplexer: output goes to every registered device with "\n"
 * turned into "\r\n"; input comes from any of them.
 *
 * Before the first device registers there is nowhere to print (seed
 * limitation 2), so output is kept in a static buffer and replayed when the
 * first device arrives; if it overflows, what came first is kept and a
 * "[N bytes lost]" line says how much is missing.
 *
 * ctrlc() has to read input to see a Ctrl-C; every other byte it reads is
 * queued for console_getc(), so checking for Ctrl-C never eats typed input.
 */
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include <stdio.h>

#define EARLY_BUF_SIZE 4096
#define INPUT_QUEUE_SIZE 256
#define CTRL_C 0x03

static struct console_dev *devices;

static char early_buf[EARLY_BUF_SIZE];
static size_t early_len;
static size_t early_lost;

static unsigned char inq[INPUT_QUEUE_SIZE];
static size_t inq_head, inq_count;

/* Output from inside a device's write() (e.g. a warning) must not recurse. */
static bool in_output;

static void early_append(const char *s, size_t len)
{
	size_t room = EARLY_BUF_SIZE - early_len;
	size_t k = len < room ? len : room;
	size_t i;

	for (i = 0; i < k; i++)
		early_buf[early_len + i] = s[i];
	early_len += k;
	early_lost += len - k;
}

static void write_all_devices(const char *s, size_t len)
{
	struct console_dev *d;

	for (d = devices; d; d = d->next)
		d->write(d, s, len);
}

/* Write to the devices, converting "\n" to "\r\n" in small batches. */
static void emit(const char *s, size_t len)
{
	char out[128];
	size_t n = 0;

	while (len--) {
		char c = *s++;

		if (n + 2 > sizeof(out)) {
			write_all_devices(out, n);
			n = 0;
		}
		if (c == '\n')
			out[n++] = '\r';
		out[n++] = c;
	}
	if (n)
		write_all_devices(out, n);
}

/* Set by early_log_hold(): keep the early buffer until early_log_flush(). */
static bool early_held;

void early_log_hold(void)
{
	early_held = true;
}

static void replay_early(void)
{
	char msg[48];
	size_t len = early_len, lost = early_lost;

	if ((!len && !lost) || early_held)
		return;
	early_len = 0;
	early_lost = 0;
	emit(early_buf, len);
	if (lost) {
		int n = snprintf(msg, sizeof(msg), "[%zu bytes lost]\n", lost);

		emit(msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	}
}

void console_write(const char *s, size_t len)
{
	if (!devices || in_output) {
		early_append(s, len);
		return;
	}
	in_output = true;
	emit(s, len);
	/* Anything a device printed while we were writing comes right after. */
	replay_early();
	in_output = false;
}

void console_putc(char c)
{
	console_write(&c, 1);
}

void console_puts(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	console_write(s, n);
}

void console_flush(void)
{
	struct console_dev *d;

	for (d = devices; d; d = d->next)
		if (d->flush)
			d->flush(d);
}

bool console_ready(void)
{
	return devices != NULL;
}

static void flush_early(void)
{
	if (!devices || in_output)
		return;
	in_output = true;
	replay_early();
	in_output = false;
	console_flush();
}

void early_log_flush(void)
{
	early_held = false;
	flush_early();
}

void console_register(struct console_dev *dev)
{
	struct console_dev **pp = &devices;

	while (*pp) {
		if (*pp == dev)
			return; /* registering twice would loop the list */
		pp = &(*pp)->next;
	}
	dev->next = NULL;
	*pp = dev;
	flush_early();
}

static bool inq_push(unsigned char c)
{
	if (inq_count == INPUT_QUEUE_SIZE)
		return false;
	inq[(inq_head + inq_count) % INPUT_QUEUE_SIZE] = c;
	inq_count++;
	return true;
}

static int inq_pop(void)
{
	unsigned char c = inq[inq_head];

	inq_head = (inq_head + 1) % INPUT_QUEUE_SIZE;
	inq_count--;
	return c;
}

/*
 * Move pending device input into the queue, dropping Ctrl-C bytes.
 * Stops when the queue is full: bytes then wait in the device, not lost.
 */
static bool drain_input(void)
{
	struct console_dev *d;
	bool seen = false;

	for (d = devices; d; d = d->next) {
		if (!d->tstc || !d->getc)
			continue;
		while (inq_count < INPUT_QUEUE_SIZE && d->tstc(d)) {
			int c = d->getc(d);

			if (c < 0)
				break;
			if (c == CTRL_C)
				seen = true;
			else
				inq_push((unsigned char)c);
		}
	}
	return seen;
}

bool console_tstc(void)
{
	struct console_dev *d;

	if (inq_count)
		return true;
	for (d = devices; d; d = d->next)
		if (d->tstc && d->getc && d->tstc(d))
			return true;
	return false;
}

int console_getc(void)
{
	for (;;) {
		struct console_dev *d;

		if (inq_count)
			return inq_pop();
		for (d = devices; d; d = d->next) {
			if (d->tstc && d->getc && d->tstc(d)) {
				int c = d->getc(d);

				if (c >= 0)
					return c;
			}
		}
		/* One device (the normal case) may sleep until input; several must be polled. */
		if (devices && !devices->next && devices->idle)
			devices->idle(devices);
		else
			arch_cpu_relax();
	}
}

bool ctrlc(void)
{
	return drain_input();
}

void clear_ctrlc(void)
{
	/* Forget a Ctrl-C typed before now; keep everything else. */
	drain_input();
}
