# SPDX-License-Identifier: MIT
test_string-srcs := lib/string.c lib/strdup.c
