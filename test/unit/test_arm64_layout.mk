# SPDX-License-Identifier: MIT
test_arm64_layout-srcs := arch/arm64/layout.c arch/arm64/map.c arch/arm64/mmu.c common/memgate.c
