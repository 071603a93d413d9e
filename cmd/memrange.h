/* SPDX-License-Identifier: MIT */
/* Address checks shared by the memory commands (md, mw, cp, cmp, crc32, env import). */
#ifndef PVBOOT_CMD_MEMRANGE_H
#define PVBOOT_CMD_MEMRANGE_H

#include <pvboot/compiler.h>

/*
 * Is [addr, addr+len) inside RAM bank 0 (and, for a write, below pvboot's
 * own memory)? Prints why not and returns false. The identity map covers
 * only RAM, so anything else would fault.
 */
bool mem_range_ok(uint64_t addr, uint64_t len, bool write);

#endif
