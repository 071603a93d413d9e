# SPDX-License-Identifier: MIT
test_ip_defrag-srcs := net/net.c net/arp.c net/ip.c net/ip_defrag.c drivers/net/eth.c common/timer.c lib/display.c
