// SPDX-License-Identifier: MIT
/* boot.scr: legacy image headers, CRCs and the part-length table, or plain text. */
#include <stdlib.h>
#include <string.h>
#include <pvboot/board.h>
#include <pvboot/script.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int run_command_list(const char *cmd, int len, int flag);

/* script_source() asks the memory gate, which reads the board: none here. */
struct board_info board;

/* The shell is fuzzed on its own: here only the extraction matters. */
int run_command_list(const char *cmd, int len, int flag)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	const char *text;
	size_t len;

	memcpy(copy, data, size);
	if (!script_extract(copy, size, &text, &len)) {
		/* The script must lie inside the buffer. */
		if (text < (const char *)copy || text + len > (const char *)copy + size)
			abort();
	}
	free(copy);
	return 0;
}
