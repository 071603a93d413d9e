// SPDX-License-Identifier: MIT
/*
 * The stored environment from a hostile disk, and env import's lists: the
 * input as an image of each layout, as a binary list and as text. A valid
 * image must import, export and import again to the same variables.
 */
#include <stdlib.h>
#include <string.h>
#include <pvboot/env.h>
#include <pvboot/env_image.h>
#include <pvboot/env_internal.h>
#include <pvboot/log.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int log_level = LOG_INFO;

void log_msg(enum log_level level, const char *fmt, ...)
{
}

/* No defaults here: env_clear() and the imports are what is fuzzed. */
void env_defaults_apply(void)
{
}

#define IMG_MAX 0x10000

static int collect(const char *name, const char *value, void *arg)
{
	size_t *sum = arg;

	*sum = *sum * 31 + strlen(name) * 7 + strlen(value);
	return 0;
}

static size_t fingerprint(void)
{
	size_t sum = 0;

	env_foreach(collect, &sum);
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t again[IMG_MAX];

	if (size > IMG_MAX)
		return 0;
	for (int redund = 0; redund < 2; redund++) {
		env_clear();
		if (env_image_import(data, size, redund) >= 0) {
			size_t before = fingerprint();

			/* What came in goes out in the same size and comes back the same. */
			if (env_image_export(again, size, redund, 1, NULL, 0) ||
			    env_image_import(again, size, redund) < 0 || fingerprint() != before)
				abort();
		}
	}
	env_clear();
	env_list_import((const char *)data, size, size & 1);
	env_import_text((const char *)data, size);
	env_clear();
	return 0;
}
