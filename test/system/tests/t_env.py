# SPDX-License-Identifier: MIT
"""The environment on disk and A/B boot on real Xen (docs/environment.md).

- env-saveenv: pvboot saves a value, the domain is destroyed, a new domain
  on the same disk loads it before bootcmd.
- env-destroy-during-saveenv: a loop of saveenv, the domain destroyed at a
  random moment in it, several times: every next boot loads a complete
  environment, the previous one or a newer one, never the defaults.
- env-linux-ab: Debian's own fw_printenv/fw_setenv (libubootenv-tool:arm64,
  unchanged) in the booted guest read pvboot's environment and install
  "slot B" (bootcmd, bootcount, upgrade_available); the guest reboots and
  nobody types anything from then on: slot B's kernel is broken (cut short:
  the domain crashes when it is started, and on_crash = "restart" brings it
  back, as an A/B guest is configured), pvboot counts each attempt (saving
  bootcount before bootcmd) and after bootlimit runs altbootcmd, slot A,
  whose Linux sees the failed update through fw_printenv and rolls back.
"""
import glob
import os
import random
import re
import shutil
import subprocess
import time

from rig import cache, dom0, images
from rig.session import PROMPT
from rig.testlib import systest

ENV_SIZE = 0x4000
MEMORY = 256
FW_PACKAGES = ["libubootenv-tool", "libubootenv0.1"]
BROKEN_BYTES = 2 << 20
FAT_MODULES = images.BLK_MODULES + ["vfat", "nls_cp437", "nls_ascii", "nls_utf8"]


def _run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)


def fat_disk(out, files=None, size_mb=40):
    """An MBR disk with one FAT32 partition (mkfs.vfat, 512-byte clusters)
    holding FILES {path in the fs: host file} (mmd/mcopy)."""
    part = out + ".fat"
    if os.path.exists(part):
        os.unlink(part)
    _run(["mkfs.vfat", "-C", "-F", "32", "-s", "1", "-n", "PVENV", part, str(size_mb * 1024)])
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    for name, src in sorted((files or {}).items()):
        d = os.path.dirname(name)
        if d:
            subprocess.run(["mmd", "-i", part, "::/" + d], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _run(["mcopy", "-i", part, src, "::/" + name], env=env)
    images.mbr_disk(out, [(part, "c")])
    os.unlink(part)
    return out


def fw_tools():
    """libubootenv-tool:arm64 of the rig's Debian release, unpacked (its
    libraries beside the rig's): the root of the tree."""
    top = os.path.join(cache.xen_dir(), "ubootenv")
    root = os.path.join(top, "root")
    with cache.lock():
        if not os.path.exists(root + "/.stamp"):
            shutil.rmtree(top, ignore_errors=True)
            debs = os.path.join(top, "debs")
            os.makedirs(debs)
            cache.log("downloading libubootenv-tool:arm64 (Debian %s)" % cache.release())
            # With the libraries the rig's packages do not bring: which ones
            # depends on the release (Debian 13's libubootenv needs libyaml).
            with open(os.path.join(cache.xen_dir(), "manifest")) as f:
                have = set(f.read().split())
            cache.download([p for p in cache.with_libraries(FW_PACKAGES) if p not in have], debs)
            os.makedirs(root)
            for deb in glob.glob(os.path.join(debs, "*.deb")):
                _run(["dpkg-deb", "-x", deb, root])
            open(root + "/.stamp", "w").close()
    return root


def _with_libs(extra, bins, roots):
    """EXTRA {initramfs path: host file} += BINS and the libraries they need."""
    def find(rel_or_name, is_lib):
        for r in roots:
            if is_lib:
                try:
                    return r, dom0._find_lib(r, rel_or_name)
                except RuntimeError:
                    continue
            elif os.path.exists(os.path.join(r, rel_or_name)):
                return r, rel_or_name
        raise RuntimeError("%s not found in %s" % (rel_or_name, roots))
    todo = []
    for b in bins:
        r, rel = find(b, False)
        extra["/" + rel] = os.path.join(r, rel)
        todo.append(os.path.join(r, rel))
    seen = set()
    while todo:
        for n in dom0._needed(todo.pop()):
            if n in seen:
                continue
            seen.add(n)
            r, rel = find(n, True)
            extra["/" + rel] = os.path.realpath(os.path.join(r, rel))
            todo.append(os.path.realpath(os.path.join(r, rel)))
    r, rel = find("lib/ld-linux-aarch64.so.1", False)
    extra["/" + rel] = os.path.realpath(os.path.join(r, rel))
    return extra


# The guest (slot A's Linux): mount the FAT partition, read pvboot's
# environment with Debian's fw_printenv, and either install slot B and
# reboot, or, if pvboot fell back after a failed update, roll back.
GUEST_INIT = images.GUEST_INIT + """echo "pvboot-guest: init running on $(uname -r)"
i=0; while [ ! -b /dev/xvda1 ] && [ $i -lt 60 ]; do sleep 0.5; i=$((i+1)); done
mkdir -p /boot/efi
mount -t vfat /dev/xvda1 /boot/efi || echo "pvboot-guest: cannot mount /dev/xvda1"
echo "/boot/efi/uboot.env 0x0000 0x%x" >/etc/fw_env.config
get() { fw_printenv -n "$1" 2>/dev/null; }
echo "pvboot-guest: env: bootcmd=[$(get bootcmd)] upgrade_available=[$(get upgrade_available)] bootcount=[$(get bootcount)] bootlimit=[$(get bootlimit)]"
if [ "$(get upgrade_available)" = 1 ]; then
	echo "pvboot-guest: update failed after $(get bootcount) boots, back on slot A"
	fw_setenv upgrade_available && fw_setenv bootcount 0 && fw_setenv bootcmd 'run slot_a'
	echo "pvboot-guest: rolled back: bootcmd=[$(get bootcmd)] upgrade_available=[$(get upgrade_available)]"
	umount /boot/efi
	exec setsid cttyhack sh
fi
fw_setenv bootcmd 'run slot_b' && fw_setenv bootcount 0 && fw_setenv upgrade_available 1 &&
	echo "pvboot-guest: slot B installed: bootcmd=[$(get bootcmd)], rebooting"
umount /boot/efi
sync
reboot -f
""" % ENV_SIZE


def ab_disk(workdir):
    """FAT: a/Image (Debian's kernel), a/initrd.img (the guest above, with
    fw_printenv/fw_setenv), b/Image (the same kernel cut short: broken)."""
    p = cache.paths(images.root_tree())
    d = os.path.join(workdir, "env-ab")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    extra = _with_libs({}, ["usr/bin/fw_printenv", "usr/bin/fw_setenv"],
                       [fw_tools(), images.root_tree()])
    # The guest's PATH is /bin (busybox).
    for tool in ("fw_printenv", "fw_setenv"):
        extra["/bin/" + tool] = extra.pop("/usr/bin/" + tool)
    initrd = images.initramfs(os.path.join(d, "initrd.img"), GUEST_INIT, FAT_MODULES, extra)
    broken = os.path.join(d, "broken")
    with open(p["kernel"], "rb") as f, open(broken, "wb") as o:
        o.write(f.read(BROKEN_BYTES))
    size = (os.path.getsize(p["kernel"]) + os.path.getsize(initrd) + BROKEN_BYTES) >> 20
    return fat_disk(os.path.join(workdir, "env-ab.img"),
                    {"a/Image": p["kernel"], "a/initrd.img": initrd, "b/Image": broken},
                    size_mb=max(size + 24, 40))


def env_disk(workdir, name):
    return fat_disk(os.path.join(workdir, name + ".img"))


def start(t, serial, timeout=60):
    """pvboot on SERIAL (writable); wait for its banner and prompt (stopping
    the autoboot countdown if there is one)."""
    g = t.start(t.pvboot_path, memory=128, disks=[(serial, "xvda", "w")])
    g.expect(r"^pvboot ", timeout, mark="banner")
    g.first_byte()
    m = g.expect(r"Hit any key to stop autoboot: +(\d+)|%s" % PROMPT, timeout)
    g.banner = g.console.before  # everything from the banner to the countdown or prompt
    if m.group(0).startswith("Hit"):
        # bootdelay=0 shows the line too (as U-Boot) but leaves no time for a key.
        if m.group(1) != "0":
            g.send(" ")
        g.expect(PROMPT, 30)
    return g


@systest("env-saveenv", disks={"env-save": lambda w: env_disk(w, "env-save")})
def env_saveenv(t):
    g = start(t, "env-save")
    t.check_match(r"Loading Environment from FAT\.\.\. \*\*\* Warning - pvblock 0:1 uboot\.env: "
                  r"not found, using default environment", g.banner, "first boot: no file yet")
    token = "saved-%08x" % random.getrandbits(32)
    out = t.cmd(g, "setenv pvtest %s; setenv bootdelay 0; saveenv" % token, timeout=30)
    t.check_match(r"^Saving Environment to FAT\.\.\. OK \(pvblock 0:1 uboot\.env\)", out, "saveenv")
    g.destroy()
    g = start(t, "env-save")
    t.check_match(r"^Loading Environment from FAT\.\.\. OK \(pvblock 0:1 uboot\.env\)",
                  g.banner, "the next domain loads the saved environment")
    out = t.cmd(g, "printenv pvtest bootdelay")
    t.check_match(r"^pvtest=%s$" % token, out, "the value saved before the domain was destroyed")
    t.check_match(r"^bootdelay=0$", out, "bootdelay from the saved environment")


ROUNDS = 3
SAVES = 12


@systest("env-destroy-during-saveenv", disks={"env-cut": lambda w: env_disk(w, "env-cut")})
def env_destroy_during_saveenv(t):
    g = start(t, "env-cut")
    out = t.cmd(g, "setenv bootdelay 0; setenv pvtest r0-0; saveenv", timeout=30)
    t.check_match(r"Saving Environment to FAT\.\.\. OK", out, "first saveenv")
    # How long one save takes here (a loop of 4, less one command's round
    # trip), to spread the destroys over the loop.
    t0 = time.monotonic()
    t.cmd(g, "echo timing", timeout=30)
    t1 = time.monotonic()
    t.cmd(g, "for n in 1 2 3 4; do saveenv; done", timeout=60)
    one = max(0.05, (time.monotonic() - t1 - (t1 - t0)) / 4)
    prev, rng = "r0-0", random.Random()
    seq = " ".join(str(i) for i in range(1, SAVES + 1))
    for r in range(1, ROUNDS + 1):
        g.sendline("for n in %s; do setenv pvtest r%d-${n}; saveenv; done" % (seq, r))
        delay = rng.uniform(0.1, one * SAVES)
        time.sleep(delay)
        g.destroy()
        g = start(t, "env-cut")
        m = re.search(r"Loading Environment from FAT\.\.\. (.*)", g.banner)
        t.check(m and m.group(1).startswith("OK"),
                "round %d (destroyed %.2fs into the loop): the environment did not load: %s"
                % (r, delay, m.group(1) if m else "no message"))
        out = t.cmd(g, "printenv pvtest")
        m = re.search(r"^pvtest=(\S+)$", out, re.M)
        t.check(m and (m.group(1) == prev or m.group(1).startswith("r%d-" % r)),
                "round %d: pvtest=%s, expected %s or r%d-N" % (r, m and m.group(1), prev, r))
        print("  env-destroy-during-saveenv: round %d destroyed %.2fs into the loop "
              "(one save %.2fs): loaded pvtest=%s" % (r, delay, one, m.group(1)), flush=True)
        prev = m.group(1)
    g.destroy()
    why = fsck_partition(t.m.disks["env-cut"])
    t.check(not why, "after the destroys, fsck.fat -n on the host: " + (why or ""))


# What fsck.fat -n may report after a cut (docs/storage.md); anything else fails.
FSCK_OK = re.compile(r"^(fsck\.fat .*|FATs differ but appear to be intact\.|  Using first FAT\.|"
                     r"Reclaimed \d+ unused clusters? \(\d+ bytes\)\.|"
                     r"Free cluster summary uninitialized \(should be \d+\)|"
                     r"Leaving filesystem unchanged\.|.*: \d+ files, \d+/\d+ clusters|)$")


def fsck_partition(img):
    """fsck.fat -n of the disk's first partition (LBA 2048), read on the host
    (QEMU writes through to the file). None if fine, else the first bad line."""
    part = img + ".fsck"
    with open(img, "rb") as f, open(part, "wb") as o:
        f.seek(2048 * 512)
        shutil.copyfileobj(f, o)
    r = subprocess.run(["fsck.fat", "-n", part], text=True, capture_output=True)
    os.unlink(part)
    bad = [l for l in (r.stdout + r.stderr).splitlines() if not FSCK_OK.match(l)]
    return bad[0] if bad else None


SLOT = ("load pvblock 0:1 ${kernel_addr_r} %s/Image; "
        "load pvblock 0:1 ${ramdisk_addr_r} a/initrd.img; "
        "setenv bootargs console=hvc0 rdinit=/init; "
        "booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}")


@systest("env-linux-ab", disks={"env-ab": ab_disk})
def env_linux_ab(t):
    g = t.start(t.pvboot_path, memory=MEMORY, disks=[("env-ab", "xvda", "w")],
                more={"on_crash": '"restart"', "on_reboot": '"restart"'})
    g.expect(r"^pvboot ", 60, mark="banner")
    g.expect(r"Hit any key to stop autoboot", 60)
    g.send(" ")
    g.expect(PROMPT, 30)
    for line in ("setenv slot_a '%s'" % (SLOT % "a"),
                 "setenv slot_b '%s; echo slot B did not boot; reset'" % (SLOT % "b"),
                 "setenv bootcmd 'run slot_a'", "setenv altbootcmd 'run slot_a'",
                 "setenv bootlimit 2", "setenv bootdelay 0"):
        t.cmd(g, line)
    out = t.cmd(g, "saveenv", timeout=30)
    t.check_match(r"Saving Environment to FAT\.\.\. OK", out, "saveenv")
    # From here on nobody types: Linux, pvboot and the toolstack's restarts do it all.
    g.sendline("boot")
    g.expect(r"pvboot-guest: init running", 300, mark="slot-a-linux")
    m = g.expect(r"pvboot-guest: env: (.*)", 60)
    t.check("bootcmd=[run slot_a]" in m.group(1) and "bootlimit=[2]" in m.group(1),
            "fw_printenv in Linux does not read pvboot's environment: %s" % m.group(1))
    g.expect(r"pvboot-guest: slot B installed: bootcmd=\[run slot_b\], rebooting", 60)
    for n in (1, 2):
        g.expect(r"^pvboot ", 120)
        g.expect(r"Loading Environment from FAT\.\.\. OK", 60)
        g.expect(r"Saving Environment to FAT\.\.\. OK", 60)  # bootcount, before bootcmd
        # The broken kernel crashes the domain (or booti refuses it and slot_b resets).
        g.expect(r"\*\*\* domain crashed|slot B did not boot", 180,
                 mark="slot-b-failed-%d" % n)
    g.expect(r"^pvboot ", 120)
    g.expect(r"Warning: Bootlimit \(2\) exceeded\. Using altbootcmd\.", 60, mark="altbootcmd")
    g.expect(r"pvboot-guest: init running", 300, mark="slot-a-again")
    m = g.expect(r"pvboot-guest: env: (.*)", 60)
    t.check("upgrade_available=[1]" in m.group(1) and "bootcount=[3]" in m.group(1),
            "Linux does not see the failed update (bootcount 3): %s" % m.group(1))
    g.expect(r"pvboot-guest: update failed after 3 boots, back on slot A", 60)
    g.expect(r"pvboot-guest: rolled back: bootcmd=\[run slot_a\] upgrade_available=\[\]", 60)
    print("  env-linux-ab: slot A's Linux %.1fs, slot B failed at %.1fs and %.1fs, "
          "altbootcmd at %.1fs, slot A again at %.1fs (since xl create)"
          % (g.timings["slot-a-linux"], g.timings["slot-b-failed-1"],
             g.timings["slot-b-failed-2"], g.timings["altbootcmd"], g.timings["slot-a-again"]),
          flush=True)
