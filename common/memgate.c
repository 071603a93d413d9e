// SPDX-License-Identifier: MIT
/*
 * The memory gate (see include/pvboot/memgate.h). One map of RAM bank 0,
 * built from the board description, answers every "may this range be read
 * or written?" before the first byte is touched, so a refused command or
 * boot leaves memory as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/board.h>
#include <pvboot/memgate.h>

static bool overlaps(const struct mem_range *r, uint64_t start, uint64_t end)
{
	return r->start < r->end && r->start < end && start < r->end;
}

static void insert(struct mem_map *m, uint64_t start, uint64_t end, enum mem_region_type type,
		   const char *name)
{
	unsigned int i = 0;

	if (m->nr == MEM_MAP_MAX) {
		m->overflow = true;
		return;
	}
	while (i < m->nr && m->region[i].range.start < start)
		i++;
	memmove(&m->region[i + 1], &m->region[i], (m->nr - i) * sizeof(m->region[0]));
	m->region[i] = (struct mem_region){{start, end, name}, type};
	m->nr++;
}

/*
 * Add [start, end) clipped to RAM, only where no earlier region lies: what
 * is added first wins, so the stricter regions go in first.
 */
static void add(struct mem_map *m, uint64_t start, uint64_t end, enum mem_region_type type,
		const char *name)
{
	uint64_t piece[MEM_MAP_MAX + 1][2];
	unsigned int n = 0;
	uint64_t at;

	start = MAX(start, m->ram.start);
	end = MIN(end, m->ram.end);
	if (start >= end)
		return;
	at = start;
	for (unsigned int i = 0; i < m->nr && at < end; i++) {
		const struct mem_range *r = &m->region[i].range;

		if (r->end <= at)
			continue;
		if (r->start >= end)
			break;
		if (r->start > at) {
			piece[n][0] = at;
			piece[n++][1] = r->start;
		}
		at = r->end;
	}
	if (at < end) {
		piece[n][0] = at;
		piece[n++][1] = end;
	}
	for (unsigned int i = 0; i < n; i++)
		insert(m, piece[i][0], piece[i][1], type, name);
}

void mem_map_build(const struct board_info *b, struct mem_map *m)
{
	memset(m, 0, sizeof(*m));
	if (!b->nr_banks || b->banks[0].start + b->banks[0].size < b->banks[0].start)
		return;
	m->ram = (struct mem_range){b->banks[0].start, b->banks[0].start + b->banks[0].size, "RAM"};
	/* Left unmapped so that a stack overflow faults: reading it faults too. */
	if (b->stack_base >= PAGE_SIZE)
		add(m, b->stack_base - PAGE_SIZE, b->stack_base, MEM_UNMAPPED,
		    "the stack guard page");
	add(m, b->fdt, b->fdt + b->fdt_size, MEM_PVBOOT, "pvboot's device tree");
	add(m, b->heap_start, b->heap_end, MEM_PVBOOT, "pvboot's heap");
	add(m, b->stack_base, b->stack_top, MEM_PVBOOT, "pvboot's stack");
	add(m, b->reloc_addr, b->image_end, MEM_PVBOOT, "pvboot's image");
	/* Normally outside RAM; a DT that puts it inside must not get it overwritten. */
	add(m, b->gnttab_base, b->gnttab_base + b->gnttab_size, MEM_PVBOOT,
	    "the grant-table frames");
	/* The rest of the top of RAM: rings and pages shared with backends, alignment. */
	if (b->reserved_start)
		add(m, b->reserved_start, m->ram.end, MEM_PVBOOT, "memory reserved by pvboot");
}

/* Given by init, the one place that reads the board description. */
static const struct board_info *gate_board;

void mem_gate_init(const struct board_info *b)
{
	gate_board = b;
}

const struct mem_map *mem_map_board(void)
{
	static const struct board_info none;
	static struct mem_map map;

	/* Before init says where RAM is, nothing is in RAM: every range is refused. */
	mem_map_build(gate_board ? gate_board : &none, &map);
	return &map;
}

enum why { OUTSIDE, UNMAPPED, OVERWRITE, NO_RAM, WRAPS };

static int refuse(bool quiet, enum mem_access how, uint64_t addr, uint64_t len, enum why why,
		  const struct mem_range *r)
{
	static const char *const reason[] = {
	    [OUTSIDE] = "outside RAM",
	    [UNMAPPED] = "not mapped:",
	    [OVERWRITE] = "it would overwrite",
	};

	if (quiet)
		return -EFAULT;
	printf("## Cannot %s 0x%llx", how == MEM_WRITE ? "write" : "read",
	       (unsigned long long)addr);
	if (why == WRAPS) {
		printf("+0x%llx: the range wraps around\n", (unsigned long long)len);
		return -EFAULT;
	}
	printf("-0x%llx: ", (unsigned long long)(addr + len));
	if (why == NO_RAM)
		printf("no RAM is known (no usable /memory in the device tree)\n");
	else
		printf("%s%s%s (0x%llx-0x%llx)\n", reason[why], why == OUTSIDE ? "" : " ",
		       why == OUTSIDE ? "" : r->name, (unsigned long long)r->start,
		       (unsigned long long)r->end);
	return -EFAULT;
}

int mem_gate_map(const struct mem_map *map, uint64_t addr, uint64_t len, enum mem_access how,
		 const struct mem_range *busy, size_t n_busy, bool quiet)
{
	uint64_t end = addr + len;

	if (!len)
		return 0;
	if (end < addr)
		return refuse(quiet, how, addr, len, WRAPS, NULL);
	if (map->overflow || map->ram.start >= map->ram.end)
		return refuse(quiet, how, addr, len, NO_RAM, NULL);
	if (addr < map->ram.start || end > map->ram.end)
		return refuse(quiet, how, addr, len, OUTSIDE, &map->ram);
	for (unsigned int i = 0; i < map->nr; i++) {
		const struct mem_region *r = &map->region[i];

		if (!overlaps(&r->range, addr, end))
			continue;
		if (r->type == MEM_UNMAPPED)
			return refuse(quiet, how, addr, len, UNMAPPED, &r->range);
		if (how == MEM_WRITE)
			return refuse(quiet, how, addr, len, OVERWRITE, &r->range);
	}
	for (size_t i = 0; how == MEM_WRITE && i < n_busy; i++)
		if (overlaps(&busy[i], addr, end))
			return refuse(quiet, how, addr, len, OVERWRITE, &busy[i]);
	return 0;
}

int mem_gate(uint64_t addr, uint64_t len, enum mem_access how)
{
	return mem_gate_map(mem_map_board(), addr, len, how, NULL, 0, false);
}

static bool in_ram(const struct mem_map *map, uint64_t addr)
{
	return !map->overflow && addr >= map->ram.start && addr < map->ram.end;
}

/* Lower *limit to the start of r if r lies above addr; true if r holds addr. */
static bool blocks(const struct mem_range *r, uint64_t addr, uint64_t *limit)
{
	if (r->start >= r->end)
		return false;
	if (r->start <= addr && addr < r->end)
		return true;
	if (r->start > addr && r->start < *limit)
		*limit = r->start;
	return false;
}

uint64_t mem_gate_readable(const struct mem_map *map, uint64_t addr)
{
	uint64_t limit = map->ram.end;

	if (!in_ram(map, addr))
		return 0;
	for (unsigned int i = 0; i < map->nr; i++)
		if (map->region[i].type == MEM_UNMAPPED &&
		    blocks(&map->region[i].range, addr, &limit))
			return 0;
	return limit - addr;
}

uint64_t mem_gate_room(const struct mem_map *map, uint64_t addr, const struct mem_range *busy,
		       size_t n_busy)
{
	uint64_t limit = map->ram.end;

	if (!in_ram(map, addr))
		return 0;
	for (unsigned int i = 0; i < map->nr; i++)
		if (blocks(&map->region[i].range, addr, &limit))
			return 0;
	for (size_t i = 0; i < n_busy; i++)
		if (blocks(&busy[i], addr, &limit))
			return 0;
	return limit - addr;
}
