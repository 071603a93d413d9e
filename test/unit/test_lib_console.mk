# SPDX-License-Identifier: MIT
# common/console.c is #included by the test itself (fresh state per test).
test_lib_console-srcs := common/log.c lib/vsprintf.c
