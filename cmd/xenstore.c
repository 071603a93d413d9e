// SPDX-License-Identifier: MIT
/* xenstore ls/read/write/rm/watch: look at the guest's XenStore tree. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/errstr.h>
#include <pvboot/timer.h>
#include <pvboot/xen/stats.h>
#include <pvboot/xen/xenstore.h>

#define LS_MAX_DEPTH 32
#define WATCH_TOKEN "cmd-xenstore"

static int fail(const char *what, const char *path, int rc)
{
	printf("xenstore: %s %s: %s\n", what, path, xenstore_strerror(rc));
	return CMD_RET_FAILURE;
}

/* Print a value in double quotes, escaping what would confuse a reader. */
static void print_quoted(const char *v)
{
	char buf[128];
	size_t n = 0;

	buf[n++] = '"';
	for (; *v; v++) {
		unsigned char c = *v;

		if (n + 5 > sizeof(buf)) { /* room for the longest escape + NUL */
			printf("%.*s", (int)n, buf);
			n = 0;
		}
		if (c == '"' || c == '\\')
			n += snprintf(buf + n, sizeof(buf) - n, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			n += snprintf(buf + n, sizeof(buf) - n, "\\x%02x", c);
		else
			buf[n++] = c;
	}
	printf("%.*s\"", (int)n, buf);
}

struct ls_ctx {
	char path[XENSTORE_ABS_PATH_MAX + 1];
	int err; /* first error other than EACCES */
};

/* Children of ctx->path, indented one space per level (as xenstore-ls). */
static void ls_tree(struct ls_ctx *ctx, unsigned int depth)
{
	size_t base = strlen(ctx->path);
	char **names;
	unsigned int count;
	int rc;

	if (depth > LS_MAX_DEPTH)
		return;
	rc = xenstore_directory(XBT_NIL, ctx->path, &names, &count);
	if (rc < 0) {
		/* A subtree we may not see is shown as such; anything else stops the listing. */
		if (!ctx->err && (rc != -EACCES || depth == 0))
			ctx->err = rc;
		if (depth == 0)
			printf("xenstore: ls %s: %s\n", ctx->path, xenstore_strerror(rc));
		else
			printf("%*s(%s: %s)\n", (int)depth, "", ctx->path, xenstore_strerror(rc));
		return;
	}
	for (unsigned int i = 0; i < count && !ctx->err; i++) {
		char *value;

		if (ctrlc()) {
			ctx->err = -EINTR;
			break;
		}
		if (base + 1 + strlen(names[i]) > XENSTORE_ABS_PATH_MAX)
			continue;
		snprintf(ctx->path + base, sizeof(ctx->path) - base, "%s%s",
			 ctx->path[base - 1] == '/' ? "" : "/", names[i]);
		printf("%*s%s = ", (int)depth, "", names[i]);
		rc = xenstore_read(XBT_NIL, ctx->path, &value);
		if (rc == 0) {
			print_quoted(value);
			free(value);
			printf("\n");
			ls_tree(ctx, depth + 1);
		} else {
			printf("(%s)\n", xenstore_strerror(rc));
			if (rc != -EACCES && !ctx->err)
				ctx->err = rc;
		}
		ctx->path[base] = '\0';
	}
	xenstore_free_list(names, count);
}

/* Where `xenstore ls` starts without an argument: our home, as xenstore-ls does. */
static int home_path(char *buf, size_t len)
{
	uint64_t domid;
	int rc = xenstore_read_u64(XBT_NIL, "domid", &domid);

	if (rc < 0)
		return rc;
	snprintf(buf, len, "/local/domain/%llu", (unsigned long long)domid);
	return 0;
}

static int do_ls(const char *arg)
{
	struct ls_ctx *ctx = calloc(1, sizeof(*ctx));
	int rc;

	if (!ctx)
		return fail("ls", arg ? arg : "", -ENOMEM);
	if (arg && *arg) {
		if (strlen(arg) > XENSTORE_ABS_PATH_MAX) {
			free(ctx);
			return fail("ls", arg, -ENAMETOOLONG);
		}
		strcpy(ctx->path, arg);
	} else {
		rc = home_path(ctx->path, sizeof(ctx->path));
		if (rc < 0) {
			free(ctx);
			return fail("ls", "(home: domid)", rc);
		}
	}
	ls_tree(ctx, 0);
	rc = ctx->err;
	free(ctx);
	if (rc == -EINTR)
		printf("<INTERRUPT>\n");
	return rc ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

static int do_watch(const char *path, const char *secs)
{
	unsigned long timeout_s = secs ? strtoul(secs, NULL, 10) : 10;
	int rc = xenstore_watch(path, WATCH_TOKEN);
	uint64_t end;
	char *fired;

	if (rc < 0)
		return fail("watch", path, rc);
	printf("watching %s for %lu s (Ctrl-C stops)\n", path, timeout_s);
	/* One deadline for the whole watch: a stream of events must not extend it. */
	end = timer_us() + (uint64_t)timeout_s * 1000000;
	for (;;) {
		uint64_t now = timer_us();

		rc = now < end ? xenstore_wait_watch(WATCH_TOKEN, &fired, (end - now + 999) / 1000)
			       : -ETIMEDOUT;
		if (rc < 0)
			break;
		printf("%s\n", fired);
		free(fired);
	}
	xenstore_unwatch(path, WATCH_TOKEN);
	if (rc == -ETIMEDOUT || rc == -EINTR)
		return CMD_RET_SUCCESS;
	return fail("watch", path, rc);
}

/* A dom0less domain's XenStore comes up late: wait for it (again). */
static int do_wait(const char *secs)
{
	unsigned long s = CONFIG_XEN_STORE_WAIT_SECS;
	char *end;
	int rc;

	if (secs) {
		s = strtoul(secs, &end, 10);
		if (!*secs || *end || s > 24 * 3600)
			return CMD_RET_USAGE;
	}
	rc = xenstore_connect(s * 1000);
	if (rc == 0)
		printf("XenStore: up\n");
	return rc ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

static int do_xenstore(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	const char *op = argc > 1 ? argv[1] : "";
	char *value;
	int rc;

	if (!strcmp(op, "ls") && argc <= 3)
		return do_ls(argc == 3 ? argv[2] : NULL);
	if (!strcmp(op, "read") && argc == 3) {
		rc = xenstore_read(XBT_NIL, argv[2], &value);
		if (rc < 0)
			return fail("read", argv[2], rc);
		printf("%s\n", value);
		free(value);
		return CMD_RET_SUCCESS;
	}
	if (!strcmp(op, "write") && argc == 4) {
		rc = xenstore_write(XBT_NIL, argv[2], argv[3]);
		return rc < 0 ? fail("write", argv[2], rc) : CMD_RET_SUCCESS;
	}
	if (!strcmp(op, "rm") && argc == 3) {
		rc = xenstore_rm(XBT_NIL, argv[2]);
		return rc < 0 ? fail("rm", argv[2], rc) : CMD_RET_SUCCESS;
	}
	if (!strcmp(op, "watch") && (argc == 3 || argc == 4))
		return do_watch(argv[2], argc == 4 ? argv[3] : NULL);
	if (!strcmp(op, "wait") && argc <= 3)
		return do_wait(argc == 3 ? argv[2] : NULL);
	return CMD_RET_USAGE;
}

PVBOOT_CMD(xenstore, 4, do_xenstore, "read and change the XenStore tree",
	   "ls [path]          - list path (default: this domain's home) recursively\n"
	   "xenstore read path         - print the value of path\n"
	   "xenstore write path value  - set path to value\n"
	   "xenstore rm path           - remove path and everything below it\n"
	   "xenstore watch path [secs] - print changes below path (default 10 s)\n"
	   "xenstore wait [secs]       - wait for a XenStore that is not up yet (dom0less)\n"
	   "Relative paths are relative to /local/domain/<domid>.");
