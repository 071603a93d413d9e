#!/bin/bash
# SPDX-License-Identifier: MIT
# TFTP blocks larger than a frame: the simulated server fragments each
# datagram as Linux does (1480 bytes a fragment) and pvboot reassembles
# them (net/ip_defrag.c), byte-exact. Fragments reordered or duplicated
# still give the file; a lost one costs a timeout and a retry; overlapping
# ones are refused and counted; the block size and the load gate stay
# bounded.
. "$(dirname "$0")/net_helpers.sh"

mkfile f3m 3145728 11
mkfile exact 32768 12 # two 16384-byte blocks: ends with an empty block
mkfile odd 40000 13
mkfile f1m 1048576 14
F3M=$(hostcrc "$SRV/f3m" 0 3145728)

# 1. Byte-exact with blksize 16384 (12 fragments a block, the last one 116
# bytes), lock-step and windowed, an exact multiple, and other sizes.
net "$TMP/big" -c 'dhcp; setenv tftpblocksize 16384; tftpboot 40200000 f3m; crc32 40200000 ${filesize}
setenv tftpwindowsize 1; tftpboot 40200000 f3m; crc32 40200000 ${filesize}
tftpboot 40200000 exact; crc32 40200000 ${filesize}
setenv tftpwindowsize 16; setenv tftpblocksize 3000; tftpboot 40200000 odd; crc32 40200000 ${filesize}
setenv tftpblocksize 1469; tftpboot 40200000 odd; crc32 40200000 ${filesize}
setenv tftpblocksize 65464; tftpboot 40200000 f3m; crc32 40200000 ${filesize}; net info'
expect_crc "$TMP/big" "$F3M" "blksize 16384, windowsize 16: byte-exact" 1
expect_crc "$TMP/big" "$F3M" "blksize 16384, lock-step: byte-exact" 2
expect_crc "$TMP/big" "$(hostcrc "$SRV/exact" 0 32768)" "blksize 16384: ends with an empty block" 3
expect_crc "$TMP/big" "$(hostcrc "$SRV/odd" 0 40000)" "blksize 3000 (3 fragments): byte-exact" 4
expect_crc "$TMP/big" "$(hostcrc "$SRV/odd" 0 40000)" "blksize 1469 (one byte over a frame): byte-exact" 5
expect_crc "$TMP/big" "$F3M" "blksize 65464 (the largest: 45 fragments a block): byte-exact" 6
expect "$TMP/big" "IP [1-9][0-9]* fragments \(0 dropped\), [1-9][0-9]* datagrams reassembled" "net info counts fragments"
expect_not "$TMP/big" "^T " "no timeouts"

# 2. Larger than reassembly holds: refused with the limit, the default used.
net "$TMP/max" -c 'dhcp; setenv tftpblocksize 65465; tftpboot 40200000 odd; crc32 40200000 ${filesize}'
expect "$TMP/max" "tftpblocksize = '65465' is not a number up to 65464, using 1468" "blksize above the limit: refused"
expect_crc "$TMP/max" "$(hostcrc "$SRV/odd" 0 40000)" "blksize above the limit: the default works"

# 3. A sender's liberties that must still give the file.
for f in peer-frag-reverse peer-frag-dup peer-frag-lose=5 net-drop=50; do
	net "$TMP/$f" --sim-fault="$f" -c 'dhcp; setenv tftpblocksize 16384; tftpboot 40200000 f3m; crc32 40200000 ${filesize}; net info'
	expect_crc "$TMP/$f" "$F3M" "$f: byte-exact" 1
done
expect "$TMP/peer-frag-dup" "IP [0-9]+ fragments \([1-9][0-9]* dropped\)" "peer-frag-dup: duplicates counted"
expect "$TMP/peer-frag-lose=5" "IP [0-9]+ fragments \([1-9][0-9]* dropped\)" "peer-frag-lose: the partial datagrams dropped"
# Lock-step, a lost fragment is only noticed by the timeout: the block is asked again.
net "$TMP/lose" --sim-fault=peer-frag-lose=3 -c 'dhcp; setenv tftpblocksize 16384; setenv tftpwindowsize 1
setenv tftptimeout 100; tftpboot 40200000 f1m; crc32 40200000 ${filesize}; net info'
expect_crc "$TMP/lose" "$(hostcrc "$SRV/f1m" 0 1048576)" "peer-frag-lose, lock-step: byte-exact"
expect "$TMP/lose" "TFTP [1-9][0-9]* timeouts" "peer-frag-lose, lock-step: recovered by timeouts"

# 4. Overlapping fragments: no datagram gets through, the transfer fails, bounded.
net "$TMP/overlap" --sim-fault=peer-frag-overlap -c 'dhcp; setenv tftpblocksize 16384; setenv tftptimeout 200
setenv tftptimeoutcountmax 2; tftpboot 40200000 f3m || echo FAILED; net info; echo ALIVE'
expect "$TMP/overlap" "no answer from the server after 2 tries" "overlap: clear error"
expect "$TMP/overlap" "^FAILED" "overlap: fails"
expect "$TMP/overlap" "IP [0-9]+ fragments \([1-9][0-9]* dropped\), 0 datagrams reassembled" "overlap: dropped, none reassembled"
expect_not "$TMP/overlap" "Bytes transferred" "overlap: nothing reported as loaded"
expect "$TMP/overlap" "^ALIVE" "overlap: prompt alive"

# 5. The load gate with large blocks: stops at pvboot's memory, with or without tsize.
net "$TMP/gate" -c 'dhcp; setenv tftpblocksize 16384; tftpboot 46d00000 f3m || echo HIGH; echo ALIVE'
expect "$TMP/gate" "would overwrite memory reserved by pvboot" "gate: pvboot's memory refused"
expect "$TMP/gate" "^HIGH" "gate: the transfer fails"
expect "$TMP/gate" "^ALIVE" "gate: prompt alive"
finish
