# SPDX-License-Identifier: MIT
test_lib_misc-srcs := lib/strto.c lib/qsort.c lib/crc32.c common/errstr.c
