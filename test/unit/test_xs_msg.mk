# SPDX-License-Identifier: MIT
test_xs_msg-srcs := xen/xs_msg.c
