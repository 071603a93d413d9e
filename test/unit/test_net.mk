# SPDX-License-Identifier: MIT
test_net-srcs := net/net.c net/dest.c net/arp.c net/ip.c net/ip_defrag.c net/dhcp.c net/tftp.c net/tcp.c net/http.c net/stack.c \
	drivers/net/netif_ring.c drivers/net/eth.c common/timer.c lib/display.c
