# SPDX-License-Identifier: MIT
fuzz_xs_reply-srcs := xen/xs_msg.c xen/xenstore.c xen/xs_connect.c xen/interrupt.c test/unit/xen_poll_stub.c common/errstr.c
fuzz_xs_reply-corpus := test/fuzz/corpus_xs_reply.sh
