// SPDX-License-Identifier: MIT
/*
 * The shell's parser: a subset of U-Boot's hush, into a small tree (see
 * parse.h) whose nodes all come from one arena, freed in one go.
 *
 *   list     := and_or { (';' | '\n') and_or }
 *   and_or   := command { ('&&' | '||') command }
 *   command  := if | for | while | until | simple
 *
 * Nesting counts against CLI_MAX_NEST (shared with execution), so no input
 * can exhaust the stack.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "parse.h"

/* Everything a parse allocates comes from one arena, freed in one go. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

static void *arena_alloc(struct parser *p, size_t size)
{
	struct arena_chunk *c = p->arena;
	void *r;

	size = ALIGN_UP(size, sizeof(max_align_t));
	if (!c || c->size - c->used < size) {
		size_t csize = MAX(size, (size_t)4096);

		c = malloc(sizeof(*c) + csize);
		if (!c) {
			p->nomem = true;
			return NULL;
		}
		c->size = csize;
		c->used = 0;
		c->next = p->arena;
		p->arena = c;
	}
	r = (char *)c->data + c->used;
	c->used += size;
	memset(r, 0, size);
	return r;
}

static void arena_free(struct parser *p)
{
	while (p->arena) {
		struct arena_chunk *n = p->arena->next;

		free(p->arena);
		p->arena = n;
	}
}

static struct node *parse_list(struct parser *p, const char *const *terms);

static bool is_reserved(const struct token *t)
{
	static const char *const kw[] = {"then", "elif", "else", "fi", "do", "done", "in"};

	for (size_t i = 0; i < ARRAY_SIZE(kw); i++)
		if (tok_is(t, kw[i]))
			return true;
	return false;
}

static void skip_newlines(struct parser *p)
{
	while (lex_peek(p)->type == T_NEWLINE)
		lex_consume(p);
}

static struct word *new_word(struct parser *p, const struct token *t)
{
	struct word *w = arena_alloc(p, sizeof(*w));

	if (w) {
		w->s = t->s;
		w->len = t->len;
	}
	return w;
}

static bool expect_kw(struct parser *p, const char *kw)
{
	if (!tok_is(lex_peek(p), kw)) {
		parse_error(p, kw[0] == 't'	       ? "missing 'then'"
			       : kw[0] == 'f'	       ? "missing 'fi'"
			       : kw[1] == 'o' && kw[2] ? "missing 'done'"
						       : "missing 'do'");
		return false;
	}
	lex_consume(p);
	return true;
}

static struct node *new_node(struct parser *p, enum node_type type)
{
	struct node *n = arena_alloc(p, sizeof(*n));

	if (n)
		n->type = type;
	return n;
}

static const char *const terms_then[] = {"then", NULL};
static const char *const terms_else[] = {"elif", "else", "fi", NULL};
static const char *const terms_fi[] = {"fi", NULL};
static const char *const terms_do[] = {"do", NULL};
static const char *const terms_done[] = {"done", NULL};

/* if/elif: called with the 'if' or 'elif' already consumed. */
static struct node *parse_if(struct parser *p)
{
	struct node *n = new_node(p, N_IF);

	if (!n)
		return NULL;
	n->cond = parse_list(p, terms_then);
	if (p->err || !expect_kw(p, "then"))
		return NULL;
	n->body = parse_list(p, terms_else);
	if (p->err)
		return NULL;
	if (tok_is(lex_peek(p), "elif")) {
		lex_consume(p);
		n->els = parse_if(p); /* consumes the shared 'fi' */
		return p->err ? NULL : n;
	}
	if (tok_is(lex_peek(p), "else")) {
		lex_consume(p);
		n->els = parse_list(p, terms_fi);
		if (p->err)
			return NULL;
	}
	return expect_kw(p, "fi") ? n : NULL;
}

static bool is_name(const char *s, size_t len)
{
	if (!len || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!shell_name_char(s[i]))
			return false;
	return true;
}

static struct node *parse_for(struct parser *p)
{
	struct node *n = new_node(p, N_FOR);
	struct word **tail;
	struct token *t;

	if (!n)
		return NULL;
	t = lex_peek(p);
	if (t->type != T_WORD || !is_name(t->s, t->len)) {
		parse_error(p, "bad 'for' variable");
		return NULL;
	}
	n->var = new_word(p, t);
	lex_consume(p);
	skip_newlines(p);
	if (!tok_is(lex_peek(p), "in")) {
		parse_error(p, "missing 'in'");
		return NULL;
	}
	lex_consume(p);
	tail = &n->words;
	while ((t = lex_peek(p))->type == T_WORD) {
		*tail = new_word(p, t);
		if (!*tail)
			return NULL;
		tail = &(*tail)->next;
		lex_consume(p);
	}
	if (t->type != T_SEMI && t->type != T_NEWLINE) {
		parse_error(p, "missing ';' before 'do'");
		return NULL;
	}
	lex_consume(p);
	skip_newlines(p);
	if (!expect_kw(p, "do"))
		return NULL;
	n->body = parse_list(p, terms_done);
	if (p->err || !expect_kw(p, "done"))
		return NULL;
	return n;
}

static struct node *parse_loop(struct parser *p, enum node_type type)
{
	struct node *n = new_node(p, type);

	if (!n)
		return NULL;
	n->cond = parse_list(p, terms_do);
	if (p->err || !expect_kw(p, "do"))
		return NULL;
	n->body = parse_list(p, terms_done);
	if (p->err || !expect_kw(p, "done"))
		return NULL;
	return n;
}

static struct node *parse_simple(struct parser *p)
{
	struct node *n = new_node(p, N_SIMPLE);
	struct word **tail;
	struct token *t;

	if (!n)
		return NULL;
	tail = &n->words;
	while ((t = lex_peek(p))->type == T_WORD) {
		*tail = new_word(p, t);
		if (!*tail)
			return NULL;
		tail = &(*tail)->next;
		lex_consume(p);
	}
	return n;
}

static struct node *parse_command(struct parser *p)
{
	struct token *t = lex_peek(p);
	struct node *n;

	if (t->type != T_WORD) {
		parse_error(p,
			    t->type == T_EOF ? "unexpected end of input" : "unexpected operator");
		return NULL;
	}
	if (is_reserved(t)) {
		parse_error(p, "unexpected keyword");
		return NULL;
	}
	if (!cli_nest_enter()) {
		parse_error(p, "nesting too deep");
		return NULL;
	}
	if (tok_is(t, "if")) {
		lex_consume(p);
		n = parse_if(p);
	} else if (tok_is(t, "for")) {
		lex_consume(p);
		n = parse_for(p);
	} else if (tok_is(t, "while") || tok_is(t, "until")) {
		enum node_type type = t->s[0] == 'w' ? N_WHILE : N_UNTIL;

		lex_consume(p);
		n = parse_loop(p, type);
	} else {
		n = parse_simple(p);
	}
	cli_nest_leave();
	return n;
}

static bool at_term(struct parser *p, const char *const *terms)
{
	struct token *t = lex_peek(p);

	if (t->type == T_EOF)
		return true;
	for (; terms && *terms; terms++)
		if (tok_is(t, *terms))
			return true;
	return false;
}

/* One and_or chain; items are appended at *tail. */
static bool parse_and_or(struct parser *p, struct item ***tail, enum list_op op)
{
	for (;;) {
		struct item *it = arena_alloc(p, sizeof(*it));
		struct token *t;

		if (!it)
			return false;
		it->op = op;
		it->node = parse_command(p);
		if (!it->node)
			return false;
		**tail = it;
		*tail = &it->next;
		t = lex_peek(p);
		if (t->type != T_AND && t->type != T_OR)
			return true;
		op = t->type == T_AND ? OP_AND : OP_OR;
		lex_consume(p);
		skip_newlines(p);
	}
}

/* A list inside a compound command, up to one of terms (not consumed). */
static struct node *parse_list(struct parser *p, const char *const *terms)
{
	struct node *n = new_node(p, N_LIST);
	struct item **tail;

	if (!n)
		return NULL;
	tail = &n->items;
	for (;;) {
		struct token *t;

		while ((t = lex_peek(p))->type == T_NEWLINE || t->type == T_SEMI)
			lex_consume(p);
		if (at_term(p, terms)) {
			if (lex_peek(p)->type == T_EOF)
				parse_error(p, "unexpected end of input");
			return p->err ? NULL : n;
		}
		if (!parse_and_or(p, &tail, OP_SEQ))
			return NULL;
		t = lex_peek(p);
		if (t->type != T_NEWLINE && t->type != T_SEMI && !at_term(p, terms)) {
			parse_error(p, "unexpected word");
			return NULL;
		}
	}
}

struct item *parse_next(struct parser *p)
{
	struct item *items = NULL, **tail = &items;
	struct token *t;

	while ((t = lex_peek(p))->type == T_NEWLINE || t->type == T_SEMI)
		lex_consume(p);
	if (t->type == T_EOF)
		return NULL;
	if (parse_and_or(p, &tail, OP_SEQ) && (t = lex_peek(p))->type != T_NEWLINE &&
	    t->type != T_SEMI && t->type != T_EOF)
		parse_error(p, "unexpected word");
	return p->err || p->nomem ? NULL : items;
}

void parser_release(struct parser *p)
{
	arena_free(p);
}
