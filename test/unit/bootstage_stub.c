// SPDX-License-Identifier: MIT
/*
 * Phases timed by common/bootstage.c, as nothing: for tests of code that
 * times its phases but not of the table (test_lib_timer includes the real
 * one). bootstage_mark() is stubbed by each test that needs it.
 */
#include <pvboot/bootstage.h>

uint64_t bootstage_start(void)
{
	return 0;
}

void bootstage_done(const char *what, const char *arg, uint64_t start_us)
{
}
