# SPDX-License-Identifier: MIT
test_shell_cmds-srcs := test/unit/capture_console.c cmd/test.c cmd/echo.c cmd/nvedit.c common/memgate.c cmd/cli_parse.c \
	cmd/cli_vars.c cmd/command.c common/env.c common/printf.c lib/vsprintf.c
