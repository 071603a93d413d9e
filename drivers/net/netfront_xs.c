// SPDX-License-Identifier: MIT
/*
 * Xen PV network frontend, XenStore side: the MAC the toolstack chose, the
 * backend's features, our rings and wishes, and the state handshake as
 * Linux's netback expects it (it connects when the frontend is Connected,
 * and only once its hotplug script reported the vif ready). Everything
 * read from XenStore is validated.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/errstr.h>
#include <pvboot/log.h>
#include <pvboot/xen/xenstore.h>
#include "netfront_priv.h"

#define NF_XS_RETRIES 10
#define STATE_BIT(s) (1u << (s))

static const char *nf_name(struct netfront_dev *nf)
{
	return nf->xb.nodename;
}

int netfront_xs_read_mac(struct netfront_dev *nf)
{
	char path[96], *mac = NULL;
	int ret;

	snprintf(path, sizeof(path), "%s/mac", nf->xb.nodename);
	ret = xenstore_read(XBT_NIL, path, &mac);
	if (ret < 0) {
		pr_err("netfront: %s: no mac (%s)\n", nf_name(nf), errno_str(ret));
		return ret;
	}
	ret = eth_parse_mac(mac, nf->eth.mac);
	if (ret || !eth_mac_valid(nf->eth.mac)) {
		pr_err("netfront: %s: mac '%.20s' is not a unicast Ethernet address\n", nf_name(nf),
		       mac);
		ret = -EINVAL;
	}
	free(mac);
	return ret;
}

/* A backend flag: "1" on, absent or "0" off; anything else is off, with a warning. */
static bool be_flag(struct netfront_dev *nf, const char *key)
{
	char path[192];
	uint64_t v;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", nf->xb.otherend, key);
	ret = xenstore_read_u64(XBT_NIL, path, &v);
	if (ret == -ENOENT)
		return false;
	if (ret || v > 1) {
		pr_warn("netfront: %s: bogus backend %s, feature not used\n", nf_name(nf), key);
		return false;
	}
	return v == 1;
}

int netfront_xs_wait_backend(struct netfront_dev *nf)
{
	return xenbus_wait_backend_ready(&nf->xb, "netfront", CONFIG_XEN_WAIT_TIMEOUT_MS);
}

int netfront_xs_read_features(struct netfront_dev *nf)
{
	/* Page flipping is gone from Linux; netback refuses a frontend without copy. */
	if (!be_flag(nf, "feature-rx-copy")) {
		pr_err("netfront: %s: backend does not offer feature-rx-copy\n", nf_name(nf));
		return -EOPNOTSUPP;
	}
	nf->be_sg = be_flag(nf, "feature-sg");
	nf->be_split_evtchn = be_flag(nf, "feature-split-event-channels");
	return 0;
}

static int nf_write_keys(struct netfront_dev *nf, xs_transaction_t t)
{
	/*
	 * One queue, one event channel, copy mode, notify us of RX. Receive
	 * offloads on, as Linux's netfront has them: netback (and the bridge
	 * and dom0's TCP behind it) hands over TCP segments of up to 64 KiB in
	 * several slots (feature-sg, feature-gso-tcpv4), which needs checksum
	 * offload (no feature-no-csum-offload: checksums may come blank, and
	 * are then flagged). One big segment instead of 45 frames is most of
	 * what makes a download fast. We send only whole, checksummed frames.
	 */
	const struct {
		const char *key;
		unsigned int val;
	} keys[] = {
	    {"tx-ring-ref", (unsigned int)nf->tx_ring_ref},
	    {"rx-ring-ref", (unsigned int)nf->rx_ring_ref},
	    {"event-channel", nf->port},
	    {"request-rx-copy", 1},
	    {"feature-rx-notify", 1},
	    {"feature-no-csum-offload", 0},
	    {"feature-sg", 1},
	    {"feature-gso-tcpv4", 1},
	    {"feature-gso-tcpv6", 0},
	    {"feature-ipv6-csum-offload", 0},
	};
	char path[128];
	int ret;

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		snprintf(path, sizeof(path), "%s/%s", nf->xb.nodename, keys[i].key);
		ret = xenstore_printf(t, path, "%u", keys[i].val);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int netfront_xs_publish(struct netfront_dev *nf)
{
	int ret = -EAGAIN;

	nf->keys_written = true;
	for (int i = 0; i < NF_XS_RETRIES && ret == -EAGAIN; i++) {
		xs_transaction_t t;

		ret = xenstore_transaction_start(&t);
		if (ret)
			break;
		ret = nf_write_keys(nf, t);
		if (ret) {
			xenstore_transaction_end(t, true);
			break;
		}
		ret = xenstore_transaction_end(t, false);
	}
	if (ret)
		pr_err("netfront: %s: cannot publish the rings: %s\n", nf_name(nf), errno_str(ret));
	return ret;
}

int netfront_xs_connect(struct netfront_dev *nf)
{
	int st, ret;

	ret = xenbus_switch_state(&nf->xb, XenbusStateConnected);
	if (ret)
		return ret;
	st = xenbus_wait_otherend(&nf->xb,
				  STATE_BIT(XenbusStateConnected) | STATE_BIT(XenbusStateClosing) |
				      STATE_BIT(XenbusStateClosed),
				  CONFIG_XEN_WAIT_TIMEOUT_MS);
	if (st == -ETIMEDOUT) {
		pr_err("netfront: %s: backend did not connect within %d ms (its hotplug script "
		       "did not report the vif ready?)\n",
		       nf_name(nf), CONFIG_XEN_WAIT_TIMEOUT_MS);
		return st;
	}
	if (st < 0)
		return st;
	if (st != XenbusStateConnected) {
		pr_err("netfront: %s: backend went %s instead of Connected\n", nf_name(nf),
		       xenbus_strstate(st));
		return -ENODEV;
	}
	nf->connected = true;
	return 0;
}

static void nf_remove_keys(struct netfront_dev *nf)
{
	static const char *const keys[] = {
	    "tx-ring-ref",	 "rx-ring-ref",
	    "event-channel",	 "request-rx-copy",
	    "feature-rx-notify", "feature-no-csum-offload",
	    "feature-sg",	 "feature-gso-tcpv4",
	    "feature-gso-tcpv6", "feature-ipv6-csum-offload",
	};
	char path[128];

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		snprintf(path, sizeof(path), "%s/%s", nf->xb.nodename, keys[i]);
		xenstore_rm(XBT_NIL, path);
	}
	nf->keys_written = false;
}

/*
 * Keys first (the OS's netfront must find none of ours), then Closing ->
 * Closed -> Initialising, and wait until the backend let go of the rings.
 */
int netfront_xs_disconnect(struct netfront_dev *nf)
{
	int ret;

	nf_remove_keys(nf);
	ret = xenbus_disconnect_released(&nf->xb, CONFIG_XEN_WAIT_TIMEOUT_MS);
	if (ret)
		pr_err("netfront: %s: disconnect: %s\n", nf_name(nf), errno_str(ret));
	nf->connected = false;
	return ret;
}
