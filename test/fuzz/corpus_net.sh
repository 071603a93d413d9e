#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Seed corpus for the fuzz_net_* harnesses: record lists (see fuzz_net.h)
# that complete each exchange once: an echo reply, an OFFER and an ACK, a
# TFTP OACK and data blocks (whole, and as IP fragments), a TCP handshake
# and an HTTP response.
import os, struct, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

def rec(kind, payload, pre=b''):
    return bytes([kind]) + struct.pack('>H', len(payload)) + pre + payload

def bootp(msgtype, opts=b''):
    b = bytearray(240)
    b[0], b[1], b[2] = 2, 1, 6
    b[16:20] = bytes([10, 0, 0, 2])
    b[20:24] = bytes([10, 0, 0, 1])
    b[108:116] = b'pxelinux'
    b[236:240] = bytes([0x63, 0x82, 0x53, 0x63])
    o = bytes([53, 1, msgtype, 54, 4, 10, 0, 0, 1, 1, 4, 255, 255, 255, 0, 3, 4, 10, 0, 0, 1,
               6, 4, 10, 0, 0, 1, 51, 4, 0, 1, 0, 0, 12, 5]) + b'guest' + opts + b'\xff'
    return bytes(b) + o

def tcp(flags, data=b'', opts=b'', lens=None):
    hdr = bytes([flags, 0xff, 0xff, 0, 0, len(opts) // 4, 0, 0])
    kind = 5 if lens is None else 0x15
    return bytes([kind]) + struct.pack('>H', len(data)) + hdr + opts + data + (lens or b'')

seeds = {
    'ping': rec(0x26, bytes([0, 0, 0, 0, 0, 0, 0, 0]) + b'x' * 32),
    'dhcp': rec(0x23, bootp(2)) + rec(0x23, bootp(5, bytes([66, 8]) + b'10.0.0.1')),
    'dhcp-nak': rec(0x23, bootp(2)) + rec(0x23, bootp(6)),
    'tftp': rec(4, b'\x00\x06blksize\x001468\x00windowsize\x008\x00tsize\x003000\x00',
                b'\x9c\x40') + rec(3, b'\x00\x03\x00\x01' + b'A' * 1468) +
            rec(3, b'\x00\x03\x00\x02' + b'B' * 1468) + rec(3, b'\x00\x03\x00\x03' + b'C' * 64),
    # Blocks larger than a frame, as fragments (kind bit 0x08: size, plan).
    'tftp-frag': rec(4, b'\x00\x06blksize\x0016384\x00windowsize\x008\x00tsize\x0020000\x00',
                     b'\x9c\x43') + rec(0x0b, b'\x00\x03\x00\x01' + b'A' * 16384) +
                 bytes([184, 0, 0, 0]) + rec(0x0b, b'\x00\x03\x00\x02' + b'B' * 3616) +
                 bytes([92, 1, 0, 0]),
    'tftp-frag-hostile': rec(4, b'\x00\x06blksize\x0016384\x00', b'\x9c\x44') +
                         rec(0x0b, b'\x00\x03\x00\x01' + b'A' * 4000) + bytes([184, 0x0a, 0, 0]) +
                         rec(0x0b, b'\x00\x03\x00\x01' + b'A' * 4000) + bytes([184, 0x30, 0, 0]),
    'tftp-plain': rec(4, b'\x00\x03\x00\x01' + b'A' * 100, b'\x9c\x41'),
    'tftp-error': rec(4, b'\x00\x05\x00\x01File not found\x00', b'\x9c\x42'),
    'http': tcp(0x12, opts=bytes([2, 4, 5, 0xb4, 1, 3, 3, 7])) +
            tcp(0x18, b'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789') + tcp(0x11),
    'http-close': tcp(0x12, opts=bytes([2, 4, 5, 0xb4, 1, 1, 1, 0])) +
                  tcp(0x18, b'HTTP/1.0 200 OK\r\nServer: x\r\n\r\nbody until close') + tcp(0x11),
    # Length fields given (0x10): a TCP data offset, a UDP length, an IP length.
    'http-lens': tcp(0x12, opts=bytes([2, 4, 5, 0xb4])) +
                 tcp(0x18, b'HTTP/1.1 200 OK\r\n\r\n', lens=bytes([0x50, 0, 0, 0])),
    'tftp-lens': rec(0x14, b'\x00\x03\x00\x01' + b'A' * 100, b'\x9c\x41') + bytes([0, 108, 0, 0]),
    'arp': rec(1, bytes([0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 2, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0,
                         10, 0, 0, 2])),
}
for name, data in seeds.items():
    open(os.path.join(out, name), 'wb').write(data)
