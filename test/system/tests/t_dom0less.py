# SPDX-License-Identifier: MIT
"""pvboot as a dom0less domain: Xen itself builds it at boot from a
xen,domain node in the host DT (xen,enhanced = "enabled", pvboot.bin as its
kernel module), before dom0 has a XenStore to offer it. pvboot must come up
without XenStore, say so and wait for it (bounded); dom0 then runs
init-dom0less (which gives the domain its XenStore page and introduces it to
xenstored) and attaches a disk with `xl block-attach`; pvboot finds the disk
and boots Linux from it.

Xen runs the domain with no PV console ring but with an emulated PL011
(vpl011, the xen,domain node's `vpl011` property): what pvboot and the
guest Linux print there appears on Xen's console, the rig's serial stream.
"""
import os
import shutil

from rig import images
from rig.testlib import systest
from tests.t_boot import _ext4, _paths, _root

DOMID = 1
# How Xen's console shows the domain's vpl011 output: Xen 4.17 as "(XEN) DOM1: "
# while its console input is not switched to the domain, later Xen as "(d1) ".
D = r"(?:\(d%d\)|DOM%d:) " % (DOMID, DOMID)
# Linux on a dom0less domain has no PV console ring either: the vpl011 (Xen
# refuses console_io to a domU).
EXTLINUX = """DEFAULT dom0less
LABEL dom0less
  KERNEL /boot/%s
  INITRD /boot/initrd.img
  APPEND console=ttyAMA0 rdinit=/init pvboot_test=dom0less
"""


def dom0less_disk(workdir):
    """MBR, ext4: Debian's kernel and an extlinux.conf whose command line lets
    Linux print through console_io."""
    p = _paths()
    tree = _root(workdir, "dom0less")
    kname = "vmlinuz-" + p["kver"]
    shutil.copy2(p["kernel"], os.path.join(tree, "boot", kname))
    os.makedirs(os.path.join(tree, "boot/extlinux"))
    with open(os.path.join(tree, "boot/extlinux/extlinux.conf"), "w") as f:
        f.write(EXTLINUX % kname)
    part = _ext4(workdir, tree, "boot-dom0less")
    return images.mbr_disk(os.path.join(workdir, "boot", "dom0less.img"), [(part, "83")])


def domain_state(t):
    """xl list's State column of the dom0less domain (r, b, p, s, c, d flags)."""
    for line in t.dom0("xl list").splitlines():
        f = line.split()
        if len(f) >= 5 and f[1] == str(DOMID):
            return f[4]
    return "gone"


@systest("dom0less-late-xenstore", disks={"dom0less-disk": dom0less_disk},
         machine={"dom0less": 256})
def dom0less_late_xenstore(t):
    s = t.m.serial
    out = t.dom0("xl list")
    # 255: pvboot gave back the RAM page behind its shared_info (until hand-off).
    t.check_match(r"^\S*\s+%d\s+25[56]\s" % DOMID, out, "Xen built the dom0less domain (256 MiB)")
    rc, _ = t.dom0("xenstore-read /local/domain/%d/name" % DOMID, check=False)
    t.check(rc != 0, "the dom0less domain is in XenStore before init-dom0less ran")
    try:
        s.expect(D + "pvboot ", 60, what="pvboot's banner on Xen's console")
    except AssertionError as e:
        raise AssertionError("%s (domain state %r)" % (e, domain_state(t)))
    m = s.expect(D + r".*[Xx]en[Ss]tore.*", 60,
                 what="pvboot saying XenStore is not there yet")
    t.check(not any(w in m.group(0).lower() for w in ("connected", "ready")),
            "pvboot claims a XenStore that is not there: " + m.group(0))
    # Still waiting: neither shut down nor crashed.
    state = domain_state(t)
    t.check(not any(c in state for c in "scd"),
            "the dom0less domain is %r while it should wait for XenStore" % state)
    dev = t.m.devs["dom0less-disk"]
    t.dom0("init-dom0less >/var/log/xen/init-dom0less.log 2>&1 || "
           "{ cat /var/log/xen/init-dom0less.log; exit 1; }")
    t.dom0("xl block-attach %d 'phy:%s,xvda,r'" % (DOMID, dev), timeout=120)
    s.expect(D + r".*Found /boot/extlinux/extlinux\.conf on pvblock 0:1", 180,
             what="pvboot finding the attached disk's extlinux.conf")
    s.expect(D + ".*Starting kernel", 300, what="pvboot starting Linux")
    s.expect(r"Booting Linux on physical CPU|Linux version", 120, what="Linux's first line")
    s.expect(r"Kernel command line: .*pvboot_test=dom0less", 60,
             what="extlinux.conf's command line in Linux")
    s.expect(r"blkfront: xvda:", 300, what="Linux's blkfront attaching xvda")
