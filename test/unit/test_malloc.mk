# SPDX-License-Identifier: MIT
test_malloc-srcs := lib/heap.c
