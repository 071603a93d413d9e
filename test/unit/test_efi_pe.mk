# SPDX-License-Identifier: MIT
test_efi_pe-srcs := efi/pe.c test/unit/pe_builder.c
