# SPDX-License-Identifier: MIT
test_shell_cmds-srcs := test/unit/capture_console.c cmd/test.c cmd/echo.c cmd/nvedit.c common/memgate.c \
	$(filter-out shell/readline.c shell/history.c shell/loop.c,$(wildcard shell/*.c)) \
	env/env.c common/printf.c lib/vsprintf.c lib/crc32.c common/errstr.c env/env_image.c \
	env/env_store.c
