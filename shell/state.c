// SPDX-License-Identifier: MIT
/*
 * What the parser and the executor share while a script runs (struct
 * cli_state in parse.h): nesting depth, whether everything must unwind, $?.
 */
#include "cli.h"
#include "parse.h"

struct cli_state cli_state;

int cli_last_status(void)
{
	return cli_state.last_status;
}

bool cli_nest_enter(void)
{
	if (cli_state.nest + 1 > CLI_MAX_NEST) {
		cli_state.interrupted = true; /* also stops any script that `run` us */
		return false;
	}
	cli_state.nest++;
	return true;
}
