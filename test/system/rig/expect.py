# SPDX-License-Identifier: MIT
"""Expect/send over a byte stream (a QEMU chardev socket).

A reader thread appends everything received to a transcript; expect() waits
for a regex to match the text after the last match. Carriage returns are
dropped so that patterns can use \\n and $ naturally.
"""
import codecs
import re
import socket
import threading
import time


class Timeout(AssertionError):
    pass


class Stream:
    def __init__(self, sock, name, log=None, echo=None):
        self.sock = sock
        self.name = name
        self.log = log          # file object: raw bytes as received
        self.echo = echo        # callable(str): live copy (interactive use)
        self.text = ""
        self.pos = 0            # expect() searches text[pos:]
        self.before = ""        # text between the previous match and the last one
        self.first_byte = None  # time.monotonic() of the first byte since clear()
        self.closed = False
        self._dec = codecs.getincrementaldecoder("utf-8")("replace")
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._reader, daemon=True)
        self._thread.start()

    def _reader(self):
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            now = time.monotonic()
            if self.log and data:
                self.log.write(data)
                self.log.flush()
            raw = self._dec.decode(data)
            if self.echo and raw:
                self.echo(raw)  # with its CRs: a raw-mode terminal needs them
            s = raw.replace("\r", "")
            with self._cond:
                if data and self.first_byte is None:
                    self.first_byte = now
                self.text += s
                if not data:
                    self.closed = True
                self._cond.notify_all()
            if not data:
                return

    def clear(self):
        """Forget everything received so far (a new guest starts)."""
        with self._cond:
            self.text = ""
            self.pos = 0
            self.first_byte = None

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def sendline(self, line):
        self.send(line + "\n")

    def expect(self, pattern, timeout=10.0, what=None):
        """Wait until PATTERN matches the unread text; consume through the match."""
        rx = re.compile(pattern, re.M) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        with self._cond:
            start = self.pos
            while True:
                m = rx.search(self.text, self.pos)
                if m:
                    # What came before the match: patterns need no leading (?s)(.*?),
                    # which costs O(n^2) on a long transcript.
                    self.before = self.text[start:m.start()]
                    self.pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    why = "closed" if self.closed else "timeout %.1fs" % timeout
                    raise Timeout("%s: %s waiting for %s" % (self.name, why, what or repr(rx.pattern)))
                self._cond.wait(left)

    def expect_not(self, pattern, within):
        """Assert PATTERN does not show up in the next WITHIN seconds."""
        try:
            m = self.expect(pattern, within)
        except Timeout:
            return
        raise AssertionError("%s: unexpected %r" % (self.name, m.group(0)))

    def unread(self):
        with self._cond:
            return self.text[self.pos:]

    def transcript(self):
        with self._cond:
            return self.text


def listen(path):
    """A unix socket for QEMU to connect to as a chardev client."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(1)
    return s
