# SPDX-License-Identifier: MIT
"""UEFI on real Xen: the AArch64 build of test/efi/selftest.c (gnu-efi's
crt0 and linker script) run by `bootefi` checks the services from inside,
on the real MMU (section rights, RWX pages for what UEFI hands out), caches
and timer; then it exits with an error from deep inside through Exit() and
the prompt comes back, twice in the same guest.
"""
import os
import subprocess

from rig import images
from rig.testlib import systest

SRCTREE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def efi_disk(workdir):
    """MBR, one FAT partition holding /selftest.efi (AArch64)."""
    d = os.path.join(workdir, "efi")
    apps = os.path.join(d, "apps")
    subprocess.run(["make", "-s", "-C", SRCTREE, "-f", "test/efi/Makefile", "O=" + apps,
                    os.path.join(apps, "selftest-aarch64.efi")],
                   check=True, stdout=subprocess.DEVNULL)
    part = os.path.join(d, "esp.img")
    if os.path.exists(part):
        os.unlink(part)
    subprocess.run(["mkfs.vfat", "-C", part, str(16 * 1024)], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["mcopy", "-i", part, os.path.join(apps, "selftest-aarch64.efi"),
                    "::/selftest.efi"], check=True)
    return images.mbr_disk(os.path.join(d, "efi.img"), [(part, "ef")])


@systest("efi-selftest", disks={"efi": efi_disk})
def efi_selftest(t):
    g = t.pvboot(memory=128, disks=[("efi", "xvda", "r")], prompt_timeout=60)
    load = "load pvblock 0:1 ${kernel_addr_r} /selftest.efi"
    t.cmd(g, load, timeout=30)
    t.cmd(g, "setenv bootargs hello efi")
    out = t.cmd(g, "bootefi ${kernel_addr_r}", timeout=60)
    t.check("FAILED" not in out, "a service check failed in the image:\n" + out)
    t.check_match(r"^efi-selftest: \d+ passed, 0 failed", out, "the selftest ran")
    t.check_match(r"^efi-selftest: load options: hello efi", out, "bootargs as load options")
    t.check_match(r"^## Application returned \(success\)", out, "the image returned success")

    t.cmd(g, "setenv bootargs exit")
    out = t.cmd(g, "bootefi ${kernel_addr_r}; echo status $?", timeout=60)
    t.check_match(r"^## Application failed, r = 0x8000000000000015 \(aborted\): selftest exits",
                  out, "Exit() with exit data")
    t.check_match(r"^status 1", out, "bootefi failed")
    out = t.cmd(g, "setenv bootargs; bootefi ${kernel_addr_r}", timeout=60)
    t.check_match(r"^## Application returned \(success\)", out, "a second run after Exit()")
    out = t.cmd(g, "echo alive")
    t.check_match(r"^alive", out, "the prompt works after the images ended")
