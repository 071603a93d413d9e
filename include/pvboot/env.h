/* SPDX-License-Identifier: MIT */
/* The environment (U-Boot semantics, kept in RAM; env/). */
#ifndef PVBOOT_ENV_H
#define PVBOOT_ENV_H

#include <pvboot/compiler.h>

const char *env_get(const char *name);
int env_set(const char *name, const char *value);	  /* value NULL or "" deletes */
int env_set_hex(const char *name, uint64_t value);	  /* "%llx" as U-Boot */
int env_set_ulong(const char *name, unsigned long value); /* decimal */
unsigned long env_get_hex(const char *name, unsigned long def);
/* What the default environment is computed from (given by init/main.c). */
struct env_platform {
	uint64_t ram_start, ram_size; /* RAM bank 0 */
	uint64_t reserved_start;      /* lowest address pvboot occupies: loads stay below */
	uintptr_t fdt;		      /* the control DT (fdtcontroladdr, bootargs), or 0 */
};

/* Restore the defaults (computed by env/env_default.c from what env_init() was given). */
void env_set_default(void);
void env_init(const struct env_platform *p);
/* The DT pvboot was given (0 if none): what fdtcontroladdr defaults to. */
uintptr_t env_control_fdt(void);
/* Iterate in sorted order; cb returns non-zero to stop. */
int env_foreach(int (*cb)(const char *name, const char *value, void *arg), void *arg);
/* Import "name=value" lines (env import -t). Returns number set or -errno. */
int env_import_text(const char *buf, size_t len);

/*
 * A default contributed by another subsystem (e.g. boot/ adds distro_bootcmd
 * and boot_targets): collected from a linker section by env_set_default(),
 * applied after the computed defaults, so it may override them.
 *   PVBOOT_ENV_DEFAULT(boot_targets, "pvblock0 pvblock1");
 */
struct env_default {
	const char *name;
	const char *value;
};

#define PVBOOT_ENV_DEFAULT(_name, _value)                                       \
	static const struct env_default __env_default_##_name __used __section( \
	    "pvboot_env_default") __aligned(8) = {#_name, _value}

extern const struct env_default __start_pvboot_env_default[], __stop_pvboot_env_default[];

#endif
