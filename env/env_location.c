// SPDX-License-Identifier: MIT
/* The environment's storage as Kconfig chose it (one place, so env_store.c knows none). */
#include <pvboot/env_store.h>

void env_store_setup(void)
{
#ifdef CONFIG_ENV_IS_IN_FAT
	static const struct env_store_cfg fat = {
	    .loc = &env_location_fat,
	    .size = CONFIG_ENV_SIZE,
#ifdef CONFIG_ENV_REDUNDANT
	    .redundant = true,
#endif
	};

	env_store_configure(&fat);
#endif
}
