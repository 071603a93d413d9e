# SPDX-License-Identifier: MIT
"""Assemble dom0's initramfs from the unpacked Debian tree.

The result is an uncompressed newc cpio (the kernel unpacks it faster than a
compressed one under emulation) cached next to the packages and rebuilt only
when the packages or the files in test/system/dom0/ change. Per-run files
(pvboot.bin, disk-less guest kernels) are appended as a second cpio archive:
Linux unpacks concatenated archives in order.
"""
import hashlib
import os
import shutil
import subprocess
import tempfile

from . import cache

HERE = os.path.dirname(os.path.abspath(__file__))
DOM0_FILES = os.path.join(os.path.dirname(HERE), "dom0")

XEN_PROGRAMS = ["xl", "xenstored", "xenconsoled", "xenconsole", "xen-init-dom0",
                "init-dom0less"]
PROGRAMS = ["usr/bin/xenstore-" + p for p in
            ("read", "write", "rm", "ls", "list", "exists", "watch", "chmod")]
# dlopen()ed, so no NEEDED entry names it: glibc loads it for pthread_cancel.
EXTRA_LIBS = ["libgcc_s.so.1"]
LIB_DIRS = ["lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib"]
MODULES = ["virtio_mmio", "virtio_blk", "virtio_console", "loop", "xen-evtchn",
           "xen-gntdev", "xen-gntalloc", "xen-privcmd", "xenfs", "xen-blkback"]


def _needed(path):
    out = subprocess.run(["readelf", "-dW", path], text=True, capture_output=True).stdout
    return [line.split("[", 1)[1].rstrip("]") for line in out.splitlines()
            if "(NEEDED)" in line]


def _find_lib(root, name):
    for d in LIB_DIRS:
        p = os.path.join(root, d, name)
        if os.path.lexists(p):
            return os.path.join(d, name)
    raise RuntimeError("library %s not found in the unpacked packages" % name)


def copy_module(src, dst):
    """Copy a kernel module, uncompressed (busybox's insmod may not inflate
    the .ko.xz newer Debian kernels ship); returns DST's final name."""
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    for ext, tool in ((".xz", "xz"), (".zst", "zstd"), (".gz", "gzip")):
        if src.endswith(ext):
            dst = dst[:-len(ext)]
            with open(dst, "wb") as f:
                subprocess.run([tool, "-dc", src], stdout=f, check=True)
            return dst
    shutil.copy2(src, dst)
    return dst


def _copy(root, rel, dest):
    """Copy ROOT/REL to DEST/REL, keeping symlinks (and copying their targets)."""
    src = os.path.join(root, rel)
    dst = os.path.join(dest, rel)
    if os.path.lexists(dst):
        return
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if os.path.islink(src):
        target = os.readlink(src)
        os.symlink(target, dst)
        nxt = os.path.normpath(os.path.join(os.path.dirname(rel), target)) \
            if not target.startswith("/") else target.lstrip("/")
        _copy(root, nxt, dest)
    else:
        shutil.copy2(src, dst)


def _builtin(moddir):
    """Names of the modules this kernel has built in (modules.builtin)."""
    try:
        with open(os.path.join(moddir, "modules.builtin")) as f:
            return {os.path.basename(line.strip()).split(".ko")[0].replace("-", "_")
                    for line in f}
    except OSError:
        return set()


def module_order(moddir, names):
    """Relative paths of NAMES and their dependencies, dependencies first.
    Names the kernel has built in are left out."""
    builtin = _builtin(moddir)
    deps = {}
    for line in open(os.path.join(moddir, "modules.dep")):
        mod, _, rest = line.partition(":")
        deps[mod] = rest.split()
    byname = {os.path.basename(m).split(".ko")[0].replace("-", "_"): m for m in deps}
    order = []

    def visit(m):
        if m in order:
            return
        for d in deps[m]:
            visit(d)
        order.append(m)
    for n in names:
        key = n.replace("-", "_")
        if key in builtin:
            continue
        if key not in byname:
            raise RuntimeError("module %s not in modules.dep" % n)
        visit(byname[key])
    return order


def depmod(root):
    """modules.dep for the unpacked kernel (the .deb does not ship it)."""
    p = cache.paths(root)
    if not os.path.exists(os.path.join(p["modules"], "modules.dep")):
        with cache.lock():
            if not os.path.exists(os.path.join(p["modules"], "modules.dep")):
                subprocess.run(["depmod", "-b", root, p["kver"]], check=True)
    return p["modules"]


def _fingerprint(root, extra):
    h = hashlib.sha256()
    h.update(open(os.path.join(os.path.dirname(root), "manifest"), "rb").read())
    h.update(cache.xen_version().encode())
    # Names and contents, not paths: every checkout of the same sources
    # shares one initramfs.
    for path in [os.path.join(DOM0_FILES, f) for f in sorted(os.listdir(DOM0_FILES))] + \
            [__file__]:
        h.update(os.path.basename(path).encode() + open(path, "rb").read())
    h.update(repr(extra).encode())
    return h.hexdigest()[:16]


def cpio(srcdir, out):
    """Write SRCDIR as a newc cpio archive with the cpio tool."""
    files = subprocess.run("find . -mindepth 1 | LC_ALL=C sort", shell=True, cwd=srcdir,
                           check=True, capture_output=True).stdout
    with open(out, "wb") as f:
        subprocess.run(["cpio", "--quiet", "-o", "-H", "newc", "-R", "0:0"], cwd=srcdir,
                       input=files, stdout=f, check=True)


def build(root):
    """Return the path of dom0's base initramfs, building it if needed."""
    with cache.lock():
        return _build(root)


def _build(root):
    moddir = depmod(root)
    p = cache.paths(root)
    out = os.path.join(cache.xen_dir(), "dom0-%s.cpio" % _fingerprint(root, MODULES))
    if os.path.exists(out):
        cache.prune(out, "dom0-*.cpio")
        return out
    cache.log("assembling dom0 initramfs (Xen %s)" % cache.xen_version())
    programs = [p["xen_bin"] + "/" + x for x in XEN_PROGRAMS] + PROGRAMS
    with tempfile.TemporaryDirectory(dir=cache.xen_dir()) as st:
        for d in ("bin", "dev", "proc", "sys", "run", "tmp", "var", "etc/xen/scripts", "guest"):
            os.makedirs(os.path.join(st, d), exist_ok=True)
        shutil.copy2(p["busybox"], os.path.join(st, "bin/busybox"))
        os.symlink("busybox", os.path.join(st, "bin/sh"))  # for /init's #!
        for f in ("vport", "vdisk", "guest-console"):
            shutil.copy2(os.path.join(DOM0_FILES, f), os.path.join(st, "bin", f))
        shutil.copy2(os.path.join(DOM0_FILES, "init"), os.path.join(st, "init"))
        shutil.copy2(os.path.join(DOM0_FILES, "block"), os.path.join(st, "etc/xen/scripts/block"))
        shutil.copy2(os.path.join(DOM0_FILES, "xl.conf"), os.path.join(st, "etc/xen/xl.conf"))
        todo = list(programs)
        libs = set()
        for prog in programs:
            _copy(root, prog, st)
        while todo:
            for n in _needed(os.path.join(st, todo.pop())):
                if n not in libs:
                    libs.add(n)
                    rel = _find_lib(root, n)
                    _copy(root, rel, st)
                    todo.append(rel)
        for n in EXTRA_LIBS:
            _copy(root, _find_lib(root, n), st)
        _copy(root, "lib/ld-linux-aarch64.so.1", st)
        kmods = os.path.join("lib/modules", p["kver"])
        with open(os.path.join(st, "etc/modules.load"), "w") as f:
            for m in module_order(moddir, MODULES):
                dst = copy_module(os.path.join(root, kmods, m), os.path.join(st, kmods, m))
                f.write(os.path.relpath(dst, os.path.join(st, "lib/modules")) + "\n")
        cpio(st, out + ".tmp")
    os.replace(out + ".tmp", out)
    cache.prune(out, "dom0-*.cpio")
    return out
