# SPDX-License-Identifier: MIT
test_board_uart-srcs := common/board.c common/fdt_check.c
