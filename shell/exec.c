// SPDX-License-Identifier: MIT
/*
 * The shell's executor: runs the tree of one top-level command (parsed by
 * shell/parse.c), then parses the next, so a script runs up to its first
 * syntax error as hush does. Words are expanded (shell/expand.c) as each
 * command runs; simple commands go to the command table (shell/command.c).
 * A failing command does not stop a script (use && / ||); `exit` ends the
 * script it is in; Ctrl-C ends loops and everything around them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/env_internal.h>
#include "cli.h"
#include "parse.h"

static bool exit_requested; /* `exit`: unwind the current script */

static int exec_node(const struct node *n);

static bool should_stop(void)
{
	return exit_requested || cli_state.interrupted;
}

/* "name=..." with an unquoted valid name before the '='. */
static size_t assignment_name_len(const struct word *w)
{
	size_t i = 0;

	while (i < w->len && shell_name_char(w->s[i]))
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
	expand_value(f, w->s + nlen + 1, w->len - nlen - 1);
	if (f->overflow) {
		printf("%s: value too long\n", name);
		r = 1;
	} else {
		r = cli_local_set(name, fields_get(f, 0)) ? 1 : 0;
	}
	fields_free(f);
	return r;
}

static int exec_builtin_exit(int argc, char *const argv[])
{
	exit_requested = true;
	return argc > 1 ? (int)strtol(argv[1], NULL, 10) : cli_state.last_status;
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
	expand_words(f, w);
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
		argv[i] = fields_get(f, i);
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
		cli_state.interrupted = true;
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
		cli_state.last_status = status;
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
	expand_words(f, n->words);
	if (f->overflow) {
		printf("for: word list too long\n");
		fields_free(f);
		return 1;
	}
	for (unsigned int i = 0; i < f->n; i++) {
		if (loop_interrupted())
			break;
		value = fields_get(f, i);
		if (cli_local_set(var, value)) {
			status = 1;
			break;
		}
		status = exec_node(n->body);
	}
	fields_free(f);
	return cli_state.interrupted ? 1 : status;
}

static int exec_loop(const struct node *n)
{
	int status = 0;

	for (;;) {
		int c;

		if (loop_interrupted())
			return 1;
		c = exec_node(n->cond);
		cli_state.last_status = c;
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
	if (!cli_nest_enter()) {
		/* Reached through `run` recursion: the tree itself is bounded. */
		printf("nesting too deep\n");
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
		cli_state.last_status = status;
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
	cli_nest_leave();
	return cli_state.interrupted ? 1 : status;
}

static void report_syntax_error(const struct parser *p)
{
	if (p->line > 1)
		printf("syntax error: %s (line %u)\n", p->err, p->line);
	else
		printf("syntax error: %s\n", p->err);
}

int cli_run(const char *src, size_t len)
{
	struct parser p;
	bool outer = cli_state.nest == 0;
	int status = 0;

	if (!src)
		return 0;
	len = strnlen(src, len);
	if (len > CLI_MAX_SCRIPT) {
		printf("script too long (%zu bytes)\n", len);
		return 1;
	}
	if (outer)
		cli_state.interrupted = false;
	if (cli_state.nest + 2 > CLI_MAX_NEST) {
		/* `run` recursion: stop it and everything that led to it. */
		printf("nesting too deep\n");
		cli_state.interrupted = true;
		return 1;
	}
	parser_init(&p, src, len);
	while (!should_stop()) {
		/* One top-level and_or at a time: parse, run, repeat. */
		struct node list = {.type = N_LIST, .items = parse_next(&p)};

		if (p.err || p.nomem) {
			if (p.nomem)
				printf("out of memory\n");
			else
				report_syntax_error(&p);
			status = 1;
			cli_state.last_status = status;
			break;
		}
		if (!list.items)
			break; /* end of input */
		status = exec_list(&list);
		parser_release(&p);
	}
	parser_release(&p);
	exit_requested = false; /* `exit` ends the script it is in */
	return status;
}
