#!/bin/bash
# SPDX-License-Identifier: MIT
# bootstage explains the boot: with bootstage_report=1 the report is printed
# just before "Starting kernel ...", and names each phase of the boot down to
# the disk and the file (XenStore, the disk's connect, the partition and
# filesystem probes, each file loaded, inflate, DT fixup, hand-off). Without
# it (the default) or with bootstage_report=0, nothing is printed there. The disk is set up as t_boot.sh's gzip'd case.
. "$(dirname "$0")/boot_helpers.sh"

R=$TMP/root
mkdir -p "$R/boot/extlinux"
fake_image "$R/boot/Image"
gzip -9 -c "$R/boot/Image" >"$R/boot/Image.gz"
head -c 300000 /dev/urandom >"$R/boot/initrd.img"
cat >"$R/boot/extlinux/extlinux.conf" <<'CONF'
default linux
label linux
  kernel /boot/Image.gz
  initrd /boot/initrd.img
  append console=hvc0 root=/dev/xvda1
CONF
mkdisk "$TMP/gz.img" "$R"

# report_before_start: the transcript from "Timer summary" up to "Starting kernel"
# (exclusive), into $TMP/report; says whether the report came before it.
report_before_start() {
	awk '/^Timer summary in microseconds/ { on = 1 }
	     /^Starting kernel \.\.\./ { if (on) found = 1; exit }
	     on { print }
	     END { exit !found }' "$OUT" >"$TMP/report"
}

# in_report REGEX WHAT: a line of the report (Mark, Elapsed, the stage's name) matches.
in_report() {
	if grep -Eq "^ +[0-9,]+ +[0-9,]+  $1\$" "$TMP/report"; then ok "$2"; else
		bad "$2 (no report line /$1/)"
		sed 's/^/    | /' "$TMP/report"
	fi
}

# 1. Distro boot through extlinux.conf, report asked for in the environment.
sb --disk "$TMP/gz.img" -c 'setenv bootstage_report 1; bootflow scan -lb'
expect_line "would jump to Linux" "the kernel was started"
if report_before_start; then ok "report printed before Starting kernel"; else
	bad "no report before Starting kernel"
fi
in_report "first console byte" "first console byte"
in_report "xenstore connected" "XenStore connected"
in_report "pvblock 51712 connected" "the disk's connect, by its vdev"
in_report "part probe pvblock 0( \([0-9]+ times\))?" "partition table probe"
in_report "fs probe pvblock 0:1( \([0-9]+ times\))?" "filesystem probe"
# 33 characters: cut to the 31 of the name field, keeping the file's name.
in_report "load \\.\\.\\./extlinux/extlinux\\.conf" "extlinux.conf loaded, its long name cut at the start"
in_report "load /boot/Image.gz" "kernel loaded"
in_report "load /boot/initrd.img" "initrd loaded"
in_report "inflate" "kernel inflated"
in_report "fdt fixup" "DT fixed up"
in_report "handoff" "hand-off"
# The hand-off is the report's last line: nothing of pvboot's boot after it.
if grep -v '^$' "$TMP/report" | tail -1 | grep -Eq '  handoff$'; then ok "handoff ends the report"; else
	bad "the report does not end with handoff"
fi
# In the order the boot ran them.
order=$(sed -En 's/^ +[0-9,]+ +[0-9,]+  (load \/boot\/Image.gz|inflate|fdt fixup|handoff)$/\1/p' \
	"$TMP/report" | tr '\n' ,)
if [ "$order" = "load /boot/Image.gz,inflate,fdt fixup,handoff," ]; then
	ok "load, inflate, DT fixup, hand-off in order"
else
	bad "phases out of order: $order"
fi
expect_line "Uncompressing Kernel Image" "the kernel was gzip'd"
expect_count 1 "^Timer summary in microseconds" "one report"

# 2. By hand, load + booti: the same phases; y is as good as 1.
sb --disk "$TMP/gz.img" -c 'setenv bootstage_report y; load pvblock 0:1 ${kernel_addr_r} /boot/Image.gz && booti ${kernel_addr_r} - ${fdtcontroladdr}'
expect_line "would jump to Linux" "booti by hand started the kernel"
if report_before_start; then ok "report before Starting kernel (booti by hand)"; else
	bad "no report before Starting kernel (booti by hand)"
fi
in_report "load /boot/Image.gz" "kernel load timed (by hand)"
in_report "inflate" "inflate timed (by hand)"
in_report "fdt fixup" "DT fixup timed (by hand)"
in_report "handoff" "hand-off marked (by hand)"

# 3. Not asked for (the default), or turned off: no report at the hand-off.
sb --disk "$TMP/gz.img" -c 'bootflow scan -lb'
expect_line "would jump to Linux" "boots without the report"
expect_no "^Timer summary in microseconds" "no report by default"
sb --disk "$TMP/gz.img" -c 'setenv bootstage_report 0; bootflow scan -lb'
expect_no "^Timer summary in microseconds" "no report with bootstage_report=0"

# 4. At the prompt: `bootstage` shows a load typed after idle time with its
# own length (not the wait before it), and the report's last mark is main's.
sb --disk "$TMP/gz.img" -c 'sleep 1; load pvblock 0:1 ${kernel_addr_r} /boot/Image.gz; bootstage report'
elapsed=$(sed -En 's/^ +[0-9,]+ +([0-9,]+)  load \/boot\/Image.gz$/\1/p' "$OUT" | tr -d ,)
if [ -n "$elapsed" ] && [ "$elapsed" -lt 1000000 ]; then
	ok "load timed on its own ($elapsed us), not with the sleep before it"
else
	bad "load's Elapsed is '$elapsed' us (the 1 s sleep counted?)"
fi

no_crash
finish
