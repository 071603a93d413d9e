#!/bin/bash
# SPDX-License-Identifier: MIT
# md / mw / cp / cmp / crc32 in U-Boot's formats, checked against host
# computations (python zlib); range checks; time and sleep.
. "$(dirname "$0")/lib.sh"

hostcrc() { python3 -c "import zlib,sys; print('%08x' % zlib.crc32(bytes.fromhex(sys.argv[1]) * $2))" "$1"; }

sb -c 'mw.l 40200000 deadbeef 40000; crc32 40200000 100000'
crc=$(hostcrc efbeadde 262144)
expect_exact "crc32 for 40200000 ... 402fffff ==> $crc" "crc32 of 1 MiB of 0xdeadbeef matches zlib ($crc)"

sb -c 'mw.b 40200000 5a 1000; mw.w 40201000 1234 800; crc32 40200000 2000'
crc=$(python3 -c "import zlib; print('%08x' % zlib.crc32(b'\x5a' * 4096 + b'\x34\x12' * 2048))")
expect_exact "crc32 for 40200000 ... 40201fff ==> $crc" "mw.b and mw.w write what zlib sees"

sb -c 'mw.q 40200000 0102030405060708 2; md.q 40200000 2; md.b 40200000 10; md.w 40200000 3'
expect_exact "40200000: 0102030405060708 0102030405060708    ................" "md.q line"
expect_exact "40200000: 08 07 06 05 04 03 02 01 08 07 06 05 04 03 02 01    ................" "md.b line"
expect_exact "40200000: 0708 0506 0304$(printf '%*s' 25 '')    ......" "md.w short line keeps the text column"

sb -c 'mw.l 40200000 64636261 4; md 40200000 4; md.b 40200000 2; md'
expect_exact "40200000: 64636261 64636261 64636261 64636261    abcdabcdabcdabcd" "md default .l with ASCII"
expect_line "^40200002: 63 64 +cd$" "md with no arguments continues with the last size and count"

sb -c 'mw 40200000 11111111 100; cp 40200000 40300000 100; cmp 40200000 40300000 100'
expect_exact "Total of 256 word(s) were the same" "cp then cmp: equal"
expect_status 0

sb -c 'mw 40200000 11111111 100; cp.b 40200000 40300000 400; mw.b 40300013 ff; cmp.b 40200000 40300000 400'
expect_exact "byte at 0x40200013 (0x11) != byte at 0x40300013 (0xff)" "cmp.b reports the first difference"
expect_exact "Total of 19 byte(s) were the same" "and how many matched"
expect_status 1 "cmp with a difference fails"

sb -c 'mw.l 40200000 0 10; mw.l 40200008 1; cmp.q 40200000 40200020 4'
expect_exact "double word at 0x40200008 (0x0000000000000001) != double word at 0x40200028 (0x0000000000000000)" \
	"cmp.q format: 0x and size*2 digits"

sb -c 'mw 40200000 12345678 40; crc32 40200000 100 40300000; md.l 40300000 1; crc32 40200000 100 mycrc; printenv mycrc'
crc=$(hostcrc 78563412 64)
be=$(echo "$crc" | sed -E 's/(..)(..)(..)(..)/\4\3\2\1/')
expect_line "^40300000: $be " "crc32 store address gets the CRC big-endian"
expect_exact "mycrc=$crc" "crc32 can store into a variable"
sb -c "mw 40200000 12345678 40; crc32 -v 40200000 100 $crc"
expect_status 0 "crc32 -v with the right CRC"
sb -c "mw 40200000 12345678 40; crc32 -v 40200000 100 1234"
expect_line "!= 00001234 \*\* ERROR \*\*" "crc32 -v with a wrong CRC"
expect_status 1

sb -c 'md 0 4'
expect_line "outside RAM" "md outside RAM refused (would fault)"
expect_status 1
sb -c 'mw 47ffff00 0 10'
expect_line "would overwrite pvboot" "mw over pvboot's own memory refused"
sb -c 'md.x 40200000'
expect_line "^md - memory display" "bad size suffix gives usage"
sb -c 'mw.b 40200000 100'
expect_line "does not fit" "mw.b with a 2-byte value refused"
sb -c 'cp 40200000 40300000 fffffffffffffff'
expect_line "outside RAM" "cp with a huge count refused"

sb -c 'time sleep 0.3'
t=$(sed -nE 's/^time: ([0-9]+\.[0-9]{3}) seconds$/\1/p' "$OUT")
if [ -n "$t" ] && python3 -c "import sys; sys.exit(not (0.29 <= $t < 2.0))"; then
	ok "time sleep 0.3 reports $t seconds"
else
	bad "time sleep 0.3 reports '$t'"
fi
sb -c 'time nosuchcmd'
expect_line "Unknown command 'nosuchcmd'" "time of an unknown command"
expect_status 1

typing() {
	printf 'sleep 20\n'
	sleep 0.5
	printf '\003'
	sleep 0.5
	printf 'echo after-ctrlc\n'
}
start=$(date +%s%N)
sb_feed typing
ms=$((($(date +%s%N) - start) / 1000000))
if [ $ms -lt 10000 ]; then ok "Ctrl-C ends sleep (${ms} ms)"; else bad "sleep ignored Ctrl-C (${ms} ms)"; fi
expect_line "after-ctrlc" "the prompt is back after Ctrl-C"

sb -c 'bootstage'
expect_line "Timer summary in microseconds" "bootstage report"
expect_line " main$| prompt$| console$" "bootstage names boot phases"
expect_line "^ +[0-9,]+ +[0-9,]+  first console byte$" "bootstage: the first console byte"
expect_line "^ +[0-9,]+ +[0-9,]+  xenstore connected$" "bootstage: XenStore connected"

finish
