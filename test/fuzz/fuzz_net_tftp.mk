# SPDX-License-Identifier: MIT
fuzz_net_tftp-srcs := net/net.c net/dest.c net/arp.c net/ip.c net/ip_defrag.c net/dhcp.c net/tftp.c net/tcp.c net/http.c net/stack.c \
	drivers/net/eth.c common/timer.c lib/display.c
fuzz_net_tftp-corpus := test/fuzz/corpus_net.sh
