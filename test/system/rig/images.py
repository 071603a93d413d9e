# SPDX-License-Identifier: MIT
"""Guest images made by real tools: cpio, mkfs.ext4 -d, sfdisk, dd.

    initramfs(out, init_text, modules)   busybox initramfs for Debian's arm64 kernel
    ext4_image(out, srcdir, size_mb)     an ext4 filesystem image holding SRCDIR
    mbr_disk(out, partitions)            an MBR disk with those partition images
    demo_disk(out)                       the `make demo` disk (kernel + initrd + extlinux.conf)
    cached(name, key, build)             reuse an image across runs while KEY is unchanged
"""
import glob
import hashlib
import os
import shutil
import subprocess
import tempfile

from . import cache, dom0

# What a guest needs to see its PV disks and read ext4 (all modules in Debian's kernel).
BLK_MODULES = ["xen-blkfront", "crc32c_generic", "ext4"]

GUEST_INIT = """#!/bin/sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r m; do insmod "/lib/modules/$m" 2>/dev/null; done </etc/modules.load
"""

EXTLINUX_CONF = """# pvboot demo: booted by pvboot's extlinux support (sysboot / bootflow)
TIMEOUT 30
DEFAULT linux
LABEL linux
  KERNEL /boot/vmlinuz
  INITRD /boot/initrd.img
  APPEND console=hvc0
"""

DEMO_INIT = GUEST_INIT + """echo
echo "demo: Debian $(uname -r) started by pvboot on Xen; PV disks: $(ls /sys/block | tr '\\n' ' ')"
echo "demo: this is a busybox shell on hvc0; 'poweroff -f' ends the domain"
exec setsid cttyhack sh -l
"""


def cached(name, key, build, per_packages=True):
    """An image kept in the cache between runs: BUILD(path) makes it when no
    image was built for this KEY (a string naming everything it depends on,
    e.g. the builder's source) yet; with PER_PACKAGES the rig's package
    manifest is part of the key too. Returns the path; treat it as read-only
    (copy it if the guest may write)."""
    root_tree()
    h = hashlib.sha256(key.encode())
    top = cache.xen_dir() if per_packages else cache.cache_dir()
    if per_packages:
        h.update(open(os.path.join(top, "manifest"), "rb").read())
    d = os.path.join(top, "images")
    os.makedirs(d, exist_ok=True)
    out = os.path.join(d, "%s-%s.img" % (name, h.hexdigest()[:16]))
    with cache.lock("lock-image-" + name):
        if not os.path.exists(out):
            build(out + ".tmp")
            os.replace(out + ".tmp", out)
        cache.prune(out, glob.escape(name) + "-" + "?" * 16 + ".img")
    return out


def _run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)


def root_tree():
    return cache.fetch()


def initramfs(out, init_text, modules=(), extra_files=None):
    """A busybox initramfs (uncompressed newc cpio) whose /init is INIT_TEXT.

    MODULES and their dependencies are copied and listed, in load order, in
    /etc/modules.load for the init script to insmod."""
    root = root_tree()
    p = cache.paths(root)
    moddir = dom0.depmod(root)
    with tempfile.TemporaryDirectory() as st:
        for d in ("bin", "dev", "proc", "sys", "etc", "tmp", "root"):
            os.makedirs(os.path.join(st, d))
        shutil.copy2(p["busybox"], os.path.join(st, "bin/busybox"))
        os.symlink("busybox", os.path.join(st, "bin/sh"))
        with open(os.path.join(st, "init"), "w") as f:
            f.write(init_text)
        os.chmod(os.path.join(st, "init"), 0o755)
        with open(os.path.join(st, "etc/modules.load"), "w") as f:
            for m in dom0.module_order(moddir, modules):
                dst = dom0.copy_module(os.path.join(moddir, m),
                                       os.path.join(st, "lib/modules", p["kver"], m))
                f.write(os.path.relpath(dst, os.path.join(st, "lib/modules")) + "\n")
        for dst, src in (extra_files or {}).items():
            d = os.path.join(st, dst.lstrip("/"))
            os.makedirs(os.path.dirname(d), exist_ok=True)
            shutil.copy2(src, d)
        dom0.cpio(st, out)
    return out


def ext4_image(out, srcdir, size_mb, label="root"):
    """mkfs.ext4 -d: an ext4 filesystem of SIZE_MB holding the tree SRCDIR."""
    if os.path.exists(out):
        os.unlink(out)
    _run(["mkfs.ext4", "-q", "-F", "-L", label, "-d", srcdir, out, "%dM" % size_mb])
    return out


def mbr_disk(out, partitions, first_lba=2048):
    """An MBR disk holding PARTITIONS: [(image file, sfdisk type e.g. '83'), ...]."""
    sizes = [(os.path.getsize(img) + 511) // 512 for img, _ in partitions]
    total = first_lba + sum(sizes) + 2048
    with open(out, "wb") as f:
        f.truncate(total * 512)
    script = "label: dos\n"
    start = first_lba
    for (img, ptype), n in zip(partitions, sizes):
        script += "start=%d, size=%d, type=%s\n" % (start, n, ptype)
        start += n
    _run(["sfdisk", "-q", out], input=script.encode())
    start = first_lba
    for (img, _), n in zip(partitions, sizes):
        _run(["dd", "if=" + img, "of=" + out, "bs=512", "seek=%d" % start,
              "conv=notrunc,sparse", "status=none"])
        start += n
    return out


def demo_disk(out):
    """MBR disk, one ext4 partition: /boot/vmlinuz (Debian's arm64 kernel),
    /boot/initrd.img (busybox) and /boot/extlinux/extlinux.conf."""
    p = cache.paths(root_tree())
    work = tempfile.mkdtemp(prefix="pvboot-demo-")
    try:
        tree = os.path.join(work, "tree")
        os.makedirs(os.path.join(tree, "boot/extlinux"))
        shutil.copy2(p["kernel"], os.path.join(tree, "boot/vmlinuz"))
        initramfs(os.path.join(tree, "boot/initrd.img"), DEMO_INIT, BLK_MODULES)
        with open(os.path.join(tree, "boot/extlinux/extlinux.conf"), "w") as f:
            f.write(EXTLINUX_CONF)
        used = sum(os.path.getsize(os.path.join(d, n))
                   for d, _, ns in os.walk(tree) for n in ns) >> 20
        part = ext4_image(os.path.join(work, "part.img"), tree, used + 24, label="demo")
        return mbr_disk(out, [(part, "83")])
    finally:
        shutil.rmtree(work, ignore_errors=True)
