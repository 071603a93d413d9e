#!/bin/bash
# SPDX-License-Identifier: MIT
# `xen info` / `xen check`: what the Xen layer holds, and the "nothing left
# behind" check, with and without a connected PV disk.
. "$(dirname "$0")/lib.sh"

sb -c 'xen info; xen check'
expect_status 0 "xen check passes with no PV disk"
expect_line '^Xen: +4\.17\.7-sim$' "Xen version (XENVER_version + extraversion)"
expect_line '^Domain id: +1$' "domid read from XenStore"
expect_line '^shared_info: +gfn 0x[0-9a-f]+$' "shared_info mapped at a gfn"
expect_line '^Console: +ring gfn 0x39000, port [0-9]+;' "console ring from the HVM params"
expect_line '^XenStore: +ring gfn 0x39001, port [0-9]+; [0-9]+ requests, 0 timeouts, 0 stray replies, 0 protocol errors' \
	"XenStore ring from the HVM params, no errors"
expect_line '^Grant table: +[0-9]+ frames at gfn 0x38000 \(Xen allows [0-9]+\), [0-9]+ references' \
	"grant frames in the DT's /hypervisor region"
expect_line '^Grants: +0 in use, 0 busy' "0 grants in use"
expect_line '^Event channels: 0 open of ours' "no event channel of ours"
expect_exact 'xen: nothing left behind (0 grants in use, 0 busy, 0 ports open)' "xen check says so"

# A connected disk holds its ring grants and port until the hand-off.
truncate -s 4M "$TMP/d.img"
sb --disk "$TMP/d.img" -c 'pvblock read 40200000 0 8; xen info; xen check'
expect_status 1 "xen check fails while a disk is connected"
expect_line '^Grants: +[1-9][0-9]* in use, 0 busy' "ring grants counted"
expect_line '^Event channels: 1 open of ours \([0-9]+\)' "the disk's port listed"
expect_line '^xen: left behind: [1-9][0-9]* grants in use, 0 busy, 1 ports open' "xen check names them"
# The disk's waits slept in Xen; the simulator's Xen time is the counter + 3600 s.
expect_line '^Waits: +sleep in Xen \(SCHEDOP_poll\); [1-9][0-9]* polls' "waits sleep in Xen"
expect_line "^ +start-up waited 5\\.000 ms for a physical CPU" "start-up time stolen, from the runstate area"
expect_line "^ +Xen's time = counter \\+ 3(599\\.9|600\\.0)[0-9]{5} s" "offset learned from the runstate area"

# Xen refusing the runstate area: waits spin, and say so.
sb --sim-fault=no-runstate --disk "$TMP/d.img" -c 'pvblock read 40200000 0 8; xen info'
expect_line '^Waits: +spin \(no runstate area\); [1-9][0-9]* spun' "waits spin without a runstate area"

sb -c 'xen; xen what'
expect_status 1 "bad usage fails"
finish
