// SPDX-License-Identifier: MIT
/*
 * Loading and saving the environment in U-Boot's stored format. With the
 * redundant layout each save goes to the copy that is not in use, with a
 * serial one higher; the copy in use is never written, so a save cut short
 * (or a copy damaged later) leaves the previous environment to load. The
 * location (env_fat.c) replaces a copy as a whole: the old or the new bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/env.h>
#include <pvboot/env_image.h>
#include <pvboot/env_internal.h>
#include <pvboot/env_store.h>
#include <pvboot/errstr.h>

/* Nowhere until env_store_setup() (env_location.c) or a test configures it. */
static struct env_store_cfg cfg;

static int current = -1; /* the copy the environment came from or was last saved to */
static uint8_t serial;	 /* its flag byte (redundant layout) */
static bool from_storage;

void env_store_configure(const struct env_store_cfg *c)
{
	cfg = *c;
	current = -1;
	serial = 0;
	from_storage = false;
}

bool env_store_available(void)
{
	return cfg.loc && cfg.size;
}

size_t env_store_size(void)
{
	return env_store_available() ? cfg.size : 0;
}

bool env_store_redundant(void)
{
	return env_store_available() && cfg.redundant;
}

static const char *where(int copy)
{
	static char buf[128];

	cfg.loc->describe(copy, buf, sizeof(buf));
	return buf;
}

/* Read and check one copy: 0 if valid, else why not. */
static int read_copy(int copy, uint8_t *buf)
{
	int ret = cfg.loc->read(copy, buf, cfg.size);

	return ret ? ret : env_image_check(buf, cfg.size, cfg.redundant);
}

static const char *why(int err)
{
	switch (err) {
	case -EBADMSG:
		return "bad CRC";
	case -EUCLEAN:
		return "no end of the variable list";
	case -ENOENT:
		return "not found";
	case -ENODEV:
		return "no such disk, or no FAT partition on it";
	case -EMEDIUMTYPE:
		return "not a FAT filesystem";
	default:
		return errno_str(err);
	}
}

int env_load(void)
{
	const bool redund = cfg.redundant;
	const int copies = redund ? 2 : 1;
	int pick, ret = 0, err[2] = {-ENOENT, -ENOENT};
	uint8_t *buf[2] = {NULL, NULL};

	if (!env_store_available())
		return -ENODEV;
	printf("Loading Environment from %s... ", cfg.loc->name);
	for (int i = 0; i < copies && !ret; i++) {
		/* Zeroed: a copy that could not be read has a defined (unused) flag byte. */
		buf[i] = calloc(1, cfg.size);
		if (!buf[i])
			ret = -ENOMEM;
		else
			err[i] = read_copy(i, buf[i]);
	}
	if (ret) {
		pick = -1;
		err[0] = ret;
	} else if (redund && buf[0] && buf[1]) {
		pick = env_redund_pick(!err[0], buf[0][4], !err[1], buf[1][4]);
	} else {
		pick = err[0] ? -1 : 0;
	}
	if (pick < 0) {
		/* The more telling reason: a damaged copy rather than a missing one. */
		int e = err[0] == -ENOENT && copies > 1 ? err[1] : err[0];

		printf("*** Warning - %s: %s, using default environment\n\n", where(0), why(e));
		ret = e;
		goto out;
	}
	ret = env_image_import(buf[pick], cfg.size, redund);
	if (ret < 0) {
		env_set_default();
		printf("*** Warning - %s: %s, using default environment\n\n", where(pick),
		       why(ret));
		goto out;
	}
	/* Facts of this boot (the DT Xen gave, pvboot's version) are not stored ones. */
	env_defaults_runtime();
	current = pick;
	serial = redund ? buf[pick][4] : 0;
	from_storage = true;
	printf("OK (%s)\n", where(pick));
	if (redund && err[!pick]) {
		/* where() has one buffer: one call per printf. */
		printf("*** Warning - %s: %s; ", where(!pick), why(err[!pick]));
		printf("using %s\n", where(pick));
	}
	ret = 0;
out:
	free(buf[0]);
	free(buf[1]);
	return ret;
}

int env_save(void)
{
	int target = cfg.redundant && current == 0 ? 1 : 0;
	uint8_t flags = (uint8_t)(serial + 1);
	uint8_t *img;
	int ret;

	if (!env_store_available()) {
		printf("## Error: no place to save the environment is configured\n");
		return -ENODEV;
	}
	img = malloc(cfg.size);
	if (!img)
		return -ENOMEM;
	ret = env_image_export(img, cfg.size, cfg.redundant, flags, NULL, 0);
	if (ret == -ENOSPC) {
		printf("## Error: the environment (%zu bytes) does not fit in %zu bytes\n",
		       env_size_used() + 1, cfg.size - ENV_IMAGE_HDR(cfg.redundant));
		goto out;
	}
	if (ret)
		goto out;
	printf("Saving Environment to %s... ", cfg.loc->name);
	ret = cfg.loc->write(target, img, cfg.size);
	if (ret) {
		printf("Failed (%s)\n", errno_str(ret));
		goto out;
	}
	printf("OK (%s)\n", where(target));
	current = target;
	serial = flags;
out:
	free(img);
	return ret;
}

void env_store_info(void)
{
	if (!env_store_available()) {
		printf("env_location = RAM only (nothing is saved)\n");
		return;
	}
	printf("env_location = %s, %s\n", cfg.loc->name, where(0));
	if (cfg.redundant)
		printf("env_location_redund = %s\n", where(1));
	printf("env_size = 0x%zx\n", cfg.size);
	if (current < 0)
		printf("env_valid = invalid (%s)\n", from_storage ? "?" : "default environment");
	else
		printf("env_valid = %s\n", current ? "redundant" : "valid");
	if (cfg.redundant && current >= 0)
		printf("env_flags = %u\n", serial);
}
