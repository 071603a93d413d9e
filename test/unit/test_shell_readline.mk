# SPDX-License-Identifier: MIT
test_shell_readline-srcs := shell/readline.c shell/history.c
