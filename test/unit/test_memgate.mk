# SPDX-License-Identifier: MIT
test_memgate-srcs := common/memgate.c test/unit/stdout_capture.c
