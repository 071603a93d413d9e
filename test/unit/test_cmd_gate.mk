# SPDX-License-Identifier: MIT
# The real commands that take addresses, the boot code below them and the shell.
test_cmd_gate-srcs := test/unit/bootstage_stub.c test/unit/capture_console.c common/memgate.c common/fdt_check.c \
	env/env.c env/env_image.c env/env_store.c common/printf.c lib/vsprintf.c \
	lib/crc32.c \
	$(filter-out shell/readline.c shell/history.c shell/loop.c,$(wildcard shell/*.c)) \
	cmd/mem.c cmd/crc32.c cmd/fdt.c cmd/nvedit.c cmd/source.c cmd/booti.c cmd/fs.c \
	cmd/pvblock.c cmd/boot.c cmd/bootflow.c cmd/bootefi.c \
	boot/booti.c boot/booti_plan.c boot/booti_commit.c boot/image.c boot/gunzip.c boot/legacy_image.c \
	boot/fdt_fixup.c boot/script.c boot/extlinux_boot.c boot/extlinux_parse.c \
	boot/bootsrc.c boot/bootflow.c
test_cmd_gate-srcs += cmd/net.c cmd/pxe.c boot/netboot.c boot/pxe.c net/dest.c
