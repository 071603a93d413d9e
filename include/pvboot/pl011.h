/* SPDX-License-Identifier: MIT */
/*
 * An SBSA/PL011 UART as a console device: Xen's emulated UART (vpl011) of a
 * dom0less domain, which has no PV console.
 */
#ifndef PVBOOT_PL011_H
#define PVBOOT_PL011_H

#include <pvboot/compiler.h>

/* Register the UART whose registers are at base (mapped as device memory). 0 or -errno. */
int pl011_console_init(uintptr_t base);

/* Figures for tests and `xen info`. */
struct pl011_stats {
	uintptr_t base;
	uint64_t written; /* bytes put in the transmit FIFO */
	uint64_t dropped; /* bytes dropped while the FIFO stayed full */
	uint64_t read;	  /* bytes taken from the receive FIFO */
};
int pl011_get_stats(struct pl011_stats *st); /* -ENODEV if not in use */

#endif
