#!/bin/bash
# SPDX-License-Identifier: MIT
# bootdelay as in U-Boot (common/autoboot.c), with the environment saved on
# disk so that a boot with nobody at the console reaches autoboot: N >= 0
# prints the countdown from N, a key typed before or during it gives the
# prompt; 0 still looks at the console once; -1 disables autoboot; -2 (and
# any other negative value) boots at once without looking at the console.
. "$(dirname "$0")/lib.sh"

# An MBR disk with one FAT partition: where the environment is saved.
truncate -s 32M "$TMP/base.img"
echo 'start=2048, type=c' | sfdisk -q "$TMP/base.img"
mkfs.vfat -F 16 --offset 2048 "$TMP/base.img" $((31 * 1024)) >/dev/null

# with_delay N: a disk whose saved environment has bootdelay=N and a bootcmd that says it ran.
with_delay() {
	cp "$TMP/base.img" "$TMP/d.img"
	sb --disk "$TMP/d.img" -c "setenv bootdelay $1; setenv bootcmd 'echo AUTOBOOT ran'; saveenv"
	expect_status 0 "environment with bootdelay=$1 saved"
}

with_delay 0
sb --disk "$TMP/d.img"
expect_line '^Hit any key to stop autoboot:  0 ?$' "bootdelay=0: the prompt, from 0"
expect_exact "AUTOBOOT ran" "bootdelay=0: bootcmd runs with nobody at the console"
sb_script " " --disk "$TMP/d.img"
expect_no "AUTOBOOT ran" "bootdelay=0: a key typed before the countdown stops the boot"

with_delay 1
sb_script " " --disk "$TMP/d.img"
expect_line 'Hit any key to stop autoboot:  1 .* 0' "bootdelay=1: a key ends the countdown at 0"
expect_no "AUTOBOOT ran" "bootdelay=1: a key stops the boot"

with_delay -1
sb_script " " --disk "$TMP/d.img"
expect_no "Hit any key" "bootdelay=-1: no countdown"
expect_no "AUTOBOOT ran" "bootdelay=-1: no autoboot"

for d in -2 -3; do
	with_delay $d
	sb_script " " --disk "$TMP/d.img"
	expect_no "Hit any key" "bootdelay=$d: no countdown"
	expect_exact "AUTOBOOT ran" "bootdelay=$d: bootcmd runs although a key was typed"
done

finish
