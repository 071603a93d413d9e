# SPDX-License-Identifier: MIT
fuzz_strto-srcs := lib/strto.c
fuzz_strto-libs := -ldl
