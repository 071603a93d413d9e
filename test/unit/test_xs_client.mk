# SPDX-License-Identifier: MIT
test_xs_client-srcs := xen/xenstore.c xen/xs_connect.c xen/xs_msg.c xen/xenbus.c xen/interrupt.c test/unit/xen_poll_stub.c common/errstr.c
