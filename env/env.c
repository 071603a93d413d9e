// SPDX-License-Identifier: MIT
/*
 * The environment: name=value pairs kept in RAM, sorted by name so that
 * lookups are a binary search and printenv lists in order (as U-Boot does).
 * Each entry is one malloc'd "name\0value\0" block. The total size is capped
 * (ENV_SIZE) so that a hostile `env import` cannot eat the heap.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/env.h>
#include <pvboot/env_internal.h>
#include <pvboot/log.h>

struct env_entry {
	char *name;  /* value follows the name's NUL */
	size_t size; /* strlen(name) + 1 + strlen(value) + 1 */
};

static struct env_entry *entries;
static size_t nr_entries, cap_entries;
static size_t env_used; /* sum of entry sizes */

static const char *entry_value(const struct env_entry *e)
{
	return e->name + strlen(e->name) + 1;
}

bool env_name_valid(const char *name)
{
	size_t len = strnlen(name, ENV_NAME_MAX + 1);

	if (len == 0 || len > ENV_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++) {
		unsigned char c = *p;

		/* Printable, and nothing the shell would split or expand. */
		if (c <= ' ' || c >= 0x7f || strchr("=$\"'\\;{}()&|<>`", c))
			return false;
	}
	return true;
}

/* Index of name, or -(insertion point + 1). */
static long env_find(const char *name)
{
	size_t lo = 0, hi = nr_entries;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, entries[mid].name);

		if (!c)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -(long)lo - 1;
}

const char *env_get(const char *name)
{
	long i;

	if (!name)
		return NULL;
	i = env_find(name);
	return i >= 0 ? entry_value(&entries[i]) : NULL;
}

static void env_remove_at(size_t i)
{
	env_used -= entries[i].size;
	free(entries[i].name);
	memmove(&entries[i], &entries[i + 1], (nr_entries - i - 1) * sizeof(*entries));
	nr_entries--;
}

static int env_grow(void)
{
	size_t ncap = cap_entries ? cap_entries * 2 : 64;
	struct env_entry *n;

	n = realloc(entries, ncap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	entries = n;
	cap_entries = ncap;
	return 0;
}

int env_set(const char *name, const char *value)
{
	size_t nlen, vlen, size;
	long i;
	char *block;

	if (!name || !env_name_valid(name))
		return -EINVAL;
	i = env_find(name);
	if (!value || !*value) {
		if (i >= 0)
			env_remove_at(i);
		return 0;
	}
	nlen = strlen(name);
	vlen = strnlen(value, ENV_SIZE);
	if (vlen >= ENV_SIZE)
		return -E2BIG;
	size = nlen + 1 + vlen + 1;
	if (env_used - (i >= 0 ? entries[i].size : 0) + size > ENV_SIZE)
		return -ENOSPC;
	block = malloc(size);
	if (!block)
		return -ENOMEM;
	memcpy(block, name, nlen + 1);
	memcpy(block + nlen + 1, value, vlen + 1);
	if (i >= 0) {
		env_used -= entries[i].size;
		free(entries[i].name);
	} else {
		if (nr_entries == cap_entries && env_grow()) {
			free(block);
			return -ENOMEM;
		}
		i = -i - 1;
		memmove(&entries[i + 1], &entries[i], (nr_entries - i) * sizeof(*entries));
		nr_entries++;
	}
	entries[i].name = block;
	entries[i].size = size;
	env_used += size;
	return 0;
}

int env_set_hex(const char *name, uint64_t value)
{
	char buf[20];

	snprintf(buf, sizeof(buf), "%llx", (unsigned long long)value);
	return env_set(name, buf);
}

int env_set_ulong(const char *name, unsigned long value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lu", value);
	return env_set(name, buf);
}

unsigned long env_get_hex(const char *name, unsigned long def)
{
	const char *s = env_get(name);
	unsigned long v = 0;

	if (!s)
		return def;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return def;
	for (; *s; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return def;
		if (v >> (sizeof(v) * 8 - 4))
			return def; /* would overflow */
		v = v * 16 + d;
	}
	return v;
}

int env_foreach(int (*cb)(const char *name, const char *value, void *arg), void *arg)
{
	for (size_t i = 0; i < nr_entries; i++) {
		int r = cb(entries[i].name, entry_value(&entries[i]), arg);

		if (r)
			return r;
	}
	return 0;
}

void env_clear(void)
{
	for (size_t i = 0; i < nr_entries; i++)
		free(entries[i].name);
	free(entries);
	entries = NULL;
	nr_entries = cap_entries = 0;
	env_used = 0;
}

size_t env_size_used(void)
{
	return env_used;
}

/* One "name=value" line of an import; line is NUL-terminated, without EOL. */
static int import_line(char *line, unsigned int lineno)
{
	char *eq;

	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (!eq) {
		pr_warn("env import: line %u: no '=', skipped\n", lineno);
		return -EINVAL;
	}
	*eq = '\0';
	if (!env_name_valid(line)) {
		pr_warn("env import: line %u: bad variable name, skipped\n", lineno);
		return -EINVAL;
	}
	/* "name=" deletes, as U-Boot's import does. */
	if (env_set(line, eq + 1)) {
		pr_warn("env import: line %u: cannot set '%s' (too big?)\n", lineno, line);
		return -ENOSPC;
	}
	return 1;
}

/* End of the line at pos: the first '\n' that no '\\' escapes (U-Boot's text format). */
static size_t text_line_end(const char *buf, size_t pos, size_t len)
{
	for (; pos < len; pos++) {
		if (buf[pos] == '\\' && pos + 1 < len)
			pos++;
		else if (buf[pos] == '\n')
			break;
	}
	return pos;
}

/* Copy l bytes, "\\x" becoming "x" as `env export -t` escaped it; the length copied. */
static size_t text_unescape(char *dst, const char *src, size_t l)
{
	size_t o = 0;

	for (size_t i = 0; i < l; i++) {
		if (src[i] == '\\' && i + 1 < l)
			i++;
		dst[o++] = src[i];
	}
	return o;
}

int env_import_text(const char *buf, size_t len)
{
	char *line;
	size_t pos = 0;
	unsigned int lineno = 0;
	int count = 0, errors = 0;

	if (!buf)
		return -EINVAL;
	/* A NUL ends the text (U-Boot: size may be omitted for NUL-terminated data). */
	len = strnlen(buf, len);
	line = malloc(ENV_LINE_MAX + 1);
	if (!line)
		return -ENOMEM;
	while (pos < len) {
		size_t end = text_line_end(buf, pos, len);
		size_t l = end - pos;

		lineno++;
		if (l && buf[pos + l - 1] == '\r')
			l--;
		if (l > ENV_LINE_MAX) {
			pr_warn("env import: line %u: longer than %u bytes, skipped\n", lineno,
				ENV_LINE_MAX);
			errors++;
		} else {
			int r;

			line[text_unescape(line, buf + pos, l)] = '\0';
			r = import_line(line, lineno);
			if (r > 0)
				count++;
			else if (r < 0)
				errors++;
		}
		pos = end + 1;
	}
	free(line);
	if (errors)
		pr_warn("env import: %d line(s) skipped\n", errors);
	return count;
}
