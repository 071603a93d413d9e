// SPDX-License-Identifier: MIT
/* Structural validation of a flattened device tree (a toolstack or a disk may hand us anything). */
#include <errno.h>
#include <string.h>
#include <libfdt.h>
#include <pvboot/fdt_check.h>

#define FDT_MAX_DEPTH 64

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int fail(const char **why, const char *msg)
{
	*why = msg;
	return -EINVAL;
}

/* Header fields: every block inside totalsize, totalsize inside max_size. */
static int check_header(const uint8_t *b, size_t max_size, const char **why)
{
	uint32_t total = be32_at(b + 4), off_struct = be32_at(b + 8), off_strings = be32_at(b + 12);
	uint32_t size_strings = be32_at(b + 32), size_struct = be32_at(b + 36);

	if (be32_at(b) != FDT_MAGIC)
		return fail(why, "bad magic");
	if (total < 40 || total > max_size)
		return fail(why, "totalsize out of range");
	if (be32_at(b + 20) < 17)
		return fail(why, "version older than 17");
	if (off_struct > total || size_struct > total - off_struct || off_struct % 4)
		return fail(why, "structure block outside the blob");
	if (off_strings > total || size_strings > total - off_strings)
		return fail(why, "strings block outside the blob");
	return 0;
}

int fdt_validate(const void *fdt, size_t max_size, const char **why)
{
	const uint8_t *b = fdt;
	uint32_t pos, end, size_strings;
	int depth = 0, err = check_header(b, max_size, why);

	if (err)
		return err;
	pos = be32_at(b + 8);
	end = pos + be32_at(b + 36);
	size_strings = be32_at(b + 32);
	while (pos + 4 <= end) {
		uint32_t tag = be32_at(b + pos);

		pos += 4;
		switch (tag) {
		case FDT_BEGIN_NODE: {
			const void *nul = memchr(b + pos, '\0', end - pos);

			if (!nul)
				return fail(why, "node name runs past the structure block");
			pos += ALIGN_UP((uint32_t)((const uint8_t *)nul - (b + pos)) + 1, 4u);
			if (++depth > FDT_MAX_DEPTH)
				return fail(why, "nodes nested too deep");
			break;
		}
		case FDT_END_NODE:
			if (--depth < 0)
				return fail(why, "unbalanced END_NODE");
			break;
		case FDT_PROP: {
			uint32_t len, nameoff;

			if (end - pos < 8)
				return fail(why, "truncated property");
			len = be32_at(b + pos);
			nameoff = be32_at(b + pos + 4);
			pos += 8;
			if (len > end - pos)
				return fail(why, "property length runs past the structure block");
			if (nameoff >= size_strings)
				return fail(why, "property name offset outside the strings block");
			pos += ALIGN_UP(len, 4u);
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			return depth ? fail(why, "END inside a node") : 0;
		default:
			return fail(why, "unknown structure tag");
		}
	}
	return fail(why, "no END tag");
}
