# SPDX-License-Identifier: MIT
fuzz_shell-srcs := cmd/cli_parse.c cmd/cli_vars.c cmd/command.c common/env.c
fuzz_shell-corpus := test/fuzz/corpus_shell.sh
