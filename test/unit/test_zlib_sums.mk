# SPDX-License-Identifier: MIT
# lib/zlib_sums.c is #included by the test (renamed), next to the host zlib.
test_zlib_sums-srcs := lib/crc32.c
