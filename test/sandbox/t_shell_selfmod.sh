#!/bin/bash
# SPDX-License-Identifier: MIT
# A script that changes its own source while it runs: `run a` where a sets a,
# and `source` of a script that loads over itself. The parser works on a
# private copy (fuzz_shell found a use-after-free here).
. "$(dirname "$0")/lib.sh"

sb -c 'setenv a "setenv a echo replaced; echo first; echo second"; run a; echo after; run a'
expect_exact "first" "rest of the script runs after it replaced itself"
expect_exact "second"
expect_exact "after"
expect_exact "replaced" "the variable holds the new script"
expect_status 0

printf 'echo one\nmw.b ${scriptaddr} 0 100\necho two\n' >"$TMP/s.txt"
mkimage -A arm64 -O linux -T script -C none -n self -d "$TMP/s.txt" "$TMP/s.scr" >/dev/null
mkdir -p "$TMP/root"
cp "$TMP/s.scr" "$TMP/root/s.scr"
truncate -s 16M "$TMP/d.img"
mkfs.ext4 -q -d "$TMP/root" "$TMP/d.img"
sb --disk "$TMP/d.img" -c 'load pvblock 0 ${scriptaddr} /s.scr; source ${scriptaddr}; echo done'
expect_exact "one" "script runs"
expect_exact "two" "script survives overwriting its own image"
expect_exact "done"
finish
