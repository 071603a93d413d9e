# SPDX-License-Identifier: MIT
test_xen_hvc-srcs := drivers/console/xen_hvc.c
