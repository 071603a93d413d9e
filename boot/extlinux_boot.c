// SPDX-License-Identifier: MIT
/* Boot a label of an extlinux.conf: load kernel, initrds and DT, then booti. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/booti.h>
#include <pvboot/bootflow.h>
#include <pvboot/console.h>
#include <pvboot/env.h>
#include <pvboot/extlinux.h>
#include <pvboot/timer.h>

#define FULL_PATH_MAX (2 * EXTLINUX_PATH_MAX)

/* syslinux resolves relative names against the directory holding extlinux/. */
static int resolve(const char *prefix, const char *name, char *out)
{
	int n = snprintf(out, FULL_PATH_MAX, "%s%s", name[0] == '/' ? "" : prefix, name);

	return n < FULL_PATH_MAX ? 0 : -ENAMETOOLONG;
}

static int load_initrds(const struct boot_source *src, const char *prefix,
			const struct extlinux_label *l, struct booti_args *a)
{
	uintptr_t at = env_get_hex("ramdisk_addr_r", 0);
	char path[FULL_PATH_MAX];

	if (!l->n_initrd)
		return 0;
	if (!at) {
		printf("ramdisk_addr_r is not set\n");
		return -EINVAL;
	}
	a->has_initrd = true;
	a->initrd = at;
	/* Several initrds are concatenated, as the kernel accepts. */
	for (unsigned int i = 0; i < l->n_initrd; i++) {
		uint64_t len;
		int err = resolve(prefix, l->initrd[i], path);

		if (!err)
			err = bootsrc_load(src, path, at, &len);
		if (err)
			return err;
		at += len;
	}
	a->initrd_len = at - a->initrd;
	return 0;
}

static int boot_label(const struct boot_source *src, const char *prefix,
		      const struct extlinux_label *l)
{
	struct booti_args a = {0};
	char path[FULL_PATH_MAX];
	int err;

	printf("%s:\t%s\n", l->name, l->menu[0] ? l->menu : l->name);
	if (!l->kernel[0]) {
		printf("label %s has no kernel\n", l->name);
		return -EINVAL;
	}
	a.kernel = env_get_hex("kernel_addr_r", 0);
	err = resolve(prefix, l->kernel, path);
	if (!err)
		err = bootsrc_load(src, path, a.kernel, &a.kernel_len);
	if (!err)
		err = load_initrds(src, prefix, l, &a);
	if (err)
		return err;
	if (l->fdt[0]) {
		uint64_t len;

		a.has_fdt = true;
		a.fdt = env_get_hex("fdt_addr_r", 0);
		err = resolve(prefix, l->fdt, path);
		if (!err)
			err = bootsrc_load(src, path, a.fdt, &len);
		if (err)
			return err;
	} else if (l->fdtdir[0]) {
		/* A Xen guest's hardware is what Xen describes: its DT is the right one. */
		printf("FDTDIR %s: using the device tree Xen provided\n", l->fdtdir);
	}
	if (l->has_append) {
		env_set("bootargs", l->append);
		a.bootargs = l->append;
	}
	return booti_boot(&a);
}

/* Menu: wait up to timeout for a number; Enter or timeout picks the default. */
static unsigned int choose(const struct extlinux_conf *c, unsigned int def)
{
	unsigned long ms = c->timeout ? c->timeout * 100UL : (c->prompt ? 10000UL : 0);
	uint64_t deadline = deadline_ms(ms);
	unsigned int choice = 0;
	bool typed = false;

	printf("%s\n", c->title[0] ? c->title : "pvboot extlinux menu");
	for (unsigned int i = 0; i < c->n_labels; i++)
		printf("%u:\t%s%s\n", i + 1,
		       c->labels[i].menu[0] ? c->labels[i].menu : c->labels[i].name,
		       i == def ? " (default)" : "");
	if (!ms)
		return def;
	printf("Enter choice: ");
	while (!deadline_passed(deadline)) {
		int ch;

		if (!console_tstc()) {
			arch_cpu_relax();
			continue;
		}
		ch = console_getc();
		if (ch == '\r' || ch == '\n')
			break;
		if (ch >= '0' && ch <= '9' && choice < 100) {
			printf("%c", ch);
			choice = choice * 10 + (ch - '0');
			if (!typed)
				deadline =
				    deadline_ms(30000); /* someone is there: wait for Enter */
			typed = true;
		}
	}
	printf("\n");
	if (typed && choice >= 1 && choice <= c->n_labels)
		return choice - 1;
	if (typed)
		printf("No such entry %u, booting the default\n", choice);
	return def;
}

int extlinux_boot_conf(const struct boot_source *src, const char *prefix,
		       const struct extlinux_conf *c)
{
	unsigned int first = extlinux_default(c);
	int err;

	if (c->n_labels > 1)
		first = choose(c, first);
	err = boot_label(src, prefix, &c->labels[first]);
	for (unsigned int i = 0; i < c->n_labels; i++) {
		if (i == first)
			continue;
		printf("Trying next label\n");
		err = boot_label(src, prefix, &c->labels[i]);
	}
	return err ? err : -ENOENT;
}

int extlinux_boot(const struct boot_source *src, const char *path)
{
	struct extlinux_conf *c = malloc(sizeof(*c));
	uintptr_t addr = env_get_hex("pxefile_addr_r", 0);
	char prefix[FULL_PATH_MAX];
	const char *ext;
	uint64_t len;
	int err;

	if (!c)
		return -ENOMEM;
	err = bootsrc_load(src, path, addr, &len);
	if (!err)
		err = extlinux_parse(phys_to_virt(addr), len, c);
	if (err)
		goto out;
	ext = strstr(path, "extlinux/");
	snprintf(prefix, sizeof(prefix), "%.*s", ext ? (int)(ext - path) : 0, path);
	err = extlinux_boot_conf(src, prefix, c);
	printf("extlinux: no label of %s %s could be booted\n", src->desc, path);
out:
	free(c);
	return err ? err : -ENOENT;
}
