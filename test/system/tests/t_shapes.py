# SPDX-License-Identifier: MIT
"""Guest shapes other than the usual 128-512 MiB, one-vCPU guest:

shape-32mib       32 MiB: pvboot reaches its prompt, and a kernel that does not
                  fit below pvboot is refused with a message saying so.
shape-2gib        2 GiB: Linux booted through pvboot sees 2 GiB.
shape-two-banks   4 GiB: Xen gives two RAM banks (3 GiB below 4 GiB, the rest
                  at 8 GiB); pvboot uses bank 0 and reports bank 1, and the
                  Linux it boots sees both (the DT it hands over keeps them).
shape-4vcpus      4 vCPUs: pvboot runs on vCPU 0 only (the others stay down
                  until an OS starts them); Linux brings up all four by PSCI.
shape-cpu-max, shape-cpu-a53
                  the whole boot (pvboot, extlinux, Linux) with QEMU's CPU
                  `max` and `cortex-a53` instead of the default cortex-a57.
"""
import re

from rig.testlib import systest
from tests.t_boot import BOOT_DISKS, _paths, stop_autoboot, wait_linux


def start(t, memory, vcpus=1):
    g = t.start(t.pvboot_path, memory=memory, vcpus=vcpus, disks=[("boot-mbr", "xvda", "r")])
    g.expect(r"^pvboot ", 60, mark="banner")
    g.first_byte()
    return g


def linux_says(g, cmd, pattern, timeout=30):
    """Run CMD in the booted guest's shell and return PATTERN's match in its output."""
    g.sendline(cmd)
    return g.expect(pattern, timeout)


def mem_total_mib(g):
    m = linux_says(g, "echo memtotal=$(grep MemTotal /proc/meminfo)",
                   r"memtotal=MemTotal: +(\d+) kB")
    return int(m.group(1)) >> 10


def boot_through_extlinux(t, g):
    g.expect(r"Found /boot/extlinux/extlinux\.conf on pvblock 0:1", 120)
    wait_linux(t, g, "boot-mbr", "extlinux")


@systest("shape-32mib", disks=BOOT_DISKS)
def shape_32mib(t):
    g = start(t, 32)
    stop_autoboot(t, g)
    banner = g.console.transcript()
    t.check_match(r"^DRAM: +32 MiB at 0x40000000", banner, "32 MiB guest: the banner's RAM")
    for line in re.findall(r"^.*(?:MiB|fit|overlap|warn).*$", banner, re.M):
        print("  32mib: pvboot said: " + line.strip(), flush=True)
    out = t.cmd(g, "echo alive")
    t.check_match(r"^alive$", out, "prompt works in 32 MiB")
    # Debian's kernel (tens of MiB) cannot fit below pvboot in 32 MiB: the
    # load must say so and change nothing, and the prompt must come back.
    kname = "vmlinuz-" + _paths()["kver"]
    out = t.cmd(g, "load pvblock 0:1 ${kernel_addr_r} /boot/%s; echo rc=$?" % kname,
                timeout=120)
    # The memory gate's refusal: past the end of RAM, or over pvboot itself.
    t.check_match(r"Cannot write 0x[0-9a-f]+-0x[0-9a-f]+: (outside RAM|it would overwrite)",
                  out, "a kernel too big for 32 MiB is refused, saying why")
    t.check_match(r"^rc=1$", out, "the refused load fails the command")
    t.check(not re.search(r"bytes read", out), "a load that cannot fit reported bytes read")
    out = t.cmd(g, "echo still-alive")
    t.check_match(r"^still-alive$", out, "prompt after the refused load")


# The default rig's 2 GiB cannot hold a 2 GiB guest next to dom0 and Xen.
BIG = {"memory": 6144}


@systest("shape-2gib", disks=BOOT_DISKS, machine=BIG)
def shape_2gib(t):
    g = start(t, 2048)
    g.expect(r"DRAM: +2048 MiB at 0x40000000", 30)
    boot_through_extlinux(t, g)
    mib = mem_total_mib(g)
    # MemTotal is RAM less the kernel's own image and reservations.
    t.check(1900 <= mib <= 2048, "Linux sees %d MiB of a 2048 MiB guest" % mib)


@systest("shape-two-banks", disks=BOOT_DISKS, machine=BIG)
def shape_two_banks(t):
    g = start(t, 4096)
    m = g.expect(r"DRAM: +(\d+) MiB at 0x40000000", 30)
    t.check(int(m.group(1)) == 3072, "bank 0 is %s MiB, Xen's GUEST_RAM0 is 3072 MiB"
            % m.group(1))
    m = g.expect(r"RAM bank 1 at (0x[0-9a-f]+) \((\d+) MiB\) ignored", 30)
    t.check(int(m.group(1), 16) == 0x200000000 and int(m.group(2)) == 1024,
            "bank 1 reported as %s, %s MiB; Xen puts the 1024 MiB beyond GUEST_RAM0 at "
            "0x200000000" % (m.group(1), m.group(2)))
    boot_through_extlinux(t, g)
    m = linux_says(g, "echo iomem=$(grep -c 'System RAM' /proc/iomem) "
                   "bank1=$(grep -c '^200000000-.*System RAM' /proc/iomem)",
                   r"iomem=(\d+) bank1=(\d+)")
    t.check(m.group(2) == "1", "Linux's /proc/iomem has no System RAM at 0x200000000: the DT "
            "pvboot handed over lost bank 1")
    mib = mem_total_mib(g)
    t.check(mib > 3900, "Linux sees %d MiB of a 4096 MiB guest: not both banks" % mib)


@systest("shape-4vcpus", disks=BOOT_DISKS)
def shape_4vcpus(t):
    g = start(t, 256, vcpus=4)
    stop_autoboot(t, g)
    # xl vcpu-list: vCPU 0 runs or blocks; 1-3 were never brought up.
    out = t.dom0("xl vcpu-list %s" % g.name)
    rows = {int(r.split()[2]): r.split()[4] for r in out.splitlines()[1:] if len(r.split()) > 4}
    t.check(sorted(rows) == [0, 1, 2, 3], "xl vcpu-list shows vCPUs %s:\n%s" % (sorted(rows), out))
    t.check(rows[0] in ("r--", "-b-"), "vCPU 0 is %r:\n%s" % (rows[0], out))
    t.check(all(rows[i] == "--p" or rows[i] == "---" for i in (1, 2, 3)),
            "pvboot started other vCPUs:\n" + out)
    g.sendline("boot")
    wait_linux(t, g, "boot-mbr", "extlinux")
    m = linux_says(g, "echo cpus=$(grep -c ^processor /proc/cpuinfo) "
                   "online=$(cat /sys/devices/system/cpu/online)", r"cpus=(\d+) online=(\S+)")
    t.check(m.group(1) == "4" and m.group(2) == "0-3",
            "Linux brought up %s CPUs (online %s), the guest has 4" % (m.group(1), m.group(2)))
    m = linux_says(g, "echo psci=$(dmesg | grep -c 'psci: PSCIv')", r"psci=(\d+)")
    t.check(m.group(1) != "0", "Linux found no PSCI in the DT pvboot handed over")
    out = t.dom0("xl vcpu-list %s" % g.name)
    t.check(not re.search(r"--p|---", out), "vCPUs still down under Linux:\n" + out)


def whole_boot(t):
    g = start(t, 256)
    boot_through_extlinux(t, g)
    m = linux_says(g, "echo cpu=$(grep -m1 'CPU part' /proc/cpuinfo)",
                   r"cpu=CPU part\s*: (0x[0-9a-f]+)")
    return m.group(1)


@systest("shape-cpu-max", disks=BOOT_DISKS, machine={"cpu": "max"})
def shape_cpu_max(t):
    part = whole_boot(t)
    t.check(part != "0xd07", "the guest runs on a Cortex-A57 (part 0xd07), not QEMU's max")


@systest("shape-cpu-a53", disks=BOOT_DISKS, machine={"cpu": "cortex-a53"})
def shape_cpu_a53(t):
    part = whole_boot(t)
    t.check(part == "0xd03", "the guest's CPU part is %s, a Cortex-A53 is 0xd03" % part)

