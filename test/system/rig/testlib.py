# SPDX-License-Identifier: MIT
"""Registering and running system tests.

A test module in test/system/tests/ registers functions with @systest:

    @systest("banner", needs_pvboot=True)
    def banner(t):
        g = t.pvboot(memory=128)          # xl create pvboot, wait for the prompt
        t.check("128 MiB" in g.banner, "RAM size missing from the banner")

T (a TestContext) starts guests, runs dom0 commands and records timings.
Every guest a test starts is destroyed when the test ends, pass or fail.
Then the test is checked for what it left behind (rig/leftovers.py): new
blkback/grant/event-channel warnings in dom0's or Xen's log, or destroyed
domains that cannot die because dom0 still maps their pages.
"""
import re
import time
import traceback

from . import leftovers
from .expect import Timeout
from .guest import Guest
from .session import PROMPT, dom0_path

REGISTRY = []


class TestFailure(AssertionError):
    pass


class SysTest:
    def __init__(self, name, fn, needs_pvboot, disks, files, machine, xen, standalone=False,
                 opt_in=None):
        self.name = name
        self.standalone = standalone
        self.opt_in = opt_in
        self.fn = fn
        self.needs_pvboot = needs_pvboot
        self.disks = disks or {}
        self.files = files
        self.machine = machine or {}
        self.xen = xen


def systest(name, needs_pvboot=True, disks=None, files=None, machine=None, xen=None,
            standalone=False, opt_in=None):
    """Register a test.

    DISKS: {serial: builder(workdir) -> raw image}: QEMU virtio disks; a guest
    config names them by serial, e.g. disks=[("serial", "xvda", "r")].
    FILES: builder(workdir) -> {path in dom0: host file}, e.g. guest kernels.
    Both are built before dom0 boots, once per run, shared by all tests.
    MACHINE: what QEMU's machine needs to differ in for this test
    (rig.machine.DEFAULT_SHAPE: cpu, memory, smp); tests of one shape share
    one boot of the rig. XEN: the Xen versions the test applies to (None: all).
    STANDALONE: the test starts a rig of its own (e.g. runs test/system/demo):
    it runs when no other rig is up, with a StandaloneContext.
    OPT_IN: why the test is not part of the default suite (known red, or too
    slow for CI); it runs only when named with --only or with --opt-in, and
    a default run lists it as not run, never as passed."""
    def reg(fn):
        if any(t.name == name for t in REGISTRY):
            raise ValueError("duplicate system test name " + name)
        REGISTRY.append(SysTest(name, fn, needs_pvboot, disks, files, machine, xen, standalone,
                                opt_in))
        return fn
    return reg


class TestContext:
    def __init__(self, machine, test, pvboot, files):
        self.m = machine
        self.test = test
        self.pvboot_path = dom0_path(pvboot) if pvboot else None
        self.files = files
        self.guests = []
        self.timings = {}
        self.since = None  # leftovers.mark() taken before the test runs

    # ---- guests ---------------------------------------------------------------
    def start(self, kernel, name=None, **cfg):
        """xl create KERNEL (a path in dom0) with CFG (memory, disks, extra, ...)."""
        g = Guest(self.m, name or "t-" + re.sub(r"[^a-z0-9-]", "-", self.test.name.lower()),
                  kernel, **cfg)
        self.guests.append(g)
        return g.start()

    def pvboot(self, prompt_timeout=20, **cfg):
        """Start pvboot; wait for the banner and the prompt; record the timings.

        The returned guest has .banner: everything printed before the first prompt."""
        if not self.pvboot_path:
            raise TestFailure("no pvboot.bin given (--pvboot PATH)")
        g = self.start(self.pvboot_path, **cfg)
        self.wait_prompt(g, prompt_timeout)
        return g

    def wait_prompt(self, g, timeout=20):
        g.expect(r"^pvboot ", timeout, mark="banner")
        g.first_byte()
        g.expect(PROMPT, timeout, mark="prompt")
        g.banner = "pvboot " + g.console.before
        return g.banner

    def cmd(self, g, line, timeout=10):
        """Type LINE at pvboot's prompt; return what it printed before the next prompt."""
        g.sendline(line)
        g.expect(PROMPT, timeout)
        out = g.console.before
        # pvboot echoes what was typed: drop the echoed command line.
        first, _, rest = out.partition("\n")
        return rest if first.strip() == line.strip() else out

    def dom0(self, cmd, timeout=60, check=True):
        return self.m.sh(cmd, timeout, check)

    # ---- assertions ---------------------------------------------------------------
    def check(self, cond, msg):
        if not cond:
            raise TestFailure(msg)

    def check_match(self, pattern, text, msg):
        if not re.search(pattern, text, re.M):
            raise TestFailure("%s: no match for %r in:\n%s" % (msg, pattern, text))

    def teardown(self):
        for g in self.guests:
            g.destroy()


class StandaloneContext:
    """What a standalone test gets: the host's pvboot.bin, checks, timings."""

    def __init__(self, test, pvboot):
        self.test = test
        self.pvboot_host = pvboot
        self.timings = {}
        self.t0 = time.monotonic()

    def mark(self, label):
        self.timings[label] = time.monotonic() - self.t0

    check = TestContext.check
    check_match = TestContext.check_match


def run_standalone(test, pvboot, report, tag=""):
    """Run a standalone TEST; return whether it passed."""
    t = StandaloneContext(test, pvboot)
    err = None
    try:
        if test.needs_pvboot and not pvboot:
            raise TestFailure("no pvboot.bin given (--pvboot PATH)")
        test.fn(t)
    except (AssertionError, RuntimeError, OSError) as e:
        err = e
    except Exception as e:
        err = RuntimeError("test raised %s: %s\n%s"
                           % (type(e).__name__, e, traceback.format_exc()))
    elapsed = time.monotonic() - t.t0
    timings = ", ".join("%s %.2fs" % kv for kv in t.timings.items())
    if err is None:
        report("PASS %s%s (%.1fs%s)" % (test.name, tag, elapsed,
                                         "; " + timings if timings else ""))
        return True
    report("FAIL %s%s (%.1fs): %s" % (test.name, tag, elapsed, err))
    return False


def timing_summary(guests):
    parts = []
    for g in guests:
        for k, v in g.timings.items():
            parts.append("%s %.2fs" % (k, v))
    return ", ".join(parts)


def run_one(machine, test, pvboot, files, report, tag=""):
    """Run TEST; return whether it passed. REPORT(str) prints a line; TAG
    follows the test's name in it (e.g. the Xen version)."""
    t = TestContext(machine, test, pvboot, files)
    t.since = leftovers.mark(machine.sh)
    t0 = time.monotonic()
    err = None
    try:
        if test.needs_pvboot and not pvboot:
            raise TestFailure("no pvboot.bin given (--pvboot PATH)")
        test.fn(t)
    except (AssertionError, Timeout, RuntimeError, OSError) as e:
        err = e
    except Exception as e:  # a bug in the test itself: report it, run the others
        err = RuntimeError("test raised %s: %s\n%s"
                           % (type(e).__name__, e, traceback.format_exc()))
    elapsed = time.monotonic() - t0
    transcript = machine.gcon.transcript()
    diag = machine.diagnostics(t.guests[-1].name if t.guests else None) if err else ""
    try:
        t.teardown()
    except Exception as e:
        err = err or RuntimeError("teardown: %s" % e)
    if err is None:
        left = leftovers.check(machine.sh, t.since)
        if left:
            err = TestFailure("left behind after the test:\n" + "\n".join(left))
    timings = timing_summary(t.guests)
    if err is None:
        report("PASS %s%s (%.1fs%s)" % (test.name, tag, elapsed,
                                         "; " + timings if timings else ""))
        return True
    report("FAIL %s%s (%.1fs): %s" % (test.name, tag, elapsed, err))
    if timings:
        report("  timings (since xl create): " + timings)
    report("--- guest console transcript ---\n%s\n--- end of transcript ---"
           % (transcript[-6000:] or "(nothing received)"))
    report(diag)
    return False
