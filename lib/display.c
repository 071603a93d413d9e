// SPDX-License-Identifier: MIT
/* Sizes and transfer rates in U-Boot's words, with integer arithmetic only. */
#include <stdio.h>
#include <pvboot/format.h>

void format_size(char *buf, size_t len, uint64_t size)
{
	static const char units[] = "KMGTPE";
	unsigned int unit = 0, shift = 10; /* units[unit] is 2^shift bytes */
	uint64_t whole, frac, tenths;

	if (size < 1024) {
		snprintf(buf, len, "%llu Bytes", (unsigned long long)size);
		return;
	}
	while (unit + 1 < sizeof(units) - 1 && (size >> (shift + 10)) != 0) {
		shift += 10;
		unit++;
	}
	whole = size >> shift;
	frac = size & ((1ULL << shift) - 1);
	if (shift > 58) { /* keep frac * 10 within 64 bits */
		frac >>= shift - 58;
		shift = 58;
	}
	/* One decimal, rounded to nearest; 1023.96 KiB prints as 1 MiB. */
	tenths = (frac * 10 + (1ULL << (shift - 1))) >> shift;
	if (tenths == 10) {
		whole++;
		tenths = 0;
		if (whole == 1024 && unit + 1 < sizeof(units) - 1) {
			whole = 1;
			unit++;
		}
	}
	if (tenths)
		snprintf(buf, len, "%llu.%llu %ciB", (unsigned long long)whole,
			 (unsigned long long)tenths, units[unit]);
	else
		snprintf(buf, len, "%llu %ciB", (unsigned long long)whole, units[unit]);
}

void format_rate(char *buf, size_t len, uint64_t bytes, uint64_t us)
{
	uint64_t ms = us / 1000;
	char rate[32];
	int n;

	n = snprintf(buf, len, "%llu bytes read in %llu ms", (unsigned long long)bytes,
		     (unsigned long long)ms);
	if (!us || n < 0 || (size_t)n >= len)
		return;
	/* bytes per second without overflowing: 1e6 * bytes fits up to ~18 TB. */
	if (bytes <= UINT64_MAX / 1000000)
		format_size(rate, sizeof(rate), bytes * 1000000 / us);
	else
		format_size(rate, sizeof(rate), bytes / us * 1000000);
	snprintf(buf + n, len - (size_t)n, " (%s/s)", rate);
}
