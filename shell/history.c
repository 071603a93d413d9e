// SPDX-License-Identifier: MIT
/*
 * Command history for the line editor: the last CLI_HISTORY lines, newest
 * first, a line equal to the newest one not repeated.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static char *history[CLI_HISTORY]; /* [0] is the newest */
static unsigned int nr_history;

void cli_history_add(const char *line)
{
	char *copy;

	if (!line[0] || (nr_history && !strcmp(history[0], line)))
		return;
	copy = strdup(line);
	if (!copy)
		return;
	if (nr_history == CLI_HISTORY)
		free(history[--nr_history]);
	memmove(&history[1], &history[0], nr_history * sizeof(history[0]));
	history[0] = copy;
	nr_history++;
}

const char *cli_history_get(unsigned int i)
{
	return i < nr_history ? history[i] : NULL;
}

void cli_history_clear(void)
{
	while (nr_history)
		free(history[--nr_history]);
}
