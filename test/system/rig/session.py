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


def interact(stream, quit_byte=b"\x1d", ended=None):
    """Connect the user's terminal to STREAM until QUIT_BYTE (Ctrl-]), EOF or,
    if given, ENDED (a threading.Event) is set. Returns why: "quit", "eof",
    "closed" or "ended"."""
    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd) if os.isatty(fd) else None
    if old:
        tty.setraw(fd)
    why = "closed"
    try:
        while not stream.closed:
            if ended is not None and ended.is_set():
                why = "ended"
                break
            r, _, _ = select.select([fd], [], [], 0.2)
            if not r:
                continue
            data = os.read(fd, 1024)
            if not data or quit_byte in data:
                why = "quit" if data else "eof"
                break
            # Terminals send CR for Enter; pvboot, like U-Boot, takes either.
            stream.send(data)
    finally:
        if old:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)
        sys.stdout.write("\n")
    return why


def watch_until_gone(guest, every=2.0):
    """A threading.Event set once GUEST has ended for good (see Guest.ended()),
    polled every EVERY seconds from a thread of its own: the caller must not
    use the dom0 control shell meanwhile."""
    import threading
    ev = threading.Event()

    def poll():
        while not ev.wait(every):
            try:
                if guest.ended():
                    ev.set()
            except Exception:  # dom0 gone (QEMU stopped): nothing left to watch
                ev.set()
    threading.Thread(target=poll, daemon=True).start()
    return ev


def exit_on_sigterm():
    """Turn SIGTERM/SIGHUP (timeout(1), CI cancelling) into SystemExit so that
    the finally blocks stop QEMU and remove the run directory."""
    import signal

    def handler(signum, frame):
        raise SystemExit(128 + signum)
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, handler)
