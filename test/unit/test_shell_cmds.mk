# SPDX-License-Identifier: MIT
test_shell_cmds-srcs := test/unit/capture_console.c cmd/test.c cmd/echo.c cmd/nvedit.c cmd/memrange.c cmd/cli_parse.c \
	cmd/cli_vars.c cmd/command.c common/env.c common/printf.c lib/vsprintf.c lib/crc32.c \
	common/errstr.c env/env_image.c env/env_store.c
