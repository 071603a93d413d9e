# SPDX-License-Identifier: MIT
"""UEFI on real Xen: the AArch64 build of test/efi/selftest.c (gnu-efi's
crt0 and linker script) run by `bootefi` checks the services from inside,
on the real MMU (section rights, RWX pages for what UEFI hands out), caches
and timer, and the files and blocks of the PV disk it came from; then it
exits with an error from deep inside through Exit() and the prompt comes
back, twice in the same guest.

efi-linux: Debian's kernel booted through its own EFI stub by `bootefi`,
the initrd through LoadFile2, ExitBootServices as the hand-off: the guest
reaches its initramfs and its own blkfront reads the disk.

efi-grub: Debian's signed GRUB (grub-efi-arm64-signed) as the fallback
EFI/BOOT/BOOTAA64.EFI of a GPT disk's EFI System Partition, its grub.cfg
beside it, the kernel and initrd on an ext4 partition that GRUB reads
through BlockIO: GRUB's menu, then Linux to the same userspace checks.

efi-sdboot: Debian's systemd-boot (systemd-boot-efi) found by distro boot
with nobody at the console, a Type #1 entry with the kernel and initrd on
the ESP: its menu, then Linux to the same userspace checks.
"""
import os
import shutil
import subprocess

from rig import cache, images
from rig.testlib import systest
from tests.t_boot import BOOT_DISKS, _ext4, _paths, _root, start_pvboot, stop_autoboot, wait_linux
from tests.t_storage import gpt_disk

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
    junk = os.path.join(d, "junk.txt")
    with open(junk, "w") as f:
        f.write("not an image\n")  # the selftest reads it through SimpleFileSystem
    subprocess.run(["mcopy", "-i", part, junk, "::/junk.txt"], check=True)
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


@systest("efi-linux", disks=BOOT_DISKS)
def efi_linux(t):
    g = start_pvboot(t, "boot-mbr")
    stop_autoboot(t, g)
    out = t.cmd(g, "load pvblock 0:1 ${ramdisk_addr_r} /boot/initrd.img", timeout=120)
    t.check_match(r"^\d+ bytes read", out, "initrd loaded")
    kname = "vmlinuz-" + _paths()["kver"]
    out = t.cmd(g, "load pvblock 0:1 ${kernel_addr_r} /boot/%s" % kname, timeout=120)
    t.check_match(r"^\d+ bytes read", out, "kernel loaded")
    t.cmd(g, 'setenv bootargs "console=hvc0 rdinit=/init pvboot_test=efi-stub"')
    g.sendline("bootefi ${kernel_addr_r}")
    g.expect(r"EFI: initrd at 0x[0-9a-f]+ \(\d+ bytes\) offered through LoadFile2", 60)
    g.expect(r"## Starting EFI application", 60, mark="efi-start")
    g.expect(r"Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path", 120,
             mark="stub-initrd")
    wait_linux(t, g, "boot-mbr", "efi-stub", start=r"## ExitBootServices: handing the machine over")


GRUB_CFG = """set timeout=%d
set default=0
menuentry "Debian through pvboot's UEFI" {
    search --no-floppy --label --set=root boot-grub
    linux /boot/%s console=hvc0 rdinit=/init pvboot_test=grub
    initrd /boot/initrd.img
}
"""


def esp_image(path, kb, files):
    """A FAT image of KB KiB holding FILES = [(source, "/dir/name"), ...]."""
    if os.path.exists(path):
        os.unlink(path)
    subprocess.run(["mkfs.vfat", "-C", path, str(kb)], check=True, stdout=subprocess.DEVNULL)
    dirs = set()
    for _, dst in files:
        parts = dst.split("/")[1:-1]
        dirs.update("/" + "/".join(parts[:i]) for i in range(1, len(parts) + 1))
    for dd in sorted(dirs):  # parents sort before their children
        subprocess.run(["mmd", "-i", path, "::" + dd], check=True)
    for src, dst in files:
        subprocess.run(["mcopy", "-i", path, src, "::" + dst], check=True)
    return path


def grub_disk(workdir, timeout=3):
    """GPT: an ext4 /boot, then an ESP with Debian's signed GRUB and grub.cfg
    (its menu waits TIMEOUT seconds)."""
    d = os.path.join(workdir, "efi-grub")
    os.makedirs(d, exist_ok=True)
    grub = os.path.join(cache.extra("grub-efi-arm64-signed"),
                        "usr/lib/grub/arm64-efi-signed/grubaa64.efi.signed")
    kname = "vmlinuz-" + _paths()["kver"]
    cfg = os.path.join(d, "grub.cfg")
    with open(cfg, "w") as f:
        f.write(GRUB_CFG % (timeout, kname))
    # The signed image looks in its own prefix (EFI/debian), then beside itself.
    esp = esp_image(os.path.join(d, "esp.vfat"), 16 << 10,
                    [(grub, "/EFI/BOOT/BOOTAA64.EFI"), (cfg, "/EFI/debian/grub.cfg"),
                     (cfg, "/EFI/BOOT/grub.cfg")])
    tree = _root(workdir, "grub")
    shutil.copy2(_paths()["kernel"], os.path.join(tree, "boot", kname))
    part = _ext4(workdir, tree, "boot-grub")
    # /boot first: the guest's checks read and mount xvda1.
    return gpt_disk(os.path.join(d, "grub.img"), [(part, "8300", "boot"), (esp, "ef00", "esp")])


@systest("efi-grub", disks={"efi-grub": grub_disk})
def efi_grub(t):
    g = start_pvboot(t, "efi-grub")
    stop_autoboot(t, g)
    out = t.cmd(g, "load pvblock 0:2 ${kernel_addr_r} /EFI/BOOT/BOOTAA64.EFI", timeout=60)
    t.check_match(r"^\d+ bytes read", out, "GRUB loaded")
    g.sendline("bootefi ${kernel_addr_r}")
    g.expect(r"## Starting EFI application", 60, mark="efi-start")
    g.expect(r"Debian through pvboot's UEFI", 120, mark="grub-menu")
    wait_linux(t, g, "efi-grub", "grub", start=r"## ExitBootServices: handing the machine over")


SDBOOT_ENTRY = """title Debian through pvboot's UEFI
linux /%s
initrd /initrd.img
options console=hvc0 rdinit=/init pvboot_test=sdboot
"""


def sdboot_disk(workdir):
    """GPT: an ext4 /boot (for the guest's checks), then an ESP with
    systemd-boot, loader.conf and one Type #1 entry, kernel and initrd."""
    d = os.path.join(workdir, "efi-sdboot")
    os.makedirs(d, exist_ok=True)
    sdboot = os.path.join(cache.extra("systemd-boot-efi"),
                          "usr/lib/systemd/boot/efi/systemd-bootaa64.efi")
    kname = "vmlinuz-" + _paths()["kver"]
    tree = _root(workdir, "sdboot")
    conf = os.path.join(d, "loader.conf")
    with open(conf, "w") as f:
        f.write("timeout 2\n")
    entry = os.path.join(d, "debian.conf")
    with open(entry, "w") as f:
        f.write(SDBOOT_ENTRY % kname)
    kb = (os.path.getsize(_paths()["kernel"]) >> 10) + (20 << 10)
    esp = esp_image(os.path.join(d, "esp.vfat"), kb,
                    [(sdboot, "/EFI/BOOT/BOOTAA64.EFI"), (conf, "/loader/loader.conf"),
                     (entry, "/loader/entries/debian.conf"), (_paths()["kernel"], "/" + kname),
                     (os.path.join(tree, "boot/initrd.img"), "/initrd.img")])
    part = _ext4(workdir, tree, "boot-sdboot")
    return gpt_disk(os.path.join(d, "sdboot.img"), [(part, "8300", "boot"), (esp, "ef00", "esp")])


@systest("efi-sdboot", disks={"efi-sdboot": sdboot_disk})
def efi_sdboot(t):
    g = start_pvboot(t, "efi-sdboot")
    g.expect(r"Found EFI removable media binary /EFI/BOOT/BOOTAA64\.EFI on pvblock 0:2", 90)
    g.expect(r"## Starting EFI application", 60, mark="efi-start")
    g.expect(r"Debian through pvboot's UEFI", 120, mark="sdboot-menu")
    wait_linux(t, g, "efi-sdboot", "sdboot", start=r"## ExitBootServices: handing the machine over")
