# SPDX-License-Identifier: MIT
"""Foundation on real Xen: banner, RAM size from the DT, prompt,
typed commands, poweroff and reset."""
import re

from rig.testlib import systest


@systest("banner")
def banner(t):
    g = t.pvboot(memory=128)
    t.check(g.banner.startswith("pvboot "), "banner does not start with 'pvboot '")
    t.check_match(r"\b128 MiB\b", g.banner, "RAM size (memory = 128) not in the banner")
    t.check_match(r"\b4\.17\b", g.banner, "Xen version not in the banner")


@systest("ram-size")
def ram_size(t):
    # A size no default could match: it must come from the DT libxl built.
    g = t.pvboot(memory=192)
    t.check_match(r"\b192 MiB\b", g.banner, "RAM size (memory = 192) not in the banner")
    t.check(not re.search(r"\b128 MiB\b", g.banner), "banner still says 128 MiB")


@systest("command")
def command(t):
    g = t.pvboot()
    out = t.cmd(g, "echo hello")
    t.check_match(r"^hello$", out, "echo hello")
    g.mark("echo-answered")
    out = t.cmd(g, "version")
    t.check_match(r"^pvboot ", out, "version")
    out = t.cmd(g, "echo ${nosuchvar}x; true && echo and-ok")
    t.check_match(r"^x$", out, "unset variable expansion")
    t.check_match(r"^and-ok$", out, "&&")


@systest("poweroff")
def poweroff(t):
    g = t.pvboot()
    domid = g.domid()
    g.sendline("poweroff")
    g.wait_gone(20)
    g.mark("gone")
    # on_poweroff = "destroy": it must not come back either.
    g.console.expect_not(r"^pvboot ", 2)
    t.check(not g.exists(), "domain %s (was %s) came back after poweroff" % (g.name, domid))


@systest("reset")
def reset(t):
    g = t.pvboot()
    first = g.domid()
    g.sendline("reset")
    # libxl's default on_reboot = "restart": a new domain with the same name.
    g.expect(r"^pvboot ", 30, mark="banner-after-reset")
    g.expect(r"=> $", 20, mark="prompt-after-reset")
    second = g.domid()
    t.check(second is not None and second != first,
            "after reset the domid is %s (was %s): not a real reboot" % (second, first))
    out = t.cmd(g, "echo again")
    t.check_match(r"^again$", out, "command after reset")
