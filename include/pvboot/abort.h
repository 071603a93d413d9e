/* SPDX-License-Identifier: MIT */
/* What abort() does before it stops: lib/ is below the console, so it is told. */
#ifndef PVBOOT_ABORT_H
#define PVBOOT_ABORT_H

/*
 * Called by abort() before it powers off (say so, flush the console). With
 * the host's C library (the sandbox) abort() is the host's and this is not
 * used.
 */
void abort_set_handler(void (*handler)(void));

#endif
