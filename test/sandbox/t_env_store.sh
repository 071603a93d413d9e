#!/bin/bash
# SPDX-License-Identifier: MIT
# The environment on a FAT partition (the sandbox build is redundant:
# uboot.env and uboot-redund.env): saveenv, the next boot loads it; what
# mtools, fsck.fat and Linux's fw_printenv/fw_setenv see; missing and
# damaged files; env export/import/default; saveenv on a read-only disk;
# and faults during saveenv (a write refused, the backend closing, the
# domain destroyed after each write in turn) never lose the environment
# saved before. Boot counting (bootcount/bootlimit/altbootcmd) over reboots.
. "$(dirname "$0")/lib.sh"
export MTOOLS_SKIP_CHECK=1

# An MBR disk: an ext4 partition first, then the FAT one the environment finds.
mkdisk() {
	truncate -s 96M "$1"
	printf 'label: dos\n,16M,83\n,,c\n' | sfdisk -q "$1" >/dev/null
	mkfs.ext4 -q -F -E offset=$((2048 * 512)) "$1" 16M
	# --offset counts sectors; the size is in KiB.
	mkfs.vfat -F 32 -s 1 --offset=$((2048 + 16 * 2048)) "$1" $(((96 - 17) * 1024)) >/dev/null
}
FAT="@@$((2048 * 512 + 16 * 1024 * 1024))"
mt() { mtype -i "$1$FAT" "::$2" 2>/dev/null; }
fsck_fat() { # the FAT partition, checked read-only
	python3 - "$1" "$TMP/fat.part" <<-'PY'
	import sys
	d = open(sys.argv[1], 'rb').read()
	open(sys.argv[2], 'wb').write(d[2048 * 512 + 16 * 1024 * 1024:])
	PY
	fsck.fat -n "$TMP/fat.part" >"$TMP/fsck.out" 2>&1
}
expect_fsck_clean() {
	if fsck_fat "$1"; then ok "${2:-fsck.fat -n clean}"; else
		bad "${2:-fsck.fat -n clean}: $(sed -n 2,4p "$TMP/fsck.out" | tr '\n' ' ')"
	fi
}
printf '%s 0x0000 0x4000\n%s 0x0000 0x4000\n' "$TMP/u.env" "$TMP/r.env" >"$TMP/fw_env.config"
fw_get() { # copy both files out, run fw_printenv
	mcopy -n -o -i "$1$FAT" ::/uboot.env "$TMP/u.env"
	mcopy -n -o -i "$1$FAT" ::/uboot-redund.env "$TMP/r.env" 2>/dev/null ||
		head -c 16384 /dev/zero >"$TMP/r.env"
	fw_printenv -c "$TMP/fw_env.config" "$2" 2>/dev/null
}

D=$TMP/disk.img
mkdisk "$D"

# 1. No file yet: a clear warning and the defaults.
sb --disk "$D" -c 'printenv bootcmd; env info'
expect_line '^Loading Environment from FAT\.\.\. \*\*\* Warning - pvblock 0:2 uboot.env: not found, using default environment$' "a missing file is reported"
expect_exact "bootcmd=run distro_bootcmd" "the defaults stay"
expect_line "env_location = FAT, pvblock 0:2 uboot.env" "env info: the first FAT partition (0:2)"
expect_line "env_valid = invalid" "env info: nothing loaded"

# 2. saveenv; the next boot has the value; two saves fill both copies.
sb --disk "$D" -c 'setenv pvtest "one two"; saveenv; setenv pvtest three; env save'
expect_line '^Saving Environment to FAT\.\.\. OK \(pvblock 0:2 uboot.env\)$' "the first save goes to uboot.env"
expect_line '^Saving Environment to FAT\.\.\. OK \(pvblock 0:2 uboot-redund.env\)$' "the next to uboot-redund.env"
expect_status 0
sb --disk "$D" -c 'printenv pvtest; env info'
expect_line '^Loading Environment from FAT\.\.\. OK \(pvblock 0:2 uboot-redund.env\)$' "the newer copy is loaded"
expect_exact "pvtest=three" "the saved value is there after a reboot"
expect_line "env_flags = 2" "its serial is 2"
expect_fsck_clean "$D"
if [ "$(mt "$D" /uboot.env | wc -c)" = 16384 ] && mt "$D" /uboot.env | grep -aq 'pvtest=one two'; then
	ok "mtools reads uboot.env: 16 KiB, the first save"
else
	bad "mtools does not see uboot.env as written"
fi
if [ "$(fw_get "$D" pvtest)" = "pvtest=three" ]; then
	ok "fw_printenv (two-line fw_env.config) reads pvboot's environment"
else
	bad "fw_printenv: '$(fw_get "$D" pvtest)'"
fi

# 3. Linux's fw_setenv writes; pvboot honours it.
fw_get "$D" >/dev/null
fw_setenv -c "$TMP/fw_env.config" pvtest "from linux"
mcopy -o -i "$D$FAT" "$TMP/u.env" ::/uboot.env
mcopy -o -i "$D$FAT" "$TMP/r.env" ::/uboot-redund.env
sb --disk "$D" -c 'printenv pvtest'
expect_exact "pvtest=from linux" "a value fw_setenv wrote is loaded"

# 4. A damaged copy: the other one is used, with a warning; both damaged: defaults.
cp "$D" "$TMP/bad.img"
mcopy -n -o -i "$TMP/bad.img$FAT" ::/uboot.env "$TMP/x.env"
printf 'X' | dd of="$TMP/x.env" bs=1 seek=100 conv=notrunc status=none
mcopy -o -i "$TMP/bad.img$FAT" "$TMP/x.env" ::/uboot.env
sb --disk "$TMP/bad.img" -c 'printenv pvtest'
expect_line '^\*\*\* Warning - pvblock 0:2 uboot.env: bad CRC; using pvblock 0:2 uboot-redund.env$' "a damaged copy is reported"
expect_line '^pvtest=' "the good copy is used"
mcopy -o -i "$TMP/bad.img$FAT" "$TMP/x.env" ::/uboot-redund.env
sb --disk "$TMP/bad.img" -c 'printenv pvtest; printenv bootcmd'
expect_line 'bad CRC, using default environment' "both damaged: bad CRC, defaults"
expect_exact '## Error: "pvtest" not defined' "nothing of the damaged files is used"
expect_exact "bootcmd=run distro_bootcmd"

# 5. export/import in memory, env default of one variable.
sb --disk "$D" -c 'setenv kernel_addr_r 0; env default kernel_addr_r; printenv kernel_addr_r;
	env export -c 40200000; echo size=${filesize}; setenv pvtest changed;
	env import -c 40200000 ${filesize}; printenv pvtest;
	env export -t 40300000 pvtest; setenv pvtest x; env import -t 40300000; printenv pvtest;
	env export -b 40400000; env import -d -b 40400000; printenv pvtest'
expect_line '^kernel_addr_r=[1-9a-f]' "env default VAR restores one default"
expect_exact "size=4000" "env export -c: the stored size (0x4000)"
expect_count 3 '^pvtest=from linux$' "env export/import -c, -t and -b round trips"
sb -c 'mw.b 40200000 0 4000; env import -c 40200000 4000'
expect_line "bad CRC, import failed" "env import -c checks the CRC"
expect_status 1

# 6. A read-only disk: saveenv fails clearly, nothing changes.
cp "$D" "$TMP/ro.img"
sb --disk "$TMP/ro.img,ro" -c 'setenv pvtest ro; saveenv'
expect_line "read-only" "saveenv on a read-only disk says why"
expect_line "Failed" "and fails"
expect_status 1
if cmp -s "$D" "$TMP/ro.img"; then ok "the read-only image is unchanged"; else bad "read-only image changed"; fi

# 7. The location can be changed for saveenv by the variables of U-Boot's names.
sb --disk "$D" -c "printenv pvtest"; sb --disk "$D" -c 'setenv env_fat_file other.env; setenv env_fat_file_redund other2.env; saveenv'
# (the copy not in use is written: uboot.env was loaded, so the redundant name)
if mt "$D" /other2.env | grep -aq 'env_fat_file=other.env'; then ok "env_fat_file(_redund) redirect saveenv"; else bad "other2.env not written"; fi

# 8. Faults during saveenv: whatever happens, the previous environment survives.
sb --disk "$D" -c 'setenv env_fat_file; setenv env_fat_file_redund; setenv pvtest before; saveenv; saveenv'
expect_status 0
cp "$D" "$TMP/base.img"
sb --disk "$TMP/base.img" -c 'true'
boot_writes=$(sed -n 's/.*frontend closed after \([0-9]*\) requests.*/\1/p' "$OUT" | tail -1)
survived() { # IMG WHAT: the next boot loads "before" or "after", never defaults
	sb --disk "$1" -c 'printenv pvtest'
	if grep -Eq '^pvtest=(before|after)$' "$OUT"; then ok "$2"; else
		bad "$2: $(grep -E 'Loading|pvtest' "$OUT" | tr '\n' ' ')"
	fi
}
cuts=0
for n in $(seq 1 12); do
	cp "$TMP/base.img" "$TMP/f.img"
	sb --disk "$TMP/f.img" --sim-fault=blk-cut-after-writes=$n -c 'setenv pvtest after; saveenv'
	[ "$STATUS" = 137 ] || break
	cuts=$n
	survived "$TMP/f.img" "domain destroyed after write $n of saveenv: an environment survives"
	if fsck_fat "$TMP/f.img" || ! grep -vEq '^(fsck\.fat|FATs differ but appear|  Using first FAT|Reclaimed [0-9]+ unused|Free cluster summary uninit|Leaving filesystem|$|.*: [0-9]+ files,)' "$TMP/fsck.out"; then
		ok "cut after write $n: fsck finds at most lost clusters or differing FATs"
	else
		bad "cut after write $n: fsck: $(sed -n 2,3p "$TMP/fsck.out" | tr '\n' ' ')"
	fi
done
if [ "$cuts" -ge 5 ]; then ok "saveenv was cut at each of its $cuts writes"; else bad "only $cuts cuts"; fi
for n in 0 1 2 3 4; do
	cp "$TMP/base.img" "$TMP/f.img"
	sb --disk "$TMP/f.img" --sim-fault=blk-write-error=$n -c 'setenv pvtest after; saveenv'
	expect_line "Failed" "a write refused after $n good ones: saveenv fails"
	survived "$TMP/f.img" "write refused after $n: the previous environment loads"
	cp "$TMP/base.img" "$TMP/f.img"
	sb --disk "$TMP/f.img" --sim-fault=blk-close-midway=$((boot_writes + n * 3)) \
		-c 'setenv pvtest after; saveenv'
	survived "$TMP/f.img" "backend closed during saveenv: the previous environment loads"
done

# 9. Boot counting, with no one at the console: slot B until bootlimit, then slot A.
cp "$TMP/base.img" "$TMP/ab.img"
sb --disk "$TMP/ab.img" -c "setenv bootdelay 0; setenv bootlimit 2; setenv upgrade_available 1;
	setenv bootcmd 'echo BOOT slot B; reset'; setenv altbootcmd 'echo BOOT slot A; poweroff'; saveenv"
for i in 1 2 3; do
	sb --disk "$TMP/ab.img"
	grep -h '^BOOT' "$OUT" >>"$TMP/boots"
done
if [ "$(tr '\n' ' ' <"$TMP/boots")" = "BOOT slot B BOOT slot B BOOT slot A " ]; then
	ok "bootlimit 2: two boots of slot B, then altbootcmd"
else
	bad "boot sequence: $(tr '\n' ' ' <"$TMP/boots")"
fi
expect_line "Warning: Bootlimit \(2\) exceeded\. Using altbootcmd\." "U-Boot's warning"
sb --disk "$TMP/ab.img" -c 'printenv bootcount'
expect_exact "bootcount=3" "bootcount saved at each boot"
# The booted system ends the trial: nothing is counted or written any more.
sb --disk "$TMP/ab.img" -c 'setenv upgrade_available; setenv bootcmd "echo BOOT slot B; reset"; saveenv'
cp "$TMP/ab.img" "$TMP/ab.before"
sb --disk "$TMP/ab.img"
expect_line "^BOOT slot B" "after the trial bootcmd runs"
expect_no "Saving Environment" "and nothing is saved"
if cmp -s "$TMP/ab.img" "$TMP/ab.before"; then ok "the disk is untouched"; else bad "the disk changed"; fi
finish
