# SPDX-License-Identifier: MIT
"""A Debian arm64 system installed the normal way, for pvboot to boot.

debootstrap --foreign runs on the host (it only downloads and unpacks);
its second stage runs where arm64 code runs: inside the rig, in a Xen guest
booted directly by xl (the rig's Debian kernel and a busybox initramfs that
mounts the target disk and chroots into it). The result is an MBR disk with
one ext4 partition (xvda1) whose /boot/extlinux/extlinux.conf Debian's
u-boot-menu wrote. It is kept in the cache and rebuilt only when what goes
into it (the debootstrap command line, this file) changes.

    image()           the cached disk (read-only: copy it before a guest writes)
    PASSWORD          root's password in the installed system
"""
import os
import shutil
import subprocess
import tempfile
import time

from . import cache, images

SUITE = "bookworm"
VARIANT = "minbase"
# What a bootable Debian needs on top of minbase: a kernel and its initramfs
# generator, systemd as init, udev, and the hook that writes extlinux.conf.
INCLUDE = ["linux-image-arm64", "systemd-sysv", "udev", "u-boot-menu", "initramfs-tools",
           "zstd"]
HOSTNAME = "pvboot-debian"
PASSWORD = "pvboot"
ROOT_MB = 2048
# The kernel command line, read by u-boot-update (root= goes to U_BOOT_ROOT).
# Without "quiet", so that a failed boot shows where it stopped.
KERNEL_CMDLINE = "root=/dev/xvda1 ro console=hvc0"
UNSAFE_IO = "etc/dpkg/dpkg.cfg.d/pvboot-build-unsafe-io"
# initramfs-tools' MODULES=list (initramfs.conf(5)): only the modules the
# module lists name, here what this VM's root needs (xen-blkfront, ext4),
# instead of most of the kernel's: a small initramfs that builds in a
# fraction of the time under emulation. (MODULES=dep would find them from
# the running system, but cannot in the build's chroot.) The list goes to
# modules.d, not to /etc/initramfs-tools/modules: that one is a conffile of
# initramfs-tools, and a copy there before the package would make dpkg ask.
INITRAMFS_CONF = ("etc/initramfs-tools/conf.d/pvboot-guest", "MODULES=list\n")
INITRAMFS_MODULES = ("usr/share/initramfs-tools/modules.d/pvboot-guest", "xen-blkfront\next4\n")

# Run inside the installed system once its second stage is done: what an
# installer asks the user (host name, root password, fstab), then the hook
# that the kernel's postinst runs, once more now that fstab names the root.
SETUP = """#!/bin/sh
set -e
echo %(host)s > /etc/hostname
printf '127.0.0.1\\tlocalhost\\n127.0.1.1\\t%(host)s\\n' > /etc/hosts
printf '/dev/xvda1\\t/\\text4\\terrors=remount-ro\\t0\\t1\\n' > /etc/fstab
echo 'root:%(password)s' | chpasswd
u-boot-update
rm -f /%(unsafe)s
echo "debian-setup: initramfs holds $(lsinitramfs /boot/initrd.img-* | grep -c xen-blkfront) xen-blkfront"
echo "debian-setup: kernels $(ls /boot/vmlinuz-* | tr '\\n' ' ')"
""" % {"host": HOSTNAME, "password": PASSWORD, "unsafe": UNSAFE_IO}

# The second stage's guest: mount the target, chroot, run debootstrap's
# second stage and the set-up, report, power off.
SECOND_STAGE_INIT = images.GUEST_INIT + """
say() { echo "debian-setup: $*"; }
i=0; while [ ! -b /dev/xvda1 ] && [ $i -lt 60 ]; do sleep 0.5; i=$((i+1)); done
mkdir -p /mnt
mount -t ext4 /dev/xvda1 /mnt || { say "cannot mount xvda1"; poweroff -f; }
mount -t devtmpfs devtmpfs /mnt/dev
mount -t proc proc /mnt/proc
mount -t sysfs sysfs /mnt/sys
say "second stage starting"
chroot /mnt /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \\
    /debootstrap/debootstrap --second-stage
rc=$?
say "second stage rc=$rc"
[ $rc = 0 ] || tail -n 40 /mnt/debootstrap/debootstrap.log 2>/dev/null
if [ $rc = 0 ]; then
    chroot /mnt /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \\
        /bin/sh /root/pvboot-setup.sh
    rc=$?
    rm -f /mnt/root/pvboot-setup.sh
fi
umount /mnt/proc /mnt/sys 2>/dev/null
umount /mnt/dev
umount /mnt
sync
say "done rc=$rc"
poweroff -f
"""


def key():
    """Everything the image depends on (bump the first field when the way it
    is built changes in a way these strings do not show)."""
    return repr((1, SUITE, VARIANT, INCLUDE, SETUP, SECOND_STAGE_INIT, KERNEL_CMDLINE,
                 ROOT_MB, UNSAFE_IO, INITRAMFS_CONF, INITRAMFS_MODULES))


def first_stage(tree):
    """debootstrap --foreign on the host: download and unpack, nothing run."""
    debs = os.path.join(cache.cache_dir(), "debootstrap-debs")
    os.makedirs(debs, exist_ok=True)
    cmd = ["debootstrap", "--foreign", "--arch=arm64", "--variant=" + VARIANT,
           "--include=" + ",".join(INCLUDE), "--cache-dir=" + debs, SUITE, tree,
           cache._mirror(SUITE)]
    cache.log("debootstrap first stage: " + " ".join(cmd))
    r = subprocess.run(cmd, text=True, capture_output=True)
    if r.returncode:
        raise RuntimeError("debootstrap --foreign failed:\n%s%s"
                           % (r.stdout[-3000:], r.stderr[-3000:]))
    os.makedirs(os.path.join(tree, "etc/kernel"), exist_ok=True)
    with open(os.path.join(tree, "etc/kernel/cmdline"), "w") as f:
        f.write(KERNEL_CMDLINE + "\n")
    with open(os.path.join(tree, "root/pvboot-setup.sh"), "w") as f:
        f.write(SETUP)
    # dpkg's fsync after every file costs dearly through blkfront, blkback and
    # QEMU under emulation; a crash mid-build only means building again. The
    # set-up script removes this again: the installed system is a normal one.
    for path, text in (INITRAMFS_CONF, INITRAMFS_MODULES):
        os.makedirs(os.path.dirname(os.path.join(tree, path)), exist_ok=True)
        with open(os.path.join(tree, path), "w") as f:
            f.write(text)
    os.makedirs(os.path.join(tree, "etc/dpkg/dpkg.cfg.d"), exist_ok=True)
    with open(os.path.join(tree, UNSAFE_IO), "w") as f:
        f.write("force-unsafe-io\n")


def second_stage(disk, timeout=3 * 3600):
    """Boot the rig, run the second stage in a guest that has DISK as xvda."""
    from .guest import Guest
    from .machine import Machine
    work = tempfile.mkdtemp(prefix="pvboot-debian-")
    try:
        initrd = images.initramfs(os.path.join(work, "initrd.cpio"), SECOND_STAGE_INIT,
                                  images.BLK_MODULES)
        kernel = cache.paths(cache.fetch())["kernel"]
        m = Machine(files={"/guest/setup-vmlinuz": kernel, "/guest/setup-initrd": initrd},
                    disks={"debian-root": disk}, unsafe_disks={"debian-root"})
        with m:
            m.boot()
            t0 = time.monotonic()
            g = Guest(m, "debian-setup", "/guest/setup-vmlinuz", memory=1024,
                      ramdisk="/guest/setup-initrd", extra="console=hvc0 rdinit=/init",
                      disks=[("debian-root", "xvda", "w")]).start()
            try:
                g.expect(r"debian-setup: second stage starting", 300)
                cache.log("debootstrap second stage running in the rig (its log: %s/guest.log)"
                          % m.dir)
                m2 = g.expect(r"debian-setup: second stage rc=(\d+)", timeout)
                ok = m2.group(1) == "0"
                m3 = g.expect(r"debian-setup: done rc=(\d+)", 600)
                ok = ok and m3.group(1) == "0"
                g.wait_gone(120)
            except Exception:
                ok = False
            if not ok:
                # Keep the whole console: debootstrap's own log inside the
                # image is cut short when the build dies.
                log = os.path.join(cache.cache_dir(), "debian-build-failed.log")
                with open(log, "w") as f:
                    f.write(g.console.transcript())
                raise RuntimeError("debootstrap second stage failed (whole console in %s):\n%s"
                                   % (log, g.console.transcript()[-8000:]))
            cache.log("debootstrap second stage done in %.0fs" % (time.monotonic() - t0))
            return g.console.transcript()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build(out):
    work = tempfile.mkdtemp(prefix="pvboot-debian-", dir=cache.cache_dir())
    try:
        tree = os.path.join(work, "root")
        first_stage(tree)
        part = images.ext4_image(os.path.join(work, "root.ext4"), tree, ROOT_MB, label="debian")
        shutil.rmtree(tree)
        images.mbr_disk(out, [(part, "83")])
        os.unlink(part)
        second_stage(out)
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def image():
    """The installed Debian disk, from the cache or built now (minutes)."""
    return images.cached("debian-" + SUITE, key(), build, per_packages=False)
