// SPDX-License-Identifier: MIT
/*
 * The shell language: a subset of U-Boot's hush. A top-level command (up to
 * a newline or `;`) is parsed into a small tree, then run, then the next one
 * is parsed, so a script runs up to its first syntax error as hush does.
 *
 *   list     := and_or { (';' | '\n') and_or }
 *   and_or   := command { ('&&' | '||') command }
 *   command  := if | for | while | until | simple
 *
 * Words keep their raw text (quotes included) in the tree; expansion of
 * $var, ${var}, $? and quote removal happen when the command runs, so
 * `setenv a 1; echo $a` sees the new value. Nesting of parse and execution
 * (and `run` recursion) share one bound, CLI_MAX_NEST, so no input can
 * exhaust the stack; every buffer has a length cap.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/env.h>
#include <pvboot/env_internal.h>
#include "cli.h"

/* ---- tree ---------------------------------------------------------------- */

enum node_type { N_SIMPLE, N_LIST, N_IF, N_FOR, N_WHILE, N_UNTIL };
enum list_op { OP_SEQ, OP_AND, OP_OR };

struct word {
	const char *s;
	size_t len;
	struct word *next;
};

struct node;

struct item {
	enum list_op op; /* how this item joins the previous one */
	struct node *node;
	struct item *next;
};

struct node {
	enum node_type type;
	struct word *words;		/* simple: words; for: the list after `in` */
	struct word *var;		/* for: loop variable */
	struct item *items;		/* list */
	struct node *cond, *body, *els; /* if/while/until (els: else or elif chain) */
};

/* Everything a parse allocates comes from one arena, freed in one go. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

enum tok_type { T_EOF, T_NEWLINE, T_SEMI, T_AND, T_OR, T_WORD, T_ERROR };

struct token {
	enum tok_type type;
	const char *s;
	size_t len;
};

struct parser {
	const char *src;
	size_t len, pos;
	unsigned int line;
	struct arena_chunk *arena;
	struct token tok; /* one token of lookahead */
	bool have_tok;
	const char *err; /* first syntax error */
	bool nomem;
};

/* Execution state, global so that `run` and `source` nest naturally. */
static int last_status;
static unsigned int nest;   /* current parse + execution depth */
static bool exit_requested; /* `exit`: unwind the current script */
static bool interrupted;    /* Ctrl-C in a loop: unwind everything */

int cli_last_status(void)
{
	return last_status;
}

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

/* ---- lexer --------------------------------------------------------------- */

static void syntax_error(struct parser *p, const char *what)
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
			syntax_error(p, "unterminated '");
			return n;
		}
		return i + 1;
	}
	if (s[i] == '"') {
		for (i++; i < n && s[i] != '"'; i++)
			if (s[i] == '\\' && i + 1 < n)
				i++;
		if (i >= n) {
			syntax_error(p, "unterminated \"");
			return n;
		}
		return i + 1;
	}
	if (s[i] == '\\')
		return i + 2 <= n ? i + 2 : n;
	/* "${" */
	for (i += 2; i < n && s[i] != '}'; i++)
		if (s[i] == '\n' || s[i] == '"' || s[i] == '\'') {
			syntax_error(p, "bad ${...}");
			return n;
		}
	if (i >= n) {
		syntax_error(p, "unterminated ${");
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
		syntax_error(p, s[i] == '&' ? "'&' is not supported" : "pipes are not supported");
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

static struct token *peek(struct parser *p)
{
	if (!p->have_tok) {
		lex(p, &p->tok);
		p->have_tok = true;
	}
	return &p->tok;
}

static void consume(struct parser *p)
{
	p->have_tok = false;
}

static bool tok_is(const struct token *t, const char *kw)
{
	size_t l = strlen(kw);

	return t->type == T_WORD && t->len == l && !memcmp(t->s, kw, l);
}

static bool is_reserved(const struct token *t)
{
	static const char *const kw[] = {"then", "elif", "else", "fi", "do", "done", "in"};

	for (size_t i = 0; i < ARRAY_SIZE(kw); i++)
		if (tok_is(t, kw[i]))
			return true;
	return false;
}

/* ---- parser -------------------------------------------------------------- */

static struct node *parse_list(struct parser *p, const char *const *terms);

static void skip_newlines(struct parser *p)
{
	while (peek(p)->type == T_NEWLINE)
		consume(p);
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
	if (!tok_is(peek(p), kw)) {
		syntax_error(p, kw[0] == 't'		? "missing 'then'"
				: kw[0] == 'f'		? "missing 'fi'"
				: kw[1] == 'o' && kw[2] ? "missing 'done'"
							: "missing 'do'");
		return false;
	}
	consume(p);
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
	if (tok_is(peek(p), "elif")) {
		consume(p);
		n->els = parse_if(p); /* consumes the shared 'fi' */
		return p->err ? NULL : n;
	}
	if (tok_is(peek(p), "else")) {
		consume(p);
		n->els = parse_list(p, terms_fi);
		if (p->err)
			return NULL;
	}
	return expect_kw(p, "fi") ? n : NULL;
}

static bool name_char(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool is_name(const char *s, size_t len)
{
	if (!len || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!name_char(s[i]))
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
	t = peek(p);
	if (t->type != T_WORD || !is_name(t->s, t->len)) {
		syntax_error(p, "bad 'for' variable");
		return NULL;
	}
	n->var = new_word(p, t);
	consume(p);
	skip_newlines(p);
	if (!tok_is(peek(p), "in")) {
		syntax_error(p, "missing 'in'");
		return NULL;
	}
	consume(p);
	tail = &n->words;
	while ((t = peek(p))->type == T_WORD) {
		*tail = new_word(p, t);
		if (!*tail)
			return NULL;
		tail = &(*tail)->next;
		consume(p);
	}
	if (t->type != T_SEMI && t->type != T_NEWLINE) {
		syntax_error(p, "missing ';' before 'do'");
		return NULL;
	}
	consume(p);
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
	while ((t = peek(p))->type == T_WORD) {
		*tail = new_word(p, t);
		if (!*tail)
			return NULL;
		tail = &(*tail)->next;
		consume(p);
	}
	return n;
}

static struct node *parse_command(struct parser *p)
{
	struct token *t = peek(p);
	struct node *n;

	if (t->type != T_WORD) {
		syntax_error(p,
			     t->type == T_EOF ? "unexpected end of input" : "unexpected operator");
		return NULL;
	}
	if (is_reserved(t)) {
		syntax_error(p, "unexpected keyword");
		return NULL;
	}
	if (++nest > CLI_MAX_NEST) {
		syntax_error(p, "nesting too deep");
		interrupted = true; /* also stops any script that `run` us */
		nest--;
		return NULL;
	}
	if (tok_is(t, "if")) {
		consume(p);
		n = parse_if(p);
	} else if (tok_is(t, "for")) {
		consume(p);
		n = parse_for(p);
	} else if (tok_is(t, "while") || tok_is(t, "until")) {
		enum node_type type = t->s[0] == 'w' ? N_WHILE : N_UNTIL;

		consume(p);
		n = parse_loop(p, type);
	} else {
		n = parse_simple(p);
	}
	nest--;
	return n;
}

static bool at_term(struct parser *p, const char *const *terms)
{
	struct token *t = peek(p);

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
		t = peek(p);
		if (t->type != T_AND && t->type != T_OR)
			return true;
		op = t->type == T_AND ? OP_AND : OP_OR;
		consume(p);
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

		while ((t = peek(p))->type == T_NEWLINE || t->type == T_SEMI)
			consume(p);
		if (at_term(p, terms)) {
			if (peek(p)->type == T_EOF)
				syntax_error(p, "unexpected end of input");
			return p->err ? NULL : n;
		}
		if (!parse_and_or(p, &tail, OP_SEQ))
			return NULL;
		t = peek(p);
		if (t->type != T_NEWLINE && t->type != T_SEMI && !at_term(p, terms)) {
			syntax_error(p, "unexpected word");
			return NULL;
		}
	}
}

/* ---- expansion ----------------------------------------------------------- */

struct fields {
	char *buf;
	size_t len, cap;
	size_t starts[CLI_MAX_FIELDS];
	unsigned int n;
	bool open; /* a field is being built */
	bool overflow;
};

static void f_putc(struct fields *f, char c)
{
	if (f->overflow)
		return;
	if (!f->open) {
		if (f->n >= CLI_MAX_FIELDS) {
			f->overflow = true;
			return;
		}
		f->starts[f->n++] = f->len;
		f->open = true;
	}
	if (f->len + 2 > f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 256;
		char *nb;

		if (ncap > CLI_MAX_EXPAND || !(nb = realloc(f->buf, ncap))) {
			f->overflow = true;
			return;
		}
		f->buf = nb;
		f->cap = ncap;
	}
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

static void f_puts(struct fields *f, const char *s, bool split)
{
	for (; *s && !f->overflow; s++) {
		if (split && (*s == ' ' || *s == '\t' || *s == '\n'))
			f_end(f);
		else
			f_putc(f, *s);
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

		snprintf(num, sizeof(num), "%d", last_status);
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
		for (; j < len && name_char(s[j]) && k < sizeof(name) - 1; j++)
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

/* Expand one raw word into fields. split: unquoted expansions split on blanks. */
static void expand_word(struct fields *f, const char *s, size_t len, bool split)
{
	size_t i = 0;

	while (i < len && !f->overflow) {
		char c = s[i];

		if (c == '\'') {
			f_touch(f);
			for (i++; i < len && s[i] != '\''; i++)
				f_putc(f, s[i]);
			i++;
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
					f_putc(f, s[i++]);
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
			f_putc(f, c);
			i++;
		}
	}
}

static void fields_free(struct fields *f)
{
	free(f->buf);
	free(f);
}

static struct fields *fields_new(void)
{
	return calloc(1, sizeof(struct fields));
}

/* ---- execution ----------------------------------------------------------- */

static int exec_node(const struct node *n);

static bool should_stop(void)
{
	return exit_requested || interrupted;
}

/* "name=..." with an unquoted valid name before the '='. */
static size_t assignment_name_len(const struct word *w)
{
	size_t i = 0;

	while (i < w->len && name_char(w->s[i]))
		i++;
	if (i == 0 || i >= w->len || w->s[i] != '=' || (w->s[0] >= '0' && w->s[0] <= '9'))
		return 0;
	return i;
}

static int do_assignment(const struct word *w, size_t nlen)
{
	struct fields *f = fields_new();
	char name[ENV_NAME_MAX + 2];
	int r;

	if (!f)
		return 1;
	if (nlen >= sizeof(name)) {
		fields_free(f);
		printf("variable name too long\n");
		return 1;
	}
	memcpy(name, w->s, nlen);
	name[nlen] = '\0';
	f_touch(f);
	expand_word(f, w->s + nlen + 1, w->len - nlen - 1, false);
	f_end(f);
	if (f->overflow) {
		printf("%s: value too long\n", name);
		r = 1;
	} else {
		r = cli_local_set(name, f->buf + f->starts[0]) ? 1 : 0;
	}
	fields_free(f);
	return r;
}

static int exec_builtin_exit(int argc, char *const argv[])
{
	exit_requested = true;
	return argc > 1 ? (int)strtol(argv[1], NULL, 10) : last_status;
}

static int exec_simple(const struct node *n)
{
	const struct word *w = n->words;
	struct fields *f;
	char **argv;
	int status = 0;

	/* Leading a=b words set hush local variables. */
	for (size_t nl; w && (nl = assignment_name_len(w)); w = w->next)
		if (do_assignment(w, nl))
			return 1;
	if (!w)
		return 0;

	f = fields_new();
	if (!f)
		return 1;
	for (; w && !f->overflow; w = w->next) {
		expand_word(f, w->s, w->len, true);
		f_end(f);
	}
	if (f->overflow) {
		printf("command line too long after expansion\n");
		fields_free(f);
		return 1;
	}
	if (!f->n) {
		fields_free(f);
		return 0;
	}
	argv = malloc((f->n + 1) * sizeof(*argv));
	if (!argv) {
		fields_free(f);
		return 1;
	}
	for (unsigned int i = 0; i < f->n; i++)
		argv[i] = f->buf + f->starts[i];
	argv[f->n] = NULL;
	if (!strcmp(argv[0], "exit"))
		status = exec_builtin_exit(f->n, argv);
	else
		status = cmd_call(f->n, argv);
	free(argv);
	fields_free(f);
	return status;
}

/* Ctrl-C ends loops (and the rest of the script): `while true` must stay breakable. */
static bool loop_interrupted(void)
{
	if (ctrlc()) {
		printf("<INTERRUPT>\n");
		interrupted = true;
	}
	return should_stop();
}

static int exec_list(const struct node *n)
{
	int status = 0;

	for (const struct item *it = n->items; it && !should_stop(); it = it->next) {
		/* Ctrl-C between commands: a runaway script must stay breakable. */
		if (loop_interrupted())
			return 1;
		if (it->op == OP_AND && status != 0)
			continue;
		if (it->op == OP_OR && status == 0)
			continue;
		status = exec_node(it->node);
		last_status = status;
	}
	return status;
}

static int exec_for(const struct node *n)
{
	struct fields *f = fields_new();
	char var[ENV_NAME_MAX + 2];
	char *value;
	int status = 0;

	if (!f)
		return 1;
	snprintf(var, sizeof(var), "%.*s", (int)n->var->len, n->var->s);
	for (const struct word *w = n->words; w && !f->overflow; w = w->next) {
		expand_word(f, w->s, w->len, true);
		f_end(f);
	}
	if (f->overflow) {
		printf("for: word list too long\n");
		fields_free(f);
		return 1;
	}
	for (unsigned int i = 0; i < f->n; i++) {
		if (loop_interrupted())
			break;
		value = f->buf + f->starts[i];
		if (cli_local_set(var, value)) {
			status = 1;
			break;
		}
		status = exec_node(n->body);
	}
	fields_free(f);
	return interrupted ? 1 : status;
}

static int exec_loop(const struct node *n)
{
	int status = 0;

	for (;;) {
		int c;

		if (loop_interrupted())
			return 1;
		c = exec_node(n->cond);
		last_status = c;
		if (should_stop() || (n->type == N_WHILE ? c != 0 : c == 0))
			break;
		status = exec_node(n->body);
	}
	return status;
}

static int exec_node(const struct node *n)
{
	int status;

	if (!n)
		return 0;
	if (++nest > CLI_MAX_NEST) {
		/* Reached through `run` recursion: the tree itself is bounded. */
		nest--;
		printf("nesting too deep\n");
		interrupted = true;
		return 1;
	}
	switch (n->type) {
	case N_SIMPLE:
		status = exec_simple(n);
		break;
	case N_LIST:
		status = exec_list(n);
		break;
	case N_IF:
		status = exec_node(n->cond);
		last_status = status;
		if (should_stop())
			break;
		if (status == 0)
			status = exec_node(n->body);
		else
			status = n->els ? exec_node(n->els) : 0;
		break;
	case N_FOR:
		status = exec_for(n);
		break;
	default:
		status = exec_loop(n);
		break;
	}
	nest--;
	return interrupted ? 1 : status;
}

/* ---- entry --------------------------------------------------------------- */

static void report_syntax_error(const struct parser *p)
{
	if (p->line > 1)
		printf("syntax error: %s (line %u)\n", p->err, p->line);
	else
		printf("syntax error: %s\n", p->err);
}

int cli_run(const char *src, size_t len)
{
	struct parser p = {0};
	bool outer = nest == 0;
	int status = 0;

	if (!src)
		return 0;
	len = strnlen(src, len);
	if (len > CLI_MAX_SCRIPT) {
		printf("script too long (%zu bytes)\n", len);
		return 1;
	}
	if (outer)
		interrupted = false;
	if (nest + 2 > CLI_MAX_NEST) {
		/* `run` recursion: stop it and everything that led to it. */
		printf("nesting too deep\n");
		interrupted = true;
		return 1;
	}
	p.src = src;
	p.len = len;
	p.line = 1;
	while (!should_stop()) {
		struct item *items = NULL, **tail = &items;
		struct node list = {.type = N_LIST};
		struct token *t;

		while ((t = peek(&p))->type == T_NEWLINE || t->type == T_SEMI)
			consume(&p);
		if (t->type == T_EOF)
			break;
		/* One top-level and_or at a time: parse, run, repeat. */
		if (parse_and_or(&p, &tail, OP_SEQ) && (t = peek(&p))->type != T_NEWLINE &&
		    t->type != T_SEMI && t->type != T_EOF)
			syntax_error(&p, "unexpected word");
		if (p.err || p.nomem) {
			if (p.nomem)
				printf("out of memory\n");
			else
				report_syntax_error(&p);
			status = 1;
			last_status = status;
			arena_free(&p);
			break;
		}
		list.items = items;
		status = exec_list(&list);
		arena_free(&p);
	}
	arena_free(&p);
	exit_requested = false; /* `exit` ends the script it is in */
	return status;
}
