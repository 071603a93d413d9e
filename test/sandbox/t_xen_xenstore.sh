#!/bin/bash
# SPDX-License-Identifier: MIT
# The xenstore command against the simulated xenstored: the tree as
# xenstore-ls shows it, read/write/rm/watch, and errors that are one clear
# line with the prompt still alive.
. "$(dirname "$0")/lib.sh"

sb -c 'xenstore ls'
expect_status 0 "xenstore ls (home) succeeds"
expect_exact 'name = "pvboot-sandbox"' "ls: top-level value quoted"
expect_exact ' 0 = ""' "ls: children indented one space per level"
expect_exact '  availability = "online"' "ls: grandchildren indented two spaces"
expect_exact 'domid = "1"' "ls: domid"
expect_no '^device/' "ls without a path shows relative names"

sb -c 'xenstore ls /local/domain/1/console'
expect_exact 'type = "xenconsoled"' "ls of an absolute path"
expect_no '^ ' "ls of a leaf directory: no deeper levels"

sb -c 'xenstore read name'
expect_status 0 "read name"
expect_exact 'pvboot-sandbox' "read prints the bare value"

sb -c 'xenstore write data/t "two words"; xenstore read data/t; xenstore write data/q "a\"b\\c"; xenstore ls data'
expect_exact 'two words' "write then read back"
expect_exact 'q = "a\"b\\c"' "ls escapes quotes and backslashes"

sb -c 'xenstore write data/r 1; xenstore rm data/r; xenstore read data/r'
expect_status 1 "read after rm fails"
expect_exact 'xenstore: read data/r: no such file or directory' "read after rm: ENOENT message"

# A directory longer than one reply (4 KiB): xenstored answers E2BIG, the
# client reads it with XS_DIRECTORY_PART.
sb -c 'for i in 1 2 3 4 5 6 7 8 9 10; do for j in a b c d e f g h i j; do xenstore write data/big/node-with-a-long-name-to-fill-the-reply-$i-$j x; done; done; xenstore ls data/big'
expect_count 100 '^node-with-a-long-name-to-fill-the-reply-[0-9]+-[a-j] = "x"$' \
	"all 100 children of a 5 KiB directory listed"
expect_status 0 "long directory: success"

# As xenstored: removing a missing node is fine if its parent exists, not otherwise.
sb -c 'xenstore rm data/no/such/node'
expect_status 1 "rm below a missing parent fails"

sb -c 'xenstore write /local/domain/0/name x'
expect_status 1 "write to dom0's node refused"
expect_line 'xenstore: write /local/domain/0/name: permission denied' "EACCES mapped and shown"

sb -c 'xenstore watch data 1; echo after-watch'
expect_exact 'watching data for 1 s (Ctrl-C stops)' "watch announces itself"
expect_exact 'data' "watch reports the initial event xenstored fires"
expect_exact 'after-watch' "watch ends after its time"

sb -c 'xenstore; xenstore bogus x'
expect_status 1 "bad usage fails"
expect_line '^Usage:|usage' "bad usage prints the usage"

# Faults after boot: a clear error, counted in `xen info`, the next request works.
sb -c 'sim fault xs-wrong-reqid; xenstore read name; sim fault clear; xen info; xenstore read name'
expect_line 'xenstore: read name: malformed or mismatched reply \(protocol error\)' \
	"wrong req_id: protocol error after the timeout"
expect_line 'XenStore: .* [1-9][0-9]* timeouts, [1-9][0-9]* stray replies' "wrong req_id: counted"
expect_exact 'pvboot-sandbox' "wrong req_id: next request works"

sb -c 'sim fault xs-oversize; xenstore read name; sim fault clear; xen info; xenstore read name'
expect_line 'xenstore: read name: reply too large' "oversize: rejected before reading it"
expect_line 'XenStore: .* [1-9][0-9]* protocol errors' "oversize: counted"
expect_exact 'pvboot-sandbox' "oversize: resynchronised, next request works"

sb -c 'sim fault xs-garbage; xenstore ls device; sim fault clear; xenstore read name'
expect_exact 'xenstore: ls device: malformed or mismatched reply (protocol error)' \
	"garbage: protocol error"
expect_exact 'pvboot-sandbox' "garbage: next request works"

sb -c 'sim fault xs-error=EACCES; xenstore write data/x 1; sim fault clear; xenstore read name'
expect_line 'xenstore: write data/x: permission denied' "error string mapped to EACCES"
expect_exact 'pvboot-sandbox' "error: next request works"

sb -c 'sim fault xs-truncated; xenstore read name; sim fault clear; xenstore read name'
expect_line 'xenstore: read name: .*protocol error' "truncated reply: protocol error"
expect_exact 'pvboot-sandbox' "truncated: half message dropped, next request works"

sb -c 'sim fault xs-stall; xenstore read name; sim fault clear; xenstore read name'
expect_line 'xenstore: read name: no reply from xenstored \(timed out\)' "stall: timed out"
expect_exact 'pvboot-sandbox' "stall: next request works"
expect_no 'AddressSanitizer|runtime error' "no memory error in any run"

finish
