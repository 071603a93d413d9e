/* SPDX-License-Identifier: MIT */
/* The board description the bdinfo command shows (cmd/bdinfo.c). */
#ifndef PVBOOT_BDINFO_H
#define PVBOOT_BDINFO_H

#include <pvboot/board.h>

/* Given once by init/main.c, the one place that reads the board description. */
void bdinfo_set_board(const struct board_info *bi);

#endif
