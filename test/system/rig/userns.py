# SPDX-License-Identifier: MIT
"""Run a command in namespaces of its own, still root with the host's ids.

The command gets a user namespace that maps ids 0-65535 to themselves (so
files it creates are owned as if the host's root had made them), with its
own mount, PID and network namespaces. In there root may mount proc, sysfs
and binfmt_misc: since Linux 6.7 a user namespace has its own binfmt_misc,
so arm64 programs can be handed to qemu-user there without registering
anything on the host. Everything mounted or registered goes away with the
command.

    run(argv, stdout, timeout)    exit status of ARGV; raises after TIMEOUT s
"""
import ctypes
import os
import signal
import time

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
ID_MAP = "0 0 65536\n"

_libc = ctypes.CDLL(None, use_errno=True)


def _unshare(flags):
    if _libc.unshare(flags) != 0:
        err = ctypes.get_errno()
        raise OSError(err, "unshare(0x%x): %s" % (flags, os.strerror(err)))


def _child(argv, ready_w, mapped_r, stdout):
    """In the forked child: new user namespace, wait for the parent to map
    its ids, then the other namespaces and ARGV as their first process."""
    try:
        os.setsid()  # one process group: the parent kills it whole on a timeout
        os.dup2(stdout, 1)
        os.dup2(stdout, 2)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        _unshare(CLONE_NEWUSER)
        os.write(ready_w, b"u")
        if os.read(mapped_r, 1) != b"m":
            os._exit(125)
        _unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET)
        pid = os.fork()  # the first process of the new PID namespace
        if pid == 0:
            os.execvp(argv[0], argv)
        _, status = os.waitpid(pid, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    except BaseException as e:  # never return into the parent's code
        os.write(2, ("userns: %s\n" % e).encode())
        os._exit(126)


def run(argv, stdout, timeout):
    """Run ARGV as above with its output on the file descriptor STDOUT.
    Returns its exit status; after TIMEOUT seconds it is killed and
    TimeoutError raised."""
    ready_r, ready_w = os.pipe()
    mapped_r, mapped_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_r)
        os.close(mapped_w)
        _child(argv, ready_w, mapped_r, stdout)
    os.close(ready_w)
    os.close(mapped_r)
    try:
        if os.read(ready_r, 1) == b"u":
            # Root of the initial namespace may write any mapping for it.
            for f in ("uid_map", "gid_map"):
                with open("/proc/%d/%s" % (pid, f), "w") as m:
                    m.write(ID_MAP)
            os.write(mapped_w, b"m")
    finally:
        os.close(ready_r)
        os.close(mapped_w)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.5)
    except BaseException:  # Ctrl-C, SIGTERM: the command goes with us
        _kill(pid)
        raise
    _kill(pid)
    raise TimeoutError("%s did not finish within %ds" % (" ".join(argv), timeout))


def _kill(pid):
    """Kill the child's process group: the first process of its PID
    namespace is in it, and the kernel ends the whole namespace with it."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
