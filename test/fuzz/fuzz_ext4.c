// SPDX-License-Identifier: MIT
/* A whole ext2/3/4 image from a hostile disk: mount, ls, read everything. */
#include "fuzz_fs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_fs(&fs_driver_ext4, data, size);
	return 0;
}
