// SPDX-License-Identifier: MIT
/* A gzip'd kernel Image read from disk: zlib must reject garbage cleanly. */
#include <stdbool.h>
#include <stdlib.h>
#include <pvboot/image.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
bool ctrlc(void);

bool ctrlc(void)
{
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[1 << 20];
	size_t n = 0;

	if (!gunzip(out, sizeof(out), data, size, &n) && n > sizeof(out))
		abort();
	return 0;
}
