/* SPDX-License-Identifier: MIT */
/* extlinux.conf (syslinux format, as distributions and U-Boot's sysboot use it). */
#ifndef PVBOOT_EXTLINUX_H
#define PVBOOT_EXTLINUX_H

#include <pvboot/compiler.h>

#define EXTLINUX_MAX_LABELS 16
#define EXTLINUX_MAX_INITRDS 4
#define EXTLINUX_PATH_MAX 256

struct extlinux_label {
	char name[64];
	char menu[128];
	char kernel[EXTLINUX_PATH_MAX];
	char initrd[EXTLINUX_MAX_INITRDS][EXTLINUX_PATH_MAX];
	unsigned int n_initrd;
	char fdt[EXTLINUX_PATH_MAX];
	char fdtdir[EXTLINUX_PATH_MAX];
	char append[2048];
	bool has_append;
};

struct extlinux_conf {
	char title[128];
	char default_label[64];
	int timeout; /* tenths of a second; 0 = none */
	bool prompt;
	unsigned int n_labels;
	struct extlinux_label labels[EXTLINUX_MAX_LABELS];
	unsigned int warnings; /* lines skipped: unknown, too long, too many */
};

/*
 * Parse len bytes of text (no NUL needed). Problems are reported per line and
 * the line skipped; never truncates silently. 0, or -EINVAL if there is no
 * label with a kernel.
 */
int extlinux_parse(const char *text, size_t len, struct extlinux_conf *conf);
/* Index of the default label (DEFAULT, MENU DEFAULT, else the first). */
unsigned int extlinux_default(const struct extlinux_conf *conf);

#endif
