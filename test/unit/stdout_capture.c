// SPDX-License-Identifier: MIT
/* stdout into a temporary file between two calls (stdout_capture.h). */
#include <stdio.h>
#include <unistd.h>
#include "stdout_capture.h"

static FILE *capture;
static int saved_stdout;

void stdout_capture_begin(void)
{
	fflush(stdout);
	capture = tmpfile();
	saved_stdout = dup(1);
	dup2(fileno(capture), 1);
}

const char *stdout_captured(void)
{
	static char buf[16384];
	size_t n;

	fflush(stdout);
	dup2(saved_stdout, 1);
	close(saved_stdout);
	rewind(capture);
	n = fread(buf, 1, sizeof(buf) - 1, capture);
	buf[n] = '\0';
	fclose(capture);
	return buf;
}
