# SPDX-License-Identifier: MIT
test_xs_connect-srcs := xen/xs_connect.c xen/interrupt.c
