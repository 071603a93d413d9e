#!/bin/bash
# SPDX-License-Identifier: MIT
# Booting an OS from a PV disk: extlinux.conf (plain and gzip'd Image),
# load + booti by hand, boot.scr made by mkimage, and every bad input
# (truncated kernel, corrupt gzip, script with a bad CRC, missing file)
# ending in a clear error with the prompt back. Disks are made by sfdisk,
# mkfs.ext4 -d and mkimage; the kernel is a minimal arm64 Image (valid
# header, random payload), which is all the sandbox can "boot".
. "$(dirname "$0")/boot_helpers.sh"

R=$TMP/root
mkdir -p "$R/boot/extlinux"
fake_image "$R/boot/Image"
gzip -9 -c "$R/boot/Image" >"$R/boot/Image.gz"
head -c 300000 /dev/urandom >"$R/boot/initrd.img"
head -c 100000 "$R/boot/Image" >"$R/boot/Image.trunc"
head -c 50000 "$R/boot/Image.gz" >"$R/boot/Image.gz.trunc"
python3 -c "import sys; d=bytearray(open(sys.argv[1],'rb').read()); d[5000:5100]=bytes(100); open(sys.argv[2],'wb').write(d)" \
	"$R/boot/Image.gz" "$R/boot/Image.gz.bad"
cat >"$R/boot/extlinux/extlinux.conf" <<'CONF'
default linux
label linux
  kernel /boot/Image
  initrd /boot/initrd.img
  append console=hvc0 root=/dev/xvda1
CONF
mkdisk "$TMP/plain.img" "$R"

# 1. Distro boot through extlinux.conf, with the initrd and bootargs in /chosen.
sb --disk "$TMP/plain.img" -c "bootflow scan -lb"
expect_line "Found /boot/extlinux/extlinux.conf on pvblock 0:1" "extlinux.conf found"
expect_line "would jump to Linux at 0x[0-9a-f]+" "kernel started"
expect_line 'bootargs "console=hvc0 root=/dev/xvda1"' "APPEND became /chosen/bootargs"
initrd_end=$(printf '0x%x' $((0x43700000 + 300000)))
expect_line "initrd 0x[0-9a-f]+-0x[0-9a-f]+" "initrd in /chosen"
expect_line "hand-off clean" "nothing left behind"
expect_status 0

# 2. The same with a gzip'd Image and two labels (menu, default chosen on timeout).
R2=$TMP/root2
cp -r "$R" "$R2"
cat >"$R2/boot/extlinux/extlinux.conf" <<'CONF'
menu title Test menu
timeout 1
default gz
label bad
  kernel /boot/missing
label gz
  menu label gzip'd kernel
  linux /boot/Image.gz
  initrd /boot/initrd.img
CONF
mkdisk "$TMP/gz.img" "$R2"
sb --disk "$TMP/gz.img" -c "bootflow scan -lb"
expect_line "Test menu" "menu title shown"
expect_line "2:.*gzip'd kernel \(default\)" "labels listed, default marked"
expect_line "Uncompressing Kernel Image" "gzip'd Image inflated"
expect_line "would jump to Linux" "gzip'd kernel started"
expect_line "hand-off clean"

# 3. By hand: load + booti with ${ramdisk_addr_r}:${filesize} and ${fdtcontroladdr}.
sb --disk "$TMP/plain.img" -c 'load pvblock 0:1 ${ramdisk_addr_r} /boot/initrd.img && setenv rdsize ${filesize} && load pvblock 0:1 ${kernel_addr_r} /boot/Image && setenv bootargs "root=/dev/xvda1 quiet" && booti ${kernel_addr_r} ${ramdisk_addr_r}:${rdsize} ${fdtcontroladdr}'
expect_line "300000 bytes read" "initrd loaded"
expect_line 'bootargs "root=/dev/xvda1 quiet"' "bootargs from the environment"
expect_line "initrd 0x43700000-0x$(printf '%x' $((0x43700000 + 300000)))" "initrd range exact"
expect_line "hand-off clean"

# 3b. Kernel loaded first, initrd second: booti must not take the initrd's size for the kernel's.
sb --disk "$TMP/plain.img" -c 'load pvblock 0:1 ${kernel_addr_r} /boot/Image && load pvblock 0:1 ${ramdisk_addr_r} /boot/initrd.img && booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}'
expect_no "truncated" "kernel length not confused with the initrd's"
expect_line "hand-off clean" "kernel-then-initrd order boots"

# 4. boot.scr made by mkimage -T script runs.
R3=$TMP/root3
mkdir -p "$R3/boot"
cp "$R/boot/Image" "$R/boot/initrd.img" "$R3/boot/"
cat >"$TMP/boot.cmd" <<'CMD'
echo script running from ${devtype} ${devnum}:${distro_bootpart}
load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} ${prefix}Image
setenv bootargs "from-script"
booti ${kernel_addr_r} - ${fdtcontroladdr}
CMD
mkimage -A arm64 -O linux -T script -C none -n test -d "$TMP/boot.cmd" "$R3/boot/boot.scr" >/dev/null
mkdisk "$TMP/scr.img" "$R3"
sb --disk "$TMP/scr.img" -c "bootflow scan -lb"
expect_line "Found U-Boot script /boot/boot.scr" "boot.scr found"
expect_line "script running from pvblock 0:1" "script variables set"
expect_line 'bootargs "from-script"' "script's booti ran"
expect_line "hand-off clean"

# 5. Bad inputs: each a clear error, the shell goes on (the final echo runs).
sb --disk "$TMP/plain.img" -c 'load pvblock 0:1 ${kernel_addr_r} /boot/Image.trunc; booti ${kernel_addr_r} - ${fdtcontroladdr}; echo alive1'
expect_line "Image is truncated: its PE header says 2097152 bytes, only 100000 there" "truncated kernel refused"
expect_line "^alive1" "prompt back after truncated kernel"
expect_no "would jump"

sb --disk "$TMP/plain.img" -c 'load pvblock 0:1 ${kernel_addr_r} /boot/Image.gz.bad; booti ${kernel_addr_r} - ${fdtcontroladdr}; echo alive2'
expect_line "gunzip: (corrupt gzip stream|compressed data is truncated)" "corrupt gzip refused"
expect_line "^alive2"
expect_no "would jump"

sb --disk "$TMP/plain.img" -c 'load pvblock 0:1 ${kernel_addr_r} /boot/Image.gz.trunc; booti ${kernel_addr_r} - ${fdtcontroladdr}; echo alive3'
expect_line "gunzip: compressed data is truncated" "truncated gzip refused"
expect_line "^alive3"

python3 -c "import sys; d=bytearray(open(sys.argv[1],'rb').read()); d[-3]^=0xff; open(sys.argv[1],'wb').write(d)" "$R3/boot/boot.scr"
mkdisk "$TMP/badscr.img" "$R3"
sb --disk "$TMP/badscr.img" -c 'load pvblock 0:1 ${scriptaddr} /boot/boot.scr; source ${scriptaddr}; echo alive4'
expect_line "Bad data CRC" "script with a bad CRC refused"
expect_no "script running"
expect_line "^alive4"

R4=$TMP/root4
mkdir -p "$R4/extlinux"
printf 'label x\n kernel /nope/Image\n' >"$R4/extlinux/extlinux.conf"
mkdisk "$TMP/missing.img" "$R4"
sb --disk "$TMP/missing.img" -c 'bootflow scan -lb; echo alive5'
expect_line "file /nope/Image not found" "missing kernel named"
expect_line "^alive5"

mkdir -p "$TMP/empty"
mkdisk "$TMP/empty.img" "$TMP/empty"
sb --disk "$TMP/empty.img" -c 'bootflow scan -lb; echo alive6'
expect_line "No extlinux/extlinux.conf or boot.scr in / or /boot/ on 1 partition" "says what was tried"
expect_line "^alive6"

# 6. Autoboot: bootdelay counts down, bootcmd boots; a key stops it.
sb --disk "$TMP/plain.img" -c 'setenv bootdelay 1; boot'
expect_line "hand-off clean" "boot runs bootcmd (distro boot)"

finish
