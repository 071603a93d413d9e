#!/bin/bash
# SPDX-License-Identifier: MIT
# The console backend: Ctrl-C reaches the guest as a byte (piped and on a
# terminal, where the terminal is raw while pvboot runs and restored after),
# a backend that stops draining output does not hang pvboot, and a hand-off
# to Linux reports what the simulator checked.
. "$(dirname "$0")/lib.sh"

stalled_session() {
	sleep 0.2
	printf 'sim fault console-stall=0\nmd 40000000 1000\nsim fault clear\necho back\n'
}

# Piped: Ctrl-C interrupts a long sleep, the next line runs.
# (Typed while the sleep runs, not before boot: pvboot's boot-time waits take Ctrl-C too.)
start=$(date +%s%N)
OUT=$TMP/ctrlc
{
	printf 'sleep 10\n'
	sleep 1
	printf '\003echo after-ctrlc\n'
} | timeout 60 "$SANDBOX" >"$OUT.raw" 2>&1
STATUS=${PIPESTATUS[1]}
tr -d '\r' <"$OUT.raw" >"$OUT"
audit_run "$OUT" "$STATUS"
took=$((($(date +%s%N) - start) / 1000000))
expect_status 0 "piped session ends cleanly at EOF"
expect_exact "after-ctrlc" "the line after Ctrl-C runs"
if [ "$took" -lt 6000 ]; then ok "Ctrl-C cut the 10 s sleep short (${took} ms)"; else
	bad "sleep 10 was not interrupted (${took} ms)"; fi

# On a terminal: raw mode while running, Ctrl-C does not kill the process,
# settings restored on exit.
OUT=$TMP/tty
python3 - "$SANDBOX" >"$OUT.raw" 2>&1 <<'PY'
import os, pty, select, sys, termios, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1]])
out = b''
def pump(t):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                return
def wait_for(s, t=10):
    end = time.time() + t
    while s not in out and time.time() < end:
        pump(0.1)
wait_for(b'=> ')
print('icanon-while-running', bool(termios.tcgetattr(fd)[3] & termios.ICANON))
print('isig-while-running', bool(termios.tcgetattr(fd)[3] & termios.ISIG))
prompts = out.count(b'=> ')
t0 = time.time()
os.write(fd, b'sleep 10\r')
pump(0.3)
os.write(fd, b'\x03')
while out.count(b'=> ') == prompts and time.time() - t0 < 15:
    pump(0.05)
print('interrupted-after', round(time.time() - t0, 1))
os.write(fd, b'echo tty-alive\r')
wait_for(b'\r\ntty-alive\r\n')
print('double-cr', b'\r\r\n' in out)
os.write(fd, b'reset\r')
end = time.time() + 10
while out.count(b'DRAM:') < 2 and time.time() < end:
    pump(0.1)
wait_for(out[:0] + b'=> ', 1)
pump(0.5)
print('banners', out.count(b'DRAM:'))
os.write(fd, b'poweroff\r')
pump(1.0)
_, st = os.waitpid(pid, 0)
print('exit', os.WEXITSTATUS(st) if os.WIFEXITED(st) else 'signal %d' % os.WTERMSIG(st))
print('icanon-after-exit', bool(termios.tcgetattr(fd)[3] & termios.ICANON))
sys.stdout.write(out.decode(errors='replace').replace('\r', ''))
PY
STATUS=$?
tr -d '\r' <"$OUT.raw" >"$OUT"
expect_line "^icanon-while-running False" "terminal in raw mode while pvboot runs"
expect_line "^isig-while-running False" "Ctrl-C is not a signal while pvboot runs"
expect_exact "tty-alive" "after Ctrl-C on the terminal the shell answers"
expect_line "^interrupted-after [0-4]\." "Ctrl-C on the terminal interrupted the sleep"
expect_line "^exit 0" "poweroff on the terminal exits 0"
expect_line "## Sandbox: exit clean" "poweroff on the terminal: nothing left behind"
expect_line "^double-cr False" "lines end in CR LF, not CR CR LF"
expect_line "^banners 2" "reset on a terminal starts the guest again (a new banner)"
expect_line "^icanon-after-exit True" "terminal settings restored on exit"

# A console backend that stops draining: bounded, pvboot goes on and exits.
start=$(date +%s%N)
sb --sim-fault=console-stall=300 -c 'md 40000000 1000; echo done'
took=$((($(date +%s%N) - start) / 1000000))
expect_status 0 "console-stall: the run still ends with the commands' status"
# What the console let through, without the sandbox's own end-of-run report.
size=$(($(stat -c %s "$OUT.raw") - $(grep -ao '## Sandbox: .*' "$OUT.raw" | wc -c)))
if [ "$size" -le 300 ]; then ok "console-stall: output stopped at 300 bytes ($size)"; else
	bad "console-stall: $size bytes came out of a stalled console"; fi
if [ "$took" -lt 30000 ]; then ok "console-stall: no hang (${took} ms)"; else bad "console-stall: ${took} ms"; fi

# Piped input and a console stalled mid-way: the prompt may be lost, the run still ends.
start=$(date +%s%N)
sb_feed stalled_session
took=$((($(date +%s%N) - start) / 1000000))
expect_status 0 "piped, console stalled then resumed: the run ends"
if [ "$took" -lt 30000 ]; then ok "piped stalled session ended (${took} ms)"; else
	bad "piped stalled session took ${took} ms"; fi

# booti of a minimal Image header written with mw: the simulator reports the jump
# and finds nothing left behind (no disks: grants, ports, shared_info).
sb -c 'setenv bootargs "console=hvc0 root=/dev/xvda1"; mw.l 40400000 14000010; mw.l 40400010 1000000; mw.l 40400018 a; mw.l 40400038 644d5241; booti 40400000 - ${fdtcontroladdr}'
expect_status 0 "booti: clean hand-off exits 0"
expect_line "^## Sandbox: would jump to Linux at 0x40400000 with DT at 0x4[0-7][0-9a-f]{6}$" \
	"the jump: entry and a DT inside RAM"
expect_line '^## Sandbox: bootargs "console=hvc0 root=/dev/xvda1"' "Linux gets the bootargs in /chosen"
expect_line "^## Sandbox: hand-off clean" "no grant, port, mapping or shared_info left"
expect_no "VIOLATION|NOT clean" "no violation at the hand-off"

finish
