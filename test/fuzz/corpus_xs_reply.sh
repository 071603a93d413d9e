#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_xs_reply: well-formed xs_wire replies as xenstored
# sends them (little-endian header type, req_id, tx_id, len; then payload).
# First byte: 0 = codec path, 1 = client path (then a chunk size byte).
set -e
out=${1:?usage: corpus_xs_reply.sh DIR}
mkdir -p "$out"
le32() { printf "\\$(printf %03o $(($1 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))\\$(printf %03o $(($1 >> 24 & 255)))"; }
msg() { # type req_id payload-length, payload on stdin
	le32 "$1"; le32 "$2"; le32 0; le32 "$3"; cat
}
# XS_READ=2 reply "xenrig-0", XS_DIRECTORY=1 "51712\0" "51728\0", XS_ERROR=16 "ENOENT\0",
# XS_WATCH_EVENT=15 "device/vbd\0tok\0", XS_TRANSACTION_START=6 "17\0"
{ printf '\000\377'; printf 'xenrig-0' | msg 2 1 8; } >"$out/codec-read"
{ printf '\000\007'; printf '51712\00051728\000' | msg 1 1 12; printf 'ENOENT\000' | msg 16 2 7; } >"$out/codec-dir-err"
{ printf '\000\020'; printf 'device/vbd\000tok\000' | msg 15 0 15; } >"$out/codec-event"
{ printf '\001\377'; printf 'xenrig-0' | msg 2 2 8; printf 'device/vbd\000tok\000' | msg 15 0 15;
  printf '51712\000' | msg 1 3 6; printf 'n0\000r1\000' | msg 3 4 6; printf '1' | msg 2 5 1;
  printf '17\000' | msg 6 6 3; printf 'OK\000' | msg 7 7 3; } >"$out/client-session"
{ printf '\001\040'; printf 'OK\000' | msg 4 1 3; printf 'EACCES\000' | msg 16 2 7;
  printf 'xenrig-0' | msg 2 9 8; } >"$out/client-errors"
