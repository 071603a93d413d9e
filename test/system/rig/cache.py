# SPDX-License-Identifier: MIT
"""Fetch Debian arm64 packages with apt-get download and unpack them.

Everything lives in one cache directory ($PVBOOT_CACHE/system, default
~/.cache/pvboot/system) so that reruns touch neither the network nor apt:
  debs/       the .deb files
  root/       all of them unpacked (dpkg-deb -x) into one tree
  manifest    the resolved package names, written once everything is fetched
"""
import contextlib
import fcntl
import glob
import os
import re
import subprocess
import sys

# What the rig needs; libraries are added by following Depends.
ROOT_PACKAGES = [
    "xen-hypervisor-4.17-arm64",
    "xen-utils-4.17",
    "xenstore-utils",
    "busybox-static",
]
KERNEL_META = "linux-image-arm64"
# Only library packages are followed: xen-utils also depends on python3 and
# xen-utils-common (scripts needing bash), which dom0 does not need.
FOLLOW = re.compile(r"^(lib|zlib)")
SKIP = re.compile(r"(-dev|-doc|-data|-common)$")


def cache_dir():
    base = os.environ.get("PVBOOT_CACHE") or os.path.expanduser("~/.cache/pvboot")
    return os.path.join(base, "system")


_lock_depth = 0


@contextlib.contextmanager
def lock():
    """Serialise cache updates between concurrent runs (several engineers, CI
    jobs). Re-entrant within one process."""
    global _lock_depth
    if _lock_depth:
        _lock_depth += 1
        try:
            yield
        finally:
            _lock_depth -= 1
        return
    os.makedirs(cache_dir(), exist_ok=True)
    with open(os.path.join(cache_dir(), ".lock"), "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        _lock_depth = 1
        try:
            yield
        finally:
            _lock_depth = 0
            fcntl.flock(f, fcntl.LOCK_UN)


def log(msg):
    print("system: " + msg, file=sys.stderr, flush=True)


def _apt(args, check=True):
    return subprocess.run(args, check=check, text=True, capture_output=True)


def _ensure_arm64_lists():
    archs = _apt(["dpkg", "--print-foreign-architectures"]).stdout.split()
    fresh = False
    if "arm64" not in archs:
        log("adding dpkg architecture arm64")
        subprocess.run(["dpkg", "--add-architecture", "arm64"], check=True)
        fresh = True
    probe = _apt(["apt-cache", "show", "busybox-static:arm64"], check=False)
    if fresh or probe.returncode != 0 or not probe.stdout.strip():
        log("apt-get update (arm64 package lists)")
        subprocess.run(["apt-get", "update", "-q"], check=True,
                       stdout=subprocess.DEVNULL)


def _depends(pkgs):
    """{package: [names it Depends on]} for several packages in one apt call
    (each apt-cache start costs over a second with two architectures)."""
    out = _apt(["apt-cache", "depends", "--no-recommends", "--no-suggests",
                "--no-conflicts", "--no-breaks", "--no-replaces",
                "--no-enhances"] + [p + ":arm64" for p in pkgs]).stdout
    deps, cur = {}, None
    for line in out.splitlines():
        if not line.startswith(" "):
            cur = deps.setdefault(line.strip().split(":")[0], [])
            continue
        m = re.match(r"\s*\|?(Pre)?Depends: ([^<>\s]+)", line)
        if m and cur is not None:
            cur.append(m.group(2).split(":")[0])
    return deps


def resolve():
    """The full package list: roots, the current kernel, their libraries."""
    meta = _depends([KERNEL_META]).get(KERNEL_META, [])
    kernel = [d for d in meta if d.startswith("linux-image-")]
    if not kernel:
        raise RuntimeError("cannot resolve %s:arm64 to a kernel package" % KERNEL_META)
    seen = []
    level = ROOT_PACKAGES + kernel[:1]
    while level:
        seen += level
        nxt = []
        for deps in _depends(level).values():
            for d in deps:
                if FOLLOW.match(d) and not SKIP.search(d) and d not in seen + nxt:
                    nxt.append(d)
        level = nxt
    return seen


def _deb_for(debs, pkg):
    hits = glob.glob(os.path.join(debs, glob.escape(pkg) + "_*_arm64.deb"))
    return sorted(hits)[-1] if hits else None


def fetch():
    """Make sure every package is downloaded and unpacked; return the root tree."""
    with lock():
        return _fetch()


def _fetch():
    top = cache_dir()
    debs = os.path.join(top, "debs")
    root = os.path.join(top, "root")
    manifest = os.path.join(top, "manifest")
    os.makedirs(debs, exist_ok=True)
    if os.path.exists(manifest):
        pkgs = open(manifest).read().split()
        if all(_deb_for(debs, p) for p in pkgs) and os.path.exists(root + "/.stamp"):
            return root
    else:
        _ensure_arm64_lists()
        pkgs = resolve()
    missing = [p for p in pkgs if not _deb_for(debs, p)]
    if missing:
        _ensure_arm64_lists()
        log("downloading %d arm64 packages into %s" % (len(missing), debs))
        r = subprocess.run(["apt-get", "download"] + [p + ":arm64" for p in missing],
                           cwd=debs, text=True, capture_output=True)
        if r.returncode != 0:
            raise RuntimeError("apt-get download failed:\n" + r.stdout + r.stderr)
    if os.path.exists(root):
        subprocess.run(["rm", "-rf", root], check=True)
    os.makedirs(root)
    for p in pkgs:
        subprocess.run(["dpkg-deb", "-x", _deb_for(debs, p), root], check=True)
    with open(manifest + ".tmp", "w") as f:
        f.write("\n".join(pkgs) + "\n")
    os.replace(manifest + ".tmp", manifest)
    open(root + "/.stamp", "w").close()
    return root


def extra(pkg):
    """One more arm64 package beside the rig's root (a boot loader for the UEFI
    tests): downloaded once into debs/, unpacked into extra/PKG/; its tree."""
    with lock():
        top = cache_dir()
        debs = os.path.join(top, "debs")
        tree = os.path.join(top, "extra", pkg)
        if os.path.exists(tree + "/.stamp"):
            return tree
        os.makedirs(debs, exist_ok=True)
        if not _deb_for(debs, pkg):
            _ensure_arm64_lists()
            log("downloading %s:arm64 into %s" % (pkg, debs))
            r = subprocess.run(["apt-get", "download", pkg + ":arm64"], cwd=debs, text=True,
                               capture_output=True)
            if r.returncode != 0:
                raise RuntimeError("apt-get download failed:\n" + r.stdout + r.stderr)
        subprocess.run(["rm", "-rf", tree], check=True)
        os.makedirs(tree)
        subprocess.run(["dpkg-deb", "-x", _deb_for(debs, pkg), tree], check=True)
        open(tree + "/.stamp", "w").close()
        return tree


def kernel_version(root):
    mods = sorted(os.listdir(os.path.join(root, "lib/modules")))
    if not mods:
        raise RuntimeError("no kernel modules in " + root)
    return mods[-1]


def paths(root):
    """Well-known files in the unpacked tree."""
    kver = kernel_version(root)
    xen = sorted(glob.glob(os.path.join(root, "boot/xen-4.17*-arm64")))
    xen = [x for x in xen if not x.endswith((".efi", ".config"))]
    return {
        "xen": xen[0],
        "kernel": os.path.join(root, "boot/vmlinuz-" + kver),
        "kver": kver,
        "modules": os.path.join(root, "lib/modules", kver),
        "busybox": os.path.join(root, "bin/busybox"),
    }
