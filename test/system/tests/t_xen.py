# SPDX-License-Identifier: MIT
"""Xen services on real Xen: pvboot's XenStore client against the
real xenstored (both directions, watches), and `xen info`/`xen check`."""
import re

from rig.testlib import systest


def _home(t, g):
    return "/local/domain/%s" % g.domid()


@systest("xenstore")
def xenstore(t):
    g = t.pvboot()
    home = _home(t, g)
    out = t.cmd(g, "xenstore read name")
    name = t.dom0("xenstore-read %s/name" % home)
    t.check(out.strip() == name.strip(), "guest read name %r, dom0 says %r" % (out, name))
    out = t.cmd(g, "xenstore read domid")
    t.check(out.strip() == str(g.domid()), "domid %r, expected %s" % (out, g.domid()))
    # Guest writes, dom0 reads; dom0 writes, guest reads.
    t.cmd(g, "xenstore write data/pvboot-test from-guest")
    val = t.dom0("xenstore-read %s/data/pvboot-test" % home)
    t.check(val.strip() == "from-guest", "dom0 read %r" % val)
    t.dom0("xenstore-write %s/data/from-dom0 'hello guest'" % home)
    out = t.cmd(g, "xenstore read data/from-dom0")
    t.check_match(r"^hello guest$", out, "guest reads what dom0 wrote")
    out = t.cmd(g, "xenstore ls")
    t.check_match(r'^name = "%s"$' % re.escape(name.strip()), out, "ls shows the name")
    t.check_match(r'^ from-dom0 = "hello guest"$', out, "ls shows data/ one level in")
    t.cmd(g, "xenstore rm data/pvboot-test")
    rc, _ = t.dom0("xenstore-read %s/data/pvboot-test" % home, check=False)
    t.check(rc != 0, "node still there after xenstore rm")
    out = t.cmd(g, "xenstore write /local/domain/0/name evil || echo refused")
    t.check_match(r"permission denied", out, "write to dom0's node: EACCES")
    t.check_match(r"^refused$", out, "failed write fails the command")


@systest("xenstore-watch")
def xenstore_watch(t):
    g = t.pvboot()
    home = _home(t, g)
    g.sendline("xenstore watch data 30")
    g.expect(r"watching data for 30 s", 10)
    g.expect(r"^data\r?$", 10, mark="initial-event")
    t.dom0("xenstore-write %s/data/w 1" % home)
    g.expect(r"^data/w\r?$", 10, mark="event")
    g.send("\x03")  # Ctrl-C ends the watch
    g.expect(r"=> $", 10, mark="prompt-after-watch")
    out = t.cmd(g, "xen info")
    t.check_match(r"0 watches", out, "watch removed after the command")


@systest("xen-info")
def xen_info(t):
    g = t.pvboot()
    out = t.cmd(g, "xen info")
    t.check_match(r"^Xen: +4\.17", out, "Xen version")
    t.check_match(r"^Domain id: +%s$" % g.domid(), out, "domid")
    t.check_match(r"^shared_info: +gfn 0x[0-9a-f]+$", out, "shared_info mapped")
    # Grant frames go where the DT's /hypervisor node says (0x38000000 on 4.17).
    t.check_match(r"^Grant table: +[1-9][0-9]* frames at gfn 0x38000 ", out, "grant frames")
    t.check_match(r"^XenStore: .* 0 timeouts, 0 stray replies, 0 protocol errors", out,
                  "XenStore without errors")
    out = t.cmd(g, "xen check")
    t.check_match(r"^xen: nothing left behind", out, "no disk: nothing left behind")


@systest("xenstore-long-dir")
def xenstore_long_dir(t):
    # More names than one 4 KiB reply holds: xenstored answers E2BIG to
    # XS_DIRECTORY and pvboot must switch to XS_DIRECTORY_PART.
    g = t.pvboot()
    home = _home(t, g)
    t.dom0("for i in $(seq 1 120); do xenstore-write %s/data/big/node-with-a-long-name-to-fill-the-reply-$i x; done" % home)
    out = t.cmd(g, "xenstore ls data/big", timeout=60)
    n = len(re.findall(r'^node-with-a-long-name-to-fill-the-reply-\d+ = "x"$', out, re.M))
    t.check(n == 120, "listed %d of 120 children:\n%s" % (n, out[-500:]))
