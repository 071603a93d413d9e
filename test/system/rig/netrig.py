# SPDX-License-Identifier: MIT
"""What the network tests add to dom0, without touching its base initramfs.

Everything comes as extra files (the tests' `files=`, appended to dom0's
initramfs as a second cpio archive): the vif hotplug script, the servers'
set-up script, Debian's atftpd and the libraries it needs, and the bridge and
netback modules of the kernel already in the cache. atftpd is used because it
implements TFTP's windowsize (RFC 7440), which neither tftpd-hpa nor dnsmasq
in Debian 12 does; DHCP and HTTP are busybox's udhcpd and httpd.

    dom0_files()        {path in dom0: host path}
    SRV                 the directory dom0 serves by TFTP and HTTP
    setup(t)            start them (idempotent): t.dom0("net-servers /srv")
"""
import glob
import os
import re
import subprocess

from . import cache, dom0

HERE = os.path.dirname(os.path.abspath(__file__))
# Apart from test/system/dom0/, whose contents key the cached base initramfs.
NET_FILES = os.path.join(os.path.dirname(HERE), "net")
SRV = "/srv"
PACKAGES = ["atftpd"]
PROGRAMS = ["usr/sbin/atftpd"]
MODULES = ["bridge", "xen-netback"]


def _net_dir():
    return os.path.join(cache.xen_dir(), "net")  # atftpd from the rig's own release


def _fetch():
    """atftpd and the libraries it Depends on, unpacked under xen-VERSION/net/root."""
    top = _net_dir()
    root = os.path.join(top, "root")
    if os.path.exists(os.path.join(root, ".stamp")):
        return root
    debs = os.path.join(top, "debs")
    os.makedirs(debs, exist_ok=True)
    seen = cache.with_libraries(PACKAGES)
    cache.log("downloading %d arm64 packages for the network tests" % len(seen))
    cache.download(seen, debs)
    subprocess.run(["rm", "-rf", root], check=True)
    os.makedirs(root)
    for deb in glob.glob(os.path.join(debs, "*_arm64.deb")):
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    open(os.path.join(root, ".stamp"), "w").close()
    return root


def _needed(path):
    out = subprocess.run(["readelf", "-dW", path], text=True, capture_output=True).stdout
    return re.findall(r"\(NEEDED\).*\[(.+)\]", out)


def _find(roots, name):
    for r in roots:
        for d in dom0.LIB_DIRS:
            p = os.path.join(r, d, name)
            if os.path.exists(p):
                return d + "/" + name, p
    raise RuntimeError("library %s not found for the network tests" % name)


def dom0_files():
    """{path in dom0: host path}: programs, their libraries, modules, scripts."""
    with cache.lock():
        net = _fetch()
    base = cache.fetch()
    files = {"/etc/xen/scripts/vif-bridge": os.path.join(NET_FILES, "vif-bridge"),
             "/bin/net-servers": os.path.join(NET_FILES, "net-servers")}
    todo = []
    for prog in PROGRAMS:
        files["/" + prog] = os.path.join(net, prog)
        todo.append(os.path.join(net, prog))
    have = set()
    while todo:
        for n in _needed(todo.pop()):
            if n in have:
                continue
            have.add(n)
            rel, host = _find([base, net], n)
            files["/" + rel] = host  # the same file again if dom0 has it: harmless
            todo.append(host)
    p = cache.paths(base)
    moddir = dom0.depmod(base)
    for m in dom0.module_order(moddir, MODULES):
        files["/lib/modules/%s/%s" % (p["kver"], _plain_ko(m))] = _plain_module(moddir, m)
    return files


def _plain_ko(rel):
    """The module's path without the compression suffix newer Debian kernels add
    (Debian 13's are .ko.xz): net-servers insmods .ko paths."""
    for ext in (".xz", ".zst", ".gz"):
        if rel.endswith(ext):
            return rel[:-len(ext)]
    return rel


def _plain_module(moddir, rel):
    """The host path of REL uncompressed, made once next to it in the cache."""
    plain = os.path.join(moddir, _plain_ko(rel))
    if plain != os.path.join(moddir, rel) and not os.path.exists(plain):
        with cache.lock():
            if not os.path.exists(plain):
                dom0.copy_module(os.path.join(moddir, rel), os.path.join(moddir, rel))
    return plain


def setup(t):
    t.dom0("net-servers %s" % SRV, timeout=120)
