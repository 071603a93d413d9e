// SPDX-License-Identifier: MIT
/*
 * Waiting for one event channel: the loop over events.c's pending bit and
 * poll.c's sleep in Xen. Kept apart from events.c because poll.c reads that
 * bit itself (events.c stays the bottom of the two).
 */
#include <errno.h>
#include <pvboot/timer.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/interrupt.h>
#include <pvboot/xen/poll.h>

int evtchn_poll(evtchn_port_t port, unsigned long timeout_ms)
{
	uint64_t deadline = deadline_ms(timeout_ms);

	if (!evtchn_port_valid(port))
		return -EINVAL;
	for (;;) {
		if (evtchn_clear_pending(port))
			return 0;
		if (deadline_passed(deadline))
			return -ETIMEDOUT;
		if (xen_interrupted())
			return -EINTR;
		xen_poll_wait(port, deadline);
	}
}
