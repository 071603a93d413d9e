# SPDX-License-Identifier: MIT
fuzz_netif-srcs := drivers/net/netfront.c drivers/net/netfront_xs.c drivers/net/netif_ring.c \
	drivers/net/eth.c drivers/core/device.c
fuzz_netif-corpus := test/fuzz/corpus_netif.sh
