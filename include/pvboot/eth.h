/* SPDX-License-Identifier: MIT */
/*
 * Ethernet devices: an ops table over a frame-moving driver (netfront).
 * The network stack (net/) sends and polls through this; it never sees
 * rings or grants. A received frame is handed over as a private copy:
 * the driver never exposes memory a backend can still write.
 */
#ifndef PVBOOT_ETH_H
#define PVBOOT_ETH_H

#include <pvboot/compiler.h>

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_FRAME_MAX 1514 /* without FCS: a frame on the wire, what we send */
/*
 * The largest frame handed up: a TCP segment that the sender did not cut
 * (GSO), up to IPv4's 64 KiB, in several RX slots.
 */
#define ETH_RX_MAX (ETH_HLEN + 65535)

/* Flags of a received frame. */
#define ETH_RX_CSUM_TRUSTED 1u /* the backend validated the L4 checksum, or left it blank */

struct eth_dev;
typedef void (*eth_rx_fn)(void *ctx, const uint8_t *frame, size_t len, unsigned int flags);

struct eth_stats {
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
	uint64_t rx_dropped; /* malformed or too large, reported by the driver */
	uint64_t tx_errors;
};

struct eth_ops {
	/* Queue one frame (copied before return). 0 or -errno (-ENODEV: device gone). */
	int (*send)(struct eth_dev *dev, const void *frame, size_t len);
	/* Hand up to budget received frames to rx. Returns how many, or -errno. */
	int (*poll)(struct eth_dev *dev, eth_rx_fn rx, void *ctx, unsigned int budget);
	/* Sleep until a frame may be there or ms pass: 0, -ETIMEDOUT, -EINTR, -ENODEV. */
	int (*wait)(struct eth_dev *dev, unsigned long ms);
	void (*print_info)(struct eth_dev *dev);
};

struct eth_dev {
	char name[16]; /* "netfront0" */
	int index;     /* 0, 1, ... as registered */
	uint8_t mac[ETH_ALEN];
	unsigned int mtu;
	const struct eth_ops *ops;
	void *priv;
	struct eth_stats st;
	struct eth_dev *next;
};

int eth_register(struct eth_dev *dev);
void eth_unregister(struct eth_dev *dev);
struct eth_dev *eth_first(void);
struct eth_dev *eth_get(int index);
struct eth_dev *eth_get_by_name(const char *name);

/* "aa:bb:cc:dd:ee:ff" (any case) -> mac. 0 or -EINVAL. */
int eth_parse_mac(const char *s, uint8_t mac[ETH_ALEN]);
/* Unicast, not all-zero: usable as our own address. */
bool eth_mac_valid(const uint8_t mac[ETH_ALEN]);

#endif
