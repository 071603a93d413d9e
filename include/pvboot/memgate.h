/* SPDX-License-Identifier: MIT */
/*
 * The memory gate: the one check that every address and length coming from
 * outside pvboot (the console, a script, a disk, a backend, the network)
 * passes before anything reads or writes there.
 *
 * What may be touched is described once, as a map of RAM bank 0 built from
 * the board description: the bank, and inside it the regions pvboot occupies
 * or has not mapped. The gate answers from that map, and other users derive
 * what they need from the same list:
 *  - a command: mem_gate(addr, len, MEM_READ or MEM_WRITE) before touching;
 *  - a boot path: mem_gate_map() with the ranges it keeps in use as busy;
 *  - a download of unknown length (TFTP, HTTP): mem_gate_room() at the
 *    destination bounds it before the first packet is written;
 *  - a memory map for an OS or UEFI: the bank minus region[] is free,
 *    region[] is pvboot's (MEM_PVBOOT) or not mapped (MEM_UNMAPPED).
 */
#ifndef PVBOOT_MEMGATE_H
#define PVBOOT_MEMGATE_H

#include <pvboot/compiler.h>

struct board_info;

/* [start, end), with a name for messages ("the initrd"). */
struct mem_range {
	uint64_t start, end;
	const char *name;
};

enum mem_region_type {
	MEM_PVBOOT,   /* pvboot's own memory: may be read, never written from outside */
	MEM_UNMAPPED, /* inside the bank but not mapped: any access would fault */
};

struct mem_region {
	struct mem_range range;
	enum mem_region_type type;
};

#define MEM_MAP_MAX 16

/*
 * RAM bank 0 and what lies inside it. Regions are sorted by start, do not
 * overlap and lie inside ram; RAM not covered by a region is free for loads.
 * An empty ram (start == end) means RAM is unknown: nothing may be touched.
 */
struct mem_map {
	struct mem_range ram;
	struct mem_region region[MEM_MAP_MAX];
	unsigned int nr;
	bool overflow; /* more regions than fit: the gate refuses everything */
};

/* Build the map from a board description (pure). */
void mem_map_build(const struct board_info *b, struct mem_map *m);

/* Which board description the running pvboot's map is built from (init/main.c). */
void mem_gate_init(const struct board_info *b);
/* The map of the running pvboot, rebuilt from that description on each call. */
const struct mem_map *mem_map_board(void);

enum mem_access {
	MEM_READ,  /* inside RAM and mapped */
	MEM_WRITE, /* that, and clear of pvboot's memory and of every busy range */
};

/*
 * May [addr, addr + len) be accessed as `how`, given `map` and (for a write)
 * the ranges in busy[0..n_busy) that are in use (an initrd, a DT, a kernel
 * about to move)? 0, or -EFAULT with a message that names what is in the way
 * (none when quiet). Wrap-around and lengths past RAM are refused; len 0
 * touches nothing and is allowed.
 */
int mem_gate_map(const struct mem_map *map, uint64_t addr, uint64_t len, enum mem_access how,
		 const struct mem_range *busy, size_t n_busy, bool quiet);

/* The usual question, against pvboot's own map and nothing else busy. */
int mem_gate(uint64_t addr, uint64_t len, enum mem_access how);

/*
 * How many bytes from addr can be read in one piece (to the end of RAM or to
 * the first unmapped region); 0 if addr itself cannot be read. For data
 * whose length a header will say, bounded by this before it is believed.
 */
uint64_t mem_gate_readable(const struct mem_map *map, uint64_t addr);

/*
 * How many bytes from addr can be written in one piece: up to the end of
 * RAM, pvboot's memory or the first busy range; 0 if addr itself cannot be
 * written (a busy range that starts below addr and reaches it counts).
 */
uint64_t mem_gate_room(const struct mem_map *map, uint64_t addr, const struct mem_range *busy,
		       size_t n_busy);

#endif
