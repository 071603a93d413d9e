# SPDX-License-Identifier: MIT
fuzz_printf-srcs := lib/vsprintf.c
fuzz_printf-libs := -ldl
fuzz_printf-corpus := test/fuzz/corpus_printf.sh
