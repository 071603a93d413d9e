// SPDX-License-Identifier: MIT
/* crc32 [-v] addr len [store]: U-Boot's output "crc32 for A ... B ==> crc". */
#include <stdio.h>
#include <string.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/crc32.h>
#include <pvboot/env.h>
#include <pvboot/memgate.h>

#define CRC_CHUNK (1u << 20) /* check Ctrl-C between chunks */

static int crc_range(uint64_t addr, uint64_t len, uint32_t *out)
{
	uint32_t crc = 0;

	for (uint64_t done = 0; done < len;) {
		size_t n = (size_t)MIN(len - done, (uint64_t)CRC_CHUNK);

		crc = crc32_le(crc, (const void *)(uintptr_t)(addr + done), n);
		done += n;
		if (ctrlc())
			return -1;
	}
	*out = crc;
	return 0;
}

/* "*addr" or a hex address: 4 bytes big-endian there; otherwise an env variable. */
static int store_crc(const char *dest, uint32_t crc)
{
	uint64_t addr;
	char buf[12];

	if (*dest == '*' || !parse_u64(dest, &addr)) {
		if (parse_u64(dest + (*dest == '*'), &addr) || mem_gate(addr, 4, MEM_WRITE))
			return CMD_RET_FAILURE;
		for (int i = 0; i < 4; i++)
			((volatile uint8_t *)(uintptr_t)addr)[i] = (uint8_t)(crc >> (24 - 8 * i));
		return CMD_RET_SUCCESS;
	}
	snprintf(buf, sizeof(buf), "%08x", crc);
	return env_set(dest, buf) ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

static int do_crc32(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	bool verify = argc > 1 && !strcmp(argv[1], "-v");
	uint64_t addr, len, expect = 0;
	uint32_t crc;

	if (verify) {
		argc--;
		argv++;
	}
	if (argc < 3 || argc > 4 || parse_u64(argv[1], &addr) || parse_u64(argv[2], &len))
		return CMD_RET_USAGE;
	if (verify && (argc != 4 || parse_u64(argv[3], &expect)))
		return CMD_RET_USAGE;
	if (mem_gate(addr, len, MEM_READ))
		return CMD_RET_FAILURE;
	if (crc_range(addr, len, &crc))
		return CMD_RET_FAILURE;
	printf("crc32 for %08llx ... %08llx ==> %08x", (unsigned long long)addr,
	       (unsigned long long)(len ? addr + len - 1 : addr), crc);
	if (verify) {
		if (crc != expect) {
			printf(" != %08llx ** ERROR **\n", (unsigned long long)expect);
			return CMD_RET_FAILURE;
		}
		printf("\n");
		return CMD_RET_SUCCESS;
	}
	printf("\n");
	return argc == 4 ? store_crc(argv[3], crc) : CMD_RET_SUCCESS;
}

PVBOOT_CMD(crc32, 5, do_crc32, "checksum calculation",
	   "address count [addr]\n"
	   "    - compute CRC32 checksum [save at addr (4 bytes, big-endian) or in a variable]\n"
	   "crc32 -v address count crc\n"
	   "    - verify crc of memory area");
