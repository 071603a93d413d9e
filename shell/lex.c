// SPDX-License-Identifier: MIT
/*
 * The shell's lexer: words (with their quotes, backslashes and ${...}
 * kept as written), newlines, ';', '&&' and '||'; blanks, comments and
 * backslash-newline skipped. '&' and '|' alone are refused by name. One
 * token of lookahead for the parser.
 */
#include <string.h>
#include "parse.h"

void parse_error(struct parser *p, const char *what)
{
	if (!p->err)
		p->err = what;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool ends_word(char c)
{
	return is_blank(c) || c == '\n' || c == ';' || c == '&' || c == '|';
}

/* Skip a quoted or ${...} part starting at src[i]; returns the index after it. */
static size_t skip_part(struct parser *p, size_t i)
{
	const char *s = p->src;
	size_t n = p->len;

	if (s[i] == '\'') {
		for (i++; i < n && s[i] != '\''; i++)
			;
		if (i >= n) {
			parse_error(p, "unterminated '");
			return n;
		}
		return i + 1;
	}
	if (s[i] == '"') {
		for (i++; i < n && s[i] != '"'; i++)
			if (s[i] == '\\' && i + 1 < n)
				i++;
		if (i >= n) {
			parse_error(p, "unterminated \"");
			return n;
		}
		return i + 1;
	}
	if (s[i] == '\\')
		return i + 2 <= n ? i + 2 : n;
	/* "${" */
	for (i += 2; i < n && s[i] != '}'; i++)
		if (s[i] == '\n' || s[i] == '"' || s[i] == '\'') {
			parse_error(p, "bad ${...}");
			return n;
		}
	if (i >= n) {
		parse_error(p, "unterminated ${");
		return n;
	}
	return i + 1;
}

static void lex(struct parser *p, struct token *t)
{
	const char *s = p->src;
	size_t n = p->len, i = p->pos;

	for (;;) {
		while (i < n && is_blank(s[i]))
			i++;
		if (i + 1 < n && s[i] == '\\' && s[i + 1] == '\n') {
			i += 2; /* line continuation */
			p->line++;
			continue;
		}
		if (i < n && s[i] == '#') {
			while (i < n && s[i] != '\n')
				i++;
		}
		break;
	}
	t->s = s + i;
	t->len = 0;
	if (i >= n || s[i] == '\0') {
		t->type = T_EOF;
		p->pos = n;
		return;
	}
	switch (s[i]) {
	case '\n':
		t->type = T_NEWLINE;
		p->line++;
		p->pos = i + 1;
		return;
	case ';':
		t->type = T_SEMI;
		p->pos = i + 1;
		return;
	case '&':
	case '|':
		if (i + 1 < n && s[i + 1] == s[i]) {
			t->type = s[i] == '&' ? T_AND : T_OR;
			p->pos = i + 2;
			return;
		}
		parse_error(p, s[i] == '&' ? "'&' is not supported" : "pipes are not supported");
		t->type = T_ERROR;
		p->pos = n;
		return;
	}
	t->type = T_WORD;
	while (i < n && s[i] && !ends_word(s[i])) {
		if (s[i] == '\'' || s[i] == '"' || s[i] == '\\' ||
		    (s[i] == '$' && i + 1 < n && s[i + 1] == '{'))
			i = skip_part(p, i);
		else
			i++;
	}
	if (p->err) {
		t->type = T_ERROR;
		p->pos = n;
		return;
	}
	t->len = (size_t)(s + i - t->s);
	p->pos = i;
}

struct token *lex_peek(struct parser *p)
{
	if (!p->have_tok) {
		lex(p, &p->tok);
		p->have_tok = true;
	}
	return &p->tok;
}

bool tok_is(const struct token *t, const char *kw)
{
	size_t l = strlen(kw);

	return t->type == T_WORD && t->len == l && !memcmp(t->s, kw, l);
}
