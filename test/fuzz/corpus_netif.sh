#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_netif: a few plausible exchanges. Each step byte
# (mod 4): 0 backend RX responses, 1 backend TX responses, 2 poll, 3 send.
# An RX response "\001 offset flags len/8+8" is plausible (the id posted in its slot).
set -e
out=${1:?usage: corpus_netif.sh DIR}
mkdir -p "$out"
# RX: 3 plausible 64-byte frames, then poll; a send and its TX response.
printf '\000\003\001\000\020\001\000\020\001\000\020\000\002\003\012\001\001\001\000\002' >"$out/rx-tx"
# Chained packets: extra-info (8) and more_data (4) flags, then poll.
printf '\000\004\001\010\040\001\000\040\001\004\040\001\000\040\000\002' >"$out/chains"
# A frame at an offset past its page, then a wild rsp_prod.
printf '\000\001\003\377\000\040\000\002\000\001\001\000\040\001\377\002' >"$out/wild"
