#!/bin/bash
# SPDX-License-Identifier: MIT
# UEFI in the sandbox: pvboot's UEFI code runs a real x86_64 PE/COFF
# application (test/efi/selftest.c, built with gnu-efi's crt0 and linker
# script) that checks the services it is given; then the ways an image
# ends (returns, Exit() with exit data from deep inside, returns an error)
# each give the prompt back with nothing left behind, and bad images and
# addresses are refused with a reason.
. "$(dirname "$0")/lib.sh"

APPS=$SRCTREE/build/efi-apps
make -s -C "$SRCTREE" -f test/efi/Makefile O="$APPS" >"$TMP/apps.log" 2>&1 || {
	cat "$TMP/apps.log"
	bad "cannot build the EFI test applications"
	finish
	exit 1
}

# An MBR disk with one FAT partition holding the applications and a text file.
truncate -s 16M "$TMP/esp.img"
printf 'label: dos\n2048,,ef\n' | sfdisk -q "$TMP/esp.img"
truncate -s 15M "$TMP/p1"
mkfs.vfat "$TMP/p1" >/dev/null
mcopy -i "$TMP/p1" "$APPS/selftest-x86_64.efi" ::/selftest.efi
mcopy -i "$TMP/p1" "$APPS/selftest-aarch64.efi" ::/aa64.efi
echo "not an image" >"$TMP/junk.txt"
mcopy -i "$TMP/p1" "$TMP/junk.txt" ::/junk.txt
dd if="$TMP/p1" of="$TMP/esp.img" bs=512 seek=2048 conv=notrunc status=none
LOAD='load pvblock 0:1 ${kernel_addr_r}'

# 1. The application checks the services, returns success.
sb --disk "$TMP/esp.img" -c "$LOAD /selftest.efi; setenv bootargs hello efi; bootefi \${kernel_addr_r};
	sim leakcheck"
expect_line '^efi-selftest: [0-9]+ passed, 0 failed$' "every service check passed in the image"
expect_no 'efi-selftest: .*FAILED' "no check failed"
expect_exact 'efi-selftest: load options: hello efi' "bootargs became the load options"
expect_exact 'efi-selftest: FilePath: \selftest.efi: ok' "the image knows the file it came from"
expect_exact 'efi-selftest: Read the whole file: ok' "SimpleFileSystem reads a file beside it"
expect_exact 'efi-selftest: DiskIO ReadDisk at a byte offset: ok' "BlockIO and DiskIO on its partition"
expect_exact 'efi-selftest: LoadImage from our own device path, UnloadImage: ok' \
	"LoadImage from a device path"
expect_exact '## Application returned (success)' "the application returned success"
expect_exact 'sim: leak check: no leak' "UEFI's teardown freed everything"
expect_exact 'efi-selftest: sequential 24 KiB ReadBlocks give what one ReadDisk gives: ok' \
	"small sequential BlockIO reads return the disk's bytes"
# Those 86 reads reach the backend as a few 1 MiB read-ahead fills (without: over 100 requests).
reqs=$(sed -n 's/^sim: blkback 0: frontend closed after \([0-9]*\) requests.*/\1/p' "$OUT" | head -1)
if [ -n "$reqs" ] && [ "$reqs" -le 40 ]; then ok "read-ahead: $reqs backend requests in all"; else
	bad "read-ahead: ${reqs:-no} backend requests in all (expected at most 40)"
fi
expect_status 0 "pvboot exits cleanly (no sanitizer report)"

# 2. Exit() with an error and exit data from five calls deep, then the
#    prompt is live and a second run in the same session works again.
sb --disk "$TMP/esp.img" -c "$LOAD /selftest.efi; setenv bootargs exit; bootefi \${kernel_addr_r};
	echo status \$?; setenv bootargs; bootefi \${kernel_addr_r}; echo second \$?; sim leakcheck"
expect_exact '## Application failed, r = 0x8000000000000015 (aborted): selftest exits' \
	"Exit() status and exit data reported"
expect_exact 'status 1' "bootefi fails when the image fails"
expect_count 2 '^efi-selftest: [0-9]+ passed, 0 failed$' "the image ran twice"
expect_exact 'second 0' "the second run in the same session succeeded"
expect_exact 'sim: leak check: no leak' "nothing leaked after Exit() jumped over the image's frames"

# 3. An image that returns an error.
sb --disk "$TMP/esp.img" -c "$LOAD /selftest.efi; setenv bootargs fail; bootefi \${kernel_addr_r}"
expect_exact '## Application failed, r = 0x8000000000000001 (load error)' "error status reported"

# 4. What is not an image, or not for this machine, or not in RAM.
sb --disk "$TMP/esp.img" -c "$LOAD /junk.txt; bootefi \${kernel_addr_r}; echo junk \$?;
	$LOAD /aa64.efi; bootefi \${kernel_addr_r}; echo aa64 \$?;
	bootefi 41000000; echo nosize \$?;
	bootefi 48000000:1000; echo outside \$?;
	bootefi \${kernel_addr_r}:10000 42000000; echo nofdt \$?"
expect_line 'EFI: not an image this machine can run: too short for a DOS header' "a text file"
expect_exact 'junk 1' "refused"
expect_line 'EFI: not an image this machine can run: built for another machine' "an AArch64 image"
expect_exact 'aa64 1' "refused"
expect_line 'bootefi: the size of the image at 0x41000000 is unknown' "no size, nothing loaded"
expect_exact 'nosize 1' "refused"
expect_line '## Cannot read 0x48000000-0x48001000: outside RAM' "outside RAM (the memory gate)"
expect_exact 'outside 1' "refused"
expect_line 'bootefi: no valid device tree at 0x42000000' "a DT address with no DT"
expect_exact 'nofdt 1' "refused"
expect_status 0 "pvboot exits cleanly"

# 5. Linux's initrd: the last file loaded to ${ramdisk_addr_r} is offered
#    through LoadFile2 at LINUX_EFI_INITRD_MEDIA_GUID; the selftest reads it.
sb --disk "$TMP/esp.img" -c "load pvblock 0:1 \${ramdisk_addr_r} /junk.txt; $LOAD /selftest.efi;
	setenv bootargs initrd; bootefi \${kernel_addr_r}; sim leakcheck"
expect_line '^EFI: initrd at 0x[0-9a-f]+ \(13 bytes\) offered through LoadFile2$' "initrd offered"
expect_exact 'efi-selftest: initrd: the bytes: ok' "the stub's two LoadFile2 calls get the file"
expect_line '^efi-selftest: [0-9]+ passed, 0 failed$' "every check passed with an initrd"
expect_exact 'sim: leak check: no leak' "nothing left behind"

# 6. ExitBootServices: a stale map key is refused, the right one is the
#    hand-off (every device disconnected, every grant and port released);
#    an image that comes back after it gets a reset, not a dead prompt.
sb --disk "$TMP/esp.img" -c "$LOAD /selftest.efi; setenv bootargs ebs; bootefi \${kernel_addr_r};
	echo prompt after ExitBootServices"
expect_exact 'efi-selftest: ExitBootServices with a stale key is refused: ok' "stale key refused"
expect_exact '## ExitBootServices: handing the machine over' "the hand-off ran"
expect_line '^sim: blkback 0: frontend closed' "the disk was disconnected for the OS"
closed=$(grep -n '^sim: blkback 0: frontend closed' "$OUT" | head -1 | cut -d: -f1)
back=$(grep -n 'EFI: the image returned after ExitBootServices: resetting' "$OUT" | cut -d: -f1)
if [ -n "$closed" ] && [ -n "$back" ] && [ "$closed" -lt "$back" ]; then
	ok "the disk was disconnected by ExitBootServices, before the image came back"
else
	bad "the disk was not disconnected by ExitBootServices (closed at line ${closed:-?}, back at ${back:-?})"
fi
expect_no 'prompt after ExitBootServices' "no prompt without devices"
expect_status 16 "an image returning after ExitBootServices resets the guest"

# 7. Keys through SimpleTextInput: terminal escape sequences become scan codes;
#    a lone ESC followed by a key is both keys; UTF-8, Backspace and Enter.
KEYS='a\033[A\033[B\033[5~\033OP\033[24~\033x\303\251\177\rq'
sb_script "$KEYS" --disk "$TMP/esp.img" -c "$LOAD /selftest.efi; setenv bootargs keys;
	bootefi \${kernel_addr_r}"
expect_exact 'efi-selftest: key scan 0 char 0x61' "a plain key"
expect_exact 'efi-selftest: key scan 1 char 0x0' "up"
expect_exact 'efi-selftest: key scan 2 char 0x0' "down"
expect_exact 'efi-selftest: key scan 9 char 0x0' "page up"
expect_exact 'efi-selftest: key scan 11 char 0x0' "F1 (SS3)"
expect_exact 'efi-selftest: key scan 22 char 0x0' "F12"
expect_exact 'efi-selftest: key scan 23 char 0x0' "ESC alone"
expect_exact 'efi-selftest: key scan 0 char 0x78' "the key typed right after ESC"
expect_exact 'efi-selftest: key scan 0 char 0xe9' "UTF-8 input"
expect_exact 'efi-selftest: key scan 0 char 0x8' "DEL is Backspace"
expect_exact 'efi-selftest: key scan 0 char 0xd' "Enter is a carriage return"
expect_count 12 '^efi-selftest: key ' "twelve keys, nothing more"

sb_script 'b\033[Dq' --disk "$TMP/esp.img" -c "$LOAD /selftest.efi; setenv bootargs keysex;
	bootefi \${kernel_addr_r}"
expect_exact 'efi-selftest: key scan 0 char 0x62 shift 0x80000000' "ReadKeyStrokeEx"
expect_exact 'efi-selftest: key scan 4 char 0x0 shift 0x80000000' "left, through WaitForKeyEx"

finish
