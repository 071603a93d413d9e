// SPDX-License-Identifier: MIT
/*
 * extlinux.conf parser: keywords are case-insensitive, one per line. Pure
 * function of its input (no I/O) so that it can be unit-tested and fuzzed.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <pvboot/extlinux.h>

#define LINE_MAX 2304

struct parser {
	struct extlinux_conf *conf;
	struct extlinux_label *cur;
	unsigned int lineno;
	int menu_default; /* label marked MENU DEFAULT, -1 if none */
};

static void warn(struct parser *p, const char *what, const char *arg)
{
	printf("extlinux.conf:%u: %s%s%s\n", p->lineno, what, arg ? ": " : "", arg ? arg : "");
	p->conf->warnings++;
}

/* Copy value into a fixed field; refuse (never truncate) what does not fit. */
static bool set_field(struct parser *p, char *dst, size_t size, const char *val)
{
	if (strlen(val) >= size) {
		warn(p, "value too long, line ignored", NULL);
		return false;
	}
	strcpy(dst, val);
	return true;
}

static char *next_word(char **s)
{
	char *w = *s;

	while (isspace((unsigned char)*w))
		w++;
	if (!*w)
		return NULL;
	*s = w;
	while (**s && !isspace((unsigned char)**s))
		(*s)++;
	if (**s)
		*(*s)++ = '\0';
	while (isspace((unsigned char)**s))
		(*s)++;
	return w;
}

static struct extlinux_label *need_label(struct parser *p, const char *kw)
{
	if (!p->cur)
		warn(p, "outside a LABEL, ignored", kw);
	return p->cur;
}

static void add_initrds(struct parser *p, struct extlinux_label *l, char *list)
{
	char *save = NULL;

	for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (l->n_initrd == EXTLINUX_MAX_INITRDS) {
			warn(p, "too many initrds, the rest ignored", tok);
			return;
		}
		if (!set_field(p, l->initrd[l->n_initrd], EXTLINUX_PATH_MAX, tok))
			return;
		l->n_initrd++;
	}
}

static void menu_line(struct parser *p, char *rest)
{
	char *sub = next_word(&rest);

	if (!sub)
		return;
	if (!strcasecmp(sub, "title"))
		set_field(p, p->conf->title, sizeof(p->conf->title), rest);
	else if (!strcasecmp(sub, "label") && need_label(p, "MENU LABEL"))
		set_field(p, p->cur->menu, sizeof(p->cur->menu), rest);
	else if (!strcasecmp(sub, "default") && need_label(p, "MENU DEFAULT"))
		p->menu_default = p->cur - p->conf->labels;
	/* Other MENU keywords are cosmetic (colours, hidden...): ignored on purpose. */
}

static void label_line(struct parser *p, char *rest)
{
	struct extlinux_conf *c = p->conf;
	char *name = next_word(&rest);

	p->cur = NULL;
	if (!name) {
		warn(p, "LABEL without a name", NULL);
		return;
	}
	if (c->n_labels == EXTLINUX_MAX_LABELS) {
		warn(p, "too many labels, ignored", name);
		return;
	}
	p->cur = &c->labels[c->n_labels];
	memset(p->cur, 0, sizeof(*p->cur));
	if (!set_field(p, p->cur->name, sizeof(p->cur->name), name)) {
		p->cur = NULL;
		return;
	}
	c->n_labels++;
}

static void parse_line(struct parser *p, char *line)
{
	char *kw = next_word(&line);
	struct extlinux_label *l;

	if (!kw || kw[0] == '#')
		return;
	if (!strcasecmp(kw, "label")) {
		label_line(p, line);
	} else if (!strcasecmp(kw, "default")) {
		set_field(p, p->conf->default_label, sizeof(p->conf->default_label), line);
	} else if (!strcasecmp(kw, "timeout")) {
		p->conf->timeout = (int)strtol(line, NULL, 10);
		if (p->conf->timeout < 0 || p->conf->timeout > 36000)
			p->conf->timeout = 0;
	} else if (!strcasecmp(kw, "prompt")) {
		p->conf->prompt = strtol(line, NULL, 10) != 0;
	} else if (!strcasecmp(kw, "menu")) {
		menu_line(p, line);
	} else if (!strcasecmp(kw, "kernel") || !strcasecmp(kw, "linux")) {
		if ((l = need_label(p, kw)))
			set_field(p, l->kernel, sizeof(l->kernel), line);
	} else if (!strcasecmp(kw, "initrd")) {
		if ((l = need_label(p, kw)))
			add_initrds(p, l, line);
	} else if (!strcasecmp(kw, "fdt") || !strcasecmp(kw, "devicetree")) {
		if ((l = need_label(p, kw)))
			set_field(p, l->fdt, sizeof(l->fdt), line);
	} else if (!strcasecmp(kw, "fdtdir") || !strcasecmp(kw, "devicetreedir")) {
		if ((l = need_label(p, kw)))
			set_field(p, l->fdtdir, sizeof(l->fdtdir), line);
	} else if (!strcasecmp(kw, "append")) {
		if ((l = need_label(p, kw)))
			l->has_append = set_field(p, l->append, sizeof(l->append), line);
	} else if (!strcasecmp(kw, "ontimeout") || !strcasecmp(kw, "include") ||
		   !strcasecmp(kw, "say") || !strcasecmp(kw, "localboot")) {
		warn(p, "keyword not supported, ignored", kw);
	} else {
		warn(p, "unknown keyword, ignored", kw);
	}
}

static void trim_end(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

int extlinux_parse(const char *text, size_t len, struct extlinux_conf *conf)
{
	struct parser p = {.conf = conf, .menu_default = -1};
	char line[LINE_MAX] = "";
	size_t pos = 0;

	memset(conf, 0, sizeof(*conf));
	while (pos < len) {
		size_t n = 0;
		bool too_long = false;

		p.lineno++;
		while (pos < len && text[pos] != '\n') {
			char c = text[pos++];

			if (n + 1 < sizeof(line))
				line[n++] = c ? c : ' ';
			else
				too_long = true;
		}
		pos++; /* the newline */
		line[n] = '\0';
		if (too_long) {
			warn(&p, "line too long, ignored", NULL);
			continue;
		}
		trim_end(line);
		parse_line(&p, line);
	}
	if (p.menu_default >= 0 && !conf->default_label[0])
		strcpy(conf->default_label, conf->labels[p.menu_default].name);
	for (unsigned int i = 0; i < conf->n_labels; i++)
		if (conf->labels[i].kernel[0])
			return 0;
	printf("extlinux.conf: no LABEL with a KERNEL/LINUX line\n");
	return -EINVAL;
}

unsigned int extlinux_default(const struct extlinux_conf *conf)
{
	for (unsigned int i = 0; i < conf->n_labels; i++)
		if (!strcmp(conf->labels[i].name, conf->default_label))
			return i;
	return 0;
}
