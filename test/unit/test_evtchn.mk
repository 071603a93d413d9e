# SPDX-License-Identifier: MIT
test_evtchn-srcs := xen/events.c xen/evtchn_wait.c xen/interrupt.c test/unit/xen_poll_stub.c
