/* SPDX-License-Identifier: MIT */
/*
 * Console: a small set of output/input devices (the Xen PV console on real
 * Xen and in the sandbox). Output and the device list are core services
 * (common/console.c); input and Ctrl-C come from the devices, above the
 * hypervisor interface (drivers/console/input.c). printf() and friends are
 * declared in <stdio.h> (include/libc on the target) and write here.
 */
#ifndef PVBOOT_CONSOLE_H
#define PVBOOT_CONSOLE_H

#include <pvboot/compiler.h>
#include <stdarg.h>

struct console_dev {
	const char *name;
	/* Write len bytes; must not drop output (waits for ring space with a bounded wait). */
	void (*write)(struct console_dev *dev, const char *buf, size_t len);
	/* Non-blocking: a byte is ready to read. */
	bool (*tstc)(struct console_dev *dev);
	/* Only called after tstc() returned true. */
	int (*getc)(struct console_dev *dev);
	/* Push out anything buffered (notify the backend). */
	void (*flush)(struct console_dev *dev);
	/*
	 * Optional: nothing to read, wait for input without burning the CPU
	 * (an idle guest at the prompt must not hold a physical CPU). May
	 * return early; the caller checks again.
	 */
	void (*idle)(struct console_dev *dev);
	struct console_dev *next;
};

void console_register(struct console_dev *dev);
/* The registered devices, linked through ->next (for the input side). */
struct console_dev *console_devices(void);

/* U-Boot style: puts() does not append a newline. */
void console_putc(char c);
void console_puts(const char *s);
void console_write(const char *s, size_t len);
void console_flush(void);
/* A device is registered: output reaches a reader (else it waits in the early buffer). */
bool console_ready(void);
/* Whether output has reached a console device yet; if so, *ticks is when (arch_counter()). */
bool console_first_output(uint64_t *ticks);

/* Input (drivers/console/input.c). */
bool console_tstc(void);
int console_getc(void); /* blocks (polling) until a byte arrives */

/* Ctrl-C seen since the last call (checked by long operations and every wait). */
bool ctrlc(void);
void clear_ctrlc(void);

/*
 * Output before the console exists is kept in a buffer and printed once the
 * first console device registers; this prints it now.
 */
void early_log_flush(void);
/*
 * Keep what was recorded until early_log_flush(), even once a console
 * exists: the banner comes first, then what happened before it.
 */
void early_log_hold(void);

#endif
