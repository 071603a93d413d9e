# SPDX-License-Identifier: MIT
test_part_utf16-srcs := disk/utf16.c
