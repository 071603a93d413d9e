# SPDX-License-Identifier: MIT
test_booti_plan-srcs := test/unit/bootstage_stub.c boot/booti_plan.c boot/image.c boot/gunzip.c boot/legacy_image.c \
	boot/fdt_fixup.c common/fdt_check.c common/memgate.c lib/crc32.c boot/booti_commit.c \
	test/unit/stdout_capture.c
