// SPDX-License-Identifier: MIT
/* Levelled messages: "ERROR: " / "WARNING: " prefixes, filtered by log_level. */
#include <stdio.h>
#include <string.h>
#include <pvboot/console.h>
#include <pvboot/format.h>
#include <pvboot/log.h>

int log_level = LOG_INFO;

static const char *prefix(enum log_level level)
{
	switch (level) {
	case LOG_ERR:
		return "ERROR: ";
	case LOG_WARN:
		return "WARNING: ";
	default:
		return "";
	}
}

static void log_emit(void *ctx, const char *s, size_t len)
{
	console_write(s, len);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[160];
	const char *pre = prefix(level);
	size_t plen = strlen(pre);
	va_list ap;
	int n;

	if ((int)level > log_level)
		return;
	/* One write per message when it fits (one backend notification). */
	memcpy(line, pre, plen); // NOLINT(bugprone-not-null-terminated-result): vsnprintf ends it
	va_start(ap, fmt);
	n = vsnprintf(line + plen, sizeof(line) - plen, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(line) - plen) {
		console_write(line, plen + (size_t)n);
	} else {
		console_write(pre, plen);
		va_start(ap, fmt);
		vformat(log_emit, NULL, fmt, ap);
		va_end(ap);
	}
	/* Errors must be seen even if a crash follows. */
	if (level <= LOG_WARN)
		console_flush();
}
