# SPDX-License-Identifier: MIT
"""An idle pvboot at its prompt must not hold a physical CPU: the prompt
blocks in Xen (SCHEDOP_poll on the console port) until a key arrives."""
import re
import time

from rig.testlib import systest


def cpu_seconds(t, name):
    """The domain's accumulated CPU time from `xl list NAME` (last column)."""
    out = t.dom0("xl list %s" % name)
    line = [l for l in out.splitlines() if l.split() and l.split()[0] == name]
    t.check(line, "xl list does not show %s:\n%s" % (name, out))
    return float(line[0].split()[-1])


@systest("idle-prompt")
def idle_prompt(t):
    g = t.pvboot(memory=128)
    t.cmd(g, "setenv x idle")          # at the prompt, nothing pending
    before = cpu_seconds(t, g.name)
    time.sleep(6)
    used = cpu_seconds(t, g.name) - before
    print("  idle: %.2f s of CPU in 6 s at the prompt" % used)
    t.check(used < 1.5, "pvboot used %.2f s of CPU in 6 s idle at its prompt" % used)
    # Still answering once woken by a key.
    out = t.cmd(g, "echo awake")
    t.check_match(r"^awake", out, "no answer after idling")
