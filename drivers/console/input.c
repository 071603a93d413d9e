// SPDX-License-Identifier: MIT
/*
 * Console input: bytes typed on any registered console device, and Ctrl-C.
 * ctrlc() has to read input to see a Ctrl-C; every other byte it reads is
 * queued for console_getc(), so checking for Ctrl-C never eats typed input.
 * Above the hypervisor interface: xen/ is interrupted through a hook, never
 * by reading the console.
 */
#include <pvboot/arch.h>
#include <pvboot/console.h>

#define INPUT_QUEUE_SIZE 256
#define CTRL_C 0x03

static unsigned char inq[INPUT_QUEUE_SIZE];
static size_t inq_head, inq_count;

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

	for (d = console_devices(); d; d = d->next) {
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
	for (d = console_devices(); d; d = d->next)
		if (d->tstc && d->getc && d->tstc(d))
			return true;
	return false;
}

int console_getc(void)
{
	for (;;) {
		struct console_dev *d, *one = console_devices();

		if (inq_count)
			return inq_pop();
		for (d = console_devices(); d; d = d->next) {
			if (d->tstc && d->getc && d->tstc(d)) {
				int c = d->getc(d);

				if (c >= 0)
					return c;
			}
		}
		/* One device (the normal case) may sleep until input; several must be polled. */
		if (one && !one->next && one->idle)
			one->idle(one);
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
