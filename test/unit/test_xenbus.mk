# SPDX-License-Identifier: MIT
test_xenbus-srcs := xen/xenbus.c xen/interrupt.c
