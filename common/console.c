// SPDX-License-Identifier: MIT
/*
 * Console output: the registered devices, and output to every one of them
 * with "\n" turned into "\r\n". Input is read from the same devices by
 * drivers/console/input.c.
 *
 * Before the first device registers there is nowhere to print (the PV
 * console needs the hypervisor interface first), so output is kept in a
 * static buffer and replayed when the first device arrives; if it
 * overflows, what came first is kept and a "[N bytes lost]" line says how
 * much is missing.
 */
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include <stdio.h>

#define EARLY_BUF_SIZE 4096

static struct console_dev *devices;

static char early_buf[EARLY_BUF_SIZE];
static size_t early_len;
static size_t early_lost;

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

/*
 * When the first byte reached a device (arch counter ticks), for bootstage's
 * "first console byte": init/main.c records it (bootstage prints through
 * this file, so this file does not call it).
 */
static bool first_byte_out;
static uint64_t first_byte_ticks;

bool console_first_output(uint64_t *ticks)
{
	if (first_byte_out)
		*ticks = first_byte_ticks;
	return first_byte_out;
}

static void write_all_devices(const char *s, size_t len)
{
	struct console_dev *d;

	if (!first_byte_out && devices && len) {
		first_byte_out = true;
		first_byte_ticks = arch_counter();
	}
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

struct console_dev *console_devices(void)
{
	return devices;
}
