# SPDX-License-Identifier: MIT
fuzz_script-srcs := boot/script.c boot/legacy_image.c
fuzz_script-libs := -lz
fuzz_script-corpus := test/fuzz/corpus_script.sh
