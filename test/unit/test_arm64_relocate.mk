# SPDX-License-Identifier: MIT
test_arm64_relocate-srcs := arch/arm64/relocate.c
