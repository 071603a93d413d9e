#!/bin/bash
# SPDX-License-Identifier: MIT
# A hostile or broken netback: each fault ends in a clear error, a live
# prompt, no transfer reported as done that was not, no hang, and nothing
# left behind (every run is audited at exit). Faults that a correct
# frontend survives (lost frames, blank checksums, extra-info slots, frames
# split over slots) must still give byte-exact files.
. "$(dirname "$0")/net_helpers.sh"

mkfile f1m 1048576 7
F1M=$(hostcrc "$SRV/f1m" 0 1048576)
XFER='dhcp; tftpboot 40200000 f1m; wget 40200000 /f1m; echo ALIVE'
# Where nothing gets through, a fixed address fails faster (ARP) than DHCP's retries.
STATIC='setenv ipaddr 192.168.77.10; setenv netmask 255.255.255.0; setenv serverip 192.168.77.1
tftpboot 40200000 f1m; wget 40200000 /f1m; net info; echo ALIVE'

# net_fault NAME REGEX FAULT...: the transfer fails with REGEX in the transcript.
net_fault() {
	local name=$1 err=$2
	shift 2
	net "$TMP/$name" "$@" -c "${CMDS:-$XFER}"
	expect "$TMP/$name" "$err" "$name: clear error"
	expect_not "$TMP/$name" "Bytes transferred" "$name: no success reported"
	expect "$TMP/$name" "^ALIVE" "$name: prompt alive"
	expect_not "$TMP/$name" "VIOLATION" "$name: no protocol violation by pvboot"
}

net_fault bad-id "netfront0: response id does not match the request in its slot" --sim-fault=net-bad-id
net_fault bad-id-disabled "RX ring inconsistent; device disabled" --sim-fault=net-bad-id
net_fault garbage "device disabled" --sim-fault=net-garbage
net_fault rsp-prod "backend rx rsp_prod [0-9]+ is impossible" --sim-fault=net-rsp-prod-garbage
net_fault tx-bad-id "TX response for id [0-9]+ that is not in flight" --sim-fault=net-tx-bad-id
net_fault close-midway "netfront0: backend closed the device; device disabled" --sim-fault=net-close-midway=30
net_fault vanish "netfront0: backend closed the device; device disabled" --sim-fault=net-vanish=30
CMDS=$STATIC net_fault stall "ARP: no answer from 192\.168\.77\.1" --sim-fault=net-stall
CMDS=$STATIC net_fault oversize "ARP: no answer from 192\.168\.77\.1" --sim-fault=net-oversize
CMDS=$STATIC net_fault tx-error "ARP: no answer from 192\.168\.77\.1" --sim-fault=net-tx-error
# What was dropped is counted where a user looks.
expect "$TMP/oversize" "dropped: 0 errors, [1-9][0-9]* oversize" "oversize frames counted"
expect "$TMP/tx-error" "TX errors: [1-9]" "TX errors counted"

# Faults a correct frontend survives, byte-exact.
survive() { # name fault
	net "$TMP/$1" --sim-fault="$2" -c 'dhcp; tftpboot 40200000 f1m; crc32 40200000 ${filesize}; wget 40200000 /f1m; crc32 40200000 ${filesize}; net info'
	expect_crc "$TMP/$1" "$F1M" "$1: tftp byte-exact" 1
	expect_crc "$TMP/$1" "$F1M" "$1: wget byte-exact" 2
}
survive drop net-drop=7
expect "$TMP/drop" "TCP [1-9][0-9]* retransmits|[1-9][0-9]* duplicate ACKs" "drop: TCP recovered by retransmission"
survive csum-blank net-csum-blank
survive extra net-extra
# Every frame split over two slots (half, rest): put together byte-exact.
survive multi net-multi
expect "$TMP/multi" "received in several slots: [1-9][0-9]* " "multi: frames in two slots counted"

# Connection faults: the vif is skipped with the reason, the prompt lives.
net "$TMP/norxcopy" --sim-fault=net-no-rx-copy -c 'net list; echo ALIVE'
expect "$TMP/norxcopy" "backend does not offer feature-rx-copy" "no rx-copy: reason given"
expect "$TMP/norxcopy" "No network devices" "no rx-copy: no device"
expect "$TMP/norxcopy" "^ALIVE" "no rx-copy: prompt alive"
net "$TMP/nohotplug" --sim-fault=net-no-hotplug -c 'net list; echo ALIVE'
expect "$TMP/nohotplug" "backend did not connect within [0-9]+ ms \(its hotplug script" "no hotplug: reason given"
expect "$TMP/nohotplug" "^ALIVE" "no hotplug: prompt alive"

# After the backend closed, the device refuses at once; a rescan connects again.
net "$TMP/rescan" --sim-fault=net-close-midway=30 -c "$XFER"'; sim fault clear; tftpboot 40200000 f1m || echo REFUSED
net rescan; dhcp; tftpboot 40200000 f1m; crc32 40200000 ${filesize}'
expect "$TMP/rescan" "^REFUSED" "closed device: later transfers refused"
expect "$TMP/rescan" "1 network device\(s\)" "rescan: the vif is back"
expect_crc "$TMP/rescan" "$F1M" "rescan: transfers work again"

# xl network-detach: netback goes Closing but keeps the data flowing; pvboot
# must notice during a transfer (it looks at the state twice a second), and
# at the prompt, and let go so that the backend can finish. One transfer can
# end before the first look (8 MiB takes ~60 ms now that waits sleep in the
# simulated Xen): transfers go on until one fails, 20 at most.
mkfile f8m 8388608 8
net "$TMP/detach" --sim-fault=net-detach=50 -c 'dhcp; setenv tftpwindowsize 1
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
if test -z "${gone}"; then tftpboot 40200000 f8m || setenv gone 1; fi; done
if test -n "${gone}"; then echo FAILED; fi; echo ALIVE'
expect "$TMP/detach" "netfront0: backend closed the device; device disabled" "detach mid-transfer: clear error"
expect "$TMP/detach" "^FAILED" "detach mid-transfer: the transfer fails"
expect "$TMP/detach" "netback0: detached, frontend let go" "detach mid-transfer: the frontend let go"
expect "$TMP/detach" "^ALIVE" "detach mid-transfer: prompt alive"
net "$TMP/detach-idle" -c 'dhcp; sim fault net-detach; ping 192.168.77.1; sleep 1; tftpboot 40200000 f1m || echo FAILED; echo ALIVE'
expect "$TMP/detach-idle" "backend closed the device; device disabled" "detach while idle: clear error"
expect "$TMP/detach-idle" "^FAILED" "detach while idle: the next transfer fails"
expect "$TMP/detach-idle" "^ALIVE" "detach while idle: prompt alive"

# Ctrl-C stops a transfer from a server that went quiet, and the prompt is back.
feed_ctrlc() {
	printf 'dhcp\r'
	sleep 1
	printf 'sim fault peer-tftp-mute\rtftpboot 40200000 f1m\r'
	wait_output '^Loading:'
	sleep 0.5
	printf '\003'
	sleep 0.5
	printf 'echo ALIVE\r'
	sleep 0.5
}
sb_feed feed_ctrlc --vif "$SRV"
sed -i 's/\r$//' "$OUT"
expect_line "TFTP of 'f1m' failed: interrupted" "ctrl-c: transfer interrupted"
expect_line "^ALIVE" "ctrl-c: prompt alive"
finish
