/* SPDX-License-Identifier: MIT */
/* The minimal TCP client of net/tcp.c, for HTTP: one connection at a time. */
#ifndef PVBOOT_NET_TCP_H
#define PVBOOT_NET_TCP_H

#include "net_priv.h"

#define TCP_TX_MAX_REQ 1024 /* our data: one request */

/* In-order received bytes; non-zero return aborts the connection. */
typedef int (*tcp_rx_fn)(void *ctx, const uint8_t *data, size_t len);

int tcp_connect(uint32_t ip, uint16_t port, tcp_rx_fn rx, void *ctx, unsigned long timeout_ms);
int tcp_send(const void *data, size_t len); /* one small buffer: retransmitted until acked */
int tcp_poll(void);
/* Until done(ctx), the peer's FIN, an error, or idle_ms without data. 0 or -errno. */
int tcp_run(bool (*done)(void *ctx), void *ctx, unsigned long idle_ms);
bool tcp_peer_closed(void);
/* FIN and a short wait for its ACK; abort: RST at once. */
void tcp_close(bool abort);

#endif
