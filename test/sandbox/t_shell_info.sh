#!/bin/bash
# SPDX-License-Identifier: MIT
# Information commands: version, bdinfo,
# fdt addr/print/list/header on the DT Xen gave us and on a copy.
. "$(dirname "$0")/lib.sh"

sb -c "version"
expect_line '^pvboot [0-9]{4}\.[0-9]{2} \(' "version: pvboot <version> (<date>)"
expect_line '^(gcc|clang) ' "version names the compiler"

sb -c "bdinfo"
expect_line '^DRAM bank += 0x0+$' "bdinfo: bank 0"
expect_line '^-> start += 0x0+40000000$' "bdinfo: bank start"
expect_line '^-> size += 0x0+8000000$' "bdinfo: bank size"
expect_line '^relocaddr += 0x[0-9a-f]+$' "bdinfo: relocation address"
expect_line '^fdt_blob += 0x[0-9a-f]+$' "bdinfo: DT address"
expect_line '^Xen += 4\.17' "bdinfo: Xen version"

sb -c 'fdt addr; printenv fdtcontroladdr'
ctl=$(sed -nE 's/^fdtcontroladdr=([0-9a-f]+)$/\1/p' "$OUT")
expect_line "^The address of the fdt is 0x0*$ctl$" "fdt addr defaults to fdtcontroladdr"

sb -c 'fdt print /chosen; fdt print /hypervisor compatible; fdt print /memory@40000000 reg'
expect_exact "chosen {" "fdt print of a node"
expect_exact $'\tbootargs = "console=hvc0 earlycon=xen";' "string property"
expect_exact 'compatible = "xen,xen-4.17", "xen,xen";' "string list property"
expect_exact 'reg = <0x00000000 0x40000000 0x00000000 0x08000000>;' "cell property"

sb -c 'fdt print'
expect_exact "/ {" "fdt print starts at the root"
expect_line $'^\t\tcpu@0 \\{$' "nested nodes are indented"
expect_line $'^\t\tinterrupt-controller;$' "empty property"
expect_count 0 "^libfdt" "no libfdt error"

sb -c 'fdt list /'
expect_line $'^\tcpus \\{$' "fdt list shows children"
expect_no $'^\t\tcpu@0' "fdt list does not descend further"

sb -c 'fdt header'
expect_line $'^magic:\t+0xd00dfeed$' "fdt header: magic"

sb -c 'fdt print /nonexistent'
expect_line "FDT_ERR_NOTFOUND" "missing node reported"
expect_status 1

# A copy of the DT becomes the working one; garbage does not.
sb -c 'cp.b ${fdtcontroladdr} ${fdt_addr_r} 10000; fdt addr ${fdt_addr_r}; fdt addr; printenv fdtaddr; fdt print /chosen'
expect_line '^The address of the fdt is 0x43600000$' "fdt addr switches to the copy"
expect_exact "fdtaddr=43600000" "fdt addr sets fdtaddr"
expect_exact $'\tbootargs = "console=hvc0 earlycon=xen";' "the copy prints"
sb -c 'mw.l ${fdt_addr_r} 12345678 100; fdt addr ${fdt_addr_r}'
expect_line "No valid device tree" "garbage is refused"
expect_status 1
sb -c 'fdt addr 10'
expect_line "outside RAM" "fdt addr outside RAM is refused"
expect_status 1

finish
