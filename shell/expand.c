// SPDX-License-Identifier: MIT
/*
 * Expansion of the shell's words when a command runs (so `setenv a 1;
 * echo $a` sees the new value): $var, ${var} (hush locals first, then the
 * environment), $?, quote and backslash removal, and field splitting of
 * unquoted expansions. Output is capped (CLI_MAX_EXPAND bytes,
 * CLI_MAX_FIELDS fields); past a cap the whole expansion is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/env.h>
#include <pvboot/env_internal.h>
#include "cli.h"
#include "parse.h"

#ifdef UNIT_TEST
unsigned long expand_appends;
#define count_append() (expand_appends++)
#else
#define count_append() ((void)0)
#endif

/* Start a field if none is open; false once past CLI_MAX_FIELDS. */
static bool f_open(struct fields *f)
{
	if (f->open)
		return true;
	if (f->n >= CLI_MAX_FIELDS) {
		f->overflow = true;
		return false;
	}
	f->starts[f->n++] = f->len;
	f->open = true;
	return true;
}

/* Room for n more bytes and the field's NUL, or overflow past CLI_MAX_EXPAND. */
static bool f_reserve(struct fields *f, size_t n)
{
	size_t need = f->len + n + 1, ncap = f->cap ? f->cap : 256;
	char *nb;

	if (need <= f->cap)
		return true;
	while (ncap < need && ncap <= CLI_MAX_EXPAND)
		ncap *= 2;
	if (ncap > CLI_MAX_EXPAND || !(nb = realloc(f->buf, ncap))) {
		f->overflow = true;
		return false;
	}
	f->buf = nb;
	f->cap = ncap;
	return true;
}

/* Append s[0..n) to the open field (opening one), in one copy. */
static void f_write(struct fields *f, const char *s, size_t n)
{
	count_append();
	if (f->overflow || !f_open(f) || !f_reserve(f, n))
		return;
	memcpy(f->buf + f->len, s, n);
	f->len += n;
}

/* One byte; '\0' only opens the field (f_touch). */
static void f_putc(struct fields *f, char c)
{
	count_append();
	if (f->overflow || !f_open(f) || !f_reserve(f, 1))
		return;
	if (c)
		f->buf[f->len++] = c;
}

/* A quoted part makes a field exist even if it is empty ("" is an argument). */
static void f_touch(struct fields *f)
{
	if (!f->open)
		f_putc(f, '\0');
}

static void f_end(struct fields *f)
{
	if (f->open && !f->overflow) {
		f->buf[f->len++] = '\0';
		f->open = false;
	}
}

/*
 * A value, in runs between blanks: byte by byte, a 64 KiB variable doubled
 * in a loop costs a call (and, fuzzed, a dozen traced compares) per byte.
 */
static void f_puts(struct fields *f, const char *s, bool split)
{
	static const char blanks[] = " \t\n";

	while (*s && !f->overflow) {
		size_t n = split ? strcspn(s, blanks) : strlen(s);

		if (n) {
			f_write(f, s, n);
			s += n;
		} else {
			f_end(f);
			s += strspn(s, blanks);
		}
	}
}

static const char *lookup_var(const char *name)
{
	const char *v = cli_local_get(name);

	return v ? v : env_get(name);
}

/* Expand the $ at s[*i]; advances *i past it. */
static void expand_dollar(struct fields *f, const char *s, size_t len, size_t *i, bool split)
{
	char name[ENV_NAME_MAX + 2];
	size_t j = *i + 1, k = 0;
	const char *v;

	if (j < len && s[j] == '?') {
		char num[12];

		snprintf(num, sizeof(num), "%d", cli_state.last_status);
		f_puts(f, num, false);
		*i = j + 1;
		return;
	}
	if (j < len && s[j] == '{') {
		for (j++; j < len && s[j] != '}'; j++)
			if (k < sizeof(name) - 1)
				name[k++] = s[j];
		j++; /* the lexer made sure the } is there */
		if (k == sizeof(name) - 1)
			k = 0; /* too long to be a variable: expands to nothing */
	} else {
		for (; j < len && shell_name_char(s[j]) && k < sizeof(name) - 1; j++)
			name[k++] = s[j];
		if (!k) {
			f_putc(f, '$'); /* a lone $ is literal */
			*i = j;
			return;
		}
	}
	name[k] = '\0';
	*i = j;
	v = k ? lookup_var(name) : NULL;
	if (v)
		f_puts(f, v, split);
}

/* Bytes of s[0..len) before the first quote, backslash or $ (a double quote's text: no '). */
static size_t plain_len(const char *s, size_t len, bool dquoted)
{
	size_t n = 0;

	while (n < len && s[n] != '"' && s[n] != '\\' && s[n] != '$' && (dquoted || s[n] != '\''))
		n++;
	return n;
}

/* Expand one raw word into fields. split: unquoted expansions split on blanks. */
static void expand_word(struct fields *f, const char *s, size_t len, bool split)
{
	size_t i = 0;

	while (i < len && !f->overflow) {
		char c = s[i];

		if (c == '\'') {
			const char *q = memchr(s + i + 1, '\'', len - i - 1);
			size_t n = q ? (size_t)(q - (s + i + 1)) : len - i - 1;

			f_touch(f);
			f_write(f, s + i + 1, n);
			i += n + 2;
		} else if (c == '"') {
			f_touch(f);
			for (i++; i < len && s[i] != '"';) {
				if (s[i] == '\\' && i + 1 < len && strchr("$\"\\`\n", s[i + 1])) {
					if (s[i + 1] != '\n')
						f_putc(f, s[i + 1]);
					i += 2;
				} else if (s[i] == '$') {
					expand_dollar(f, s, len, &i, false);
				} else {
					/* a lone backslash is literal: at least one byte */
					size_t n = MAX(plain_len(s + i, len - i, true), (size_t)1);

					f_write(f, s + i, n);
					i += n;
				}
			}
			i++;
		} else if (c == '\\') {
			if (i + 1 < len) {
				if (s[i + 1] != '\n')
					f_putc(f, s[i + 1]);
				i += 2;
			} else {
				f_putc(f, '\\');
				i++;
			}
		} else if (c == '$') {
			expand_dollar(f, s, len, &i, split);
		} else {
			size_t n = plain_len(s + i, len - i, false);

			f_write(f, s + i, n);
			i += n;
		}
	}
}

void fields_free(struct fields *f)
{
	free(f->buf);
	free(f);
}

struct fields *fields_new(void)
{
	return calloc(1, sizeof(struct fields));
}

void expand_value(struct fields *f, const char *s, size_t len)
{
	f_touch(f);
	expand_word(f, s, len, false);
	f_end(f);
}

void expand_words(struct fields *f, const struct word *w)
{
	for (; w && !f->overflow; w = w->next) {
		expand_word(f, w->s, w->len, true);
		f_end(f);
	}
}
