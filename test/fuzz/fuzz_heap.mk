# SPDX-License-Identifier: MIT
fuzz_heap-srcs := lib/heap.c
