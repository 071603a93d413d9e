# SPDX-License-Identifier: MIT
"""U-Boot's xenguest build, from Debian's own u-boot source package, as an anchor.

pvboot's load rates are compared with U-Boot's (`ext4load` of the same file,
same disk, same run). U-Boot is built from the source package of the Debian
release the rig's default Xen comes from (bookworm's u-boot, 2023.01), with
xenguest_arm64_defconfig and the cross compiler pvboot itself uses, Debian's
own patch series (dpkg-source -x applies it) and one fix of U-Boot's own,
PVBLOCK_FIX below, without which 2023.01 cannot load a file whose extents
do not start on 4 KiB boundaries of the destination.

One configuration change: xenguest_arm64_defconfig leaves out the crc32
command; CMD_CRC32 is turned on so that the loaded bytes can be checked
against the host, as pvboot's are. It adds a command and touches no load
path (fs/, drivers/xen/, drivers/block/).

The source comes through an apt configuration of our own holding only
deb-src lines for that release (on the mirror the system's apt uses), so
the system's apt sources are never changed. Built once into
$PVBOOT_CACHE/system/uboot-VERSION-BUILD_TAG/:
  u-boot.bin   the image to boot as a domU's kernel
  config       the .config it was built with
  build.log    the last lines of the build
"""
import glob
import os
import re
import shutil
import subprocess
import tempfile

from . import cache

SOURCE = "u-boot"
RELEASE = "bookworm"
DEFCONFIG = "xenguest_arm64_defconfig"
EXTRA_CONFIG = ["CONFIG_CMD_CRC32=y"]
CROSS_COMPILE = "aarch64-linux-gnu-"
# pvblock_iop() in 2023.01 reads in chunks of BLKIF_MAX_SEGMENTS_PER_REQUEST
# (11) pages; when the destination is sector- but not page-aligned (a 1 KiB-
# block ext4 file after a hole: ext4load reads straight into the destination
# at the block's file offset) such a chunk spans 12 pages and blkfront_aio()
# stops at BUG_ON(n > BLKIF_MAX_SEGMENTS_PER_REQUEST) ("BUG at
# drivers/xen/pvblock.c:485/blkfront_aio()!", then a reset), seen on the rig.
# U-Boot 2025.01 (Debian trixie's source) reads 10 pages at a time instead;
# the same change here, and nothing else.
PVBLOCK_FIX = ("drivers/xen/pvblock.c",
               "min((size_t)(BLKIF_MAX_SEGMENTS_PER_REQUEST * PAGE_SIZE),",
               "min((size_t)((BLKIF_MAX_SEGMENTS_PER_REQUEST - 1) * PAGE_SIZE),")
# Named in the cache directory: a build without the fix is not taken for one with it.
BUILD_TAG = "pvblock10"
# What building U-Boot's xenguest image needs on the host beyond pvboot's own
# tool chain (scripts/deps installs them): bison and flex for Kconfig and dtc,
# bc for the build's scripts, libssl-dev for mkimage (TOOLS_LIBCRYPTO),
# dpkg-dev for dpkg-source.
HOST_DEPS = ["bison", "flex", "bc", "libssl-dev", "dpkg-dev", "xz-utils", "make",
             "gcc", "gcc-aarch64-linux-gnu"]


def _apt_env():
    """APT_CONFIG with only deb-src lines for RELEASE, private lists and cache."""
    d = os.path.join(cache.cache_dir(), "apt-%s-src" % RELEASE)
    conf = os.path.join(d, "apt.conf")
    if not os.path.exists(conf):
        with cache.lock("lock-apt-%s-src" % RELEASE):
            if not os.path.exists(conf):
                cache.write_apt_conf(d, RELEASE, conf, source=True)
    return dict(os.environ, APT_CONFIG=conf), d


def _apt(args, check=True, **kw):
    env, _ = _apt_env()
    r = subprocess.run(args, text=True, capture_output=True, env=env, **kw)
    if check and r.returncode:
        raise RuntimeError("%s failed:\n%s%s" % (" ".join(args), r.stdout[-2000:],
                                                 r.stderr[-2000:]))
    return r


def _update():
    cache.log("apt-get update (Debian %s source lists, private to the rig)" % RELEASE)
    with cache.lock("lock-apt-%s-src" % RELEASE):
        _apt(["apt-get", "update", "-q"])


def version():
    """The newest version of SOURCE the (private, possibly old) source lists name."""
    _, d = _apt_env()
    if not glob.glob(os.path.join(d, "lists", "*_Sources*")):
        _update()
    out = _apt(["apt-cache", "showsrc", "--only-source", SOURCE]).stdout
    vers = re.findall(r"^Version: (\S+)", out, re.M)
    if not vers:
        raise RuntimeError("no %s source package in Debian %s's lists" % (SOURCE, RELEASE))
    newest = vers[0]
    for v in vers[1:]:
        if subprocess.run(["dpkg", "--compare-versions", v, "gt", newest]).returncode == 0:
            newest = v
    return newest


def missing_host_deps():
    missing = []
    for p in HOST_DEPS:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
                           text=True)
        if "ok installed" not in r.stdout:
            missing.append(p)
    return missing


def _fetch_source(ver, top):
    """The unpacked source tree of SOURCE VER (downloaded once into TOP/src)."""
    src = os.path.join(top, "src")
    os.makedirs(src, exist_ok=True)
    plain = re.sub(r"^\d+:", "", ver)
    dsc = os.path.join(src, "%s_%s.dsc" % (SOURCE, plain))
    if not os.path.exists(dsc):
        cache.log("downloading the %s %s source package into %s" % (SOURCE, ver, src))
        r = _apt(["apt-get", "source", "--download-only", "%s=%s" % (SOURCE, ver)],
                 check=False, cwd=src)
        if r.returncode:  # the lists may predate the mirror's files
            _update()
            _apt(["apt-get", "source", "--download-only", "%s=%s" % (SOURCE, ver)], cwd=src)
    return dsc


def _fix(tree):
    path, old, new = PVBLOCK_FIX
    path = os.path.join(tree, path)
    with open(path) as f:
        text = f.read()
    if text.count(old) != 1:
        raise RuntimeError("%s: the line PVBLOCK_FIX replaces is not there once" % path)
    with open(path, "w") as f:
        f.write(text.replace(old, new))


def build():
    """The cached u-boot.bin of Debian's newest u-boot for RELEASE; built if missing."""
    ver = version()
    top = os.path.join(cache.cache_dir(), "uboot-%s-%s" % (ver, BUILD_TAG))
    binary = os.path.join(top, "u-boot.bin")
    if os.path.exists(binary):
        return binary
    with cache.lock("lock-uboot"):
        if os.path.exists(binary):
            return binary
        missing = missing_host_deps()
        if missing:
            raise RuntimeError("building U-Boot needs %s (scripts/deps installs them)"
                               % " ".join(missing))
        dsc = _fetch_source(ver, top)
        work = tempfile.mkdtemp(prefix="pvboot-uboot-")
        try:
            tree, out = os.path.join(work, "src"), os.path.join(work, "build")
            # apt-get checked the files against the signed Release's index;
            # dpkg-source's own check of the .dsc's signature needs the Debian
            # maintainers' keyring (debian-keyring), which we do not install.
            r = subprocess.run(["dpkg-source", "-x", dsc, tree], capture_output=True,
                               text=True)
            if r.returncode:
                raise RuntimeError("dpkg-source -x %s failed:\n%s%s"
                                   % (dsc, r.stdout[-2000:], r.stderr[-2000:]))
            _fix(tree)
            env = dict(os.environ, CROSS_COMPILE=CROSS_COMPILE)
            env.pop("ARCH", None)
            log = os.path.join(work, "build.log")
            cache.log("building U-Boot %s (%s) in %s" % (ver, DEFCONFIG, work))
            with open(log, "w") as f:
                def make(*args):
                    r = subprocess.run(["make", "-C", tree, "O=" + out] + list(args),
                                       env=env, stdout=f, stderr=subprocess.STDOUT)
                    if r.returncode:
                        f.flush()
                        raise RuntimeError("U-Boot build failed (make %s):\n%s"
                                           % (" ".join(args), open(log).read()[-3000:]))
                make(DEFCONFIG)
                with open(os.path.join(out, ".config"), "a") as c:
                    c.write("".join(line + "\n" for line in EXTRA_CONFIG))
                make("olddefconfig")
                config = open(os.path.join(out, ".config")).read()
                for line in EXTRA_CONFIG:
                    if not re.search("^%s$" % re.escape(line), config, re.M):
                        raise RuntimeError("U-Boot's olddefconfig dropped %s" % line)
                make("-j%d" % (os.cpu_count() or 1))
            os.makedirs(top, exist_ok=True)
            shutil.copy(os.path.join(out, ".config"), os.path.join(top, "config"))
            with open(log) as f:
                tail = f.read()[-3000:]
            with open(os.path.join(top, "build.log"), "w") as f:
                f.write(tail)
            shutil.copy(os.path.join(out, "u-boot.bin"), binary + ".tmp")
            os.replace(binary + ".tmp", binary)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return binary
