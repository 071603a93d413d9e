#!/bin/bash
# SPDX-License-Identifier: MIT
# Disk lifetime: a disk that failed, disconnected or was rescanned is removed
# through the device registry and is never reached afterwards, whoever held
# it (the block layer, `pvblock info`, a distro-boot scan whose script
# rescans, a hand-off that was refused). ASan turns any access to a freed
# disk into a crash, which these runs must not have.
. "$(dirname "$0")/pvblock_helpers.sh"

mkimg "$TMP/d.img" 4 31
CRC=$(hostcrc "$TMP/d.img" 0 4194304)

# The backend closes mid-transfer; once it is healthy again, a rescan
# removes the failed disk and connects a new one that reads byte-exact.
sb_to "$TMP/closed" --disk "$TMP/d.img" --sim-fault=blk-close-midway=2 \
	-c 'pvblock read 40200000 0 2000; sim fault clear; pvblock rescan; pvblock info; pvblock read 40200000 0 2000; crc32 40200000 400000; echo ALIVE'
expect_not "$TMP/closed" "AddressSanitizer" "closed disk, rescan: no use after free"
expect "$TMP/closed" "backend closed the device; disk disabled" "closed disk: the read fails first"
expect "$TMP/closed" "pvblock: 1 disk\(s\)" "rescan connects the disk again"
expect_not "$TMP/closed" "Xen: device/vbd/[0-9]+.*FAILED" "the failed disk is gone from pvblock info"
expect_crc "$TMP/closed" "$CRC" "the new disk reads byte-exact"
expect "$TMP/closed" "^ALIVE" "closed disk, rescan: prompt alive"

# A hand-off refused because the backend kept our pages mapped: the disk
# that failed before is removed with the rest, and nothing reaches it later.
# Three single-block reads make sure the disk has failed before booti
# (earlier if loading the environment at start-up read it); the Image
# header is written in memory, so booti does not depend on the disk.
pre='pvblock read 44000000 0 1; pvblock read 44000000 0 1; pvblock read 44000000 0 1'
hdr='mw.l 40200000 0 10; mw.l 40200000 14000010; mw.l 40200010 1000000; mw.l 40200018 a; mw.l 40200038 644d5241'
SB_EXPECT_NOT_CLEAN=1 sb_to "$TMP/refused" --disk "$TMP/d.img" --sim-fault=blk-close-midway=2 --sim-fault=blk-keep-mapped \
	-c "$pre; $hdr; booti 40200000 - \${fdtcontroladdr}; echo ALIVE; pvblock info; pvblock read 44000000 0 8; echo ALIVE2"
expect_not "$TMP/refused" "AddressSanitizer" "refused hand-off: no use after free"
expect "$TMP/refused" "not booting" "refused hand-off: booti says so"
failed=$(grep -n "backend closed the device; disk disabled" "$TMP/refused" | head -1 | cut -d: -f1)
refused=$(grep -n "not booting" "$TMP/refused" | head -1 | cut -d: -f1)
if [ -n "$failed" ] && [ -n "$refused" ] && [ "$failed" -lt "$refused" ]; then
	ok "refused hand-off: the disk had failed before booti"
else
	bad "refused hand-off: the disk did not fail before booti (lines ${failed:-none}, ${refused:-none})"
fi
expect "$TMP/refused" "no pvblock devices available" "refused hand-off: no disk left registered"
expect "$TMP/refused" "^ALIVE2" "refused hand-off: prompt alive"
# The backend that kept our pages is what the exit audit must report.
expect "$TMP/refused" "## Sandbox: exit NOT clean" "refused hand-off: the kept pages are reported at exit"

# Distro boot: a boot script that rescans (removing the disk being scanned
# and registering a new one) must leave the scan with nothing dangling, and
# the new disk is not scanned again in the same pass (no endless loop).
mkdir -p "$TMP/root"
printf 'echo rescanning\npvblock rescan\nfalse\n' >"$TMP/rescan.cmd"
mkimage -A arm64 -O linux -T script -C none -n rescan -d "$TMP/rescan.cmd" "$TMP/root/boot.scr" >/dev/null
truncate -s 16M "$TMP/s.img"
printf 'label: dos\n2048,,83,*\n' | sfdisk -q "$TMP/s.img"
truncate -s 15M "$TMP/s.p1"
mkfs.ext4 -q -d "$TMP/root" "$TMP/s.p1"
dd if="$TMP/s.p1" of="$TMP/s.img" bs=512 seek=2048 conv=notrunc status=none
sb_to "$TMP/scan" --disk "$TMP/s.img" -c 'bootflow scan -lb; echo ALIVE'
expect_not "$TMP/scan" "AddressSanitizer" "script rescans during the scan: no use after free"
if [ "$(grep -c '^rescanning' "$TMP/scan")" = 1 ]; then
	ok "the script ran once: the disk registered by its rescan waits for the next scan"
else
	bad "the script ran $(grep -c '^rescanning' "$TMP/scan") times, expected once"
fi
expect "$TMP/scan" "^ALIVE" "scan with a rescanning script: prompt alive"

# A backend that comes back from Closed late after a frontend let go (Xen
# 4.20's dom0): a rescan waits for it instead of dropping the disk, and
# the disk numbers stay as they were.
mkimg "$TMP/small.img" 1 7
sb_to "$TMP/slow" --disk "$TMP/d.img" --disk "$TMP/small.img" --sim-fault=blk-slow-reinit=400 \
	-c 'pvblock rescan; pvblock rescan; pvblock read 40200000 0 2000; crc32 40200000 400000; echo ALIVE'
expect "$TMP/slow" "fault blk-slow-reinit" "slow re-init: the fault acted"
expect_not "$TMP/slow" "not connected|disk skipped" "slow re-init: no disk dropped"
expect "$TMP/slow" "pvblock: 2 disk\(s\)" "slow re-init: both disks after the rescans"
expect_crc "$TMP/slow" "$CRC" "slow re-init: pvblock 0 is still the first disk"
expect "$TMP/slow" "^ALIVE" "slow re-init: prompt alive"
finish
