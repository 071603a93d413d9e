# SPDX-License-Identifier: MIT
fuzz_extlinux-srcs := boot/extlinux_parse.c
