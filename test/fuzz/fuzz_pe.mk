# SPDX-License-Identifier: MIT
fuzz_pe-srcs := efi/pe.c
fuzz_pe-corpus := test/fuzz/corpus_pe.sh
