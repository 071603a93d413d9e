#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_blkif: a pending table (slot count, then id
# generation and op|inflight per slot), rsp_cons/rsp_prod/req_prod as
# little-endian u32, responses (id u64, op u8, pad, status s16, pad),
# then a segment-planning tail (addr u64, len u64, max segs u16).
set -e
out=${1:?usage: corpus_blkif.sh DIR}
mkdir -p "$out"
# 4 slots: slot0 gen1 READ in flight, slot1 gen2 WRITE in flight, slot2 gen0 idle, slot3 gen3 INDIRECT in flight
table='\003\001\200\002\201\000\000\003\203'
idx='\000\000\000\000\003\000\000\000\003\000\000\000'
# id = gen << 32 | slot
rsp_ok0='\000\000\000\000\001\000\000\000\000\000\000\000\000\000\000\000'
rsp_err1='\001\000\000\000\002\000\000\000\001\000\377\377\000\000\000\000'
rsp_ind3='\003\000\000\000\003\000\000\000\006\000\000\000\000\000\000\000'
plan='\000\002\000\100\000\000\000\000\000\000\020\000\000\000\000\000\000\001'
printf "$table$idx$rsp_ok0$rsp_err1$rsp_ind3$plan" >"$out/three-responses"
printf "$table$idx$rsp_ok0$rsp_ok0$rsp_ind3" >"$out/duplicate"
printf "$table"'\000\000\000\000\000\200\000\000\003\000\000\000' >"$out/rsp-prod-garbage"
