# SPDX-License-Identifier: MIT
fuzz_booti-srcs := test/unit/bootstage_stub.c boot/booti_plan.c boot/booti_commit.c boot/image.c boot/gunzip.c \
	boot/legacy_image.c boot/fdt_fixup.c common/fdt_check.c common/memgate.c lib/crc32.c
fuzz_booti-corpus := test/fuzz/corpus_booti.sh
