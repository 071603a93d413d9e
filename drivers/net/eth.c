// SPDX-License-Identifier: MIT
/* The list of Ethernet devices, and MAC address helpers. */
#include <errno.h>
#include <string.h>
#include <pvboot/eth.h>

static struct eth_dev *eth_list;

int eth_register(struct eth_dev *dev)
{
	struct eth_dev **pp = &eth_list;
	int index = 0;

	for (; *pp; pp = &(*pp)->next) {
		if (*pp == dev)
			return -EEXIST;
		index = MAX(index, (*pp)->index + 1);
	}
	dev->index = index;
	dev->next = NULL;
	*pp = dev;
	return 0;
}

void eth_unregister(struct eth_dev *dev)
{
	for (struct eth_dev **pp = &eth_list; *pp; pp = &(*pp)->next) {
		if (*pp == dev) {
			*pp = dev->next;
			dev->next = NULL;
			return;
		}
	}
}

struct eth_dev *eth_first(void)
{
	return eth_list;
}

struct eth_dev *eth_get(int index)
{
	for (struct eth_dev *d = eth_list; d; d = d->next)
		if (d->index == index)
			return d;
	return NULL;
}

struct eth_dev *eth_get_by_name(const char *name)
{
	for (struct eth_dev *d = eth_list; d; d = d->next)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int eth_parse_mac(const char *s, uint8_t mac[ETH_ALEN])
{
	for (int i = 0; i < ETH_ALEN; i++) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (lo < 0 || s[2] != (i == ETH_ALEN - 1 ? '\0' : ':'))
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 3;
	}
	return 0;
}

bool eth_mac_valid(const uint8_t mac[ETH_ALEN])
{
	static const uint8_t zero[ETH_ALEN];

	return !(mac[0] & 1) && memcmp(mac, zero, ETH_ALEN);
}
