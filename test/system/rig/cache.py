# SPDX-License-Identifier: MIT
"""Fetch Debian arm64 packages with apt-get download and unpack them.

The rig runs one of several Xen versions, each the one a Debian release
ships, with that release's dom0 kernel. Packages come from the same mirror
the system's apt uses, through an apt configuration of the rig's own
(sources naming that release, arm64 only, its own lists and status), so the
system's apt sources are never changed.

Everything lives in one cache directory ($PVBOOT_CACHE/system, default
~/.cache/pvboot/system) so that reruns touch neither the network nor apt;
the private apt configuration, lists and status of each release in
apt-RELEASE/; per Xen version, in xen-VERSION/:
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
import time

# Xen version -> the Debian release that ships it, and that release's packages.
XEN_VERSIONS = {
    "4.17": {"release": "bookworm", "debian": "12"},
    "4.20": {"release": "trixie", "debian": "13"},
}
DEFAULT_XEN = "4.17"
KERNEL_META = "linux-image-arm64"
# Only library packages are followed: xen-utils also depends on python3 and
# xen-utils-common (scripts needing bash), which dom0 does not need.
FOLLOW = re.compile(r"^(lib|zlib)")
SKIP = re.compile(r"(-dev|-doc|-data|-common)$")

_xen = os.environ.get("PVBOOT_XEN") or DEFAULT_XEN


def select(version):
    """Make VERSION the Xen version the rig runs (and fetches) from now on."""
    global _xen
    if version not in XEN_VERSIONS:
        raise ValueError("unknown Xen version %s (known: %s)"
                         % (version, ", ".join(sorted(XEN_VERSIONS))))
    _xen = version


def xen_version():
    return _xen


def release():
    return XEN_VERSIONS[_xen]["release"]


def root_packages():
    """What the rig needs; libraries are added by following Depends."""
    return ["xen-hypervisor-%s-arm64" % _xen, "xen-utils-%s" % _xen, "xenstore-utils",
            "busybox-static"]


def cache_dir():
    """What every Xen version shares: images that do not depend on the rig's
    packages, the lock."""
    base = os.environ.get("PVBOOT_CACHE") or os.path.expanduser("~/.cache/pvboot")
    return os.path.join(base, "system")


def xen_dir():
    """The selected Xen version's packages and what is made from them."""
    return os.path.join(cache_dir(), "xen-" + _xen)


_lock_depth = {}


@contextlib.contextmanager
def lock(name="lock"):
    """Serialise cache updates between concurrent runs (several engineers, CI
    jobs). NAME picks the lock: a long build (an installed Debian) takes its
    own so that it does not hold up everyone's package fetches. Re-entrant
    within one process."""
    if _lock_depth.get(name):
        _lock_depth[name] += 1
        try:
            yield
        finally:
            _lock_depth[name] -= 1
        return
    os.makedirs(cache_dir(), exist_ok=True)
    with open(os.path.join(cache_dir(), "." + name), "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        _lock_depth[name] = 1
        try:
            yield
        finally:
            _lock_depth[name] = 0
            fcntl.flock(f, fcntl.LOCK_UN)


# How long a cached build nobody uses any more stays (see prune()).
STALE_DAYS = 7


def prune(keep, pattern):
    """Mark KEEP as in use and delete the files next to it that match
    PATTERN (a glob) and nobody has used for STALE_DAYS. Older builds are not
    deleted at once: another Xen version's run, or a run from another
    checkout whose sources differ, may use one right now or next."""
    now = time.time()
    if os.path.exists(keep):
        os.utime(keep, (now, now))
    for old in glob.glob(os.path.join(os.path.dirname(keep), pattern)):
        try:
            if old != keep and now - os.stat(old).st_mtime > STALE_DAYS * 86400:
                os.unlink(old)
        except FileNotFoundError:  # pruned by a concurrent run
            pass


def log(msg):
    print("system: " + msg, file=sys.stderr, flush=True)


def _mirror(suite):
    """The URI the system's apt fetches SUITE from (its apt-cache policy)."""
    out = subprocess.run(["apt-cache", "policy"], check=True, text=True,
                         capture_output=True).stdout
    m = re.search(r"^\s*\d+\s+(\S+)\s+%s/main\s" % re.escape(suite), out, re.M)
    if not m:
        raise RuntimeError("the system's apt has no source for %s/main (apt-cache policy)"
                           % suite)
    return m.group(1)


def _host_release():
    with open("/etc/os-release") as f:
        m = re.search(r"^VERSION_CODENAME=(\S+)", f.read(), re.M)
    if not m:
        raise RuntimeError("/etc/os-release names no VERSION_CODENAME")
    return m.group(1)


def write_apt_conf(d, rel, conf, source=False):
    """A private apt configuration in D (written to CONF) for Debian release
    REL on the mirrors the system uses: arm64 binary packages, or with SOURCE
    only deb-src lines (for building from a source package)."""
    host = _host_release()
    main, security = _mirror(host), _mirror(host + "-security")
    for sub in ("lists/partial", "archives/partial", "sources.list.d"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    with open(os.path.join(d, "sources.list"), "w") as f:
        if source:
            for suite in (rel, rel + "-updates"):
                f.write("deb-src [signed-by=%s] %s %s main\n" % (keyring, main, suite))
            f.write("deb-src [signed-by=%s] %s %s-security main\n" % (keyring, security, rel))
        else:
            f.write("deb [signed-by=%s] %s %s %s-updates main\n" % (keyring, main, rel, rel))
            f.write("deb [signed-by=%s] %s %s-security main\n" % (keyring, security, rel))
    open(os.path.join(d, "status"), "w").close()
    with open(conf + ".tmp", "w") as f:
        f.write('Dir::Etc::SourceList "%(d)s/sources.list";\n'
                'Dir::Etc::SourceParts "%(d)s/sources.list.d";\n'
                'Dir::State "%(d)s";\n'
                'Dir::State::Lists "%(d)s/lists";\n'
                'Dir::State::status "%(d)s/status";\n'
                'Dir::Cache "%(d)s";\n'
                'Dir::Cache::Archives "%(d)s/archives";\n' % {"d": d})
        if source:
            f.write('APT::Sandbox::User "root";\n')
        else:
            f.write('APT::Architecture "arm64";\n'
                    'APT::Architectures { "arm64"; };\n')
        f.write('Acquire::Languages "none";\n')
    os.replace(conf + ".tmp", conf)


def _apt_env(rel):
    """APT_CONFIG for Debian release REL: sources naming it (and its -updates
    and -security suites) on the mirrors the system uses, arm64 as the only
    architecture, private lists, cache and an empty dpkg status."""
    d = os.path.join(cache_dir(), "apt-" + rel)
    conf = os.path.join(d, "apt.conf")
    if not os.path.exists(conf):
        with lock("lock-apt-" + rel):
            if not os.path.exists(conf):
                write_apt_conf(d, rel, conf)
    return dict(os.environ, APT_CONFIG=conf)


def _apt(args, check=True, rel=None, **kw):
    return subprocess.run(args, check=check, text=True, capture_output=True,
                          env=_apt_env(rel or release()), **kw)


def _ensure_lists(refresh=False, rel=None):
    rel = rel or release()
    lists = os.path.join(cache_dir(), "apt-" + rel, "lists")
    if refresh or not glob.glob(os.path.join(lists, "*_Packages*")):
        log("apt-get update (Debian %s arm64 package lists, private to the rig)" % rel)
        with lock("lock-apt-" + rel):
            r = _apt(["apt-get", "update", "-q"], check=False, rel=rel)
        if r.returncode:
            raise RuntimeError("apt-get update for %s failed:\n%s%s"
                               % (rel, r.stdout[-2000:], r.stderr[-2000:]))


def newest_kernel_deb(rel, dest):
    """Download the .deb of the kernel Debian release REL's linux-image-arm64
    names now (with its -updates and -security suites) into DEST; return its path."""
    _ensure_lists(rel=rel)
    out = _apt(["apt-cache", "depends", "--no-recommends", KERNEL_META], rel=rel).stdout
    names = re.findall(r"Depends: (linux-image-[^\s:]+)", out)
    if not names:
        raise RuntimeError("cannot resolve %s in Debian %s" % (KERNEL_META, rel))
    hits = glob.glob(os.path.join(dest, glob.escape(names[0]) + "_*_arm64.deb"))
    if not hits:
        _apt(["apt-get", "download", names[0]], rel=rel, cwd=dest)
        hits = glob.glob(os.path.join(dest, glob.escape(names[0]) + "_*_arm64.deb"))
    if not hits:
        raise RuntimeError("apt-get download %s left no .deb in %s" % (names[0], dest))
    return sorted(hits)[-1]


def download(pkgs, dest):
    """apt-get download PKGS (arm64, the selected Xen version's Debian
    release) into DEST, through the rig's private apt configuration."""
    _ensure_lists()
    r = _apt(["apt-get", "download"] + pkgs, check=False, cwd=dest)
    if r.returncode != 0:
        _ensure_lists(refresh=True)  # the lists may predate the mirror's files
        r = _apt(["apt-get", "download"] + pkgs, check=False, cwd=dest)
    if r.returncode != 0:
        raise RuntimeError("apt-get download %s failed:\n%s%s"
                           % (" ".join(pkgs), r.stdout, r.stderr))


def _depends(pkgs):
    """{package: [names it Depends on]} for several packages in one apt call
    (each apt-cache start costs over a second)."""
    out = _apt(["apt-cache", "depends", "--no-recommends", "--no-suggests",
                "--no-conflicts", "--no-breaks", "--no-replaces",
                "--no-enhances"] + pkgs).stdout
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
        raise RuntimeError("cannot resolve %s (Debian %s, arm64) to a kernel package"
                           % (KERNEL_META, release()))
    return with_libraries(root_packages() + kernel[:1])


def with_libraries(pkgs):
    """PKGS and the library packages they depend on, directly or not."""
    _ensure_lists()
    seen = []
    level = list(pkgs)
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
    top = xen_dir()
    debs = os.path.join(top, "debs")
    root = os.path.join(top, "root")
    manifest = os.path.join(top, "manifest")
    os.makedirs(debs, exist_ok=True)
    if os.path.exists(manifest):
        pkgs = open(manifest).read().split()
        if all(_deb_for(debs, p) for p in pkgs) and os.path.exists(root + "/.stamp"):
            return root
    else:
        _ensure_lists()
        pkgs = resolve()
    missing = [p for p in pkgs if not _deb_for(debs, p)]
    if missing:
        log("downloading %d arm64 packages (Debian %s) into %s"
            % (len(missing), release(), debs))
        download(missing, debs)
    if os.path.exists(root):
        subprocess.run(["rm", "-rf", root], check=True)
    os.makedirs(root)
    for p in pkgs:
        subprocess.run(["dpkg-deb", "-x", _deb_for(debs, p), root], check=True)
    # Releases with a merged /usr ship /lib, /bin and /sbin only as the
    # symlinks base-files makes; make them, as an installed system has them.
    for d in ("lib", "bin", "sbin"):
        if not os.path.lexists(os.path.join(root, d)) and \
                os.path.isdir(os.path.join(root, "usr", d)):
            os.symlink("usr/" + d, os.path.join(root, d))
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
            log("downloading %s (arm64, Debian %s) into %s" % (pkg, release(), debs))
            download([pkg], debs)
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
    xen = sorted(glob.glob(os.path.join(root, "boot/xen-%s*-arm64" % _xen)))
    xen = [x for x in xen if not x.endswith((".efi", ".config"))]
    if not xen:
        raise RuntimeError("no Xen %s hypervisor in %s/boot" % (_xen, root))
    return {
        "xen": xen[0],
        "xen_bin": "usr/lib/xen-%s/bin" % _xen,
        "kernel": os.path.join(root, "boot/vmlinuz-" + kver),
        "kver": kver,
        "modules": os.path.join(root, "lib/modules", kver),
        "busybox": os.path.join(root, "bin/busybox"),
    }
