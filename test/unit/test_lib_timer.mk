# SPDX-License-Identifier: MIT
# common/bootstage.c is #included by the test itself (fresh state per test).
test_lib_timer-srcs := common/timer.c drivers/console/wait.c lib/display.c lib/vsprintf.c
