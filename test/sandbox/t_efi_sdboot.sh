#!/bin/bash
# SPDX-License-Identifier: MIT
# Debian's own systemd-boot (the x86_64 build of systemd-boot-efi, the
# architecture the sandbox runs natively) from a GPT disk's EFI System
# Partition: it finds its loader.conf and a Type #1 entry through
# SimpleFileSystem, shows its menu, starts the entry's EFI program through
# LoadImage from a device path with the entry's options, gets the menu back
# when that program returns, and quits when told to ("Q"): pvboot's prompt
# is back with nothing left behind.
. "$(dirname "$0")/lib.sh"

CACHE=${PVBOOT_CACHE:-$HOME/.cache/pvboot}/sandbox-debs
mkdir -p "$CACHE"
(
	flock 9
	cd "$CACHE" || exit 1
	ls systemd-boot-efi_*_amd64.deb >/dev/null 2>&1 || apt-get download systemd-boot-efi:amd64 \
		>/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get download \
		systemd-boot-efi:amd64 >/dev/null; }
) 9>"$CACHE/.lock"
deb=$(ls "$CACHE"/systemd-boot-efi_*_amd64.deb 2>/dev/null | tail -1)
if [ -z "$deb" ]; then
	bad "cannot fetch Debian's systemd-boot-efi"
	finish
	exit 1
fi
dpkg-deb -x "$deb" "$TMP/sd"
SDBOOT=$TMP/sd/usr/lib/systemd/boot/efi/systemd-bootx64.efi

APPS=$SRCTREE/build/efi-apps
make -s -C "$SRCTREE" -f test/efi/Makefile O="$APPS" >"$TMP/apps.log" 2>&1 || {
	cat "$TMP/apps.log"
	bad "cannot build the EFI test applications"
	finish
	exit 1
}

# GPT: an EFI System Partition (FAT) from sector 2048.
truncate -s 20M "$TMP/disk.img"
printf 'label: gpt\n2048,30720,C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n' | sfdisk -q "$TMP/disk.img"
truncate -s 15M "$TMP/esp"
mkfs.vfat "$TMP/esp" >/dev/null
mmd -i "$TMP/esp" ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries
mcopy -i "$TMP/esp" "$SDBOOT" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$TMP/esp" "$APPS/selftest-x86_64.efi" ::/selftest.efi
echo "not an image" >"$TMP/junk.txt"
mcopy -i "$TMP/esp" "$TMP/junk.txt" ::/junk.txt
printf 'timeout 1\n' >"$TMP/loader.conf"
mcopy -i "$TMP/esp" "$TMP/loader.conf" ::/loader/loader.conf
printf 'title Pvboot Selftest\nefi /selftest.efi\noptions hello from sd-boot\n' >"$TMP/e.conf"
mcopy -i "$TMP/esp" "$TMP/e.conf" ::/loader/entries/selftest.conf
dd if="$TMP/esp" of="$TMP/disk.img" bs=512 seek=2048 conv=notrunc status=none

# "Q" (quit) once the entry has run and the menu is back.
quit_after_entry() {
	for _ in $(seq 300); do
		grep -aq 'efi-selftest: [0-9]* passed' "$OUT.raw" 2>/dev/null && break
		sleep 0.1
	done
	sleep 1
	printf 'Q'
	sleep 2
}

sb_feed quit_after_entry --disk "$TMP/disk.img" -c 'load pvblock 0:1 ${kernel_addr_r} \
	/EFI/BOOT/BOOTX64.EFI; bootefi ${kernel_addr_r}; echo bootefi status $?; sim leakcheck'
expect_line 'Pvboot Selftest' "systemd-boot's menu shows the entry from loader/entries"
expect_line 'Boot in [0-9]+ s' "the countdown from loader.conf"
expect_exact 'efi-selftest: load options: hello from sd-boot' "the entry ran with its options"
expect_line '^efi-selftest: [0-9]+ passed, 0 failed$' "every check passed under systemd-boot"
expect_exact 'efi-selftest: LoadImage from our own device path, UnloadImage: ok' \
	"files and blocks were checked from inside"
expect_count 2 'Pvboot Selftest' "the menu came back after the entry returned"
expect_line '## Application returned \(success\)$' "systemd-boot quit with success"
expect_exact 'bootefi status 0' "the prompt is back"
expect_exact 'sim: leak check: no leak' "nothing left behind (files, mounts, handles)"
expect_status 0 "pvboot exits cleanly"

# Distro boot finds it on its own, after extlinux.conf and boot.scr (none
# here): EFI/BOOT/BOOTX64.EFI, run by bootefi with its device and path.
sb_feed quit_after_entry --disk "$TMP/disk.img" -c 'bootflow scan -lb; sim leakcheck'
expect_exact 'Found EFI removable media binary /EFI/BOOT/BOOTX64.EFI on pvblock 0:1' \
	"the scan found the removable media file"
expect_exact 'efi-selftest: load options: hello from sd-boot' "distro boot ran systemd-boot's entry"
expect_exact 'efi-selftest: FilePath: \selftest.efi: ok' \
	"the entry, loaded from a device path, knew its file"
expect_line '## Application returned \(success\)$' "systemd-boot quit back to the scan"
expect_exact 'sim: leak check: no leak' "nothing left behind after the scan"

finish
