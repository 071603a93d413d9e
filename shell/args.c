// SPDX-License-Identifier: MIT
/* Number arguments as U-Boot reads them: hexadecimal, with or without 0x. */
#include <errno.h>
#include <pvboot/command.h>

int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (*s | 0x20) - 'a' + 10;
		else
			return -EINVAL;
		if (v >> 60)
			return -ERANGE;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

int parse_ulong(const char *s, unsigned long *out)
{
	uint64_t v;
	int r = parse_u64(s, &v);

	if (r)
		return r;
	if (v != (unsigned long)v)
		return -ERANGE;
	*out = v;
	return 0;
}
