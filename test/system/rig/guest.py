# SPDX-License-Identifier: MIT
"""One domU on the rig: config, xl create -p, console bridge, unpause, teardown."""
import time

from .expect import Timeout


def config(name, kernel, memory=128, disks=(), extra=None, ramdisk=None, vcpus=1, more=None):
    """An xl config. DISKS: (target, vdev, mode) where target is a rig disk serial."""
    lines = ['name = "%s"' % name, 'kernel = "%s"' % kernel,
             "memory = %d" % memory, "vcpus = %d" % vcpus]
    if ramdisk:
        lines.append('ramdisk = "%s"' % ramdisk)
    if extra is not None:
        lines.append('extra = "%s"' % extra)
    if disks:
        lines.append("disk = [ %s ]" % ", ".join(
            "'phy:%s,%s,%s'" % (t, v, m) for t, v, m in disks))
    for k, v in (more or {}).items():
        lines.append("%s = %s" % (k, v))
    return "\n".join(lines) + "\n"


class Guest:
    """A domain started from an xl config, with its PV console on machine.gcon."""

    def __init__(self, machine, name, kernel, memory=128, disks=(), extra=None,
                 ramdisk=None, vcpus=1, more=None):
        self.m = machine
        self.name = name
        resolved = [(machine.devs.get(t, t), v, mode) for t, v, mode in disks]
        self.cfg = config(name, kernel, memory, resolved, extra, ramdisk, vcpus, more)
        self.console = machine.gcon
        self.bridge = None
        self.timings = {}
        self.t_create = None

    def start(self, timeout=60, before_unpause=None):
        """Create paused, bridge the console, call BEFORE_UNPAUSE (if any), unpause."""
        m = self.m
        m.sh("cat > /run/%s.cfg <<'EOF'\n%sEOF" % (self.name, self.cfg))
        self.console.clear()
        self.t_create = time.monotonic()
        m.sh("xl create -p /run/%s.cfg" % self.name, timeout)
        self.timings["xl-create"] = time.monotonic() - self.t_create
        domid = m.sh("xl domid %s" % self.name).strip()
        sig = "/run/guest-console.%s" % self.name
        self.bridge = m.sh("rm -f %s; setsid guest-console %s %s </dev/null >/dev/null 2>&1 & echo $!"
                           % (sig, self.name, domid)).strip()
        # Unpause only once the bridge holds the pty: then the first byte's time is
        # the guest's, not the bridge's (nothing would be lost either way: the pty buffers).
        m.sh("i=0; until [ -s %s ]; do i=$((i+1)); [ $i -gt 100 ] && exit 1; sleep 0.05; done"
             % sig, timeout)
        if before_unpause:
            before_unpause()
        m.sh("xl unpause %s" % self.name, timeout)
        self.timings["unpaused"] = time.monotonic() - self.t_create
        return self

    # ---- console -------------------------------------------------------------
    def expect(self, pattern, timeout=10.0, mark=None):
        m = self.console.expect(pattern, timeout)
        if mark:
            self.mark(mark)
        return m

    def send(self, data):
        self.console.send(data)

    def sendline(self, line):
        self.console.sendline(line)

    def mark(self, label):
        """Record the time since xl create under LABEL."""
        self.timings[label] = time.monotonic() - self.t_create

    def first_byte(self):
        fb = self.console.first_byte
        if fb is not None and "first-byte" not in self.timings:
            self.timings["first-byte"] = fb - self.t_create
        return self.timings.get("first-byte")

    # ---- domain state ----------------------------------------------------------
    def domid(self):
        rc, out = self.m.sh("xl domid %s" % self.name, check=False)
        return int(out.strip()) if rc == 0 and out.strip().isdigit() else None

    def exists(self):
        rc, _ = self.m.sh("xl list %s" % self.name, check=False)
        return rc == 0

    def ended(self):
        """Gone for good: no domain of this name and no xl process that would
        create it again (a `reset` destroys the domain, then xl re-creates it)."""
        rc, _ = self.m.sh("xl domid %s >/dev/null 2>&1 || pgrep -f 'xl create -p /run/%s.cfg' "
                          ">/dev/null" % (self.name, self.name), check=False)
        return rc != 0

    def wait_gone(self, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.exists():
                return True
            time.sleep(0.5)  # each xl call costs dom0 CPU under emulation
        raise Timeout("domain %s still exists after %ss" % (self.name, timeout))

    def destroy(self, timeout=30):
        """Kill the console bridge, destroy the domain, wait until it is gone:
        one dom0 command, as every round trip and xl start costs under emulation."""
        kill = "kill -- -%s 2>/dev/null; " % self.bridge if self.bridge else ""
        self.bridge = None
        rc, out = self.m.sh(
            "%sxl destroy %s 2>/dev/null; i=0\n"
            "while xl list %s >/dev/null 2>&1; do\n"
            "  i=$((i+1)); [ $i -gt %d ] && break; sleep 0.2\n"
            "done\n"
            "pkill -f 'xl create -p /run/%s.cfg' 2>/dev/null\n"
            "rm -f /run/guest-console.%s\n"
            "! xl list %s >/dev/null 2>&1"
            % (kill, self.name, self.name, int(timeout / 0.3), self.name, self.name, self.name),
            timeout + 30, check=False)
        if rc:
            raise Timeout("domain %s still exists after xl destroy and %ss" % (self.name, timeout))
