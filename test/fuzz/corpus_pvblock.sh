#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_pvblock: flags (bit 0 persistent, 1 indirect, 2
# 4096-byte blocks, 3 the backend writes whole pages, 4-6 Ctrl-C at wait N, 7 pressed twice), grants (bit 7:
# a small table of 2 + low bits), transfers (low bits: count - 1; bit 7: the backend
# goes away after the first), 6 bytes per transfer (op 0 read / 1 write /
# 2 flush, block u16, count, buffer offset u16), then the backend's script
# (one byte per answer: 0-8 at once, 9 later, 10-12 error statuses, 13
# never, 14 a wrong id/op or twice, 15 an impossible rsp_prod).
set -e
out=${1:?usage: corpus_pvblock.sh DIR}
mkdir -p "$out"
rd='\000\020\000\177\000\000'      # read 128 blocks at 16, page-aligned buffer
rdu='\000\003\000\040\003\002'     # read 32 blocks into a buffer 0x203 in (unaligned)
wr='\001\100\000\100\000\020'      # write 64 blocks from a page-aligned buffer
fl='\002\000\000\000\000\000'
printf '\000\000\003'"$rd$rdu$wr$fl" >"$out/direct-honest"
printf '\003\000\003'"$rd$rdu$wr$fl" >"$out/persistent-indirect-honest"
printf '\006\000\001'"$rd$wr"'\011\011\011\000\001' >"$out/indirect-4k-held-answers"
printf '\000\000\001'"$rd$wr"'\012\000\000\014' >"$out/error-status"
printf '\002\000\000'"$rd"'\016\001\000\000' >"$out/answered-twice"
printf '\001\000\000'"$rd"'\017' >"$out/rsp-prod-ahead"
printf '\001\203\001'"$rd$rd" >"$out/persistent-few-grants"
printf '\060\000\000'"$rd"'\015' >"$out/ctrl-c-then-stall"
printf '\010\000\002'"$rdu"'\000\000\003\000\000\002'"$rd" >"$out/whole-page-writer"
printf '\000\000\201'"$rd$rd"'\011' >"$out/backend-gone"
