# SPDX-License-Identifier: MIT
test_shell_readline-srcs := cmd/cli_readline.c
