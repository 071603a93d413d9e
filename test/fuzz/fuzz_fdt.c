// SPDX-License-Identifier: MIT
/* The DT the toolstack hands us: malformed ones must give errors, not crashes. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/board.h>
#include <pvboot/log.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int log_level = LOG_INFO;

void log_msg(enum log_level level, const char *fmt, ...)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct board_info bi;
	/* libfdt trusts totalsize once the header checks out: give it that much. */
	void *copy;

	if (size < 40 || size > (1 << 20))
		return 0;
	copy = calloc(1, size);
	memcpy(copy, data, size);
	/* Keep the header's totalsize within what we allocated. */
	if (__builtin_bswap32(*(const uint32_t *)((const uint8_t *)copy + 4)) > size)
		goto out;
	if (!board_parse_fdt(copy, &bi) && (!bi.nr_banks || bi.nr_banks > BOARD_MAX_BANKS))
		abort();
out:
	free(copy);
	return 0;
}
