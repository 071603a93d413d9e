# SPDX-License-Identifier: MIT
test_xen_hypervisor-srcs := test/unit/bootstage_stub.c xen/hypervisor.c xen/init.c xen/interrupt.c test/unit/xen_poll_stub.c
