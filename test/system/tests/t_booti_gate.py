# SPDX-License-Identifier: MIT
"""booti against hostile addresses on real Xen, where touching memory
outside what the guest has mapped is a data abort that kills the domain.

booti-hostile-addresses (a 128 MiB guest: RAM is 0x40000000-0x48000000):
each case is typed at the prompt and must give a clear error and a live
prompt: a kernel, an initrd and a DT past RAM or at 0; a legacy ramdisk
header (typed with mw.l, header CRC right) claiming 1 GiB of data; and a
kernel that must move, with fdt_addr_r unset, whose crc32 must not change.
"""
import re
import struct
import zlib

from rig.testlib import systest

# A minimal Image header at kernel_addr_r (0x40200000): magic, image_size 64 KiB.
KERNEL_HEADER = "mw.l 40200038 644d5241; mw.l 40200010 10000"

CASES = [
    "booti 48000000",             # one past RAM
    "booti 40000000 48000000",    # an initrd past RAM
    "booti 40000000 - 47fffff0",  # a DT whose header runs past RAM
    "booti 0",
    "booti 40200000 48000000",    # the same with a kernel that passes its checks
    "booti 40200000 - 47fffff0",
    "booti 40200000 40000000:ffffffffffffff00",  # an initrd that wraps around
]


def mw_legacy_header(addr, type_, size):
    """mw.l commands writing a legacy image header with a correct header CRC."""
    def hdr(hcrc):
        return struct.pack(">IIIIIIIBBBB32s", 0x27051956, hcrc, 0, size, 0, 0, 0, 5, 22, type_,
                           0, b"hostile")
    h = hdr(zlib.crc32(hdr(0)))
    return "; ".join("mw.l %x %08x" % (addr + i, struct.unpack("<I", h[i:i + 4])[0])
                     for i in range(0, len(h), 4))


def crcs(out):
    return re.findall(r"^crc32 for .* ==> ([0-9a-f]{8})$", out, re.M)


@systest("booti-hostile-addresses")
def booti_hostile_addresses(t):
    g = t.pvboot(memory=128)
    t.check_match(r"\b128 MiB at 0x40000000\b", g.banner, "a 128 MiB guest at 0x40000000")
    t.cmd(g, KERNEL_HEADER)
    for i, case in enumerate(CASES):
        out = t.cmd(g, "%s; echo alive-%d" % (case, i), timeout=30)
        t.check_match(r"^(## Cannot (read|write) 0x[0-9a-f]+|Bad Linux ARM64 Image)", out,
                      "%s: no clear error" % case)
        t.check_match(r"^alive-%d$" % i, out, "%s: prompt not alive" % case)
        t.check(not re.search(r"Starting kernel", out), "%s: started a kernel" % case)
    g.mark("addresses-refused")

    # A legacy ramdisk header whose ih_size would have the CRC read 1 GiB past RAM.
    t.cmd(g, mw_legacy_header(0x41000000, 3, 0x3fff0000), timeout=30)
    out = t.cmd(g, "booti 40200000 41000000; echo alive-legacy", timeout=30)
    t.check_match(r"Image data is truncated: header says 1073676288 bytes", out,
                  "oversized legacy ramdisk header refused")
    t.check_match(r"^alive-legacy$", out, "prompt alive after the legacy header")
    g.mark("legacy-refused")

    # A kernel that must move (0x40201000 -> 0x40400000), fdt_addr_r unset: refused
    # by the plan, before anything moved.
    t.cmd(g, "mw.l 40201038 644d5241; mw.l 40201010 10000; setenv fdt_addr_r")
    out = t.cmd(g, "crc32 40201000 10000; booti 40201000; echo booti=$?; crc32 40201000 10000",
                timeout=30)
    t.check_match(r"fdt_addr_r is not set", out, "missing fdt_addr_r named")
    t.check_match(r"^booti=1$", out, "booti failed")
    c = crcs(out)
    t.check(len(c) == 2 and c[0] == c[1], "the loaded kernel changed: crc32 %s" % c)
    t.check(not re.search(r"Moving Image", out), "the kernel moved before the check")
    out = t.cmd(g, "echo still-alive")
    t.check_match(r"^still-alive$", out, "prompt alive at the end")
