#!/bin/bash
# SPDX-License-Identifier: MIT
# PXE as U-Boot does it: pxe get tries pxelinux.cfg/01-<mac>, the address in
# hex one digit shorter at a time, default-arm, default; pxe boot fetches the
# kernel, initrd and DT by TFTP and starts the kernel with nothing left
# behind; bootcmd tries the network after the disks; every failure is a
# clear error with the prompt back.
. "$(dirname "$0")/net_helpers.sh"
. "$(dirname "$0")/boot_helpers.sh"

mkdir -p "$SRV/boot/pxelinux.cfg"
fake_image "$SRV/boot/Image"
head -c 300000 /dev/urandom >"$SRV/boot/initrd.img"
conf() { # FILE LABEL APPEND
	printf 'default %s\nlabel %s\n  kernel Image\n  initrd initrd.img\n  append %s\n' \
		"$2" "$2" "$3" >"$SRV/boot/pxelinux.cfg/$1"
}
VIF="$SRV,bootfile=boot/pxelinux.0"

# 1. The MAC's file wins; relative names are under bootfile's directory.
conf 01-00-16-3e-5a-17-01 bymac "console=hvc0 from=mac"
conf C0A84D0A byip "console=hvc0 from=ip"
conf default bydefault "console=hvc0 from=default"
netsb "$TMP/mac" --vif "$VIF" -c 'dhcp; pxe get; printenv pxefile; pxe boot'
expect "$TMP/mac" "^Retrieving file: boot/pxelinux\.cfg/01-00-16-3e-5a-17-01$" "pxe get: the MAC's file first"
expect "$TMP/mac" "^pxefile=boot/pxelinux\.cfg/01-00-16-3e-5a-17-01$" "pxe get: pxefile set"
expect "$TMP/mac" "^Filename 'boot/Image'\.$" "pxe boot: kernel fetched relative to bootfile"
expect "$TMP/mac" "^Filename 'boot/initrd\.img'\.$" "pxe boot: initrd fetched"
expect "$TMP/mac" "would jump to Linux at 0x[0-9a-f]+" "pxe boot: kernel started"
expect "$TMP/mac" 'bootargs "console=hvc0 from=mac"' "pxe boot: the MAC's label"
expect "$TMP/mac" "initrd 0x43700000-0x437493e0" "pxe boot: initrd in /chosen"
expect "$TMP/mac" "hand-off clean" "pxe boot: nothing left behind (vif disconnected)"
expect "$TMP/mac" "netback0: frontend reset cleanly" "pxe boot: netback ready for the OS's netfront"

# 2. Then the address in hex, shortened; then default.
rm "$SRV/boot/pxelinux.cfg/01-00-16-3e-5a-17-01" "$SRV/boot/pxelinux.cfg/C0A84D0A"
conf C0A8 byprefix "console=hvc0 from=prefix"
netsb "$TMP/ip" --vif "$VIF" -c 'dhcp; pxe get; pxe boot'
for f in C0A84D0A C0A84D0 C0A84D C0A84 C0A8; do
	expect "$TMP/ip" "^Retrieving file: boot/pxelinux\.cfg/$f$" "pxe get: tried $f"
done
expect_not "$TMP/ip" "Retrieving file: boot/pxelinux\.cfg/C0A$" "pxe get: stops at the first found"
expect "$TMP/ip" 'bootargs "console=hvc0 from=prefix"' "pxe boot: the prefix's label"
rm "$SRV/boot/pxelinux.cfg/C0A8"
netsb "$TMP/default" --vif "$VIF" -c 'dhcp; pxe get; pxe boot'
expect "$TMP/default" "^Retrieving file: boot/pxelinux\.cfg/default-arm$" "pxe get: default-arm before default"
expect "$TMP/default" 'bootargs "console=hvc0 from=default"' "pxe boot: default"

# 3. bootcmd: the disks first (none here), then the network.
netsb "$TMP/bootcmd" --vif "$VIF" -c 'printenv boot_targets; run bootcmd'
expect "$TMP/bootcmd" "^boot_targets=pvblock pxe$" "boot_targets: disks, then PXE"
expect "$TMP/bootcmd" "^Trying PXE on netfront0$" "bootcmd: PXE tried"
expect "$TMP/bootcmd" 'bootargs "console=hvc0 from=default"' "bootcmd: booted over the network"
netsb "$TMP/nopxe" --vif "$VIF" -c 'setenv boot_targets pvblock; run bootcmd; echo ALIVE'
expect_not "$TMP/nopxe" "Trying PXE" "boot_targets without pxe: no network boot"
netsb "$TMP/novif" -c 'run bootcmd; echo ALIVE'
expect_not "$TMP/novif" "Trying PXE" "no vif: PXE not tried"
expect "$TMP/novif" "^ALIVE" "no vif: prompt alive"

# 4. Failures: no configuration at all, a kernel that is not there.
rm "$SRV/boot/pxelinux.cfg/default"
netsb "$TMP/noconf" --vif "$VIF" -c 'pxe get || echo NOIP; dhcp; pxe get || echo NOCONF; echo ALIVE'
expect "$TMP/noconf" "^NOIP" "pxe get before dhcp fails"
expect "$TMP/noconf" "^NOCONF" "pxe get without any configuration fails"
expect "$TMP/noconf" "^ALIVE" "pxe get: prompt alive"
printf 'label broken\n  kernel nothere\n' >"$SRV/boot/pxelinux.cfg/default"
netsb "$TMP/nokernel" --vif "$VIF" -c 'dhcp; pxe get; pxe boot || echo FAILED; echo ALIVE'
expect "$TMP/nokernel" "TFTP: server error 1: 'File not found'" "pxe boot: missing kernel named"
expect "$TMP/nokernel" "^FAILED" "pxe boot: missing kernel fails"
expect "$TMP/nokernel" "^ALIVE" "pxe boot: prompt alive"
finish
