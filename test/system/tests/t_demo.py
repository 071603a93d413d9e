# SPDX-License-Identifier: MIT
"""The demo (`make demo`, scripts/demo) driven as a person does, on a
terminal: it autoboots Debian's kernel into a busybox shell; `poweroff -f`
there ends the domain, and then the demo must stop Xen and QEMU and return
to the shell by itself, with status 0."""
import os
import pty
import re
import select
import time

from rig import cache
from rig.testlib import systest

DEMO = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "demo")


class Pty:
    """A program on a pseudo-terminal, with expect() over what it prints."""

    def __init__(self, argv):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(argv[0], argv)
        self.text = ""
        self.pos = 0
        self.status = None

    def _read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the program closed the terminal (exited)
            data = b""
        self.text += data.decode("utf-8", "replace").replace("\r", "")
        return bool(data)

    def expect(self, pattern, timeout):
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.text, self.pos)
            if m:
                self.pos = m.end()
                return m
            if time.monotonic() > deadline or not self._read(min(1, deadline - time.monotonic())):
                raise AssertionError("demo: no %r within %ss; it printed:\n%s"
                                     % (pattern, timeout, self.text[-3000:]))

    def send(self, s):
        os.write(self.fd, s.encode())

    def wait_exit(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
            self._read(0.5)
        return None

    def kill(self):
        if self.status is None:
            try:
                os.kill(self.pid, 15)
                self.wait_exit(30)
            except OSError:
                pass


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


@systest("demo-ends-with-guest", standalone=True)
def demo_ends_with_guest(t):
    p = Pty([DEMO, "--pvboot", t.pvboot_host, "--xen", cache.xen_version()])
    try:
        qemu = int(p.expect(r"demo: QEMU pid (\d+)", 300).group(1))
        t.mark("dom0-ready")
        p.expect(r"demo: this is a busybox shell", 300)
        t.mark("guest-shell")
        p.send("poweroff -f\r")
        rc = p.wait_exit(90)
        t.mark("demo-exited")
        t.check(rc is not None, "the demo still runs 90 s after the guest's poweroff -f:\n"
                + p.text[-2000:])
        t.check(rc == 0, "the demo exited with status %s:\n%s" % (rc, p.text[-2000:]))
        t.check_match(r"demo: the guest has ended", p.text, "the demo says why it stopped")
        t.check(not _alive(qemu), "QEMU (pid %d) still runs after the demo exited" % qemu)
    finally:
        p.kill()
