// SPDX-License-Identifier: MIT
/* Boot scripts: `mkimage -T script` images (boot.scr) and plain text. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/command.h>
#include <pvboot/legacy_image.h>
#include <pvboot/memgate.h>
#include <pvboot/script.h>

#define SCRIPT_MAX (1u << 20)

static int legacy_script(const void *buf, size_t avail, const char **text, size_t *len)
{
	struct legacy_image img;
	uint32_t be_len, n, off = 0;
	int err = legacy_image_check(buf, avail, &img);

	if (err)
		return err;
	if (img.type != IH_TYPE_SCRIPT) {
		printf("## Wrong image type %u for a script (mkimage -T script)\n", img.type);
		return -EINVAL;
	}
	/* Payload: big-endian part lengths ending with 0, then the parts; part 0 is the script. */
	do {
		if (off + 4 > img.size) {
			printf("## Script image has no end to its length table\n");
			return -EBADMSG;
		}
		memcpy(&be_len, img.data + off, 4);
		off += 4;
	} while (be_len);
	memcpy(&be_len, img.data, 4);
	n = __builtin_bswap32(be_len);
	if (n > img.size - off) {
		printf("## Script length %u runs past the image (%u bytes)\n", n, img.size - off);
		return -EBADMSG;
	}
	*text = (const char *)img.data + off;
	*len = strnlen(*text, n);
	return 0;
}

static int text_script(const char *buf, size_t avail, const char **text, size_t *len)
{
	size_t n = strnlen(buf, avail < SCRIPT_MAX ? avail : SCRIPT_MAX);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = buf[i];

		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
			printf("## Not a script: binary byte 0x%02x at offset %zu\n", c, i);
			return -EINVAL;
		}
	}
	*text = buf;
	*len = n;
	return 0;
}

int script_extract(const void *buf, size_t avail, const char **text, size_t *len)
{
	if (legacy_image_magic(buf, avail))
		return legacy_script(buf, avail, text, len);
	return text_script(buf, avail, text, len);
}

int script_source(uintptr_t addr, size_t avail)
{
	const char *text;
	size_t len;

	printf("## Executing script at %08lx\n", (unsigned long)addr);
	/* avail may come from ${filesize}: nothing is read before the gate agrees. */
	if (mem_gate(addr, avail ? avail : 1, MEM_READ) || !avail)
		return 1;
	if (script_extract(phys_to_virt(addr), avail, &text, &len))
		return 1;
	return run_command_list(text, (int)len, 0);
}
