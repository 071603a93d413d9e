#!/bin/bash
# SPDX-License-Identifier: MIT
# The command line of pvboot-sandbox: -c and its exit status, poweroff/reset,
# -m sizes as the guest sees them, refused options, piped interactive input.
. "$(dirname "$0")/sim_helpers.sh"

sb "$TMP/help" --help
expect_rc "$TMP/help" 0 "--help exits 0"
expect "$TMP/help" "usage: pvboot-sandbox .*-m MiB" "--help shows the usage"

sb "$TMP/ver" -c "version"
expect_rc "$TMP/ver" 0 "-c version: status 0"
expect "$TMP/ver" "^pvboot " "banner and version start with 'pvboot '"
expect "$TMP/ver" "Xen: +4\.17\.7-sim" "Xen version from XENVER_version/extraversion"
expect "$TMP/ver" "DRAM: +128 MiB at 0x40000000" "default RAM: 128 MiB at GUEST_RAM0_BASE"

sb "$TMP/false" -c "true; false"
expect_rc "$TMP/false" 1 "-c exits with the last command's status"

sb "$TMP/off" -c "poweroff; echo not-reached"
expect_rc "$TMP/off" 0 "poweroff exits 0"
expect_not "$TMP/off" "not-reached" "nothing runs after poweroff"

sb "$TMP/reset" -c "reset"
expect_rc "$TMP/reset" 16 "reset exits with the reset status"
expect "$TMP/reset" "resetting \.\.\." "reset says so"

for m in 16 32 512 1023; do
	sb "$TMP/m$m" -m $m -c "bdinfo"
	expect "$TMP/m$m" "DRAM: +$m MiB at 0x40000000" "-m $m: banner shows $m MiB"
	expect "$TMP/m$m" "size += 0x0*$(printf %x $((m << 20)))\b" "-m $m: bdinfo bank size"
done

sb "$TMP/big" -m 1024 -c "version"
expect_rc "$TMP/big" 19 "-m 1024 refused (ASan shadow starts below 2 GiB)"
expect "$TMP/big" "at most 1023 MiB" "-m 1024: the message says the limit"
sb "$TMP/small" -m 8 -c "version"
expect_rc "$TMP/small" 19 "-m 8 refused"
sb "$TMP/nom" -m lots -c "version"
expect_rc "$TMP/nom" 19 "-m lots refused"
sb "$TMP/badopt" --frobnicate
expect_rc "$TMP/badopt" 19 "unknown option refused"
sb "$TMP/badfault" --sim-fault=no-such-fault -c "version"
expect_rc "$TMP/badfault" 19 "unknown --sim-fault refused"
expect "$TMP/badfault" "unknown fault" "unknown --sim-fault named"
sb "$TMP/baddisk" --disk "$TMP/x.img,sector=1024" -c "version"
expect_rc "$TMP/baddisk" 19 "--disk sector=1024 refused"

# Interactive, stdin a pipe: commands are typed, EOF ends the run cleanly.
start=$(date +%s%N)
sb_in "$TMP/pipe" 'echo typed-$((6*7))\nsetenv x 5; echo x=$x\n'
took=$((($(date +%s%N) - start) / 1000000))
expect_rc "$TMP/pipe" 0 "EOF on piped stdin exits 0"
expect "$TMP/pipe" "typed-\\$\(\(6\*7\)\)|typed-" "piped command ran"
expect "$TMP/pipe" "^x=5|=> x=5|x=5" "second piped line ran"
if [ "$took" -lt 5000 ]; then ok "piped run ended in ${took} ms"; else bad "piped run took ${took} ms"; fi

# Input bytes are not lost when more arrives at once than the console ring holds (1 KiB).
input=""
for i in $(seq 1 150); do input="${input}echo line-$i-end\n"; done
sb_in "$TMP/burst" "$input"
n=$(grep -Eo '^line-[0-9]+-end' "$TMP/burst" | sort -u | wc -l)
if [ "$n" = 150 ]; then ok "150 lines typed at once (~2.5 KiB) all ran"; else
	bad "150 lines typed at once, $n ran"; show "$TMP/burst"; fi

finish
