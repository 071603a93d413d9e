/* SPDX-License-Identifier: MIT */
/*
 * A console for unit tests of code that prints: while capture_on, output is
 * recorded in capture_out (NUL terminated), else it goes to stdout. ctrlc()
 * returns true on the capture_ctrlc_after-th call (counting down; -1 never).
 */
#ifndef TEST_CAPTURE_CONSOLE_H
#define TEST_CAPTURE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

extern char capture_out[1 << 18];
extern size_t capture_len;
extern bool capture_on;
extern int capture_ctrlc_after;

/* Run a script through the shell with the output captured; its status. */
int capture_run(const char *script);

/* Run script; its output must be exactly expected and its status status (cmocka). */
#define assert_run(script, status, expected)                \
	do {                                                \
		int _r = capture_run(script);               \
		assert_string_equal(capture_out, expected); \
		assert_int_equal(_r, status);               \
	} while (0)

#endif
