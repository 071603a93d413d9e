// SPDX-License-Identifier: MIT
/* extlinux.conf comes from a disk someone else may have written. */
#include <stdlib.h>
#include <pvboot/extlinux.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct extlinux_conf conf;

	if (!extlinux_parse((const char *)data, size, &conf))
		if (extlinux_default(&conf) >= conf.n_labels)
			abort();
	return 0;
}
