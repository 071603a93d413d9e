/* SPDX-License-Identifier: MIT */
/*
 * Inside the shell language: the tree the parser builds (shell/parse.c)
 * from the lexer's tokens (shell/lex.c), expanded (shell/expand.c) and run
 * (shell/exec.c). Private to shell/.
 */
#ifndef PVBOOT_SHELL_PARSE_H
#define PVBOOT_SHELL_PARSE_H

#include <pvboot/compiler.h>
#include "cli.h"

/* ---- tree ---------------------------------------------------------------- */

enum node_type { N_SIMPLE, N_LIST, N_IF, N_FOR, N_WHILE, N_UNTIL };
enum list_op { OP_SEQ, OP_AND, OP_OR };

/* Words keep their raw text (quotes included): expansion happens at run time. */
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

/* ---- tokens and parser state --------------------------------------------- */

enum tok_type { T_EOF, T_NEWLINE, T_SEMI, T_AND, T_OR, T_WORD, T_ERROR };

struct token {
	enum tok_type type;
	const char *s;
	size_t len;
};

struct arena_chunk;

struct parser {
	const char *src;
	size_t len, pos;
	unsigned int line;
	struct arena_chunk *arena; /* everything a parse allocates, freed in one go */
	struct token tok;	   /* one token of lookahead */
	bool have_tok;
	const char *err; /* first syntax error */
	bool nomem;
};

/* shell/lex.c */
void parse_error(struct parser *p, const char *what); /* keeps the first one */
struct token *lex_peek(struct parser *p);

static inline void lex_consume(struct parser *p)
{
	p->have_tok = false;
}

bool tok_is(const struct token *t, const char *kw);

/* shell/parse.c */
static inline void parser_init(struct parser *p, const char *src, size_t len)
{
	*p = (struct parser){.src = src, .len = len, .line = 1};
}

/*
 * The next top-level and_or chain (up to a newline or ';'), so that a
 * script runs up to its first syntax error. NULL at the end of input, on a
 * syntax error (p->err) or without memory (p->nomem).
 */
struct item *parse_next(struct parser *p);
/* Free the tree parse_next() returned; the parser can go on. */
void parser_release(struct parser *p);

/* A shell variable name: [A-Za-z_][A-Za-z0-9_]*. */
static inline bool shell_name_char(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* ---- expansion (shell/expand.c) ------------------------------------------ */

/* The fields (argv words) one command line expands to, in one buffer. */
struct fields {
	char *buf;
	size_t len, cap;
	size_t starts[CLI_MAX_FIELDS];
	unsigned int n;
	bool open;     /* a field is being built */
	bool overflow; /* hit CLI_MAX_EXPAND or CLI_MAX_FIELDS: nothing of it may be used */
};

struct fields *fields_new(void);
void fields_free(struct fields *f);
/* Expand a list of words into fields: unquoted expansions split on blanks. */
void expand_words(struct fields *f, const struct word *w);
/* Expand one word as a single field, even an empty one (an assignment's value). */
void expand_value(struct fields *f, const char *s, size_t len);

#ifdef UNIT_TEST
/* Appends to fields so far: tests check that text is copied in runs, not byte by byte. */
extern unsigned long expand_appends;
#endif

static inline char *fields_get(const struct fields *f, unsigned int i)
{
	return f->buf + f->starts[i];
}

/* ---- state shared by parse and execution (shell/state.c) ------------------ */

/*
 * While a script runs. Global so that `run` and `source` nest naturally.
 * Parse and execution nesting (and `run` recursion) share one bound,
 * CLI_MAX_NEST, so no input can exhaust the stack.
 */
struct cli_state {
	int last_status;   /* $? */
	unsigned int nest; /* current parse + execution depth */
	bool interrupted;  /* Ctrl-C in a loop, or nesting too deep: unwind everything */
};

extern struct cli_state cli_state;

/* One more level, or false (and everything unwinds) when it would pass the bound. */
bool cli_nest_enter(void);

static inline void cli_nest_leave(void)
{
	cli_state.nest--;
}

#endif
