# SPDX-License-Identifier: MIT
"""A Debian arm64 system installed the normal way, for pvboot to boot.

debootstrap --foreign runs on the host (it only downloads and unpacks);
its second stage (every package's maintainer scripts: arm64 programs) runs
on the host too, in a chroot, with arm64 programs handed to qemu's user-mode
emulator (qemu-aarch64-static) through a binfmt_misc private to the build's
own user namespace (rig/userns.py): the host's binfmt_misc is left alone.
That takes minutes, where the same second stage in a guest of the emulated rig took
over an hour (every write through blkfront, blkback and QEMU's disk, under
full-system emulation). The tree then becomes an MBR disk with one ext4
partition (xvda1) whose /boot/extlinux/extlinux.conf Debian's u-boot-menu
wrote. It is kept in the cache and rebuilt only when what goes into it (the
debootstrap command line, the set-up, this file's build steps) changes.

    image()           the cached disk (read-only: copy it before a guest writes)
    PASSWORD          root's password in the installed system
"""
import os
import shutil
import subprocess
import tempfile

from . import cache, images, userns

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

def key():
    """Everything the image depends on (bump the first field when the way it
    is built changes in a way these strings do not show)."""
    return repr((2, SUITE, VARIANT, INCLUDE, SETUP, KERNEL_CMDLINE, ROOT_MB, UNSAFE_IO,
                 INITRAMFS_CONF, INITRAMFS_MODULES, TARGET_ENV, IN_NAMESPACES))


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
    for path, text in (INITRAMFS_CONF, INITRAMFS_MODULES):
        os.makedirs(os.path.dirname(os.path.join(tree, path)), exist_ok=True)
        with open(os.path.join(tree, path), "w") as f:
            f.write(text)
    # dpkg's fsync after every file only slows the build; a crash mid-build
    # means building again anyway. The set-up script removes this again: the
    # installed system is a normal one.
    os.makedirs(os.path.join(tree, "etc/dpkg/dpkg.cfg.d"), exist_ok=True)
    with open(os.path.join(tree, UNSAFE_IO), "w") as f:
        f.write("force-unsafe-io\n")


# The environment of everything run in the target: a clean one, as a chroot
# from an installer has.
TARGET_ENV = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LC_ALL=C",
              "DEBIAN_FRONTEND=noninteractive"]
# qemu-user-static's registration of arm64 ELF files (binfmt.d(5) format,
# which is binfmt_misc's register format); F: the emulator is opened now, so
# it works inside the target's chroot.
BINFMT_CONF = "/usr/lib/binfmt.d/qemu-aarch64.conf"

# Runs in namespaces of its own (rig/userns.py), with the target tree as $1:
# a proc for its PID namespace, a binfmt_misc of its own with arm64 handed to
# qemu-aarch64-static, then debootstrap's second stage and the set-up in a
# chroot of the target. debootstrap mounts the target's /proc and /sys
# itself; every mount goes away with the namespaces. A user namespace may
# not make device nodes: container=lxc is how debootstrap is told so (it
# then skips its mknod test; the first stage, as the host's root, made
# /dev's nodes already).
IN_NAMESPACES = """set -e
mount --make-rprivate /
mount -t proc proc /proc
mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
cat %(binfmt)s > /proc/sys/fs/binfmt_misc/register
t0=$(date +%%s)
chroot "$1" /usr/bin/env -i %(env)s container=lxc /debootstrap/debootstrap --second-stage
echo "debian-setup: second stage done in $(($(date +%%s) - t0))s"
chroot "$1" /usr/bin/env -i %(env)s /bin/sh /root/pvboot-setup.sh
""" % {"binfmt": BINFMT_CONF, "env": " ".join(TARGET_ENV)}


def second_stage(tree, timeout=3600):
    """debootstrap --second-stage, then the set-up, in TREE: arm64 programs
    run under qemu-aarch64-static. Returns the set-up's report lines."""
    if not os.path.exists(BINFMT_CONF):
        raise RuntimeError("%s is missing: install qemu-user-static (scripts/deps)"
                           % BINFMT_CONF)
    log = os.path.join(cache.cache_dir(), "debian-build.log")
    cache.log("debootstrap second stage under qemu-aarch64-static (log: %s)" % log)
    with open(log, "w") as f:
        try:
            rc = userns.run(["sh", "-c", IN_NAMESPACES, "second-stage", tree], f.fileno(),
                            timeout)
        except TimeoutError as e:
            rc = str(e)
    with open(log, errors="replace") as f:
        out = f.readlines()
    if rc != 0:
        # debootstrap's own log says which package failed; keep it with ours.
        try:
            with open(os.path.join(tree, "debootstrap/debootstrap.log"), errors="replace") as d:
                dlog = d.readlines()[-200:]
        except OSError:
            dlog = []
        with open(log, "a") as f:
            f.write("--- debootstrap.log (its last 200 lines) ---\n")
            f.writelines(dlog)
        raise RuntimeError("the installed Debian's second stage failed (%s); whole log in "
                           "%s:\n%s" % (rc if isinstance(rc, str) else "status %d" % rc, log,
                                        "".join(out[-40:] + dlog[-40:])))
    os.unlink(os.path.join(tree, "root/pvboot-setup.sh"))
    return [line for line in out if line.startswith("debian-setup:")]


def build(out):
    work = tempfile.mkdtemp(prefix="pvboot-debian-", dir=cache.cache_dir())
    try:
        tree = os.path.join(work, "root")
        first_stage(tree)
        for line in second_stage(tree):
            cache.log(line.rstrip())
        part = images.ext4_image(os.path.join(work, "root.ext4"), tree, ROOT_MB, label="debian")
        shutil.rmtree(tree)
        images.mbr_disk(out, [(part, "83")])
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def image():
    """The installed Debian disk, from the cache or built now (minutes)."""
    return images.cached("debian-" + SUITE, key(), build, per_packages=False)
