# SPDX-License-Identifier: MIT
test_efi_memory-srcs := efi/memory.c
