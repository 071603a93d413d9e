# SPDX-License-Identifier: MIT
test_printf-srcs := lib/vsprintf.c lib/display.c
