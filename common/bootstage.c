// SPDX-License-Identifier: MIT
/*
 * Boot-phase timestamps, reported like U-Boot's `bootstage report`. The
 * table is fixed and small: marks past its end are counted, not stored.
 */
#include <stdio.h>
#include <pvboot/bootstage.h>
#include <pvboot/timer.h>

#define BOOTSTAGE_MAX 32
#define BOOTSTAGE_NAME 32

struct stage {
	uint64_t us;
	char name[BOOTSTAGE_NAME];
};

static struct stage stages[BOOTSTAGE_MAX];
static unsigned int nr_stages, nr_dropped;

void bootstage_mark(const char *name)
{
	bootstage_record(name, timer_us());
}

void bootstage_record(const char *name, uint64_t us)
{
	struct stage *s;
	size_t i;

	if (nr_stages == BOOTSTAGE_MAX) {
		nr_dropped++;
		return;
	}
	s = &stages[nr_stages++];
	s->us = us;
	for (i = 0; name && name[i] && i < sizeof(s->name) - 1; i++)
		s->name[i] = name[i];
	s->name[i] = '\0';
}

/* A number with thousands separators, right-aligned in width columns. */
static void print_grouped(uint64_t v, int width)
{
	char digits[32], out[40];
	int n = 0, o = 0, i;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = n - 1; i >= 0; i--) {
		out[o++] = digits[i];
		if (i && i % 3 == 0)
			out[o++] = ',';
	}
	out[o] = '\0';
	/* Wider than the column (a long uptime): keep a space between columns. */
	if (o >= width)
		printf(" %s", out);
	else
		printf("%*s", width, out);
}

void bootstage_report(void)
{
	uint64_t prev = 0;
	unsigned int i;

	printf("Timer summary in microseconds (%u records):\n", nr_stages);
	printf("%11s%11s  %s\n", "Mark", "Elapsed", "Stage");
	for (i = 0; i < nr_stages; i++) {
		print_grouped(stages[i].us, 11);
		print_grouped(stages[i].us >= prev ? stages[i].us - prev : 0, 11);
		printf("  %s\n", stages[i].name);
		prev = stages[i].us;
	}
	if (nr_dropped)
		printf("(%u more marks did not fit)\n", nr_dropped);
}
