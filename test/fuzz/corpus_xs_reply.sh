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
# Client path: per request, an op byte (0: reply, 1: watch event then reply,
# 2: raw bytes, 3: silence), then lengths and payloads (see fuzz_xs_reply.c).
{ printf '\001'; printf '\000\003OK\000'; printf '\001\017device/vbd\010xenrig-0';
  printf '\000\01451712\00051728\000'; printf '\000\006n0\000r1\000'; printf '\000\0011';
  printf '\000\00317\000'; printf '\000\003OK\000'; } >"$out/client-session"
{ printf '\001'; printf '\000\003OK\000'; printf '\200\007EACCES\000'; printf '\040\001\010xenrig-0';
  printf '\002\020garbage garbage!'; printf '\003'; } >"$out/client-errors"
