// SPDX-License-Identifier: MIT
/*
 * Boot counting in the environment, as U-Boot's BOOTCOUNT_LIMIT with
 * BOOTCOUNT_ENV. While an update is on trial (upgrade_available non-zero)
 * every boot increments bootcount and saves the environment before
 * bootcmd runs; once bootcount exceeds bootlimit, altbootcmd runs instead.
 * The booted system ends the trial by clearing upgrade_available and
 * bootcount (fw_setenv). Without upgrade_available nothing is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <pvboot/boot.h>
#include <pvboot/env.h>
#include <pvboot/env_store.h>

/* A decimal variable as U-Boot's env_get_ulong(name, 10, 0). */
static unsigned long env_ulong(const char *name)
{
	const char *s = env_get(name);

	return s ? strtoul(s, NULL, 10) : 0;
}

static unsigned long bootcount_load(void)
{
	return env_ulong("upgrade_available") ? env_ulong("bootcount") : 0;
}

void bootcount_inc(void)
{
	unsigned long count = bootcount_load() + 1;

	env_set_ulong("bootcount", count);
	/* Saved before bootcmd: a kernel that hangs or panics still counts. */
	if (env_ulong("upgrade_available") && env_save())
		printf("Warning: bootcount %lu not saved: a failing boot will not be counted\n",
		       count);
}

bool bootcount_exceeded(void)
{
	unsigned long limit = env_ulong("bootlimit");

	if (limit && bootcount_load() > limit) {
		printf("Warning: Bootlimit (%lu) exceeded. Using altbootcmd.\n", limit);
		return true;
	}
	return false;
}
