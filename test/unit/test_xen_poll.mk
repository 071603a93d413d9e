# SPDX-License-Identifier: MIT
test_xen_poll-srcs := xen/poll.c xen/events.c
