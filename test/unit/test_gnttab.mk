# SPDX-License-Identifier: MIT
test_gnttab-srcs := xen/gnttab.c
