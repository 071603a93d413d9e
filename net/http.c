// SPDX-License-Identifier: MIT
/*
 * HTTP/1.1 GET (RFC 9112) over net/tcp.c: one request, "Connection: close",
 * the body written to the destination as it arrives. The response header
 * is parsed from a bounded private buffer; only Content-Length framing or
 * the end of the connection delimit the body (no chunked encoding).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "net_priv.h"
#include "tcp.h"

#define HTTP_HDR_MAX 4096
#define HTTP_CONNECT_MS 10000
#define HTTP_IDLE_MS 15000
#define HTTP_MAX_LENGTH (1ULL << 48)

struct http_ctx {
	struct net_dest *dest;
	char hdr[HTTP_HDR_MAX];
	size_t hlen;
	bool in_body, progress;
	struct http_resp r;
	uint64_t body;
	int err;
};

/* Length of the line at p (without its end), and where the next one starts. */
static size_t line_len(const char *p, size_t len, size_t *next)
{
	const char *nl = memchr(p, '\n', len);
	size_t n;

	if (!nl) {
		*next = len;
		return len;
	}
	n = (size_t)(nl - p);
	*next = n + 1;
	return n && p[n - 1] == '\r' ? n - 1 : n;
}

static bool header_is(const char *line, size_t n, const char *name, const char **value,
		      size_t *vlen)
{
	size_t k = strlen(name);

	if (n <= k || strncasecmp(line, name, k) || line[k] != ':')
		return false;
	line += k + 1;
	n -= k + 1;
	while (n && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	*value = line;
	*vlen = n;
	return true;
}

int http_parse_header(const char *p, size_t len, struct http_resp *r)
{
	size_t next, n = line_len(p, len, &next), i;
	const char *v;
	size_t vl;

	memset(r, 0, sizeof(*r));
	r->content_length = UINT64_MAX;
	/* "HTTP/1.x NNN reason", the reason may be empty */
	if (n < 12 || memcmp(p, "HTTP/1.", 7) || p[8] != ' ' || (n > 12 && p[12] != ' '))
		return -EPROTO;
	for (i = 9; i < 12; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -EPROTO;
		r->status = r->status * 10 + (unsigned int)(p[i] - '0');
	}
	if (n > 13)
		snprintf(r->reason, sizeof(r->reason), "%.*s", (int)MIN(n - 13, 39), p + 13);
	for (i = 0; r->reason[i]; i++)
		if (r->reason[i] < ' ' || r->reason[i] > '~')
			r->reason[i] = '?';
	while (next < len) {
		p += next;
		len -= next;
		n = line_len(p, len, &next);
		if (!n)
			return 0; /* the empty line: end of the header */
		if (header_is(p, n, "Content-Length", &v, &vl)) {
			uint64_t cl = 0;

			if (!vl)
				return -EPROTO;
			for (i = 0; i < vl; i++) {
				if (v[i] < '0' || v[i] > '9' || cl > HTTP_MAX_LENGTH)
					return -EPROTO;
				cl = cl * 10 + (uint64_t)(v[i] - '0');
			}
			/* Two different lengths: the framing cannot be trusted (RFC 9112 6.3). */
			if (r->content_length != UINT64_MAX && r->content_length != cl)
				return -EPROTO;
			r->content_length = cl;
		} else if (header_is(p, n, "Transfer-Encoding", &v, &vl)) {
			r->chunked = true; /* any coding but identity: we cannot frame the body */
		}
	}
	return -EPROTO; /* no empty line */
}

/* Where the header ends in buf (offset of the body), or 0 while it has not. */
static size_t header_end(const char *buf, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static int http_body(struct http_ctx *c, const uint8_t *d, size_t n)
{
	int err;

	if (c->r.content_length != UINT64_MAX)
		n = (size_t)MIN((uint64_t)n, c->r.content_length - c->body);
	if (!n)
		return 0;
	err = net_dest_write(c->dest, c->body, d, n);
	if (err)
		return err;
	c->body += n;
	if (c->progress)
		net_progress(c->body, false);
	return 0;
}

static int http_rx(void *arg, const uint8_t *d, size_t n)
{
	struct http_ctx *c = arg;
	size_t room, end, take;

	if (c->in_body)
		return c->err = http_body(c, d, n);
	room = sizeof(c->hdr) - c->hlen;
	take = MIN(n, room);
	memcpy(c->hdr + c->hlen, d, take);
	/* Search from a little before the new bytes: the end may straddle segments. */
	end = header_end(c->hdr, c->hlen + take);
	if (!end) {
		c->hlen += take;
		if (c->hlen == sizeof(c->hdr)) {
			printf("HTTP: response header larger than %d bytes\n", HTTP_HDR_MAX);
			return c->err = -EPROTO;
		}
		return 0;
	}
	if (http_parse_header(c->hdr, end, &c->r)) {
		printf("HTTP: malformed response header\n");
		return c->err = -EPROTO;
	}
	c->in_body = true;
	if (c->r.status != 200) {
		printf("HTTP: server answered %u %s\n", c->r.status, c->r.reason);
		return c->err = c->r.status == 404 ? -ENOENT : -EIO;
	}
	if (c->r.chunked) {
		printf("HTTP: chunked transfer encoding is not supported\n");
		return c->err = -EPROTONOSUPPORT;
	}
	if (c->r.content_length != UINT64_MAX && c->dest->gate) {
		int err = c->r.content_length > c->dest->max
			      ? -EFBIG
			      : c->dest->gate(c->dest->addr, c->r.content_length);

		if (err)
			return c->err = err;
		c->dest->checked = MAX(c->dest->checked, c->r.content_length);
	}
	/* end is within what was copied: the body starts in this segment. */
	return c->err = http_body(c, d + (end - c->hlen), n - (end - c->hlen));
}

static bool http_done(void *arg)
{
	struct http_ctx *c = arg;

	return c->err ||
	       (c->in_body && c->r.content_length != UINT64_MAX && c->body >= c->r.content_length);
}

int net_http_get(uint32_t server, uint16_t port, const char *host, const char *path, bool progress,
		 struct net_dest *dest)
{
	static struct http_ctx c;
	char req[TCP_TX_MAX_REQ];
	int n, err;

	memset(&c, 0, sizeof(c));
	c.dest = dest;
	c.progress = progress;
	dest->len = 0;
	n = snprintf(req, sizeof(req),
		     "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: pvboot\r\nAccept: */*\r\n"
		     "Connection: close\r\n\r\n",
		     path, host);
	if (n < 0 || n >= (int)sizeof(req))
		return -ENAMETOOLONG;
	for (int i = 0; path[i]; i++)
		if (path[i] <= ' ' || path[i] > '~')
			return -EINVAL; /* would break the request line */
	if (progress)
		net_progress(0, false);
	err = tcp_connect(server, port, http_rx, &c, HTTP_CONNECT_MS);
	if (err) {
		printf("HTTP: cannot connect to port %u: %s\n", port,
		       err == -ECONNRESET ? "refused" : "no answer");
		return err;
	}
	err = tcp_send(req, (size_t)n);
	if (!err)
		err = tcp_run(http_done, &c, HTTP_IDLE_MS);
	if (!err)
		err = c.err;
	if (!err && !c.in_body) {
		printf("HTTP: connection closed before a complete response header\n");
		err = -EPROTO;
	}
	if (!err && c.r.content_length != UINT64_MAX && c.body < c.r.content_length) {
		printf("\nHTTP: connection closed after %llu of %llu bytes\n",
		       (unsigned long long)c.body, (unsigned long long)c.r.content_length);
		err = -EIO;
	}
	tcp_close(err != 0);
	if (progress)
		net_progress(c.body, true);
	if (err == -ETIMEDOUT)
		printf("HTTP: no data from the server for %d s\n", HTTP_IDLE_MS / 1000);
	dest->len = c.body;
	return err;
}
