// SPDX-License-Identifier: MIT
/*
 * The stored environment's format (include/pvboot/env_image.h). Everything
 * read here comes from a disk that Linux, a script or an attacker wrote:
 * the CRC and the terminating empty entry are checked over the whole data
 * area before a single variable is changed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/crc32.h>
#include <pvboot/env.h>
#include <pvboot/env_image.h>
#include <pvboot/env_internal.h>
#include <pvboot/get_le.h>
#include <pvboot/log.h>

/*
 * Fuzzing builds compute the CRC but do not stop on a mismatch, so mutated
 * inputs reach the list parser behind it.
 */
#ifdef FUZZING
#define ENV_CRC_ENFORCED 0
#else
#define ENV_CRC_ENFORCED 1
#endif

struct export_ctx {
	char *buf;
	size_t size, used;
	bool text;
	const char *const *names;
	int n;
};

static bool wanted(const struct export_ctx *x, const char *name)
{
	if (x->n <= 0)
		return true;
	for (int i = 0; i < x->n; i++)
		if (!strcmp(x->names[i], name))
			return true;
	return false;
}

static int put(struct export_ctx *x, char c)
{
	if (x->used >= x->size)
		return -ENOSPC;
	x->buf[x->used++] = c;
	return 0;
}

/* One "name=value" and its separator; text escapes '\n' and '\\' as U-Boot. */
static int export_one(const char *name, const char *value, void *arg)
{
	struct export_ctx *x = arg;
	int ret = 0;

	if (!wanted(x, name))
		return 0;
	for (const char *p = name; *p && !ret; p++)
		ret = put(x, *p);
	if (!ret)
		ret = put(x, '=');
	for (const char *p = value; *p && !ret; p++) {
		if (x->text && (*p == '\n' || *p == '\\'))
			ret = put(x, '\\');
		if (!ret)
			ret = put(x, *p);
	}
	if (!ret)
		ret = put(x, x->text ? '\n' : '\0');
	return ret;
}

long env_list_export(char *buf, size_t size, bool text, const char *const *names, int n)
{
	struct export_ctx x = {buf, size, 0, text, names, n};
	int ret = env_foreach(export_one, &x);

	/* The list's end: an empty entry (binary) or a NUL after the text. */
	if (!ret)
		ret = put(&x, '\0');
	return ret ? ret : (long)x.used;
}

int env_image_export(uint8_t *img, size_t size, bool redund, uint8_t flags,
		     const char *const *names, int n)
{
	size_t hdr = ENV_IMAGE_HDR(redund);
	char *data;
	long len;

	if (size <= hdr)
		return -EINVAL;
	data = calloc(1, size - hdr);
	if (!data)
		return -ENOMEM;
	len = env_list_export(data, size - hdr, false, names, n);
	if (len >= 0) {
		put_le32(img, crc32_le(0, data, size - hdr));
		if (redund)
			img[4] = flags;
		memcpy(img + hdr, data, size - hdr);
	}
	free(data);
	return len < 0 ? (int)len : 0;
}

/* Length of the list at buf (its entries, not the final empty one), or -1 if unterminated. */
static long list_length(const char *buf, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *end = memchr(buf + pos, '\0', len - pos);

		if (!end)
			return -1;
		if (end == buf + pos)
			return (long)pos;
		pos = (size_t)(end - buf) + 1;
	}
	return -1;
}

int env_image_check(const uint8_t *img, size_t size, bool redund)
{
	size_t hdr = ENV_IMAGE_HDR(redund);

	if (size <= hdr)
		return -EINVAL;
	if (crc32_le(0, img + hdr, size - hdr) != get_le32(img) && ENV_CRC_ENFORCED)
		return -EBADMSG;
	if (list_length((const char *)img + hdr, size - hdr) < 0)
		return -EUCLEAN;
	return 0;
}

uint8_t env_image_flags(const uint8_t *img)
{
	return img[4];
}

/* Apply a list already known to be terminated within its len bytes. */
static int apply_list(const char *p, const char *end)
{
	int count = 0, skipped = 0;

	while (p < end && *p) {
		size_t l = strlen(p);
		char *entry = malloc(l + 1);
		char *eq;

		if (!entry)
			return -ENOMEM;
		memcpy(entry, p, l + 1);
		eq = strchr(entry, '=');
		if (eq)
			*eq = '\0';
		if (!env_name_valid(entry)) {
			skipped++;
		} else if (env_set(entry, eq ? eq + 1 : NULL)) {
			pr_warn("env: cannot set '%s' (environment full)\n", entry);
			skipped++;
		} else if (eq && eq[1]) {
			count++;
		}
		free(entry);
		p += l + 1;
	}
	if (skipped)
		pr_warn("env: %d entr%s without a valid name=value skipped\n", skipped,
			skipped == 1 ? "y" : "ies");
	return count;
}

int env_list_import(const char *buf, size_t len, bool replace)
{
	long l = list_length(buf, len);

	/* Without its empty entry the list may still end at len (U-Boot accepts that). */
	if (l < 0 && len && buf[len - 1] == '\0')
		l = (long)len - 1;
	if (l < 0)
		return -EUCLEAN;
	if (replace)
		env_clear();
	return apply_list(buf, buf + l);
}

int env_image_import(const uint8_t *img, size_t size, bool redund)
{
	int ret = env_image_check(img, size, redund);
	size_t hdr = ENV_IMAGE_HDR(redund);

	if (ret)
		return ret;
	env_clear();
	return apply_list((const char *)img + hdr, (const char *)img + size);
}

int env_redund_pick(bool ok0, uint8_t flags0, bool ok1, uint8_t flags1)
{
	if (!ok0 && !ok1)
		return -1;
	if (ok0 != ok1)
		return ok0 ? 0 : 1;
	/* Both valid: the serial decides, 255 -> 0 being one step forward. */
	if (flags0 == 255 && flags1 == 0)
		return 1;
	if (flags1 == 255 && flags0 == 0)
		return 0;
	return flags1 > flags0 ? 1 : 0;
}
