# SPDX-License-Identifier: MIT
# The shell language and command table (not the line editor or the interactive loop).
test_shell-srcs := test/unit/capture_console.c \
	$(filter-out shell/readline.c shell/history.c shell/loop.c,$(wildcard shell/*.c)) \
	env/env.c common/printf.c lib/vsprintf.c
