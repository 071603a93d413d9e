// SPDX-License-Identifier: MIT
/* MBR/DOS tables (primary, extended chain) from a hostile disk. */
#include "fuzz_part.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_partitions(data, size);
	return 0;
}
