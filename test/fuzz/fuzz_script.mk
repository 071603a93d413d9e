# SPDX-License-Identifier: MIT
fuzz_script-srcs := boot/script.c boot/legacy_image.c lib/crc32.c common/memgate.c
fuzz_script-corpus := test/fuzz/corpus_script.sh
