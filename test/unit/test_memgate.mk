# SPDX-License-Identifier: MIT
test_memgate-srcs := common/memgate.c
