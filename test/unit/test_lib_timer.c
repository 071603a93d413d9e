// SPDX-License-Identifier: MIT
/*
 * common/timer.c, common/bootstage.c and wait_continue()
 * (drivers/console/wait.c) over a fake counter: conversions
 * without 64-bit overflow, delays, deadlines, and the exact text of
 * print_rate() and the bootstage report (captured from stdout).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <cmocka.h>
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include <pvboot/timer.h>

/* bootstage.c is included so each test starts with an empty table. */
#include "../../common/bootstage.c"

static uint64_t counter, freq, relax_step;
static unsigned int relax_calls, ctrlc_after;

uint64_t arch_counter(void)
{
	return counter;
}

uint64_t arch_counter_freq(void)
{
	return freq;
}

void arch_cpu_relax(void)
{
	relax_calls++;
	counter += relax_step;
}

/* Ctrl-C "pressed" on the ctrlc_after-th check (0: never). */
static unsigned int ctrlc_calls;
bool ctrlc(void)
{
	return ctrlc_after && ++ctrlc_calls >= ctrlc_after;
}

static int reset(void **state)
{
	counter = 0;
	freq = 62500000; /* what Xen on qemu's virt board reports */
	relax_step = 0;
	relax_calls = 0;
	ctrlc_after = 0;
	ctrlc_calls = 0;
	nr_stages = 0;
	nr_dropped = 0;
	return 0;
}

/* Run fn with stdout captured into out. */
static void capture(void (*fn)(void), char *out, size_t len)
{
	int fd = memfd_create("out", 0), saved;
	ssize_t n;

	assert_true(fd >= 0);
	fflush(stdout);
	saved = dup(1);
	dup2(fd, 1);
	fn();
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	n = pread(fd, out, len - 1, 0);
	assert_true(n >= 0);
	out[n] = '\0';
	close(fd);
}

static void test_timer_us(void **state)
{
	static const uint64_t freqs[] = {1000000, 24000000, 62500000, 1000000000, 19200000};
	static const uint64_t ticks[] = {
	    0, 1, 999999, 62500000ULL * 3 + 31250000, 1ULL << 40, 1ULL << 62, UINT64_MAX};

	counter = 62500000ULL * 3 + 31250000;
	assert_int_equal(timer_us(), 3500000);
	for (size_t f = 0; f < ARRAY_SIZE(freqs); f++)
		for (size_t t = 0; t < ARRAY_SIZE(ticks); t++) {
			unsigned __int128 ref = (unsigned __int128)ticks[t] * 1000000 / freqs[f];

			freq = freqs[f];
			counter = ticks[t];
			assert_int_equal(timer_us(), (uint64_t)ref);
		}
	freq = 0; /* a broken CNTFRQ must not divide by zero */
	assert_int_equal(timer_us(), 0);
}

static void test_get_timer(void **state)
{
	unsigned long t0;

	counter = 62500ULL * 1500; /* 1.5 s */
	t0 = get_timer(0);
	assert_int_equal(t0, 1500);
	counter += 62500ULL * 250;
	assert_int_equal(get_timer(t0), 250);
}

static void test_udelay(void **state)
{
	freq = 1000000; /* 1 tick = 1 us */
	relax_step = 7;
	udelay(1000);
	assert_true(counter >= 1000 && counter < 1007);
	counter = 0;
	mdelay(2);
	assert_true(counter >= 2000 && counter < 2007);
	relax_calls = 0;
	udelay(0);
	assert_int_equal(relax_calls, 0);
}

static void test_deadlines(void **state)
{
	uint64_t d;

	freq = 1000000;
	counter = 5000;
	d = deadline_ms(10);
	assert_int_equal(d, 15000);
	assert_false(deadline_passed(d));
	assert_true(wait_continue(d));
	counter = 14999;
	assert_false(deadline_passed(d));
	counter = 15000;
	assert_true(deadline_passed(d));
	assert_false(wait_continue(d));

	/* A bounded wait loop as drivers write it ends by timeout... */
	counter = 0;
	relax_step = 100;
	d = deadline_ms(5);
	while (wait_continue(d))
		arch_cpu_relax();
	assert_true(counter >= 5000 && counter <= 5100);
	/* ...or by Ctrl-C, well before the deadline. */
	counter = 0;
	ctrlc_after = 3;
	d = deadline_ms(1000);
	while (wait_continue(d))
		arch_cpu_relax();
	assert_int_equal(counter, 200);
}

static void print_rate_64m(void)
{
	print_rate(67108864, 312000);
	print_rate(1000, 999);
}

static void test_print_rate(void **state)
{
	char out[256];

	capture(print_rate_64m, out, sizeof(out));
	assert_string_equal(out, "67108864 bytes read in 312 ms (205.1 MiB/s)\n"
				 "1000 bytes read in 0 ms (977.5 KiB/s)\n");
}

static void test_bootstage_report(void **state)
{
	char out[1024];

	freq = 1000000;
	counter = 1234;
	bootstage_mark("entry");
	counter = 56789;
	bootstage_mark("mmu on");
	counter = 1234567;
	bootstage_mark("a name that is much longer than the table keeps");
	counter = 1234568;
	bootstage_mark(NULL);
	capture(bootstage_report, out, sizeof(out));
	assert_string_equal(out, "Timer summary in microseconds (4 records):\n"
				 "       Mark    Elapsed  Stage\n"
				 "      1,234      1,234  entry\n"
				 "     56,789     55,555  mmu on\n"
				 "  1,234,567  1,177,778  a name that is much longer than\n"
				 "  1,234,568          1  \n");
}

static void test_bootstage_long_uptime(void **state)
{
	char out[1024];

	freq = 1000000;
	counter = 2716881488ULL;
	bootstage_mark("main");
	counter += 45;
	bootstage_mark("xen");
	capture(bootstage_report, out, sizeof(out));
	/* Columns wider than 11 still have a space between them. */
	assert_string_equal(out, "Timer summary in microseconds (2 records):\n"
				 "       Mark    Elapsed  Stage\n"
				 " 2,716,881,488 2,716,881,488  main\n"
				 " 2,716,881,533         45  xen\n");
}

static void test_bootstage_full(void **state)
{
	char out[8192], want[64];
	uint64_t t;

	for (int i = 0; i < BOOTSTAGE_MAX + 2; i++)
		bootstage_mark("m");
	/* A phase that no longer fits is counted too... */
	t = bootstage_start();
	bootstage_done("load", "/boot/Image", t);
	capture(bootstage_report, out, sizeof(out));
	snprintf(want, sizeof(want), "(%d records)", BOOTSTAGE_MAX);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "(3 more marks did not fit)\n"));
	assert_null(strstr(out, "load"));
	assert_int_equal(nr_stages, BOOTSTAGE_MAX);
}

/* ...but one that repeats the last record adds to it, full table or not. */
static void test_bootstage_full_repeat(void **state)
{
	uint64_t t;

	freq = 1000000;
	for (int i = 0; i < BOOTSTAGE_MAX - 1; i++)
		bootstage_mark("m");
	for (int i = 0; i < 3; i++) {
		t = bootstage_start();
		counter += 10;
		bootstage_done("fs probe", "pvblock 0:1", t);
	}
	assert_int_equal(nr_stages, BOOTSTAGE_MAX);
	assert_int_equal(nr_dropped, 0);
	assert_int_equal(stages[BOOTSTAGE_MAX - 1].count, 3);
	assert_int_equal(stages[BOOTSTAGE_MAX - 1].phase_us, 30);
}

/* Names are cut to the 31 characters of the field; a phase's argument keeps its end. */
static void test_bootstage_names(void **state)
{
	static const char *const want[] = {
	    "0123456789012345678901234567890", /* a mark: its first 31 */
	    "load /boot/Image",		       /* fits as it is */
	    "load .../vmlinuz-6.1.0-13-arm64", /* the path's end, "..." before it */
	    "load 0123456789012345678901234/", /* exactly 31: whole */
	    "load ...456789012345678901234/x", /* 32: cut */
	    "0123456789012345678901234567890", /* no room for the argument */
	    "012345678901234567890123456789",  /* room for " " but not "x" */
	    "01234567890123456789012345678 x", /* 29 + " x": 31 */
	    "pvblock 51712 connected",	       /* what the driver records */
	    "arg-only",			       /* no what: no leading space */
	};
	char longest[256];
	uint64_t t = bootstage_start();

	memset(longest, 'a', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	bootstage_mark("0123456789012345678901234567890123456789");
	bootstage_done("load", "/boot/Image", t);
	bootstage_done("load", "/usr/lib/linux/boot/vmlinuz-6.1.0-13-arm64", t);
	bootstage_done("load", "0123456789012345678901234/", t);
	bootstage_done("load", "0123456789012345678901234/x", t);
	bootstage_done("01234567890123456789012345678901234", "lost", t);
	bootstage_done("012345678901234567890123456789", "x", t);
	bootstage_done("01234567890123456789012345678", "x", t);
	bootstage_done("pvblock 51712", "connected", t);
	bootstage_done(NULL, "arg-only", t);
	assert_int_equal(nr_stages, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		assert_true(strlen(stages[i].name) < sizeof(stages[i].name));
		assert_string_equal(stages[i].name, want[i]);
	}
	/* Whatever the lengths, the field stays terminated. */
	bootstage_mark(longest);
	bootstage_done(longest, longest, t);
	bootstage_done("load", longest, t);
	assert_int_equal(strlen(stages[nr_stages - 3].name), BOOTSTAGE_NAME - 1);
	assert_int_equal(strlen(stages[nr_stages - 2].name), BOOTSTAGE_NAME - 1);
	assert_string_equal(stages[nr_stages - 1].name, "load ...aaaaaaaaaaaaaaaaaaaaaaa");
}

/*
 * A point recorded afterwards (init/main.c's "first console byte", from the
 * time common/console.c kept): a phase of length 0 at its own time, which
 * leaves the mark after it whole.
 */
static void test_bootstage_record_phase(void **state)
{
	char out[1024];

	freq = 1000000;
	counter = 1000;
	bootstage_mark("console");
	counter = 1500;
	bootstage_record_phase("first console byte", 1010, 1010);
	bootstage_mark("banner");
	bootstage_record_phase("backwards", 20, 10);
	capture(bootstage_report, out, sizeof(out));
	assert_string_equal(out, "Timer summary in microseconds (4 records):\n"
				 "       Mark    Elapsed  Stage\n"
				 "      1,000      1,000  console\n"
				 "      1,010          0  first console byte\n"
				 "      1,500        500  banner\n"
				 "         10          0  backwards\n");
}

/*
 * Phases in the report: a phase's Elapsed is its own length, whatever ran
 * around it; a mark's is the time since the previous mark, phases skipped
 * (so "pvblock" is the whole step, the disk inside it its own line); a
 * phase repeated back to back (even one nested in the next: nothing was
 * recorded between) is one line with its total and count.
 */
static void test_bootstage_phases(void **state)
{
	char out[2048];
	uint64_t disk, load;

	freq = 1000000;
	counter = 1000;
	bootstage_mark("xen-services");
	disk = bootstage_start();
	counter += 700000;
	bootstage_done("pvblock 51712", "connected", disk);
	counter += 30000;
	bootstage_mark("pvblock");
	counter += 5000000; /* idle at the prompt */
	bootstage_mark("prompt");
	counter += 8000000; /* the user types */
	for (int i = 0; i < 3; i++) {
		uint64_t t = bootstage_start();

		counter += 100;
		bootstage_done("fs probe", "pvblock 0:1", t);
	}
	load = bootstage_start();
	counter += 200;
	{
		uint64_t t = bootstage_start(); /* nested: probed again inside the load */

		counter += 100;
		bootstage_done("fs probe", "pvblock 0:1", t);
	}
	counter += 300000;
	bootstage_done("load", "/boot/Image.gz", load);
	counter += 50;
	load = bootstage_start();
	counter += 300000;
	bootstage_done("load", "/boot/Image.gz", load); /* the same file, right again */
	counter += 10;
	load = bootstage_start();
	counter += 123456;
	bootstage_done("inflate", NULL, load);
	counter += 7;
	bootstage_mark("handoff");
	capture(bootstage_report, out, sizeof(out));
	assert_string_equal(out, "Timer summary in microseconds (8 records):\n"
				 "       Mark    Elapsed  Stage\n"
				 "      1,000      1,000  xen-services\n"
				 "    701,000    700,000  pvblock 51712 connected\n"
				 "    731,000    730,000  pvblock\n"
				 "  5,731,000  5,000,000  prompt\n"
				 " 13,731,600        400  fs probe pvblock 0:1 (4 times)\n"
				 " 14,331,650    600,300  load /boot/Image.gz (2 times)\n"
				 " 14,455,116    123,456  inflate\n"
				 " 14,455,123  8,724,123  handoff\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_timer_us, reset),
	    cmocka_unit_test_setup(test_get_timer, reset),
	    cmocka_unit_test_setup(test_udelay, reset),
	    cmocka_unit_test_setup(test_deadlines, reset),
	    cmocka_unit_test_setup(test_print_rate, reset),
	    cmocka_unit_test_setup(test_bootstage_report, reset),
	    cmocka_unit_test_setup(test_bootstage_long_uptime, reset),
	    cmocka_unit_test_setup(test_bootstage_full, reset),
	    cmocka_unit_test_setup(test_bootstage_full_repeat, reset),
	    cmocka_unit_test_setup(test_bootstage_names, reset),
	    cmocka_unit_test_setup(test_bootstage_phases, reset),
	    cmocka_unit_test_setup(test_bootstage_record_phase, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
