# SPDX-License-Identifier: MIT
fuzz_fdt-srcs := common/board.c common/fdt_check.c
fuzz_fdt-libs := -lfdt
fuzz_fdt-corpus := test/fuzz/corpus_fdt.sh
