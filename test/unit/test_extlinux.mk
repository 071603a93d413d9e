# SPDX-License-Identifier: MIT
test_extlinux-srcs := boot/extlinux_parse.c
