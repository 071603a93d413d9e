/* SPDX-License-Identifier: MIT */
/* Time from the arch counter. */
#ifndef PVBOOT_TIMER_H
#define PVBOOT_TIMER_H

#include <pvboot/compiler.h>

uint64_t timer_us(void);               /* microseconds since an arbitrary origin */
unsigned long get_timer(unsigned long base); /* ms since base (U-Boot semantics) */
void udelay(unsigned long us);
void mdelay(unsigned long ms);

/*
 * Bounded wait helper: true while the deadline has not passed and Ctrl-C has
 * not been pressed. Use as: deadline = deadline_ms(t); while (!done) { if
 * (!wait_continue(deadline)) return -ETIMEDOUT; arch_cpu_relax(); }
 */
uint64_t deadline_ms(unsigned long ms);
bool deadline_passed(uint64_t deadline);
/* !deadline_passed(deadline) && !ctrlc(): the loop condition described above. */
bool wait_continue(uint64_t deadline);

/* "12.3 MiB in 0.456 s (27.0 MiB/s)" style report used by every long operation. */
void print_rate(uint64_t bytes, uint64_t us);

#endif
