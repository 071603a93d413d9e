#!/bin/bash
# SPDX-License-Identifier: MIT
# Device trees given with -d: a usable one is followed (RAM size and place),
# broken ones (no /memory, no /hypervisor, not a DTB) end in a clear message
# and a set-up exit status, never a hang or a crash.
. "$(dirname "$0")/lib.sh"

# dtb NAME SED-SCRIPT: the built-in DT source edited by sed, compiled by dtc.
dtb() {
	sed -e "$2" "$SRCTREE/arch/sandbox/sandbox.dts" >"$TMP/$1.dts"
	dtc -q -I dts -O dtb -o "$TMP/$1.dtb" "$TMP/$1.dts"
}

# 256 MiB in the DT itself, no -m.
dtb m256 's/reg = <0x00 0x40000000 0x00 0x8000000>/reg = <0x00 0x40000000 0x00 0x10000000>/'
sb -d "$TMP/m256.dtb" -c "bdinfo"
expect_status 0 "DT with 256 MiB boots"
expect_line "DRAM: +256 MiB at 0x40000000" "RAM size comes from the DT's /memory"

# -m overrides the DT, and the guest's own DT copy says so too.
sb -d "$TMP/m256.dtb" -m 48 -c 'fdt addr ${fdtcontroladdr}; fdt print /memory@40000000'
expect_line "DRAM: +48 MiB" "-m overrides the DT"
expect_line "reg = <0x0+ 0x40000000 0x0+ 0x0*3000000>" "the DT the guest sees is fixed up for -m"

dtb nomem '/memory@40000000 {/,/};/d'
SB_NO_AUDIT=1 sb -d "$TMP/nomem.dtb" -c "version"
expect_status 19 "DT without /memory: set-up error status"
expect_line "no /memory" "DT without /memory: says so"
expect_no "AddressSanitizer|runtime error|Segmentation" "DT without /memory: no crash"

dtb nohyp '/hypervisor {/,/};/d'
SB_NO_AUDIT=1 sb -d "$TMP/nohyp.dtb" -c "version"
expect_status 19 "DT without /hypervisor: set-up error status"
expect_line "no /hypervisor" "DT without /hypervisor: says so"
expect_no "AddressSanitizer|runtime error|Segmentation" "DT without /hypervisor: no crash"

dtb noreg '/hypervisor {/,/};/{/reg = /d}'
SB_NO_AUDIT=1 sb -d "$TMP/noreg.dtb" -c "version"
expect_status 19 "/hypervisor without reg: set-up error status"
expect_line "no region to map grant-table frames" "/hypervisor without reg: says why"

head -c 4096 /dev/urandom >"$TMP/junk.dtb"
SB_NO_AUDIT=1 sb -d "$TMP/junk.dtb" -c "version"
expect_status 19 "random bytes as DT: set-up error status"
expect_line "not a device tree blob" "random bytes as DT: says so"

SB_NO_AUDIT=1 sb -d "$TMP/does-not-exist.dtb" -c "version"
expect_status 19 "missing DT file: set-up error status"
expect_line "does-not-exist.dtb: No such file" "missing DT file: named"

# RAM placed where the ASan shadow would be: refused, not mapped over.
dtb high 's/reg = <0x00 0x40000000 0x00 0x8000000>/reg = <0x00 0x80000000 0x00 0x8000000>/'
SB_NO_AUDIT=1 sb -d "$TMP/high.dtb" -c "version"
expect_status 19 "RAM at 0x80000000 refused in the sandbox"

finish
