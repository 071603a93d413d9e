# SPDX-License-Identifier: MIT
"""Booting the guest's own OS on real Xen: Debian's arm64 kernel
(an uncompressed EFI-stub Image, as shipped, and gzip -9'd) and a busybox
initramfs on an ext4 root, booted by pvboot with nobody at the console
through /boot/extlinux/extlinux.conf (MBR disk) and through a gzip'd kernel
(GPT disk), by hand (load + booti), through a boot.scr made by mkimage; and
bad inputs (truncated kernel, corrupt gzip, script with a bad CRC,
extlinux.conf naming a missing file), each a clear error and the prompt back.

In the guest, Linux's own xen-blkfront reads /dev/xvda: pvboot's hand-off
left the backend reconnectable. The time from `xl create` to the guest
kernel's first console line is recorded (kernel-first-line in the timings).
"""
import hashlib
import os
import re
import shutil
import subprocess

from rig import cache, images
from rig.session import PROMPT
from rig.testlib import systest
from tests.t_storage import gpt_disk

MEMORY = 256
MARKER = "pvboot booted this root"
TRUNC_BYTES = 16 << 20

GUEST_INIT = images.GUEST_INIT + """echo "pvboot-guest: init running on $(uname -r)"
echo "pvboot-guest: cmdline $(cat /proc/cmdline)"
i=0; while [ ! -b /dev/xvda1 ] && [ $i -lt 60 ]; do sleep 0.5; i=$((i+1)); done
echo "pvboot-guest: xvda md5 $(head -c 65536 /dev/xvda | md5sum | cut -d' ' -f1)"
echo "pvboot-guest: xvda1 md5 $(head -c 4194304 /dev/xvda1 | md5sum | cut -d' ' -f1)"
exec setsid cttyhack sh
"""


def _run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)


def _paths():
    return cache.paths(images.root_tree())


def extlinux_conf(kernel, tag):
    return ("# made by test/system/tests/t_boot.py\n"
            "DEFAULT debian\n"
            "LABEL debian\n"
            "  MENU LABEL Debian %s\n"
            "  KERNEL %s\n"
            "  INITRD /boot/initrd.img\n"
            "  APPEND console=hvc0 rdinit=/init pvboot_test=%s\n" % (kernel, kernel, tag))


BOOT_SCR = """echo boot.scr running from ${devtype} ${devnum}:${distro_bootpart} prefix ${prefix}
load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} ${prefix}vmlinuz.gz
load ${devtype} ${devnum}:${distro_bootpart} ${ramdisk_addr_r} ${prefix}initrd.img
setenv bootargs "console=hvc0 rdinit=/init pvboot_test=bootscr"
booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}
"""


def _mkimage_script(src_text, out):
    src = out + ".cmd"
    with open(src, "w") as f:
        f.write(src_text)
    _run(["mkimage", "-A", "arm64", "-O", "linux", "-T", "script", "-C", "none",
          "-n", "pvboot system test", "-d", src, out])
    os.unlink(src)


def _root(workdir, name):
    """A fresh /boot tree with the initramfs and a marker file."""
    tree = os.path.join(workdir, "boot", name)
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(os.path.join(tree, "boot"))
    initrd = os.path.join(workdir, "boot", "initrd.img")
    if not os.path.exists(initrd):
        images.initramfs(initrd, GUEST_INIT, images.BLK_MODULES)
    shutil.copy2(initrd, os.path.join(tree, "boot/initrd.img"))
    with open(os.path.join(tree, "boot/marker.txt"), "w") as f:
        f.write(MARKER + "\n")
    return tree


def _kernel_gz(workdir):
    """Debian's kernel, gzip -9'd (once per run: it takes a while)."""
    gz = os.path.join(workdir, "boot", "vmlinuz.gz")
    if not os.path.exists(gz):
        with open(gz + ".tmp", "wb") as f:
            subprocess.run(["gzip", "-9", "-n", "-c", _paths()["kernel"]], check=True, stdout=f)
        os.replace(gz + ".tmp", gz)
    return gz


def _ext4(workdir, tree, name):
    used = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(tree) for n in ns)
    part = os.path.join(workdir, "boot", name + ".ext4")
    if os.path.exists(part):
        os.unlink(part)
    _run(["mkfs.ext4", "-q", "-F", "-b", "4096", "-L", name, "-d", tree, part,
          "%dM" % ((used >> 20) + 24)])
    return part


def mbr_boot_disk(workdir):
    """MBR, ext4: the kernel as shipped + extlinux.conf, and the bad inputs."""
    p = _paths()
    tree = _root(workdir, "mbr")
    kname = "vmlinuz-" + p["kver"]
    kernel = os.path.join(tree, "boot", kname)
    shutil.copy2(p["kernel"], kernel)
    os.makedirs(os.path.join(tree, "boot/extlinux"))
    with open(os.path.join(tree, "boot/extlinux/extlinux.conf"), "w") as f:
        f.write(extlinux_conf("/boot/" + kname, "extlinux"))
    # Bad inputs: a kernel cut short, a gzip stream with a zeroed stretch in
    # the middle, a script image with one data byte flipped (header CRC fine).
    with open(kernel, "rb") as f, open(os.path.join(tree, "boot/vmlinuz.trunc"), "wb") as o:
        o.write(f.read(TRUNC_BYTES))
    data = bytearray(open(_kernel_gz(workdir), "rb").read())
    mid = len(data) // 2
    data[mid:mid + 4096] = bytes(4096)
    with open(os.path.join(tree, "boot/vmlinuz.bad.gz"), "wb") as f:
        f.write(data)
    bad = os.path.join(tree, "boot/bad.scr")
    _mkimage_script("echo bad script ran\n", bad)
    data = bytearray(open(bad, "rb").read())
    data[-4] ^= 0x20
    with open(bad, "wb") as f:
        f.write(data)
    part = _ext4(workdir, tree, "boot-mbr")
    return images.mbr_disk(os.path.join(workdir, "boot", "mbr.img"), [(part, "83")])


def gpt_gzip_disk(workdir):
    """GPT, ext4: the kernel gzip -9'd, named by extlinux.conf."""
    tree = _root(workdir, "gpt")
    shutil.copy2(_kernel_gz(workdir), os.path.join(tree, "boot/vmlinuz.gz"))
    os.makedirs(os.path.join(tree, "boot/extlinux"))
    with open(os.path.join(tree, "boot/extlinux/extlinux.conf"), "w") as f:
        f.write(extlinux_conf("/boot/vmlinuz.gz", "extlinux-gzip"))
    part = _ext4(workdir, tree, "boot-gpt")
    return gpt_disk(os.path.join(workdir, "boot", "gpt.img"), [(part, "8300", "root")])


def script_disk(workdir):
    """MBR, ext4: /boot/boot.scr (mkimage -T script) and no extlinux.conf."""
    tree = _root(workdir, "scr")
    shutil.copy2(_kernel_gz(workdir), os.path.join(tree, "boot/vmlinuz.gz"))
    _mkimage_script(BOOT_SCR, os.path.join(tree, "boot/boot.scr"))
    part = _ext4(workdir, tree, "boot-scr")
    return images.mbr_disk(os.path.join(workdir, "boot", "scr.img"), [(part, "83")])


def missing_disk(workdir):
    """MBR, ext4: /extlinux/extlinux.conf naming a kernel that is not there."""
    tree = os.path.join(workdir, "boot", "missing")
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(os.path.join(tree, "extlinux"))
    with open(os.path.join(tree, "extlinux/extlinux.conf"), "w") as f:
        f.write("DEFAULT gone\nLABEL gone\n  KERNEL /boot/no-such-Image\n  APPEND console=hvc0\n")
    part = _ext4(workdir, tree, "boot-missing")
    return images.mbr_disk(os.path.join(workdir, "boot", "missing.img"), [(part, "83")])


BOOT_DISKS = {"boot-mbr": mbr_boot_disk}


# ---- helpers shared with t_hostile --------------------------------------------------
def md5_range(img, offset, n):
    with open(img, "rb") as f:
        f.seek(offset)
        return hashlib.md5(f.read(n)).hexdigest()


def start_pvboot(t, serial, memory=MEMORY):
    """xl create pvboot with the disk SERIAL as xvda (read-only); wait for its banner."""
    g = t.start(t.pvboot_path, memory=memory, disks=[(serial, "xvda", "r")])
    g.expect(r"^pvboot ", 60, mark="banner")
    g.first_byte()
    return g


def stop_autoboot(t, g):
    """Press a key during the bootdelay countdown; wait for the prompt."""
    g.expect(r"Hit any key to stop autoboot", 60, mark="countdown")
    g.send(" ")
    g.expect(PROMPT, 30, mark="prompt")


def wait_linux(t, g, serial, tag, timeout=300, start=r"Starting kernel \.\.\."):
    """Follow the guest from pvboot's jump (START: what pvboot prints then) to
    its userspace shell: its command line says TAG, and its blkfront reads the
    disk byte-exact."""
    m = g.expect(r"(%s)|%s" % (start, PROMPT), timeout)
    t.check(m.group(1) is not None, "pvboot gave up and went back to its prompt")
    g.mark("starting-kernel")
    g.expect(r"Booting Linux|Linux version", 120, mark="kernel-first-line")
    g.expect(r"pvboot-guest: init running", timeout, mark="init")
    m = g.expect(r"pvboot-guest: cmdline (.*)", 30)
    t.check("pvboot_test=%s" % tag in m.group(1).split(),
            "guest command line %r lacks pvboot_test=%s" % (m.group(1), tag))
    img = t.m.disks[serial]
    m = g.expect(r"pvboot-guest: xvda md5 (\S*)", 60)
    t.check(m.group(1) == md5_range(img, 0, 65536),
            "guest's /dev/xvda does not read as the disk (md5 %r): blkfront could not "
            "reconnect after pvboot" % m.group(1))
    m = g.expect(r"pvboot-guest: xvda1 md5 (\S*)", 60)
    t.check(m.group(1) == md5_range(img, 2048 * 512, 4 << 20),
            "guest's /dev/xvda1 does not read as the partition (md5 %r)" % m.group(1))
    g.mark("guest-read-disk")
    g.sendline("mkdir -p /mnt && mount -t ext4 -o ro /dev/xvda1 /mnt && cat /mnt/boot/marker.txt")
    g.expect(re.escape(MARKER), 60, mark="guest-mounted-root")
    print("  boot: xl create -> pvboot banner %.2fs, -> 'Starting kernel' %.2fs, "
          "-> guest kernel's first line %.2fs, -> guest init %.2fs"
          % (g.timings["banner"], g.timings["starting-kernel"],
             g.timings["kernel-first-line"], g.timings["init"]), flush=True)


def out_ms(load_output):
    return int(re.search(r"bytes read in (\d+) ms", load_output).group(1))


def check_bootstage(t, g, loads):
    """bootstage_report=1: the report comes before the jump, names the boot's
    phases on real Xen, its marks never go back, and each `load` phase is as
    long as the time `load` printed (LOADS: path -> ms)."""
    m = g.expect(r"(?s)Timer summary in microseconds \(\d+ records\):(.*?)"
                 r"^ *[\d,]+ +[\d,]+  handoff\r?$", 60)
    recs = [(int(a.replace(",", "")), int(b.replace(",", "")), name) for a, b, name in
            re.findall(r"^ *([\d,]+) +([\d,]+)  (.+?)\r?$", m.group(1), re.M)]
    names = [r[2] for r in recs]
    for want in ("entry", "first console byte", "banner", "xenstore connected",
                 "pvblock 51712 connected", "pvblock", "prompt", "fdt fixup"):
        t.check(want in names, "bootstage report lacks %r: %s" % (want, names))
    marks = [r[0] for r in recs]
    t.check(marks == sorted(marks), "bootstage marks go back in time: %s" % recs)
    # The version line goes out before the copy to the top of RAM (setup.c).
    t.check("copied" in names and names.index("first console byte") < names.index("copied"),
            "the first console byte does not come before 'copied': %s" % names)
    for path, ms in loads.items():
        hit = [r for r in recs if r[2] == "load " + path or
               (r[2].startswith("load ...") and path.endswith(r[2][8:]))]
        t.check(hit, "no 'load %s' phase in %s" % (path, names))
        us = hit[0][1]
        t.check(abs(us / 1000.0 - ms) <= max(5, ms * 0.2),
                "bootstage times load %s as %d us, load printed %d ms" % (path, us, ms))


# ---- tests ------------------------------------------------------------------
@systest("boot-extlinux", disks=BOOT_DISKS)
def boot_extlinux(t):
    """The headline: xl create, nobody types, Linux through extlinux.conf."""
    g = start_pvboot(t, "boot-mbr")
    g.expect(r"Hit any key to stop autoboot", 60, mark="countdown")
    g.expect(r"Found /boot/extlinux/extlinux\.conf on pvblock 0:1", 60)
    wait_linux(t, g, "boot-mbr", "extlinux")


@systest("boot-extlinux-gzip", disks={"boot-gpt": gpt_gzip_disk})
def boot_extlinux_gzip(t):
    g = start_pvboot(t, "boot-gpt")
    g.expect(r"Found /boot/extlinux/extlinux\.conf on pvblock 0:1", 90)
    g.expect(r"Uncompressing Kernel Image", 120, mark="inflating")
    wait_linux(t, g, "boot-gpt", "extlinux-gzip")


@systest("boot-by-hand", disks=BOOT_DISKS)
def boot_by_hand(t):
    g = start_pvboot(t, "boot-mbr")
    stop_autoboot(t, g)
    # Printed early, the version line must not come again with the banner.
    head = g.console.transcript().split("Hit any key")[0]
    t.check_match(r"\npvboot [^\r\n]+\r?\n\r?\nXen: ", head, "the banner, once, as before")
    t.check(head.count("\npvboot ") == 1, "the version line more than once:\n" + head)
    kname = "vmlinuz-" + _paths()["kver"]
    kernel = t.cmd(g, "load pvblock 0:1 ${kernel_addr_r} /boot/%s" % kname, timeout=120)
    t.check_match(r"^%d bytes read" % os.path.getsize(_paths()["kernel"]), kernel,
                  "kernel loaded")
    initrd = t.cmd(g, "load pvblock 0:1 ${ramdisk_addr_r} /boot/initrd.img", timeout=120)
    t.check_match(r"^\d+ bytes read", initrd, "initrd loaded")
    t.cmd(g, 'setenv bootargs "console=hvc0 rdinit=/init pvboot_test=by-hand"')
    t.cmd(g, "setenv bootstage_report 1")
    g.sendline("booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}")
    check_bootstage(t, g, {"/boot/" + kname: out_ms(kernel), "/boot/initrd.img": out_ms(initrd)})
    wait_linux(t, g, "boot-mbr", "by-hand")


@systest("boot-script", disks={"boot-scr": script_disk})
def boot_script(t):
    g = start_pvboot(t, "boot-scr")
    g.expect(r"Found U-Boot script /boot/boot\.scr on pvblock 0:1", 90)
    g.expect(r"boot\.scr running from pvblock 0:1 prefix /boot/", 30)
    g.expect(r"Uncompressing Kernel Image", 120, mark="inflating")
    wait_linux(t, g, "boot-scr", "bootscr")


@systest("boot-bad-inputs", disks=BOOT_DISKS)
def boot_bad_inputs(t):
    g = start_pvboot(t, "boot-mbr")
    stop_autoboot(t, g)

    out = t.cmd(g, "load pvblock 0:1 ${kernel_addr_r} /boot/vmlinuz.trunc; "
                "booti ${kernel_addr_r} - ${fdtcontroladdr}; echo alive-trunc", timeout=120)
    m = re.search(r"Image is truncated: its PE header says (\d+) bytes, only (\d+) there", out)
    t.check(m, "truncated kernel not refused clearly:\n" + out)
    t.check(int(m.group(2)) == TRUNC_BYTES and int(m.group(1)) > TRUNC_BYTES,
            "truncation figures wrong: " + m.group(0))
    t.check_match(r"^alive-trunc$", out, "prompt back after the truncated kernel")
    t.check(not re.search(r"Starting kernel", out), "jumped into a truncated kernel")

    out = t.cmd(g, "load pvblock 0:1 ${kernel_addr_r} /boot/vmlinuz.bad.gz; "
                "booti ${kernel_addr_r} - ${fdtcontroladdr}; echo alive-gzip", timeout=180)
    t.check_match(r"gunzip: (corrupt gzip stream|compressed data is truncated)", out,
                  "corrupt gzip stream refused")
    t.check_match(r"^alive-gzip$", out, "prompt back after the corrupt gzip")
    t.check(not re.search(r"Starting kernel", out), "jumped into a corrupt kernel")

    out = t.cmd(g, "load pvblock 0:1 ${scriptaddr} /boot/bad.scr; source ${scriptaddr}; "
                "echo alive-scr", timeout=60)
    t.check_match(r"Bad data CRC", out, "script with a bad CRC refused")
    t.check(not re.search(r"^bad script ran", out, re.M), "script with a bad CRC ran")
    t.check_match(r"^alive-scr$", out, "prompt back after the bad script")


@systest("boot-missing-file", disks={"boot-missing": missing_disk})
def boot_missing_file(t):
    g = start_pvboot(t, "boot-missing")
    g.expect(PROMPT, 120, mark="prompt")
    out = g.console.before
    t.check_match(r"Found /extlinux/extlinux\.conf on pvblock 0:1", out, "extlinux.conf found")
    t.check_match(r"/boot/no-such-Image.*not found|not found.*/boot/no-such-Image", out,
                  "the missing kernel is named")
    t.check(not re.search(r"Starting kernel", out), "jumped without a kernel")
    out = t.cmd(g, "echo alive")
    t.check_match(r"^alive$", out, "prompt alive after a failed autoboot")
