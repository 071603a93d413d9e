# SPDX-License-Identifier: MIT
"""Partitions and filesystems on real Xen: an MBR+ext4 disk and a
GPT+FAT32 disk, made by sfdisk/sgdisk, mkfs.ext4 -d, mkfs.vfat and mcopy,
attached to the same domain. `part list` must agree with sfdisk's own view of
each table, `ls` must list the files (FAT: a long name; a deleted file
gone), and every file `load`ed (FAT: one of them in two cluster runs) must
have the crc32 zlib computes on the host from the original. A 64 MiB contiguous file
is loaded through ext4 and read raw with `pvblock read` (same blocks): both
rates and their ratio are printed as a benchmark figure."""
import json
import os
import random
import re
import subprocess
import zlib

from rig import images
from rig.testlib import systest

BIG_MIB = 64

# name in the filesystem -> (size in bytes, seed) of its random contents
EXT4_FILES = {
    "hello.txt": None,                      # text, below
    "small.bin": (4097, 11),                # odd size: a partial last block
    "dir/sub/mid.bin": (3 * 1000 * 1000 + 7, 12),
    "big.bin": (BIG_MIB << 20, 13),
}
FAT_FILES = {
    "HELLO.TXT": None,
    "A long file name, with spaces.bin": (70001, 21),
    "dir/sub/mid.bin": (3 * 1000 * 1000 + 9, 22),
    "frag.bin": (5 << 20, 23),
}
HELLO = b"hello from a disk made by real tools\n"
FAT_NAME = "pvboot-fat"


def _run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                          stderr=kw.pop("stderr", subprocess.PIPE), **kw).stdout


def _tree(root, files):
    for name, spec in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(HELLO if spec is None else random.Random(spec[1]).randbytes(spec[0]))
    return root


def gpt_disk(out, partitions, first_lba=2048):
    """A GPT disk made by sgdisk: PARTITIONS = [(image, type code, name), ...]."""
    sizes = [(os.path.getsize(img) + 511) // 512 for img, _, _ in partitions]
    total = first_lba + sum(sizes) + 2048 + 34
    if os.path.exists(out):
        os.unlink(out)
    with open(out, "wb") as f:
        f.truncate(total * 512)
    args = ["sgdisk", "-Z", "-U", "R"]
    start = first_lba
    for i, ((img, code, name), n) in enumerate(zip(partitions, sizes), 1):
        args += ["-n", "%d:%d:%d" % (i, start, start + n - 1), "-t", "%d:%s" % (i, code),
                 "-c", "%d:%s" % (i, name)]
        start += n
    _run(args + [out])
    start = first_lba
    for (img, _, _), n in zip(partitions, sizes):
        _run(["dd", "if=" + img, "of=" + out, "bs=512", "seek=%d" % start,
              "conv=notrunc,sparse", "status=none"])
        start += n
    return out


def host_table(img):
    """The partition table as sfdisk reads it: (label, [{start, size, ...}])."""
    t = json.loads(_run(["sfdisk", "-J", img]))["partitiontable"]
    return t["label"], t["partitions"]


def ext4_extents(fsimg, path):
    """[(logical, physical, length)] in filesystem blocks, from debugfs."""
    out = _run(["debugfs", "-R", "ex " + path, fsimg], stderr=subprocess.DEVNULL).decode()
    ext = []
    for line in out.splitlines():
        m = re.match(r"\s*\d+/\s*\d+\s+\d+/\s*\d+\s+(\d+) -\s*(\d+)\s+(\d+) -\s*(\d+)\s+(\d+)", line)
        if m:
            ext.append((int(m.group(1)), int(m.group(3)), int(m.group(5))))
    return ext


def mbr_ext4_disk(workdir):
    """MBR: 1 = ext4 (4 KiB blocks, the files above), 2 = a small spare partition."""
    d = os.path.join(workdir, "storage")
    tree = _tree(os.path.join(d, "ext4-tree"), EXT4_FILES)
    part = os.path.join(d, "ext4.img")
    # 4 KiB blocks (mkfs picks 1 KiB for a filesystem this small without -b).
    _run(["mkfs.ext4", "-q", "-F", "-b", "4096", "-L", "sto-ext4", "-d", tree, part,
          "%dM" % (BIG_MIB + 96)])
    spare = os.path.join(d, "spare.img")
    with open(spare, "wb") as f:
        f.truncate(4 << 20)
    ext = ext4_extents(part, "/big.bin")
    if len(ext) != 1:
        raise RuntimeError("mkfs.ext4 did not make big.bin contiguous: %r" % ext)
    with open(os.path.join(d, "big.extent"), "w") as f:
        f.write("%d\n" % ext[0][1])
    return images.mbr_disk(os.path.join(d, "mbr-ext4.img"), [(part, "83"), (spare, "c")])


def gpt_fat_disk(workdir):
    """GPT: 1 = FAT32 (the files above, copied by mcopy), 2 = a Linux partition."""
    d = os.path.join(workdir, "storage")
    tree = _tree(os.path.join(d, "fat-tree"), FAT_FILES)
    part = os.path.join(d, "fat.img")
    if os.path.exists(part):
        os.unlink(part)
    _run(["mkfs.vfat", "-F", "32", "-n", "PVBOOTFAT", "-C", part, str(48 * 1024)])
    # frag.bin is made to wrap: a filler leaves 4 MiB free at the end of the
    # FAT, so mtools puts the rest of frag.bin in the hole a deleted 2 MiB
    # file left near the start: two cluster runs (mshowfat shows them).
    hole = os.path.join(d, "hole.bin")
    with open(hole, "wb") as f:
        f.write(bytes(2 << 20))
    _run(["mcopy", "-i", part, hole, "::/hole.bin"])
    _run(["mcopy", "-i", part, "-s"] + [os.path.join(tree, n) for n in sorted(os.listdir(tree))
                                         if n != "frag.bin"] + ["::/"])
    free = int(re.search(r"([\d ]+) bytes free", _run(["mdir", "-i", part, "::/"]).decode())
               .group(1).replace(" ", ""))
    with open(hole, "wb") as f:
        f.write(bytes(free - (4 << 20)))
    _run(["mcopy", "-i", part, hole, "::/filler.bin"])
    _run(["mdel", "-i", part, "::/hole.bin"])
    _run(["mcopy", "-i", part, os.path.join(tree, "frag.bin"), "::/frag.bin"])
    runs = _run(["mshowfat", "-i", part, "::/frag.bin"]).decode()
    if runs.count("<") < 2:
        raise RuntimeError("frag.bin is not fragmented: " + runs)
    spare = os.path.join(d, "linux.img")
    with open(spare, "wb") as f:
        f.truncate(8 << 20)
    return gpt_disk(os.path.join(d, "gpt-fat.img"),
                    [(part, "0700", FAT_NAME), (spare, "8300", "spare")])


DISKS = {"sto-mbr": mbr_ext4_disk, "sto-gpt": gpt_fat_disk}
VBDS = [("sto-mbr", "xvda", "r"), ("sto-gpt", "xvdb", "r")]


def _part_rows(out):
    """[(number, start, size)] from `part list`: DOS prints start and size in
    decimal, EFI start and end LBA in hex."""
    efi = "Partition Type: EFI" in out
    rows = []
    for m in re.finditer(r"^\s+(\d+)\t(\S+)\s*\t(\S+)", out, re.M):
        start, n = int(m.group(2), 0), int(m.group(3), 0)
        rows.append((int(m.group(1)), start, n - start + 1 if efi else n))
    return rows


def _check_table(t, out, img, label):
    kind, parts = host_table(img)
    t.check(kind == label, "sfdisk says %s, expected %s" % (kind, label))
    want = [(i + 1, p["start"], p["size"]) for i, p in enumerate(parts)]
    got = _part_rows(out)
    t.check(got == want, "part list rows %r, sfdisk says %r:\n%s" % (got, want, out))
    return parts


def _crc(path):
    with open(path, "rb") as f:
        return zlib.crc32(f.read())


def _load_and_crc(t, g, dev, tree, name, timeout=120):
    """load NAME, then check ${filesize} and crc32 against the host's file."""
    path = os.path.join(tree, name)
    size = os.path.getsize(path)
    out = t.cmd(g, "load pvblock %s ${loadaddr} '/%s'" % (dev, name), timeout=timeout)
    m = re.search(r"^(\d+) bytes read in (\d+) ms", out, re.M)
    t.check(m and int(m.group(1)) == size, "load /%s on %s: expected %d bytes:\n%s"
            % (name, dev, size, out))
    out = t.cmd(g, "printenv filesize")
    t.check_match(r"^filesize=%x$" % size, out, "filesize after loading /%s" % name)
    out = t.cmd(g, "crc32 ${loadaddr} ${filesize}", timeout=timeout)
    t.check_match(r"==> %08x$" % _crc(path), out, "crc32 of /%s on %s" % (name, dev))
    return int(m.group(2))


@systest("storage-mbr-gpt", disks=DISKS)
def storage_mbr_gpt(t):
    work = os.path.dirname(os.path.dirname(t.m.disks["sto-mbr"]))
    g = t.pvboot(memory=256, disks=VBDS, prompt_timeout=60)
    t.check_match(r"No extlinux/extlinux.conf or boot.scr", g.banner,
                  "autoboot scanned both disks and found nothing to boot")

    out = t.cmd(g, "part list pvblock 0")
    t.check_match(r"Partition Type: DOS", out, "disk 0 is MBR")
    _check_table(t, out, t.m.disks["sto-mbr"], "dos")
    out = t.cmd(g, "part list pvblock 1")
    t.check_match(r"Partition Type: EFI", out, "disk 1 is GPT")
    parts = _check_table(t, out, t.m.disks["sto-gpt"], "gpt")
    t.check_match(r'"%s"' % FAT_NAME, out, "GPT partition name")
    t.check_match(r"guid:\t%s$" % parts[0]["uuid"].lower(), out, "GPT partition GUID")
    t.check_match(r"type:\t%s$" % parts[0]["type"].lower(), out, "GPT type GUID (basic data)")
    t.check(not re.search(r"WARNING", out), "a good GPT gives no warning:\n" + out)

    out = t.cmd(g, "ls pvblock 0:1 /")
    for name, size in (("hello.txt", len(HELLO)), ("small.bin", 4097), ("big.bin", BIG_MIB << 20)):
        t.check_match(r"^ +%d   %s$" % (size, re.escape(name)), out, "ext4 ls /")
    t.check_match(r"^ +dir/$", out, "ext4 ls / shows dir/")
    out = t.cmd(g, "ls pvblock 0:1 /dir/sub")
    t.check_match(r"^ +%d   mid.bin$" % EXT4_FILES["dir/sub/mid.bin"][0], out, "ext4 ls /dir/sub")
    out = t.cmd(g, "fstype pvblock 0:1; fstype pvblock 1:1")
    t.check_match(r"^ext4$", out, "fstype of 0:1")
    t.check_match(r"^fat$", out, "fstype of 1:1")
    out = t.cmd(g, "ls pvblock 1:1 /")
    t.check_match(r"^ +%d   A long file name, with spaces\.bin$" % FAT_FILES[
        "A long file name, with spaces.bin"][0], out, "FAT long file name")
    t.check_match(r"^ +%d   HELLO\.TXT$" % len(HELLO), out, "FAT ls /")
    t.check(not re.search(r"hole\.bin", out, re.I), "deleted FAT file listed:\n" + out)

    ext4_tree = os.path.join(work, "storage", "ext4-tree")
    fat_tree = os.path.join(work, "storage", "fat-tree")
    for name in ("hello.txt", "small.bin", "dir/sub/mid.bin"):
        _load_and_crc(t, g, "0:1", ext4_tree, name)
    for name in ("HELLO.TXT", "A long file name, with spaces.bin", "dir/sub/mid.bin", "frag.bin"):
        _load_and_crc(t, g, "1:1", fat_tree, name)
    # FAT lookups are case-insensitive.
    out = t.cmd(g, "load pvblock 1:1 ${loadaddr} /hello.txt")
    t.check_match(r"^%d bytes read" % len(HELLO), out, "case-insensitive FAT lookup")
    g.mark("files-checked")

    # Benchmark: the 64 MiB file through ext4 vs the same blocks raw.
    part1 = host_table(t.m.disks["sto-mbr"])[1][0]["start"]
    with open(os.path.join(work, "storage", "big.extent")) as f:
        phys = int(f.read())
    lba, count = part1 + phys * 8, (BIG_MIB << 20) // 512
    big_crc = "%08x" % _crc(os.path.join(ext4_tree, "big.bin"))
    t.cmd(g, "pvblock device 0")
    fs_ms, raw_ms = [], []
    for _ in range(3):  # alternated: host cache and TCG noise hit both alike
        out = t.cmd(g, "pvblock read ${loadaddr} %x %x" % (lba, count), timeout=600)
        m = re.search(r"^(\d+) bytes read in (\d+) ms", out, re.M)
        t.check(m and re.search(r"%d blocks read: OK" % count, out), "raw read:\n" + out)
        raw_ms.append(int(m.group(2)))
        out = t.cmd(g, "crc32 ${loadaddr} %x" % (BIG_MIB << 20), timeout=600)
        t.check_match(r"==> %s$" % big_crc, out, "raw blocks of big.bin are big.bin")
        fs_ms.append(_load_and_crc(t, g, "0:1", ext4_tree, "big.bin", timeout=600))
    g.mark("bench-done")
    fs_rate = BIG_MIB / (sorted(fs_ms)[1] / 1000.0)
    raw_rate = BIG_MIB / (sorted(raw_ms)[1] / 1000.0)
    print("  bench: load of a 64 MiB file (ext4, one extent): %s ms, median %.1f MiB/s; "
          "pvblock read of the same %d blocks: %s ms, median %.1f MiB/s; "
          "load/raw = %.2f (target >= 0.90)"
          % (fs_ms, fs_rate, count, raw_ms, raw_rate, fs_rate / raw_rate), flush=True)
