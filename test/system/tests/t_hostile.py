# SPDX-License-Identifier: MIT
"""Hostile backends (issue 8) on real Xen.

hostile-detach: `xl block-detach` of the domain's only disk while pvboot sits
at its prompt; the next `pvblock read` must fail clearly and quickly (no
hang, prompt back), pvboot must let the detach finish (it answers the
backend's Closing), and what it held for the disk must be released.

hostile-destroy-after-linux: a guest that booted Linux through pvboot (its
blkfront reconnected to the backend pvboot released) is `xl destroy`ed;
dom0's kernel log must show no xen-blkback/grant warnings, Xen's log no
grant-table complaints, and the domain must really die (a domain whose
pages dom0 still has grant-mapped stays behind as a "(null)" zombie).
"""
import os
import re
import time

from rig.testlib import systest
from tests.t_boot import BOOT_DISKS, start_pvboot, wait_linux

# dom0 kernel messages that mean trouble for a guest's disk or grants.
BAD_DOM0 = re.compile(r"blkback|blkif|grant|gnttab|xen[-_ ]?evtchn|leak|WARNING|BUG|Oops"
                      r"|Call trace", re.I)
BENIGN_DOM0 = re.compile(r"xen-blkback: backend/vbd/\d+/\d+: (using \d+ queues, protocol"
                         r"|prepare for reconnect\s*$)")
# Emulator starvation on a loaded host, not a problem of the guest's disk.
HOST_NOISE = re.compile(r"hrtimer: interrupt took \d+ ns")
# Xen's own messages about grant misuse (guest_loglvl=all logs them).
BAD_XEN = re.compile(r"grant_table|gnttab|grant|iommu.*fault|mm\.c.*Bad", re.I)


def hostile_disk(workdir):
    img = os.path.join(workdir, "hostile-disk.img")
    with open(img, "wb") as f:
        f.write(b"pvboot hostile test disk\n")
        f.truncate(16 << 20)
    return img


def _lines(t, cmd):
    return t.dom0(cmd + " 2>/dev/null || true").splitlines()


def _dom0_log_mark(t):
    """The logs' last lines now: what follows them later is new."""
    return _lines(t, "dmesg -r")[-3:], _lines(t, "xl dmesg")[-3:]


def _since(lines, tail):
    """LINES after the sequence TAIL (all of them if the ring wrapped past it)."""
    n = len(tail)
    if not n:
        return lines
    for i in range(len(lines) - n, -1, -1):
        if lines[i:i + n] == tail:
            return lines[i + n:]
    return lines


def _new_warnings(t, mark):
    """Warning-or-worse dom0 kernel lines (and any naming blkback/grants) and
    grant-related Xen lines logged since MARK."""
    bad = []
    for line in _since(_lines(t, "dmesg -r"), mark[0]):
        m = re.match(r"<(\d+)>(.*)", line)
        level = int(m.group(1)) & 7 if m else 7
        text = m.group(2) if m else line
        # xen-blkback's informational lines (ring set-up, and the reconnect
        # when the OS's blkfront takes over from pvboot) are expected;
        # anything at warning level or worse is not.
        if HOST_NOISE.search(text):
            continue
        if level <= 4 or (BAD_DOM0.search(text) and not BENIGN_DOM0.search(text)):
            bad.append("dom0: " + line)
    for line in _since(_lines(t, "xl dmesg"), mark[1]):
        if BAD_XEN.search(line):
            bad.append("xen: " + line)
    return bad


def _zombies(t):
    return len([l for l in _lines(t, "xl list") if l.startswith("(null)")])


@systest("hostile-detach", disks={"hostile-disk": hostile_disk})
def hostile_detach(t):
    g = t.pvboot(memory=128, disks=[("hostile-disk", "xvda", "w")], prompt_timeout=60)
    out = t.cmd(g, "pvblock read ${loadaddr} 0 10", timeout=30)
    t.check_match(r"16 blocks read: OK", out, "the disk works before the detach")
    mark = _dom0_log_mark(t)
    domid = g.domid()
    be = "/local/domain/0/backend/vbd/%s/51712" % domid
    # xl block-detach waits for the frontend to let go: run it in the background.
    t.dom0("(xl block-detach %s xvda >/tmp/hostile-detach.log 2>&1; echo rc=$? "
           ">>/tmp/hostile-detach.log) &" % g.name)
    # Wait until blkback has been told to close (state 5, Closing) or is gone.
    deadline = time.monotonic() + 30
    state = None
    while time.monotonic() < deadline:
        rc, state = t.dom0("xenstore-read %s/state" % be, check=False)
        state = state.strip() if rc == 0 else "gone"
        if state in ("5", "6", "gone"):
            break
        time.sleep(0.5)
    t.check(state in ("5", "6", "gone"), "backend never started closing (state %s)" % state)
    g.mark("backend-closing")

    t0 = time.monotonic()
    out = t.cmd(g, "pvblock read ${loadaddr} 0 10; echo ALIVE", timeout=60)
    took = time.monotonic() - t0
    g.mark("read-failed")
    t.check(not re.search(r"blocks read: OK", out), "read of a detached disk reported OK:\n" + out)
    t.check_match(r"pvblock( 0)?: .*(closed|clos|gone|detached|does not answer|failed|no )", out,
                  "clear error for the detached disk")
    t.check_match(r"^ALIVE$", out, "prompt alive after the failed read")
    t.check(took < 30, "the failed read took %.1fs" % took)

    # The detach completes: pvboot answered Closing with Closed.
    deadline = time.monotonic() + 30
    log = ""
    while time.monotonic() < deadline:
        log = t.dom0("cat /tmp/hostile-detach.log 2>/dev/null; true")
        if "rc=" in log:
            break
        time.sleep(0.5)
    t.check("rc=0" in log, "xl block-detach did not finish cleanly:\n" + log)
    out = t.dom0("xl block-list %s" % g.name)
    t.check(not re.search(r"^51712\b", out, re.M), "xvda still attached:\n" + out)
    g.mark("detach-done")

    out = t.cmd(g, "pvblock read ${loadaddr} 0 10; echo ALIVE2", timeout=30)
    t.check(not re.search(r"blocks read: OK", out), "read after the detach reported OK")
    t.check_match(r"^ALIVE2$", out, "prompt alive after a second read")
    out = t.cmd(g, "xen check")
    t.check_match(r"nothing left behind", out, "disk resources released after the detach")
    bad = _new_warnings(t, mark)
    t.check(not bad, "dom0/Xen complained during the detach:\n" + "\n".join(bad))


@systest("hostile-destroy-after-linux", disks=BOOT_DISKS)
def hostile_destroy_after_linux(t):
    zombies = _zombies(t)
    mark = _dom0_log_mark(t)
    g = start_pvboot(t, "boot-mbr")
    wait_linux(t, g, "boot-mbr", "extlinux")
    domid = g.domid()
    # Linux's blkfront is connected (state 4) to the backend pvboot released.
    be = "/local/domain/0/backend/vbd/%s/51712" % domid
    state = t.dom0("xenstore-read %s/state" % be).strip()
    t.check(state == "4", "backend state %s while Linux runs, expected 4 (Connected)" % state)
    g.destroy()
    g.mark("destroyed")
    rc, _ = t.dom0("xenstore-ls /local/domain/0/backend/vbd/%s" % domid, check=False)
    t.check(rc != 0, "blkback's directory for domain %s outlived it" % domid)
    # A domain whose memory dom0 still maps (leaked grant mappings) cannot die.
    deadline = time.monotonic() + 20
    while _zombies(t) > zombies and time.monotonic() < deadline:
        time.sleep(0.5)
    t.check(_zombies(t) == zombies, "domain %s left a (null) zombie: dom0 still holds its "
            "pages (leaked grant mappings?):\n%s" % (domid, t.dom0("xl list")))
    bad = _new_warnings(t, mark)
    t.check(not bad, "dom0/Xen complained about the guest's disk or grants:\n" + "\n".join(bad))
