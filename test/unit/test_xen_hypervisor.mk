# SPDX-License-Identifier: MIT
test_xen_hypervisor-srcs := xen/hypervisor.c xen/init.c xen/interrupt.c
