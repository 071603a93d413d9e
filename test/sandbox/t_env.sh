#!/bin/bash
# SPDX-License-Identifier: MIT
# The environment: printenv's format, setenv/env set/delete/default, run,
# env import -t of a uEnv.txt placed in RAM, and the RAM-derived defaults
# (they must lie inside RAM and below pvboot for 32 MiB .. 1023 MiB).
. "$(dirname "$0")/lib.sh"

sb -c "printenv"
expect_status 0 "printenv succeeds"
expect_line '^Environment size: [0-9]+/[0-9]+ bytes$' "printenv ends with the size, as U-Boot"
for v in kernel_addr_r kernel_comp_addr_r kernel_comp_size ramdisk_addr_r fdt_addr_r scriptaddr \
	pxefile_addr_r loadaddr fdtcontroladdr bootdelay bootcmd arch cpu board board_name ver; do
	expect_line "^$v=." "default $v is set"
done
expect_exact "arch=arm" "arch"
expect_exact "cpu=armv8" "cpu"
expect_exact "board=xenguest_arm64" "board"
expect_line "^ver=pvboot [0-9]" "ver names pvboot"
expect_exact "bootargs=console=hvc0 earlycon=xen" "bootargs from the DT's /chosen (Xen's extra=)"
# Sorted like U-Boot's printenv.
grep -E '^[a-z_0-9]+=' "$OUT" | cut -d= -f1 >"$TMP/names"
if sort -c "$TMP/names"; then ok "printenv is sorted"; else bad "printenv is not sorted"; fi
sum=$(grep -E '^[^ ]+=' "$OUT" | awk '{ n += length($0) + 1 } END { print n }')
expect_line "^Environment size: $sum/" "the size counts name=value plus NUL per variable"

sb -c 'setenv foo bar baz  qux; printenv foo; setenv foo; printenv foo'
expect_exact "foo=bar baz qux" "setenv joins its arguments with spaces"
expect_exact '## Error: "foo" not defined' "setenv with no value deletes"
expect_status 1 "printenv of a missing variable fails"

sb -c 'setenv "bad name" x'
expect_line "invalid variable name" "names with spaces are refused"
expect_status 1

sb -c 'env set a 1; env print a; env exists a && echo EXISTS; env delete a; env exists a || echo GONE'
expect_exact "a=1" "env set / env print"
expect_exact "EXISTS" "env exists"
expect_exact "GONE" "env delete"

sb -c 'setenv kernel_addr_r 0; setenv junk 1; env default -a; printenv junk; printenv kernel_addr_r'
expect_line "Resetting to default environment" "env default -a says so"
expect_line '^kernel_addr_r=[1-9a-f]' "env default -a restores defaults"
expect_line '"junk" not defined' "env default -a drops user variables"

sb -c 'setenv bootargs "${bootargs} root=/dev/xvda1"; printenv bootargs'
expect_exact "bootargs=console=hvc0 earlycon=xen root=/dev/xvda1" "appending to bootargs"

sb -c 'setenv x 0x12345678abcd; setenv y ${x}; printenv y'
expect_exact "y=0x12345678abcd" "values copied through expansion"

# env import -t: write a uEnv.txt into RAM byte by byte with mw.b, import it.
uenv=$'# uEnv.txt\r\nbootargs=root=/dev/xvda2 ro\r\nuenvcmd=echo from-uenv\nbroken line\n\nsetfoo=bar\n'
script="setenv bootargs; "
addr=$((0x40100000))
i=0
while IFS= read -r -d '' -n 1 ch; do
	script+="mw.b $(printf %x $((addr + i))) $(printf %02x "'$ch");"
	i=$((i + 1))
done < <(printf '%s' "$uenv")
script+="mw.b $(printf %x $((addr + i))) 0;"
sb -c "$script env import -t 40100000; printenv bootargs setfoo; run uenvcmd"
expect_exact "bootargs=root=/dev/xvda2 ro" "env import -t sets variables (CRLF tolerated)"
expect_exact "setfoo=bar" "env import -t: later lines too"
expect_exact "from-uenv" "imported uenvcmd runs"
expect_line "line 4: no '=', skipped" "garbage line reported"
sb -c "$script env import -t 40100000 $(printf %x 12); printenv bootargs"
expect_line '"bootargs" not defined' "env import -t honours its size argument"
sb -c "env import -t 1000 10"
expect_line "outside RAM" "env import from outside RAM is refused"
expect_status 1

# env import ... var...: only the listed variables change, as in U-Boot; with
# -d a listed variable the data lacks is deleted, the others stay.
sb -c 'setenv a 1; setenv b 2; setenv c 3; env export -t 40100000 a b c; setenv a X; setenv b Y; setenv c Z; env import -t 40100000 ${filesize} a; printenv a b c'
expect_exact "a=1" "env import VAR: the listed variable is imported"
expect_exact "b=Y" "env import VAR: an unlisted variable keeps its value"
expect_exact "c=Z" "env import VAR: every unlisted variable keeps its value"
sb -c 'setenv a 1; setenv b 2; env export -b 40100000 a; setenv a X; setenv b Y; setenv gone 1; env import -d -b 40100000 - b gone; printenv a b gone'
expect_exact "a=X" "env import -d VAR: unlisted variables are not wiped"
expect_line '"b" not defined' "env import -d VAR: a listed variable the data lacks is deleted"
expect_line '"gone" not defined' "env import -d VAR: every listed one"
sb -c 'env export -t 40100000 bootdelay; env import -t 40100000 ${filesize} bad=name'
expect_line 'invalid variable name "bad=name"' "env import VAR: a bad name is refused"
expect_status 1

# The uEnv.txt flow: a FAT partition made by sfdisk + mkfs.vfat + mcopy.
if truncate -s 16M "$TMP/u.img" && echo 'start=2048, type=c' | sfdisk -q "$TMP/u.img" &&
	mkfs.vfat -F 16 --offset 2048 "$TMP/u.img" >/dev/null &&
	printf 'bootargs=root=/dev/xvda2 rw\r\nuenvcmd=echo uenv-ran\r\n' >"$TMP/uEnv.txt" &&
	mcopy -i "$TMP/u.img@@1M" "$TMP/uEnv.txt" ::uEnv.txt; then
	sb --disk "$TMP/u.img" -c 'load pvblock 0:1 ${scriptaddr} uEnv.txt && env import -t ${scriptaddr} ${filesize} && run uenvcmd; printenv bootargs'
	expect_exact "uenv-ran" "load + env import -t + run uenvcmd"
	expect_exact "bootargs=root=/dev/xvda2 rw" "uEnv.txt replaces bootargs"
else
	bad "could not make a FAT image with uEnv.txt"
fi

# Defaults fit any RAM size: inside RAM, below pvboot ("reserved" in bdinfo).
for m in 32 64 128 512 1023; do
	sb -m $m -c 'bdinfo; printenv'
	reserved=$(sed -nE 's/^reserved += 0x([0-9a-f]+)/\1/p' "$OUT")
	start=$((0x40000000))
	okay=1
	for v in scriptaddr pxefile_addr_r kernel_addr_r kernel_comp_addr_r fdt_addr_r ramdisk_addr_r; do
		a=$(sed -nE "s/^$v=([0-9a-f]+)$/\1/p" "$OUT")
		if [ -z "$a" ] || [ $((0x$a)) -lt $start ] || [ $((0x$a)) -ge $((0x$reserved)) ]; then
			okay=0
			echo "    $v=$a outside [$start, 0x$reserved)"
		fi
	done
	k=$(sed -nE 's/^kernel_addr_r=([0-9a-f]+)$/\1/p' "$OUT")
	kc=$(sed -nE 's/^kernel_comp_addr_r=([0-9a-f]+)$/\1/p' "$OUT")
	f=$(sed -nE 's/^fdt_addr_r=([0-9a-f]+)$/\1/p' "$OUT")
	r=$(sed -nE 's/^ramdisk_addr_r=([0-9a-f]+)$/\1/p' "$OUT")
	if [ $okay = 1 ] && [ $((0x$k % 0x200000)) = 0 ] && [ $((0x$k)) -lt $((0x$kc)) ] &&
		[ $((0x$kc)) -lt $((0x$f)) ] && [ $((0x$f)) -lt $((0x$r)) ]; then
		ok "-m $m: load addresses ordered, aligned, inside RAM below pvboot"
	else
		bad "-m $m: bad default layout"
	fi
done

finish
