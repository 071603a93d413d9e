// SPDX-License-Identifier: MIT
/* The console, ctrlc() and log_msg() of the shell's unit tests (capture_console.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/log.h>
#include "capture_console.h"

char capture_out[1 << 18];
size_t capture_len;
bool capture_on;
int capture_ctrlc_after = -1;
int log_level = LOG_INFO;

void console_write(const char *s, size_t len)
{
	if (!capture_on) {
		if (write(1, s, len) < 0)
			abort();
		return;
	}
	if (capture_len + len >= sizeof(capture_out))
		len = sizeof(capture_out) - 1 - capture_len;
	memcpy(capture_out + capture_len, s, len);
	capture_len += len;
	capture_out[capture_len] = '\0';
}

void console_putc(char c)
{
	console_write(&c, 1);
}

bool ctrlc(void)
{
	if (capture_ctrlc_after < 0)
		return false;
	return capture_ctrlc_after-- == 0;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		console_write(buf, strlen(buf));
}

int capture_run(const char *script)
{
	int r;

	capture_len = 0;
	capture_out[0] = '\0';
	capture_on = true;
	r = run_command_list(script, -1, 0);
	capture_on = false;
	return r;
}
