#!/bin/bash
# SPDX-License-Identifier: MIT
# The network commands against the simulated server: dhcp sets U-Boot's
# variables, ping, tftpboot and wget are byte-exact (crc32) and report size,
# time and rate, and every refusal (missing file, HTTP errors, a load that
# would leave RAM or overwrite pvboot, no address yet) is a clear error with
# the prompt back and nothing written.
. "$(dirname "$0")/net_helpers.sh"

mkfile f3m 3145728 1
mkfile small 1000 2
mkfile empty 0 3
mkfile exact 2936 4 # exactly two 1468-byte blocks: ends with an empty block
F3M=$(hostcrc "$SRV/f3m" 0 3145728)

# 1. DHCP: the lease in the environment, the MAC from XenStore.
net "$TMP/dhcp" -c 'printenv ethaddr; dhcp; printenv ipaddr netmask gatewayip serverip dnsip hostname; net list'
expect "$TMP/dhcp" "^ethaddr=00:16:3e:5a:17:01$" "ethaddr from the vif's mac node"
expect "$TMP/dhcp" "DHCP client bound to address 192\.168\.77\.10 \([0-9]+ ms\)" "dhcp: lease"
expect "$TMP/dhcp" "^ipaddr=192\.168\.77\.10$" "ipaddr set"
expect "$TMP/dhcp" "^netmask=255\.255\.255\.0$" "netmask set"
expect "$TMP/dhcp" "^gatewayip=192\.168\.77\.1$" "gatewayip set"
expect "$TMP/dhcp" "^serverip=192\.168\.77\.1$" "serverip set"
expect "$TMP/dhcp" "^dnsip=192\.168\.77\.1$" "dnsip set"
expect "$TMP/dhcp" "^hostname=guest1$" "hostname set"
expect "$TMP/dhcp" "^eth0: netfront0 00:16:3e:5a:17:01 mtu 1500 active" "net list"

# A MAC given by the toolstack is the one used; bootfile comes from the offer.
netsb "$TMP/mac" --vif "$SRV,mac=00:16:3e:01:02:03,bootfile=boot/pxelinux.0" -c 'dhcp; printenv ethaddr bootfile'
expect "$TMP/mac" "^ethaddr=00:16:3e:01:02:03$" "ethaddr follows the vif's mac"
expect "$TMP/mac" "^bootfile=boot/pxelinux\.0$" "bootfile from DHCP"

# 2. ping: the server answers; an address nobody has does not, within bounds.
net "$TMP/ping" -c 'dhcp; ping 192.168.77.1; ping 192.168.77.99; echo ALIVE'
expect "$TMP/ping" "host 192\.168\.77\.1 is alive \([0-9.]+ ms\)" "ping the server"
expect "$TMP/ping" "ping failed; host 192\.168\.77\.99 is not alive" "ping nobody: clear error"
expect "$TMP/ping" "ARP: no answer from 192\.168\.77\.99" "ping nobody: ARP says why"
expect "$TMP/ping" "^ALIVE" "ping: prompt alive"

# 3. TFTP: byte-exact with the defaults, lock-step, small blocks, tiny and empty files.
net "$TMP/tftp" -c 'dhcp; tftpboot 40200000 f3m; crc32 40200000 ${filesize}; printenv filesize fileaddr
setenv tftpwindowsize 1; tftpboot 40200000 192.168.77.1:f3m; crc32 40200000 ${filesize}
setenv tftpblocksize 512; tftpboot 40200000 f3m; crc32 40200000 ${filesize}
tftpboot 40200000 small; crc32 40200000 ${filesize}; tftpboot 40200000 exact; crc32 40200000 ${filesize}
mw.b 40200000 aa 10; tftpboot 40200000 empty; printenv filesize'
expect "$TMP/tftp" "^Bytes transferred = 3145728 \(300000 hex\)" "tftp: size reported"
expect "$TMP/tftp" "^3145728 bytes read in [0-9]+ ms \([0-9.]+ [KM]iB/s\)" "tftp: time and rate"
expect_crc "$TMP/tftp" "$F3M" "tftp: windowsize 16, blksize 1468: byte-exact" 1
expect "$TMP/tftp" "^filesize=300000$" "tftp: filesize set"
expect "$TMP/tftp" "^fileaddr=40200000$" "tftp: fileaddr set"
expect_crc "$TMP/tftp" "$F3M" "tftp: lock-step (windowsize 1): byte-exact" 2
expect_crc "$TMP/tftp" "$F3M" "tftp: blksize 512: byte-exact" 3
expect_crc "$TMP/tftp" "$(hostcrc "$SRV/small" 0 1000)" "tftp: one short block" 4
expect_crc "$TMP/tftp" "$(hostcrc "$SRV/exact" 0 2936)" "tftp: ends with an empty block" 5
expect "$TMP/tftp" "^filesize=0$" "tftp: empty file"

# Block numbers wrap past 65535 (33 MiB in 512-byte blocks), as tftpd-hpa does.
mkfile f33m 34603008 5
net "$TMP/wrap" -m 256 -c 'dhcp; setenv tftpblocksize 512; setenv tftpwindowsize 64; tftpboot 40200000 f33m; crc32 40200000 ${filesize}'
expect_crc "$TMP/wrap" "$(hostcrc "$SRV/f33m" 0 34603008)" "tftp: block numbers wrap (67584 blocks)"

# 4. wget: U-Boot's legacy syntax and URLs.
net "$TMP/wget" -c 'dhcp; wget 40200000 /f3m; crc32 40200000 ${filesize}; printenv filesize
wget 40200000 192.168.77.1:/f3m; crc32 40200000 ${filesize}
wget 40200000 http://192.168.77.1/f3m; crc32 40200000 ${filesize}
wget 40200000 http://192.168.77.1:80/small; crc32 40200000 ${filesize}
setenv loadaddr 40400000; wget f3m; crc32 40400000 ${filesize}; net info'
expect "$TMP/wget" "^HTTP from 192\.168\.77\.1:80, GET /f3m" "wget: what is fetched"
expect "$TMP/wget" "^3145728 bytes read in [0-9]+ ms \([0-9.]+ [KM]iB/s\)" "wget: time and rate"
expect_crc "$TMP/wget" "$F3M" "wget /path: byte-exact" 1
expect "$TMP/wget" "^filesize=300000$" "wget: filesize set"
expect_crc "$TMP/wget" "$F3M" "wget ip:/path: byte-exact" 2
expect_crc "$TMP/wget" "$F3M" "wget http://ip/path: byte-exact" 3
expect_crc "$TMP/wget" "$(hostcrc "$SRV/small" 0 1000)" "wget http://ip:port/path" 4
expect_crc "$TMP/wget" "$F3M" "wget to \${loadaddr}" 5
# Segments the server did not cut (GSO, as Linux's netback gives them) come in
# several slots, up to 64 KiB each.
expect "$TMP/wget" "received in several slots: [1-9][0-9]* \(largest [1-9][0-9]{4} bytes\)" \
	"wget: 64 KiB TCP segments (GSO) taken in several slots"

# 5. Refusals: each a clear message, a failed status, the prompt back.
net "$TMP/err" -c 'tftpboot 40200000 f3m || echo NOIP; dhcp
tftpboot 40200000 nothere || echo TFTP404; wget 40200000 /nothere || echo HTTP404
tftpboot 40200000 ../etc/passwd || echo ESCAPE
wget 40200000 http://server/f3m || echo NODNS; wget 40200000 http://192.168.77.1:99999/f || echo BADPORT
setenv serverip; tftpboot 40200000 f3m || echo NOSERVER; echo ALIVE'
expect "$TMP/err" "ERROR: .ipaddr' not set" "no address yet: says so"
expect "$TMP/err" "^NOIP" "no address yet: fails"
expect "$TMP/err" "TFTP: server error 1: 'File not found'" "tftp: missing file named by the server"
expect "$TMP/err" "^TFTP404" "tftp: missing file fails"
expect "$TMP/err" "HTTP: server answered 404 Not Found" "wget: 404 shown"
expect "$TMP/err" "^HTTP404" "wget: 404 fails"
expect "$TMP/err" "^ESCAPE" "tftp: no way out of the served directory"
expect "$TMP/err" "the host must be an IPv4 address \(no DNS\)" "wget: names refused with a reason"
expect "$TMP/err" "^NODNS" "wget: names fail"
expect "$TMP/err" "bad port" "wget: bad port refused"
expect "$TMP/err" "ERROR: .serverip' not set" "no server: says so"
expect "$TMP/err" "^ALIVE" "refusals: prompt alive"
expect_not "$TMP/err" "Bytes transferred" "refusals: nothing reported as loaded"

# The load-address check: outside RAM, over what pvboot reserves, or a file
# that grows past the room it has; a file whose size is announced (tsize,
# Content-Length) is refused before a byte is written (the canary's crc stays).
net "$TMP/gate" -c 'dhcp; tftpboot 0 f3m || echo LOW; wget 0 /f3m || echo WLOW
mw.b 46d00000 5a 100000; crc32 46d00000 100000
tftpboot 46d00000 f3m || echo HIGH; wget 46d00000 /f3m || echo WHIGH; crc32 46d00000 100000
echo ALIVE'
expect "$TMP/gate" "^## Cannot write 0x0-0x1: outside RAM" "gate: below RAM refused"
expect "$TMP/gate" "^LOW" "gate: tftp to 0 fails"
expect "$TMP/gate" "^WLOW" "gate: wget to 0 fails"
expect "$TMP/gate" "would overwrite memory reserved by pvboot" "gate: pvboot's memory refused"
expect "$TMP/gate" "^HIGH" "gate: tftp over pvboot fails (size known from tsize)"
expect "$TMP/gate" "^WHIGH" "gate: wget over pvboot fails (size known from Content-Length)"
canary=$(grep -Eo '==> [0-9a-f]{8}' "$TMP/gate" | sed -n 1p)
if [ -n "$canary" ] && [ "$(grep -Eo '==> [0-9a-f]{8}' "$TMP/gate" | sed -n 2p)" = "$canary" ]; then
	ok "gate: nothing written by the refused loads"
else
	bad "gate: the memory at the refused load address changed"
fi
expect "$TMP/gate" "^ALIVE" "gate: prompt alive"
expect_not "$TMP/gate" "Bytes transferred" "gate: nothing reported as loaded"

# Without a size (a server that ignores tsize), every block is checked as it comes.
net "$TMP/gate2" --sim-fault=peer-tftp-nooptions -c 'dhcp; tftpboot 0 f3m || echo LOW
tftpboot 46d00000 f3m || echo GROWN; echo ALIVE'
expect "$TMP/gate2" "^## Cannot write 0x0-0x1: outside RAM" "gate, no size: below RAM refused"
expect "$TMP/gate2" "^LOW" "gate, no size: tftp to 0 fails"
expect "$TMP/gate2" "^## Cannot write 0x46d00000-.*: it would overwrite memory reserved by pvboot" "gate, no size: stops at pvboot's memory"
expect "$TMP/gate2" "^GROWN" "gate, no size: the transfer fails"
expect "$TMP/gate2" "^ALIVE" "gate, no size: prompt alive"
expect_not "$TMP/gate2" "Bytes transferred" "gate, no size: nothing reported as loaded"

# HTTP responses pvboot cannot or must not take.
for f in "peer-http-chunked:chunked transfer encoding is not supported" \
	"peer-http-short:connection closed after [0-9]+ of 3145728 bytes" \
	"peer-http-huge-header:response header larger than 4096 bytes" \
	"peer-http-status=500:server answered 500"; do
	name=${f%%:*}
	net "$TMP/$name" --sim-fault="$name" -c 'dhcp; wget 40200000 /f3m || echo FAILED; echo ALIVE'
	expect "$TMP/$name" "${f#*:}" "$name: clear error"
	expect "$TMP/$name" "^FAILED" "$name: fails"
	expect "$TMP/$name" "^ALIVE" "$name: prompt alive"
done

# A server that never answers: bounded by tftptimeout x tftptimeoutcountmax.
net "$TMP/mute" --sim-fault=peer-tftp-mute -c 'dhcp; setenv tftptimeout 200; setenv tftptimeoutcountmax 3; tftpboot 40200000 f3m || echo FAILED; echo ALIVE'
expect "$TMP/mute" "no answer from the server after 3 tries" "tftp mute server: clear error"
expect "$TMP/mute" "^ALIVE" "tftp mute server: prompt alive"

# Help for every network command.
net "$TMP/help" -c 'help dhcp; help ping; help tftpboot; help tftp; help wget; help net; help pxe'
for c in "dhcp - boot image via network" "ping - send ICMP ECHO_REQUEST" \
	"tftpboot - load file via network using TFTP" "wget - load file via network using HTTP" \
	"net - Xen PV network devices" "pxe - commands to get and boot from pxe files"; do
	expect "$TMP/help" "^$c" "help: ${c%% *}"
done
finish
