#!/bin/bash
# SPDX-License-Identifier: MIT
# A dom0less domain has no PV console unless a toolstack sets one up; Xen
# gives it an emulated SBSA UART (vpl011) and puts its node in the DT.
# pvboot finds it and uses it for output and polled input, Ctrl-C included
# (here while it waits for a XenStore that is not up yet, as a dom0less
# domain does). The simulated Xen fails the run on any access to a register
# its vpl011 does not emulate, or on a byte written into a full FIFO.
. "$(dirname "$0")/lib.sh"

disk=$TMP/disk.img
truncate -s 4M "$disk"

sb --vpl011 --disk "$disk" -c 'echo hello; pvblock info; xen info'
expect_exact "Console: UART at 0x22000000 (Xen's vpl011; no PV console)" "says which console it uses"
expect_line '^DRAM: ' "the banner comes out of the UART"
expect_exact 'hello' "command output comes out of the UART"
expect_line 'Capacity: 4\.0 MB' "the disk is found as usual"
expect_line '^Console: +UART at 0x22000000 \(vpl011, no PV console\); [1-9][0-9]* bytes out, 0 in, 0 dropped$' \
	"xen info: the UART's figures"
expect_no '^sim: VIOLATION' "the simulated Xen saw nothing wrong"
expect_status 0 "exit status 0"

# Input: typed lines reach the shell through the UART's receive FIFO.
sb_script 'echo typed\rversion\r' --vpl011
expect_exact 'typed' "typed input is read from the UART"
expect_line '^=> version$' "...echoed back"
expect_line '^gcc ' "...and run"
expect_status 0 "input: exit status 0"

# Ctrl-C typed on the UART ends the wait for a late XenStore.
typing() {
	sleep 1
	printf '\003'
	sleep 0.5
	printf 'echo alive\r'
}
t0=$(date +%s%N)
sb_feed typing --vpl011 --sim-fault=xs-late
secs=$((($(date +%s%N) - t0) / 1000000000))
expect_exact 'XenStore: wait interrupted, going on without it' "Ctrl-C on the UART ends the XenStore wait"
expect_exact 'alive' "the prompt works after it"
if [ "$secs" -lt 20 ]; then ok "Ctrl-C: no 60 s wait (${secs} s)"; else bad "Ctrl-C: took ${secs} s"; fi

# Nobody drains the UART after 300 bytes: output is dropped after one
# bounded wait, the run goes on and ends normally.
t0=$(date +%s%N)
sb --vpl011 --sim-fault=console-stall=300 -c 'help; help; echo done; sim fault clear; xen info'
secs=$((($(date +%s%N) - t0) / 1000000000))
expect_status 0 "stalled UART: the commands still run to the end"
expect_line '^Console: +UART .* [1-9][0-9]* dropped$' "stalled UART: the loss is counted"
if [ "$secs" -lt 10 ]; then ok "stalled UART: no wait per byte (${secs} s)"; else
	bad "stalled UART: took ${secs} s"
fi

# With a PV console (an xl-created domain), the UART is not used.
sb -c 'echo pv'
expect_no '^Console: UART' "with a PV console: not the UART"
expect_exact 'pv' "with a PV console: output as before"

finish
