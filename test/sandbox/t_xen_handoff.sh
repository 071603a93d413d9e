#!/bin/bash
# SPDX-License-Identifier: MIT
# Hand-off with only the Xen services in use: before booti jumps, the grant
# frames leave the physmap, every port of ours is closed and shared_info is
# unmapped with its page repopulated; the simulator checks all of it.
. "$(dirname "$0")/lib.sh"

# A minimal arm64 Image header at kernel_addr_r: branch, image_size, flags, magic.
image='mw.l 40200000 14000010; mw.l 40200010 01000000; mw.l 40200018 a; mw.l 40200038 644d5241'

sb -c "xen info; $image; booti 40200000 - \${fdtcontroladdr}"
expect_line '^shared_info: +gfn 0x' "shared_info mapped before the hand-off"
expect_line 'hand-off clean: no grants, ports or mappings left, shared_info unmapped' \
	"simulator: nothing left behind"
expect_no 'VIOLATION|NOT clean|left behind' "no violation or leftover"
expect_status 0 "clean hand-off exit status"

# After using XenStore watches and transactions: still nothing left.
sb -c "xenstore watch data 1; xenstore write data/h 1; $image; booti 40200000 - \${fdtcontroladdr}"
expect_line 'hand-off clean' "watches used before: hand-off still clean"
expect_status 0 "exit status"

# A domain allowed no page above its memory (dom0less): the page behind
# shared_info was given back first, so repopulating it at hand-off fits.
sb --sim-fault=mem-slack=0 -c "$image; booti 40200000 - \${fdtcontroladdr}"
expect_no 'over-allocation|cannot repopulate|stays the domain' "no slack: no page stranded or over the limit"
expect_line 'hand-off clean' "no slack: hand-off clean"
expect_status 0 "no slack: exit status"
finish
