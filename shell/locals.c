// SPDX-License-Identifier: MIT
/*
 * Hush local variables: `a=b` and `for` loop variables. They shadow the
 * environment when expanded and vanish on reset; setenv never sees them.
 * Bounded in number and size so a script cannot grow them without limit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/env_internal.h>
#include "cli.h"

struct local_var {
	char *name;
	char *value;
};

static struct local_var locals[CLI_MAX_LOCALS];
static unsigned int nr_locals;

static struct local_var *find_local(const char *name)
{
	for (unsigned int i = 0; i < nr_locals; i++)
		if (!strcmp(locals[i].name, name))
			return &locals[i];
	return NULL;
}

const char *cli_local_get(const char *name)
{
	struct local_var *v = find_local(name);

	return v ? v->value : NULL;
}

int cli_local_set(const char *name, const char *value)
{
	struct local_var *v = find_local(name);
	char *nv;

	if (strnlen(value, ENV_SIZE) >= ENV_SIZE)
		return -E2BIG;
	nv = strdup(value);
	if (!nv)
		return -ENOMEM;
	if (!v) {
		if (nr_locals >= CLI_MAX_LOCALS) {
			free(nv);
			return -ENOSPC;
		}
		v = &locals[nr_locals];
		v->name = strdup(name);
		if (!v->name) {
			free(nv);
			return -ENOMEM;
		}
		nr_locals++;
	} else {
		free(v->value);
	}
	v->value = nv;
	return 0;
}

void cli_locals_clear(void)
{
	for (unsigned int i = 0; i < nr_locals; i++) {
		free(locals[i].name);
		free(locals[i].value);
	}
	nr_locals = 0;
}
