# SPDX-License-Identifier: MIT
test_shell-srcs := test/unit/capture_console.c cmd/cli_parse.c cmd/cli_vars.c cmd/command.c common/env.c common/printf.c \
	lib/vsprintf.c
