/* SPDX-License-Identifier: MIT */
/* Environment internals shared by env/, the shell and the env commands. */
#ifndef PVBOOT_ENV_INTERNAL_H
#define PVBOOT_ENV_INTERNAL_H

#include <pvboot/compiler.h>

#define ENV_SIZE 0x10000u   /* bytes of "name=value\0" in total, as printenv reports */
#define ENV_NAME_MAX 128    /* longest variable name */
#define ENV_LINE_MAX 0x4000 /* longest line accepted by env_import_text */

bool env_name_valid(const char *name);
void env_clear(void);
size_t env_size_used(void);
/* Set the computed defaults (env/env_default.c); env must be empty. */
void env_defaults_apply(void);
/*
 * Set the variables that describe this boot (fdtcontroladdr: the DT Xen
 * gave; ver): a stored environment must not carry old ones over.
 */
void env_defaults_runtime(void);

#endif
