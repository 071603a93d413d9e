// SPDX-License-Identifier: MIT
/*
 * With the host's C library (the sandbox), malloc() and abort() are the
 * host's: its allocator needs no range and reports corruption itself (ASan
 * watches it), its abort() ends the process with a report. The calls the
 * init sequence makes to set up pvboot's own C library do nothing here.
 */
#include <pvboot/abort.h>
#include <pvboot/heap.h>

int malloc_init(uintptr_t start, uintptr_t end)
{
	return 0;
}

void malloc_on_corrupt(void (*handler)(struct heap *h, const void *where, const char *what))
{
}

void abort_set_handler(void (*handler)(void))
{
}
