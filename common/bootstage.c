// SPDX-License-Identifier: MIT
/*
 * Boot-phase timestamps, reported like U-Boot's `bootstage report`. The
 * table is fixed and small: records past its end are counted, not stored.
 *
 * Two kinds of record. A mark is a point in time ("prompt"); its Elapsed is
 * the time since the previous mark, which is the length of the step that
 * ended there (the init steps mark their ends back to back). A phase
 * ("load /boot/Image") knows when it started: its Elapsed is its own
 * length, so it reads the same whether it ran inside a step (a disk
 * connecting during "pvblock"), after idle time at the prompt, or nested in
 * another phase; marks skip it when they compute theirs. A phase that ends
 * right after one of the same name (a filesystem probed again for each
 * file looked up) adds to it: one line, its total time and count.
 */
#include <stdio.h>
#include <string.h>
#include <pvboot/bootstage.h>
#include <pvboot/timer.h>

#define BOOTSTAGE_MAX 64
#define BOOTSTAGE_NAME 32

struct stage {
	uint64_t us;	    /* the mark, or the phase's (last) end */
	uint64_t phase_us;  /* a phase: its length (summed when repeated) */
	unsigned int count; /* a phase: how many times it ran in a row (0: a mark) */
	char name[BOOTSTAGE_NAME];
};

static struct stage stages[BOOTSTAGE_MAX];
static unsigned int nr_stages, nr_dropped;

/* "what arg", cut to fit the name field; a long arg keeps its end (a path's file name). */
static void make_name(char *out, const char *what, const char *arg)
{
	size_t n = 0, len, room;

	for (; what && what[n] && n < BOOTSTAGE_NAME - 1; n++)
		out[n] = what[n];
	if (arg && *arg && n + 1 < BOOTSTAGE_NAME - 1) {
		if (n)
			out[n++] = ' ';
		len = strlen(arg);
		room = BOOTSTAGE_NAME - 1 - n;
		if (len > room) {
			if (room > 3) {
				memcpy(out + n, "...", 3);
				n += 3;
				room -= 3;
			}
			arg += len - room;
			len = room;
		}
		memcpy(out + n, arg, len);
		n += len;
	}
	out[n] = '\0';
}

static struct stage *new_stage(void)
{
	if (nr_stages == BOOTSTAGE_MAX) {
		nr_dropped++;
		return NULL;
	}
	return &stages[nr_stages++];
}

void bootstage_mark(const char *name)
{
	bootstage_record(name, timer_us());
}

void bootstage_record(const char *name, uint64_t us)
{
	struct stage *s = new_stage();

	if (!s)
		return;
	s->us = us;
	s->phase_us = 0;
	s->count = 0;
	make_name(s->name, name, NULL);
}

uint64_t bootstage_start(void)
{
	return timer_us();
}

static void add_phase(const char *name, uint64_t now, uint64_t len)
{
	struct stage *s = nr_stages ? &stages[nr_stages - 1] : NULL;

	if (s && s->count && !strcmp(s->name, name)) {
		s->us = now;
		s->phase_us += len;
		s->count++;
		return;
	}
	s = new_stage();
	if (!s)
		return;
	s->us = now;
	s->phase_us = len;
	s->count = 1;
	memcpy(s->name, name, sizeof(s->name));
}

void bootstage_done(const char *what, const char *arg, uint64_t start_us)
{
	uint64_t now = timer_us();
	char name[BOOTSTAGE_NAME];

	make_name(name, what, arg);
	add_phase(name, now, now >= start_us ? now - start_us : 0);
}

void bootstage_record_phase(const char *name, uint64_t start_us, uint64_t end_us)
{
	char n[BOOTSTAGE_NAME];

	make_name(n, name, NULL);
	add_phase(n, end_us, end_us >= start_us ? end_us - start_us : 0);
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
		const struct stage *s = &stages[i];

		print_grouped(s->us, 11);
		if (s->count) {
			print_grouped(s->phase_us, 11);
		} else {
			print_grouped(s->us >= prev ? s->us - prev : 0, 11);
			prev = s->us;
		}
		printf("  %s", s->name);
		if (s->count > 1)
			printf(" (%u times)", s->count);
		printf("\n");
	}
	if (nr_dropped)
		printf("(%u more marks did not fit)\n", nr_dropped);
}
