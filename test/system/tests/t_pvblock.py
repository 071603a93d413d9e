# SPDX-License-Identifier: MIT
"""pvblock on real Xen with Linux's blkback: two disks with the
right sizes, a 64 MiB pattern read back byte-exact, a write that reaches the
disk (seen by dom0 after the domain is gone), and a disk detached under
pvboot's feet giving a clear error instead of a hang."""
import os
import random
import re
import zlib

from rig.testlib import systest

PATTERN_MIB = 64
SEED = 5


def _pattern(n, seed):
    return random.Random(seed).randbytes(n)


def pattern_disk(workdir):
    img = os.path.join(workdir, "pvblock-pattern.img")
    with open(img, "wb") as f:
        f.write(_pattern((PATTERN_MIB + 16) << 20, SEED))
    return img


def small_disk(workdir):
    img = os.path.join(workdir, "pvblock-small.img")
    with open(img, "wb") as f:
        f.truncate(24 << 20)
    return img


def _copies(out):
    """(bounce copies, persistent-pool copies) of disk 0 in `blkcache show`."""
    m = re.search(r"pvblock 0: .*bounce copies (\d+) .*persistent-pool copies (\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else (-1, -1)


DISKS = {"pvb-pattern": pattern_disk, "pvb-small": small_disk}
VBDS = [("pvb-pattern", "xvda", "w"), ("pvb-small", "xvdb", "w")]


@systest("pvblock-info", disks=DISKS)
def pvblock_info(t):
    g = t.pvboot(memory=192, disks=VBDS)
    out = t.cmd(g, "pvblock info")
    t.check_match(r"Device 0: .*", out, "disk 0 listed")
    t.check_match(r"Device 1: .*", out, "disk 1 listed")
    t.check_match(r"Capacity: 80\.0 MB .*\(163840 x 512\)", out, "disk 0 is 80 MiB")
    t.check_match(r"Capacity: 24\.0 MB .*\(49152 x 512\)", out, "disk 1 is 24 MiB")
    t.check_match(r"ring: \d+ page\(s\), \d+ slots, \d+ segments/request, indirect", out,
                  "multi-page ring and indirect segments negotiated with blkback")


@systest("pvblock-read-64mib", disks=DISKS)
def pvblock_read(t):
    g = t.pvboot(memory=192, disks=VBDS)
    want = "%08x" % zlib.crc32(_pattern(PATTERN_MIB << 20, SEED))
    before = _copies(t.cmd(g, "blkcache show"))
    out = t.cmd(g, "pvblock read ${kernel_addr_r} 0 %x" % (PATTERN_MIB << 11), timeout=600)
    t.check_match(r"%d blocks read: OK" % (PATTERN_MIB << 11), out, "64 MiB read reports OK")
    after = _copies(t.cmd(g, "blkcache show"))
    # Persistent grants (the default with blkback): copied out of the pool, never bounced.
    t.check(after[0] == before[0] and after[1] > before[1],
            "default mode: bounce/pool copies went from %r to %r" % (before, after))
    m = re.search(r"bytes read in (\d+) ms \(([\d.]+ [KMG]iB/s)\)", out)
    t.check(m, "no rate printed:\n" + out)
    g.mark("read-64mib")
    t.timings["pvblock-64mib"] = m.group(2)
    out = t.cmd(g, "crc32 ${kernel_addr_r} %x" % (PATTERN_MIB << 20), timeout=600)
    t.check_match(r"==> %s" % want, out, "64 MiB read byte-exact (crc32 %s)" % want)
    # Direct grants: a page-aligned read needs no copy at all.
    t.cmd(g, "setenv pvblock_persistent 0; pvblock rescan", timeout=60)
    before = _copies(t.cmd(g, "blkcache show"))
    out = t.cmd(g, "pvblock read ${kernel_addr_r} 0 %x" % (PATTERN_MIB << 11), timeout=600)
    t.check_match(r"%d blocks read: OK" % (PATTERN_MIB << 11), out, "direct grants: read OK")
    out = t.cmd(g, "crc32 ${kernel_addr_r} %x" % (PATTERN_MIB << 20), timeout=600)
    t.check_match(r"==> %s" % want, out, "direct grants: byte-exact")
    after = _copies(t.cmd(g, "blkcache show"))
    t.check(after == before, "page-aligned 64 MiB read with direct grants made copies: "
            "(bounce, pool) went from %r to %r" % (before, after))


@systest("pvblock-write-flush", disks=DISKS)
def pvblock_write(t):
    g = t.pvboot(memory=192, disks=VBDS)
    t.cmd(g, "pvblock read ${kernel_addr_r} 0 800", timeout=60)
    t.cmd(g, "pvblock device 1")
    out = t.cmd(g, "pvblock write ${kernel_addr_r} 1000 800", timeout=60)
    t.check_match(r"2048 blocks written: OK", out, "1 MiB write reports OK")
    g.destroy()
    a = t.dom0("dd if=%s bs=512 count=2048 2>/dev/null | md5sum" % t.m.devs["pvb-pattern"])
    b = t.dom0("dd if=%s bs=512 skip=4096 count=2048 2>/dev/null | md5sum"
               % t.m.devs["pvb-small"])
    t.check(a.split()[0] == b.split()[0],
            "dom0 does not see the written data after the domain is gone")


@systest("pvblock-detach", disks=DISKS)
def pvblock_detach(t):
    g = t.pvboot(memory=192, disks=VBDS)
    t.cmd(g, "pvblock device 1")
    be = "/local/domain/0/backend/vbd/%s/51728/state" % g.domid()
    t.dom0("(xl block-detach %s xvdb >/tmp/detach.log 2>&1 &)" % g.name)
    # Wait until the toolstack has told the backend (Closing, or gone).
    t.dom0("for i in $(seq 100); do s=$(xenstore-read %s 2>/dev/null); "
           "[ \"$s\" = 4 ] || break; sleep 0.1; done; echo \"backend state: $s\"" % be)
    out = t.cmd(g, "pvblock read ${kernel_addr_r} 0 100; echo ALIVE", timeout=60)
    t.check(not re.search(r"blocks read: OK", out), "read of a detached disk reported OK")
    t.check_match(r"pvblock 1: .*(closing|closed|does not answer|failed)", out, "clear error")
    t.check_match(r"^ALIVE", out, "prompt alive")
    out = t.cmd(g, "pvblock device 0; pvblock read ${kernel_addr_r} 0 100", timeout=60)
    t.check_match(r"256 blocks read: OK", out, "the other disk still works")
