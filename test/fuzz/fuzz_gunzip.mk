# SPDX-License-Identifier: MIT
fuzz_gunzip-srcs := boot/gunzip.c boot/image.c
fuzz_gunzip-libs := -lz
fuzz_gunzip-corpus := test/fuzz/corpus_gunzip.sh
