# SPDX-License-Identifier: MIT
"""Boot Xen + dom0 in qemu-system-aarch64 and run guests in it.

Three byte streams connect the harness to the machine, each a unix socket that
QEMU connects to as a chardev client (so nothing is lost before we listen):
  serial  the PL011: Xen's console and dom0's hvc0 (log only)
  ctl     a virtio-serial port on which dom0 runs a shell for the harness
          (not a tty: no echo, no line editing)
  guest   a virtio-serial port that dom0 bridges to the guest's PV console
"""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

from . import cache, dom0
from .expect import Stream, Timeout, listen

DOM0_KERNEL_ADDR = 0x49000000   # QEMU's DTB is at 0x48000000
DOM0_INITRD_ADDR = 0x4c000000
XEN_ARGS = ("console=dtuart dtuart=/pl011@9000000 dom0_mem=512M,max:512M "
            "dom0_max_vcpus=1 bootscrub=0 guest_loglvl=all")
DOM0_ARGS = "console=hvc0 rdinit=/init loglevel=4"
# Harmless messages every boot prints (dom0's GIC set-up, firmware calls Xen lacks).
NOISE = re.compile(r"vGIC[DR].*unhandled|vGICD: RAZ|Unhandled SMC/HVC|Failed to add - passthrough")


# The machine QEMU emulates unless a test asks for another shape. dom0less:
# MiB of RAM for a domain Xen itself starts at boot, with pvboot as its
# kernel (0: none).
DEFAULT_SHAPE = {"cpu": "cortex-a57", "memory": 2048, "smp": 2, "dom0less": 0}
DOM0LESS_ADDR = 0x60000000  # where QEMU loads its kernel, above dom0's initramfs


def shape_of(overrides):
    """A complete machine shape from a test's overrides (cpu, memory, smp, dom0less)."""
    unknown = set(overrides or {}) - set(DEFAULT_SHAPE)
    if unknown:
        raise ValueError("unknown machine shape keys %s" % sorted(unknown))
    return dict(DEFAULT_SHAPE, **(overrides or {}))


def describe(shape):
    """What differs from the default shape, for messages ('' if nothing)."""
    return ", ".join("%s=%s" % (k, v) for k, v in sorted(shape.items())
                     if DEFAULT_SHAPE.get(k) != v)


class Machine:
    def __init__(self, files=None, disks=None, keep=False, echo_guest=None, echo_serial=None,
                 shape=None, dom0less_kernel=None):
        """FILES: {path in dom0: host file}; DISKS: {serial: raw image file};
        SHAPE: overrides of DEFAULT_SHAPE (QEMU's CPU model, RAM in MiB, CPUs,
        a dom0less domain); DOM0LESS_KERNEL: that domain's kernel (host file)."""
        self.files = files or {}
        self.disks = disks or {}
        self.shape = shape_of(shape)
        self.dom0less_kernel = dom0less_kernel
        if self.shape["dom0less"] and not dom0less_kernel:
            raise ValueError("a dom0less machine needs its domain's kernel")
        self.keep = keep
        self.echo_guest = echo_guest
        self.echo_serial = echo_serial
        # Unix socket paths must stay under 108 bytes, whatever TMPDIR is.
        tmp = tempfile.gettempdir()
        self.dir = tempfile.mkdtemp(prefix="pvboot-sys-", dir=tmp if len(tmp) < 60 else "/tmp")
        self.qemu = None
        self.serial = self.ctl = self.gcon = None
        self.timings = {}
        self.devs = {}
        self._tag = 0

    # ---- boot ---------------------------------------------------------------
    def _initrd(self, base):
        if not self.files:
            return base
        extra = os.path.join(self.dir, "extra")
        for dst, src in self.files.items():
            d = os.path.join(extra, dst.lstrip("/"))
            os.makedirs(os.path.dirname(d), exist_ok=True)
            shutil.copy(src, d)
        out = os.path.join(self.dir, "initrd.cpio")
        dom0.cpio(extra, out + ".extra")
        with open(out, "wb") as f:
            for part in (base, out + ".extra"):
                with open(part, "rb") as p:
                    shutil.copyfileobj(p, f, 1 << 20)
        return out

    def command(self, xen, kernel, initrd, dtb=None):
        """QEMU's command line. With DTB (a host DT of our own, see
        _dom0less_dtb), the files go in by the generic loader instead of the
        guest-loader, whose DT nodes DTB already has."""
        sh = self.shape
        cmd = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
               "-cpu", sh["cpu"], "-smp", str(sh["smp"]), "-m", str(sh["memory"]),
               "-accel", "tcg,thread=multi", "-nodefaults", "-display", "none",
               "-monitor", "unix:%s/monitor.sock,server=on,wait=off" % self.dir,
               "-kernel", xen, "-append", XEN_ARGS]
        if dtb:
            cmd += ["-dtb", dtb]
            for addr, f in ((DOM0_KERNEL_ADDR, kernel), (DOM0_INITRD_ADDR, initrd),
                            (DOM0LESS_ADDR, self.dom0less_kernel)):
                cmd += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (f, addr)]
        else:
            cmd += ["-device", "guest-loader,addr=0x%x,kernel=%s,bootargs=%s"
                    % (DOM0_KERNEL_ADDR, kernel, DOM0_ARGS),
                    "-device", "guest-loader,addr=0x%x,initrd=%s" % (DOM0_INITRD_ADDR, initrd)]
        cmd += ["-chardev", "socket,id=ser,path=%s/serial.sock" % self.dir,
               "-serial", "chardev:ser",
               "-device", "virtio-serial-device",
               "-chardev", "socket,id=ctl,path=%s/ctl.sock" % self.dir,
               "-device", "virtserialport,chardev=ctl,name=ctl",
               "-chardev", "socket,id=gcon,path=%s/guest.sock" % self.dir,
               "-device", "virtserialport,chardev=gcon,name=guest"]
        for i, (serial, img) in enumerate(sorted(self.disks.items())):
            cmd += ["-drive", "if=none,id=d%d,format=raw,file=%s" % (i, img),
                    "-device", "virtio-blk-device,drive=d%d,serial=%s" % (i, serial)]
        return cmd

    def _dom0less_dtb(self, xen, kernel, initrd):
        """QEMU's own DT for this machine (dumpdtb: /chosen already has dom0's
        modules) plus a xen,domain node: a domain Xen builds at boot, before
        dom0 runs, with pvboot as its kernel and xen,enhanced so that it gets
        XenStore (once dom0 runs init-dom0less) and PV devices."""
        base = os.path.join(self.dir, "qemu.dtb")
        # Without the sockets (nobody listens yet) and disks: neither changes the DT.
        full = self.command(xen, kernel, initrd)
        cmd, i = full[:1], 1
        while i < len(full):
            flag = full[i]
            if flag == "-nodefaults":
                cmd.append(flag)
                i += 1
                continue
            val = full[i + 1]
            i += 2
            if flag in ("-chardev", "-serial", "-drive") or (flag == "-device" and val.startswith(
                    ("virtserialport", "virtio-serial-device", "virtio-blk-device"))):
                continue
            cmd += [flag, val]
        cmd[cmd.index("-M") + 1] += ",dumpdtb=" + base
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode or not os.path.exists(base):
            raise RuntimeError("qemu dumpdtb failed: %s%s" % (r.stdout, r.stderr))
        dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", base], check=True,
                             capture_output=True, text=True).stdout
        # A second definition of / merges into the first (dtc's usual overlay of
        # a node): the domain goes under /chosen, after its properties.
        dts += ("\n/ {\n"
                "\tchosen {\n"
                "\t\tdomU1 {\n"
                "\t\t\tcompatible = \"xen,domain\";\n"
                "\t\t\t#address-cells = <1>;\n"
                "\t\t\t#size-cells = <1>;\n"
                "\t\t\tmemory = <0 %d>;\n"
                "\t\t\tcpus = <1>;\n"
                "\t\t\txen,enhanced = \"enabled\";\n"
                "\t\t\tvpl011;\n"
                "\t\t\tmodule@%x {\n"
                "\t\t\t\tcompatible = \"multiboot,kernel\", \"multiboot,module\";\n"
                "\t\t\t\treg = <0x%x 0x%x>;\n"
                "\t\t\t};\n"
                "\t\t};\n"
                "\t};\n"
                "};\n"
                % (self.shape["dom0less"] << 10, DOM0LESS_ADDR, DOM0LESS_ADDR,
                   os.path.getsize(self.dom0less_kernel)))
        out = os.path.join(self.dir, "host.dtb")
        r = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out], input=dts,
                           capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError("dtc could not build the dom0less host DT: " + r.stderr)
        return out

    def boot(self, timeout=180):
        root = cache.fetch()
        p = cache.paths(root)
        base = dom0.build(root)
        initrd = self._initrd(base)
        dtb = (self._dom0less_dtb(p["xen"], p["kernel"], initrd)
               if self.shape["dom0less"] else None)
        socks = {n: listen(os.path.join(self.dir, n + ".sock"))
                 for n in ("serial", "ctl", "guest")}
        self.t0 = time.monotonic()
        self.qemu_log = open(os.path.join(self.dir, "qemu.log"), "wb")
        self.qemu = subprocess.Popen(self.command(p["xen"], p["kernel"], initrd, dtb),
                                     stdin=subprocess.DEVNULL, stdout=self.qemu_log,
                                     stderr=subprocess.STDOUT)
        conns = {}
        deadline = time.monotonic() + 60
        for n, s in socks.items():
            s.settimeout(0.5)
            while n not in conns:
                try:
                    conns[n] = s.accept()[0]
                except OSError:
                    if self.qemu.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("QEMU did not connect its %s chardev (%s):\n%s"
                                           % (n, "exit status %s" % self.qemu.poll()
                                              if self.qemu.poll() is not None else "timeout",
                                              self.qemu_tail()))
            s.close()
        self.serial = Stream(conns["serial"], "serial",
                             log=open(os.path.join(self.dir, "serial.log"), "wb"),
                             echo=self.echo_serial)
        self.ctl = Stream(conns["ctl"], "dom0-ctl",
                          log=open(os.path.join(self.dir, "ctl.log"), "wb"))
        self.gcon = Stream(conns["guest"], "guest-console",
                           log=open(os.path.join(self.dir, "guest.log"), "wb"),
                           echo=self.echo_guest)
        try:
            self.serial.expect(r"Xen version", timeout)
            self.timings["xen-banner"] = time.monotonic() - self.t0
            self._wait_ready(timeout)
            self.timings["dom0-ready"] = time.monotonic() - self.t0
        except Timeout as e:
            raise RuntimeError("%s\n--- Xen/dom0 serial log (tail) ---\n%s"
                               % (e, self.serial_tail()))
        out = self.sh("for b in /sys/block/vd*; do [ -e $b ] && echo ${b##*/} $(cat $b/serial); done; true")
        for line in out.splitlines():
            dev, _, serial = line.partition(" ")
            self.devs[serial] = "/dev/" + dev
        missing = set(self.disks) - set(self.devs)
        if missing:
            raise RuntimeError("dom0 does not see disks %s" % sorted(missing))
        return self

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.ctl.expect(r"^@@READY\n", 0.5)
            except Timeout:
                if "Kernel panic" in self.serial.transcript():
                    raise Timeout("dom0 kernel panic")
                if self.qemu.poll() is not None:
                    raise Timeout("QEMU exited with status %d" % self.qemu.poll())
                if time.monotonic() > deadline:
                    raise Timeout("dom0 not ready after %ss" % timeout)

    # ---- dom0 control --------------------------------------------------------
    def sh(self, cmd, timeout=60, check=True):
        """Run CMD in dom0's shell; return its output (stdout+stderr)."""
        self._tag += 1
        tag = "@@RC%d " % self._tag
        self.ctl.send("{\n%s\n} </dev/null 2>&1; echo \"\n%s$?\"\n" % (cmd, tag))
        try:
            m = self.ctl.expect(r"\n%s(\d+)\n" % tag, timeout)
        except Timeout:
            raise Timeout("dom0 command timed out after %ss: %s" % (timeout, cmd))
        out, rc = self.ctl.before, int(m.group(1))
        if check and rc:
            raise AssertionError("dom0 command failed (%d): %s\n%s" % (rc, cmd, out))
        return out if check else (rc, out)

    def hmp(self, cmd, timeout=10):
        """One command on QEMU's human monitor (e.g. 'info jit'); its output."""
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(timeout)
        s.connect(os.path.join(self.dir, "monitor.sock"))
        try:
            buf = b""
            while not buf.endswith(b"(qemu) "):
                buf += s.recv(4096) or b"(qemu) "
            s.sendall(cmd.encode() + b"\n")
            buf = b""
            while not buf.endswith(b"(qemu) "):
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
        finally:
            s.close()
        # The monitor echoes the command with terminal escapes: drop the first line.
        return buf.decode(errors="replace").partition("\n")[2].rpartition("(qemu)")[0]

    def qemu_tail(self, n=20):
        try:
            return "\n".join(open(os.path.join(self.dir, "qemu.log"), errors="replace")
                             .read().splitlines()[-n:])
        except OSError:
            return ""

    def serial_tail(self, n=30):
        if not self.serial:
            return "(no serial console)"
        lines = [l for l in self.serial.transcript().splitlines() if not NOISE.search(l)]
        return "\n".join(lines[-n:])

    def diagnostics(self, guest_name=None):
        """Xen/dom0 state worth printing when a test fails."""
        parts = ["--- Xen/dom0 serial log (tail) ---", self.serial_tail()]
        if self.qemu and self.qemu.poll() is None and self.ctl and not self.ctl.closed:
            cmds = ["xl list", "xl dmesg | grep -E 'd[1-9][0-9]*' | tail -n 25"]
            if guest_name:
                cmds += ["tail -n 20 /var/log/xen/xl-%s.log" % guest_name,
                         "tail -n 10 /var/log/xen/console/guest-%s.log" % guest_name]
            for c in cmds:
                try:
                    rc, out = self.sh(c, timeout=10, check=False)
                except Timeout:
                    parts += ["--- dom0: %s timed out: control shell unresponsive ---" % c]
                    break
                parts += ["--- dom0: %s ---" % c, out.rstrip()]
        else:
            parts += ["--- QEMU (exited %s) ---" % (self.qemu and self.qemu.poll()),
                      self.qemu_tail()]
        return "\n".join(parts)

    def shutdown(self):
        if self.qemu and self.qemu.poll() is None:
            self.qemu.terminate()
            try:
                self.qemu.wait(10)
            except subprocess.TimeoutExpired:
                self.qemu.kill()
                self.qemu.wait()
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.shutdown()
