# SPDX-License-Identifier: MIT
test_shell-srcs := cmd/cli_parse.c cmd/cli_vars.c cmd/command.c common/env.c common/printf.c \
	lib/vsprintf.c
