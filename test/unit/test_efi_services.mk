# SPDX-License-Identifier: MIT
test_efi_services-srcs := efi/handle.c efi/device_path.c efi/pool.c efi/memory.c lib/heap.c \
	efi/event.c efi/variable.c efi/utf16.c disk/utf16.c
