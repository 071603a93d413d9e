// SPDX-License-Identifier: MIT
/* Levelled messages: "ERROR: " / "WARNING: " prefixes, filtered by log_level. */
#include <stdio.h>
#include <pvboot/console.h>
#include <pvboot/format.h>
#include <pvboot/log.h>

int log_level = LOG_INFO;

static const char *const prefixes[] = {
    [LOG_ERR] = "ERROR: ",
    [LOG_WARN] = "WARNING: ",
    [LOG_INFO] = "",
    [LOG_DEBUG] = "",
};

static void log_emit(void *ctx, const char *s, size_t len)
{
	console_write(s, len);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if ((int)level > log_level)
		return;
	if ((unsigned int)level < ARRAY_SIZE(prefixes))
		console_puts(prefixes[level]);
	va_start(ap, fmt);
	vformat(log_emit, NULL, fmt, ap);
	va_end(ap);
	/* Errors must be seen even if a crash follows. */
	if (level <= LOG_WARN)
		console_flush();
}
