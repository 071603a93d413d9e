#!/bin/bash
# SPDX-License-Identifier: MIT
# The command line of pvboot-sandbox: -c and its exit status, poweroff/reset,
# -m sizes as the guest sees them, refused options, piped interactive input.
. "$(dirname "$0")/lib.sh"

SB_NO_AUDIT=1 sb --help
expect_status 0 "--help exits 0"
expect_line "usage: pvboot-sandbox .*-m MiB" "--help shows the usage"

sb -c "version"
expect_status 0 "-c version: status 0"
expect_line "^pvboot " "banner and version start with 'pvboot '"
expect_line "Xen: +4\.17\.7-sim" "Xen version from XENVER_version/extraversion"
expect_line "DRAM: +128 MiB at 0x40000000" "default RAM: 128 MiB at GUEST_RAM0_BASE"

sb -c "true; false"
expect_status 1 "-c exits with the last command's status"

sb -c "poweroff; echo not-reached"
expect_status 0 "poweroff exits 0"
expect_no "not-reached" "nothing runs after poweroff"

sb -c "reset"
expect_status 16 "reset exits with the reset status"
expect_line "resetting \.\.\." "reset says so"

for m in 16 32 512 1023; do
	sb -m $m -c "bdinfo"
	expect_line "DRAM: +$m MiB at 0x40000000" "-m $m: banner shows $m MiB"
	expect_line "size += 0x0*$(printf %x $((m << 20)))\b" "-m $m: bdinfo bank size"
done

SB_NO_AUDIT=1 sb -m 1024 -c "version"
expect_status 19 "-m 1024 refused (ASan shadow starts below 2 GiB)"
expect_line "at most 1023 MiB" "-m 1024: the message says the limit"
SB_NO_AUDIT=1 sb -m 8 -c "version"
expect_status 19 "-m 8 refused"
SB_NO_AUDIT=1 sb -m lots -c "version"
expect_status 19 "-m lots refused"
SB_NO_AUDIT=1 sb --frobnicate
expect_status 19 "unknown option refused"
SB_NO_AUDIT=1 sb --sim-fault=no-such-fault -c "version"
expect_status 19 "unknown --sim-fault refused"
expect_line "unknown fault" "unknown --sim-fault named"
SB_NO_AUDIT=1 sb --disk "$TMP/x.img,sector=1024" -c "version"
expect_status 19 "--disk sector=1024 refused"

# Interactive, stdin a pipe: commands are typed, EOF ends the run cleanly.
start=$(date +%s%N)
sb_script 'echo typed-$((6*7))\nsetenv x 5; echo x=$x\n'
took=$((($(date +%s%N) - start) / 1000000))
expect_status 0 "EOF on piped stdin exits 0"
expect_line "^typed-" "piped command ran"
expect_exact "x=5" "second piped line ran"
if [ "$took" -lt 5000 ]; then ok "piped run ended in ${took} ms"; else bad "piped run took ${took} ms"; fi

# EOF while the last command still runs: the run ends only after it, at the prompt.
start=$(date +%s%N)
sb_script 'sleep 1\necho last-one\n'
took=$((($(date +%s%N) - start) / 1000000))
expect_exact "last-one" "a command after a piped sleep still runs"
if [ "$took" -ge 1000 ]; then ok "EOF waited for the sleep (${took} ms)"; else
	bad "EOF cut the sleep short (${took} ms)"; fi

# Input bytes are not lost when more arrives at once than the console ring holds (1 KiB).
input=""
for i in $(seq 1 150); do input="${input}echo line-$i-end\n"; done
sb_script "$input"
n=$(grep -Eo '^line-[0-9]+-end' "$OUT" | sort -u | wc -l)
if [ "$n" = 150 ]; then ok "150 lines typed at once (~2.5 KiB) all ran"; else
	bad "150 lines typed at once, $n ran"; fi

finish
