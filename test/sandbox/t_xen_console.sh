#!/bin/bash
# SPDX-License-Identifier: MIT
# The PV console when its backend stops draining (--sim-fault=console-stall=N:
# xenconsoled takes N bytes and then nothing): output waits a bounded time,
# then is dropped and counted, and the shell keeps running the commands.
. "$(dirname "$0")/lib.sh"

lots='xenstore ls; xenstore ls; xenstore ls; xenstore ls; xenstore ls; xenstore ls; xenstore ls'

start=$(date +%s)
sb --sim-fault=console-stall=3000 -c "$lots; true"
elapsed=$(($(date +%s) - start))
expect_status 0 "commands after the stall still run (status of the last one: true)"
if [ "$elapsed" -le 10 ]; then ok "bounded: ${elapsed}s, not one wait per write"; else
	bad "took ${elapsed}s: every write waited"
fi
size=$(wc -c <"$OUT.raw")
if [ "$size" -ge 3000 ] && [ "$size" -le 3100 ]; then ok "backend got what it drained ($size bytes)"; else
	bad "backend got $size bytes, expected about 3000"
fi

sb --sim-fault=console-stall=3000 -c "$lots; false"
expect_status 1 "a failing last command is still reported (the shell is alive)"

# No fault: nothing lost, nothing counted.
sb -c "$lots; xen info"
expect_line '^Console: .* 0 dropped, 0 bad indexes$' "healthy backend: nothing dropped"
expect_count 7 '^name = "pvboot-sandbox"$' "every listing arrived"
finish
