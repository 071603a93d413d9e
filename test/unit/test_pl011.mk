# SPDX-License-Identifier: MIT
test_pl011-srcs := drivers/console/pl011.c
