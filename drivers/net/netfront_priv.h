/* SPDX-License-Identifier: MIT */
/* State of one PV network device, shared by the data path and the XenStore side. */
#ifndef PVBOOT_NETFRONT_PRIV_H
#define PVBOOT_NETFRONT_PRIV_H

#include <pvboot/eth.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/xenbus.h>
#include "netif_ring.h"

#define NF_RX_BUFS NETIF_RING_SLOTS /* one page per RX slot: the ring stays full */
#define NF_MIN_RX_BUFS 16	    /* below this, give up (-ENOMEM) */
#define NF_TX_BUFS 64		    /* frames in flight */
#define NF_TX_BUF_SIZE 2048	    /* two per page: a frame never crosses a page */
#define NF_TX_PAGES (NF_TX_BUFS * NF_TX_BUF_SIZE / PAGE_SIZE)

struct netfront_dev {
	struct eth_dev eth;
	struct xenbus_device xb;

	/* Negotiated with the backend. */
	bool be_sg, be_split_evtchn;

	/* Rings and the event channel (one for both). */
	void *tx_ring_mem, *rx_ring_mem;
	int tx_ring_ref, rx_ring_ref; /* -1: not granted */
	netif_tx_front_ring_t tx;
	netif_rx_front_ring_t rx;
	evtchn_port_t port;
	bool port_open;

	/* RX: a page per buffer, granted once, writable (netback copies into it). */
	uint8_t *rx_pages;
	unsigned int nrx;	  /* buffers allocated */
	unsigned int nrx_granted; /* grants made, in order */
	grant_ref_t rx_ref[NF_RX_BUFS];
	uint16_t slot_id[NF_RX_BUFS]; /* id posted in each RX ring slot */
	uint16_t free_rx[NF_RX_BUFS]; /* buffers not posted */
	unsigned int nfree_rx;

	/* TX: small buffers in pages granted once, read-only. */
	uint8_t *tx_pages;
	unsigned int ntx_granted;
	grant_ref_t tx_ref[NF_TX_PAGES];
	bool tx_busy[NF_TX_BUFS];
	uint16_t free_tx[NF_TX_BUFS];
	unsigned int nfree_tx;

	uint8_t frame[ETH_RX_MAX]; /* private copy of the frame handed up */

	struct {
		uint64_t rx_errors, rx_oversize, rx_multi, tx_errors, notifies;
		unsigned int rx_largest; /* bytes, of a frame in several slots */
	} st;
	unsigned int leaked;	     /* grants the backend would not let go */
	unsigned long state_checked; /* get_timer() of the last look at the backend's state */
	bool connected, failed, keys_written;
	struct netfront_dev *next;
};

/* netfront_xs.c: the XenStore side of the handshake. */
int netfront_xs_read_mac(struct netfront_dev *nf);
int netfront_xs_wait_backend(struct netfront_dev *nf);
int netfront_xs_read_features(struct netfront_dev *nf);
int netfront_xs_publish(struct netfront_dev *nf);
int netfront_xs_connect(struct netfront_dev *nf);
int netfront_xs_disconnect(struct netfront_dev *nf);

#endif
