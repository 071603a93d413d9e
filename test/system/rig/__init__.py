# SPDX-License-Identifier: MIT
"""Real-Xen system-test rig: Xen 4.17 + a Debian dom0 in qemu-system-aarch64.

cache   fetch and unpack Debian arm64 packages (cached between runs)
dom0    assemble dom0's initramfs
machine boot QEMU, talk to dom0 over a control port, run guests
expect  expect/send on a byte stream (the guest's PV console)
images  build test disks with real tools (sfdisk, mkfs.ext4, cpio)
"""
