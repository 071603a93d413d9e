# SPDX-License-Identifier: MIT
"""What a guest leaves behind in dom0 and Xen, checked after every
system test and, more closely, by the hostile tests.

mark(sh) notes where dom0's and Xen's logs are now; new_warnings(sh, mark)
returns the lines logged since that mean trouble for a guest's disk, grants
or event channels. zombies(sh) counts "(null)" domains: a destroyed domain
whose pages dom0 still maps (leaked grant mappings) cannot die.
SH is Machine.sh (or TestContext.dom0): sh(cmd, timeout, False) -> (rc, output).
"""
import re
import time

# dom0 kernel messages that mean trouble for a guest's disk or grants.
BAD_DOM0 = re.compile(r"blkback|blkif|grant|gnttab|xen[-_ ]?evtchn|leak|WARNING|BUG|Oops"
                      r"|Call trace", re.I)
# blkback's informational lines (ring set-up, the reconnect when the OS's
# blkfront takes over from pvboot), and its note that it skipped trimming
# its persistent-grant cache because the previous trim still runs (heavy I/O
# from a guest's own blkfront, e.g. dpkg): nothing left behind or lost.
BENIGN_DOM0 = re.compile(r"xen-blkback: (backend/vbd/\d+/\d+: (using \d+ queues, protocol"
                         r"|prepare for reconnect\s*$)"
                         r"|Scheduled work from previous purge is still busy, cannot purge list)")
# Emulator starvation on a loaded host (dom0's clock jumps while QEMU waits
# for a core), not a problem of the guest's disk.
HOST_NOISE = re.compile(r"hrtimer: interrupt took \d+ ns|sched: DL replenish lagged too much")
# Xen's own messages about grant misuse (guest_loglvl=all logs them).
BAD_XEN = re.compile(r"grant_table|gnttab|grant|iommu.*fault|mm\.c.*Bad", re.I)
# A dom0less guest's own console output (its vpl011), which Xen prints on its
# console: the guest's words (Linux's "Grant tables using ..."), not Xen's.
GUEST_CONSOLE = re.compile(r"^(\(XEN\) )?(DOM\d+: |\(d\d+\) )")


def _lines(sh, cmd):
    _, out = sh(cmd + " 2>/dev/null", 60, False)
    return out.splitlines()


def mark(sh):
    """The logs' last lines now: what follows them later is new."""
    return _lines(sh, "dmesg -r")[-3:], _lines(sh, "xl dmesg")[-3:], zombies(sh)


def _since(lines, tail):
    """LINES after the sequence TAIL (all of them if the ring wrapped past it)."""
    n = len(tail)
    if not n:
        return lines
    for i in range(len(lines) - n, -1, -1):
        if lines[i:i + n] == tail:
            return lines[i + n:]
    return lines


# dom0's own kernel (Debian 6.1) warns once, when its balloon driver first
# hot-adds memory to back a guest's grant mappings, on a CPU whose physical
# address range is wider than dom0's vmemmap covers (QEMU's -cpu max). It is
# the rig's dom0, not anything a guest did: the whole splat is dropped.
RIG_DOM0_SPLATS = [("vmemmap_populate", "reserve_additional_memory")]


def _drop_rig_splats(lines):
    """LINES without the WARNING blocks ('cut here' .. 'end trace') that
    RIG_DOM0_SPLATS names."""
    out, block = [], None
    for line in lines:
        if block is None and "------------[ cut here ]------------" in line:
            block = [line]
            continue
        if block is not None:
            block.append(line)
            if "---[ end trace" in line:
                text = "\n".join(block)
                if not any(all(w in text for w in words) for words in RIG_DOM0_SPLATS):
                    out += block
                block = None
            continue
        out.append(line)
    return out + (block or [])


def new_warnings(sh, since):
    """Warning-or-worse dom0 kernel lines (and any naming blkback/grants) and
    grant-related Xen lines logged since SINCE (a mark())."""
    bad = []
    for line in _drop_rig_splats(_since(_lines(sh, "dmesg -r"), since[0])):
        m = re.match(r"<(\d+)>(.*)", line)
        level = int(m.group(1)) & 7 if m else 7
        text = m.group(2) if m else line
        # xen-blkback's informational lines (ring set-up, and the reconnect
        # when the OS's blkfront takes over from pvboot) are expected;
        # anything at warning level or worse is not.
        if HOST_NOISE.search(text) or BENIGN_DOM0.search(text):
            continue
        if level <= 4 or BAD_DOM0.search(text):
            bad.append("dom0: " + line)
    for line in _since(_lines(sh, "xl dmesg"), since[1]):
        if BAD_XEN.search(line) and not GUEST_CONSOLE.match(line):
            bad.append("xen: " + line)
    return bad


def zombies(sh):
    return len([line for line in _lines(sh, "xl list") if line.startswith("(null)")])


def new_zombies(sh, since, wait=20):
    """Zombies beyond those at SINCE, after giving dying domains WAIT seconds."""
    deadline = time.monotonic() + wait
    n = zombies(sh)
    while n > since[2] and time.monotonic() < deadline:
        time.sleep(0.5)
        n = zombies(sh)
    return max(0, n - since[2])


def check(sh, since):
    """Everything left behind since SINCE, as a list of problems (empty: clean)."""
    bad = new_warnings(sh, since)
    z = new_zombies(sh, since)
    if z:
        bad.append("%d destroyed domain(s) left as (null) zombies: dom0 still maps their "
                   "pages (leaked grant mappings?)" % z)
    return bad
