#!/bin/bash
# SPDX-License-Identifier: MIT
# The end-of-run audit that every sandbox test gets (lib.sh audit_run) can
# fail: a backend that never unmaps the frontend's pages (blk-keep-mapped)
# leaves grants that pvboot cannot end. pvboot quarantines them, says so,
# refuses to boot an OS over them and keeps a working prompt; the sandbox
# reports what is left and exits 18.
. "$(dirname "$0")/lib.sh"

disk=$TMP/disk.img
truncate -s 8M "$disk"
image='mw.l 40400000 14000010; mw.l 40400010 1000000; mw.l 40400018 a; mw.l 40400038 644d5241'

# These runs leave something behind on purpose: the audit must say so.
SB_EXPECT_NOT_CLEAN=1 sb --disk "$disk" --sim-fault=blk-keep-mapped -c \
	'pvblock read ${kernel_addr_r} 0 100; echo read-done'
expect_exact "read-done" "reads work while the backend misbehaves only at the end"
expect_line '^ERROR: pvblock 0: the backend still maps [0-9]+ of our pages' \
	"the driver says its pages stayed with the backend"
expect_line '## Sandbox: a backend still maps [0-9]+ granted page' "the audit sees the mappings"
expect_line '## Sandbox: [0-9]+ grant reference\(s\) still give access' \
	"...and the grants that could not be ended"
expect_line '## Sandbox: exit NOT clean' "the run is reported as not clean"
expect_no '## Sandbox: exit clean' "and not as clean"
expect_no 'VIOLATION' "pvboot itself broke no rule (the grant table stayed mapped)"
expect_status 18 "exit status 18: something was left behind"

SB_EXPECT_NOT_CLEAN=1 sb --disk "$disk" --sim-fault=blk-keep-mapped -c \
	"pvblock read \${kernel_addr_r} 0 100; $image; booti 40400000 - \${fdtcontroladdr}; echo alive; xen info"
expect_line 'not booting' "booti refuses to start an OS over pages a backend maps"
expect_no 'would jump to Linux' "no jump"
expect_exact "alive" "the prompt still works after the refused boot"
expect_line '^Grants: .*[1-9][0-9]* busy \(still mapped by a backend\)' \
	"xen info shows the quarantined grants"
expect_status 18 "exit status 18"

# The same session against a well-behaved backend: audited clean (by sb).
sb --disk "$disk" -c "pvblock read \${kernel_addr_r} 0 100; echo read-done"
expect_line '## Sandbox: exit clean' "a well-behaved backend: nothing left behind"
expect_status 0 "exit status 0"
finish
