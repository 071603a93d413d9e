# SPDX-License-Identifier: MIT
"""Hostile backends on real Xen.

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

from rig import leftovers
from rig.testlib import systest
from tests.t_boot import BOOT_DISKS, start_pvboot, wait_linux


def hostile_disk(workdir):
    img = os.path.join(workdir, "hostile-disk.img")
    with open(img, "wb") as f:
        f.write(b"pvboot hostile test disk\n")
        f.truncate(16 << 20)
    return img


@systest("hostile-detach", disks={"hostile-disk": hostile_disk})
def hostile_detach(t):
    g = t.pvboot(memory=128, disks=[("hostile-disk", "xvda", "w")], prompt_timeout=60)
    out = t.cmd(g, "pvblock read ${loadaddr} 0 10", timeout=30)
    t.check_match(r"16 blocks read: OK", out, "the disk works before the detach")
    mark = leftovers.mark(t.dom0)
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
    bad = leftovers.new_warnings(t.dom0, mark)
    t.check(not bad, "dom0/Xen complained during the detach:\n" + "\n".join(bad))


@systest("hostile-destroy-after-linux", disks=BOOT_DISKS)
def hostile_destroy_after_linux(t):
    mark = leftovers.mark(t.dom0)
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
    t.check(not leftovers.new_zombies(t.dom0, mark), "domain %s left a (null) zombie: dom0 "
            "still holds its pages (leaked grant mappings?):\n%s" % (domid, t.dom0("xl list")))
    bad = leftovers.new_warnings(t.dom0, mark)
    t.check(not bad, "dom0/Xen complained about the guest's disk or grants:\n" + "\n".join(bad))
