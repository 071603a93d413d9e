# SPDX-License-Identifier: MIT
"""Shared set-up for the console, demo and run front ends."""
import os
import select
import sys
import termios
import tty

PROMPT = r"=> $"
GUEST_DIR = "/guest"


def dom0_path(host_path):
    return "%s/%s" % (GUEST_DIR, os.path.basename(host_path))


def write_live(s):
    sys.stdout.write(s)
    sys.stdout.flush()


def interact(stream, quit_byte=b"\x1d"):
    """Connect the user's terminal to STREAM until QUIT_BYTE (Ctrl-]) or EOF."""
    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd) if os.isatty(fd) else None
    if old:
        tty.setraw(fd)
    try:
        while not stream.closed:
            r, _, _ = select.select([fd], [], [], 0.2)
            if not r:
                continue
            data = os.read(fd, 1024)
            if not data or quit_byte in data:
                break
            # Terminals send CR for Enter; pvboot, like U-Boot, takes either.
            stream.send(data)
    finally:
        if old:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)
        sys.stdout.write("\n")


def exit_on_sigterm():
    """Turn SIGTERM/SIGHUP (timeout(1), CI cancelling) into SystemExit so that
    the finally blocks stop QEMU and remove the run directory."""
    import signal

    def handler(signum, frame):
        raise SystemExit(128 + signum)
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, handler)
