#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpus for fuzz_gunzip: streams made by gzip(1).
set -e
out=${1:?usage: corpus_gunzip.sh DIR}
mkdir -p "$out"
printf 'hello world\n' | gzip -9 >"$out/small.gz"
head -c 65536 /dev/zero | gzip >"$out/zeros.gz"
seq 1 20000 | gzip -1 >"$out/seq.gz"
