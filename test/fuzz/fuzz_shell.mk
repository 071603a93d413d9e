# SPDX-License-Identifier: MIT
fuzz_shell-srcs := $(filter-out shell/readline.c shell/history.c shell/loop.c,$(wildcard shell/*.c)) \
	env/env.c
fuzz_shell-corpus := test/fuzz/corpus_shell.sh
