# SPDX-License-Identifier: MIT
fuzz_env-srcs := env/env.c lib/crc32.c env/env_image.c
fuzz_env-corpus := test/fuzz/corpus_env.sh
