# SPDX-License-Identifier: MIT
"""Rig self-test: proves Xen, dom0, xl, the console bridge and the phy: disk path
with a guest that certainly works — Debian's own arm64 kernel and a busybox
initramfs — so that a pvboot failure is pvboot's, not the rig's."""
import os

from rig import cache, images, leftovers
from rig.testlib import systest

MAGIC = "pvboot-rig-selftest-disk"

SELFTEST_INIT = images.GUEST_INIT + """echo "selftest: init running"
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/xvda ] && break; sleep 0.5; done
echo "selftest: xvda says $(head -c 24 /dev/xvda)"
exec setsid cttyhack sh
"""


def selftest_disk(workdir):
    img = os.path.join(workdir, "selftest-disk.img")
    with open(img, "wb") as f:
        f.write(MAGIC.encode())
        f.truncate(8 << 20)
    return img


def selftest_files(workdir):
    """Files the guest needs in dom0: Debian's kernel and the self-test initramfs."""
    p = cache.paths(cache.fetch())
    initrd = images.initramfs(os.path.join(workdir, "selftest-initrd.cpio"),
                              SELFTEST_INIT, ["xen-blkfront"])
    return {"/guest/selftest-vmlinuz": p["kernel"], "/guest/selftest-initrd": initrd}


@systest("rig-selftest", needs_pvboot=False, disks={"selftest": selftest_disk},
         files=selftest_files)
def rig_selftest(t):
    g = t.start("/guest/selftest-vmlinuz", ramdisk="/guest/selftest-initrd", memory=256,
                extra="console=hvc0 rdinit=/init", disks=[("selftest", "xvda", "r")])
    g.expect(r"Booting Linux|Linux version", 60, mark="kernel-first-line")
    g.first_byte()
    g.expect(r"selftest: init running", 90, mark="init")
    m = g.expect(r"selftest: xvda says (.*)", 30)
    t.check(m.group(1).strip() == MAGIC,
            "guest read %r from its phy: disk, expected %r" % (m.group(1), MAGIC))
    g.sendline("echo sum=$((6*7))")
    g.expect(r"sum=42", 15, mark="typed-command")
    g.sendline("poweroff -f")
    g.wait_gone(30)
    g.mark("gone")
    # The after-test leftover check sees what it must: a planted warning is
    # found, then forgiven (the check starts again from here).
    since = leftovers.mark(t.dom0)
    t.dom0("echo '<4>xen-blkback: rig selftest: planted warning' > /dev/kmsg")
    bad = leftovers.new_warnings(t.dom0, since)
    t.check(any("planted warning" in b for b in bad),
            "the leftover check missed a planted dom0 warning: %r" % bad)
    t.since = leftovers.mark(t.dom0)
