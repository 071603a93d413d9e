/* SPDX-License-Identifier: MIT */
/* Tests of code that prints with the host's printf: what it printed, as a string. */
#ifndef TEST_UNIT_STDOUT_CAPTURE_H
#define TEST_UNIT_STDOUT_CAPTURE_H

/* Everything written to stdout between the two calls (a static buffer, NUL-terminated). */
void stdout_capture_begin(void);
const char *stdout_captured(void);

#endif
