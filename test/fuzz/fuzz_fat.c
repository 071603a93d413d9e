// SPDX-License-Identifier: MIT
/* A whole FAT12/16/32 image from a hostile disk: mount, ls, read everything. */
#include "fuzz_fs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_fs(&fs_driver_fat, data, size);
	return 0;
}
