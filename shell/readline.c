// SPDX-License-Identifier: MIT
/*
 * Line editor for the console: insert/delete anywhere in the line, Ctrl-A/E/
 * B/F/D/K/U, arrows (ESC [ A..D, ESC O A..D, Home/End/Delete), history
 * with up/down or Ctrl-P/N (shell/history.c), Tab completes command names,
 * Ctrl-C abandons the line. Output only uses backspace and plain
 * characters, so it works on any terminal, including the `xl console` pty.
 * Bytes come through struct cli_io so that tests can drive it.
 */
#include <errno.h>
#include <string.h>
#include "cli.h"

#define CTL(c) ((c)&0x1f)
#define ESC_MAX 32 /* longest escape sequence we read */

struct editor {
	const struct cli_io *io;
	char *buf;
	size_t size, len, cur;
	int hist; /* -1: the line being typed; else index into history */
};

static void out(struct editor *e, const char *s, size_t len)
{
	if (len)
		e->io->puts(e->io->ctx, s, len);
}

static void out_repeat(struct editor *e, char c, size_t n)
{
	char chunk[32];

	memset(chunk, c, sizeof(chunk));
	while (n) {
		size_t k = MIN(n, sizeof(chunk));

		out(e, chunk, k);
		n -= k;
	}
}

static void move_to(struct editor *e, size_t pos)
{
	if (pos < e->cur)
		out_repeat(e, '\b', e->cur - pos);
	else
		out(e, e->buf + e->cur, pos - e->cur);
	e->cur = pos;
}

/* Redraw from the cursor to the end, blanking `erased` stale characters. */
static void redraw_tail(struct editor *e, size_t erased)
{
	out(e, e->buf + e->cur, e->len - e->cur);
	out_repeat(e, ' ', erased);
	out_repeat(e, '\b', e->len - e->cur + erased);
}

static void insert_char(struct editor *e, char c)
{
	if (e->len + 1 >= e->size)
		return; /* full: ignore, like U-Boot */
	memmove(e->buf + e->cur + 1, e->buf + e->cur, e->len - e->cur);
	e->buf[e->cur] = c;
	e->len++;
	out(e, &c, 1);
	e->cur++;
	redraw_tail(e, 0);
}

static void delete_range(struct editor *e, size_t from, size_t to)
{
	size_t n = to - from;

	if (!n)
		return;
	move_to(e, from);
	memmove(e->buf + from, e->buf + to, e->len - to);
	e->len -= n;
	redraw_tail(e, n);
}

static void replace_line(struct editor *e, const char *s)
{
	size_t old = e->len, n = strnlen(s, e->size - 1);

	move_to(e, 0);
	memcpy(e->buf, s, n);
	e->len = n;
	out(e, e->buf, n);
	e->cur = n;
	if (old > n) {
		out_repeat(e, ' ', old - n);
		out_repeat(e, '\b', old - n);
	}
}

static void history_move(struct editor *e, int dir)
{
	int next = e->hist + dir;
	const char *line = next < 0 ? "" : cli_history_get((unsigned int)next);

	if (next < -1 || !line)
		return;
	e->hist = next;
	replace_line(e, line);
}

/*
 * After ESC: returns the CTL() code the key is equivalent to, -2 for a
 * sequence we ignore, -1 at end of input. A CSI sequence is read up to its
 * final byte (at most ESC_MAX bytes), so unknown keys leave no debris.
 */
static int read_escape(struct editor *e)
{
	int c = e->io->getc(e->io->ctx), num = 0;

	if (c < 0)
		return -1;
	if (c != '[' && c != 'O')
		return -2;
	for (int i = 0; i < ESC_MAX; i++) {
		c = e->io->getc(e->io->ctx);
		if (c < 0)
			return -1;
		if (c >= '0' && c <= '9') {
			if (num < 1000)
				num = num * 10 + c - '0';
			continue;
		}
		if (c < 0x40 || c > 0x7e)
			continue; /* parameters and intermediates */
		switch (c) {
		case 'A':
			return CTL('p');
		case 'B':
			return CTL('n');
		case 'C':
			return CTL('f');
		case 'D':
			return CTL('b');
		case 'H':
			return CTL('a');
		case 'F':
			return CTL('e');
		case '~':
			if (num == 1 || num == 7)
				return CTL('a');
			if (num == 4 || num == 8)
				return CTL('e');
			if (num == 3)
				return CTL('d');
			return -2;
		default:
			return -2;
		}
	}
	return -2;
}

/* Tab in the first word completes a command name, as U-Boot's auto-complete. */
static void complete(struct editor *e, const char *prompt)
{
	char add[64];
	int n;

	if (!e->io->complete || memchr(e->buf, ' ', e->cur))
		return;
	n = e->io->complete(e->io->ctx, e->buf, e->cur, add, sizeof(add), false);
	if (n > 1 && !add[0]) {
		/* Nothing in common to add: show the choices, then the line again. */
		size_t cur = e->cur;

		out(e, "\n", 1);
		e->io->complete(e->io->ctx, e->buf, e->cur, add, sizeof(add), true);
		out(e, prompt, strlen(prompt));
		out(e, e->buf, e->len);
		e->cur = e->len;
		move_to(e, cur);
		return;
	}
	for (const char *p = add; n > 0 && *p; p++)
		insert_char(e, *p);
}

int cli_readline(const struct cli_io *io, const char *prompt, char *buf, size_t size)
{
	struct editor e = {.io = io, .buf = buf, .size = size, .hist = -1};
	static bool last_was_cr;

	if (size < 2)
		return -EINVAL;
	out(&e, prompt, strlen(prompt));
	for (;;) {
		int c = io->getc(io->ctx);

		if (c < 0)
			break; /* end of input */
		if (c == 0x1b) {
			c = read_escape(&e);
			if (c == -1)
				break;
			if (c == -2)
				continue;
		}
		if (c == '\n' && last_was_cr) {
			last_was_cr = false; /* the LF of a CR LF pair */
			continue;
		}
		last_was_cr = c == '\r';
		switch (c) {
		case '\r':
		case '\n':
			out(&e, "\n", 1);
			buf[e.len] = '\0';
			return (int)e.len;
		case CTL('c'):
			buf[0] = '\0';
			return -EINTR;
		case 0x08:
		case 0x7f:
			if (e.cur)
				delete_range(&e, e.cur - 1, e.cur);
			break;
		case CTL('d'):
			if (e.cur < e.len)
				delete_range(&e, e.cur, e.cur + 1);
			break;
		case CTL('u'):
			delete_range(&e, 0, e.cur);
			break;
		case CTL('k'):
			delete_range(&e, e.cur, e.len);
			break;
		case CTL('a'):
			move_to(&e, 0);
			break;
		case CTL('e'):
			move_to(&e, e.len);
			break;
		case CTL('b'):
			if (e.cur)
				move_to(&e, e.cur - 1);
			break;
		case CTL('f'):
			if (e.cur < e.len)
				move_to(&e, e.cur + 1);
			break;
		case CTL('p'):
			history_move(&e, 1);
			break;
		case CTL('n'):
			history_move(&e, -1);
			break;
		case '\t':
			complete(&e, prompt);
			break;
		default:
			if (c >= 0x20 && c < 0x7f)
				insert_char(&e, (char)c);
			break;
		}
	}
	buf[e.len] = '\0';
	return -EIO;
}
